/* SPDX-License-Identifier: MIT */
/*
 * vchip_pki.c - the virtual chip's TEST-ONLY PKI: deterministic keys and X.509 v3 certificates
 * (ICAO 9303-12 §7 profile, reduced): a self-signed CSCA (CA:TRUE critical, keyCertSign|cRLSign
 * critical, SKID, AKID) and a document signer it signs (digitalSignature critical, SKID, AKID).
 *
 * Keys come from an HMAC-DRBG (SHA-256) seeded with "<role>|<alg>|<seed>", so the same seed gives
 * the same keys, serial numbers and certificate bytes (ECDSA signatures are RFC 6979
 * deterministic). Subjects: C=VN, O=TEST ONLY cccd-gateway, OU=NOT FOR PRODUCTION, CN=TEST CSCA VN
 * | TEST DS VN.
 *
 * Omitted: CRL distribution points, the ICAO documentTypeList extension, name change extensions.
 */
#include <stdio.h>
#include <string.h>

#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>
#include <mbedtls/hmac_drbg.h>
#include <mbedtls/pem.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>

#include "vchip_pki.h"

#define SUBJECT_BASE "C=VN,O=TEST ONLY cccd-gateway,OU=NOT FOR PRODUCTION,CN="

static const struct {
	const char *name;
	enum vchip_key_alg alg;
} alg_names[] = {
    {"ecdsa-brainpoolP256r1", VCHIP_KEY_EC_BP256},
    {"ecdsa-secp256r1", VCHIP_KEY_EC_P256},
    {"rsa1024", VCHIP_KEY_RSA1024},
    {"rsa2048", VCHIP_KEY_RSA2048},
    {"bp256", VCHIP_KEY_EC_BP256},
    {"p256", VCHIP_KEY_EC_P256},
};

int vchip_key_alg_parse_name(const char *name, enum vchip_key_alg *out)
{
	for (size_t i = 0; i < sizeof(alg_names) / sizeof(alg_names[0]); i++) {
		if (!strcmp(name, alg_names[i].name)) {
			*out = alg_names[i].alg;
			return 0;
		}
	}
	return -CCCD_ERANGE;
}

const char *vchip_key_alg_name(enum vchip_key_alg alg)
{
	for (size_t i = 0; i < sizeof(alg_names) / sizeof(alg_names[0]); i++)
		if (alg_names[i].alg == alg)
			return alg_names[i].name;
	return "?";
}

static int drbg_seed(mbedtls_hmac_drbg_context *drbg, const char *role, const char *seed)
{
	char buf[160];
	int n = snprintf(buf, sizeof(buf), "%s|%s", role, seed);

	if (n < 0 || (size_t)n >= sizeof(buf))
		return -1;
	return mbedtls_hmac_drbg_seed_buf(drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
					  (const unsigned char *)buf, (size_t)n);
}

static int key_generate_with(mbedtls_pk_context *pk, enum vchip_key_alg alg,
			     mbedtls_hmac_drbg_context *drbg)
{
	bool ec = alg == VCHIP_KEY_EC_BP256 || alg == VCHIP_KEY_EC_P256;
	int rc;

	rc =
	    mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(ec ? MBEDTLS_PK_ECKEY : MBEDTLS_PK_RSA));
	if (rc)
		return rc;
	if (ec)
		return mbedtls_ecp_gen_key(alg == VCHIP_KEY_EC_BP256 ? MBEDTLS_ECP_DP_BP256R1
								     : MBEDTLS_ECP_DP_SECP256R1,
					   mbedtls_pk_ec(*pk), mbedtls_hmac_drbg_random, drbg);
	return mbedtls_rsa_gen_key(mbedtls_pk_rsa(*pk), mbedtls_hmac_drbg_random, drbg,
				   alg == VCHIP_KEY_RSA1024 ? 1024 : 2048, 65537);
}

int vchip_key_generate(mbedtls_pk_context *pk, enum vchip_key_alg alg, const char *seed,
		       struct cccd_err *err)
{
	mbedtls_hmac_drbg_context drbg;
	int rc;

