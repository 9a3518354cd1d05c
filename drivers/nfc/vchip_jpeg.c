/* SPDX-License-Identifier: MIT */
/*
 * vchip_jpeg.c - the virtual chip's portrait: a 96x128 grayscale baseline JPEG (ITU-T T.81 §B,
 * §F.1.2) where every 8x8 block is flat, so only DC coefficients are coded; each block is the DC
 * difference (standard luminance DC table, T.81 Table K.3) and an end-of-block from a one-symbol AC
 * table (code "0"). The picture is a light background, a face oval, eyes and a mouth.
 *
 *   FF D8  FF E0 0010 "JFIF\0" 0101 00 0001 0001 0000   FF FE len "cccd-gateway TEST ONLY..."
 *   FF DB 0043 00 08 08 ... (all 8)   FF C0 000B 08 0080 0060 01 01 11 00
 *   FF C4 001F 00 <DC counts/symbols>  FF C4 0014 10 01 00.. 00   FF DA 0008 01 01 00 00 3F 00
 *   <entropy-coded data, FF stuffed as FF 00>  FF D9
 *
 * Padding to the asked size goes into COM segments (at most 65533 bytes each) so DG2 can reach the
 * 10-40 KB of a real card and its odd-INS reads. Omitted: colour, real AC coefficients.
 */
#include <string.h>

#include "vchip_jpeg.h"

