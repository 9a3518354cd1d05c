/* SPDX-License-Identifier: MIT */
/*
 * sim_session.h - a terminal session against the virtual chip (sim: link) for the verify tests
 * (header-only, test code only): a seeded DRBG as the session's rng, emrtd_open with a key, and
 * whole-file reads. Tests run from the repository root (tests/run-tests.sh).
 */
#ifndef TEST_VERIFY_SIM_SESSION_H
#define TEST_VERIFY_SIM_SESSION_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/hmac_drbg.h>

#include "card_link.h"
#include "emrtd/emrtd.h"

struct simt {
	struct card_link link;
	mbedtls_hmac_drbg_context rng;
	struct emrtd_session s;
	uint8_t dg1[128], dg13[4096], dg14[2048], dg15[1024], sod[8192];
	size_t n1, n13, n14, n15, nsod;
};

/* The MRZ key of tests/fixtures/cards/an.ini (and of the verify fixtures derived from it). */
static const struct emrtd_key simt_an_key = {
    .doc_number = "200012345", .birth = "000201", .expiry = "400201"};

/* Open uri, run access control with key, read DG1, DG13, DG14, DG15 and EF.SOD. Aborts the test
 * binary on failure: every caller needs a card it can read. */
static inline struct simt *simt_open(const char *uri, const struct emrtd_key *key)
{
	struct simt *t = calloc(1, sizeof(*t));
	struct cccd_err e = {0};
	int rc;

	if (!t || card_link_open(&t->link, uri, &e)) {
		fprintf(stderr, "%s: %s: %s\n", uri, e.where, e.msg);
		abort();
	}
	mbedtls_hmac_drbg_init(&t->rng);
	mbedtls_hmac_drbg_seed_buf(&t->rng, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
				   (const unsigned char *)"verify terminal", 15);
	emrtd_init(&t->s, &t->link, mbedtls_hmac_drbg_random, &t->rng, 0);
	rc = emrtd_open(&t->s, key, &e);
	rc = rc ? rc
		: emrtd_read_file(&t->s, EMRTD_FID_DG(1), 1, t->dg1, sizeof(t->dg1), &t->n1, &e);
	rc = rc ? rc
		: emrtd_read_file(&t->s, EMRTD_FID_DG(13), 13, t->dg13, sizeof(t->dg13), &t->n13,
				  &e);
	rc = rc ? rc
		: emrtd_read_file(&t->s, EMRTD_FID_DG(14), 14, t->dg14, sizeof(t->dg14), &t->n14,
				  &e);
	rc = rc ? rc
		: emrtd_read_file(&t->s, EMRTD_FID_DG(15), 15, t->dg15, sizeof(t->dg15), &t->n15,
				  &e);
	rc = rc ? rc
		: emrtd_read_file(&t->s, EMRTD_FID_SOD, 0x1d, t->sod, sizeof(t->sod), &t->nsod, &e);
	if (rc) {
		fprintf(stderr, "%s: %s: %s\n", uri, e.where, e.msg);
		abort();
	}
	return t;
}

static inline void simt_close(struct simt *t)
{
	emrtd_close(&t->s);
	card_link_close(&t->link);
	mbedtls_hmac_drbg_free(&t->rng);
	free(t);
}

#endif