	mbedtls_hmac_drbg_init(&drbg);
	rc = drbg_seed(&drbg, vchip_key_alg_name(alg), seed);
	if (!rc)
		rc = key_generate_with(pk, alg, &drbg);
	mbedtls_hmac_drbg_free(&drbg);
	if (rc)
		return cccd_err_set(err, -CCCD_EINVAL, "vchip_pki",
				    "%s key generation: mbedTLS -0x%04x", vchip_key_alg_name(alg),
				    (unsigned)-rc);
	return 0;
}

void vchip_pki_cfg_defaults(struct vchip_pki_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->csca_alg = VCHIP_KEY_EC_BP256;
	cfg->ds_alg = VCHIP_KEY_EC_BP256;
	snprintf(cfg->seed, sizeof(cfg->seed), "cccd-gateway test pki 1");
	memcpy(cfg->csca_not_before, "20150101000000", 15);
	memcpy(cfg->csca_not_after, "20400101000000", 15);
	memcpy(cfg->ds_not_before, "20250101000000", 15);
	memcpy(cfg->ds_not_after, "20360101000000", 15);
}

/* One certificate to issue. */
struct cert_req {
	mbedtls_pk_context *subject_key;
	mbedtls_pk_context *issuer_key;
	const char *subject;
	const char *issuer;
	const char *not_before;
	const char *not_after;
	const char *seed; /* the PKI seed: serial number and signing randomness */
	bool ca;
};

/* Serial: 8 bytes of SHA-256(subject|seed), positive, never zero. */
static int set_serial(mbedtls_x509write_cert *crt, mbedtls_mpi *serial, const struct cert_req *r)
{
	mbedtls_sha256_context sha;
	uint8_t h[32];
	int rc;

	mbedtls_sha256_init(&sha);
	rc = mbedtls_sha256_starts_ret(&sha, 0);
	if (!rc)
		rc = mbedtls_sha256_update_ret(&sha, (const uint8_t *)r->subject,
					       strlen(r->subject));
	if (!rc)
		rc = mbedtls_sha256_update_ret(&sha, (const uint8_t *)r->seed, strlen(r->seed));
	if (!rc)
		rc = mbedtls_sha256_finish_ret(&sha, h);
	mbedtls_sha256_free(&sha);
	h[0] = (uint8_t)((h[0] & 0x7f) | 0x10);
	if (!rc)
		rc = mbedtls_mpi_read_binary(serial, h, 8);
	if (!rc)
		rc = mbedtls_x509write_crt_set_serial(crt, serial);
	return rc;
}

static int set_fields(mbedtls_x509write_cert *crt, mbedtls_mpi *serial, const struct cert_req *r)
{
	unsigned ku = r->ca ? MBEDTLS_X509_KU_KEY_CERT_SIGN | MBEDTLS_X509_KU_CRL_SIGN
			    : MBEDTLS_X509_KU_DIGITAL_SIGNATURE;
	int rc;

	mbedtls_x509write_crt_set_version(crt, MBEDTLS_X509_CRT_VERSION_3);
	mbedtls_x509write_crt_set_md_alg(crt, MBEDTLS_MD_SHA256);
	mbedtls_x509write_crt_set_subject_key(crt, r->subject_key);
	mbedtls_x509write_crt_set_issuer_key(crt, r->issuer_key);
	if ((rc = mbedtls_x509write_crt_set_subject_name(crt, r->subject)) ||
	    (rc = mbedtls_x509write_crt_set_issuer_name(crt, r->issuer)) ||
	    (rc = set_serial(crt, serial, r)) ||
	    (rc = mbedtls_x509write_crt_set_validity(crt, r->not_before, r->not_after)) ||
	    (rc = mbedtls_x509write_crt_set_subject_key_identifier(crt)) ||
	    (rc = mbedtls_x509write_crt_set_authority_key_identifier(crt)) ||
	    (rc = mbedtls_x509write_crt_set_key_usage(crt, ku)))
		return rc;
	if (r->ca)
		rc = mbedtls_x509write_crt_set_basic_constraints(crt, 1, 0);
	return rc;
}

