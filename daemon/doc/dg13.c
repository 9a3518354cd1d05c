/* SPDX-License-Identifier: MIT */
/*
 * dg13.c - parse and build DG13 of the Vietnamese CCCD (see dg13.h; layout from FIELD-NOTES.md,
 * "DG13 field numbers"; ICAO 9303-10 only reserves DG13 for optional national data).
 *
 *   30 0F 02 01 02 0C 0A 4E 67 75 79 E1 BB 85 6E 20 41   field 2, UTF8String "Nguyễn A"
 *   30 03 02 01 0E                                       field 14 with no spouse: the number only
 *   30 81 D1 02 01 09 0C 81 CB ...                       field 9, a 203-byte residence (long form)
 *
 * Each SET element is looked up by its INTEGER, so order and lengths never matter. Values of the
 * parents and spouse fields are strings right after the number; a single SEQUENCE wrapping them is
 * also accepted. PrintableString and IA5String contents are checked as UTF-8 like UTF8String
 * (a superset of their ASCII alphabets): a card that bends the rules still reads.
 * Omitted: unknown field numbers are only recorded, not kept; the builder does not write them.
 */
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"
#include "doc/dg13.h"
#include "doc/tlv.h"

#define WHERE "dg13"

static const uint8_t dg13_oid[] = {0x28, 0xD3, 0x16, 0x01, 0x00, 0x08}; /* 1.0.10646.1.0.8 */

enum kind { K_TEXT, K_DATE, K_EXPIRY, K_PAIR, K_RAW };

struct slot {
	uint8_t kind;
	uint8_t str_tag;  /* string type the builder writes */
	bool number_only; /* builder: an empty value is written as the number alone */
	size_t off, cap;  /* member and its size */
	size_t off2;	  /* K_PAIR: second member (same size) */
};

#define M(m) offsetof(struct dg13, m), sizeof(((struct dg13 *)0)->m)
#define TEXT(m, tag)                                                                               \
	{                                                                                          \
		K_TEXT, tag, false, M(m), 0                                                        \
	}

static const struct slot slots[DG13_FIELD_MAX + 1] = {
    [DG13_ID] = TEXT(id, 0x13),
    [DG13_FULL_NAME] = TEXT(full_name, 0x0C),
    [DG13_BIRTH_DATE] = {K_DATE, 0x13, false, M(birth_date), 0},
    [DG13_SEX] = TEXT(sex, 0x0C),
    [DG13_NATIONALITY] = TEXT(nationality, 0x0C),
    [DG13_ETHNICITY] = TEXT(ethnicity, 0x0C),
    [DG13_RELIGION] = TEXT(religion, 0x0C),
    [DG13_ORIGIN] = TEXT(place_of_origin, 0x0C),
    [DG13_RESIDENCE] = TEXT(residence, 0x0C),
    [DG13_MARKS] = TEXT(identifying_marks, 0x0C),
    [DG13_ISSUE_DATE] = {K_DATE, 0x13, false, M(issue_date), 0},
    [DG13_EXPIRY] = {K_EXPIRY, 0x0C, false, M(expiry_text), 0},
    [DG13_PARENTS] = {K_PAIR, 0x0C, false, M(father), offsetof(struct dg13, mother)},
    [DG13_SPOUSE] = {K_TEXT, 0x0C, true, M(spouse), 0},
    [DG13_OLD_ID] = TEXT(old_id, 0x13),
    [DG13_UNKNOWN16] = {K_RAW, 0, false, M(raw16), 0},
};

struct ctx {
	const uint8_t *buf; /* the whole file: every offset in a message is from its start */
	struct dg13 *out;
	struct cccd_err *err;
};

bool dg13_has(const struct dg13 *d, enum dg13_field n)
{
	return n >= 1 && n <= DG13_FIELD_MAX && (d->present & (1u << n));
}

void dg13_init(struct dg13 *d)
{
	memset(d, 0, sizeof(*d));
	d->version = 1;
}

