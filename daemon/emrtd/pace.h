/* SPDX-License-Identifier: MIT */
/*
 * pace.h - PACE v2 with the ECDH generic mapping (ICAO 9303-11 §4.4, §9.5), terminal run plus the
 * role-neutral math the virtual chip reuses: password key, nonce encryption, G' = s*G + H, key
 * pairs, ECDH, session keys and authentication tokens.
 *
 * Algorithms: id-PACE-ECDH-GM-3DES-CBC-CBC and -AES-CBC-CMAC-128/192/256 (0.4.0.127.0.7.2.2.4.2.x)
 * on standardized domain parameters 8-18 that mbedTLS 2.28 has: 8 (P-192), 10 (P-224), 12 (P-256),
 * 13 (brainpoolP256r1), 15 (P-384), 16 (brainpoolP384r1), 17 (brainpoolP512r1), 18 (P-521).
 */
#ifndef CCCD_EMRTD_PACE_H
#define CCCD_EMRTD_PACE_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/ecp.h>

#include "card_link.h"
#include "core/err.h"
#include "emrtd/apdu.h"
#include "emrtd/crypto.h"
#include "emrtd/sm.h"

#define PACE_OID_MAX   16
#define PACE_POINT_MAX 133 /* 04 || X || Y on P-521 */
#define PACE_NONCE_MAX 32

enum pace_pwd {
	PACE_PWD_MRZ = 1, /* MSE:Set AT password reference: the MRZ information */
	PACE_PWD_CAN = 2, /* card access number */
};

struct pace_config {
	uint8_t oid[PACE_OID_MAX]; /* DER contents of the PACEInfo protocol OID */
	size_t oid_len;
	uint32_t param_id; /* standardized domain parameter ID (PACEInfo parameterId) */
	enum pace_pwd pwd_type;
	const uint8_t *pwd; /* MRZ information (bac_mrz_info) or the CAN digits, as ASCII */
	size_t pwd_len;
};

/* Cipher of a PACE ECDH-GM protocol OID; -CCCD_ENOTSUP for other protocols (DH, IM, CAM). */
int pace_cipher_from_oid(const uint8_t *oid, size_t len, enum emrtd_cipher *c,
			 struct cccd_err *err);

/* mbedTLS curve of a standardized domain parameter ID; -CCCD_ENOTSUP for 0-7 (DH), 9, 11, 14
 * (brainpool 192/224/320, absent from mbedTLS) and unknown IDs. */
int pace_curve(uint32_t param_id, mbedtls_ecp_group_id *gid, struct cccd_err *err);

/* K_pi = KDF(K, 3): K = SHA-1(MRZ information) for PACE_PWD_MRZ, the CAN bytes for PACE_PWD_CAN. */
int pace_password_key(enum emrtd_cipher c, enum pace_pwd type, const uint8_t *pwd, size_t len,
		      uint8_t *kpi, struct cccd_err *err);

/* s = D(K_pi, z) (chip: z = E(K_pi, s)), CBC with a zero IV; len a multiple of the block. */
int pace_nonce_decrypt(enum emrtd_cipher c, const uint8_t *kpi, const uint8_t *z, size_t len,
		       uint8_t *s, struct cccd_err *err);
int pace_nonce_encrypt(enum emrtd_cipher c, const uint8_t *kpi, const uint8_t *s, size_t len,
		       uint8_t *z, struct cccd_err *err);

/* Generic mapping: gmap = s * G + h (mbedtls_ecp_muladd). */
int pace_gm_map(mbedtls_ecp_group *grp, const uint8_t *s, size_t slen, const mbedtls_ecp_point *h,
		mbedtls_ecp_point *gmap, struct cccd_err *err);

/* Private key d in [1, n-1] from rng (bytes of n's length, big-endian; retried if out of range),
 * public q = d * base, written uncompressed to pub (cap bytes). */
int pace_keypair(mbedtls_ecp_group *grp, const mbedtls_ecp_point *base, emrtd_rng_fn rng,
		 void *rng_ctx, mbedtls_mpi *d, uint8_t *pub, size_t cap, size_t *pub_len,
		 struct cccd_err *err);

/* out = d * peer after checking peer (uncompressed bytes) is a valid point of grp. */
int pace_ecdh(mbedtls_ecp_group *grp, const mbedtls_mpi *d, const uint8_t *peer, size_t len,
	      mbedtls_ecp_point *out, struct cccd_err *err);

/* KSenc = KDF(x, 1), KSmac = KDF(x, 2); SSC = 0. x is the shared point's x-coordinate. */
int pace_session_keys(enum emrtd_cipher c, const uint8_t *x, size_t xlen, struct sm_ctx *sm,
		      struct cccd_err *err);

/* T = MAC(KSmac, 7F49 { 06 oid, 86 point }) over the OTHER side's ephemeral public key: CMAC
 * (AES) or retail MAC over the padded object (3DES). 8 bytes. */
int pace_auth_token(enum emrtd_cipher c, const uint8_t *ks_mac, const uint8_t *oid, size_t oid_len,
		    const uint8_t *point, size_t point_len, uint8_t token[8], struct cccd_err *err);

/* MSE:Set AT data: 80 oid, 83 password reference, 84 parameter ID (omitted when param_id is 0
 * or above 31). */
int pace_mse_data(const struct pace_config *cfg, uint8_t *out, size_t cap, size_t *len,
		  struct cccd_err *err);

/* Find tag inside the one 7C dynamic authentication data object that fills buf exactly
 * (GENERAL AUTHENTICATE command data or response data); -CCCD_ENOENT when 7C lacks it. */
int pace_ga_parse(const uint8_t *buf, size_t len, uint8_t tag, struct apdu_do *out,
		  struct cccd_err *err);

/* Terminal: MSE:Set AT + the four GENERAL AUTHENTICATE steps over link; the session's private
 * keys come from rng. On success sm holds KSenc/KSmac with SSC 0. */
int pace_authenticate(struct card_link *link, const struct pace_config *cfg, emrtd_rng_fn rng,
		      void *rng_ctx, struct sm_ctx *sm, struct cccd_err *err);

#endif
