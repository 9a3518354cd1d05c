/* SPDX-License-Identifier: MIT */
/* test_cccdqr.c - the CCCD card QR parser (daemon/doc/cccdqr.c); format: docs/formats/cccd-qr.md.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <utf8proc.h>

#include "doc/cccdqr.h"

/* The documented example (docs/formats/cccd-qr.md); fields start at 0, 13, 14, 31, 40, 44, 62. */
#define GOOD "001200012345||Nguyễn Văn An|01022000|Nam|Số 1, Hà Nội|15032021"

static int parse_str(const char *s, struct cccdqr *qr, struct cccd_err *e)
{
	return cccdqr_parse((const uint8_t *)s, strlen(s), qr, e);
}

/* Expect -CCCD_EFORMAT whose message contains want. */
static void expect_reject(const char *s, size_t len, const char *want)
{
	struct cccdqr qr;
	struct cccd_err e = {0};
	static const struct cccdqr zero;

	assert_int_equal(cccdqr_parse((const uint8_t *)s, len, &qr, &e), -CCCD_EFORMAT);
	if (!strstr(e.msg, want))
		fail_msg("message \"%s\" lacks \"%s\"", e.msg, want);
	assert_string_equal(e.where, "cccdqr");
	assert_memory_equal(&qr, &zero, sizeof(qr)); /* nothing half-filled is left behind */
}

static void reject(const char *s, const char *want)
{
	expect_reject(s, strlen(s), want);
}

static void parses_documented_example(void **state)
{
	struct cccdqr qr;
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(parse_str(GOOD, &qr, &e), 0);
	assert_string_equal(qr.id, "001200012345");
	assert_string_equal(qr.old_id, "");
	assert_string_equal(qr.full_name, "Nguyễn Văn An");
	assert_int_equal(qr.birth_date.y, 2000);
	assert_int_equal(qr.birth_date.m, 2);
	assert_int_equal(qr.birth_date.d, 1);
	assert_int_equal(qr.sex, 'M');
	assert_string_equal(qr.address, "Số 1, Hà Nội");
	assert_int_equal(qr.issue_date.y, 2021);
	assert_int_equal(qr.issue_date.m, 3);
	assert_int_equal(qr.issue_date.d, 15);
	assert_true(qr.id_consistent); /* 001 2 00 012345: male, 2000s, year 00 */
	assert_int_equal(qr.n_extra, 0);
}

static void parses_old_id_and_female(void **state)
{
	struct cccdqr qr;

	(void)state;
	assert_int_equal(parse_str("079193012345|025123456|Trần Thị Ngọc Ánh|12071993|Nữ|"
				   "12 Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh|20042021",
				   &qr, NULL),
			 0);
	assert_string_equal(qr.old_id, "025123456");
	assert_int_equal(qr.sex, 'F');
	assert_true(qr.id_consistent); /* 079 1 93: female, 1900s, year 93 */
}

/* Every Vietnamese mark: breve, circumflex, horn, stroke, and the five tones. */
static void keeps_every_diacritic_in_names(void **state)
{
	const char *name = "Đặng Nguyễn Hoàng Mỹ Ước Thủy Ân Ơn Ẩn Ẵn";
	char buf[256];
	struct cccdqr qr;

	(void)state;
	snprintf(buf, sizeof(buf), "001200012345||%s|01022000|Nam|Hà Nội|15032021", name);
	assert_int_equal(parse_str(buf, &qr, NULL), 0);
	assert_string_equal(qr.full_name, name);
}

/* All 12 vowels x 6 tones, both cases, and đ/Đ: 146 letters, decomposed on input, NFC out. */
static void composes_every_vowel_from_nfd(void **state)
{
	const char *nfc = "aáàảãạ ăắằẳẵặ âấầẩẫậ eéèẻẽẹ êếềểễệ iíìỉĩị oóòỏõọ ôốồổỗộ ơớờởỡợ "
			  "uúùủũụ ưứừửữự yýỳỷỹỵ AÁÀẢÃẠ ĂẮẰẲẴẶ ÂẤẦẨẪẬ EÉÈẺẼẸ ÊẾỀỂỄỆ IÍÌỈĨỊ "
			  "OÓÒỎÕỌ ÔỐỒỔỖỘ ƠỚỜỞỠỢ UÚÙỦŨỤ ƯỨỪỬỮỰ YÝỲỶỸỴ đĐ";
	char *nfd = (char *)utf8proc_NFD((const utf8proc_uint8_t *)nfc);
	char buf[1024];
	struct cccdqr qr;
	struct cccd_err e = {0};

	(void)state;
	assert_non_null(nfd);
	assert_true(strlen(nfd) > strlen(nfc)); /* really decomposed: 556 vs 394 bytes */
	snprintf(buf, sizeof(buf), "001200012345||An|01022000|Nam|%s|15032021", nfd);
	free(nfd);
	assert_int_equal(parse_str(buf, &qr, &e), 0);
	assert_string_equal(qr.address, nfc);
}

