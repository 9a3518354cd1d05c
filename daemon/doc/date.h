/* SPDX-License-Identifier: MIT */
/*
 * date.h - calendar dates as documents carry them: ddmmyyyy (QR), dd/mm/yyyy (DG13), YYMMDD (MRZ),
 * and YYYY-MM-DD (RESULT). Gregorian, no time zone: a date on a card is a civil date.
 *
 * Two-digit years (MRZ) need a century: a birth date is the latest date not after today; an expiry
 * date is 20YY (expired cards still read with their real date: ICAO's 120415 → 2012-04-15).
 * "today" is always passed in, so results are reproducible and tests pin it.
 */
#ifndef CCCD_DOC_DATE_H
#define CCCD_DOC_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct cccd_date {
	int16_t y; /* 1..9999 */
	int8_t m;  /* 1..12 */
	int8_t d;  /* 1..31, valid for the month */
};

#define DATE_ISO_LEN 11 /* "YYYY-MM-DD" + NUL */

/* True when y-m-d is a real Gregorian date in 1..9999. */
bool date_valid(int y, int m, int d);

/* Days in month m of year y (0 for an invalid month). */
int date_days_in_month(int y, int m);

/* Compare: <0, 0, >0 as a is before, equal to, after b. */
int date_cmp(const struct cccd_date *a, const struct cccd_date *b);

/* Parse exactly 8 digits ddmmyyyy (CCCD QR); -CCCD_EFORMAT with the reason. */
int date_parse_ddmmyyyy(const char *s, size_t len, struct cccd_date *out, struct cccd_err *err);

/* Parse exactly dd/mm/yyyy (DG13); -CCCD_EFORMAT with the reason. */
int date_parse_dmy_slash(const char *s, size_t len, struct cccd_date *out, struct cccd_err *err);

/* Parse exactly YYYY-MM-DD; -CCCD_EFORMAT with the reason. */
int date_parse_iso(const char *s, size_t len, struct cccd_date *out, struct cccd_err *err);

/* Parse 6 digits YYMMDD as a birth date: the latest such date not after today. */
int date_parse_yymmdd_birth(const char *s, size_t len, const struct cccd_date *today,
			    struct cccd_date *out, struct cccd_err *err);

/* Parse 6 digits YYMMDD as an expiry date: always 20YY. */
int date_parse_yymmdd_expiry(const char *s, size_t len, struct cccd_date *out,
			     struct cccd_err *err);

/* Write YYYY-MM-DD (NUL-terminated) into out[DATE_ISO_LEN]. */
void date_to_iso(const struct cccd_date *d, char out[DATE_ISO_LEN]);

/* Write YYMMDD (NUL-terminated) into out[7], as the MRZ carries it. */
void date_to_yymmdd(const struct cccd_date *d, char out[7]);

/* The same day n years later (29 Feb → 28 Feb in a common year); -CCCD_ERANGE past 9999. */
int date_add_years(const struct cccd_date *d, int n, struct cccd_date *out);

/* Whole years from birth to on (age on that day); negative when on is before birth. */
int date_age_on(const struct cccd_date *birth, const struct cccd_date *on);

/* Today's civil date from the system clock (local time). */
void date_today(struct cccd_date *out);

#endif
