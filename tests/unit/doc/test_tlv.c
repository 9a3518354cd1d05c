/* SPDX-License-Identifier: MIT */
/* test_tlv.c - BER-TLV reader and writer (daemon/doc/tlv.c), ITU-T X.690 §8.1, ISO 7816-4 §5.2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "doc/tlv.h"

#define HAS(e, s) assert_non_null(strstr((e).msg, (s)))

static void tags_of_one_two_and_three_bytes(void **state)
{
	static const uint8_t one[] = {0x04, 0x01, 0xAA};
	static const uint8_t two[] = {0x5F, 0x1F, 0x01, 0xAA};
	static const uint8_t three[] = {0x5F, 0x81, 0x01, 0x01, 0xAA};
	static const uint8_t cons[] = {0x7F, 0x49, 0x00};
	struct tlv t;

	(void)state;
	assert_int_equal(tlv_parse(one, sizeof(one), 0, &t, NULL), 0);
	assert_int_equal(t.tag, 0x04);
	assert_false(t.constructed);
	assert_int_equal(t.hdr_len, 2);
	assert_ptr_equal(t.value, one + 2);
	assert_int_equal(tlv_parse(two, sizeof(two), 0, &t, NULL), 0);
	assert_int_equal(t.tag, 0x5F1F);
	assert_int_equal(t.hdr_len, 3);
	assert_int_equal(t.value[0], 0xAA);
	assert_int_equal(tlv_parse(three, sizeof(three), 0, &t, NULL), 0);
	assert_int_equal(t.tag, 0x5F8101);
	assert_int_equal(t.hdr_len, 4);
	assert_int_equal(t.total, 5);
	assert_int_equal(tlv_parse(cons, sizeof(cons), 0, &t, NULL), 0);
	assert_int_equal(t.tag, 0x7F49);
	assert_true(t.constructed);
	assert_int_equal(t.len, 0);
}

static void bad_tags_rejected(void **state)
{
	static const uint8_t four[] = {0x5F, 0x81, 0x81, 0x01, 0x01, 0xAA};
	static const uint8_t zero_lead[] = {0x5F, 0x80, 0x01, 0x00};
	static const uint8_t eoc[] = {0x00, 0x00};
	static const uint8_t cut[] = {0x5F, 0x81};
	struct tlv t;
	struct cccd_err e;

	(void)state;
	assert_int_equal(tlv_parse(four, sizeof(four), 0, &t, &e), -CCCD_EFORMAT);
	HAS(e, "longer than 3 bytes");
	assert_int_equal(tlv_parse(zero_lead, sizeof(zero_lead), 0, &t, &e), -CCCD_EFORMAT);
	HAS(e, "byte 1: tag number has a leading zero");
	assert_int_equal(tlv_parse(eoc, sizeof(eoc), 0, &t, &e), -CCCD_EFORMAT);
	HAS(e, "byte 0: tag 00");
	assert_int_equal(tlv_parse(cut, sizeof(cut), 0, &t, &e), -CCCD_EFORMAT);
	HAS(e, "byte 2: tag truncated");
	assert_int_equal(tlv_parse(cut, 0, 0, &t, &e), -CCCD_EFORMAT);
	HAS(e, "byte 0: tag missing");
}

/* Encode tag 04 + the given header length bytes + vlen bytes of value into a fresh buffer. */
static uint8_t *with_header(const uint8_t *lenbytes, size_t nlen, size_t vlen, size_t *total)
{
	uint8_t *b = malloc(1 + nlen + vlen);

	assert_non_null(b);
	b[0] = 0x04;
	memcpy(b + 1, lenbytes, nlen);
	for (size_t i = 0; i < vlen; i++)
		b[1 + nlen + i] = (uint8_t)i;
	*total = 1 + nlen + vlen;
	return b;
}

