/* SPDX-License-Identifier: MIT */
/* test_xcheck.c - cross-checks (daemon/verify/xcheck.c): the virtual chip's DG1 and DG13 (an.ini)
 * against its QR and printed MRZ, each field changed once (negative twins), sources absent, name
 * folding (diacritics, Đ, spacing, case) and ICAO 9303-3 §4.6 truncation of a full name field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "doc/cccdqr.h"
#include "doc/dg13.h"
#include "doc/mrz.h"
#include "doc/tlv.h"
#include "sim_session.h"
#include "verify/xcheck.h"

static const struct cccd_date today = {2026, 11, 28};

/* Source: tests/fixtures/cards/an.ini through the virtual chip (docs/virtual-chip.md). PII:
 * synthetic. */
#define L1 "IDVNM2000123457001200012345<<8\n"
#define L2 "0002015M4002013VNM<<<<<<<<<<<8\n"
#define L3 "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"
static const char qr_an[] = "001200012345||Nguyễn Văn An|01022000|Nam|Số 12 Ngõ 34 Phố Huế, "
			    "Phường Hàng Bài, Quận Hoàn Kiếm, Hà Nội|01032025";

struct chip {
	struct mrz dg1;
	struct dg13 dg13;
};

static void chip_read(struct chip *c)
{
	struct simt *t = simt_open("sim:tests/fixtures/cards/an.ini", &simt_an_key);
	struct tlv v;
	char text[96];
	size_t n = 0;

	assert_int_equal(tlv_expect(t->dg1, t->n1, 0x61, 0, &v, NULL), 0);
	assert_int_equal(tlv_find(v.value, v.len, 0x5F1F, 0, &v, NULL), 0);
	assert_int_equal(v.len, 90);
	for (size_t i = 0; i < 90; i++) {
		if (i && i % 30 == 0)
			text[n++] = '\n';
		text[n++] = (char)v.value[i];
	}
	assert_int_equal(mrz_parse((const uint8_t *)text, n, &today, &c->dg1, NULL), 0);
	assert_int_equal(dg13_parse(t->dg13, t->n13, &c->dg13, NULL), 0);
	simt_close(t);
}

static void parse_mrz(const char *s, struct mrz *m)
{
	struct cccd_err e = {0};

	if (mrz_parse((const uint8_t *)s, strlen(s), &today, m, &e))
		fail_msg("%s", e.msg);
}

static void parse_qr(const char *s, struct cccdqr *q)
{
	assert_int_equal(cccdqr_parse((const uint8_t *)s, strlen(s), q, NULL), 0);
}

static void all_agree(void **state)
{
	struct chip c;
	struct mrz cam;
	struct cccdqr q;
	struct xcheck_result r;

	(void)state;
	chip_read(&c);
	parse_mrz(L1 L2 L3, &cam);
	parse_qr(qr_an, &q);
	xcheck_run(&(struct xcheck_in){&c.dg1, &c.dg13, &q, &cam, false}, &r);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.qr_match, XCHECK_YES);
	assert_int_equal(r.mrz_match, XCHECK_YES);
	assert_true(r.chip_consistent);
	assert_string_equal(xcheck_match_str(r.qr_match), "true");
	/* nothing seen: absent, and the RESULT omits the keys */
	xcheck_run(&(struct xcheck_in){&c.dg1, &c.dg13, NULL, NULL, false}, &r);
	assert_int_equal(r.qr_match, XCHECK_ABSENT);
	assert_int_equal(r.mrz_match, XCHECK_ABSENT);
	assert_null(xcheck_match_str(r.mrz_match));
	/* a QR but no chip data to compare it with */
	xcheck_run(&(struct xcheck_in){NULL, NULL, &q, &cam, false}, &r);
	assert_int_equal(r.qr_match, XCHECK_ABSENT);
	assert_int_equal(r.mrz_match, XCHECK_ABSENT);
}

/* One field changed at a time in the QR: each is caught, with a reason and no value in it. */
static void qr_fields_each_caught(void **state)
{
	static const char *const bad[] = {
	    "001200012346||Nguyễn Văn An|01022000|Nam||01032025", /* ID */
	    "001200012345||Nguyễn Văn Ân|01022000|Nam||01032025", /* name: one mark */
	    "001200012345||Nguyễn Văn An|02022000|Nam||01032025", /* birth */
	};
	static const char *const why[] = {"QR and chip disagree on the ID number",
					  "QR and chip disagree on the full name",
					  "QR and chip disagree on the birth date"};
	struct chip c;
	struct cccdqr q;
	struct xcheck_result r;

	(void)state;
	chip_read(&c);
	for (int i = 0; i < 3; i++) {
		parse_qr(bad[i], &q);
		xcheck_run(&(struct xcheck_in){&c.dg1, &c.dg13, &q, NULL, false}, &r);
		assert_int_equal(r.qr_match, XCHECK_NO);
		assert_int_equal(r.n, 1);
		assert_string_equal(r.reasons[0], why[i]);
	}
	/* extra spaces in the QR name are not a difference */
	parse_qr("001200012345||Nguyễn  Văn An |01022000|Nam||01032025", &q);
	xcheck_run(&(struct xcheck_in){&c.dg1, &c.dg13, &q, NULL, false}, &r);
	assert_int_equal(r.qr_match, XCHECK_YES);
	/* without DG13 the QR name meets DG1's MRZ name folded; a wrong one does not */
	xcheck_run(&(struct xcheck_in){&c.dg1, NULL, &q, NULL, false}, &r);
	assert_int_equal(r.qr_match, XCHECK_YES);
	parse_qr("001200012345||Nguyễn Văn Anh|01022000|Nam||01032025", &q);
	xcheck_run(&(struct xcheck_in){&c.dg1, NULL, &q, NULL, false}, &r);
	assert_int_equal(r.qr_match, XCHECK_NO);
}

