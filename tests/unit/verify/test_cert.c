/* SPDX-License-Identifier: MIT */
/*
 * test_cert.c - certificates for passive authentication (daemon/verify/cert.c): mbedTLS's parser,
 * the explicit-EC-parameters path (RFC 3279 §2.3.5 SpecifiedECDomain, which mbedTLS 2.28 rejects),
 * key identifiers, key usage, validity and issuer signatures, on openssl-made fixtures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <mbedtls/ecp.h>
#include <mbedtls/sha256.h>

#include "verify/cert.h"
#include "verify/pki_fixture.h"

static void load(const char *name, struct pa_cert *c)
{
	struct fx *f = fx_load(name);
	struct cccd_err e = {0};

	assert_int_equal(pa_cert_parse(f->buf, f->len, c, &e), 0);
	free(f);
}

/* The premise of cert.c: plain mbedTLS refuses these certificates. If a newer mbedTLS accepts
 * them, this test fails and the workaround can go. */
static void mbedtls_rejects_explicit_parameters(void **state)
{
	struct fx *f = fx_load("ds-bp.der");
	mbedtls_x509_crt crt;

	(void)state;
	mbedtls_x509_crt_init(&crt);
	assert_int_not_equal(mbedtls_x509_crt_parse_der(&crt, f->buf, f->len), 0);
	mbedtls_x509_crt_free(&crt);
	free(f);
}

static void explicit_parameters_map_to_icao_curves(void **state)
{
	struct pa_cert bp, p256, named;
	struct fx *f = fx_load("ds-bp.der");

	(void)state;
	load("ds-bp.der", &bp);
	load("csca-p256.der", &p256); /* secp256r1: a = p - 3, which mbedTLS stores as empty */
	load("csca-bp.der", &named);
	assert_true(bp.explicit_curve);
	assert_true(p256.explicit_curve);
	assert_false(named.explicit_curve);
	assert_int_equal(mbedtls_pk_ec(bp.crt.pk)->grp.id, MBEDTLS_ECP_DP_BP256R1);
	assert_int_equal(mbedtls_pk_ec(p256.crt.pk)->grp.id, MBEDTLS_ECP_DP_SECP256R1);
	/* the DER kept is the one received, not the rewrite */
	assert_int_equal(bp.der_len, f->len);
	assert_memory_equal(bp.der, f->buf, f->len);
	free(f);
	pa_cert_free(&bp);
	pa_cert_free(&p256);
	pa_cert_free(&named);
}

/* One changed bit of brainpoolP256r1's b: no known curve, so the key is refused, not guessed. */
static void unknown_explicit_curve_is_refused(void **state)
{
	struct fx *f = fx_load("ds-bp.der");
	mbedtls_ecp_group g;
	uint8_t b[32];
	struct pa_cert c;
	struct cccd_err e = {0};
	long at;

	(void)state;
	mbedtls_ecp_group_init(&g);
	assert_int_equal(mbedtls_ecp_group_load(&g, MBEDTLS_ECP_DP_BP256R1), 0);
	assert_int_equal(mbedtls_mpi_write_binary(&g.B, b, sizeof(b)), 0);
	mbedtls_ecp_group_free(&g);
	at = fx_find(f, b, sizeof(b));
	assert_true(at > 0);
	f->buf[at + 31] ^= 0x01;
	assert_int_equal(pa_cert_parse(f->buf, f->len, &c, &e), -CCCD_ENOTSUP);
	assert_non_null(strstr(e.msg, "match no ICAO curve"));
	free(f);
}

static void issuer_signatures(void **state)
{
	struct pa_cert csca_rsa, ds_rsa, csca_bp, ds_bp, csca_p256, ds_p256;
	struct cccd_err e = {0};

	(void)state;
	load("csca-rsa.der", &csca_rsa);
	load("ds-rsa.der", &ds_rsa);
	load("csca-bp.der", &csca_bp);
	load("ds-bp.der", &ds_bp);
	load("csca-p256.der", &csca_p256);
	load("ds-p256.der", &ds_p256);
	assert_int_equal(pa_cert_check_sig(&csca_rsa, &ds_rsa, &e), 0);
	assert_int_equal(pa_cert_check_sig(&csca_bp, &ds_bp, &e), 0);	  /* explicit subject */
	assert_int_equal(pa_cert_check_sig(&csca_p256, &ds_p256, &e), 0); /* explicit issuer */
	assert_int_equal(pa_cert_check_sig(&csca_p256, &csca_p256, &e), 0);
	/* twins: the wrong issuer */
	assert_int_equal(pa_cert_check_sig(&csca_rsa, &ds_bp, &e), -CCCD_ECHECK);
	assert_int_equal(pa_cert_check_sig(&csca_bp, &ds_p256, &e), -CCCD_ECHECK);
	assert_string_equal(e.msg, "certificate signature invalid");
	pa_cert_free(&csca_rsa);
	pa_cert_free(&ds_rsa);
	pa_cert_free(&csca_bp);
	pa_cert_free(&ds_bp);
	pa_cert_free(&csca_p256);
	pa_cert_free(&ds_p256);
}

