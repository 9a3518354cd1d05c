/* SPDX-License-Identifier: MIT */
/*
 * test_cccdqr_keys.c - access keys and expiry candidates from a card QR (daemon/doc/cccdqr_keys.c).
 * Rule: Law on Citizen Identification 2014 art. 21, Law on Identification 2023 art. 21(1): renew
 * at 14, 25, 40, 60; issued from age M-2 (inclusive) to M runs to the next age; from 58, none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "doc/cccdqr_keys.h"

static struct cccdqr make_qr(const char *id, int by, int bm, int bd, int iy, int im, int id_)
{
	struct cccdqr qr;

	memset(&qr, 0, sizeof(qr));
	snprintf(qr.id, sizeof(qr.id), "%s", id);
	qr.birth_date = (struct cccd_date){(int16_t)by, (int8_t)bm, (int8_t)bd};
	qr.issue_date = (struct cccd_date){(int16_t)iy, (int8_t)im, (int8_t)id_};
	qr.sex = 'M';
	return qr;
}

/* Keys for a person born by-bm-bd, card issued iy-im-id_; fails the test on error. */
static struct cccdqr_access keys_for(int by, int bm, int bd, int iy, int im, int id_)
{
	struct cccdqr qr = make_qr("001200012345", by, bm, bd, iy, im, id_);
	struct cccdqr_access a;
	struct cccd_err e = {0};

	if (cccdqr_keys(&qr, &a, &e))
		fail_msg("cccdqr_keys: %s", e.msg);
	return a;
}

/* Candidate k is the date YYMMDD for the reason why. */
static void expect_cand(const struct cccdqr_access *a, size_t k, const char *yymmdd,
			enum cccdqr_cand_why why)
{
	assert_true(k < a->n);
	assert_string_equal(a->cand[k].yymmdd, yymmdd);
	assert_int_equal(a->cand[k].why, why);
}

/* Worked example of cccdqr_keys.c: born 01/02/2000, issued 15/03/2021 (age 21) -> 2025-02-01. */
static void worked_example(void **state)
{
	struct cccdqr_access a = keys_for(2000, 2, 1, 2021, 3, 15);

	(void)state;
	assert_string_equal(a.doc_number, "200012345");
	assert_string_equal(a.can, "012345");
	assert_string_equal(a.birth_yymmdd, "000201");
	assert_int_equal(a.renew_age, 25);
	assert_int_equal(a.n, 2);
	expect_cand(&a, 0, "250201", CCCDQR_WHY_RULE);
	assert_true(a.cand[0].has_date);
	assert_int_equal(a.cand[0].date.y, 2025);
	assert_int_equal(a.cand[0].date.m, 2);
	assert_int_equal(a.cand[0].date.d, 1);
	/* 200012345: 2*7+0+0+0+1*3+2*1+3*7+4*3+5*1 = 57 -> 7; 000201: 15 -> 5; 250201: 44 -> 4 */
	assert_string_equal(a.cand[0].bac_seed, "200012345700020152502014");
	expect_cand(&a, 1, "250131", CCCDQR_WHY_DAY_BEFORE);
	/* 250131: 14+15+0+7+9+1 = 46 -> 6 */
	assert_string_equal(a.cand[1].bac_seed, "200012345700020152501316");
}

/* Negative twin: the same person, a QR that cannot give keys. */
static void worked_example_negative_twins(void **state)
{
	struct cccdqr qr = make_qr("001200012345", 2000, 2, 1, 1999, 3, 15);
	struct cccdqr_access a;
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(cccdqr_keys(&qr, &a, &e), -CCCD_ERANGE);
	assert_string_equal(e.msg, "issue date before birth date");
	assert_int_equal(a.n, 0);
	qr = make_qr("00120001234", 2000, 2, 1, 2021, 3, 15);
	assert_int_equal(cccdqr_keys(&qr, &a, &e), -CCCD_EINVAL);
	qr = make_qr("0012000123a5", 2000, 2, 1, 2021, 3, 15);
	assert_int_equal(cccdqr_keys(&qr, &a, &e), -CCCD_EINVAL);
	qr = make_qr("001200012345", 2000, 2, 30, 2021, 3, 15);
	assert_int_equal(cccdqr_keys(&qr, &a, &e), -CCCD_EINVAL);
	qr = make_qr("001200012345", 9990, 1, 1, 9995, 1, 1); /* age 25 would be year 10015 */
	assert_int_equal(cccdqr_keys(&qr, &a, &e), -CCCD_ERANGE);
	assert_non_null(strstr(e.msg, "past year 9999"));
	/* in the window of 25 the card runs to 40: that year (10000) is checked too */
	qr = make_qr("001200012345", 9960, 1, 1, 9983, 1, 2);
	assert_int_equal(cccdqr_keys(&qr, &a, &e), -CCCD_ERANGE);
	assert_non_null(strstr(e.msg, "renewal at 40 is past year 9999"));
	assert_int_equal(cccdqr_keys(NULL, &a, &e), -CCCD_EINVAL);
}