static void accepts_nfd_name_and_sex(void **state)
{
	/* "Nguyễn Thị Nữ" with e + U+0302 + U+0303 and u + U+031B + U+0303; sex "Nữ" decomposed */
	const char *s = "001300012345||Nguye\xCC\x82\xCC\x83n Thi\xCC\xA3 Nu\xCC\x9B\xCC\x83|"
			"01022000|Nu\xCC\x9B\xCC\x83|Hà Nội|15032021";
	struct cccdqr qr;

	(void)state;
	assert_int_equal(parse_str(s, &qr, NULL), 0);
	assert_string_equal(qr.full_name, "Nguyễn Thị Nữ");
	assert_int_equal(qr.sex, 'F');
	assert_true(qr.id_consistent);
}

static void keeps_2024_extra_fields(void **state)
{
	struct cccdqr qr;

	(void)state;
	assert_int_equal(parse_str(GOOD "||", &qr, NULL), 0);
	assert_int_equal(qr.n_extra, 2);
	assert_string_equal(qr.extra[0], "");
	assert_string_equal(qr.extra[1], "");
	assert_string_equal(qr.address, "Số 1, Hà Nội");
	assert_int_equal(parse_str(GOOD "|01022040|Bộ Công an", &qr, NULL), 0);
	assert_int_equal(qr.n_extra, 2);
	assert_string_equal(qr.extra[0], "01022040");
	assert_string_equal(qr.extra[1], "Bộ Công an");
	/* 8 extras (15 fields) is the most kept; 16 fields is not a card */
	assert_int_equal(parse_str(GOOD "||||||||", &qr, NULL), 0);
	assert_int_equal(qr.n_extra, CCCDQR_EXTRA_MAX);
	reject(GOOD "|||||||||", "byte 78: more than 15 fields");
}

static void keeps_long_address(void **state)
{
	char addr[CCCDQR_ADDR_MAX], buf[1024];
	struct cccdqr qr;
	size_t n = 0;

	(void)state;
	/* "Thôn Đông, " is 13 bytes: repeat to exactly 511 bytes, the most that fits */
	while (n + 13 <= 500)
		n += (size_t)snprintf(addr + n, sizeof(addr) - n, "Thôn Đông, ");
	memset(addr + n, 'x', 511 - n);
	addr[511] = '\0';
	snprintf(buf, sizeof(buf), "001200012345||An|01022000|Nam|%s|15032021", addr);
	assert_int_equal(parse_str(buf, &qr, NULL), 0);
	assert_int_equal(strlen(qr.address), 511);
	assert_string_equal(qr.address, addr);
	/* one byte more is refused, naming the field */
	snprintf(buf, sizeof(buf), "001200012345||An|01022000|Nam|%sx|15032021", addr);
	expect_reject(buf, strlen(buf), "field 6 (address) at byte 30: longer than 511 bytes");
}

static void tolerates_bom_and_one_line_end(void **state)
{
	struct cccdqr qr, ref;

	(void)state;
	assert_int_equal(parse_str(GOOD, &ref, NULL), 0);
	assert_int_equal(parse_str("\xEF\xBB\xBF" GOOD, &qr, NULL), 0);
	assert_memory_equal(&qr, &ref, sizeof(qr));
	assert_int_equal(parse_str(GOOD "\n", &qr, NULL), 0);
	assert_memory_equal(&qr, &ref, sizeof(qr));
	assert_int_equal(parse_str("\xEF\xBB\xBF" GOOD "\r\n", &qr, NULL), 0);
	assert_memory_equal(&qr, &ref, sizeof(qr));
	/* only one line end: a second is data, and a control character */
	reject(GOOD "\n\n", "field 7 (issue date) at byte 70: control");
	reject(GOOD "\r", "field 7 (issue date) at byte 70: control");
	/* offsets stay those of the caller's buffer, BOM included */
	reject("\xEF\xBB\xBF"
	       "00120001234||Nguyễn Văn An|01022000|Nam|Hà Nội|15032021",
	       "field 1 (ID number) at byte 3: expected 12 digits, got 11 bytes");
}

