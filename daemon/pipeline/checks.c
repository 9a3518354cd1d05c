/* SPDX-License-Identifier: MIT */
/*
 * checks.c - checks of a completed read: parse DG1 (ICAO 9303-3 TD1), DG13, DG2; passive
 * authentication over every DG read (ICAO 9303-11 §5.1); cross-checks; the verdict (issue 4).
 * Cross-checks (verify/xcheck.h), each a reason when it fails (never the values themselves):
 *   DG1 vs DG13        ID number, birth date, expiry (when DG13 has a date), sex, name
 *                      (DG13's folded to DG1's MRZ name)
 *   QR vs chip         ID, old ID, full name (NFC, spaces collapsed), birth date, sex, issue date
 *   camera/typed MRZ   document number, ID, birth, expiry, sex, name (a camera's: sex and name
 *                      are not compared, no check digit covers them)
 * Active and chip authentication come from the read (pres_card.aa/ca, run by pres_read), or
 * from the caller when the read skipped them. Omitted: photo comparison.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "doc/tlv.h"
#include "pipeline/checks.h"
#include "verify/xcheck.h"

const char *pres_dg13_sex(const char *s)
{
	if (!strcmp(s, "Nam"))
		return "M";
	if (!strcmp(s, "Nữ"))
		return "F";
	return NULL;
}

__attribute__((format(printf, 2, 3))) static void xfail(struct pres_checks *o, const char *fmt, ...)
{
	va_list ap;

	if (o->n_xfail >= PRES_XFAIL_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(o->xfail[o->n_xfail++], PRES_XFAIL_LEN, fmt, ap);
	va_end(ap);
}

static enum pres_match match_of(enum xcheck_match m)
{
	return m == XCHECK_YES	? PRES_MATCH_YES
	       : m == XCHECK_NO ? PRES_MATCH_NO
				: PRES_MATCH_UNCHECKED;
}

/* DG1 vs DG13, QR vs chip, camera/typed MRZ vs chip: one implementation (verify/xcheck.c). */
static void cross_check(struct pres_checks *o, const struct pres_verify_in *in)
{
	struct xcheck_in xi = {o->has_mrz ? &o->mrz : NULL, o->has_dg13 ? &o->dg13 : NULL, in->qr,
			       in->mrz, in->mrz_ocr};
	struct xcheck_result r;

	if (!xi.dg1 && !xi.dg13)
		return; /* nothing of the chip to compare with */
	xcheck_run(&xi, &r);
	for (size_t i = 0; i < r.n && i < XCHECK_REASONS_MAX; i++)
		xfail(o, "%s", r.reasons[i]);
	o->qr_match = match_of(r.qr_match);
	o->mrz_match = match_of(r.mrz_match);
}

/* DG1's 5F1F holds the MRZ without line breaks: 90 (TD1), 72 (TD2) or 88 (TD3) characters. */
static int dg1_mrz(const struct tlv *v, const struct cccd_date *today, struct mrz *m,
		   struct cccd_err *err)
{
	char text[MRZ_TEXT_MAX];
	size_t w = v->len == 90 ? 30 : v->len == 72 ? 36 : v->len == 88 ? 44 : 0, n = 0;

	if (!w)
		return cccd_err_set(err, -CCCD_EFORMAT, "checks", "DG1 MRZ of %zu characters",
				    v->len);
	for (size_t i = 0; i < v->len; i++) {
		if (i && i % w == 0)
			text[n++] = '\n';
		text[n++] = (char)v->value[i];
	}
	return mrz_parse((const uint8_t *)text, n, today, m, err);
}

/* Parse DG1, DG13 and DG2; a DG that does not parse is a failed check. */
static void parse_dgs(const struct pres_card *c, const struct pres_verify_in *in,
		      struct pres_checks *o)
{
	struct cccd_err e = {0};
	struct tlv v;

	if (c->len[PRES_DG1]) {
		int rc = tlv_expect(c->dg1, c->len[PRES_DG1], 0x61, 0, &v, &e);

		rc = rc ? rc : tlv_find(v.value, v.len, 0x5F1F, 0, &v, &e);
		rc = rc ? rc : dg1_mrz(&v, &in->today, &o->mrz, &e);
		o->has_mrz = rc == 0;
		if (rc)
			xfail(o, "chip: DG1 does not parse (%s)", e.msg);
	}
	if (c->len[PRES_DG13]) {
		o->has_dg13 = dg13_parse(c->dg13, c->len[PRES_DG13], &o->dg13, &e) == 0;
		if (!o->has_dg13)
			xfail(o, "chip: DG13 does not parse (%s)", e.msg);
	}
	if (c->len[PRES_DG2]) {
		o->has_photo = dg2_parse(c->dg2, c->len[PRES_DG2], &o->photo, &e) == 0;
		if (!o->has_photo)
			xfail(o, "chip: DG2 does not parse (%s)", e.msg);
	}
}

static void passive(const struct pres_card *c, const struct pres_verify_in *in,
		    struct pres_checks *o)
{
	static const enum pres_file dgf[] = {PRES_DG1, PRES_DG2, PRES_DG13, PRES_DG14, PRES_DG15};
	const uint8_t *bufs[] = {c->dg1, c->dg2, c->dg13, c->dg14, c->dg15};
	struct pa_dg dgs[5];
	size_t n = 0;

	for (size_t i = 0; i < 5; i++)
		if (c->len[dgf[i]])
			dgs[n++] = (struct pa_dg){pres_file_dg(dgf[i]), bufs[i], c->len[dgf[i]]};
	pa_verify(c->len[PRES_SOD] ? c->sod : NULL, c->len[PRES_SOD], dgs, n, in->trust, in->now,
		  &o->pa);
}

static enum verdict_auth auth_of(bool ok, bool failed)
{
	return ok ? VERDICT_AUTH_OK : failed ? VERDICT_AUTH_FAILED : VERDICT_AUTH_ABSENT;
}

int pres_verify(const struct pres_card *c, const struct pres_verify_in *in, struct pres_checks *out,
		struct cccd_err *err)
{
	const char *reasons[PRES_XFAIL_MAX];
	unsigned t0 = (unsigned)cccd_clock_ms();
	struct verdict_in vi;

	memset(out, 0, sizeof(*out));
	if (!c->complete)
		return cccd_err_set(err, -CCCD_ESTATE, "checks", "the card read is not complete");
	out->qr_match = out->mrz_match = PRES_MATCH_UNCHECKED;
	out->active =
	    c->auth_done ? auth_of(c->aa.status == AA_OK, c->aa.status == AA_FAILED) : in->active;
	out->chip =
	    c->auth_done ? auth_of(c->ca.status == CA_OK, c->ca.status == CA_FAILED) : in->chip;
	parse_dgs(c, in, out);
	passive(c, in, out);
	cross_check(out, in);
	for (size_t i = 0; i < out->n_xfail; i++)
		reasons[i] = out->xfail[i];
	vi = (struct verdict_in){out->pa.status,
				 out->pa.reason,
				 out->active,
				 out->chip,
				 out->n_xfail,
				 reasons,
				 c->auth_done ? c->aa.reason : NULL,
				 c->auth_done ? c->ca.reason : NULL};
	verdict_decide(&vi, &out->verdict);
	out->ms_verify = (unsigned)cccd_clock_ms() - t0;
	return 0;
}