static size_t at(const struct ctx *c, const struct tlv *t)
{
	return (size_t)(t->value - c->buf) - t->hdr_len;
}

/* Restate a lower layer's error (tlv, utf8) as ours, prefixed with what was being read. */
static int wrap(const struct ctx *c, int rc, const char *what)
{
	char msg[sizeof(c->err->msg)];

	if (!c->err)
		return rc;
	snprintf(msg, sizeof(msg), "%s", c->err->msg);
	return cccd_err_set(c->err, rc, WHERE, "%s: %s", what, msg);
}

/* Iterate t's contents with offsets still counted from the start of the file. */
static void iter_in(struct tlv_iter *it, const uint8_t *base, const struct tlv *t)
{
	size_t start = (size_t)(t->value - base);

	tlv_iter_init(it, base, start + t->len, 0);
	it->off = start;
}

static int expect_next(const struct ctx *c, struct tlv_iter *it, uint32_t tag, struct tlv *t,
		       const char *what)
{
	int rc = tlv_next(it, t, c->err);

	if (rc < 0)
		return wrap(c, rc, what);
	if (rc == 0)
		return cccd_err_set(c->err, -CCCD_EFORMAT, WHERE, "byte %zu: %s missing", it->off,
				    what);
	if (t->tag != tag)
		return cccd_err_set(c->err, -CCCD_EFORMAT, WHERE,
				    "byte %zu: %s: tag %X, expected %X", at(c, t), what,
				    (unsigned)t->tag, (unsigned)tag);
	return 0;
}

static bool is_string(uint32_t tag)
{
	return tag == 0x0C || tag == 0x13 || tag == 0x16; /* UTF8, Printable, IA5 */
}

/* Validate s as UTF-8 and store its NFC form in dst[cap]. */
static int get_text(const struct ctx *c, unsigned n, const struct tlv *s, char *dst, size_t cap)
{
	struct cccd_err e = {0};
	size_t voff = (size_t)(s->value - c->buf), rel = 0;
	const char *why;
	int rc;

	if (!is_string(s->tag))
		return cccd_err_set(c->err, -CCCD_EFORMAT, WHERE,
				    "field %u at byte %zu: tag %X is not a string", n, at(c, s),
				    (unsigned)s->tag);
	rc = cccd_utf8_nfc(s->value, s->len, dst, cap, &e);
	if (rc == -CCCD_ENOSPC)
		return cccd_err_set(c->err, -CCCD_ERANGE, WHERE,
				    "field %u at byte %zu: %zu bytes of text, at most %zu", n,
				    at(c, s), s->len, cap - 1);
	if (rc == -CCCD_EFORMAT) {
		/* utf8 reports "byte N: why" relative to the value: make N absolute */
		why = strstr(e.msg, ": ");
		if (sscanf(e.msg, "byte %zu", &rel) != 1 || !why)
			rel = 0, why = ": invalid UTF-8";
		return cccd_err_set(c->err, -CCCD_EFORMAT, WHERE, "field %u at byte %zu%s", n,
				    voff + rel, why);
	}
	if (rc)
		return cccd_err_set(c->err, rc, WHERE, "field %u: %s", n, e.msg);
	return 0;
}

/* The elements left in it, at most max of them, into v[]. */
static int collect_flat(const struct ctx *c, unsigned n, struct tlv_iter *it, struct tlv *v,
			size_t max, size_t *nv)
{
	struct tlv t;
	int rc;
	char what[24];

	*nv = 0;
	snprintf(what, sizeof(what), "field %u", n);
	while ((rc = tlv_next(it, &t, c->err)) == 1) {
		if (*nv == max)
			return cccd_err_set(c->err, -CCCD_EFORMAT, WHERE,
					    "field %u at byte %zu: more than %zu value(s)", n,
					    at(c, &t), max);
		v[(*nv)++] = t;
	}
	return rc < 0 ? wrap(c, rc, what) : 0;
}

