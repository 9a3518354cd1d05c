/* SPDX-License-Identifier: MIT */
/* test_qrscan_payload.c - which parser a decoded QR goes to, and what a failure says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vision/qrscan.h"

static int parse(const char *s, struct qrscan_payload *p, struct cccd_err *e)
{
	return qrscan_payload_parse((const uint8_t *)s, strlen(s), p, e);
}

/* FIELD-NOTES "QR and MRZ": ID12|old ID|name|DOB|Nam/Nữ|address|issue date. */
static void cccd_payload_goes_to_cccdqr(void **state)
{
	static struct qrscan_payload p;

	(void)state;
	assert_int_equal(parse("001200012345||Nguyễn Văn An|01022000|Nam|Số 1, Hà Nội|15032021",
			       &p, NULL),
			 0);
	assert_int_equal(p.kind, QRSCAN_CCCD);
	assert_string_equal(p.u.cccd.id, "001200012345");
	assert_string_equal(qrscan_kind_name(p.kind), "cccd");
	/* with a UTF-8 BOM in front, as some encoders write it */
	assert_int_equal(parse("\xEF\xBB\xBF" "001200012345||An|01022000|Nam||15032021", &p, NULL), 0);
	assert_int_equal(p.kind, QRSCAN_CCCD);
}

/* Negative twin: it opens like a card QR, so the card parser's error is reported. */
static void damaged_cccd_payload_reports_the_field(void **state)
{
	static struct qrscan_payload p;
	struct cccd_err e;

	(void)state;
	assert_int_equal(parse("001200012345||Nguyễn Văn An|31022000|Nam|Số 1|15032021", &p, &e),
			 -CCCD_EFORMAT);
	assert_int_equal(p.kind, QRSCAN_OTHER);
	assert_non_null(strstr(e.msg, "field 4"));
}

static void vietqr_payload_goes_to_vietqr(void **state)
{
	static struct qrscan_payload p;

	(void)state;
	assert_int_equal(parse("00020101021138540010A00000072701240006970436011001234567890208"
			       "QRIBFTTA53037045802VN63046A15",
			       &p, NULL),
			 0);
	assert_int_equal(p.kind, QRSCAN_VIETQR);
	assert_string_equal(p.u.vietqr.bank_bin, "970436");
	assert_string_equal(qrscan_kind_name(p.kind), "vietqr");
}

/* Negative twin: one CRC digit changed. */
static void vietqr_bad_crc_is_a_check_error(void **state)
{
	static struct qrscan_payload p;

	(void)state;
	assert_int_equal(parse("00020101021138540010A00000072701240006970436011001234567890208"
			       "QRIBFTTA53037045802VN63046A16",
			       &p, NULL),
			 -CCCD_ECHECK);
	assert_int_equal(p.kind, QRSCAN_OTHER);
}

static void anything_else_is_other(void **state)
{
	static struct qrscan_payload p;

	(void)state;
	assert_int_equal(parse("https://dichvucong.gov.vn/", &p, NULL), 0);
	assert_int_equal(p.kind, QRSCAN_OTHER);
	assert_string_equal(qrscan_kind_name(p.kind), "other");
	/* 11 digits then '|': not a card ID */
	assert_int_equal(parse("00120001234|x|y", &p, NULL), 0);
	assert_int_equal(p.kind, QRSCAN_OTHER);
	/* 12 digits without the separator */
	assert_int_equal(parse("0012000123456", &p, NULL), 0);
	assert_int_equal(p.kind, QRSCAN_OTHER);
	assert_int_equal(qrscan_payload_parse((const uint8_t *)"", 0, &p, NULL), 0);
	assert_int_equal(p.kind, QRSCAN_OTHER);
	/* "00020" is one byte short of a VietQR opening */
	assert_int_equal(parse("00020", &p, NULL), 0);
	assert_int_equal(p.kind, QRSCAN_OTHER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cccd_payload_goes_to_cccdqr),
		cmocka_unit_test(damaged_cccd_payload_reports_the_field),
		cmocka_unit_test(vietqr_payload_goes_to_vietqr),
		cmocka_unit_test(vietqr_bad_crc_is_a_check_error),
		cmocka_unit_test(anything_else_is_other),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
