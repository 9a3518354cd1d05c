/* SPDX-License-Identifier: MIT */
/*
 * aa.h - active authentication (ICAO 9303-11 §6.1): the chip signs a fresh 8-byte challenge with
 * the private key behind DG15, which only a genuine (not cloned) chip holds. RSA signatures use
 * ISO/IEC 9796-2 digital signature scheme 1 (partial message recovery), EC keys ECDSA with the
 * hash named by DG14's ActiveAuthenticationInfo. The outcome is RESULT's checks.active.
 */
#ifndef CCCD_VERIFY_AA_H
#define CCCD_VERIFY_AA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/md.h>
#include <mbedtls/pk.h>

#include "core/err.h"
#include "emrtd/emrtd.h"

#define AA_CHALLENGE_LEN 8
#define AA_SIG_MAX	 512 /* RSA-4096; anything longer is refused unread */
#define AA_DG15_MAX	 1024

enum aa_status {
	AA_OK,	   /* the signature over our challenge verifies with DG15's key */
	AA_FAILED, /* DG15 unusable, the chip refused, or the signature is wrong */
	AA_ABSENT, /* no DG15 was read, or its key is of a kind this build cannot check */
};

struct aa_result {
	enum aa_status status;
	int code;	  /* the -CCCD_E* behind a failure (-CCCD_ENOCARD: the card left), else 0 */
	char reason[160]; /* why not ok ("ECDSA: signature does not verify"); empty when ok */
};

/* Parse DG15 (6F L SubjectPublicKeyInfo, RSA or EC on a named curve) into pk (initialised by the
 * caller with mbedtls_pk_init). 0, -CCCD_EFORMAT (with the byte offset) or -CCCD_ENOTSUP (an
 * unknown algorithm or curve, explicit EC parameters). */
int aa_dg15_parse(const uint8_t *buf, size_t len, mbedtls_pk_context *pk, struct cccd_err *err);

/* True when spki (a whole SubjectPublicKeyInfo) is an id-ecPublicKey key whose parameters are
 * explicit (a SEQUENCE) rather than a named curve: mbedTLS 2.28 cannot parse those. */
bool aa_spki_explicit_ec(const uint8_t *spki, size_t len);

/* Check the chip's answer sig to challenge with pk: ISO/IEC 9796-2 scheme 1 for RSA (header 6A,
 * trailer BC = SHA-1 or xx CC), ECDSA over hash md(challenge) for EC (plain r||s or DER;
 * md MBEDTLS_MD_NONE picks SHA-256/384/512 by the curve's size). 0, or -CCCD_ECHECK /
 * -CCCD_EFORMAT / -CCCD_ENOTSUP with the reason. */
int aa_check(const mbedtls_pk_context *pk, mbedtls_md_type_t md, const uint8_t *challenge,
	     const uint8_t *sig, size_t sig_len, struct cccd_err *err);

/* Run active authentication on an open session: a challenge from s->rng, INTERNAL AUTHENTICATE
 * (00 88 00 00 08 <challenge> 00) under SM, then aa_check against dg15. dg15 NULL/0: absent.
 * Fills res and returns res->status. */
enum aa_status aa_run(struct emrtd_session *s, const uint8_t *dg15, size_t dg15_len,
		      mbedtls_md_type_t md, struct aa_result *res);

/* The RESULT spelling: "ok", "failed", "absent". */
const char *aa_status_str(enum aa_status st);

#endif
