/* SPDX-License-Identifier: MIT */
/*
 * bench_read.c - issue 3's reading-speed figures for one full card read (PACE-CAN, AES secure
 * messaging) of the virtual CCCD (tests/fixtures/cards/an.ini), without and with a 20 KB DG2,
 * with short and with extended-length APDUs. Definitions (docs/reading.md):
 *   payload    bytes of the LDS files read (EF.COM, DG1, DG13, EF.SOD, DG14, DG15, DG2)
 *   exchanged  command + response bytes (incl. status words) of the file reads, after access
 *              control and without active/chip authentication (reported on their own line)
 *   overhead   1 - payload / exchanged (SM wrapping, APDU headers, status words, SELECTs)
 *   model      link_sim's time for the whole read: 5 ms turnaround per APDU + all bits at 424
 * kbit/s floor      payload bits at 424 kbit/s Counts are exact and repeatable (the sim is
 * deterministic); no wall clock is measured here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nfc/link_sim.h"
#include "pipeline/card_read.h"

#define CARD   "tests/fixtures/cards/an.ini"
#define EXT_LE 65472 /* chunk asked for with extended-length APDUs */

struct run {
	const char *name;
	bool dg2;
	bool ext;
	bool bac;	    /* BAC (3DES SM, 231-byte chunks) on a chip without PACE */
	unsigned max_after; /* issue 3 target: APDUs after access control */
};

/* Deterministic randomness: the benchmark counts bytes, it does not protect anything. */
static int xrng(void *ctx, unsigned char *buf, size_t len)
{
	unsigned long long *x = ctx;

	for (size_t i = 0; i < len; i++) {
		*x ^= *x << 13;
		*x ^= *x >> 7;
		*x ^= *x << 17;
		buf[i] = (unsigned char)(*x >> 32);
	}
	return 0;
}

static size_t payload(const struct pres_card *c)
{
	size_t n = 0;

	for (int f = 0; f < PRES_FILES; f++)
		n += c->len[f];
	return n;
}

/* The fewest READ BINARYs that can carry the files (no SELECT, no header read): what the
 * file-read APDU count is compared with. Chunks: extended EXT_LE; short 223 under AES SM, 231
 * under BAC's 3DES SM -- until chip authentication, whose AES keys DG2 is read under. */
static unsigned long fewest_reads(const struct run *r, const struct pres_card *c)
{
	unsigned long n = 0;

	for (int f = 0; f < PRES_FILES; f++) {
		size_t chunk = r->ext			 ? EXT_LE
			       : r->bac && f != PRES_DG2 ? SM_MAX_LE_3DES
							 : SM_MAX_LE_AES;

		n += (c->len[f] + chunk - 1) / chunk;
	}
	return n;
}

static void report(const struct run *r, const struct pres_card *c, const struct link_sim_stats *st)
{
	unsigned long after = c->stats.apdus - c->stats.apdus_access;
	unsigned long xch = c->stats.bytes_out + c->stats.bytes_in - c->stats.bytes_access;
	unsigned long files = xch - c->stats.bytes_auth;
	size_t pl = payload(c);
	double ovh = files ? 100.0 * (double)(files - pl) / (double)files : 0;
	double all = xch ? 100.0 * (double)(xch - pl) / (double)xch : 0;

	printf("read %s: APDUs after access control: %lu  (target issue 3: <= %u)\n", r->name,
	       after, r->max_after);
	printf("read %s: APDUs total: %lu  (access control: %lu, file reads: %lu, active + chip "
	       "authentication: %lu)\n",
	       r->name, c->stats.apdus, c->stats.apdus_access, after - c->stats.apdus_auth,
	       c->stats.apdus_auth);
	printf("read %s: file-read APDUs: %lu  (fewest that can carry the files: %lu)\n", r->name,
	       after - c->stats.apdus_auth, fewest_reads(r, c));
	printf("read %s: bytes sent: %lu, received: %lu  (payload: %zu)\n", r->name,
	       c->stats.bytes_out, c->stats.bytes_in, pl);
	printf(
	    "read %s: protocol overhead of the file reads: %.1f %% of %lu bytes  (target issue 3: "
	    "<= 15 %%)\n",
	    r->name, ovh, files);
	printf("read %s: overhead counting the %lu bytes of active + chip authentication too: %.1f "
	       "%% of %lu bytes\n",
	       r->name, c->stats.bytes_auth, all, xch);
	printf(
	    "read %s: modelled read time: %.1f ms  (physical floor: %.1f ms = %zu payload bits at "
	    "424 kbit/s)\n",
	    r->name, (double)st->model_us / 1000.0, (double)pl * 8.0 / 424.0, pl * 8);
}

