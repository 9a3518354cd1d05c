/* SPDX-License-Identifier: MIT */
/*
 * cccdqr_keys.c - access keys from a card QR (see cccdqr_keys.h, docs/formats/cccd-qr.md).
 *
 * Renewal rule: Law on Citizen Identification 2014 art. 21 (25, 40, 60), Law on Identification
 * 2023 art. 21(1) (adds 14): renew on reaching the age; a card issued in the 2 years before it
 * ("từ đủ 23 đến dưới 25 tuổi") runs to the next age; from 58 on, no expiry.
 * Worked example: born 01/02/2000, issued 15/03/2021 (age 21) -> expires 01/02/2025 (age 25);
 *   ID 001200012345 -> doc number 200012345 (cd 7), CAN 012345, birth 000201 (cd 5),
 *   expiry 250201 (cd 4): BAC seed "200012345700020152502014".
 * Issued 01/02/2023 (exactly age 23, the window's first day) -> 2040-02-01 first, 2025-02-01 next.
 * Omitted: the MRZ of a card without expiry is not confirmed (FIELD-NOTES); the two guesses come
 * last. The ICAO check digit below is a private copy until doc/mrz lands (then use that one).
 */
#include <string.h>

#include "doc/cccdqr_keys.h"
#include "doc/mrz.h"

static const int renew_ages[] = {14, 25, 40, 60};
#define N_AGES (sizeof(renew_ages) / sizeof(renew_ages[0]))

/* What the rule gives: expiry age (0 = none) and, on the 2-year boundary, the other reading. */
struct rule {
	int age;
	int alt_age; /* 0 = no alternative */
};

/* ICAO 9303-3 §4.9 check digit of an all-digit field (mrz_check_digit never fails on one). */
static char check_digit(const char *s, size_t len)
{
	return (char)('0' + mrz_check_digit(s, len));
}

static void prev_day(const struct cccd_date *d, struct cccd_date *out)
{
	*out = *d;
	if (out->d > 1) {
		out->d--;
		return;
	}
	if (out->m > 1) {
		out->m--;
	} else {
		out->m = 12;
		out->y--;
	}
	out->d = (int8_t)date_days_in_month(out->y, out->m);
}

/* Issue date is the first day of the window: exactly 2 years before the renewal birthday
 * (for a 29 February birth in a common year, 28 February or 1 March). */
static bool on_boundary(const struct cccd_date *issue, const struct cccd_date *birth,
			const struct cccd_date *w)
{
	if (!date_cmp(issue, w))
		return true;
	return birth->m == 2 && birth->d == 29 && w->d == 28 && issue->y == w->y && issue->m == 3 &&
	       issue->d == 1;
}

static int apply_rule(const struct cccd_date *birth, const struct cccd_date *issue, struct rule *r,
		      struct cccd_err *err)
{
	struct cccd_date w, b;

	r->age = r->alt_age = 0;
	for (size_t i = 0; i < N_AGES; i++) {
		if (date_add_years(birth, renew_ages[i] - 2, &w) ||
		    date_add_years(birth, renew_ages[i], &b))
			return cccd_err_set(err, -CCCD_ERANGE, "cccdqr",
					    "birth year %d: renewal at %d is past year 9999",
					    birth->y, renew_ages[i]);
		if (date_cmp(issue, &w) < 0) {
			r->age = renew_ages[i];
			return 0; /* b, its expiry, was just range-checked */
		}
		if (date_cmp(issue, &b) < 0) {
			r->age = i + 1 < N_AGES ? renew_ages[i + 1] : 0;
			r->alt_age = on_boundary(issue, birth, &w) ? renew_ages[i] : 0;
			break;
		}
	}
	if (r->age && date_add_years(birth, r->age, &b))
		return cccd_err_set(err, -CCCD_ERANGE, "cccdqr",
				    "birth year %d: renewal at %d is past year 9999", birth->y,
				    r->age);
	return 0;
}

/* Append one candidate (yymmdd from d, or the given text when d is NULL), skipping repeats. */
static void add_cand(struct cccdqr_access *a, const struct cccd_date *d, const char *text,
		     enum cccdqr_cand_why why)
{
	struct cccdqr_expiry *c = &a->cand[a->n];
	char ymd[7];

