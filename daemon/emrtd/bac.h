/* SPDX-License-Identifier: MIT */
/*
 * bac.h - Basic Access Control, ICAO 9303-11 §4.3 and §9.7.1, for the terminal and (through the
 * role-neutral cryptogram and session functions) the virtual chip.
 *
 * Terminal flow: bac_mrz_info -> bac_key_seed -> bac_keys -> bac_authenticate (GET CHALLENGE,
 * EXTERNAL AUTHENTICATE, response check) -> an sm_ctx with KSenc, KSmac and the SSC.
 */
#ifndef CCCD_EMRTD_BAC_H
#define CCCD_EMRTD_BAC_H

#include <stddef.h>
#include <stdint.h>

#include "card_link.h"
#include "core/err.h"
#include "emrtd/crypto.h"
#include "emrtd/sm.h"

#define BAC_MRZ_INFO_MAX   40 /* document number (up to 22) + cd + 6 + cd + 6 + cd + NUL */
#define BAC_CRYPTOGRAM_LEN 40 /* E(32) || MAC(8) */

/* MRZ information = doc number (padded with '<' to 9) + cd + birth YYMMDD + cd + expiry + cd,
 * check digits per ICAO 9303-3 §4.9. -CCCD_EFORMAT for characters outside 0-9 A-Z '<' (dates:
 * 0-9 and '<' only). */
int bac_mrz_info(const char *doc_number, const char *birth, const char *expiry, char *out,
		 size_t cap, struct cccd_err *err);

/* K_seed = first 16 bytes of SHA-1(MRZ information). */
int bac_key_seed(const char *mrz_info, size_t len, uint8_t seed[16], struct cccd_err *err);

/* K_enc, K_mac = KDF(K_seed, 1 / 2), 3DES with parity. */
int bac_keys(const uint8_t seed[16], uint8_t kenc[16], uint8_t kmac[16], struct cccd_err *err);

/* out = E(kenc, a || b || k) || retail MAC(kmac, E(..)). Terminal: a = RND.IFD, b = RND.ICC,
 * k = K.IFD; chip: a = RND.ICC, b = RND.IFD, k = K.ICC. */
int bac_cryptogram_build(const uint8_t kenc[16], const uint8_t kmac[16], const uint8_t a[8],
			 const uint8_t b[8], const uint8_t k[16], uint8_t out[BAC_CRYPTOGRAM_LEN],
			 struct cccd_err *err);

/* Check the MAC of a 40-byte cryptogram, then decrypt it into s = a || b || k (32 bytes).
 * -CCCD_EFORMAT for another length, -CCCD_ECHECK for a wrong MAC (s untouched). */
int bac_cryptogram_open(const uint8_t kenc[16], const uint8_t kmac[16], const uint8_t *in,
			size_t len, uint8_t s[32], struct cccd_err *err);

/* Session keys from K.IFD xor K.ICC and SSC = RND.ICC[4..8) || RND.IFD[4..8) (§9.7.3), the same
 * call on both sides. */
int bac_session(const uint8_t k_ifd[16], const uint8_t k_icc[16], const uint8_t rnd_icc[8],
		const uint8_t rnd_ifd[8], struct sm_ctx *sm, struct cccd_err *err);

/* Terminal: run GET CHALLENGE and EXTERNAL AUTHENTICATE over link with RND.IFD and K.IFD from
 * rng; on success sm holds the session. -CCCD_EAUTH when the chip refuses the key (6300/6982),
 * -CCCD_ECHECK when its answer does not prove the key (MAC, RND.IFD echo). */
int bac_authenticate(struct card_link *link, const uint8_t kenc[16], const uint8_t kmac[16],
		     emrtd_rng_fn rng, void *rng_ctx, struct sm_ctx *sm, struct cccd_err *err);

#endif
