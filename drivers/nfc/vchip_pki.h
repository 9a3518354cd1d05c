/* SPDX-License-Identifier: MIT */
/*
 * vchip_pki.h - the TEST-ONLY PKI of the virtual chip: a CSCA, a document signer (DS) it signs, and
 * the chip's own keys (AA for DG15, CA for DG14), all generated deterministically from a seed
 * string so a test run, the demo and a CLI export always produce the same certificates.
 *
 * Every subject says "O=TEST ONLY cccd-gateway": never install the test CSCA in a real trust store.
 */
#ifndef CCCD_VCHIP_PKI_H
#define CCCD_VCHIP_PKI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/pk.h>

#include "core/err.h"

enum vchip_key_alg {
	VCHIP_KEY_EC_BP256 = 0, /* ECDSA/ECDH on brainpoolP256r1 (the default) */
	VCHIP_KEY_EC_P256,	/* ECDSA/ECDH on secp256r1 */
	VCHIP_KEY_RSA1024,	/* RSA 1024, e = 65537 (AA keys on older chips) */
	VCHIP_KEY_RSA2048,	/* RSA 2048, e = 65537 */
};

#define VCHIP_CERT_MAX 2048 /* DER certificate of any key above */

/* Parse "ecdsa-brainpoolP256r1", "ecdsa-secp256r1", "rsa1024", "rsa2048" (also "bp256", "p256").
 * 0 or -CCCD_ERANGE. */
int vchip_key_alg_parse_name(const char *name, enum vchip_key_alg *out);

/* Name of alg as vchip_key_alg_parse_name accepts it. */
const char *vchip_key_alg_name(enum vchip_key_alg alg);

/* Generate a key of alg into pk (initialised by the caller), deterministically from seed. */
int vchip_key_generate(mbedtls_pk_context *pk, enum vchip_key_alg alg, const char *seed,
		       struct cccd_err *err);

/* What the test PKI is made of. Validity strings are "YYYYMMDDhhmmss" (UTC). */
struct vchip_pki_cfg {
	enum vchip_key_alg csca_alg;
	enum vchip_key_alg ds_alg;
	char seed[64]; /* same seed, same PKI; another seed = an unknown CSCA */
	char csca_not_before[15];
	char csca_not_after[15];
	char ds_not_before[15];
	char ds_not_after[15];
};

struct vchip_pki {
	mbedtls_pk_context csca_key;
	mbedtls_pk_context ds_key;
	uint8_t csca_cert[VCHIP_CERT_MAX]; /* DER, self-signed */
	size_t csca_cert_len;
	uint8_t ds_cert[VCHIP_CERT_MAX]; /* DER, signed by the CSCA */
	size_t ds_cert_len;
};

/* The defaults: brainpoolP256r1 for both, seed "cccd-gateway test pki 1", CSCA 2015-2040, DS
 * 2025-2036. */
void vchip_pki_cfg_defaults(struct vchip_pki_cfg *cfg);

/* Generate both keys and both certificates. On error everything is freed already. */
int vchip_pki_build(struct vchip_pki *pki, const struct vchip_pki_cfg *cfg, struct cccd_err *err);

/* Free what vchip_pki_build made (safe on a zeroed or already freed struct). */
void vchip_pki_free(struct vchip_pki *pki);

/* Write DER as PEM ("CERTIFICATE") into out (NUL-terminated); 0 or -CCCD_ENOSPC. */
int vchip_cert_pem(const uint8_t *der, size_t len, char *out, size_t cap, struct cccd_err *err);

#endif