static void tampered_tbs_fails_signature(void **state)
{
	struct fx *f = fx_load("ds-bp.der");
	struct pa_cert csca, ds;
	long at = fx_find(f, "TEST DS", 7);

	(void)state;
	assert_true(at > 0);
	f->buf[at] = 'B';
	load("csca-bp.der", &csca);
	assert_int_equal(pa_cert_parse(f->buf, f->len, &ds, NULL), 0);
	assert_int_equal(pa_cert_check_sig(&csca, &ds, NULL), -CCCD_ECHECK);
	pa_cert_free(&csca);
	pa_cert_free(&ds);
	free(f);
}

static void key_ids_usage_validity(void **state)
{
	struct pa_cert csca, ds, old;
	mbedtls_x509_time t2020 = {2020, 6, 1, 0, 0, 0}, t2022 = {2022, 1, 1, 0, 0, 0};
	mbedtls_x509_time end = {2021, 1, 1, 0, 0, 0}, after = {2021, 1, 1, 0, 0, 1};

	(void)state;
	load("csca-rsa.der", &csca);
	load("ds-rsa.der", &ds);
	load("ds-expired.der", &old);
	assert_int_equal(csca.ski.len, 20);
	assert_int_equal(ds.aki.len, 20);
	assert_memory_equal(csca.ski.p, ds.aki.p, 20);
	assert_int_equal(csca.aki.len, 0);
	assert_true(pa_cert_has_usage(&csca, MBEDTLS_X509_KU_KEY_CERT_SIGN));
	assert_false(pa_cert_has_usage(&csca, MBEDTLS_X509_KU_DIGITAL_SIGNATURE));
	assert_true(pa_cert_has_usage(&ds, MBEDTLS_X509_KU_DIGITAL_SIGNATURE));
	assert_false(pa_cert_has_usage(&ds, MBEDTLS_X509_KU_KEY_CERT_SIGN));
	assert_true(pa_cert_valid_at(&old, &t2020));
	assert_true(pa_cert_valid_at(&old, &end)); /* notAfter is inclusive (RFC 5280 §4.1.2.5) */
	assert_false(pa_cert_valid_at(&old, &after));
	assert_false(pa_cert_valid_at(&old, &t2022));
	pa_cert_free(&csca);
	pa_cert_free(&ds);
	pa_cert_free(&old);
}

/* A v1 certificate has no extensions: no key identifiers, and no key usage means no rights. */
static void v1_certificate_without_extensions(void **state)
{
	struct pa_cert c;

	(void)state;
	load("v1-noext.der", &c);
	assert_int_equal(c.crt.version, 1);
	assert_int_equal(c.ski.len, 0);
	assert_int_equal(c.aki.len, 0);
	assert_false(pa_cert_has_usage(&c, MBEDTLS_X509_KU_KEY_CERT_SIGN));
	assert_false(c.crt.ca_istrue);
	assert_int_equal(pa_cert_check_sig(&c, &c, NULL), 0);
	pa_cert_free(&c);
}

static void fingerprint_is_sha256_of_der(void **state)
{
	struct fx *f = fx_load("csca-p256.der");
	struct pa_cert c;
	uint8_t want[32], got[32];

	(void)state;
	mbedtls_sha256_ret(f->buf, f->len, want, 0);
	load("csca-p256.der", &c);
	pa_cert_fingerprint(&c, got);
	assert_memory_equal(got, want, 32);
	pa_cert_free(&c);
	free(f);
}

static void rejects_truncated_and_trailing(void **state)
{
	struct fx *f = fx_load("ds-bp.der");
	struct pa_cert c;

	(void)state;
	for (size_t n = 0; n < f->len; n++) {
		uint8_t *cut = malloc(n ? n : 1);

		memcpy(cut, f->buf, n);
		assert_int_not_equal(pa_cert_parse(cut, n, &c, NULL), 0);
		free(cut);
	}
	f->buf[f->len] = 0x00;
	assert_int_not_equal(pa_cert_parse(f->buf, f->len + 1, &c, NULL), 0);
	assert_int_equal(pa_cert_parse(f->buf, PA_CERT_MAX_DER + 1, &c, NULL), -CCCD_ERANGE);
	free(f);
}

static void time_helpers(void **state)
{
	mbedtls_x509_time t;
	char s[32];

	(void)state;
	pa_time_from_unix(951782400LL, &t); /* 2000-02-29 00:00:00 UTC */
	assert_string_equal(pa_time_str(&t, false, s, sizeof(s)), "2000-02-29");
	pa_time_from_unix(951868799LL, &t);
	assert_string_equal(pa_time_str(&t, true, s, sizeof(s)), "2000-02-29 23:59:59");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(mbedtls_rejects_explicit_parameters),
	    cmocka_unit_test(explicit_parameters_map_to_icao_curves),
	    cmocka_unit_test(unknown_explicit_curve_is_refused),
	    cmocka_unit_test(issuer_signatures),
	    cmocka_unit_test(tampered_tbs_fails_signature),
	    cmocka_unit_test(key_ids_usage_validity),
	    cmocka_unit_test(v1_certificate_without_extensions),
	    cmocka_unit_test(fingerprint_is_sha256_of_der),
	    cmocka_unit_test(rejects_truncated_and_trailing),
	    cmocka_unit_test(time_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
