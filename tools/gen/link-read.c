/* SPDX-License-Identifier: MIT */
/*
 * link-read - reads a chip over any card_link URI with the daemon's own session code
 * (daemon/emrtd): the reader stacks' end-to-end check and benchmark driver.
 *
 *   link-read URI [--reads N] [--wait-ms MS] [--timeout-ms MS] [--ext-le N]
 *             [--bac DOC,YYMMDD,YYMMDD | --can DIGITS]
 *
 * Each read waits for a card, opens the session (PACE/BAC with a key, else plain SELECT of the
 * LDS1 application), reads EF.COM, DG1, DG2, DG13, DG14, DG15 and EF.SOD, and prints one line:
 *   read 1: ok access=plain files=7 bytes=17044 apdus=85 ms=4.81 sha256=<of all file bytes>
 *   read 2: error link_libnfc: card left the field (RF error)
 * Nothing of a failed read is printed but the error. Exit 0 when every read succeeded, 1 when one
 * failed, 2 on usage or when the reader cannot be opened.
 * Omitted: verification (daemon/verify), DG3 (needs terminal authentication).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <mbedtls/sha256.h>

#include "card_link.h"
#include "emrtd/emrtd.h"

struct args {
	const char *uri;
	unsigned long reads, wait_ms, timeout_ms, ext_le;
	struct emrtd_key key;
	bool have_key;
};

struct file_buf {
	uint8_t b[65536];
};

static const uint16_t files[] = {EMRTD_FID_COM,	   EMRTD_FID_DG(1),  EMRTD_FID_DG(2),
				 EMRTD_FID_DG(13), EMRTD_FID_DG(14), EMRTD_FID_DG(15),
				 EMRTD_FID_SOD};

static int rng(void *ctx, unsigned char *buf, size_t len)
{
	(void)ctx;
	return getrandom(buf, len, 0) == (ssize_t)len ? 0 : -1;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int select_plain(struct emrtd_session *s, struct cccd_err *err)
{
	static const uint8_t aid[] = {0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01};
	const struct apdu a = {.ins = 0xA4, .p1 = 0x04, .p2 = 0x0C, .data = aid, .lc = sizeof(aid)};
	uint8_t junk[256];
	size_t n;
	uint16_t sw;
	int rc = emrtd_transmit(s, &a, junk, sizeof(junk), &n, &sw, err);

	if (!rc && sw != 0x9000)
		return cccd_err_set(err, -CCCD_ESW, "link-read", "SELECT LDS1: SW %04X", sw);
	return rc;
}

/* One whole read; prints its line. 0 ok, else the error code. */
static int read_card(struct card_link *link, const struct args *a, struct emrtd_session *s,
		     struct file_buf *fb, unsigned long i)
{
	struct cccd_err e = {0};
	mbedtls_sha256_context h;
	uint8_t dig[32];
	double t0 = now_ms();
	unsigned long total = 0;
	size_t n;
	int rc = card_link_wait_card(link, (int)a->wait_ms, &e);

	if (rc == 0)
		rc = cccd_err_set(&e, -CCCD_ENOCARD, "link-read", "no card in %lu ms", a->wait_ms);
	if (rc < 0)
		goto out;
	emrtd_init(s, link, rng, NULL, a->ext_le);
	rc = a->have_key ? emrtd_open(s, &a->key, &e) : select_plain(s, &e);
	mbedtls_sha256_init(&h);
	mbedtls_sha256_starts_ret(&h, 0);
	for (size_t f = 0; !rc && f < sizeof(files) / sizeof(files[0]); f++) {
		rc = emrtd_read_file(s, files[f], 0, fb->b, sizeof(fb->b), &n, &e);
		if (!rc) {
			mbedtls_sha256_update_ret(&h, fb->b, n);
			total += n;
		}
	}
	mbedtls_sha256_finish_ret(&h, dig);
	mbedtls_sha256_free(&h);
	if (!rc) {
		printf("read %lu: ok access=%s files=%zu bytes=%lu apdus=%lu ms=%.2f sha256=", i,
		       s->access == EMRTD_ACCESS_PACE  ? "pace"
		       : s->access == EMRTD_ACCESS_BAC ? "bac"
						       : "plain",
		       sizeof(files) / sizeof(files[0]), total, link->apdus, now_ms() - t0);
		for (size_t k = 0; k < sizeof(dig); k++)
			printf("%02x", dig[k]);
		printf("\n");
	}
	emrtd_close(s);
out:
	if (rc)
		printf("read %lu: error %s: %s\n", i, e.where, e.msg);
	fflush(stdout);
	return rc;
}

static int parse_key(struct args *a, const char *opt, const char *v)
{
	a->have_key = true;
	if (!strcmp(opt, "--can")) {
		a->key.is_can = true;
		return snprintf(a->key.can, sizeof(a->key.can), "%s", v) >= (int)sizeof(a->key.can);
	}
	return sscanf(v, "%22[^,],%6[0-9],%6[0-9]", a->key.doc_number, a->key.birth,
		      a->key.expiry) != 3;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	*a = (struct args){.reads = 1, .wait_ms = 3000, .timeout_ms = 3000};
	if (argc < 2)
		return -1;
	a->uri = argv[1];
	for (int i = 2; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];
		char *end;
		unsigned long x = strtoul(v, &end, 10);
		bool num = *v >= '0' && *v <= '9' && !*end;

		if (!strcmp(k, "--bac") || !strcmp(k, "--can")) {
			if (parse_key(a, k, v))
				return -1;
		} else if (num && !strcmp(k, "--reads") && x >= 1 && x <= 10000)
			a->reads = x;
		else if (num && !strcmp(k, "--wait-ms") && x <= 600000)
			a->wait_ms = x;
		else if (num && !strcmp(k, "--timeout-ms") && x >= 10 && x <= 600000)
			a->timeout_ms = x;
		else if (num && !strcmp(k, "--ext-le") && x <= 65536)
			a->ext_le = x;
		else
			return -1;
	}
	return argc % 2 ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct card_link link;
	struct cccd_err e = {0};
	struct args a;
	struct emrtd_session *s = calloc(1, sizeof(*s));
	struct file_buf *fb = calloc(1, sizeof(*fb));
	int rc = 2, failed = 0;

	if (!s || !fb || parse_args(argc, argv, &a)) {
		fprintf(stderr, "usage: link-read URI [--reads N] [--wait-ms MS] [--timeout-ms MS] "
				"[--ext-le N] [--bac DOC,YYMMDD,YYMMDD | --can DIGITS]\n");
		goto out;
	}
	if (card_link_open(&link, a.uri, &e)) {
		fprintf(stderr, "link-read: %s: %s\n", e.where, e.msg);
		goto out;
	}
	link.timeout_ms = (int)a.timeout_ms;
	for (unsigned long i = 1; i <= a.reads; i++)
		failed |= read_card(&link, &a, s, fb, i) != 0;
	card_link_close(&link);
	rc = failed ? 1 : 0;
out:
	free(s);
	free(fb);
	return rc;
}
