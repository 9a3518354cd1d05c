/* SPDX-License-Identifier: MIT */
/*
 * vietqr.c - VietQR payloads: EMVCo QRCPS merchant-presented mode v1.1 data objects and CRC
 * (tag 63), with the NAPAS QR switching profile (v1.5.2 §5: tag 38, GUID A000000727, services
 * QRIBFTTA/QRIBFTTC).
 *
 *   00 02 01 | 01 02 11 | 38 57 [00 10 A000000727 | 01 27 [00 06 970403 | 01 13 0011012345678] |
 *   02 08 QRIBFTTA] | 53 03 704 | 58 02 VN | 63 04 <CRC of everything up to and including "6304">
 *
 * Three passes over the bytes: every byte printable ASCII; the frame (00 first, each length inside
 * its template, 63 last, CRC); then each field. The NAPAS spec's own first example writes 38.01.01
 * with length 12 over 13 digits: its CRC matches, but 38.01 then ends one byte into a data object,
 * so it is rejected (the account number would be a guess). Omitted: UTF-8 values (the 64 language
 * template included), MCC and the other EMVCo tags are kept raw, not interpreted.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "doc/vietqr.h"

#define GUID_NAPAS "A000000727"

struct emv {		  /* one data object */
	const char *base; /* the payload it lies in */
	char name[12];	  /* path and id: "54", "38.01.00" */
	char id[3];
	const char *val;
	size_t len;
	size_t off; /* payload offset of its id */
};

struct walk {		  /* cursor over the data objects of one template */
	const char *s;	  /* the whole payload: offsets are reported from its start */
	size_t pos, end;  /* payload offsets */
	const char *path; /* "" at the root, else the template's name */
};

struct seen {		   /* duplicate detection within one template */
	size_t first[100]; /* payload offset + 1 of each id's first appearance, 0 = not seen */
};

__attribute__((format(printf, 4, 0))) static int
failv(struct cccd_err *err, int code, const struct emv *t, const char *fmt, va_list ap)
{
	char why[128];

	vsnprintf(why, sizeof(why), fmt, ap);
	return cccd_err_set(err, code, "vietqr", "tag %s at byte %zu: %s", t->name, t->off, why);
}

__attribute__((format(printf, 3, 4))) static int bad(struct cccd_err *err, const struct emv *t,
						     const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = failv(err, -CCCD_EFORMAT, t, fmt, ap);
	va_end(ap);
	return rc;
}

static bool isdig(char c)
{
	return c >= '0' && c <= '9';
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdig(s[i]))
			return false;
	return true;
}

static bool is_value(const struct emv *t, const char *want)
{
	return t->len == strlen(want) && !memcmp(t->val, want, t->len);
}

static void copy(char *dst, size_t cap, const struct emv *t)
{
	size_t n =
	    t->len < cap ? t->len : cap - 1; /* callers check; this only keeps it in bounds */

	memcpy(dst, t->val, n);
	dst[n] = '\0';
}

/* Walk the data objects inside the value of template tmpl. */
static void walk_init(struct walk *w, const struct emv *tmpl)
{
	w->s = tmpl->base;
	w->pos = tmpl->off + 4;
	w->end = w->pos + tmpl->len;
	w->path = tmpl->name;
}

static void name_tag(struct emv *t, const char *path)
{
	if (path[0])
		snprintf(t->name, sizeof(t->name), "%s.%s", path, t->id);
	else
		snprintf(t->name, sizeof(t->name), "%s", t->id);
}

/* Read the data object at w->pos: 1 when read, 0 at the end of the template, or an error. */
static int emv_next(struct walk *w, struct emv *t, struct cccd_err *err)
{
	size_t left = w->end - w->pos;
	const char *p = w->s + w->pos;

	if (!left)
		return 0;
	if (left < 4)
		return cccd_err_set(
		    err, -CCCD_EFORMAT, "vietqr",
		    "byte %zu: %zu stray byte(s) at the end of %s%s, too short for a "
		    "data object (a length before is wrong, or the data is cut)",
		    w->pos, left, w->path[0] ? "tag " : "the ", w->path[0] ? w->path : "payload");
	t->base = w->s;
	t->off = w->pos;
	memcpy(t->id, p, 2);
	t->id[2] = '\0';
	name_tag(t, w->path);
	if (!isdig(p[0]) || !isdig(p[1]))
		return bad(err, t, "id is not 2 digits");
	if (!isdig(p[2]) || !isdig(p[3]))
		return bad(err, t, "length '%c%c' is not 2 digits", p[2], p[3]);
	t->len = (size_t)((p[2] - '0') * 10 + (p[3] - '0'));
	if (!t->len)
		return bad(err, t, "length 00 (a value has at least 1 character)");
	if (t->len > left - 4)
		return bad(err, t, "length %zu runs past the end of %s (%zu bytes left)", t->len,
			   w->path[0] ? w->path : "the payload", left - 4);
	t->val = p + 4;
	w->pos += 4 + t->len;
	return 1;
}