static void flags_inconsistent_id_without_failing(void **state)
{
	struct cccdqr qr;

	(void)state;
	/* sex: digit 2 says male, field says Nữ */
	assert_int_equal(parse_str("001200012345||An|01022000|Nữ|Hà Nội|15032021", &qr, NULL), 0);
	assert_false(qr.id_consistent);
	/* century: digit 0 says 1900s, born 2000 */
	assert_int_equal(parse_str("001000012345||An|01022000|Nam|Hà Nội|15032021", &qr, NULL), 0);
	assert_false(qr.id_consistent);
	/* year digits 01, born 2000 */
	assert_int_equal(parse_str("001201012345||An|01022000|Nam|Hà Nội|15032021", &qr, NULL), 0);
	assert_false(qr.id_consistent);
	/* the same three agreeing */
	assert_int_equal(parse_str("001300012345||An|01022000|Nữ|Hà Nội|15032021", &qr, NULL), 0);
	assert_true(qr.id_consistent);
}

static void rejects_bad_utf8_with_offset(void **state)
{
	(void)state;
	/* "001200012345||Nguy" is 18 bytes; C3 28 is a lead byte without its continuation */
	reject("001200012345||Nguy\xC3\x28n|01022000|Nam|Hà Nội|15032021",
	       "byte 19: invalid UTF-8 continuation 0x28");
	reject("001200012345||An|01022000|Nam|H\xC0\xAF|15032021", "byte 31: invalid code point");
	expect_reject("001200012345||An|01022000|Nam|Hà\0|15032021", 43, "byte 33: NUL");
	reject("001200012345||An|01022000|Nam|H\xE1\xBB", "byte 31: truncated");
}

static void rejects_bad_ids(void **state)
{
	struct cccd_err e = {0};
	struct cccdqr qr;

	(void)state;
	reject("00120001234||An|01022000|Nam|Hà Nội|15032021",
	       "field 1 (ID number) at byte 0: expected 12 digits, got 11 bytes");
	reject("0012000123456||An|01022000|Nam|Hà Nội|15032021", "got 13 bytes");
	reject("00120O012345||An|01022000|Nam|Hà Nội|15032021",
	       "field 1 (ID number) at byte 5: not a digit");
	reject("001200012345|02512345|An|01022000|Nam|Hà Nội|15032021",
	       "field 2 (old ID number) at byte 13: expected 9 digits or nothing");
	reject("001200012345|02512345a|An|01022000|Nam|Hà Nội|15032021",
	       "field 2 (old ID number) at byte 21: not a digit");
	/* the message never carries the number itself */
	assert_int_equal(parse_str("00120001234||An|01022000|Nam|Hà Nội|15032021", &qr, &e),
			 -CCCD_EFORMAT);
	assert_null(strstr(e.msg, "0012000"));
}

static void rejects_bad_dates(void **state)
{
	(void)state;
	reject("001200012345||Nguyễn Văn An|30022000|Nam|Hà Nội|15032021",
	       "field 4 (birth date) at byte 31: ddmmyyyy: no such date 2000-02-30");
	reject("001200012345||Nguyễn Văn An|1/2/2000|Nam|Hà Nội|15032021",
	       "field 4 (birth date) at byte 31: expected 8 digits ddmmyyyy");
	reject("001200012345||Nguyễn Văn An|01022000|Nam|Hà Nội|150320210",
	       "field 7 (issue date) at byte 54: expected 8 digits ddmmyyyy, got 9 bytes");
	reject("001200012345||Nguyễn Văn An|01022000|Nam|Hà Nội|31012000",
	       "field 7 (issue date) at byte 54: before the birth date");
	/* 29 Feb exists in 2000, not in 2001 */
	struct cccdqr qr;
	assert_int_equal(parse_str("001200012345||An|29022000|Nam|Hà Nội|15032021", &qr, NULL), 0);
	reject("001201012345||An|29022001|Nam|Hà Nội|15032021", "no such date");
}

static void rejects_wrong_field_count(void **state)
{
	(void)state;
	reject("001200012345||Nguyễn Văn An|01022000|Nam|Hà Nội", "6 fields, expected 7");
	reject("", "1 field, expected 7");
	reject("\n", "1 field, expected 7");
}

static void rejects_empty_or_bad_name_and_sex(void **state)
{
	(void)state;
	reject("001200012345|||01022000|Nam|Hà Nội|15032021",
	       "field 3 (full name) at byte 14: empty");
	reject("001200012345||   |01022000|Nam|Hà Nội|15032021",
	       "field 3 (full name) at byte 14: empty");
	reject("001200012345||An|01022000|Nu|Hà Nội|15032021",
	       "field 5 (sex) at byte 26: expected \"Nam\" or \"Nữ\"");
	reject("001200012345||An|01022000|nam|Hà Nội|15032021", "field 5 (sex)");
	reject("001200012345||An|01022000||Hà Nội|15032021", "field 5 (sex)");
	reject("001200012345||An|01022000|Nam\tX|Hà Nội|15032021",
	       "field 5 (sex) at byte 29: control character 0x09");
}

