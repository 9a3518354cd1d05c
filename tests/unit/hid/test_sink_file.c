/* SPDX-License-Identifier: MIT */
/* test_sink_file.c - file: sink appends raw reports and reports the leds= it was given. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "key_sink.h"

static void appends_reports(void **state)
{
	char path[] = "/tmp/test_sink_file_XXXXXX", uri[64];
	int fd = mkstemp(path);
	const uint8_t r[8] = {0, 0, 0x04};
	uint8_t got[24], leds = 0;
	struct key_sink s;

	(void)state;
	close(fd);
	snprintf(uri, sizeof(uri), "file:%s?leds=2", path);
	assert_int_equal(key_sink_open(&s, uri, NULL), 0);
	assert_int_equal(key_sink_send_report(&s, r, NULL), 0);
	assert_int_equal(key_sink_leds(&s, &leds, NULL), 0);
	assert_int_equal(leds, 2);
	key_sink_close(&s);
	snprintf(uri, sizeof(uri), "file:%s", path);
	assert_int_equal(key_sink_open(&s, uri, NULL), 0); /* appends, does not truncate */
	assert_int_equal(key_sink_send(&s, r, 1, 1, NULL), 0);
	assert_int_equal(key_sink_leds(&s, &leds, NULL), 0);
	assert_int_equal(leds, 0);
	key_sink_close(&s);
	fd = open(path, 0);
	assert_int_equal(read(fd, got, sizeof(got)), 16);
	assert_memory_equal(got, r, 8);
	assert_memory_equal(got + 8, r, 8);
	close(fd);
	unlink(path);
}

static void bad_uris(void **state)
{
	struct key_sink s;
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(key_sink_open(&s, "file:/tmp/x?leds=32", &e), -CCCD_EINVAL);
	assert_int_equal(key_sink_open(&s, "file:/tmp/x?leds=", &e), -CCCD_EINVAL);
	assert_int_equal(key_sink_open(&s, "file:", &e), -CCCD_EINVAL);
	assert_int_equal(key_sink_open(&s, "file:/nonexistent/dir/x", &e), -CCCD_EIO);
	assert_int_equal(key_sink_send_report(&s, (const uint8_t *)"12345678", &e), -CCCD_ENOTSUP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(appends_reports),
	    cmocka_unit_test(bad_uris),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