static void lengths_short_and_long_form(void **state)
{
	static const struct {
		size_t len;
		uint8_t hdr[5];
		size_t n;
	} v[] = {
	    {0, {0x00}, 1},
	    {127, {0x7F}, 1},
	    {128, {0x81, 0x80}, 2},
	    {255, {0x81, 0xFF}, 2},
	    {256, {0x82, 0x01, 0x00}, 3},
	    {65535, {0x82, 0xFF, 0xFF}, 3},
	    {65536, {0x83, 0x01, 0x00, 0x00}, 4},
	    {3, {0x84, 0x00, 0x00, 0x00, 0x03}, 5}, /* BER allows non-minimal forms */
	    {5, {0x81, 0x05}, 2},
	};
	struct tlv t;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t total;
		uint8_t *b = with_header(v[i].hdr, v[i].n, v[i].len, &total);

		assert_int_equal(tlv_expect(b, total, 0x04, 0, &t, NULL), 0);
		assert_int_equal(t.len, v[i].len);
		assert_int_equal(t.hdr_len, 1 + v[i].n);
		assert_int_equal(t.total, total);
		assert_ptr_equal(t.value, b + 1 + v[i].n);
		if (v[i].len > 200)
			assert_int_equal(t.value[200], 200);
		free(b);
	}
}

static void bad_lengths_rejected(void **state)
{
	static const uint8_t hostile[] = {0x04, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00};
	static const uint8_t form85[] = {0x04, 0x85, 0x00, 0x00, 0x00, 0x00, 0x01, 0xAA};
	static const uint8_t formff[] = {0x04, 0xFF, 0x00};
	static const uint8_t past[] = {0x30, 0x05, 0x04, 0x01, 0xAA};
	struct tlv t;
	struct cccd_err e;

	(void)state;
	assert_int_equal(tlv_parse(hostile, sizeof(hostile), 0, &t, &e), -CCCD_EFORMAT);
	HAS(e, "byte 1: value of 4294967295 bytes, only 1 left");
	assert_int_equal(tlv_parse(form85, sizeof(form85), 0, &t, &e), -CCCD_EFORMAT);
	HAS(e, "byte 1: length form 85");
	assert_int_equal(tlv_parse(formff, sizeof(formff), 0, &t, &e), -CCCD_EFORMAT);
	HAS(e, "length form FF");
	assert_int_equal(tlv_parse(past, sizeof(past), 0, &t, &e), -CCCD_EFORMAT);
	HAS(e, "value of 5 bytes, only 3 left");
}

static void indefinite_nested(void **state)
{
	/* 30 80 { 31 80 { 04 01 AA } 00 00, 04 00 } 00 00 */
	static const uint8_t b[] = {0x30, 0x80, 0x31, 0x80, 0x04, 0x01, 0xAA,
				    0x00, 0x00, 0x04, 0x00, 0x00, 0x00};
	struct tlv t, c;
	struct tlv_iter it;

	(void)state;
	assert_int_equal(tlv_expect(b, sizeof(b), 0x30, TLV_ALLOW_INDEFINITE, &t, NULL), 0);
	assert_true(t.indefinite);
	assert_int_equal(t.len, 9);
	assert_int_equal(t.total, 13);
	tlv_iter_init(&it, t.value, t.len, TLV_ALLOW_INDEFINITE);
	assert_int_equal(tlv_next(&it, &c, NULL), 1);
	assert_int_equal(c.tag, 0x31);
	assert_true(c.indefinite);
	assert_int_equal(c.len, 3);
	assert_int_equal(c.total, 7);
	assert_int_equal(tlv_next(&it, &c, NULL), 1);
	assert_int_equal(c.tag, 0x04);
	assert_int_equal(c.len, 0);
	assert_int_equal(tlv_next(&it, &c, NULL), 0);
}

static void indefinite_refused(void **state)
{
	static const uint8_t cons[] = {0x30, 0x80, 0x04, 0x00, 0x00, 0x00};
	static const uint8_t prim[] = {0x04, 0x80, 0x00, 0x00};
	static const uint8_t no_eoc[] = {0x30, 0x80, 0x04, 0x01, 0xAA, 0x00};
	struct tlv t;
	struct cccd_err e;

	(void)state;
	assert_int_equal(tlv_parse(cons, sizeof(cons), 0, &t, &e), -CCCD_EFORMAT);
	HAS(e, "byte 1: indefinite length not allowed");
	assert_int_equal(tlv_parse(prim, sizeof(prim), TLV_ALLOW_INDEFINITE, &t, &e),
			 -CCCD_EFORMAT);
	HAS(e, "byte 1: indefinite length on a primitive tag");
	assert_int_equal(tlv_parse(no_eoc, sizeof(no_eoc), TLV_ALLOW_INDEFINITE, &t, &e),
			 -CCCD_EFORMAT);
	HAS(e, "byte 5: end-of-contents 00 00 missing");
}