static int check_dup(struct seen *seen, const struct emv *t, struct cccd_err *err)
{
	int i = (t->id[0] - '0') * 10 + (t->id[1] - '0');

	if (seen->first[i])
		return bad(err, t, "appears twice (first at byte %zu)", seen->first[i] - 1);
	seen->first[i] = t->off + 1;
	return 0;
}

uint16_t vietqr_crc16(const uint8_t *buf, size_t len)
{
	uint16_t crc = 0xFFFF;

	for (size_t i = 0; i < len; i++) {
		crc ^= (uint16_t)(buf[i] << 8);
		for (int b = 0; b < 8; b++)
			crc =
			    (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
	}
	return crc;
}

static int hexval(char c)
{
	if (isdig(c))
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Tag 63: four hex digits (either case), the last field, equal to the CRC of all before them. */
static int check_crc(const char *s, size_t len, const struct emv *t, size_t next, uint16_t *crc,
		     struct cccd_err *err)
{
	unsigned v = 0;

	if (t->len != 4)
		return bad(err, t, "CRC length %zu, expected 04", t->len);
	if (next != len)
		return bad(err, t, "CRC must be the last field (%zu bytes follow)", len - next);
	for (int i = 0; i < 4; i++) {
		int h = hexval(t->val[i]);

		if (h < 0)
			return bad(err, t, "CRC '%.4s' is not 4 hex digits", t->val);
		v = v << 4 | (unsigned)h;
	}
	*crc = vietqr_crc16((const uint8_t *)s, t->off + 4);
	if (v != *crc)
		return cccd_err_set(err, -CCCD_ECHECK, "vietqr",
				    "tag 63 at byte %zu: CRC %04X, computed %04X", t->off, v, *crc);
	return 0;
}

static int check_bytes(const uint8_t *buf, size_t len, struct cccd_err *err)
{
	if (!len)
		return cccd_err_set(err, -CCCD_EFORMAT, "vietqr", "empty payload");
	if (len > VIETQR_MAX_LEN)
		return cccd_err_set(err, -CCCD_EFORMAT, "vietqr",
				    "payload is %zu bytes, at most %d", len, VIETQR_MAX_LEN);
	for (size_t i = 0; i < len; i++)
		if (buf[i] < 0x20 || buf[i] > 0x7E)
			return cccd_err_set(err, -CCCD_EFORMAT, "vietqr",
					    "byte %zu: 0x%02X is not printable ASCII", i, buf[i]);
	return 0;
}

/* The root template: every length in bounds, 00 = "01" first, 63 last with a matching CRC. */
static int check_frame(const char *s, size_t len, uint16_t *crc, struct cccd_err *err)
{
	struct walk w = {.s = s, .pos = 0, .end = len, .path = ""};
	struct emv t;
	int rc;

	while ((rc = emv_next(&w, &t, err)) == 1) {
		if (t.off == 0 && strcmp(t.id, "00"))
			return bad(err, &t, "the payload must start with tag 00 (payload format)");
		if (!strcmp(t.id, "63"))
			return check_crc(s, len, &t, w.pos, crc, err);
	}
	if (rc < 0)
		return rc;
	return cccd_err_set(err, -CCCD_EFORMAT, "vietqr",
			    "byte %zu: no CRC (tag 63 must end the payload)", len);
}

static int f_format(const struct emv *t, struct vietqr *v, struct cccd_err *err)
{
	(void)v;
	if (!is_value(t, "01"))
		return bad(err, t, "payload format '%.*s', expected '01'", (int)t->len, t->val);
	return 0;
}

static int f_init(const struct emv *t, struct vietqr *v, struct cccd_err *err)
{
	if (!is_value(t, "11") && !is_value(t, "12"))
		return bad(err, t,
			   "point of initiation '%.*s', expected 11 (static) or 12 (dynamic)",
			   (int)t->len, t->val);
	v->dynamic = is_value(t, "12");
	v->has_initiation = true;
	return 0;
}

static int f_bin(const struct emv *t, struct vietqr *v, struct cccd_err *err)
{
	if (t->len != 6 || !all_digits(t->val, t->len))
		return bad(err, t, "bank BIN must be 6 digits");
	copy(v->bank_bin, sizeof(v->bank_bin), t);
	return 0;
}

static int f_account(const struct emv *t, struct vietqr *v, struct cccd_err *err)
{
	if (t->len > VIETQR_MAX_ACCOUNT)
		return bad(err, t, "account is %zu characters, at most %d", t->len,
			   VIETQR_MAX_ACCOUNT);
	for (size_t i = 0; i < t->len; i++) {
		char c = t->val[i];

		if (!isdig(c) && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z'))
			return bad(err, t, "account character %zu '%c' is not a letter or digit",
				   i + 1, c);
	}
	copy(v->account, sizeof(v->account), t);
	return 0;
}

/* 38.01: beneficiary organisation { 00 BIN, 01 account or card }. */
static int f_beneficiary(const struct emv *tmpl, struct vietqr *v, struct cccd_err *err)
{
	struct walk w;
	struct seen seen = {{0}};
	struct emv t;
	int rc;

	walk_init(&w, tmpl);
	while ((rc = emv_next(&w, &t, err)) == 1) {
		if ((rc = check_dup(&seen, &t, err)))
			return rc;
		if (!strcmp(t.id, "00"))
			rc = f_bin(&t, v, err);
		else if (!strcmp(t.id, "01"))
			rc = f_account(&t, v, err);
		else
			rc = bad(err, &t,
				 "unexpected in the beneficiary template (00 BIN, 01 account)");
		if (rc)
			return rc;
	}
	if (rc < 0)
		return rc;
	if (!seen.first[0] || !seen.first[1])
		return bad(err, tmpl, "missing %s.%s (%s)", tmpl->name, seen.first[0] ? "01" : "00",
			   seen.first[0] ? "account or card number" : "bank BIN");
	return 0;
}

static int f_service(const struct emv *t, struct vietqr *v, struct cccd_err *err)
{
	if (is_value(t, "QRIBFTTA"))
		v->service = VIETQR_TO_ACCOUNT;
	else if (is_value(t, "QRIBFTTC"))
		v->service = VIETQR_TO_CARD;
	else
		return bad(err, t, "service '%.*s' is not QRIBFTTA (account) or QRIBFTTC (card)",
			   t->len > 16 ? 16 : (int)t->len, t->val);
	return 0;
}

static int f_merchant_sub(const struct emv *t, struct vietqr *v, struct cccd_err *err)
{
	if (!strcmp(t->id, "00")) {
		if (t->len != strlen(GUID_NAPAS) || strncasecmp(t->val, GUID_NAPAS, t->len))
			return bad(err, t, "GUID '%.*s' is not NAPAS " GUID_NAPAS,
				   t->len > 32 ? 32 : (int)t->len, t->val);
		return 0;
	}
	if (!strcmp(t->id, "01"))
		return f_beneficiary(t, v, err);
	if (!strcmp(t->id, "02"))
		return f_service(t, v, err);
	return bad(err, t, "unexpected in the merchant account template (00, 01, 02)");
}

/* 38: merchant account information { 00 GUID, 01 beneficiary, 02 service }. */
static int f_merchant(const struct emv *tmpl, struct vietqr *v, struct cccd_err *err)
{
	struct walk w;
	struct seen seen = {{0}};
	struct emv t;
	int rc;

	walk_init(&w, tmpl);
	while ((rc = emv_next(&w, &t, err)) == 1) {
		if ((rc = check_dup(&seen, &t, err)) || (rc = f_merchant_sub(&t, v, err)))
			return rc;
	}
	if (rc < 0)
		return rc;
	for (int i = 0; i <= 2; i++)
		if (!seen.first[i])
			return bad(err, tmpl, "missing 38.0%d (%s)", i,
				   i == 0   ? "GUID"
				   : i == 1 ? "beneficiary"
					    : "service code");
	if (v->service == VIETQR_TO_CARD && !all_digits(v->account, strlen(v->account)))
		return bad(err, tmpl, "a card number (QRIBFTTC) must be digits only");
	return 0;
}

static int f_currency(const struct emv *t, struct vietqr *v, struct cccd_err *err)
{
	(void)v;
	if (!is_value(t, "704"))
		return bad(err, t, "currency '%.*s' is not 704 (VND)", t->len > 8 ? 8 : (int)t->len,
			   t->val);
	return 0;
}

/* Digits with at most one '.', digits on both sides of it, at most 13 characters. */
static int f_amount(const struct emv *t, struct vietqr *v, struct cccd_err *err)
{
	size_t dot = t->len;

	if (t->len > VIETQR_MAX_AMOUNT)
		return bad(err, t, "amount is %zu characters, at most %d", t->len,
			   VIETQR_MAX_AMOUNT);
	for (size_t i = 0; i < t->len; i++) {
		if (t->val[i] == '.' && dot == t->len)
			dot = i;
		else if (!isdig(t->val[i]))
			return bad(err, t, "amount '%.*s' is not a number", (int)t->len, t->val);
	}
	if (dot == 0 || dot == t->len - 1)
		return bad(err, t, "amount '%.*s' has no digit on one side of '.'", (int)t->len,
			   t->val);
	copy(v->amount, sizeof(v->amount), t);
	return 0;
}

static int f_country(const struct emv *t, struct vietqr *v, struct cccd_err *err)
{
	(void)v;
	if (!is_value(t, "VN"))
		return bad(err, t, "country '%.*s' is not VN", t->len > 8 ? 8 : (int)t->len,
			   t->val);
	return 0;
}

static int f_name(const struct emv *t, struct vietqr *v, struct cccd_err *err)
{
	(void)err;
	copy(v->merchant_name, sizeof(v->merchant_name), t);
	return 0;
}

static int f_city(const struct emv *t, struct vietqr *v, struct cccd_err *err)
{
	(void)err;
	copy(v->merchant_city, sizeof(v->merchant_city), t);
	return 0;
}

static int keep(struct vietqr_field *arr, size_t *n, size_t max, const struct emv *t,
		struct cccd_err *err)
{
	if (*n >= max)
		return bad(err, t, "more than %zu kept tags here", max);
	memcpy(arr[*n].id, t->id, sizeof(arr[*n].id));
	copy(arr[*n].value, sizeof(arr[*n].value), t);
	(*n)++;
	return 0;
}

/* 62: additional data { 08 purpose, others kept }. */
static int f_additional(const struct emv *tmpl, struct vietqr *v, struct cccd_err *err)
{
	struct walk w;
	struct seen seen = {{0}};
	struct emv t;
	int rc;

	walk_init(&w, tmpl);
	while ((rc = emv_next(&w, &t, err)) == 1) {
		if ((rc = check_dup(&seen, &t, err)))
			return rc;
		if (strcmp(t.id, "08"))
			rc = keep(v->extra62, &v->n_extra62, VIETQR_MAX_EXTRA62, &t, err);
		else if (t.len > VIETQR_MAX_PURPOSE)
			rc = bad(err, &t, "purpose is %zu characters, at most %d", t.len,
				 VIETQR_MAX_PURPOSE);
		else
			copy(v->purpose, sizeof(v->purpose), &t);
		if (rc)
			return rc;
	}
	return rc;
}

static int f_none(const struct emv *t, struct vietqr *v, struct cccd_err *err)
{
	(void)t, (void)v, (void)err;
	return 0; /* 63: checked with the frame */
}

static const struct {
	char id[3];
	int (*fn)(const struct emv *t, struct vietqr *v, struct cccd_err *err);
} fields[] = {
    {"00", f_format},  {"01", f_init}, {"38", f_merchant}, {"53", f_currency},	 {"54", f_amount},
    {"58", f_country}, {"59", f_name}, {"60", f_city},	   {"62", f_additional}, {"63", f_none},
};

static int read_field(const struct emv *t, struct vietqr *v, struct cccd_err *err)
{
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strcmp(t->id, fields[i].id))
			return fields[i].fn(t, v, err);
	return keep(v->extra, &v->n_extra, VIETQR_MAX_EXTRA, t, err);
}

static int need(const struct seen *seen, int id, const char *what, size_t len, struct cccd_err *err)
{
	if (seen->first[id])
		return 0;
	return cccd_err_set(err, -CCCD_EFORMAT, "vietqr",
			    "tag %02d missing (%s) in the %zu-byte payload", id, what, len);
}

static int read_fields(const char *s, size_t len, struct vietqr *v, struct cccd_err *err)
{
	struct walk w = {.s = s, .pos = 0, .end = len, .path = ""};
	struct seen seen = {{0}};
	struct emv t;
	int rc;

	while ((rc = emv_next(&w, &t, err)) == 1)
		if ((rc = check_dup(&seen, &t, err)) || (rc = read_field(&t, v, err)))
			return rc;
	if (rc < 0)
		return rc;
	if ((rc = need(&seen, 38, "merchant account information", len, err)) ||
	    (rc = need(&seen, 53, "currency", len, err)) ||
	    (rc = need(&seen, 58, "country", len, err)))
		return rc;
	return 0;
}

int vietqr_parse(const uint8_t *buf, size_t len, struct vietqr *out, struct cccd_err *err)
{
	const char *s = (const char *)buf;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = check_bytes(buf, len, err)) || (rc = check_frame(s, len, &out->crc, err)) ||
	    (rc = read_fields(s, len, out, err)))
		return rc;
	out->bank = vietqr_bank_find(out->bank_bin);
	return 0;
}

