/* SPDX-License-Identifier: MIT */
/* test_profile.c - built-in profiles over the fixtures, keys, send condition, JSON lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "out/profile.h"

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

static void builtins_render_the_fixtures(void **state)
{
	cJSON *g = load("tests/fixtures/out/result_genuine.json");
	cJSON *pay = load("tests/fixtures/out/payment.json");
	struct out_profile p;
	char out[1024];

	(void)state;
	assert_int_equal(out_profile_builtin("clinic", &p), 0);
	assert_int_equal(out_profile_render(&p, g, out, sizeof(out), NULL), 0);
	assert_string_equal(out,
			    "001200012345\tNguy\xe1\xbb\x85n V\xc4\x83n H\xc3\xb2"
			    "a\t"
			    "01/02/2000\tM\tS\xe1\xbb\x91 5, Ph\xc6\xb0\xe1\xbb\x9dng H\xc3\xa0ng "
			    "B\xe1\xba\xa1"
			    "c, Qu\xe1\xba\xadn Ho\xc3\xa0n Ki\xe1\xba\xbfm, "
			    "H\xc3\xa0 N\xe1\xbb\x99i\n");
	assert_int_equal(out_profile_builtin("hotel", &p), 0);
	assert_int_equal(out_profile_render(&p, g, out, sizeof(out), NULL), 0);
	assert_non_null(strstr(out, "\t001200012345\t01/02/2000\tVNM\t01/02/2040\t"));
	assert_int_equal(out_profile_builtin("school", &p), 0);
	assert_int_equal(out_profile_render(&p, pay, out, sizeof(out), NULL), 0);
	assert_string_equal(out, "Vietcombank\t0123456789\t150000\tHOC PHI THANG 11\n");
	/* a payment profile ignores a RESULT, a person profile ignores a payment */
	assert_int_equal(out_profile_render(&p, g, out, sizeof(out), NULL), 1);
	assert_int_equal(out_profile_builtin("clinic", &p), 0);
	assert_int_equal(out_profile_render(&p, pay, out, sizeof(out), NULL), 1);
	assert_int_equal(out_profile_builtin("custom", &p), 0);
	assert_string_equal(p.fields, "");
	assert_string_equal(p.tpl_src, "");
	assert_int_equal(out_profile_builtin("bank", &p), -CCCD_ENOENT);
	cJSON_Delete(g);
	cJSON_Delete(pay);
}

static void condition(void **state)
{
	cJSON *g = load("tests/fixtures/out/result_genuine.json");
	cJSON *s = load("tests/fixtures/out/result_suspect.json");
	cJSON *f = cJSON_Parse("{\"checks\":{\"verdict\":\"failed\"}}");
	cJSON *none = cJSON_Parse("{\"person\":{}}");
	struct out_profile p;
	char msg[160];

	(void)state;
	assert_int_equal(out_profile_builtin("hotel", &p), 0);
	assert_true(out_profile_accepts(&p, g));
	assert_false(out_profile_accepts(&p, s));
	assert_int_equal(out_profile_set(&p, "condition", "suspect", msg, sizeof(msg)), 0);
	assert_true(out_profile_accepts(&p, s));
	assert_false(out_profile_accepts(&p, f)); /* failed never goes out */
	assert_false(out_profile_accepts(&p, none));
	assert_int_equal(out_profile_set(&p, "condition", "always", msg, sizeof(msg)),
			 -CCCD_ECONFIG);
	assert_string_equal(msg, "condition: expected genuine or suspect, got \"always\"");
	cJSON_Delete(g);
	cJSON_Delete(s);
	cJSON_Delete(f);
	cJSON_Delete(none);
}

