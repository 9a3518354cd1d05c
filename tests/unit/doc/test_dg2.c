/* SPDX-License-Identifier: MIT */
/* test_dg2.c - DG2 unwrap (ICAO 9303-10 §4.7.2, ISO/IEC 19794-5 §5.4-5.7): the virtual chip's
 * portrait, a JPEG 2000 one, and broken ones, each rejected with the byte offset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "doc/dg2.h"

static uint8_t buf[2048];

static size_t load(const char *name)
{
	char path[128];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "tests/fuzz/corpus/dg2/%s", name);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return n;
}

/* vchip-1000.bin: 75 82 0439 7F61 ... 5F2E 82 0416 "FAC\0" "010\0" ... 96x128 JPEG of 1000 B */
static void vchip_portrait(void **state)
{
	struct dg2 d;
	size_t n = load("vchip-1000.bin");

	(void)state;
	assert_int_equal(n, 1085);
	assert_int_equal(dg2_parse(buf, n, &d, NULL), 0);
	assert_int_equal(d.format, DG2_JPEG);
	assert_string_equal(dg2_format_name(d.format), "jpeg");
	assert_int_equal(d.image_len, 1000);
	assert_int_equal(d.image_off, n - 1000);
	assert_ptr_equal(d.image, buf + d.image_off);
	assert_int_equal(d.width, 96);
	assert_int_equal(d.height, 128);
	assert_int_equal(buf[n - 2], 0xFF); /* the image runs to the EOI marker */
	assert_int_equal(buf[n - 1], 0xD9);
}

static void jpeg2000(void **state)
{
	struct dg2 d;
	size_t n = load("jp2-signature.bin");

	(void)state;
	assert_int_equal(dg2_parse(buf, n, &d, NULL), 0);
	assert_int_equal(d.format, DG2_JPEG2000);
	assert_string_equal(dg2_format_name(d.format), "jpeg2000");
}

static void broken(void **state)
{
	struct cccd_err e = {0};
	struct dg2 d;
	size_t n = load("no-fac.bin");

	(void)state;
	assert_int_equal(dg2_parse(buf, n, &d, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "byte 39: no ISO 19794-5 record (\"FAC\\0\")");
	assert_null(d.image);
	n = load("truncated.bin");
	assert_int_equal(dg2_parse(buf, n, &d, &e), -CCCD_EFORMAT);
	n = load("vchip-1000.bin");
	buf[n - 1000] = 0x00; /* the JPEG's SOI marker */
	assert_int_equal(dg2_parse(buf, n, &d, &e), -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "magic"));
	n = load("vchip-1000.bin");
	buf[39 + 14 + 3] = 0xFF; /* facial record length beyond the block */
	assert_int_equal(dg2_parse(buf, n, &d, &e), -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "beyond"));
	n = load("vchip-1000.bin");
	buf[39 + 34 + 1] = 2; /* image data type neither JPEG nor JPEG 2000 */
	assert_int_equal(dg2_parse(buf, n, &d, &e), -CCCD_EFORMAT);
	buf[0] = 0x61; /* not DG2 */
	assert_int_equal(dg2_parse(buf, n, &d, &e), -CCCD_EFORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(vchip_portrait),
	    cmocka_unit_test(jpeg2000),
	    cmocka_unit_test(broken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
