/* SPDX-License-Identifier: MIT */
/* test_vchip_pki.c - the TEST-ONLY PKI (drivers/nfc/vchip_pki.c), checked with mbedTLS's own
 * X.509 verifier (tests/cli/test_vchip_gen.sh repeats this with OpenSSL). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <mbedtls/ecp.h>
#include <mbedtls/x509_crt.h>

#include "nfc/vchip_pki.h"

static void alg_names_round_trip(void **state)
{
	enum vchip_key_alg a;

	(void)state;
	for (int i = VCHIP_KEY_EC_BP256; i <= VCHIP_KEY_RSA2048; i++) {
		assert_int_equal(vchip_key_alg_parse_name(vchip_key_alg_name(i), &a), 0);
		assert_int_equal(a, i);
	}
	assert_int_equal(vchip_key_alg_parse_name("p256", &a), 0);
	assert_int_equal(a, VCHIP_KEY_EC_P256);
	assert_int_equal(vchip_key_alg_parse_name("rsa4096", &a), -CCCD_ERANGE);
	assert_int_equal(vchip_key_alg_parse_name("", &a), -CCCD_ERANGE);
}

static size_t pub_der(mbedtls_pk_context *pk, uint8_t *out, size_t cap)
{
	int n = mbedtls_pk_write_pubkey_der(pk, out, cap);

	assert_true(n > 0);
	memmove(out, out + cap - (size_t)n, (size_t)n);
	return (size_t)n;
}

static void keys_follow_the_seed(void **state)
{
	mbedtls_pk_context a, b, c;
	uint8_t da[600], db[600], dc[600];
	size_t na, nb, nc;

	(void)state;
	mbedtls_pk_init(&a);
	mbedtls_pk_init(&b);
	mbedtls_pk_init(&c);
	assert_int_equal(vchip_key_generate(&a, VCHIP_KEY_EC_BP256, "s1", NULL), 0);
	assert_int_equal(vchip_key_generate(&b, VCHIP_KEY_EC_BP256, "s1", NULL), 0);
	assert_int_equal(vchip_key_generate(&c, VCHIP_KEY_EC_BP256, "s2", NULL), 0);
	assert_int_equal(mbedtls_pk_ec(a)->grp.id, MBEDTLS_ECP_DP_BP256R1);
	na = pub_der(&a, da, sizeof(da));
	nb = pub_der(&b, db, sizeof(db));
	nc = pub_der(&c, dc, sizeof(dc));
	assert_int_equal(na, nb);
	assert_memory_equal(da, db, na);
	assert_true(na != nc || memcmp(da, dc, na) != 0);
	mbedtls_pk_free(&a);
	mbedtls_pk_free(&b);
	mbedtls_pk_free(&c);
	mbedtls_pk_init(&a);
	assert_int_equal(vchip_key_generate(&a, VCHIP_KEY_RSA1024, "s1", NULL), 0);
	assert_int_equal(mbedtls_pk_get_bitlen(&a), 1024);
	mbedtls_pk_free(&a);
}

/* Verify the DS of pki against the CSCA of anchor; returns mbedTLS's flags. */
static uint32_t verify_ds(const struct vchip_pki *pki, const struct vchip_pki *anchor)
{
	mbedtls_x509_crt ca, ds;
	uint32_t flags = 0;

	mbedtls_x509_crt_init(&ca);
	mbedtls_x509_crt_init(&ds);
	assert_int_equal(mbedtls_x509_crt_parse_der(&ca, anchor->csca_cert, anchor->csca_cert_len),
			 0);
	assert_int_equal(mbedtls_x509_crt_parse_der(&ds, pki->ds_cert, pki->ds_cert_len), 0);
	mbedtls_x509_crt_verify(&ds, &ca, NULL, NULL, &flags, NULL, NULL);
	mbedtls_x509_crt_free(&ca);
	mbedtls_x509_crt_free(&ds);
	return flags;
}