static void keys_compose_the_template(void **state)
{
	cJSON *g = load("tests/fixtures/out/result_genuine.json");
	struct out_profile p;
	char msg[160], out[512];

	(void)state;
	assert_int_equal(out_profile_builtin("custom", &p), 0);
	assert_int_equal(
	    out_profile_set(&p, "fields", "document.number, person.birth_date", msg, sizeof(msg)),
	    0);
	assert_int_equal(out_profile_set(&p, "separator", "semicolon", msg, sizeof(msg)), 0);
	assert_int_equal(out_profile_set(&p, "prefix", "ID:", msg, sizeof(msg)), 0);
	assert_int_equal(out_profile_set(&p, "suffix", "\\n\\n", msg, sizeof(msg)), 0);
	assert_int_equal(out_profile_set(&p, "date_format", "yyyy-mm-dd", msg, sizeof(msg)), 0);
	assert_int_equal(out_profile_render(&p, g, out, sizeof(out), NULL), 0);
	assert_string_equal(out, "ID:001200012345;2000-02-01\n\n");
	assert_int_equal(out_profile_set(&p, "date_format", "dd.mm.yy", msg, sizeof(msg)), 0);
	assert_string_equal(p.date_fmt, "%d.%m.%y");
	assert_int_equal(out_profile_set(&p, "template", "{person.sex}", msg, sizeof(msg)), 0);
	assert_int_equal(out_profile_render(&p, g, out, sizeof(out), NULL), 0);
	assert_string_equal(out, "ID:M\n\n");
	/* errors carry the key and the template column */
	assert_int_equal(out_profile_set(&p, "template", "{person.nmae}", msg, sizeof(msg)),
			 -CCCD_ECONFIG);
	assert_string_equal(msg, "template: col 2: unknown field 'person.nmae'");
	assert_int_equal(out_profile_set(&p, "fields", "person.sex,bogus", msg, sizeof(msg)),
			 -CCCD_ECONFIG);
	assert_int_equal(out_profile_set(&p, "date_format", "dd/mm/%H", msg, sizeof(msg)),
			 -CCCD_ECONFIG);
	assert_int_equal(out_profile_set(&p, "separator", "{x}", msg, sizeof(msg)), -CCCD_ECONFIG);
	assert_int_equal(out_profile_set(&p, "nope", "1", msg, sizeof(msg)), -CCCD_ENOENT);
	cJSON_Delete(g);
}

static void keyboard_keys(void **state)
{
	struct out_profile p;
	char msg[160];

	(void)state;
	assert_int_equal(out_profile_builtin("clinic", &p), 0);
	assert_int_equal(p.kbd.strategy, KBD_ASCII);
	assert_int_equal(out_profile_set(&p, "strategy", "vni", msg, sizeof(msg)), 0);
	assert_int_equal(p.kbd.strategy, KBD_VNI);
	assert_int_equal(out_profile_set(&p, "tone_style", "modern", msg, sizeof(msg)), 0);
	assert_true(p.kbd.modern_tones);
	assert_int_equal(out_profile_set(&p, "layout", "us", msg, sizeof(msg)), 0);
	assert_int_equal(out_profile_set(&p, "layout", "de", msg, sizeof(msg)), -CCCD_ECONFIG);
	assert_string_equal(msg, "layout: expected us, got \"de\"");
	assert_int_equal(out_profile_set(&p, "strategy", "unikey", msg, sizeof(msg)),
			 -CCCD_ECONFIG);
	assert_int_equal(out_profile_set(&p, "base", "hotel", msg, sizeof(msg)), 0);
	assert_string_equal(p.name, "clinic"); /* base keeps the profile's own name */
	assert_int_equal(out_profile_set(&p, "base", "nope", msg, sizeof(msg)), -CCCD_ECONFIG);
}

static void key_table_sorted(void **state)
{
	size_t n;
	const char *const *k = out_profile_keys(&n);

	(void)state;
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(k[i - 1], k[i]) < 0);
}

static void json_lines(void **state)
{
	cJSON *g = load("tests/fixtures/out/result_genuine.json");
	struct out_profile p;
	char out[2048];
	cJSON *back;

	(void)state;
	assert_int_equal(out_profile_builtin("clinic", &p), 0);
	assert_int_equal(out_profile_line(&p, true, g, out, sizeof(out), NULL), 0);
	assert_non_null(strchr(out, '\n'));
	assert_int_equal(strchr(out, '\n')[1], '\0');
	back = cJSON_Parse(out);
	assert_true(cJSON_Compare(back, g, true));
	assert_int_equal(out_profile_line(&p, true, g, out, 100, NULL), -CCCD_ENOSPC);
	assert_int_equal(out_profile_line(&p, false, g, out, sizeof(out), NULL), 0);
	assert_int_equal(strncmp(out, "001200012345\t", 13), 0);
	cJSON_Delete(back);
	cJSON_Delete(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(builtins_render_the_fixtures),
	    cmocka_unit_test(condition),
	    cmocka_unit_test(keys_compose_the_template),
	    cmocka_unit_test(keyboard_keys),
	    cmocka_unit_test(key_table_sorted),
	    cmocka_unit_test(json_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