static int run_one(const struct run *r, struct emrtd_session *s, struct pres_card *c)
{
	char uri[200];
	struct card_link link = {0};
	struct emrtd_key key = {.is_can = true, .can = "012345"};
	struct emrtd_key mrz = {.doc_number = "200012345", .birth = "000201", .expiry = "400201"};
	struct pres_read_opts o = {.want_dg2 = r->dg2};
	struct link_sim_stats st;
	struct cccd_err e = {0};
	unsigned long long seed = 0x9E3779B97F4A7C15ull;
	int rc;

	snprintf(uri, sizeof(uri),
		 "sim:" CARD "?photo=20000&ext=%d&pace=%d&latency_us=5000&bitrate=424000", r->ext,
		 !r->bac);
	rc = card_link_open(&link, uri, &e);
	if (!rc) {
		emrtd_init(s, &link, xrng, &seed, r->ext ? EXT_LE : 0);
		rc = pres_read(s, r->bac ? &mrz : &key, 1, &o, c, &e);
	}
	if (!rc && !link_sim_stats(&link, &st))
		report(r, c, &st);
	else
		fprintf(stderr, "bench_read %s: %s: %s\n", r->name, e.where, e.msg);
	if (link.ops)
		card_link_close(&link);
	return rc;
}

/* The least overhead one short READ BINARY can have under SM: command 0C B0 P1 P2 0D 97 01 Le
 * 8E 08 <MAC> 00 (19 bytes), response 87 81 L 01 <data padded to the block> 99 02 SW 8E 08 <MAC>
 * SW (chunk + padding + 18 bytes). */
static void chunk_floor(const char *cipher, unsigned chunk, unsigned block)
{
	unsigned padded = (chunk / block + 1) * block;
	unsigned xch = 19 + 4 + padded + 4 + 10 + 2;

	printf("SM %s short READ of %u bytes: overhead floor %.1f %% (%u of %u bytes)  "
	       "(target issue 3: <= 15 %%)\n",
	       cipher, chunk, 100.0 * (xch - chunk) / xch, xch - chunk, xch);
}

int main(void)
{
	static const struct run runs[] = {
	    {"PACE, without DG2, short APDUs", false, false, false, 25},
	    {"PACE, without DG2, extended APDUs", false, true, false, 25},
	    {"PACE, with 20 KB DG2, short APDUs", true, false, false, 115},
	    {"PACE, with 20 KB DG2, extended APDUs", true, true, false, 30},
	    {"BAC, with 20 KB DG2, short APDUs", true, false, true, 115},
	};
	struct emrtd_session *s = calloc(1, sizeof(*s));
	struct pres_card *c = calloc(1, sizeof(*c));
	int rc = s && c ? 0 : 1;

	for (size_t i = 0; !rc && i < sizeof(runs) / sizeof(runs[0]); i++)
		rc = run_one(&runs[i], s, c);
	chunk_floor("AES (PACE)", 223, 16);
	chunk_floor("3DES (BAC)", 231, 8);
	free(s);
	free(c);
	return rc ? 1 : 0;
}
