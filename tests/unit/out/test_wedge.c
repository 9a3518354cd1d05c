/* SPDX-License-Identifier: MIT */
/*
 * test_wedge.c - a RESULT typed through the file: sink under each of the five strategies, then
 * decoded by the host model: the host sees exactly the profile's text (marks stripped for
 * ascii), with Caps Lock on at the host too; a suspect RESULT types nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/utf8.h"
#include "out/wedge.h"

static cJSON *load(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[4096];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return cJSON_Parse(buf);
}

static size_t slurp(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static void typed_text_matches_the_result(void **state)
{
	static uint8_t reps[1 << 18];
	cJSON *g = load("tests/fixtures/out/result_genuine.json");
	char path[] = "/tmp/test_wedge_XXXXXX", uri[96], want[2048], plain[2048], seen[2048];
	struct out_profile p;
	int fd = mkstemp(path);

	(void)state;
	close(fd);
	assert_int_equal(out_profile_builtin("clinic", &p), 0);
	assert_int_equal(out_profile_render(&p, g, want, sizeof(want), NULL), 0);
	assert_int_equal(
	    cccd_utf8_strip_marks((const uint8_t *)want, strlen(want), plain, sizeof(plain), NULL),
	    0);
	for (int s = KBD_ASCII; s <= KBD_VNI; s++) {
		for (uint8_t leds = 0; leds <= KBD_LED_CAPS; leds += KBD_LED_CAPS) {
			struct key_sink k;
			size_t n;

			p.kbd.strategy = (enum kbd_strategy)s;
			assert_int_equal(truncate(path, 0), 0);
			snprintf(uri, sizeof(uri), "file:%s?leds=%u", path, leds);
			assert_int_equal(key_sink_open(&k, uri, NULL), 0);
			assert_int_equal(out_wedge_type(&k, &p, g, 0, NULL), 0);
			key_sink_close(&k);
			n = slurp(path, reps, sizeof(reps));
			assert_int_equal(n % 8, 0);
			assert_int_equal(
			    kbd_reports_parse(reps, n, &p.kbd, leds, seen, sizeof(seen), NULL), 0);
			assert_string_equal(seen, s == KBD_ASCII ? plain : want);
		}
	}
	unlink(path);
	cJSON_Delete(g);
}

static void nothing_for_suspect_and_errors_pass_through(void **state)
{
	cJSON *s = load("tests/fixtures/out/result_suspect.json");
	cJSON *g = load("tests/fixtures/out/result_genuine.json");
	char path[] = "/tmp/test_wedge_XXXXXX", uri[96];
	struct out_profile p;
	struct key_sink k;
	struct cccd_err e = {0};
	char msg[160];
	int fd = mkstemp(path);

	(void)state;
	close(fd);
	snprintf(uri, sizeof(uri), "file:%s", path);
	assert_int_equal(out_profile_builtin("hotel", &p), 0);
	assert_int_equal(key_sink_open(&k, uri, NULL), 0);
	assert_int_equal(out_wedge_type(&k, &p, s, 0, NULL), 1);
	assert_int_equal(k.sent, 0);
	/* a template whose text the strategy cannot type: a clean error, nothing sent */
	assert_int_equal(
	    out_profile_set(&p, "template", "\xe2\x82\xac{document.number}", msg, sizeof(msg)), 0);
	assert_int_equal(out_wedge_type(&k, &p, g, 0, &e), -CCCD_ERANGE);
	assert_int_equal(k.sent, 0);
	key_sink_close(&k);
	unlink(path);
	cJSON_Delete(s);
	cJSON_Delete(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(typed_text_matches_the_result),
	    cmocka_unit_test(nothing_for_suspect_and_errors_pass_through),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
