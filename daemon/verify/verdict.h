/* SPDX-License-Identifier: MIT */
/*
 * verdict.h - the one place RESULT's checks.verdict is decided (issue 4):
 *   genuine  passive ok, the chip proved it holds a key (active OR chip authentication ok) and
 *            no cross-check failed;
 *   failed   any check failed (a hash, a signature, AA/CA, a cross-check);
 *   suspect  nothing failed but something could not be checked (untrusted CSCA, no SOD, AA and
 *            CA both absent).
 * Every verdict other than genuine carries its reasons; reasons never hold personal data.
 */
#ifndef CCCD_VERIFY_VERDICT_H
#define CCCD_VERIFY_VERDICT_H

#include <stddef.h>

#include "verify/pa.h"

#define VERDICT_REASONS_MAX 8
#define VERDICT_REASON_LEN  192

enum verdict { VERDICT_GENUINE, VERDICT_SUSPECT, VERDICT_FAILED };

/* Outcome of active or chip authentication. */
enum verdict_auth { VERDICT_AUTH_ABSENT, VERDICT_AUTH_OK, VERDICT_AUTH_FAILED };

struct verdict_in {
	enum pa_status passive;
	const char *passive_reason; /* pa_result.reason, may be NULL or "" */
	enum verdict_auth active;
	enum verdict_auth chip;
	size_t n_xfail;		   /* failed cross-checks */
	const char *const *xfail;  /* their reasons */
	const char *active_reason; /* aa_result.reason when active failed, may be NULL */
	const char *chip_reason;   /* ca_result.reason when chip failed, may be NULL */
};

struct verdict_out {
	enum verdict verdict;
	size_t n;
	char reasons[VERDICT_REASONS_MAX][VERDICT_REASON_LEN];
};

/* Decide in into out (reasons in the order: passive, active, chip, cross-checks). */
enum verdict verdict_decide(const struct verdict_in *in, struct verdict_out *out);

/* "genuine", "suspect", "failed". */
const char *verdict_str(enum verdict v);

/* "ok", "failed", "absent". */
const char *verdict_auth_str(enum verdict_auth a);

#endif
