/* SPDX-License-Identifier: MIT */
/*
 * cccdqr.c - parse the CCCD card QR payload (see cccdqr.h, docs/formats/cccd-qr.md).
 *
 * Layout (chip CCCD since 2021, Căn cước since 2024; field numbers as errors report them):
 *   1 ID | 2 old ID | 3 full name | 4 birth | 5 sex | 6 address | 7 issue [| 8.. extras]
 *   "001200012345||Nguyễn Văn An|01022000|Nam|Số 1, Hà Nội|15032021"
 *   fields start at bytes 0, 13, 14, 31, 40, 44, 62 (the name and address are NFC UTF-8)
 * The whole buffer is validated as UTF-8 first, so every offset is into the caller's bytes
 * (BOM included). '|' is ASCII and never part of a multi-byte sequence, so splitting bytes is safe.
 * Omitted on purpose: no guessing of other separators or legacy encodings (zbar's mangled
 * Latin-1 is refused as invalid UTF-8), no trimming of spaces inside fields.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"
#include "doc/cccdqr.h"

#define MAX_FIELDS (CCCDQR_FIELDS + CCCDQR_EXTRA_MAX)

struct span {
	size_t off; /* into the caller's buffer */
	size_t len;
};

static const char *const field_names[CCCDQR_FIELDS] = {
    "ID number", "old ID number", "full name", "birth date", "sex", "address", "issue date",
};