static void chain_and_extensions(void **state)
{
	struct vchip_pki_cfg cfg;
	struct vchip_pki pki;
	mbedtls_x509_crt ca, ds;
	char dn[200];

	(void)state;
	vchip_pki_cfg_defaults(&cfg);
	assert_int_equal(vchip_pki_build(&pki, &cfg, NULL), 0);
	assert_int_equal(verify_ds(&pki, &pki), 0);
	mbedtls_x509_crt_init(&ca);
	mbedtls_x509_crt_init(&ds);
	assert_int_equal(mbedtls_x509_crt_parse_der(&ca, pki.csca_cert, pki.csca_cert_len), 0);
	assert_int_equal(mbedtls_x509_crt_parse_der(&ds, pki.ds_cert, pki.ds_cert_len), 0);
	assert_int_equal(ca.ca_istrue, 1);
	assert_int_equal(ds.ca_istrue, 0);
	assert_int_equal(mbedtls_x509_crt_check_key_usage(&ca, MBEDTLS_X509_KU_KEY_CERT_SIGN), 0);
	assert_int_equal(mbedtls_x509_crt_check_key_usage(&ds, MBEDTLS_X509_KU_DIGITAL_SIGNATURE),
			 0);
	assert_int_not_equal(mbedtls_x509_crt_check_key_usage(&ds, MBEDTLS_X509_KU_KEY_CERT_SIGN),
			     0);
	assert_true(mbedtls_x509_dn_gets(dn, sizeof(dn), &ds.subject) > 0);
	assert_non_null(strstr(dn, "O=TEST ONLY cccd-gateway"));
	assert_non_null(strstr(dn, "C=VN"));
	assert_int_equal(ds.valid_from.year, 2025);
	assert_int_equal(ds.valid_to.year, 2036);
	assert_int_equal(ca.valid_from.year, 2015);
	mbedtls_x509_crt_free(&ca);
	mbedtls_x509_crt_free(&ds);
	vchip_pki_free(&pki);
	vchip_pki_free(&pki); /* safe twice */
}

/* Negative twins: another seed's CSCA does not anchor this DS; an expired DS is flagged. */
static void unknown_csca_and_expired_ds(void **state)
{
	struct vchip_pki_cfg cfg;
	struct vchip_pki good, other, old;

	(void)state;
	vchip_pki_cfg_defaults(&cfg);
	assert_int_equal(vchip_pki_build(&good, &cfg, NULL), 0);
	strcpy(cfg.seed, "someone else");
	assert_int_equal(vchip_pki_build(&other, &cfg, NULL), 0);
	assert_true(verify_ds(&other, &good) & MBEDTLS_X509_BADCERT_NOT_TRUSTED);
	vchip_pki_cfg_defaults(&cfg);
	memcpy(cfg.ds_not_before, "20150101000000", 15);
	memcpy(cfg.ds_not_after, "20200101000000", 15);
	assert_int_equal(vchip_pki_build(&old, &cfg, NULL), 0);
	assert_int_equal(verify_ds(&old, &good) & ~(uint32_t)MBEDTLS_X509_BADCERT_EXPIRED, 0);
	assert_true(verify_ds(&old, &good) & MBEDTLS_X509_BADCERT_EXPIRED);
	vchip_pki_free(&good);
	vchip_pki_free(&other);
	vchip_pki_free(&old);
}

static void rsa_pki_and_pem(void **state)
{
	struct vchip_pki_cfg cfg;
	struct vchip_pki pki;
	char pem[2048];
	struct cccd_err e = {0};

	(void)state;
	vchip_pki_cfg_defaults(&cfg);
	cfg.csca_alg = VCHIP_KEY_RSA2048;
	cfg.ds_alg = VCHIP_KEY_EC_P256;
	assert_int_equal(vchip_pki_build(&pki, &cfg, NULL), 0);
	assert_int_equal(verify_ds(&pki, &pki), 0);
	assert_int_equal(mbedtls_pk_get_bitlen(&pki.csca_key), 2048);
	assert_int_equal(vchip_cert_pem(pki.ds_cert, pki.ds_cert_len, pem, sizeof(pem), &e), 0);
	assert_memory_equal(pem, "-----BEGIN CERTIFICATE-----\n", 28);
	assert_int_equal(vchip_cert_pem(pki.ds_cert, pki.ds_cert_len, pem, 100, &e), -CCCD_ENOSPC);
	vchip_pki_free(&pki);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(alg_names_round_trip), cmocka_unit_test(keys_follow_the_seed),
	    cmocka_unit_test(chain_and_extensions), cmocka_unit_test(unknown_csca_and_expired_ds),
	    cmocka_unit_test(rsa_pki_and_pem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
