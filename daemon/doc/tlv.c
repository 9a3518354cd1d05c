/* SPDX-License-Identifier: MIT */
/*
 * tlv.c - BER-TLV reader and writer (ISO/IEC 7816-4 §5.2, ITU-T X.690 §8.1.2-8.1.5).
 *
 *   5F 1F 81 C8 <200 bytes>   2-byte tag 5F1F, long-form length 0xC8, value of 200 bytes
 *   30 80 04 01 AA 00 00      constructed SEQUENCE, indefinite length, one child, end-of-contents
 *
 * Every offset is checked against the remaining length before it is read, and a length is compared
 * with what is left (never added to an offset first), so a hostile 84 FF FF FF FF cannot wrap.
 * Errors give the byte offset from the start of the caller's buffer.
 * Omitted: tags longer than 3 bytes, length forms 85+ (X.690 allows up to 126 length bytes; no
 * card file or CMS object we read comes near 4 GB), and the 00/FF padding of ISO 7816-4 between
 * objects (we never see it in LDS files). Tag 00 is reserved for end-of-contents and rejected.
 */
#include <string.h>

#include "doc/tlv.h"

#define WHERE "tlv"

/* Read the 1-3 tag bytes at buf[off]; *n = their count. */
static int parse_tag(const uint8_t *buf, size_t len, size_t off, uint32_t *tag, size_t *n,
		     struct cccd_err *err)
{
	uint32_t t = 0;
	size_t i = 1;

	if (off >= len)
		return cccd_err_set(err, -CCCD_EFORMAT, WHERE, "byte %zu: tag missing", off);
	t = buf[off];
	if (t == 0)
		return cccd_err_set(err, -CCCD_EFORMAT, WHERE, "byte %zu: tag 00 (end-of-contents)",
				    off);
	if ((t & 0x1F) == 0x1F) {
		do {
			if (i == 3)
				return cccd_err_set(err, -CCCD_EFORMAT, WHERE,
						    "byte %zu: tag longer than 3 bytes", off);
			if (i >= len - off)
				return cccd_err_set(err, -CCCD_EFORMAT, WHERE,
						    "byte %zu: tag truncated", off + i);
			if (i == 1 && buf[off + 1] == 0x80)
				return cccd_err_set(err, -CCCD_EFORMAT, WHERE,
						    "byte %zu: tag number has a leading zero",
						    off + 1);
			t = (t << 8) | buf[off + i];
		} while (buf[off + i++] & 0x80);
	}
	*tag = t;
	*n = i;
	return 0;
}

/* Read the length field at buf[off]; *indef set for 80. *n = its byte count. The length is only
 * decoded here; the caller compares it with what is left. */
static int parse_len(const uint8_t *buf, size_t len, size_t off, size_t *vlen, bool *indef,
		     size_t *n, struct cccd_err *err)
{
	uint8_t b;
	uint32_t v = 0;
	size_t k;

	if (off >= len)
		return cccd_err_set(err, -CCCD_EFORMAT, WHERE, "byte %zu: length missing", off);
	b = buf[off];
	*indef = b == 0x80;
	*n = 1;
	if (b <= 0x80) {
		*vlen = b == 0x80 ? 0 : b;
		return 0;
	}
	k = b & 0x7Fu;
	if (k > 4)
		return cccd_err_set(err, -CCCD_EFORMAT, WHERE,
				    "byte %zu: length form %02X not supported (max 84)", off, b);
	if (k > len - off - 1)
		return cccd_err_set(err, -CCCD_EFORMAT, WHERE, "byte %zu: length truncated", off);
	for (size_t i = 1; i <= k; i++)
		v = (v << 8) | buf[off + i];
#if SIZE_MAX < 0xFFFFFFFFu
	if (v > SIZE_MAX)
		return cccd_err_set(err, -CCCD_ERANGE, WHERE, "byte %zu: length does not fit", off);
#endif
	*vlen = (size_t)v;
	*n = k + 1;
	return 0;
}

static int parse_at(const uint8_t *buf, size_t len, size_t off, unsigned flags, int depth,
		    struct tlv *out, struct cccd_err *err);

