/* SPDX-License-Identifier: MIT */
/* test_frame_source.c - the registry and wrappers of drivers/frame_source.c: scheme matching,
 * URI limits, and wrappers on a source that is not open. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "frame_source.h"

static void unknown_scheme_and_no_scheme(void **state)
{
	struct frame_source src;
	struct cccd_err e;

	(void)state;
	assert_int_equal(frame_source_open(&src, "rtsp://cam/1", &e), -CCCD_ENOTSUP);
	assert_non_null(strstr(e.msg, "no camera driver for 'rtsp:'"));
	assert_int_equal(frame_source_open(&src, "card.jpg", &e), -CCCD_EINVAL);
	assert_non_null(strstr(e.msg, "no scheme"));
	/* a scheme that only starts like a known one */
	assert_int_equal(frame_source_open(&src, "files:x.jpg", &e), -CCCD_ENOTSUP);
	assert_int_equal(frame_source_open(&src, "v4l:/dev/video0", &e), -CCCD_ENOTSUP);
}

static void overlong_uri_rejected(void **state)
{
	struct frame_source src;
	struct cccd_err e;
	char uri[400];

	(void)state;
	memset(uri, 'a', sizeof(uri) - 1);
	uri[sizeof(uri) - 1] = '\0';
	memcpy(uri, "file:", 5);
	assert_int_equal(frame_source_open(&src, uri, &e), -CCCD_EINVAL);
	assert_non_null(strstr(e.msg, "at most 255"));
	assert_null(src.ops);
}

static void wrappers_on_a_closed_source(void **state)
{
	struct frame_source src;
	struct frame f;
	struct cccd_err e;

	(void)state;
	memset(&src, 0, sizeof(src));
	assert_int_equal(frame_source_grab(&src, &f, &e), -CCCD_ENOTSUP);
	frame_source_close(&src); /* harmless */
	assert_null(src.ops);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unknown_scheme_and_no_scheme),
		cmocka_unit_test(overlong_uri_rejected),
		cmocka_unit_test(wrappers_on_a_closed_source),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