/* The values after the field number: strings, or strings inside one SEQUENCE. */
static int collect(const struct ctx *c, unsigned n, struct tlv_iter *it, struct tlv *v, size_t max,
		   size_t *nv)
{
	struct tlv_iter sub;
	struct tlv seq;
	int rc = collect_flat(c, n, it, v, max, nv);

	if (rc || *nv != 1 || v[0].tag != 0x30)
		return rc;
	seq = v[0];
	iter_in(&sub, c->buf, &seq);
	return collect_flat(c, n, &sub, v, max, nv);
}

static int get_date(const struct ctx *c, unsigned n, const struct tlv *s, struct cccd_date *d,
		    char *text, size_t cap)
{
	int rc = get_text(c, n, s, text, cap);

	if (rc)
		return rc;
	if (date_parse_dmy_slash(text, strlen(text), d, NULL))
		return cccd_err_set(c->err, -CCCD_EFORMAT, WHERE,
				    "field %u at byte %zu: not a date dd/mm/yyyy", n, at(c, s));
	return 0;
}

static int need_one(const struct ctx *c, unsigned n, size_t nv, const struct tlv *fs)
{
	if (nv == 1)
		return 0;
	return cccd_err_set(c->err, -CCCD_EFORMAT, WHERE, "field %u at byte %zu: no value", n,
			    at(c, fs));
}

/* Field 16: everything after the number, as it is. */
static int fill_raw(const struct ctx *c, unsigned n, const struct tlv_iter *it,
		    const struct tlv *fs)
{
	size_t left = it->len - it->off;

	if (left > sizeof(c->out->raw16))
		return cccd_err_set(c->err, -CCCD_ERANGE, WHERE,
				    "field %u at byte %zu: %zu bytes, at most %zu", n, at(c, fs),
				    left, sizeof(c->out->raw16));
	c->out->raw16_len = left;
	memcpy(c->out->raw16, c->buf + it->off, left);
	return 0;
}

/* Field 12: a date when it reads as one, else the card's own words. */
static int fill_expiry(const struct ctx *c, unsigned n, const struct tlv *v)
{
	struct dg13 *d = c->out;
	int rc = get_text(c, n, v, d->expiry_text, sizeof(d->expiry_text));

	if (rc)
		return rc;
	if (date_parse_dmy_slash(d->expiry_text, strlen(d->expiry_text), &d->expiry_date, NULL))
		return 0;
	d->expiry_is_date = true;
	memset(d->expiry_text, 0, sizeof(d->expiry_text));
	return 0;
}

/* Fill field n of c->out from the values left in it (fs is the field's SEQUENCE). */
static int fill(const struct ctx *c, unsigned n, struct tlv_iter *it, const struct tlv *fs)
{
	const struct slot *s = &slots[n];
	char *base = (char *)c->out, tmp[DG13_SHORT_MAX];
	struct tlv v[2];
	size_t nv = 0;
	int rc;

	if (s->kind == K_RAW)
		return fill_raw(c, n, it, fs);
	rc = collect(c, n, it, v, s->kind == K_PAIR ? 2 : 1, &nv);
	if (rc)
		return rc;
	if (s->kind == K_TEXT || s->kind == K_PAIR) {
		for (size_t i = 0; !rc && i < nv; i++)
			rc = get_text(c, n, &v[i], base + (i ? s->off2 : s->off), s->cap);
		return rc;
	}
	rc = need_one(c, n, nv, fs);
	if (rc)
		return rc;
	if (s->kind == K_EXPIRY)
		return fill_expiry(c, n, &v[0]);
	return get_date(c, n, &v[0], (struct cccd_date *)(base + s->off), tmp, sizeof(tmp));
}

/* Record an unknown field number; a repeat is an error as for known ones. */
static int note_unknown(const struct ctx *c, uint32_t n, const struct tlv *fs)
{
	struct dg13 *d = c->out;

	for (size_t i = 0; i < d->n_unknown; i++)
		if (d->unknown[i] == n)
			return cccd_err_set(c->err, -CCCD_EFORMAT, WHERE,
					    "field %u at byte %zu: appears twice", (unsigned)n,
					    at(c, fs));
	if (d->n_unknown == DG13_UNKNOWN_MAX)
		return cccd_err_set(c->err, -CCCD_ERANGE, WHERE,
				    "byte %zu: more than %d unknown fields", at(c, fs),
				    DG13_UNKNOWN_MAX);
	d->unknown[d->n_unknown++] = n;
	return 0;
}

