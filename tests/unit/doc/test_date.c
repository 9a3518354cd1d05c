/* SPDX-License-Identifier: MIT */
/*
 * test_date.c - daemon/doc/date.c: Gregorian validity (29 Feb, 1900/2000), every parser with its
 * exact length and digit rules, the MRZ century rules (birth: latest not after today; expiry:
 * 20YY, ICAO 9303-3 specimen 120415 -> 2012-04-15), formatting, year arithmetic and ages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "doc/date.h"

static void assert_date(const struct cccd_date *d, int y, int m, int day)
{
	assert_int_equal(d->y, y);
	assert_int_equal(d->m, m);
	assert_int_equal(d->d, day);
}

static void valid_and_days_in_month(void **state)
{
	(void)state;
	assert_true(date_valid(2000, 2, 29));  /* divisible by 400 */
	assert_false(date_valid(1900, 2, 29)); /* by 100, not 400 */
	assert_true(date_valid(2024, 2, 29));
	assert_false(date_valid(2026, 2, 29));
	assert_true(date_valid(1, 1, 1));
	assert_true(date_valid(9999, 12, 31));
	assert_false(date_valid(0, 1, 1));
	assert_false(date_valid(10000, 1, 1));
	assert_false(date_valid(2026, 0, 1));
	assert_false(date_valid(2026, 13, 1));
	assert_false(date_valid(2026, 4, 31));
	assert_false(date_valid(2026, 1, 0));
	assert_int_equal(date_days_in_month(2026, 1), 31);
	assert_int_equal(date_days_in_month(2026, 2), 28);
	assert_int_equal(date_days_in_month(2028, 2), 29);
	assert_int_equal(date_days_in_month(2100, 2), 28);
	assert_int_equal(date_days_in_month(2026, 11), 30);
	assert_int_equal(date_days_in_month(2026, 0), 0);
	assert_int_equal(date_days_in_month(2026, 13), 0);
}

static void compare(void **state)
{
	struct cccd_date a = {2026, 11, 28}, b = {2026, 11, 29}, c = {2025, 12, 31};
	struct cccd_date d = {2026, 10, 30};

	(void)state;
	assert_int_equal(date_cmp(&a, &a), 0);
	assert_true(date_cmp(&a, &b) < 0);
	assert_true(date_cmp(&b, &a) > 0);
	assert_true(date_cmp(&c, &a) < 0);
	assert_true(date_cmp(&d, &a) < 0);
}