/* levels nested 30 80 headers, then levels 00 00 closers. */
static size_t nest(uint8_t *b, int levels)
{
	size_t n = 0;

	for (int i = 0; i < levels; i++)
		b[n++] = 0x30, b[n++] = 0x80;
	for (int i = 0; i < levels; i++)
		b[n++] = 0x00, b[n++] = 0x00;
	return n;
}

static void indefinite_depth_limited(void **state)
{
	uint8_t b[4 * (TLV_MAX_DEPTH + 1)];
	struct tlv t;
	struct cccd_err e;
	size_t n;

	(void)state;
	n = nest(b, TLV_MAX_DEPTH);
	assert_int_equal(tlv_expect(b, n, 0x30, TLV_ALLOW_INDEFINITE, &t, NULL), 0);
	assert_int_equal(t.len, n - 4);
	n = nest(b, TLV_MAX_DEPTH + 1);
	assert_int_equal(tlv_parse(b, n, TLV_ALLOW_INDEFINITE, &t, &e), -CCCD_EFORMAT);
	HAS(e, "nested deeper than 32");
}

/* Every proper prefix of a valid encoding is rejected with a byte offset, never read past. */
static void truncated_at_every_cut(void **state)
{
	uint8_t b[3 + 2 + 128 + 8];
	static const uint8_t indef[] = {0x30, 0x80, 0x5F, 0x1F, 0x81, 0x02,
					0xAA, 0xBB, 0x04, 0x00, 0x00, 0x00};
	struct tlv t;
	struct cccd_err e;
	size_t n = 0;

	(void)state;
	b[n++] = 0x7F, b[n++] = 0x49, b[n++] = 0x81, b[n++] = 0x86;
	b[n++] = 0x5F, b[n++] = 0x2E, b[n++] = 0x81, b[n++] = 0x80;
	for (int i = 0; i < 128; i++)
		b[n++] = (uint8_t)i;
	b[n++] = 0x04, b[n++] = 0x00;
	assert_int_equal(tlv_expect(b, n, 0x7F49, 0, &t, NULL), 0);
	for (size_t cut = 0; cut < n; cut++) {
		uint8_t *p = malloc(cut ? cut : 1); /* exact size: ASan catches any over-read */

		memcpy(p, b, cut);
		assert_int_equal(tlv_parse(p, cut, 0, &t, &e), -CCCD_EFORMAT);
		HAS(e, "byte ");
		free(p);
	}
	assert_int_equal(tlv_expect(indef, sizeof(indef), 0x30, TLV_ALLOW_INDEFINITE, &t, NULL), 0);
	for (size_t cut = 0; cut < sizeof(indef); cut++) {
		uint8_t *p = malloc(cut ? cut : 1);

		memcpy(p, indef, cut);
		assert_int_equal(tlv_parse(p, cut, TLV_ALLOW_INDEFINITE, &t, &e), -CCCD_EFORMAT);
		free(p);
	}
}

static void iter_find_expect(void **state)
{
	static const uint8_t seq[] = {0x02, 0x01, 0x01, 0x06, 0x02, 0x28, 0x00, 0x31, 0x00};
	static const uint8_t bad[] = {0x02, 0x01, 0x01, 0x06, 0x05, 0x28};
	static const uint8_t trail[] = {0x02, 0x01, 0x01, 0x00};
	struct tlv t;
	struct tlv_iter it;
	struct cccd_err e;

	(void)state;
	assert_int_equal(tlv_find(seq, sizeof(seq), 0x06, 0, &t, NULL), 0);
	assert_ptr_equal(t.value, seq + 5);
	assert_int_equal(tlv_find(seq, sizeof(seq), 0x31, 0, &t, NULL), 0);
	assert_true(t.constructed);
	assert_int_equal(tlv_find(seq, sizeof(seq), 0x30, 0, &t, &e), -CCCD_ENOENT);
	assert_int_equal(tlv_find(bad, sizeof(bad), 0x30, 0, &t, &e), -CCCD_EFORMAT);
	HAS(e, "byte 4: value of 5 bytes, only 1 left");
	tlv_iter_init(&it, bad, sizeof(bad), 0);
	assert_int_equal(tlv_next(&it, &t, NULL), 1);
	assert_int_equal(tlv_next(&it, &t, &e), -CCCD_EFORMAT);
	assert_int_equal(tlv_expect(trail, sizeof(trail), 0x02, 0, &t, &e), -CCCD_EFORMAT);
	HAS(e, "byte 3: 1 trailing bytes");
	assert_int_equal(tlv_expect(trail, 3, 0x04, 0, &t, &e), -CCCD_EFORMAT);
	HAS(e, "tag 2, expected 4");
}

