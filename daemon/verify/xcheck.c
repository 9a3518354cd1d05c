/* SPDX-License-Identifier: MIT */
/*
 * xcheck.c - cross-checks of chip data against the QR and the MRZ seen (issue 4):
 *
 *   chip DG13 "Nguyễn Văn An"  -> fold -> "NGUYEN VAN AN"
 *   MRZ line 3 "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<" -> primary "NGUYEN", secondary "VAN AN"  -> match
 *   a full TD1 name field (30 characters, no filler at the end) may be truncated (ICAO 9303-3
 *   §4.6): "NGUYEN<<THI<THANH<HUONG<PHUONG" against "Nguyễn Thị Thanh Hương Phương Anh" matches
 *   part by part as prefixes; the same MRZ with filler left must match exactly.
 *
 * Checked when both sides exist: ID number (DG13 field 1 or DG1's optional data), birth date,
 * expiry (DG1, and DG13 field 12 when it is a date), name (QR vs DG13 exactly after NFC space
 * folding; MRZ vs chip folded), document number (MRZ vs DG1). The QR carries no expiry.
 * Omitted: sex and the issue date (pipeline/checks.c compares those), photo comparison.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"
#include "verify/xcheck.h"

const char *xcheck_match_str(enum xcheck_match m)
{
	return m == XCHECK_YES ? "true" : m == XCHECK_NO ? "false" : NULL;
}

__attribute__((format(printf, 2, 3))) static void fail(struct xcheck_result *o, const char *fmt,
						       ...)
{
	va_list ap;

	/* counted even when there is no room for the reason: a match is decided by the count */
	if (o->n++ >= XCHECK_REASONS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(o->reasons[o->n - 1], XCHECK_REASON_LEN, fmt, ap);
	va_end(ap);
}

int xcheck_fold_name(const char *utf8, char *out, size_t cap, struct cccd_err *err)
{
	char tmp[XCHECK_NAME_MAX];
	size_t n = 0;
	bool gap = false;
	int rc;

	rc = cccd_utf8_strip_marks((const uint8_t *)utf8, strlen(utf8), tmp, sizeof(tmp), err);
	if (rc)
		return rc;
	for (const unsigned char *p = (const unsigned char *)tmp; *p; p++) {
		unsigned char c = *p >= 'a' && *p <= 'z' ? (unsigned char)(*p - 32) : *p;
		bool keep = (c >= 'A' && c <= 'Z') || c >= 0x80;

		if (!keep) {
			gap = n > 0;
			continue;
		}
		if (n + 2 >= cap)
			return cccd_err_set(err, -CCCD_ENOSPC, "xcheck", "name longer than %zu",
					    cap);
		if (gap)
			out[n++] = ' ';
		out[n++] = (char)c;
		gap = false;
	}
	out[n] = '\0';
	return 0;
}

/* Width of the name field: TD1 30, TD2 31, TD3 39 characters. */
static size_t name_width(const struct mrz *m)
{
	return m->format == MRZ_TD1 ? 30 : m->format == MRZ_TD2 ? 31 : 39;
}

/* The MRZ name field is full: primary << secondary fills the field, so it may be truncated. */
static bool mrz_name_full(const struct mrz *m)
{
	size_t used = strlen(m->primary) + (m->secondary[0] ? 2 + strlen(m->secondary) : 0);

	return used >= name_width(m);
}

/* Next space-separated part of *s into (p, len); false at the end. */
static bool next_part(const char **s, const char **p, size_t *len)
{
	while (**s == ' ')
		(*s)++;
	if (!**s)
		return false;
	*p = *s;
	while (**s && **s != ' ')
		(*s)++;
	*len = (size_t)(*s - *p);
	return true;
}

bool xcheck_name_matches_mrz(const char *full_name, const struct mrz *m)
{
	char chip[XCHECK_NAME_MAX], mrz[2 * MRZ_NAME_MAX + 4];
	const char *a = chip, *b = mrz, *pa, *pb;
	size_t la, lb;
	bool trunc = mrz_name_full(m);

	if (xcheck_fold_name(full_name, chip, sizeof(chip), NULL))
		return false;
	snprintf(mrz, sizeof(mrz), "%s %s", m->primary, m->secondary);
	while (next_part(&b, &pb, &lb)) {
		if (!next_part(&a, &pa, &la) || lb > la || memcmp(pa, pb, lb))
			return false;
		if (lb < la && !trunc)
			return false;
	}
	return trunc || !next_part(&a, &pa, &la);
}