static void parse_ddmmyyyy(void **state)
{
	struct cccd_date d;
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(date_parse_ddmmyyyy("01022000", 8, &d, &e), 0);
	assert_date(&d, 2000, 2, 1);
	assert_int_equal(date_parse_ddmmyyyy("29022024", 8, &d, &e), 0);
	assert_date(&d, 2024, 2, 29);
	assert_int_equal(date_parse_ddmmyyyy("29022026", 8, &d, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "ddmmyyyy: no such date 2026-02-29");
	assert_int_equal(date_parse_ddmmyyyy("0102200", 7, &d, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "expected 8 digits ddmmyyyy, got 7 bytes");
	assert_int_equal(date_parse_ddmmyyyy("010220001", 9, &d, &e), -CCCD_EFORMAT);
	assert_int_equal(date_parse_ddmmyyyy("01a22000", 8, &d, &e), -CCCD_EFORMAT);
	assert_int_equal(date_parse_ddmmyyyy("00012000", 8, &d, &e), -CCCD_EFORMAT);
	assert_int_equal(date_parse_ddmmyyyy("01010000", 8, &d, &e), -CCCD_EFORMAT);
	/* only len bytes are read: the 9th character is ignored */
	assert_int_equal(date_parse_ddmmyyyy("31122025X", 8, &d, NULL), 0);
	assert_date(&d, 2025, 12, 31);
}

static void parse_dmy_slash(void **state)
{
	struct cccd_date d;
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(date_parse_dmy_slash("01/02/2000", 10, &d, &e), 0);
	assert_date(&d, 2000, 2, 1);
	assert_int_equal(date_parse_dmy_slash("31/04/2000", 10, &d, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "dd/mm/yyyy: no such date 2000-04-31");
	assert_int_equal(date_parse_dmy_slash("01-02-2000", 10, &d, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "expected dd/mm/yyyy (10 bytes)");
	assert_int_equal(date_parse_dmy_slash("1/02/2000", 9, &d, &e), -CCCD_EFORMAT);
	assert_int_equal(date_parse_dmy_slash("01/02/20x0", 10, &d, &e), -CCCD_EFORMAT);
}

static void parse_iso(void **state)
{
	struct cccd_date d;
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(date_parse_iso("1974-08-12", 10, &d, &e), 0);
	assert_date(&d, 1974, 8, 12);
	assert_int_equal(date_parse_iso("1900-02-29", 10, &d, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "YYYY-MM-DD: no such date 1900-02-29");
	assert_int_equal(date_parse_iso("1974/08/12", 10, &d, &e), -CCCD_EFORMAT);
	assert_int_equal(date_parse_iso("1974-8-12", 9, &d, &e), -CCCD_EFORMAT);
	assert_int_equal(date_parse_iso("-974-08-12", 10, &d, &e), -CCCD_EFORMAT);
}

/* Birth: the latest date with those YYMMDD that is not after today. */
static void yymmdd_birth_century(void **state)
{
	static const struct {
		const char *s;
		struct cccd_date today;
		int y;
	} v[] = {
	    {"740812", {2026, 11, 28}, 1974}, /* ICAO specimen */
	    {"261128", {2026, 11, 28}, 2026}, /* born today */
	    {"261129", {2026, 11, 28}, 1926}, /* tomorrow is in the future */
	    {"991231", {2026, 11, 28}, 1999},
	    {"000101", {2026, 11, 28}, 2000},
	    {"000101", {2000, 1, 1}, 2000}, /* century boundary, same day */
	    {"991231", {2000, 1, 1}, 1999},
	    {"000102", {2000, 1, 1}, 1900},
	    {"000229", {2026, 11, 28}, 2000},
	    {"000229", {2100, 3, 1}, 2000}, /* 2100-02-29 does not exist */
	    {"040229", {2103, 1, 1}, 2004}, /* 2104-02-29 would be after today */
	};
	struct cccd_date d;
	struct cccd_err e = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(date_parse_yymmdd_birth(v[i].s, 6, &v[i].today, &d, &e), 0);
		assert_int_equal(d.y, v[i].y);
		assert_true(date_cmp(&d, &v[i].today) <= 0);
	}
	const struct cccd_date t = {2026, 11, 28};
	/* 29 Feb of a year that is common in both candidate centuries */
	assert_int_equal(date_parse_yymmdd_birth("010229", 6, &t, &d, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "birth date YYMMDD: no such date 010229");
	assert_int_equal(date_parse_yymmdd_birth("741312", 6, &t, &d, &e), -CCCD_EFORMAT);
	assert_int_equal(date_parse_yymmdd_birth("7408I2", 6, &t, &d, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "expected 6 digits YYMMDD");
	assert_int_equal(date_parse_yymmdd_birth("74081", 5, &t, &d, &e), -CCCD_EFORMAT);
}

/* Expiry: always 20YY - an expired document keeps its real date. */
static void yymmdd_expiry(void **state)
{
	struct cccd_date d;
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(date_parse_yymmdd_expiry("120415", 6, &d, &e), 0);
	assert_date(&d, 2012, 4, 15); /* ICAO specimen, expired */
	assert_int_equal(date_parse_yymmdd_expiry("991231", 6, &d, &e), 0);
	assert_date(&d, 2099, 12, 31);
	assert_int_equal(date_parse_yymmdd_expiry("000229", 6, &d, &e), 0);
	assert_date(&d, 2000, 2, 29);
	assert_int_equal(date_parse_yymmdd_expiry("270229", 6, &d, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "expiry YYMMDD: no such date 2027-02-29");
	assert_int_equal(date_parse_yymmdd_expiry("12041", 5, &d, &e), -CCCD_EFORMAT);
	assert_int_equal(date_parse_yymmdd_expiry("12 415", 6, &d, &e), -CCCD_EFORMAT);
}

static void formatting(void **state)
{
	const struct cccd_date a = {1974, 8, 12}, b = {5, 1, 9}, c = {2000, 2, 29};
	char iso[DATE_ISO_LEN], yy[7];

	(void)state;
	date_to_iso(&a, iso);
	assert_string_equal(iso, "1974-08-12");
	date_to_iso(&b, iso);
	assert_string_equal(iso, "0005-01-09");
	date_to_yymmdd(&a, yy);
	assert_string_equal(yy, "740812");
	date_to_yymmdd(&c, yy);
	assert_string_equal(yy, "000229");
}

static void add_years(void **state)
{
	const struct cccd_date leap = {2024, 2, 29}, top = {9999, 12, 31};
	struct cccd_date d;

	(void)state;
	assert_int_equal(date_add_years(&leap, 1, &d), 0);
	assert_date(&d, 2025, 2, 28); /* 29 Feb -> 28 Feb in a common year */
	assert_int_equal(date_add_years(&leap, 4, &d), 0);
	assert_date(&d, 2028, 2, 29);
	assert_int_equal(date_add_years(&leap, 76, &d), 0);
	assert_date(&d, 2100, 2, 28);
	assert_int_equal(date_add_years(&leap, -24, &d), 0);
	assert_date(&d, 2000, 2, 29);
	assert_int_equal(date_add_years(&top, 1, &d), -CCCD_ERANGE);
	assert_int_equal(date_add_years(&leap, -2024, &d), -CCCD_ERANGE);
	assert_int_equal(date_add_years(&top, 0, &d), 0);
	assert_date(&d, 9999, 12, 31);
}

static void age_on(void **state)
{
	const struct cccd_date b = {2000, 2, 29}, n = {1974, 8, 12};
	const struct cccd_date d1 = {2025, 2, 28}, d2 = {2025, 3, 1}, d3 = {1999, 12, 31};
	const struct cccd_date d4 = {2026, 8, 11}, d5 = {2026, 8, 12};

	(void)state;
	assert_int_equal(date_age_on(&b, &d1), 24);
	assert_int_equal(date_age_on(&b, &d2), 25);
	assert_int_equal(date_age_on(&b, &b), 0);
	assert_int_equal(date_age_on(&b, &d3), -1);
	assert_int_equal(date_age_on(&n, &d4), 51);
	assert_int_equal(date_age_on(&n, &d5), 52);
}

static void today_matches_clock(void **state)
{
	struct cccd_date d;
	time_t now = time(NULL);
	struct tm tm;

	(void)state;
	date_today(&d);
	localtime_r(&now, &tm);
	assert_true(date_valid(d.y, d.m, d.d));
	assert_true(d.y >= 2024);
	/* allow the test to straddle midnight: equal to the clock's day or the one after */
	assert_true(d.y == tm.tm_year + 1900 || d.y == tm.tm_year + 1901);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(valid_and_days_in_month),
	    cmocka_unit_test(compare),
	    cmocka_unit_test(parse_ddmmyyyy),
	    cmocka_unit_test(parse_dmy_slash),
	    cmocka_unit_test(parse_iso),
	    cmocka_unit_test(yymmdd_birth_century),
	    cmocka_unit_test(yymmdd_expiry),
	    cmocka_unit_test(formatting),
	    cmocka_unit_test(add_years),
	    cmocka_unit_test(age_on),
	    cmocka_unit_test(today_matches_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