const char *vietqr_service_name(enum vietqr_service s)
{
	return s == VIETQR_TO_CARD ? "card" : "account";
}

/* --- builder --- */

struct sink { /* bounded writer into a caller's buffer */
	char *s;
	size_t cap, len; /* cap counts the NUL */
	bool full;	 /* something did not fit */
};

static bool given(const char *s)
{
	return s && s[0];
}

static void put_raw(struct sink *k, const char *p, size_t n)
{
	if (k->full || n >= k->cap - k->len) {
		k->full = true;
		return;
	}
	memcpy(k->s + k->len, p, n);
	k->len += n;
	k->s[k->len] = '\0';
}

/* Append one data object; its value must be 1..99 characters. */
static int put(struct sink *k, const char *id, const char *val, struct cccd_err *err)
{
	size_t n = strlen(val);
	char hdr[8];

	if (!n || n > VIETQR_MAX_VALUE)
		return cccd_err_set(err, -CCCD_EINVAL, "vietqr",
				    "tag %s: value of %zu characters, "
				    "expected 1..99",
				    id, n);
	snprintf(hdr, sizeof(hdr), "%.2s%02zu", id, n);
	put_raw(k, hdr, 4);
	put_raw(k, val, n);
	return 0;
}

static int put_extras(struct sink *k, int id, const struct vietqr_field *f, size_t n,
		      struct cccd_err *err)
{
	char want[3] = {(char)('0' + id / 10), (char)('0' + id % 10), '\0'};
	int rc;

