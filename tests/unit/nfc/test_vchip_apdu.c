/* SPDX-License-Identifier: MIT */
/* test_vchip_apdu.c - command APDU cases, ISO/IEC 7816-4 §5.1 (drivers/nfc/vchip_apdu.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "nfc/vchip_apdu.h"

#define P(s, a, e) vchip_apdu_parse((const uint8_t *)(s), sizeof(s) - 1, a, e)

static void short_cases(void **state)
{
	struct vchip_apdu a;

	(void)state;
	assert_int_equal(P("\x00\xa4\x00\x0c", &a, NULL), 0); /* case 1 */
	assert_int_equal(a.lc, 0);
	assert_false(a.has_le);
	assert_int_equal(P("\x00\xb0\x9e\x00\x00", &a, NULL), 0); /* case 2: Le 00 = 256 */
	assert_true(a.has_le);
	assert_int_equal(a.le, 256);
	assert_int_equal(a.p1, 0x9e);
	assert_int_equal(P("\x00\xa4\x02\x0c\x02\x01\x1e", &a, NULL), 0); /* case 3 */
	assert_int_equal(a.lc, 2);
	assert_memory_equal(a.data, "\x01\x1e", 2);
	assert_false(a.has_le);
	assert_int_equal(P("\x00\x88\x00\x00\x02\x01\x02\xe7", &a, NULL), 0); /* case 4 */
	assert_int_equal(a.lc, 2);
	assert_int_equal(a.le, 231);
	assert_false(a.extended);
}

static void extended_cases(void **state)
{
	struct vchip_apdu a;

	(void)state;
	assert_int_equal(P("\x00\xb0\x00\x00\x00\x00\x00", &a, NULL), 0); /* 2E: 0000 = 65536 */
	assert_true(a.extended);
	assert_int_equal(a.le, 65536);
	assert_int_equal(P("\x00\xb0\x00\x00\x00\x01\x00", &a, NULL), 0);
	assert_int_equal(a.le, 256);
	assert_int_equal(P("\x00\xa4\x02\x0c\x00\x00\x02\x01\x1e", &a, NULL), 0); /* 3E */
	assert_int_equal(a.lc, 2);
	assert_false(a.has_le);
	assert_int_equal(P("\x00\xb1\x00\x00\x00\x00\x04\x54\x02\x80\x00\x12\x34", &a, NULL), 0);
	assert_int_equal(a.lc, 4); /* 4E */
	assert_int_equal(a.le, 0x1234);
}

static void malformed(void **state)
{
	struct vchip_apdu a;
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(P("\x00\xa4\x00", &a, &e), -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "4-byte header"));
	assert_int_equal(P("\x00\xa4\x02\x0c\x03\x01\x1e", &a, &e), -CCCD_EFORMAT); /* Lc 3, 2 */
	assert_int_equal(P("\x00\xa4\x02\x0c\x02\x01\x1e\x00\x00", &a, &e), -CCCD_EFORMAT);
	assert_int_equal(P("\x00\xb0\x00\x00\x00\x00", &a, &e), -CCCD_EFORMAT); /* 6 bytes */
	assert_int_equal(P("\x00\xb0\x00\x00\x00\x00\x00\x00", &a, &e), -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "byte 5"));
	assert_int_equal(P("\x00\xa4\x02\x0c\x00\x00\x03\x01\x1e", &a, &e), -CCCD_EFORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(short_cases),
	    cmocka_unit_test(extended_cases),
	    cmocka_unit_test(malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