static void get_uint(void **state)
{
	static const struct {
		uint8_t b[8];
		size_t n;
		int rc;
		uint32_t v;
	} v[] = {
	    {{0x02, 0x01, 0x05}, 3, 0, 5},
	    {{0x02, 0x02, 0x00, 0x80}, 4, 0, 128},
	    {{0x02, 0x05, 0x00, 0xFF, 0xFF, 0xFF, 0xFF}, 7, 0, 0xFFFFFFFFu},
	    {{0x04, 0x01, 0x80}, 3, 0, 128}, /* not an INTEGER: unsigned */
	    {{0x02, 0x01, 0x80}, 3, -CCCD_ERANGE, 0},
	    {{0x02, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00}, 7, -CCCD_ERANGE, 0},
	    {{0x02, 0x00}, 2, -CCCD_EFORMAT, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct tlv t;
		uint32_t x = 0xDEAD;

		assert_int_equal(tlv_parse(v[i].b, v[i].n, 0, &t, NULL), 0);
		assert_int_equal(tlv_get_uint(&t, &x, NULL), v[i].rc);
		if (!v[i].rc)
			assert_int_equal(x, v[i].v);
	}
}

static void sizes(void **state)
{
	(void)state;
	assert_int_equal(tlv_len_size(0), 1);
	assert_int_equal(tlv_len_size(127), 1);
	assert_int_equal(tlv_len_size(128), 2);
	assert_int_equal(tlv_len_size(255), 2);
	assert_int_equal(tlv_len_size(256), 3);
	assert_int_equal(tlv_len_size(65535), 3);
	assert_int_equal(tlv_len_size(65536), 4);
	assert_int_equal(tlv_len_size(0xFFFFFF), 4);
	assert_int_equal(tlv_len_size(0x1000000), 5);
	assert_int_equal(tlv_tag_size(0x30), 1);
	assert_int_equal(tlv_tag_size(0x5F1F), 2);
	assert_int_equal(tlv_tag_size(0x5F8101), 3);
}

/* tlv_put then tlv_parse gives back the tag, the length and the bytes, with a DER header. */
static void writer_put_round_trip(void **state)
{
	static const size_t lens[] = {0, 127, 128, 255, 256, 65535, 65536};
	static const uint8_t hdr65536[] = {0x5F, 0x1F, 0x83, 0x01, 0x00, 0x00};
	size_t cap = 70000, n;
	uint8_t *out = malloc(cap), *val = malloc(cap);
	struct tlv_writer w;
	struct tlv t;

	(void)state;
	for (size_t i = 0; i < cap; i++)
		val[i] = (uint8_t)(i * 7);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		tlv_writer_init(&w, out, cap);
		tlv_put(&w, 0x5F1F, val, lens[i]);
		assert_int_equal(tlv_writer_done(&w, &n), 0);
		assert_int_equal(n, 2 + tlv_len_size(lens[i]) + lens[i]);
		assert_int_equal(tlv_expect(out, n, 0x5F1F, 0, &t, NULL), 0);
		assert_int_equal(t.len, lens[i]);
		if (lens[i])
			assert_memory_equal(t.value, val, lens[i]);
	}
	assert_memory_equal(out, hdr65536, sizeof(hdr65536));
	free(out);
	free(val);
}

/* tlv_open/tlv_close give the same bytes as tlv_put of the finished contents. */
static void writer_open_close_matches_put(void **state)
{
	static const size_t lens[] = {0, 1, 125, 126, 127, 128, 253, 254, 300, 65533, 70000};
	size_t cap = 80000, n1, n2;
	uint8_t *a = malloc(cap), *b = malloc(cap), *val = malloc(cap);
	struct tlv_writer w;

	(void)state;
	for (size_t i = 0; i < cap; i++)
		val[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t m;

		tlv_writer_init(&w, a, cap);
		m = tlv_open(&w, 0x7F49);
		tlv_put_raw(&w, val, lens[i]);
		tlv_close(&w, m);
		assert_int_equal(tlv_writer_done(&w, &n1), 0);
		tlv_writer_init(&w, b, cap);
		tlv_put(&w, 0x7F49, val, lens[i]);
		assert_int_equal(tlv_writer_done(&w, &n2), 0);
		assert_int_equal(n1, n2);
		assert_memory_equal(a, b, n1);
	}
	free(a);
	free(b);
	free(val);
}