static int parse_field(const struct ctx *c, const struct tlv *fs)
{
	struct tlv_iter it;
	struct tlv num;
	uint32_t n;
	int rc;

	if (fs->tag != 0x30)
		return cccd_err_set(c->err, -CCCD_EFORMAT, WHERE,
				    "byte %zu: SET element tag %X, expected 30", at(c, fs),
				    (unsigned)fs->tag);
	iter_in(&it, c->buf, fs);
	rc = expect_next(c, &it, 0x02, &num, "field number");
	if (rc)
		return rc;
	if (tlv_get_uint(&num, &n, NULL))
		return cccd_err_set(c->err, -CCCD_EFORMAT, WHERE,
				    "byte %zu: field number negative or too large", at(c, &num));
	if (n == 0 || n > DG13_FIELD_MAX)
		return note_unknown(c, n, fs);
	if (c->out->present & (1u << n))
		return cccd_err_set(c->err, -CCCD_EFORMAT, WHERE,
				    "field %u at byte %zu: appears twice", (unsigned)n, at(c, fs));
	c->out->present |= 1u << n;
	return fill(c, n, &it, fs);
}

/* 30 { INTEGER version, OID, SET }: nothing else, in this order. */
static int parse_header(const struct ctx *c, const struct tlv *seq, struct tlv *set)
{
	struct tlv_iter it;
	struct tlv t;
	int rc;

	iter_in(&it, c->buf, seq);
	rc = expect_next(c, &it, 0x02, &t, "version");
	if (rc)
		return rc;
	if (tlv_get_uint(&t, &c->out->version, NULL))
		return cccd_err_set(c->err, -CCCD_EFORMAT, WHERE,
				    "byte %zu: version negative or too large", at(c, &t));
	rc = expect_next(c, &it, 0x06, &t, "OID");
	if (rc)
		return rc;
	if (t.len != sizeof(dg13_oid) || memcmp(t.value, dg13_oid, t.len))
		return cccd_err_set(c->err, -CCCD_EFORMAT, WHERE,
				    "byte %zu: OID is not 1.0.10646.1.0.8", at(c, &t));
	rc = expect_next(c, &it, 0x31, set, "SET of fields");
	if (rc)
		return rc;
	rc = tlv_next(&it, &t, c->err);
	if (rc < 0)
		return wrap(c, rc, "after the SET");
	if (rc)
		return cccd_err_set(c->err, -CCCD_EFORMAT, WHERE,
				    "byte %zu: unexpected tag %X after the SET", at(c, &t),
				    (unsigned)t.tag);
	return 0;
}

int dg13_parse(const uint8_t *buf, size_t len, struct dg13 *out, struct cccd_err *err)
{
	struct ctx c = {buf, out, err};
	struct tlv file, seq, set, fs;
	struct tlv_iter it;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = tlv_expect(buf, len, 0x6D, 0, &file, err);
	if (rc)
		return wrap(&c, rc, "file");
	iter_in(&it, buf, &file);
	rc = expect_next(&c, &it, 0x30, &seq, "SEQUENCE");
	if (rc)
		return rc;
	if (it.off != it.len)
		return cccd_err_set(err, -CCCD_EFORMAT, WHERE, "byte %zu: data after the SEQUENCE",
				    it.off);
	rc = parse_header(&c, &seq, &set);
	if (rc)
		return rc;
	iter_in(&it, buf, &set);
	while ((rc = tlv_next(&it, &fs, err)) == 1) {
		rc = parse_field(&c, &fs);
		if (rc)
			return rc;
	}
	return rc < 0 ? wrap(&c, rc, "SET") : 0;
}

/* --- builder --- */

