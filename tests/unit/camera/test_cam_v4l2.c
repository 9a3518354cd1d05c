/* SPDX-License-Identifier: MIT */
/* test_cam_v4l2.c - `v4l2:` URI parsing and the missing-device path (no camera needed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "camera/cam_v4l2.h"
#include "frame_source.h"

static void full_uri_sets_every_field(void **state)
{
	struct cam_v4l2_cfg c;

	(void)state;
	assert_int_equal(cam_v4l2_parse_uri("/dev/video2?width=1920&height=1080&fps=30&fourcc=MJPG"
					    "&exposure=150&focus=0",
					    &c, NULL),
			 0);
	assert_string_equal(c.device, "/dev/video2");
	assert_int_equal(c.width, 1920);
	assert_int_equal(c.height, 1080);
	assert_int_equal(c.fps, 30);
	assert_string_equal(c.fourcc, "MJPG");
	assert_int_equal(c.exposure, 150);
	assert_int_equal(c.focus, 0);
}

static void bare_device_leaves_driver_defaults(void **state)
{
	struct cam_v4l2_cfg c;

	(void)state;
	assert_int_equal(cam_v4l2_parse_uri("/dev/video0", &c, NULL), 0);
	assert_string_equal(c.device, "/dev/video0");
	assert_int_equal(c.width, -1);
	assert_int_equal(c.fps, -1);
	assert_int_equal(c.exposure, -1);
	assert_int_equal(c.focus, -1);
	assert_string_equal(c.fourcc, "");
	assert_int_equal(cam_v4l2_parse_uri("/dev/video0?exposure=auto&focus=auto", &c, NULL), 0);
	assert_int_equal(c.exposure, -1);
	assert_int_equal(c.focus, -1);
}

static void bad_uris_say_where(void **state)
{
	struct cam_v4l2_cfg c;
	struct cccd_err e;

	(void)state;
	assert_int_equal(cam_v4l2_parse_uri("video0", &c, &e), -CCCD_EINVAL);
	assert_non_null(strstr(e.msg, "byte 0"));
	assert_int_equal(cam_v4l2_parse_uri("/dev/", &c, &e), -CCCD_EINVAL);
	assert_int_equal(cam_v4l2_parse_uri("/dev/video0?width=0", &c, &e), -CCCD_EINVAL);
	assert_non_null(strstr(e.msg, "byte 12: width must be 1..8192"));
	assert_int_equal(cam_v4l2_parse_uri("/dev/video0?width=1280&fps=241", &c, &e),
			 -CCCD_EINVAL);
	assert_non_null(strstr(e.msg, "byte 23: fps"));
	assert_int_equal(cam_v4l2_parse_uri("/dev/video0?gain=3", &c, &e), -CCCD_EINVAL);
	assert_non_null(strstr(e.msg, "unknown key 'gain'"));
	assert_int_equal(cam_v4l2_parse_uri("/dev/video0?width", &c, &e), -CCCD_EINVAL);
	assert_int_equal(cam_v4l2_parse_uri("/dev/video0?width=12x", &c, &e), -CCCD_EINVAL);
	assert_int_equal(cam_v4l2_parse_uri("/dev/video0?width=-5", &c, &e), -CCCD_EINVAL);
	assert_int_equal(cam_v4l2_parse_uri("/dev/video0?fps=auto", &c, &e), -CCCD_EINVAL);
	assert_int_equal(cam_v4l2_parse_uri("/dev/video0?fourcc=mjpg", &c, &e), -CCCD_EINVAL);
	assert_int_equal(cam_v4l2_parse_uri("/dev/video0?fourcc=MJPEG", &c, &e), -CCCD_EINVAL);
}

static void missing_device_fails_cleanly(void **state)
{
	struct frame_source src;
	struct frame f;
	struct cccd_err e;

	(void)state;
	assert_int_equal(frame_source_open(&src, "v4l2:/dev/video-cccd-none?width=1280", &e),
			 -CCCD_ENOENT);
	assert_non_null(strstr(e.msg, "/dev/video-cccd-none"));
	assert_null(src.ops);
	assert_int_equal(frame_source_grab(&src, &f, &e), -CCCD_ENOTSUP);
	frame_source_close(&src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(full_uri_sets_every_field),
	    cmocka_unit_test(bare_device_leaves_driver_defaults),
	    cmocka_unit_test(bad_uris_say_where),
	    cmocka_unit_test(missing_device_fails_cleanly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
