/* SPDX-License-Identifier: MIT */
/* test_core.c - error type, PII masks and UTF-8 helpers (daemon/core). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/err.h"
#include "core/log.h"
#include "core/utf8.h"

static void err_set_returns_code_and_formats(void **state)
{
	struct cccd_err e;
	char s[200];

	(void)state;
	assert_int_equal(cccd_err_set(&e, -CCCD_EFORMAT, "mrz", "line %d col %d", 2, 14),
			 -CCCD_EFORMAT);
	assert_string_equal(cccd_err_str(&e, s, sizeof(s)), "mrz: line 2 col 14");
	assert_int_equal(cccd_err_set(NULL, -CCCD_EIO, "x", "y"), -CCCD_EIO);
	assert_string_equal(cccd_strerror(-CCCD_ECHECK), "check failed");
	assert_string_equal(cccd_strerror(9999), "unknown error");
	cccd_err_set(&e, -CCCD_EIO, "", NULL);
	assert_string_equal(cccd_err_str(&e, s, sizeof(s)), "i/o");
}

static void err_message_is_truncated_not_overflowed(void **state)
{
	struct cccd_err e;
	char big[600];

	(void)state;
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cccd_err_set(&e, -CCCD_EFORMAT, big, "%s", big);
	assert_int_equal(strlen(e.msg), sizeof(e.msg) - 1);
	assert_int_equal(strlen(e.where), sizeof(e.where) - 1);
}

static void mask_id_keeps_4_and_2(void **state)
{
	char out[32];

	(void)state;
	assert_string_equal(cccd_mask_id_ex("001200012345", false, out, sizeof(out)),
			    "0012******45");
	assert_string_equal(cccd_mask_id_ex("200012345", false, out, sizeof(out)), "2000***45");
	assert_string_equal(cccd_mask_id_ex("123456", false, out, sizeof(out)), "******");
	assert_string_equal(cccd_mask_id_ex("001200012345", true, out, sizeof(out)),
			    "001200012345");
	assert_string_equal(cccd_mask_id_ex(NULL, false, out, sizeof(out)), "");
	/* a short output buffer truncates and still never shows the middle digits */
	assert_string_equal(cccd_mask_id_ex("001200012345", false, out, 6), "*****");
}

static void mask_text_keeps_first_letter_of_each_word(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(cccd_mask_text_ex("Nguyễn Văn An", false, out, sizeof(out)),
			    "N***** V** A*");
	assert_string_equal(cccd_mask_text_ex("Đỗ Thị Ánh", false, out, sizeof(out)), "Đ* T** Á**");
	assert_string_equal(cccd_mask_text_ex("Số 1, Hà Nội", false, out, sizeof(out)),
			    "S* 1, H* N**");
	assert_string_equal(cccd_mask_text_ex("Nguyễn", true, out, sizeof(out)), "Nguyễn");
	/* truncation never splits a UTF-8 sequence */
	assert_string_equal(cccd_mask_text_ex("Ánh", false, out, 2), "");
}

static void utf8_validate_reports_offset(void **state)
{
	struct cccd_err e;

	(void)state;
	assert_int_equal(cccd_utf8_validate((const uint8_t *)"Nguyễn", strlen("Nguyễn"), &e), 0);
	assert_int_equal(cccd_utf8_validate((const uint8_t *)"ab\xC0\xAF", 4, &e), -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "byte 2"));
	assert_int_equal(cccd_utf8_validate((const uint8_t *)"a\xED\xA0\x80", 4, &e),
			 -CCCD_EFORMAT); /* surrogate */
	assert_int_equal(cccd_utf8_validate((const uint8_t *)"a\xE1\xBA", 3, &e), -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "truncated"));
	assert_int_equal(cccd_utf8_validate((const uint8_t *)"a\0b", 3, &e), -CCCD_EFORMAT);
	assert_int_equal(cccd_utf8_validate((const uint8_t *)"\xF4\x90\x80\x80", 4, &e),
			 -CCCD_EFORMAT); /* > U+10FFFF */
}

static void utf8_nfc_composes(void **state)
{
	/* "Nguyễn" decomposed: e + U+0302 (circumflex) + U+0303 (tilde) */
	const char *nfd = "Nguye\xCC\x82\xCC\x83n";
	char out[32];
	struct cccd_err e;

	(void)state;
	assert_int_equal(cccd_utf8_nfc((const uint8_t *)nfd, strlen(nfd), out, sizeof(out), &e), 0);
	assert_string_equal(out, "Nguyễn");
	assert_int_equal(cccd_utf8_nfc((const uint8_t *)nfd, strlen(nfd), out, 4, &e),
			 -CCCD_ENOSPC);
}

static void utf8_nfc_bounds_text_without_malloc(void **state)
{
	static uint8_t big[3000];
	char out[4096];
	struct cccd_err e;

	(void)state;
	memset(big, 'a', sizeof(big));
	assert_int_equal(cccd_utf8_nfc(big, 2048, out, sizeof(out), &e), 0);
	assert_int_equal(strlen(out), 2048);
	assert_int_equal(cccd_utf8_nfc(big, sizeof(big), out, sizeof(out), &e), -CCCD_ERANGE);
	/* U+1F82 (3 bytes) decomposes to 4 code points: 680 of them (2040 bytes) pass the byte
	 * check but not the code-point buffer */
	for (size_t i = 0; i + 3 <= 2040; i += 3)
		memcpy(big + i, "\xE1\xBE\x82", 3);
	assert_int_equal(cccd_utf8_nfc(big, 2040, out, sizeof(out), &e), -CCCD_ERANGE);
	assert_non_null(strstr(e.msg, "code points"));
}

static void utf8_strip_marks_for_mrz(void **state)
{
	const char *in = "Đặng Thị Ánh Nguyệt đỗ";
	char out[64];

	(void)state;
	assert_int_equal(
	    cccd_utf8_strip_marks((const uint8_t *)in, strlen(in), out, sizeof(out), NULL), 0);
	assert_string_equal(out, "Dang Thi Anh Nguyet do");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(err_set_returns_code_and_formats),
	    cmocka_unit_test(err_message_is_truncated_not_overflowed),
	    cmocka_unit_test(mask_id_keeps_4_and_2),
	    cmocka_unit_test(mask_text_keeps_first_letter_of_each_word),
	    cmocka_unit_test(utf8_validate_reports_offset),
	    cmocka_unit_test(utf8_nfc_composes),
	    cmocka_unit_test(utf8_nfc_bounds_text_without_malloc),
	    cmocka_unit_test(utf8_strip_marks_for_mrz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