static int check_text(unsigned n, const char *s, size_t cap, struct cccd_err *err)
{
	if (strnlen(s, cap) == cap)
		return cccd_err_set(err, -CCCD_EINVAL, WHERE, "field %u: text not terminated", n);
	if (cccd_utf8_validate((const uint8_t *)s, strlen(s), NULL))
		return cccd_err_set(err, -CCCD_EINVAL, WHERE, "field %u: invalid UTF-8", n);
	return 0;
}

static int put_text(struct tlv_writer *w, unsigned n, uint8_t tag, const char *s, size_t cap,
		    struct cccd_err *err)
{
	int rc = check_text(n, s, cap, err);

	if (!rc)
		tlv_put(w, tag, (const uint8_t *)s, strlen(s));
	return rc;
}

static int put_date(struct tlv_writer *w, unsigned n, uint8_t tag, const struct cccd_date *d,
		    struct cccd_err *err)
{
	char s[40];

	if (!date_valid(d->y, d->m, d->d))
		return cccd_err_set(err, -CCCD_EINVAL, WHERE, "field %u: not a valid date", n);
	snprintf(s, sizeof(s), "%02d/%02d/%04d", d->d, d->m, d->y);
	tlv_put(w, tag, (const uint8_t *)s, 10);
	return 0;
}

static int put_value(struct tlv_writer *w, const struct dg13 *in, unsigned n, struct cccd_err *err)
{
	const struct slot *s = &slots[n];
	const char *base = (const char *)in;
	int rc;

	switch (s->kind) {
	case K_DATE:
		return put_date(w, n, s->str_tag, (const struct cccd_date *)(base + s->off), err);
	case K_EXPIRY:
		if (in->expiry_is_date)
			return put_date(w, n, s->str_tag, &in->expiry_date, err);
		return put_text(w, n, s->str_tag, in->expiry_text, s->cap, err);
	case K_PAIR:
		rc = put_text(w, n, s->str_tag, base + s->off, s->cap, err);
		return rc ? rc : put_text(w, n, s->str_tag, base + s->off2, s->cap, err);
	case K_RAW:
		if (in->raw16_len > sizeof(in->raw16))
			return cccd_err_set(err, -CCCD_EINVAL, WHERE, "field %u: raw length", n);
		tlv_put_raw(w, in->raw16, in->raw16_len);
		return 0;
	default:
		if (s->number_only && strnlen(base + s->off, s->cap) == 0)
			return 0;
		return put_text(w, n, s->str_tag, base + s->off, s->cap, err);
	}
}

int dg13_build(const struct dg13 *in, uint8_t *out, size_t cap, size_t *len, struct cccd_err *err)
{
	struct tlv_writer w;
	size_t m6d, m30, m31, mf;
	int rc;

	tlv_writer_init(&w, out, cap);
	m6d = tlv_open(&w, 0x6D);
	m30 = tlv_open(&w, 0x30);
	tlv_put_uint(&w, 0x02, in->version);
	tlv_put(&w, 0x06, dg13_oid, sizeof(dg13_oid));
	m31 = tlv_open(&w, 0x31);
	for (unsigned n = 1; n <= DG13_FIELD_MAX; n++) {
		if (!dg13_has(in, (enum dg13_field)n))
			continue;
		mf = tlv_open(&w, 0x30);
		tlv_put_uint(&w, 0x02, n);
		rc = put_value(&w, in, n, err);
		if (rc)
			return rc;
		tlv_close(&w, mf);
	}
	tlv_close(&w, m31);
	tlv_close(&w, m30);
	tlv_close(&w, m6d);
	if (tlv_writer_done(&w, len))
		return cccd_err_set(err, -CCCD_ENOSPC, WHERE, "DG13 does not fit in %zu bytes",
				    cap);
	return 0;
}

char dg13_sex_code(const struct dg13 *d)
{
	if (!dg13_has(d, DG13_SEX))
		return 0;
	if (!strcmp(d->sex, "Nam"))
		return 'M';
	return strcmp(d->sex, "Nữ") ? 0 : 'F';
}
