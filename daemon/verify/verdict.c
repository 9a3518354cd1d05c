/* SPDX-License-Identifier: MIT */
/*
 * verdict.c - the verdict rule of issue 4 (see verdict.h). A failure anywhere outranks anything
 * unchecked: a card whose AA signature is wrong is failed even when its CSCA is unknown.
 * Example: passive untrusted, active ok, chip absent, no cross-check failed -> suspect, reasons
 * ["passive authentication: untrusted (no trusted CSCA issued the document signer)"].
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "verify/verdict.h"

const char *verdict_str(enum verdict v)
{
	return v == VERDICT_GENUINE ? "genuine" : v == VERDICT_SUSPECT ? "suspect" : "failed";
}

const char *verdict_auth_str(enum verdict_auth a)
{
	return a == VERDICT_AUTH_OK ? "ok" : a == VERDICT_AUTH_FAILED ? "failed" : "absent";
}

__attribute__((format(printf, 2, 3))) static void reason(struct verdict_out *o, const char *fmt,
							 ...)
{
	va_list ap;

	if (o->n >= VERDICT_REASONS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(o->reasons[o->n++], VERDICT_REASON_LEN, fmt, ap);
	va_end(ap);
}

/* Passive authentication: true when it failed outright. */
static bool passive(const struct verdict_in *in, struct verdict_out *o, bool *unchecked)
{
	const char *why = in->passive_reason && in->passive_reason[0] ? in->passive_reason : NULL;

	switch (in->passive) {
	case PA_OK:
		return false;
	case PA_FAILED:
		reason(o, "passive authentication failed: %s", why ? why : "no reason given");
		return true;
	case PA_UNTRUSTED:
		reason(o, "passive authentication: untrusted (%s)",
		       why ? why : "no trusted CSCA issued the document signer");
		break;
	default:
		reason(o, "passive authentication: absent (no EF.SOD)");
		break;
	}
	*unchecked = true;
	return false;
}

static bool auth(const struct verdict_in *in, struct verdict_out *o, bool *unchecked)
{
	bool failed = false;

	if (in->active == VERDICT_AUTH_FAILED) {
		reason(o, "active authentication failed: %s",
		       in->active_reason && in->active_reason[0]
			   ? in->active_reason
			   : "the chip's signature does not match DG15");
		failed = true;
	}
	if (in->chip == VERDICT_AUTH_FAILED) {
		reason(o, "chip authentication failed: %s",
		       in->chip_reason && in->chip_reason[0] ? in->chip_reason
							     : "the chip does not hold DG14's key");
		failed = true;
	}
	if (!failed && in->active != VERDICT_AUTH_OK && in->chip != VERDICT_AUTH_OK) {
		reason(o, "clone check absent: neither active nor chip authentication was done");
		*unchecked = true;
	}
	return failed;
}

enum verdict verdict_decide(const struct verdict_in *in, struct verdict_out *out)
{
	bool unchecked = false, failed;

	out->n = 0;
	failed = passive(in, out, &unchecked);
	failed |= auth(in, out, &unchecked);
	for (size_t i = 0; i < in->n_xfail; i++)
		reason(out, "%s", in->xfail[i]);
	failed |= in->n_xfail > 0;
	out->verdict = failed ? VERDICT_FAILED : unchecked ? VERDICT_SUSPECT : VERDICT_GENUINE;
	return out->verdict;
}