/* The nested structure used by the overflow test: 30 { 31 { 04 <200> , 02 01 2A }, 04 00 }. */
static void write_nested(struct tlv_writer *w, const uint8_t *val)
{
	size_t outer = tlv_open(w, 0x30), inner = tlv_open(w, 0x31);

	tlv_put(w, 0x04, val, 200);
	tlv_put_uint(w, 0x02, 42);
	tlv_close(w, inner);
	tlv_put(w, 0x04, NULL, 0);
	tlv_close(w, outer);
}

static void writer_overflow_at_every_capacity(void **state)
{
	uint8_t val[200], ref[256], buf[256 + 16];
	struct tlv_writer w;
	struct tlv t, c;
	size_t need, n;

	(void)state;
	memset(val, 0x5A, sizeof(val));
	tlv_writer_init(&w, ref, sizeof(ref));
	write_nested(&w, val);
	assert_int_equal(tlv_writer_done(&w, &need), 0);
	assert_int_equal(need, 3 + 3 + 203 + 3 + 2); /* 30 81 D3 { 31 81 CE { 04 81 C8 .. } } */
	assert_int_equal(tlv_expect(ref, need, 0x30, 0, &t, NULL), 0);
	assert_int_equal(tlv_find(t.value, t.len, 0x31, 0, &c, NULL), 0);
	assert_int_equal(c.len, 203 + 3);
	for (size_t cap = 0; cap <= need; cap++) {
		memset(buf, 0xEE, sizeof(buf));
		tlv_writer_init(&w, buf, cap);
		write_nested(&w, val);
		for (size_t i = cap; i < sizeof(buf); i++)
			assert_int_equal(buf[i], 0xEE); /* nothing written past cap */
		if (cap < need) {
			assert_int_equal(tlv_writer_done(&w, &n), -CCCD_ENOSPC);
		} else {
			assert_int_equal(tlv_writer_done(&w, &n), 0);
			assert_int_equal(n, need);
			assert_memory_equal(buf, ref, need);
		}
	}
}

static void writer_uint_and_misuse(void **state)
{
	static const uint8_t want[] = {0x02, 0x01, 0x00, 0x02, 0x02, 0x00, 0x80,
				       0x02, 0x05, 0x00, 0xFF, 0xFF, 0xFF, 0xFF,
				       0x04, 0x01, 0x80, 0x02, 0x02, 0x01, 0x00};
	uint8_t b[64];
	struct tlv_writer w;
	size_t n;

	(void)state;
	tlv_writer_init(&w, b, sizeof(b));
	tlv_put_uint(&w, 0x02, 0);
	tlv_put_uint(&w, 0x02, 0x80);
	tlv_put_uint(&w, 0x02, 0xFFFFFFFFu);
	tlv_put_uint(&w, 0x04, 0x80);
	tlv_put_uint(&w, 0x02, 256);
	assert_int_equal(tlv_writer_done(&w, &n), 0);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(b, want, n);
	tlv_put(&w, 0x04, NULL, 3); /* a length without bytes is refused, not invented */
	assert_int_equal(tlv_writer_done(&w, &n), -CCCD_ENOSPC);
	tlv_writer_init(&w, b, sizeof(b));
	tlv_close(&w, 5); /* not a mark of this writer */
	assert_int_equal(tlv_writer_done(&w, &n), -CCCD_ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(tags_of_one_two_and_three_bytes),
	    cmocka_unit_test(bad_tags_rejected),
	    cmocka_unit_test(lengths_short_and_long_form),
	    cmocka_unit_test(bad_lengths_rejected),
	    cmocka_unit_test(indefinite_nested),
	    cmocka_unit_test(indefinite_refused),
	    cmocka_unit_test(indefinite_depth_limited),
	    cmocka_unit_test(truncated_at_every_cut),
	    cmocka_unit_test(iter_find_expect),
	    cmocka_unit_test(get_uint),
	    cmocka_unit_test(sizes),
	    cmocka_unit_test(writer_put_round_trip),
	    cmocka_unit_test(writer_open_close_matches_put),
	    cmocka_unit_test(writer_overflow_at_every_capacity),
	    cmocka_unit_test(writer_uint_and_misuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