	for (size_t i = 0; i < n; i++)
		if (!strcmp(f[i].id, want) && (rc = put(k, want, f[i].value, err)))
			return rc;
	return 0;
}

/* Ids of kept fields: 2 digits, and at the root none of 00, 01, 63 (written first and last). */
static int check_ids(const struct vietqr_field *f, size_t n, bool root, struct cccd_err *err)
{
	for (size_t i = 0; i < n; i++) {
		bool fixed =
		    !strcmp(f[i].id, "00") || !strcmp(f[i].id, "01") || !strcmp(f[i].id, "63");

		if (strlen(f[i].id) != 2 || !all_digits(f[i].id, 2) || (root && fixed))
			return cccd_err_set(err, -CCCD_EINVAL, "vietqr",
					    "kept tag '%.3s' is not an id the builder can place",
					    f[i].id);
	}
	return 0;
}

/* The value of 38 into m (at most 99 characters + NUL). */
static int build_merchant(const struct vietqr_req *req, char *m, size_t cap, struct cccd_err *err)
{
	char b[VIETQR_MAX_VALUE + 1];
	struct sink kb = {b, sizeof(b), 0, false}, km = {m, cap, 0, false};
	int rc;

	b[0] = m[0] = '\0';
	if (!req->bank_bin || !req->account)
		return cccd_err_set(err, -CCCD_EINVAL, "vietqr",
				    "bank BIN and account are required");
	if ((rc = put(&kb, "00", req->bank_bin, err)) || (rc = put(&kb, "01", req->account, err)))
		return rc;
	if ((rc = put(&km, "00", GUID_NAPAS, err)) || (rc = put(&km, "01", b, err)) ||
	    (rc = put(&km, "02", req->service == VIETQR_TO_CARD ? "QRIBFTTC" : "QRIBFTTA", err)))
		return rc;
	if (kb.full || km.full)
		return cccd_err_set(err, -CCCD_EINVAL, "vietqr",
				    "tag 38 longer than 99 characters");
	return 0;
}