/* Collapse runs of spaces (NFC text): names from two sources differ in spacing, not letters. */
static void squash(const char *in, char *out, size_t cap)
{
	size_t n = 0;

	for (; *in && n + 1 < cap; in++)
		if (*in != ' ' || (n && out[n - 1] != ' '))
			out[n++] = *in;
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

static bool same_date(const struct cccd_date *a, const struct cccd_date *b)
{
	return date_cmp(a, b) == 0;
}

/* The chip's ID number: DG13 field 1, else DG1's (CCCD optional data); NULL when neither. */
static const char *chip_id(const struct xcheck_in *in)
{
	if (in->dg13 && dg13_has(in->dg13, DG13_ID))
		return in->dg13->id;
	return in->dg1 && in->dg1->id_number[0] ? in->dg1->id_number : NULL;
}

static const struct cccd_date *chip_birth(const struct xcheck_in *in)
{
	if (in->dg13 && dg13_has(in->dg13, DG13_BIRTH_DATE))
		return &in->dg13->birth_date;
	return in->dg1 ? &in->dg1->birth : NULL;
}

/* The chip's sex code: DG13 field 4, else DG1's; 0 when neither says M or F. */
static char chip_sex(const struct xcheck_in *in)
{
	char s = in->dg13 ? dg13_sex_code(in->dg13) : 0;

	if (!s && in->dg1 && (in->dg1->sex == 'M' || in->dg1->sex == 'F'))
		s = in->dg1->sex;
	return s;
}

static enum xcheck_match qr_vs_chip(const struct xcheck_in *in, struct xcheck_result *o)
{
	const struct cccdqr *q = in->qr;
	const struct dg13 *d = in->dg13;
	const char *id = chip_id(in);
	const struct cccd_date *birth = chip_birth(in);
	char a[XCHECK_NAME_MAX], b[XCHECK_NAME_MAX], sex = chip_sex(in);
	size_t before = o->n;

	if (!id && !birth)
		return XCHECK_ABSENT;
	if (id && strcmp(q->id, id))
		fail(o, "QR and chip disagree on the ID number");
	if (d && dg13_has(d, DG13_OLD_ID) && strcmp(q->old_id, d->old_id))
		fail(o, "QR and chip disagree on the old ID number");
	if (d && dg13_has(d, DG13_FULL_NAME)) {
		squash(q->full_name, a, sizeof(a));
		squash(d->full_name, b, sizeof(b));
		if (strcmp(a, b))
			fail(o, "QR and chip disagree on the full name");
	} else if (in->dg1 && !xcheck_name_matches_mrz(q->full_name, in->dg1)) {
		fail(o, "QR name and chip DG1 name disagree");
	}
	if (birth && !same_date(&q->birth_date, birth))
		fail(o, "QR and chip disagree on the birth date");
	if (sex && q->sex != sex)
		fail(o, "QR and chip disagree on the sex");
	if (d && dg13_has(d, DG13_ISSUE_DATE) && !same_date(&q->issue_date, &d->issue_date))
		fail(o, "QR and chip disagree on the issue date");
	return o->n == before ? XCHECK_YES : XCHECK_NO;
}

static enum xcheck_match mrz_vs_chip(const struct xcheck_in *in, struct xcheck_result *o)
{
	const struct mrz *m = in->mrz, *c = in->dg1;
	const char *id = chip_id(in);
	const struct cccd_date *birth = c ? &c->birth : chip_birth(in);
	size_t before = o->n;

	if (!c && !in->dg13)
		return XCHECK_ABSENT;
	if (c && strcmp(m->doc_number, c->doc_number))
		fail(o, "MRZ and chip DG1 disagree on the document number");
	if (id && m->id_number[0] && strcmp(m->id_number, id))
		fail(o, "MRZ and chip disagree on the ID number");
	if (birth && !same_date(&m->birth, birth))
		fail(o, "MRZ and chip disagree on the birth date");
	if (c && !same_date(&m->expiry, &c->expiry))
		fail(o, "MRZ and chip DG1 disagree on the expiry date");
	if (in->dg13 && dg13_has(in->dg13, DG13_EXPIRY) && in->dg13->expiry_is_date &&
	    !same_date(&m->expiry, &in->dg13->expiry_date))
		fail(o, "MRZ and chip DG13 disagree on the expiry date");
	if (in->mrz_ocr) /* sex and name: no check digit (ICAO 9303-5), OCR confusions A/R, O/C */
		return o->n == before ? XCHECK_YES : XCHECK_NO;
	if (c && m->sex != c->sex)
		fail(o, "MRZ and chip DG1 disagree on the sex");
	if (c && (strcmp(m->primary, c->primary) || strcmp(m->secondary, c->secondary)))
		fail(o, "MRZ and chip DG1 disagree on the name");
	else if (!c && dg13_has(in->dg13, DG13_FULL_NAME) &&
		 !xcheck_name_matches_mrz(in->dg13->full_name, m))
		fail(o, "MRZ name and chip DG13 name disagree");
	return o->n == before ? XCHECK_YES : XCHECK_NO;
}

/* DG1 against DG13: both on the chip, both signed; a disagreement means a bad issue or a forgery
 * that passive authentication would also see. */
static bool dg1_vs_dg13(const struct mrz *c, const struct dg13 *d, struct xcheck_result *o)
{
	size_t before = o->n;

	if (dg13_has(d, DG13_ID) && c->id_number[0] && strcmp(c->id_number, d->id))
		fail(o, "chip: DG1 and DG13 disagree on the ID number");
	if (dg13_has(d, DG13_BIRTH_DATE) && !same_date(&c->birth, &d->birth_date))
		fail(o, "chip: DG1 and DG13 disagree on the birth date");
	if (dg13_has(d, DG13_EXPIRY) && d->expiry_is_date &&
	    !same_date(&c->expiry, &d->expiry_date))
		fail(o, "chip: DG1 and DG13 disagree on the expiry date");
	if (dg13_sex_code(d) && dg13_sex_code(d) != mrz_sex(c))
		fail(o, "chip: DG1 and DG13 disagree on the sex");
	if (dg13_has(d, DG13_FULL_NAME) && !xcheck_name_matches_mrz(d->full_name, c))
		fail(o, "chip: DG13 name does not fold to DG1's MRZ name");
	return o->n == before;
}

void xcheck_run(const struct xcheck_in *in, struct xcheck_result *out)
{
	memset(out, 0, sizeof(*out));
	out->qr_match = out->mrz_match = XCHECK_ABSENT;
	out->chip_consistent = !(in->dg1 && in->dg13) || dg1_vs_dg13(in->dg1, in->dg13, out);
	if (in->qr)
		out->qr_match = qr_vs_chip(in, out);
	if (in->mrz)
		out->mrz_match = mrz_vs_chip(in, out);
}
