/* SPDX-License-Identifier: MIT */
/*
 * fuzz_cccdqr.c - libFuzzer target for cccdqr_parse() and cccdqr_keys().
 * On success: every string is bounded, valid UTF-8, the text fields NFC; ID 12 digits, old ID
 * empty or 9 digits, dates real and issue not before birth; re-encoding the struct as a payload
 * parses back to the same struct. Keys then either succeed with well-formed candidates or fail
 * with a clean error. On failure: a negative code, a message, and a zeroed struct.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"
#include "doc/cccdqr.h"
#include "doc/cccdqr_keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void assert_digits(const char *s, size_t n)
{
	assert(strlen(s) == n);
	for (size_t i = 0; i < n; i++)
		assert(s[i] >= '0' && s[i] <= '9');
}

static void assert_nfc(const char *s, size_t cap)
{
	char again[CCCDQR_ADDR_MAX];
	size_t n = strnlen(s, cap);

	assert(n < cap);
	assert(cccd_utf8_nfc((const uint8_t *)s, n, again, sizeof(again), NULL) == 0);
	assert(!strcmp(again, s));
}

static void assert_date(const struct cccd_date *d)
{
	assert(date_valid(d->y, d->m, d->d));
}

/* Write qr back as a payload; returns its length. */
static size_t encode(const struct cccdqr *qr, char *out, size_t cap)
{
	const struct cccd_date *b = &qr->birth_date, *i = &qr->issue_date;
	int n = snprintf(out, cap, "%s|%s|%s|%02d%02d%04d|%s|%s|%02d%02d%04d", qr->id, qr->old_id,
			 qr->full_name, b->d, b->m, b->y, qr->sex == 'M' ? "Nam" : "N\xE1\xBB\xAF",
			 qr->address, i->d, i->m, i->y);

	assert(n > 0 && (size_t)n < cap);
	for (unsigned k = 0; k < qr->n_extra; k++) {
		int m = snprintf(out + n, cap - (size_t)n, "|%s", qr->extra[k]);
		assert(m > 0 && (size_t)m < cap - (size_t)n);
		n += m;
	}
	return (size_t)n;
}

static void check_keys(const struct cccdqr *qr)
{
	struct cccdqr_access a;
	struct cccd_err err = {0};
	int rc = cccdqr_keys(qr, &a, &err);

	if (rc) {
		assert(rc < 0 && err.code == rc && err.msg[0]);
		return;
	}
	assert(!strcmp(a.doc_number, qr->id + 3) && !strcmp(a.can, qr->id + 6));
	assert(a.n >= 1 && a.n <= CCCDQR_MAX_CAND);
	for (size_t k = 0; k < a.n; k++) {
		const struct cccdqr_expiry *c = &a.cand[k];

		assert(strlen(c->bac_seed) == 24 && !memcmp(c->bac_seed, a.doc_number, 9));
		assert(!memcmp(c->bac_seed + 17, c->yymmdd, 6));
		if (c->why != CCCDQR_WHY_NO_EXPIRY)
			assert(c->has_date && date_cmp(&c->date, &qr->issue_date) > 0);
		if (c->has_date)
			assert_date(&c->date);
	}
}

static void check_ok(const struct cccdqr *qr)
{
	char buf[4096];
	struct cccdqr again;
	size_t n;

	assert_digits(qr->id, 12);
	if (qr->old_id[0])
		assert_digits(qr->old_id, 9);
	assert(qr->full_name[0]);
	assert_nfc(qr->full_name, sizeof(qr->full_name));
	assert_nfc(qr->address, sizeof(qr->address));
	assert_date(&qr->birth_date);
	assert_date(&qr->issue_date);
	assert(date_cmp(&qr->issue_date, &qr->birth_date) >= 0);
	assert(qr->sex == 'M' || qr->sex == 'F');
	assert(qr->n_extra <= CCCDQR_EXTRA_MAX);
	for (unsigned k = 0; k < qr->n_extra; k++) {
		size_t m = strnlen(qr->extra[k], CCCDQR_EXTRA_LEN);
		assert(m < CCCDQR_EXTRA_LEN);
		assert(cccd_utf8_validate((const uint8_t *)qr->extra[k], m, NULL) == 0);
	}
	assert(qr->id_consistent == cccdqr_id_consistent(qr->id, &qr->birth_date, qr->sex));
	n = encode(qr, buf, sizeof(buf));
	assert(cccdqr_parse((const uint8_t *)buf, n, &again, NULL) == 0);
	assert(!memcmp(&again, qr, sizeof(again)));
	check_keys(qr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cccdqr zero;
	struct cccdqr qr;
	struct cccd_err err = {0};
	int rc = cccdqr_parse(data, size, &qr, &err);

	if (rc) {
		assert(rc < 0 && err.code == rc && err.msg[0]);
		assert(!memcmp(&qr, &zero, sizeof(qr)));
		return 0;
	}
	check_ok(&qr);
	return 0;
}