/* Error "field N (name) at byte B: reason"; n counts from 1. */
static int __attribute__((format(printf, 4, 5)))
field_err(struct cccd_err *err, unsigned n, size_t off, const char *fmt, ...)
{
	char why[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return cccd_err_set(err, -CCCD_EFORMAT, "cccdqr", "field %u (%s) at byte %zu: %s", n,
			    n <= CCCDQR_FIELDS ? field_names[n - 1] : "extra", off, why);
}

/* The payload without a leading BOM and one trailing \n or \r\n. */
static struct span payload(const uint8_t *buf, size_t len)
{
	struct span p = {0, len};

	if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
		p.off = 3;
	if (len - p.off >= 1 && buf[len - 1] == '\n') {
		len--;
		if (len - p.off >= 1 && buf[len - 1] == '\r')
			len--;
	}
	p.len = len - p.off;
	return p;
}

/* Split p at '|' into f[]; 0 with *n fields, or an error when there are too few or too many. */
static int split(const uint8_t *buf, struct span p, struct span f[MAX_FIELDS], unsigned *n,
		 struct cccd_err *err)
{
	size_t start = p.off, end = p.off + p.len;
	unsigned k = 0;

	for (size_t i = p.off; i <= end; i++) {
		if (i < end && buf[i] != '|')
			continue;
		if (k == MAX_FIELDS)
			return cccd_err_set(err, -CCCD_EFORMAT, "cccdqr",
					    "byte %zu: more than %u fields", start - 1, MAX_FIELDS);
		f[k].off = start;
		f[k++].len = i - start;
		start = i + 1;
	}
	if (k < CCCDQR_FIELDS)
		return cccd_err_set(err, -CCCD_EFORMAT, "cccdqr",
				    "%u field%s, expected %u (or up to %u on the 2024 card)", k,
				    k == 1 ? "" : "s", CCCDQR_FIELDS, MAX_FIELDS);
	*n = k;
	return 0;
}

/* No control characters (C0, DEL) in any field: they are scanner junk, not card data. */
static int check_controls(const uint8_t *buf, const struct span *f, unsigned n,
			  struct cccd_err *err)
{
	for (size_t i = f->off; i < f->off + f->len; i++)
		if (buf[i] < 0x20 || buf[i] == 0x7F)
			return field_err(err, n, i, "control character 0x%02X", buf[i]);
	return 0;
}

/* Exactly `want` ASCII digits (or none, when empty_ok) into out[want + 1]. */
static int parse_digits(const uint8_t *buf, const struct span *f, unsigned n, size_t want,
			bool empty_ok, char *out, struct cccd_err *err)
{
	if (f->len == 0 && empty_ok)
		return 0;
	if (f->len != want)
		return field_err(err, n, f->off, "expected %zu digits%s, got %zu bytes", want,
				 empty_ok ? " or nothing" : "", f->len);
	for (size_t i = 0; i < want; i++) {
		if (buf[f->off + i] < '0' || buf[f->off + i] > '9')
			return field_err(err, n, f->off + i, "not a digit");
		out[i] = (char)buf[f->off + i];
	}
	out[want] = '\0';
	return 0;
}

/* NFC of the field into out[outlen]; longer than outlen - 1 bytes after NFC is an error. */
static int parse_text(const uint8_t *buf, const struct span *f, unsigned n, char *out,
		      size_t outlen, struct cccd_err *err)
{
	struct cccd_err e;
	int rc;

	/* NFD is at most ~3x its NFC: anything far longer cannot fit, refuse before normalising. */
	if (f->len > 4 * (outlen - 1))
		return field_err(err, n, f->off, "%zu bytes, at most %zu", f->len, outlen - 1);
	rc = cccd_utf8_nfc(buf + f->off, f->len, out, outlen, &e);
	if (rc == -CCCD_ENOSPC)
		return field_err(err, n, f->off, "longer than %zu bytes after NFC", outlen - 1);
	if (rc)
		return field_err(err, n, f->off, "%s", e.msg);
	return 0;
}

static int parse_date(const uint8_t *buf, const struct span *f, unsigned n, struct cccd_date *out,
		      struct cccd_err *err)
{
	struct cccd_err e;

	if (date_parse_ddmmyyyy((const char *)buf + f->off, f->len, out, &e))
		return field_err(err, n, f->off, "%s", e.msg);
	return 0;
}

/* "Nam" -> M, "Nữ" -> F, in any normalisation form. */
static int parse_sex(const uint8_t *buf, const struct span *f, unsigned n, char *sex,
		     struct cccd_err *err)
{
	char s[16];

	if (f->len >= sizeof(s) || cccd_utf8_nfc(buf + f->off, f->len, s, sizeof(s), NULL))
		return field_err(err, n, f->off, "expected \"Nam\" or \"Nữ\"");
	if (!strcmp(s, "Nam"))
		*sex = 'M';
	else if (!strcmp(s, "N\xE1\xBB\xAF")) /* Nữ: N + U+1EEF */
		*sex = 'F';
	else
		return field_err(err, n, f->off, "expected \"Nam\" or \"Nữ\"");
	return 0;
}

static bool has_non_space(const char *s)
{
	for (; *s; s++)
		if (*s != ' ')
			return true;
	return false;
}

/* Fields 1..7 into out. */
static int parse_fixed(const uint8_t *buf, const struct span *f, struct cccdqr *out,
		       struct cccd_err *err)
{
	int rc;

	if ((rc = parse_digits(buf, &f[0], 1, 12, false, out->id, err)) ||
	    (rc = parse_digits(buf, &f[1], 2, 9, true, out->old_id, err)) ||
	    (rc = parse_text(buf, &f[2], 3, out->full_name, sizeof(out->full_name), err)) ||
	    (rc = parse_date(buf, &f[3], 4, &out->birth_date, err)) ||
	    (rc = parse_sex(buf, &f[4], 5, &out->sex, err)) ||
	    (rc = parse_text(buf, &f[5], 6, out->address, sizeof(out->address), err)) ||
	    (rc = parse_date(buf, &f[6], 7, &out->issue_date, err)))
		return rc;
	if (!has_non_space(out->full_name))
		return field_err(err, 3, f[2].off, "empty");
	if (date_cmp(&out->issue_date, &out->birth_date) < 0)
		return field_err(err, 7, f[6].off, "before the birth date");
	return 0;
}

/* Fields 8.. kept raw (already valid UTF-8, no controls), bounded. */
static int keep_extras(const uint8_t *buf, const struct span *f, unsigned n, struct cccdqr *out,
		       struct cccd_err *err)
{
	for (unsigned k = CCCDQR_FIELDS; k < n; k++) {
		if (f[k].len >= CCCDQR_EXTRA_LEN)
			return field_err(err, k + 1, f[k].off, "%zu bytes, at most %u", f[k].len,
					 CCCDQR_EXTRA_LEN - 1);
		memcpy(out->extra[k - CCCDQR_FIELDS], buf + f[k].off, f[k].len);
		out->extra[k - CCCDQR_FIELDS][f[k].len] = '\0';
	}
	out->n_extra = (uint8_t)(n - CCCDQR_FIELDS);
	return 0;
}

static int parse_all(const uint8_t *buf, size_t len, struct cccdqr *out, struct cccd_err *err)
{
	struct span f[MAX_FIELDS];
	struct cccd_err e;
	unsigned n = 0;
	int rc;

	if (cccd_utf8_validate(buf, len, &e))
		return cccd_err_set(err, -CCCD_EFORMAT, "cccdqr", "%s", e.msg);
	rc = split(buf, payload(buf, len), f, &n, err);
	for (unsigned k = 0; !rc && k < n; k++)
		rc = check_controls(buf, &f[k], k + 1, err);
	if (!rc)
		rc = parse_fixed(buf, f, out, err);
	if (!rc)
		rc = keep_extras(buf, f, n, out, err);
	if (!rc)
		out->id_consistent = cccdqr_id_consistent(out->id, &out->birth_date, out->sex);
	return rc;
}

int cccdqr_parse(const uint8_t *buf, size_t len, struct cccdqr *out, struct cccd_err *err)
{
	int rc;

	if (!out || (!buf && len))
		return cccd_err_set(err, -CCCD_EINVAL, "cccdqr", "no buffer");
	memset(out, 0, sizeof(*out));
	rc = parse_all(buf ? buf : (const uint8_t *)"", len, out, err);
	if (rc)
		memset(out, 0, sizeof(*out));
	return rc;
}

bool cccdqr_id_consistent(const char *id, const struct cccd_date *birth, char sex)
{
	int g, yy;

	for (int i = 0; i < 12; i++)
		if (id[i] < '0' || id[i] > '9')
			return false;
	g = id[3] - '0'; /* 0/1: 1900s male/female, 2/3: 2000s, ... 8/9: 2200s */
	yy = (id[4] - '0') * 10 + (id[5] - '0');
	return birth->y / 100 == 19 + g / 2 && (g % 2 ? 'F' : 'M') == sex && birth->y % 100 == yy;
}