/* Find the 00 00 that ends indefinite contents starting at buf[start]; *end = its offset. */
static int find_eoc(const uint8_t *buf, size_t len, size_t start, unsigned flags, int depth,
		    size_t *end, struct cccd_err *err)
{
	size_t p = start;
	struct tlv child;
	int rc;

	if (depth >= TLV_MAX_DEPTH)
		return cccd_err_set(err, -CCCD_EFORMAT, WHERE,
				    "byte %zu: indefinite lengths nested deeper than %d", start,
				    TLV_MAX_DEPTH);
	for (;;) {
		if (p >= len || len - p < 2)
			return cccd_err_set(err, -CCCD_EFORMAT, WHERE,
					    "byte %zu: end-of-contents 00 00 missing", p);
		if (buf[p] == 0 && buf[p + 1] == 0) {
			*end = p;
			return 0;
		}
		rc = parse_at(buf, len, p, flags, depth + 1, &child, err);
		if (rc)
			return rc;
		p += child.total;
	}
}

static int parse_at(const uint8_t *buf, size_t len, size_t off, unsigned flags, int depth,
		    struct tlv *out, struct cccd_err *err)
{
	size_t tn = 0, ln = 0, vlen = 0, start, end = 0;
	bool indef;
	int rc;

	rc = parse_tag(buf, len, off, &out->tag, &tn, err);
	if (rc)
		return rc;
	rc = parse_len(buf, len, off + tn, &vlen, &indef, &ln, err);
	if (rc)
		return rc;
	out->constructed = (buf[off] & 0x20) != 0;
	out->indefinite = indef;
	out->hdr_len = tn + ln;
	start = off + tn + ln;
	out->value = buf + start;
	if (!indef) {
		if (vlen > len - start)
			return cccd_err_set(err, -CCCD_EFORMAT, WHERE,
					    "byte %zu: value of %zu bytes, only %zu left", off + tn,
					    vlen, len - start);
		out->len = vlen;
		out->total = out->hdr_len + vlen;
		return 0;
	}
	if (!out->constructed)
		return cccd_err_set(err, -CCCD_EFORMAT, WHERE,
				    "byte %zu: indefinite length on a primitive tag", off + tn);
	if (!(flags & TLV_ALLOW_INDEFINITE))
		return cccd_err_set(err, -CCCD_EFORMAT, WHERE,
				    "byte %zu: indefinite length not allowed here", off + tn);
	rc = find_eoc(buf, len, start, flags, depth, &end, err);
	if (rc)
		return rc;
	out->len = end - start;
	out->total = out->hdr_len + out->len + 2;
	return 0;
}

int tlv_parse(const uint8_t *buf, size_t len, unsigned flags, struct tlv *out, struct cccd_err *err)
{
	if (!buf && len)
		return cccd_err_set(err, -CCCD_EINVAL, WHERE, "NULL buffer");
	return parse_at(buf, len, 0, flags, 0, out, err);
}

void tlv_iter_init(struct tlv_iter *it, const uint8_t *buf, size_t len, unsigned flags)
{
	it->buf = buf;
	it->len = len;
	it->off = 0;
	it->flags = flags;
}

int tlv_next(struct tlv_iter *it, struct tlv *out, struct cccd_err *err)
{
	int rc;

	if (it->off >= it->len)
		return 0;
	rc = parse_at(it->buf, it->len, it->off, it->flags, 0, out, err);
	if (rc)
		return rc;
	it->off += out->total;
	return 1;
}

int tlv_find(const uint8_t *buf, size_t len, uint32_t tag, unsigned flags, struct tlv *out,
	     struct cccd_err *err)
{
	struct tlv_iter it;
	int rc;

	tlv_iter_init(&it, buf, len, flags);
	while ((rc = tlv_next(&it, out, err)) == 1)
		if (out->tag == tag)
			return 0;
	if (rc)
		return rc;
	return cccd_err_set(err, -CCCD_ENOENT, WHERE, "tag %X not found", (unsigned)tag);
}

int tlv_expect(const uint8_t *buf, size_t len, uint32_t tag, unsigned flags, struct tlv *out,
	       struct cccd_err *err)
{
	int rc = tlv_parse(buf, len, flags, out, err);

	if (rc)
		return rc;
	if (out->tag != tag)
		return cccd_err_set(err, -CCCD_EFORMAT, WHERE, "byte 0: tag %X, expected %X",
				    (unsigned)out->tag, (unsigned)tag);
	if (out->total != len)
		return cccd_err_set(err, -CCCD_EFORMAT, WHERE, "byte %zu: %zu trailing bytes",
				    out->total, len - out->total);
	return 0;
}