/* T.81 Table K.3: code lengths of DC categories 0..11 (counts per length 1..16, then symbols) */
static const uint8_t dc_counts[16] = {0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
static const uint16_t dc_code[12] = {0x0, 0x2,	0x3,  0x4,  0x5,  0x6,
				     0xe, 0x1e, 0x3e, 0x7e, 0xfe, 0x1fe};
static const uint8_t dc_len[12] = {2, 3, 3, 3, 3, 3, 4, 5, 6, 7, 8, 9};

struct bitw {
	uint8_t *buf;
	size_t cap;
	size_t len;
	uint32_t acc; /* pending bits, MSB first */
	unsigned n;   /* number of pending bits */
	int overflow;
};

static void put_byte(struct bitw *w, uint8_t b)
{
	if (w->len >= w->cap) {
		w->overflow = 1;
		return;
	}
	w->buf[w->len++] = b;
}

static void put_bytes(struct bitw *w, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_byte(w, ((const uint8_t *)p)[i]);
}

static void put_bits(struct bitw *w, uint32_t bits, unsigned n)
{
	w->acc = (w->acc << n) | (bits & ((1u << n) - 1));
	w->n += n;
	while (w->n >= 8) {
		uint8_t b = (uint8_t)(w->acc >> (w->n - 8));

		put_byte(w, b);
		if (b == 0xff)
			put_byte(w, 0x00); /* T.81 §F.1.2.3 byte stuffing */
		w->n -= 8;
	}
}

static void put_marker(struct bitw *w, uint8_t m, size_t seg_len)
{
	uint8_t h[4] = {0xff, m, (uint8_t)(seg_len >> 8), (uint8_t)seg_len};

	put_bytes(w, h, seg_len ? 4 : 2);
}

/* Gray level of block (bx, by): background, face oval, eyes, mouth. */
static int block_level(int bx, int by)
{
	int dx = 2 * bx - 11; /* centre of 12 blocks across, in half blocks */
	int dy = 2 * by - 13;

	if ((by == 6 && (bx == 4 || bx == 7)) || (by == 10 && bx >= 5 && bx <= 6))
		return 60;
	if (dx * dx * 16 + dy * dy * 9 <= 16 * 9 * 16)
		return 170;
	return by >= 13 ? 90 : 215;
}

static void put_dc(struct bitw *w, int diff)
{
	unsigned cat = 0;
	int mag = diff < 0 ? -diff : diff;

	while (mag >> cat)
		cat++;
	put_bits(w, dc_code[cat], dc_len[cat]);
	if (cat)
		put_bits(w, (uint32_t)(diff < 0 ? diff + (1 << cat) - 1 : diff), cat);
	put_bits(w, 0, 1); /* end of block: the one AC symbol */
}

static void put_scan(struct bitw *w)
{
	int pred = 0;

	for (int by = 0; by < VCHIP_JPEG_H / 8; by++) {
		for (int bx = 0; bx < VCHIP_JPEG_W / 8; bx++) {
			int dc = block_level(bx, by) - 128; /* quantiser 8: DC/8 = mean - 128 */

			put_dc(w, dc - pred);
			pred = dc;
		}
	}
	if (w->n)
		put_bits(w, 0x7f, 8 - w->n); /* pad with 1 bits */
}

static void put_tables(struct bitw *w)
{
	static const uint8_t sof[] = {8,
				      VCHIP_JPEG_H >> 8,
				      VCHIP_JPEG_H & 0xff,
				      VCHIP_JPEG_W >> 8,
				      VCHIP_JPEG_W & 0xff,
				      1,
				      1,
				      0x11,
				      0};
	uint8_t q[65];

	memset(q, 8, sizeof(q));
	q[0] = 0;
	put_marker(w, 0xdb, 2 + sizeof(q));
	put_bytes(w, q, sizeof(q));
	put_marker(w, 0xc0, 2 + sizeof(sof));
	put_bytes(w, sof, sizeof(sof));
	put_marker(w, 0xc4, 2 + 1 + 16 + 12);
	put_byte(w, 0x00);
	put_bytes(w, dc_counts, 16);
	for (uint8_t i = 0; i < 12; i++)
		put_byte(w, i);
	put_marker(w, 0xc4, 2 + 1 + 16 + 1);
	put_byte(w, 0x10);
	put_byte(w, 1);
	for (int i = 1; i < 16; i++)
		put_byte(w, 0);
	put_byte(w, 0x00);
}

static void put_comments(struct bitw *w, size_t pad)
{
	static const char text[] = "cccd-gateway TEST ONLY synthetic portrait. ";

	while (pad >= 5) {
		size_t n = pad - 4 > 65533 ? 65533 : pad - 4;

		if (pad - 4 - n > 0 && pad - 4 - n < 5)
			n -= 5; /* leave room for a last segment of at least one byte */
		put_marker(w, 0xfe, n + 2);
		for (size_t i = 0; i < n; i++)
			put_byte(w, (uint8_t)text[i % (sizeof(text) - 1)]);
		pad -= n + 4;
	}
}

static size_t jpeg_pass(uint8_t *out, size_t cap, size_t pad, int *overflow)
{
	static const uint8_t jfif[] = {'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0};
	static const uint8_t sos[] = {1, 1, 0, 0, 0x3f, 0};
	struct bitw w = {.buf = out, .cap = cap};

	put_marker(&w, 0xd8, 0);
	put_marker(&w, 0xe0, 2 + sizeof(jfif));
	put_bytes(&w, jfif, sizeof(jfif));
	put_comments(&w, pad);
	put_tables(&w);
	put_marker(&w, 0xda, 2 + sizeof(sos));
	put_bytes(&w, sos, sizeof(sos));
	put_scan(&w);
	put_marker(&w, 0xd9, 0);
	*overflow = w.overflow;
	return w.len;
}

int vchip_jpeg_write(size_t size, uint8_t *out, size_t cap, struct cccd_err *err)
{
	int overflow;
	size_t base;

	if (size < VCHIP_JPEG_MIN)
		return cccd_err_set(err, -CCCD_ERANGE, "vchip_jpeg", "size %zu below %d", size,
				    VCHIP_JPEG_MIN);
	if (size > cap)
		return cccd_err_set(err, -CCCD_ENOSPC, "vchip_jpeg", "size %zu, room for %zu", size,
				    cap);
	base = jpeg_pass(out, cap, 0, &overflow);
	if (overflow || base + 5 > size)
		return cccd_err_set(err, -CCCD_ERANGE, "vchip_jpeg", "image of %zu bytes vs %zu",
				    base, size);
	jpeg_pass(out, cap, size - base, &overflow);
	return 0;
}