	if (d)
		date_to_yymmdd(d, ymd);
	else
		memcpy(ymd, text, sizeof(ymd));
	for (size_t i = 0; i < a->n; i++)
		if (!memcmp(a->cand[i].yymmdd, ymd, sizeof(ymd)))
			return;
	if (a->n == CCCDQR_MAX_CAND)
		return;
	c->has_date = d != NULL;
	if (d)
		c->date = *d;
	memcpy(c->yymmdd, ymd, sizeof(ymd));
	c->why = why;
	memcpy(c->bac_seed, a->doc_number, 9);
	c->bac_seed[9] = check_digit(a->doc_number, 9);
	memcpy(c->bac_seed + 10, a->birth_yymmdd, 6);
	c->bac_seed[16] = check_digit(a->birth_yymmdd, 6);
	memcpy(c->bac_seed + 17, ymd, 6);
	c->bac_seed[23] = check_digit(ymd, 6);
	c->bac_seed[24] = '\0';
	a->n++;
}

/* The birthday at each age (ages[0] the rule's, ages[1] the alternative; 0 = none), then the
 * day before each, then 1 March where a 29 February birthday fell on 28 February. */
static void add_computed(struct cccdqr_access *a, const struct cccd_date *birth, const int ages[2])
{
	struct cccd_date e[2], v;
	bool have[2] = {false, false};

	for (int k = 0; k < 2; k++) /* ages were range-checked by apply_rule */
		have[k] = ages[k] && !date_add_years(birth, ages[k], &e[k]);
	for (int k = 0; k < 2; k++)
		if (have[k])
			add_cand(a, &e[k], NULL, k ? CCCDQR_WHY_BOUNDARY : CCCDQR_WHY_RULE);
	for (int k = 0; k < 2; k++) {
		if (!have[k])
			continue;
		prev_day(&e[k], &v);
		add_cand(a, &v, NULL, CCCDQR_WHY_DAY_BEFORE);
	}
	for (int k = 0; k < 2; k++) {
		if (!have[k] || birth->m != 2 || birth->d != 29 || e[k].d != 28)
			continue;
		v = e[k];
		v.m = 3, v.d = 1;
		add_cand(a, &v, NULL, CCCDQR_WHY_LEAP);
	}
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return s[n] == '\0';
}

static int derive(const struct cccdqr *qr, struct cccdqr_access *out, struct cccd_err *err)
{
	const struct cccd_date *birth = &qr->birth_date, *issue = &qr->issue_date;
	const struct cccd_date far = {2099, 12, 31}; /* "991231", the indefinite placeholder */
	struct rule r;
	int rc;

	if (!all_digits(qr->id, 12))
		return cccd_err_set(err, -CCCD_EINVAL, "cccdqr", "ID is not 12 digits");
	if (!date_valid(birth->y, birth->m, birth->d) || !date_valid(issue->y, issue->m, issue->d))
		return cccd_err_set(err, -CCCD_EINVAL, "cccdqr", "birth or issue date not a date");
	if (date_cmp(issue, birth) < 0)
		return cccd_err_set(err, -CCCD_ERANGE, "cccdqr", "issue date before birth date");
	rc = apply_rule(birth, issue, &r, err);
	if (rc)
		return rc;
	memcpy(out->doc_number, qr->id + 3, 10);
	memcpy(out->can, qr->id + 6, 7);
	date_to_yymmdd(birth, out->birth_yymmdd);
	out->renew_age = r.age;
	add_computed(out, birth, (const int[2]){r.age, r.alt_age});
	if (!r.age) {
		add_cand(out, NULL, "<<<<<<", CCCDQR_WHY_NO_EXPIRY);
		if (date_cmp(&far, issue) > 0) /* an expiry before the issue date is no candidate */
			add_cand(out, &far, NULL, CCCDQR_WHY_NO_EXPIRY);
	}
	return 0;
}

int cccdqr_keys(const struct cccdqr *qr, struct cccdqr_access *out, struct cccd_err *err)
{
	int rc;

	if (!qr || !out)
		return cccd_err_set(err, -CCCD_EINVAL, "cccdqr", "no QR or output");
	memset(out, 0, sizeof(*out));
	rc = derive(qr, out, err);
	if (rc)
		memset(out, 0, sizeof(*out));
	return rc;
}
