/* SPDX-License-Identifier: MIT */
/* date.c - see date.h. Every parser checks the exact length and that each character is a digit. */
#include <time.h>

#include "doc/date.h"

bool date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= date_days_in_month(y, m);
}

int date_days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return days[m - 1] + (m == 2 && leap);
}

int date_cmp(const struct cccd_date *a, const struct cccd_date *b)
{
	if (a->y != b->y)
		return a->y - b->y;
	if (a->m != b->m)
		return a->m - b->m;
	return a->d - b->d;
}

/* Read n digits at s into *v; false when any is not 0-9. */
static bool digits(const char *s, size_t n, int *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

static int make(int y, int m, int d, const char *what, struct cccd_date *out, struct cccd_err *err)
{
	if (!date_valid(y, m, d))
		return cccd_err_set(err, -CCCD_EFORMAT, "date", "%s: no such date %04d-%02d-%02d", what,
				    y, m, d);
	out->y = (int16_t)y;
	out->m = (int8_t)m;
	out->d = (int8_t)d;
	return 0;
}

int date_parse_ddmmyyyy(const char *s, size_t len, struct cccd_date *out, struct cccd_err *err)
{
	int d, m, y;

	if (len != 8 || !digits(s, 2, &d) || !digits(s + 2, 2, &m) || !digits(s + 4, 4, &y))
		return cccd_err_set(err, -CCCD_EFORMAT, "date", "expected 8 digits ddmmyyyy, got %zu bytes",
				    len);
	return make(y, m, d, "ddmmyyyy", out, err);
}

int date_parse_dmy_slash(const char *s, size_t len, struct cccd_date *out, struct cccd_err *err)
{
	int d, m, y;

	if (len != 10 || s[2] != '/' || s[5] != '/' || !digits(s, 2, &d) || !digits(s + 3, 2, &m) ||
	    !digits(s + 6, 4, &y))
		return cccd_err_set(err, -CCCD_EFORMAT, "date", "expected dd/mm/yyyy (%zu bytes)", len);
	return make(y, m, d, "dd/mm/yyyy", out, err);
}

int date_parse_iso(const char *s, size_t len, struct cccd_date *out, struct cccd_err *err)
{
	int d, m, y;

	if (len != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &m) ||
	    !digits(s + 8, 2, &d))
		return cccd_err_set(err, -CCCD_EFORMAT, "date", "expected YYYY-MM-DD (%zu bytes)", len);
	return make(y, m, d, "YYYY-MM-DD", out, err);
}

static int yymmdd(const char *s, size_t len, int *yy, int *m, int *d, struct cccd_err *err)
{
	if (len != 6 || !digits(s, 2, yy) || !digits(s + 2, 2, m) || !digits(s + 4, 2, d))
		return cccd_err_set(err, -CCCD_EFORMAT, "date", "expected 6 digits YYMMDD");
	return 0;
}

int date_parse_yymmdd_birth(const char *s, size_t len, const struct cccd_date *today,
			    struct cccd_date *out, struct cccd_err *err)
{
	int yy, m, d, rc;
	struct cccd_date c;

	rc = yymmdd(s, len, &yy, &m, &d, err);
	if (rc)
		return rc;
	/* Latest century that does not put the birth after today. 29 Feb is checked per century. */
	for (int century = today->y / 100; century >= today->y / 100 - 1; century--) {
		int y = century * 100 + yy;

		if (!date_valid(y, m, d))
			continue;
		c.y = (int16_t)y, c.m = (int8_t)m, c.d = (int8_t)d;
		if (date_cmp(&c, today) <= 0) {
			*out = c;
			return 0;
		}
	}
	return cccd_err_set(err, -CCCD_EFORMAT, "date", "birth date YYMMDD: no such date %02d%02d%02d",
			    yy, m, d);
}

int date_parse_yymmdd_expiry(const char *s, size_t len, struct cccd_date *out, struct cccd_err *err)
{
	int yy, m, d, rc;

	rc = yymmdd(s, len, &yy, &m, &d, err);
	if (rc)
		return rc;
	return make(2000 + yy, m, d, "expiry YYMMDD", out, err);
}

/* Write n as width decimal digits (n is a valid date field, so never negative). */
static void put_digits(char *out, int n, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		out[i] = (char)('0' + n % 10);
		n /= 10;
	}
}

void date_to_iso(const struct cccd_date *d, char out[DATE_ISO_LEN])
{
	put_digits(out, d->y, 4);
	out[4] = '-';
	put_digits(out + 5, d->m, 2);
	out[7] = '-';
	put_digits(out + 8, d->d, 2);
	out[10] = '\0';
}

void date_to_yymmdd(const struct cccd_date *d, char out[7])
{
	put_digits(out, d->y % 100, 2);
	put_digits(out + 2, d->m, 2);
	put_digits(out + 4, d->d, 2);
	out[6] = '\0';
}

int date_add_years(const struct cccd_date *d, int n, struct cccd_date *out)
{
	int y = d->y + n;

	if (y < 1 || y > 9999)
		return -CCCD_ERANGE;
	out->y = (int16_t)y;
	out->m = d->m;
	out->d = d->d;
	if (out->d > date_days_in_month(y, out->m))
		out->d = (int8_t)date_days_in_month(y, out->m);
	return 0;
}

int date_age_on(const struct cccd_date *birth, const struct cccd_date *on)
{
	int age = on->y - birth->y;

	if (on->m < birth->m || (on->m == birth->m && on->d < birth->d))
		age--;
	return age;
}

void date_today(struct cccd_date *out)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	out->y = (int16_t)(tm.tm_year + 1900);
	out->m = (int8_t)(tm.tm_mon + 1);
	out->d = (int8_t)tm.tm_mday;
}