/* The value of 62 into a ("" when there is nothing to say). */
static int build_additional(const struct vietqr_req *req, char *a, size_t cap, struct cccd_err *err)
{
	struct sink k = {a, cap, 0, false};
	int rc;

	a[0] = '\0';
	for (int id = 0; id <= 99; id++) {
		if (id == 8 && given(req->purpose) && (rc = put(&k, "08", req->purpose, err)))
			return rc;
		if ((rc = put_extras(&k, id, req->extra62, req->n_extra62, err)))
			return rc;
	}
	if (k.full)
		return cccd_err_set(err, -CCCD_EINVAL, "vietqr",
				    "tag 62 longer than 99 characters");
	return 0;
}

/* The value the builder itself writes for root tag id, or NULL. */
static const char *known(int id, const struct vietqr_req *req, const char *m, const char *a)
{
	switch (id) {
	case 38:
		return m;
	case 53:
		return "704";
	case 54:
		return given(req->amount) ? req->amount : NULL;
	case 58:
		return "VN";
	case 59:
		return given(req->merchant_name) ? req->merchant_name : NULL;
	case 60:
		return given(req->merchant_city) ? req->merchant_city : NULL;
	case 62:
		return a[0] ? a : NULL;
	default:
		return NULL;
	}
}

static int build_root(const struct vietqr_req *req, struct sink *k, const char *m, const char *a,
		      struct cccd_err *err)
{
	char hex[8];
	int rc;