static int cert_write(const struct cert_req *r, uint8_t *out, size_t *len, struct cccd_err *err)
{
	mbedtls_x509write_cert crt;
	mbedtls_mpi serial;
	mbedtls_hmac_drbg_context drbg;
	int rc;

	mbedtls_x509write_crt_init(&crt);
	mbedtls_mpi_init(&serial);
	mbedtls_hmac_drbg_init(&drbg);
	rc = drbg_seed(&drbg, r->subject, r->seed);
	if (!rc)
		rc = set_fields(&crt, &serial, r);
	if (!rc)
		rc = mbedtls_x509write_crt_der(&crt, out, VCHIP_CERT_MAX, mbedtls_hmac_drbg_random,
					       &drbg);
	if (rc > 0) {
		/* mbedTLS writes at the end of the buffer: move it to the front */
		*len = (size_t)rc;
		memmove(out, out + VCHIP_CERT_MAX - *len, *len);
		rc = 0;
	}
	mbedtls_hmac_drbg_free(&drbg);
	mbedtls_mpi_free(&serial);
	mbedtls_x509write_crt_free(&crt);
	if (rc)
		return cccd_err_set(err, -CCCD_EINVAL, "vchip_pki",
				    "certificate '%.40s': mbedTLS -0x%04x", r->subject,
				    (unsigned)-rc);
	return 0;
}

static int issue_both(struct vchip_pki *pki, const struct vchip_pki_cfg *cfg, struct cccd_err *err)
{
	struct cert_req csca = {&pki->csca_key,
				&pki->csca_key,
				SUBJECT_BASE "TEST CSCA VN",
				SUBJECT_BASE "TEST CSCA VN",
				cfg->csca_not_before,
				cfg->csca_not_after,
				cfg->seed,
				true};
	struct cert_req ds = {&pki->ds_key,
			      &pki->csca_key,
			      SUBJECT_BASE "TEST DS VN",
			      SUBJECT_BASE "TEST CSCA VN",
			      cfg->ds_not_before,
			      cfg->ds_not_after,
			      cfg->seed,
			      false};
	int rc;

	rc = cert_write(&csca, pki->csca_cert, &pki->csca_cert_len, err);
	if (!rc)
		rc = cert_write(&ds, pki->ds_cert, &pki->ds_cert_len, err);
	return rc;
}

int vchip_pki_build(struct vchip_pki *pki, const struct vchip_pki_cfg *cfg, struct cccd_err *err)
{
	char seed[96];
	int rc;

	memset(pki, 0, sizeof(*pki));
	mbedtls_pk_init(&pki->csca_key);
	mbedtls_pk_init(&pki->ds_key);
	snprintf(seed, sizeof(seed), "csca|%s", cfg->seed);
	rc = vchip_key_generate(&pki->csca_key, cfg->csca_alg, seed, err);
	snprintf(seed, sizeof(seed), "ds|%s", cfg->seed);
	if (!rc)
		rc = vchip_key_generate(&pki->ds_key, cfg->ds_alg, seed, err);
	if (!rc)
		rc = issue_both(pki, cfg, err);
	if (rc)
		vchip_pki_free(pki);
	return rc;
}

void vchip_pki_free(struct vchip_pki *pki)
{
	mbedtls_pk_free(&pki->csca_key);
	mbedtls_pk_free(&pki->ds_key);
	pki->csca_cert_len = 0;
	pki->ds_cert_len = 0;
}

int vchip_cert_pem(const uint8_t *der, size_t len, char *out, size_t cap, struct cccd_err *err)
{
	size_t olen = 0;

	if (mbedtls_pem_write_buffer("-----BEGIN CERTIFICATE-----\n", "-----END CERTIFICATE-----\n",
				     der, len, (unsigned char *)out, cap, &olen))
		return cccd_err_set(err, -CCCD_ENOSPC, "vchip_pki",
				    "PEM of %zu bytes: no room in %zu", len, cap);
	return 0;
}