/* The camera's MRZ: another card of the same person (other expiry), another name. */
static void mrz_fields_each_caught(void **state)
{
	struct chip c;
	struct mrz cam;
	struct xcheck_result r;

	(void)state;
	chip_read(&c);
	parse_mrz(L1 "0002015M4502018VNM<<<<<<<<<<<8\n" L3, &cam);
	xcheck_run(&(struct xcheck_in){&c.dg1, &c.dg13, NULL, &cam, false}, &r);
	assert_int_equal(r.mrz_match, XCHECK_NO);
	assert_int_equal(r.n, 2); /* DG1 and DG13 expiry */
	assert_string_equal(r.reasons[0], "MRZ and chip DG1 disagree on the expiry date");
	parse_mrz(L1 L2 "NGUYEN<<VAN<ANH<<<<<<<<<<<<<<<", &cam);
	xcheck_run(&(struct xcheck_in){&c.dg1, &c.dg13, NULL, &cam, false}, &r);
	assert_int_equal(r.mrz_match, XCHECK_NO);
	assert_string_equal(r.reasons[0], "MRZ and chip DG1 disagree on the name");
	/* only DG13 on the chip side: the name is folded and compared */
	xcheck_run(&(struct xcheck_in){NULL, &c.dg13, NULL, &cam, false}, &r);
	assert_string_equal(r.reasons[r.n - 1], "MRZ name and chip DG13 name disagree");
	parse_mrz(L1 L2 L3, &cam);
	xcheck_run(&(struct xcheck_in){NULL, &c.dg13, NULL, &cam, false}, &r);
	assert_int_equal(r.mrz_match, XCHECK_YES);
}

/* A camera's MRZ (mrz_ocr): another name line and sex, which no check digit covers (ICAO 9303-5),
 * are not held against the card; another expiry still is. The same MRZ typed is caught. */
static void mrz_ocr_compares_check_digit_fields(void **state)
{
	struct chip c;
	struct mrz cam;
	struct xcheck_result r;

	(void)state;
	chip_read(&c);
	parse_mrz(L1 L2 "NGUYEN<<VAN<RN<<<<<<<<<<<<<<<<", &cam); /* A read as R */
	cam.sex = 'F';
	xcheck_run(&(struct xcheck_in){&c.dg1, &c.dg13, NULL, &cam, true}, &r);
	assert_int_equal(r.mrz_match, XCHECK_YES);
	assert_int_equal(r.n, 0);
	xcheck_run(&(struct xcheck_in){&c.dg1, &c.dg13, NULL, &cam, false}, &r);
	assert_int_equal(r.mrz_match, XCHECK_NO);
	assert_int_equal(r.n, 2);
	parse_mrz(L1 "0002015M4502018VNM<<<<<<<<<<<8\n" L3, &cam);
	xcheck_run(&(struct xcheck_in){&c.dg1, &c.dg13, NULL, &cam, true}, &r);
	assert_int_equal(r.mrz_match, XCHECK_NO);
	assert_string_equal(r.reasons[0], "MRZ and chip DG1 disagree on the expiry date");
}

/* DG1 and DG13 of one chip disagree (a forged DG13 that kept DG1): chip_consistent false. */
static void chip_dg1_vs_dg13(void **state)
{
	struct chip c;
	struct xcheck_result r;

	(void)state;
	chip_read(&c);
	snprintf(c.dg13.full_name, sizeof(c.dg13.full_name), "Trần Văn An");
	c.dg13.birth_date.d = 2;
	xcheck_run(&(struct xcheck_in){&c.dg1, &c.dg13, NULL, NULL, false}, &r);
	assert_false(r.chip_consistent);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.reasons[0], "chip: DG1 and DG13 disagree on the birth date");
	assert_string_equal(r.reasons[1], "chip: DG13 name does not fold to DG1's MRZ name");
}

/* The fields checks.c used to compare on its own (sex, old ID, issue date), each changed once;
 * and a count that goes on past the reasons' room, so a match is never reported from a full
 * reasons array. */