static void each_renewal_age(void **state)
{
	(void)state;
	struct cccdqr_access a = keys_for(2014, 3, 3, 2024, 8, 1); /* 10: 2024 card */
	assert_int_equal(a.renew_age, 14);
	expect_cand(&a, 0, "280303", CCCDQR_WHY_RULE);
	a = keys_for(1990, 6, 15, 2006, 1, 1); /* 15 */
	expect_cand(&a, 0, "150615", CCCDQR_WHY_RULE);
	a = keys_for(1990, 6, 15, 2021, 5, 5); /* 30 */
	assert_int_equal(a.renew_age, 40);
	expect_cand(&a, 0, "300615", CCCDQR_WHY_RULE);
	a = keys_for(1970, 6, 15, 2021, 5, 5); /* 50 */
	assert_int_equal(a.renew_age, 60);
	expect_cand(&a, 0, "300615", CCCDQR_WHY_RULE);
	assert_int_equal(a.n, 2);
	/* renewed on the birthday itself: the old card ends that day, the new runs to 40 */
	a = keys_for(1990, 6, 15, 2015, 6, 15);
	assert_int_equal(a.renew_age, 40);
	expect_cand(&a, 0, "300615", CCCDQR_WHY_RULE);
	assert_int_equal(a.n, 2);
}

/* Window of 25: from the 23rd birthday (inclusive) the card runs to 40. */
static void two_year_window_of_25(void **state)
{
	(void)state;
	/* exactly 2 years before: on the boundary, both readings */
	struct cccdqr_access a = keys_for(2001, 1, 1, 2024, 1, 1);
	assert_int_equal(a.renew_age, 40);
	assert_int_equal(a.n, 4);
	expect_cand(&a, 0, "410101", CCCDQR_WHY_RULE);
	expect_cand(&a, 1, "260101", CCCDQR_WHY_BOUNDARY);
	expect_cand(&a, 2, "401231", CCCDQR_WHY_DAY_BEFORE);
	expect_cand(&a, 3, "251231", CCCDQR_WHY_DAY_BEFORE);
	/* one day inside the window: 40 only */
	a = keys_for(2001, 1, 1, 2024, 1, 2);
	assert_int_equal(a.n, 2);
	expect_cand(&a, 0, "410101", CCCDQR_WHY_RULE);
	/* one day outside (before) the window: 25 only */
	a = keys_for(2001, 1, 1, 2023, 12, 31);
	assert_int_equal(a.renew_age, 25);
	assert_int_equal(a.n, 2);
	expect_cand(&a, 0, "260101", CCCDQR_WHY_RULE);
	/* last day of the window: 40 */
	a = keys_for(2001, 1, 1, 2025, 12, 31);
	expect_cand(&a, 0, "410101", CCCDQR_WHY_RULE);
}

static void two_year_window_of_40_and_14(void **state)
{
	(void)state;
	struct cccdqr_access a = keys_for(1986, 7, 20, 2024, 7, 20); /* exactly 38 */
	assert_int_equal(a.renew_age, 60);
	expect_cand(&a, 0, "460720", CCCDQR_WHY_RULE);
	expect_cand(&a, 1, "260720", CCCDQR_WHY_BOUNDARY);
	a = keys_for(1986, 7, 20, 2024, 7, 19); /* a day before 38 */
	assert_int_equal(a.renew_age, 40);
	assert_int_equal(a.n, 2);
	a = keys_for(2012, 5, 5, 2024, 5, 5); /* exactly 12: to 25, or 14 */
	assert_int_equal(a.renew_age, 25);
	expect_cand(&a, 0, "370505", CCCDQR_WHY_RULE);
	expect_cand(&a, 1, "260505", CCCDQR_WHY_BOUNDARY);
}

/* From 58 on no expiry; the MRZ guesses come after any computed date. */
static void issued_at_57_and_58(void **state)
{
	(void)state;
	struct cccdqr_access a = keys_for(1967, 10, 10, 2025, 10, 9); /* 57, last day */
	assert_int_equal(a.renew_age, 60);
	assert_int_equal(a.n, 2);
	expect_cand(&a, 0, "271010", CCCDQR_WHY_RULE);
	a = keys_for(1967, 10, 10, 2024, 12, 1); /* 57 */
	assert_int_equal(a.renew_age, 60);
	/* exactly 58: boundary, the 60th birthday first, then the no-expiry guesses */
	a = keys_for(1967, 10, 10, 2025, 10, 10);
	assert_int_equal(a.renew_age, 0);
	assert_int_equal(a.n, 4);
	expect_cand(&a, 0, "271010", CCCDQR_WHY_BOUNDARY);
	expect_cand(&a, 1, "271009", CCCDQR_WHY_DAY_BEFORE);
	expect_cand(&a, 2, "<<<<<<", CCCDQR_WHY_NO_EXPIRY);
	assert_false(a.cand[2].has_date);
	expect_cand(&a, 3, "991231", CCCDQR_WHY_NO_EXPIRY);
	assert_true(a.cand[3].has_date);
	assert_int_equal(a.cand[3].date.y, 2099);
	/* 58 and a day, 59, 75: only the guesses */
	a = keys_for(1967, 10, 10, 2025, 10, 11);
	assert_int_equal(a.n, 2);
	expect_cand(&a, 0, "<<<<<<", CCCDQR_WHY_NO_EXPIRY);
	/* '<' counts 0: 2000123457 + birth 671010 (42+21+1+0+3+0 = 67 -> 7) + <<<<<< 0 */
	assert_string_equal(a.cand[0].bac_seed, "2000123457671010"
						"7"
						"<<<<<<0");
	a = keys_for(1950, 1, 1, 2025, 1, 1);
	assert_int_equal(a.renew_age, 0);
	assert_int_equal(a.n, 2);
	/* issued after 2099-12-31: 991231 cannot be its expiry */
	a = keys_for(2040, 1, 1, 2100, 1, 1);
	assert_int_equal(a.n, 1);
	expect_cand(&a, 0, "<<<<<<", CCCDQR_WHY_NO_EXPIRY);
}

