/* SPDX-License-Identifier: MIT */
/*
 * fuzz_tlv.c - libFuzzer target for tlv_parse and the iterator (daemon/doc/tlv.c).
 * Invariants on success: the value lies inside the input; a definite-length TLV whose header is
 * DER-minimal is reproduced byte for byte by tlv_put, and a constructed one also by
 * tlv_open + its children + tlv_close; allowing indefinite lengths never rejects what the strict
 * mode accepted; children of a constructed value tile it exactly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc/tlv.h"

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

static bool der_header(const struct tlv *t)
{
	return !t->indefinite && t->hdr_len == tlv_tag_size(t->tag) + tlv_len_size(t->len);
}

static void check_reencode(const uint8_t *buf, const struct tlv *t)
{
	uint8_t *out = malloc(t->total + 1);
	struct tlv_writer w;
	size_t n = 0, mark;

	CHECK(out);
	tlv_writer_init(&w, out, t->total);
	tlv_put(&w, t->tag, t->value, t->len);
	CHECK(tlv_writer_done(&w, &n) == 0 && n == t->total && !memcmp(out, buf, n));
	tlv_writer_init(&w, out, t->total);
	mark = tlv_open(&w, t->tag);
	tlv_put_raw(&w, t->value, t->len);
	tlv_close(&w, mark);
	CHECK(tlv_writer_done(&w, &n) == 0 && n == t->total && !memcmp(out, buf, n));
	/* one byte less never fits */
	if (t->total) {
		tlv_writer_init(&w, out, t->total - 1);
		tlv_put(&w, t->tag, t->value, t->len);
		CHECK(tlv_writer_done(&w, &n) == -CCCD_ENOSPC);
	}
	free(out);
}

static void check_one(const uint8_t *buf, size_t len, unsigned flags, int depth)
{
	struct tlv t, c;
	struct tlv_iter it;
	size_t sum = 0;
	int rc;

	if (tlv_parse(buf, len, flags, &t, NULL))
		return;
	CHECK(t.value >= buf && t.len <= len && t.value - buf <= (ptrdiff_t)(len - t.len));
	CHECK(t.total <= len && t.hdr_len + t.len + (t.indefinite ? 2 : 0) == t.total);
	CHECK((size_t)(t.value - buf) == t.hdr_len);
	if (der_header(&t))
		check_reencode(buf, &t);
	if (!t.constructed || depth >= 8)
		return;
	tlv_iter_init(&it, t.value, t.len, flags);
	while ((rc = tlv_next(&it, &c, NULL)) == 1) {
		CHECK(c.value >= t.value && c.value + c.len <= t.value + t.len);
		check_one(c.value - c.hdr_len, c.total, flags, depth + 1);
		sum += c.total;
	}
	if (rc == 0)
		CHECK(sum == t.len);
	if (t.indefinite) /* its contents were walked to find 00 00, so they parse */
		CHECK(rc == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tlv strict, loose;

	check_one(data, size, 0, 0);
	check_one(data, size, TLV_ALLOW_INDEFINITE, 0);
	if (tlv_parse(data, size, 0, &strict, NULL) == 0) {
		CHECK(tlv_parse(data, size, TLV_ALLOW_INDEFINITE, &loose, NULL) == 0);
		CHECK(loose.total == strict.total && loose.len == strict.len);
	}
	return 0;
}
