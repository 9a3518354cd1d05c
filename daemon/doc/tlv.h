/* SPDX-License-Identifier: MIT */
/*
 * tlv.h - BER-TLV reader and writer (ISO/IEC 7816-4 §5.2, ITU-T X.690 §8.1) for the chip's files,
 * secure-messaging objects, DG13, CMS and PACE data.
 *
 * Tags are 1-3 bytes and kept as the big-endian integer of their bytes (0x61, 0x5F1F, 0x7F49,
 * 0x5F2E). Lengths are short form (0..127) or long form 81..84 (up to 4 length bytes); the
 * indefinite form 80 (value ends at 00 00) is accepted only on constructed tags and only when the
 * caller passes TLV_ALLOW_INDEFINITE (CMS as some signers emit it; never in the card's own files).
 * A parsed value points into the caller's buffer and never extends past it.
 *
 *   6D 0D 30 0B 02 01 01 06 06 28 D3 16 01 00 08   DG13 tag 6D, 13-byte value: SEQUENCE { INTEGER
 * 1, OID 1.0.10646.1.0.8 } (the SET of fields omitted)
 */
#ifndef CCCD_DOC_TLV_H
#define CCCD_DOC_TLV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define TLV_ALLOW_INDEFINITE 0x1u
#define TLV_MAX_DEPTH	     32 /* nesting limit when walking indefinite-length contents */

struct tlv {
	uint32_t tag;	      /* the tag's 1-3 bytes as a big-endian integer */
	bool constructed;     /* bit 6 of the first tag byte */
	bool indefinite;      /* length was 80; len excludes the 00 00 end-of-contents */
	const uint8_t *value; /* into the parsed buffer */
	size_t len;	      /* value length */
	size_t hdr_len;	      /* tag + length bytes */
	size_t total;	      /* bytes this TLV occupies: header + value (+ 2 for EOC) */
};

/* Parse the one TLV that starts at buf[0]; it must fit in len (trailing bytes are allowed and
 * ignored: see out->total). 0 or -CCCD_EFORMAT with the byte offset and reason in err. */
int tlv_parse(const uint8_t *buf, size_t len, unsigned flags, struct tlv *out,
	      struct cccd_err *err);

/* Walk the TLVs that follow each other in buf[0..len) (the value of a constructed TLV). */
struct tlv_iter {
	const uint8_t *buf;
	size_t len;
	size_t off; /* next TLV starts here */
	unsigned flags;
};

void tlv_iter_init(struct tlv_iter *it, const uint8_t *buf, size_t len, unsigned flags);

/* 1 with *out filled, 0 at the end, or a negative error (offsets in err are relative to buf). */
int tlv_next(struct tlv_iter *it, struct tlv *out, struct cccd_err *err);

/* First TLV with tag among those in buf[0..len) (one level, no recursion); -CCCD_ENOENT if none. */
int tlv_find(const uint8_t *buf, size_t len, uint32_t tag, unsigned flags, struct tlv *out,
	     struct cccd_err *err);

/* Parse a whole buffer as exactly one TLV with the expected tag: no trailing bytes. */
int tlv_expect(const uint8_t *buf, size_t len, uint32_t tag, unsigned flags, struct tlv *out,
	       struct cccd_err *err);

/* Value of a DER INTEGER/plain unsigned big-endian value of 1..4 bytes as uint32 (-CCCD_ERANGE if
 * longer or negative). */
int tlv_get_uint(const struct tlv *t, uint32_t *out, struct cccd_err *err);

/* Number of bytes the length field takes for len (1..5). */
size_t tlv_len_size(size_t len);

/* Number of bytes tag takes (1..3). */
size_t tlv_tag_size(uint32_t tag);

/* Writer into a fixed buffer. An overflow sets w->overflow; later writes are no-ops, and
 * tlv_writer_done() reports -CCCD_ENOSPC: callers check once at the end. */
struct tlv_writer {
	uint8_t *buf;
	size_t cap;
	size_t len;
	bool overflow;
};

void tlv_writer_init(struct tlv_writer *w, uint8_t *buf, size_t cap);

/* Append tag, DER length and value (value may be NULL when len is 0). */
void tlv_put(struct tlv_writer *w, uint32_t tag, const uint8_t *value, size_t len);

/* Append tag and the minimal big-endian bytes of v (a 00 sign byte added for INTEGER, tag 02). */
void tlv_put_uint(struct tlv_writer *w, uint32_t tag, uint32_t v);

/* Append raw bytes. */
void tlv_put_raw(struct tlv_writer *w, const uint8_t *bytes, size_t len);

/* Open a constructed TLV: returns a mark for tlv_close(), which writes the DER length of what was
 * appended since, moving the contents if the length needs more than one byte. */
size_t tlv_open(struct tlv_writer *w, uint32_t tag);
void tlv_close(struct tlv_writer *w, size_t mark);

/* 0 and *len = bytes written, or -CCCD_ENOSPC. */
int tlv_writer_done(const struct tlv_writer *w, size_t *len);

#endif