/* 29 February: 28 February in common years (first), 1 March as the variant. */
static void born_29_february(void **state)
{
	(void)state;
	struct cccdqr_access a = keys_for(2000, 2, 29, 2015, 6, 1); /* to 25: 2025 is common */
	assert_int_equal(a.n, 3);
	expect_cand(&a, 0, "250228", CCCDQR_WHY_RULE);
	expect_cand(&a, 1, "250227", CCCDQR_WHY_DAY_BEFORE);
	expect_cand(&a, 2, "250301", CCCDQR_WHY_LEAP);
	a = keys_for(1996, 2, 29, 2020, 6, 1); /* age 24, to 40: 2036 is leap */
	assert_int_equal(a.n, 2);
	expect_cand(&a, 0, "360229", CCCDQR_WHY_RULE);
	expect_cand(&a, 1, "360228", CCCDQR_WHY_DAY_BEFORE);
	/* the window of 25 opens on 28 Feb 2023 or 1 Mar 2023: both are boundary days */
	a = keys_for(2000, 2, 29, 2023, 2, 28);
	expect_cand(&a, 0, "400229", CCCDQR_WHY_RULE);
	expect_cand(&a, 1, "250228", CCCDQR_WHY_BOUNDARY);
	expect_cand(&a, 4, "250301", CCCDQR_WHY_LEAP);
	assert_int_equal(a.n, 5);
	a = keys_for(2000, 2, 29, 2023, 3, 1);
	expect_cand(&a, 1, "250228", CCCDQR_WHY_BOUNDARY);
	a = keys_for(2000, 2, 29, 2023, 2, 27);
	assert_int_equal(a.renew_age, 25);
	expect_cand(&a, 0, "250228", CCCDQR_WHY_RULE);
}

/* A computed date equal to a guess appears once. */
static void repeats_are_dropped(void **state)
{
	(void)state;
	struct cccdqr_access a = keys_for(2039, 12, 31, 2097, 12, 31); /* 58: boundary, 60 = 2099 */
	assert_int_equal(a.n, 3);
	expect_cand(&a, 0, "991231", CCCDQR_WHY_BOUNDARY);
	expect_cand(&a, 1, "991230", CCCDQR_WHY_DAY_BEFORE);
	expect_cand(&a, 2, "<<<<<<", CCCDQR_WHY_NO_EXPIRY);
}

/* ICAO 9303-11 Appendix D.2: birth 690806 carries check digit 1 ("...690806 1 940623 6"). */
static void icao_birth_check_digit(void **state)
{
	(void)state;
	struct cccdqr_access a = keys_for(1969, 8, 6, 2010, 1, 1);
	assert_memory_equal(a.cand[0].bac_seed + 10, "6908061", 7);
	/* negative twin: a day later, 690807 -> 42+27+0+56+0+7 = 132 -> 2 */
	a = keys_for(1969, 8, 7, 2010, 1, 1);
	assert_memory_equal(a.cand[0].bac_seed + 10, "6908072", 7);
}

/* Keys straight from a parsed QR payload. */
static void from_parsed_payload(void **state)
{
	const char *s = "001200012345||Nguyễn Văn An|01022000|Nam|Số 1, Hà Nội|15032021";
	struct cccdqr qr;
	struct cccdqr_access a;

	(void)state;
	assert_int_equal(cccdqr_parse((const uint8_t *)s, strlen(s), &qr, NULL), 0);
	assert_int_equal(cccdqr_keys(&qr, &a, NULL), 0);
	assert_string_equal(a.cand[0].bac_seed, "200012345700020152502014");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(worked_example),
	    cmocka_unit_test(worked_example_negative_twins),
	    cmocka_unit_test(each_renewal_age),
	    cmocka_unit_test(two_year_window_of_25),
	    cmocka_unit_test(two_year_window_of_40_and_14),
	    cmocka_unit_test(issued_at_57_and_58),
	    cmocka_unit_test(born_29_february),
	    cmocka_unit_test(repeats_are_dropped),
	    cmocka_unit_test(icao_birth_check_digit),
	    cmocka_unit_test(from_parsed_payload),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