	if ((rc = put(k, "00", "01", err)))
		return rc;
	if (!req->no_initiation && (rc = put(k, "01", req->dynamic ? "12" : "11", err)))
		return rc;
	for (int id = 2; id <= 99; id++) {
		const char *v = id == 63 ? NULL : known(id, req, m, a);
		char sid[3] = {(char)('0' + id / 10), (char)('0' + id % 10), '\0'};

		if (v && (rc = put(k, sid, v, err)))
			return rc;
		if ((rc = put_extras(k, id, req->extra, req->n_extra, err)))
			return rc;
	}
	put_raw(k, "6304", 4);
	if (k->full)
		return cccd_err_set(err, -CCCD_ENOSPC, "vietqr",
				    "payload needs more than %zu bytes", k->cap);
	snprintf(hex, sizeof(hex), "%04X", vietqr_crc16((const uint8_t *)k->s, k->len));
	put_raw(k, hex, 4);
	if (k->full)
		return cccd_err_set(err, -CCCD_ENOSPC, "vietqr",
				    "payload needs more than %zu bytes", k->cap);
	return 0;
}

int vietqr_build(const struct vietqr_req *req, char *out, size_t outlen, struct cccd_err *err)
{
	char m[VIETQR_MAX_VALUE + 1], a[VIETQR_MAX_VALUE + 1];
	struct sink k = {out, outlen, 0, false};
	struct cccd_err e = {0};
	struct vietqr v;
	int rc;

	if (!req || !out || !outlen)
		return cccd_err_set(err, -CCCD_EINVAL, "vietqr", "no request or no output buffer");
	out[0] = '\0';
	if ((rc = check_ids(req->extra, req->n_extra, true, err)) ||
	    (rc = check_ids(req->extra62, req->n_extra62, false, err)) ||
	    (rc = build_merchant(req, m, sizeof(m), err)) ||
	    (rc = build_additional(req, a, sizeof(a), err)) ||
	    (rc = build_root(req, &k, m, a, err)))
		goto fail;
	/* What the builder writes is exactly what the parser accepts: ask it. */
	if (vietqr_parse((const uint8_t *)out, k.len, &v, &e)) {
		rc = cccd_err_set(err, -CCCD_EINVAL, "vietqr", "request rejected: %s", e.msg);
		goto fail;
	}
	return 0;
fail:
	out[0] = '\0';
	return rc;
}

void vietqr_req_from(const struct vietqr *v, struct vietqr_req *req)
{
	memset(req, 0, sizeof(*req));
	req->bank_bin = v->bank_bin;
	req->account = v->account;
	req->service = v->service;
	req->dynamic = v->dynamic;
	req->no_initiation = !v->has_initiation;
	req->amount = v->amount;
	req->merchant_name = v->merchant_name;
	req->merchant_city = v->merchant_city;
	req->purpose = v->purpose;
	req->extra62 = v->extra62;
	req->n_extra62 = v->n_extra62;
	req->extra = v->extra;
	req->n_extra = v->n_extra;
}