static void sex_old_id_issue_and_many_failures(void **state)
{
	struct chip c;
	struct mrz cam;
	struct cccdqr q;
	struct xcheck_result r;

	(void)state;
	chip_read(&c);
	parse_qr(qr_an, &q);
	q.sex = 'F';
	xcheck_run(&(struct xcheck_in){&c.dg1, &c.dg13, &q, NULL, false}, &r);
	assert_int_equal(r.qr_match, XCHECK_NO);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.reasons[0], "QR and chip disagree on the sex");
	parse_qr(qr_an, &q);
	q.issue_date.d = 2;
	xcheck_run(&(struct xcheck_in){&c.dg1, &c.dg13, &q, NULL, false}, &r);
	assert_string_equal(r.reasons[0], "QR and chip disagree on the issue date");
	parse_qr(qr_an, &q);
	snprintf(q.old_id, sizeof(q.old_id), "123456789");
	xcheck_run(&(struct xcheck_in){&c.dg1, &c.dg13, &q, NULL, false}, &r);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.reasons[0], "QR and chip disagree on the old ID number");
	parse_mrz(L1 L2 L3, &cam);
	cam.sex = 'F';
	xcheck_run(&(struct xcheck_in){&c.dg1, &c.dg13, NULL, &cam, false}, &r);
	assert_int_equal(r.mrz_match, XCHECK_NO);
	assert_string_equal(r.reasons[0], "MRZ and chip DG1 disagree on the sex");
	snprintf(c.dg13.sex, sizeof(c.dg13.sex), "Nữ");
	xcheck_run(&(struct xcheck_in){&c.dg1, &c.dg13, NULL, NULL, false}, &r);
	assert_false(r.chip_consistent);
	assert_string_equal(r.reasons[0], "chip: DG1 and DG13 disagree on the sex");
	/* everything differs: the chip's own pair fills the reasons, the QR and MRZ still fail */
	chip_read(&c);
	snprintf(c.dg13.id, sizeof(c.dg13.id), "001200099999");
	snprintf(c.dg13.full_name, sizeof(c.dg13.full_name), "Trần Văn Bình");
	snprintf(c.dg13.sex, sizeof(c.dg13.sex), "Nữ");
	c.dg13.birth_date.d = 2;
	parse_qr(qr_an, &q);
	parse_mrz(L1 L2 L3, &cam);
	q.issue_date.d = 2;
	q.sex = 'X';
	cam.sex = 'F';
	cam.expiry.y = 2041;
	xcheck_run(&(struct xcheck_in){&c.dg1, &c.dg13, &q, &cam, false}, &r);
	assert_true(r.n > XCHECK_REASONS_MAX);
	assert_int_equal(r.qr_match, XCHECK_NO);
	assert_int_equal(r.mrz_match, XCHECK_NO);
}

static void folding(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(xcheck_fold_name("  Đặng   thị-Ánh  Tuyết ", out, sizeof(out), NULL), 0);
	assert_string_equal(out, "DANG THI ANH TUYET");
	assert_int_equal(xcheck_fold_name("Nguyễn Văn An", out, 8, NULL), -CCCD_ENOSPC);
	assert_int_equal(xcheck_fold_name("\xff", out, sizeof(out), NULL), -CCCD_EFORMAT);
}

/* ICAO 9303-3 §4.6: a full name field may be truncated; prefixes per part then match. */
static void truncated_mrz_names(void **state)
{
	struct mrz m;

	(void)state;
	parse_mrz(L1 L2 "NGUYEN<<THI<THANH<THUONG<NGUYE", &m); /* 30: full */
	assert_true(xcheck_name_matches_mrz("Nguyễn Thị Thanh Thương Nguyệt", &m));
	assert_true(xcheck_name_matches_mrz("Nguyễn Thị Thanh Thương Nguyệt Anh", &m));
	assert_false(xcheck_name_matches_mrz("Nguyễn Thị Thanh Hoa Nguyệt", &m));
	assert_false(xcheck_name_matches_mrz("Nguyễn Thị Thanh Thương", &m));
	/* negative twin: with filler left the field is not truncated, so exact parts only */
	parse_mrz(L1 L2 "NGUYEN<<THI<THANH<THUONG<<<<<<", &m);
	assert_true(xcheck_name_matches_mrz("Nguyễn Thị Thanh Thương", &m));
	assert_false(xcheck_name_matches_mrz("Nguyễn Thị Thanh Thương Nguyệt", &m));
	assert_false(xcheck_name_matches_mrz("Nguyễn Thị Thanh Thươngg", &m));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(all_agree),
	    cmocka_unit_test(qr_fields_each_caught),
	    cmocka_unit_test(mrz_fields_each_caught),
	    cmocka_unit_test(mrz_ocr_compares_check_digit_fields),
	    cmocka_unit_test(chip_dg1_vs_dg13),
	    cmocka_unit_test(sex_old_id_issue_and_many_failures),
	    cmocka_unit_test(folding),
	    cmocka_unit_test(truncated_mrz_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