static void rejects_overlong_fields(void **state)
{
	char name[CCCDQR_NAME_MAX + 1], buf[2048], extra[CCCDQR_EXTRA_LEN + 1];

	(void)state;
	memset(name, 'A', CCCDQR_NAME_MAX);
	name[CCCDQR_NAME_MAX] = '\0'; /* 256 bytes: one too many */
	snprintf(buf, sizeof(buf), "001200012345||%s|01022000|Nam|Hà Nội|15032021", name);
	expect_reject(buf, strlen(buf), "field 3 (full name) at byte 14: longer than 255 bytes");
	name[CCCDQR_NAME_MAX - 1] = '\0'; /* 255 fits */
	snprintf(buf, sizeof(buf), "001200012345||%s|01022000|Nam|Hà Nội|15032021", name);
	struct cccdqr qr;
	assert_int_equal(parse_str(buf, &qr, NULL), 0);
	/* far too long is refused before normalising */
	char big[1200];
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(buf, sizeof(buf), "001200012345||An|01022000|Nam|Hà Nội|15032021|%s", big);
	expect_reject(buf, strlen(buf), "field 8 (extra) at byte 49: 1199 bytes, at most 127");
	memset(extra, 'e', CCCDQR_EXTRA_LEN - 1);
	extra[CCCDQR_EXTRA_LEN - 1] = '\0';
	snprintf(buf, sizeof(buf), GOOD "|%s", extra);
	assert_int_equal(parse_str(buf, &qr, NULL), 0);
	assert_string_equal(qr.extra[0], extra);
	snprintf(buf, sizeof(buf), "001200012345||%s|01022000|Nam|Hà Nội|15032021", big);
	expect_reject(buf, strlen(buf), "field 3 (full name) at byte 14: 1199 bytes, at most 255");
}

static void rejects_bad_arguments(void **state)
{
	struct cccd_err e = {0};
	struct cccdqr qr;

	(void)state;
	assert_int_equal(cccdqr_parse(NULL, 5, &qr, &e), -CCCD_EINVAL);
	assert_int_equal(cccdqr_parse((const uint8_t *)GOOD, 3, NULL, &e), -CCCD_EINVAL);
	assert_int_equal(cccdqr_parse(NULL, 0, &qr, &e), -CCCD_EFORMAT); /* empty: 1 field */
}

static void id_consistency_covers_every_century_digit(void **state)
{
	struct cccd_date d1900 = {1985, 6, 1}, d2000 = {2010, 6, 1}, d2100 = {2101, 1, 1};

	(void)state;
	assert_true(cccdqr_id_consistent("001085000001", &d1900, 'M'));
	assert_true(cccdqr_id_consistent("001185000001", &d1900, 'F'));
	assert_false(cccdqr_id_consistent("001185000001", &d1900, 'M'));
	assert_true(cccdqr_id_consistent("001210000001", &d2000, 'M'));
	assert_true(cccdqr_id_consistent("001310000001", &d2000, 'F'));
	assert_false(cccdqr_id_consistent("001010000001", &d2000, 'M'));
	assert_true(cccdqr_id_consistent("001401000001", &d2100, 'M'));
	assert_true(cccdqr_id_consistent("001501000001", &d2100, 'F'));
	assert_false(cccdqr_id_consistent("00150100000", &d2100, 'F')); /* 11 digits */
	assert_false(cccdqr_id_consistent("001501x00001", &d2100, 'F'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_documented_example),
	    cmocka_unit_test(parses_old_id_and_female),
	    cmocka_unit_test(keeps_every_diacritic_in_names),
	    cmocka_unit_test(composes_every_vowel_from_nfd),
	    cmocka_unit_test(accepts_nfd_name_and_sex),
	    cmocka_unit_test(keeps_2024_extra_fields),
	    cmocka_unit_test(keeps_long_address),
	    cmocka_unit_test(tolerates_bom_and_one_line_end),
	    cmocka_unit_test(flags_inconsistent_id_without_failing),
	    cmocka_unit_test(rejects_bad_utf8_with_offset),
	    cmocka_unit_test(rejects_bad_ids),
	    cmocka_unit_test(rejects_bad_dates),
	    cmocka_unit_test(rejects_wrong_field_count),
	    cmocka_unit_test(rejects_empty_or_bad_name_and_sex),
	    cmocka_unit_test(rejects_overlong_fields),
	    cmocka_unit_test(rejects_bad_arguments),
	    cmocka_unit_test(id_consistency_covers_every_century_digit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
