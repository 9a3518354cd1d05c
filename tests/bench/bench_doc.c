/* SPDX-License-Identifier: MIT */
/*
 * bench_doc.c - cost of the offline document parsers, each beside a peer doing comparable work:
 *   - a recursive BER walk of a real-layout DG13 with our tlv.c vs mbedTLS's asn1 reader;
 *   - UTF-8 NFC into stack buffers (ours) vs utf8proc_map (allocates per call);
 *   - DG13, CCCD QR and VietQR full parses (no peer: printed as absolute figures).
 * Each figure is the median of 15 runs of N calls, in ns per call. Inputs are the shipped
 * fixtures, so the figures follow the formats as the product meets them.
 */
#include <mbedtls/asn1.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

#include "core/utf8.h"
#include "doc/cccdqr.h"
#include "doc/dg13.h"
#include "doc/tlv.h"
#include "doc/vietqr.h"

#define RUNS 15

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

typedef int (*bench_fn)(const uint8_t *buf, size_t len);

/* Median ns per call of fn over RUNS runs of n calls; -1 if fn ever fails. */
static double median_ns(bench_fn fn, const uint8_t *buf, size_t len, int n)
{
	double t[RUNS];

	for (int r = 0; r < RUNS; r++) {
		double t0 = now_ns();

		for (int i = 0; i < n; i++)
			if (fn(buf, len))
				return -1;
		t[r] = (now_ns() - t0) / n;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	return t[RUNS / 2];
}

static int walk_ours(const uint8_t *buf, size_t len)
{
	struct tlv_iter it;
	struct tlv t;
	int rc;

	tlv_iter_init(&it, buf, len, 0);
	while ((rc = tlv_next(&it, &t, NULL)) == 1)
		if (t.constructed && walk_ours(t.value, t.len))
			return -1;
	return rc;
}

static int walk_mbedtls(const uint8_t *buf, size_t len)
{
	unsigned char *p = (unsigned char *)buf, *end = p + len;

	while (p < end) {
		int tag = *p++;
		size_t l;

		if ((tag & 0x1F) == 0x1F) /* DG13 uses 1-byte tags; count long ones as failures */
			return -1;
		if (mbedtls_asn1_get_len(&p, end, &l))
			return -1;
		if ((tag & 0x20) && walk_mbedtls(p, l))
			return -1;
		p += l;
	}
	return 0;
}

static int nfc_ours(const uint8_t *buf, size_t len)
{
	char out[1024];

	return cccd_utf8_nfc(buf, len, out, sizeof(out), NULL);
}

static int nfc_utf8proc_map(const uint8_t *buf, size_t len)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t n = utf8proc_map(buf, (utf8proc_ssize_t)len, &dst,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	free(dst);
	return n < 0 ? -1 : 0;
}

static int parse_dg13(const uint8_t *buf, size_t len)
{
	struct dg13 d;

	return dg13_parse(buf, len, &d, NULL);
}

static int parse_cccdqr(const uint8_t *buf, size_t len)
{
	struct cccdqr q;

	return cccdqr_parse(buf, len, &q, NULL);
}

static int parse_vietqr(const uint8_t *buf, size_t len)
{
	struct vietqr v;

	return vietqr_parse(buf, len, &v, NULL);
}

static size_t load(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		perror(path);
		exit(2);
	}
	n = fread(buf, 1, cap, f);
	fclose(f);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	return n;
}

static void report(const char *name, double ours, const char *peer, double theirs)
{
	if (ours < 0 || (peer && theirs < 0)) {
		printf("%s: FAILED on its input\n", name);
		exit(1);
	}
	if (peer)
		printf("%s: %.0f ns/call (peer %s: %.0f ns/call)\n", name, ours, peer, theirs);
	else
		printf("%s: %.0f ns/call\n", name, ours);
}

int main(void)
{
	static uint8_t dg13[4096], qr[1024], vqr[1024];
	size_t dl = load("tests/fixtures/dg13/card.bin", dg13, sizeof(dg13));
	size_t ql = load("tests/fixtures/qr/nfd.txt", qr, sizeof(qr));
	size_t vl = load("tests/fixtures/vietqr/dynamic_account.txt", vqr, sizeof(vqr));

	report("ber walk of a 554-byte DG13, tlv.c", median_ns(walk_ours, dg13, dl, 20000),
	       "mbedtls_asn1_get_len", median_ns(walk_mbedtls, dg13, dl, 20000));
	report("utf-8 NFC of a decomposed QR payload, stack buffers", median_ns(nfc_ours, qr, ql, 20000),
	       "utf8proc_map", median_ns(nfc_utf8proc_map, qr, ql, 20000));
	report("dg13_parse (all fields, NFC)", median_ns(parse_dg13, dg13, dl, 5000), NULL, 0);
	report("cccdqr_parse (decomposed input)", median_ns(parse_cccdqr, qr, ql, 5000), NULL, 0);
	report("vietqr_parse (dynamic, CRC)", median_ns(parse_vietqr, vqr, vl, 20000), NULL, 0);
	return 0;
}