int tlv_get_uint(const struct tlv *t, uint32_t *out, struct cccd_err *err)
{
	size_t i = 0;
	uint32_t v = 0;

	if (t->len == 0)
		return cccd_err_set(err, -CCCD_EFORMAT, WHERE, "tag %X: empty integer",
				    (unsigned)t->tag);
	/* Only an INTEGER carries a sign; other tags hold plain unsigned numbers. */
	if (t->tag == 0x02 && (t->value[0] & 0x80))
		return cccd_err_set(err, -CCCD_ERANGE, WHERE, "tag 02: negative integer");
	while (i < t->len && t->value[i] == 0)
		i++;
	if (t->len - i > 4)
		return cccd_err_set(err, -CCCD_ERANGE, WHERE, "tag %X: integer of %zu bytes",
				    (unsigned)t->tag, t->len);
	for (; i < t->len; i++)
		v = (v << 8) | t->value[i];
	*out = v;
	return 0;
}

size_t tlv_len_size(size_t len)
{
	if (len < 0x80)
		return 1;
	if (len <= 0xFF)
		return 2;
	if (len <= 0xFFFF)
		return 3;
	if (len <= 0xFFFFFF)
		return 4;
	return 5;
}

size_t tlv_tag_size(uint32_t tag)
{
	if (tag > 0xFFFF)
		return 3;
	if (tag > 0xFF)
		return 2;
	return 1;
}

void tlv_writer_init(struct tlv_writer *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->cap = buf ? cap : 0;
	w->len = 0;
	w->overflow = false;
}

/* True (and room reserved) when n more bytes fit; else the writer is marked overflowed. */
static bool room(struct tlv_writer *w, size_t n)
{
	if (w->overflow || n > w->cap - w->len) {
		w->overflow = true;
		return false;
	}
	return true;
}

/* Write the length field of len at p (tlv_len_size(len) bytes). */
static void encode_len(uint8_t *p, size_t len)
{
	size_t n = tlv_len_size(len);

	if (n == 1) {
		p[0] = (uint8_t)len;
		return;
	}
	p[0] = (uint8_t)(0x80 | (n - 1));
	for (size_t i = n - 1; i >= 1; i--, len >>= 8)
		p[i] = (uint8_t)(len & 0xFF);
}

static void put_tag(struct tlv_writer *w, uint32_t tag)
{
	size_t n = tlv_tag_size(tag);

	if (!room(w, n))
		return;
	for (size_t i = 0; i < n; i++)
		w->buf[w->len++] = (uint8_t)(tag >> (8 * (n - 1 - i)));
}

/* The reader accepts at most 4 length bytes, so the writer refuses to produce more. */
static void put_len(struct tlv_writer *w, size_t len)
{
	size_t n = tlv_len_size(len);

	if (len > 0xFFFFFFFFu) {
		w->overflow = true;
		return;
	}
	if (!room(w, n))
		return;
	encode_len(w->buf + w->len, len);
	w->len += n;
}

void tlv_put_raw(struct tlv_writer *w, const uint8_t *bytes, size_t len)
{
	if (len && !bytes) {
		w->overflow = true;
		return;
	}
	if (!len || !room(w, len))
		return;
	memcpy(w->buf + w->len, bytes, len);
	w->len += len;
}

void tlv_put(struct tlv_writer *w, uint32_t tag, const uint8_t *value, size_t len)
{
	put_tag(w, tag);
	put_len(w, len);
	tlv_put_raw(w, value, len);
}

void tlv_put_uint(struct tlv_writer *w, uint32_t tag, uint32_t v)
{
	uint8_t b[5];
	size_t n = 0;

	for (int shift = 24; shift >= 0; shift -= 8)
		if (n || (v >> shift) & 0xFF || shift == 0)
			b[n++] = (uint8_t)(v >> shift);
	if (tag == 0x02 && (b[0] & 0x80)) { /* keep an INTEGER positive: sign byte */
		memmove(b + 1, b, n++);
		b[0] = 0;
	}
	tlv_put(w, tag, b, n);
}

size_t tlv_open(struct tlv_writer *w, uint32_t tag)
{
	put_tag(w, tag);
	if (room(w, 1))
		w->buf[w->len++] = 0; /* one length byte reserved; tlv_close widens it if needed */
	return w->len;
}

void tlv_close(struct tlv_writer *w, size_t mark)
{
	size_t clen, n;

	if (w->overflow)
		return;
	if (mark == 0 || mark > w->len) {
		w->overflow = true; /* not a mark from tlv_open on this writer */
		return;
	}
	clen = w->len - mark;
	n = tlv_len_size(clen);
	if (clen > 0xFFFFFFFFu || !room(w, n - 1)) {
		w->overflow = true;
		return;
	}
	memmove(w->buf + mark + n - 1, w->buf + mark, clen);
	encode_len(w->buf + mark - 1, clen);
	w->len += n - 1;
}

int tlv_writer_done(const struct tlv_writer *w, size_t *len)
{
	if (w->overflow)
		return -CCCD_ENOSPC;
	*len = w->len;
	return 0;
}
