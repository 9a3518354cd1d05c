/* SPDX-License-Identifier: MIT */
/* test_aa.c - active authentication (daemon/verify/aa.c, ICAO 9303-11 §6.1) against the virtual
 * chip over sim: (ECDSA on brainpoolP256r1 and secp256r1, RSA-1024/2048 with ISO/IEC 9796-2
 * scheme 1), the clone fault (aa_mismatch) as the negative twin, and aa_check on signatures made
 * here with keys from the project's generator (vchip_key_generate): wrong header, trailers 34CC
 * (SHA-256) and 33CC, DER ECDSA, huge and empty signatures, DG15 truncated at every length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/rsa.h>

#include "nfc/vchip_pki.h"
#include "sim_session.h"
#include "verify/aa.h"
#include "verify/ca.h"

#define AN   "sim:tests/fixtures/cards/an.ini"
#define P256 "sim:tests/fixtures/verify/an-p256.ini"
#define R1K  "sim:tests/fixtures/verify/an-rsa1024.ini"
#define R2K  "sim:tests/fixtures/cards/rsa-old-id.ini"

static const struct emrtd_key rsa_old_id_can = {.is_can = true, .can = "009876"};

static enum aa_status run(const char *uri, const struct emrtd_key *key, struct aa_result *res)
{
	struct simt *t = simt_open(uri, key);
	struct ca_dg14 d;
	enum aa_status st;

	assert_int_equal(ca_dg14_parse(t->dg14, t->n14, &d, NULL), 0);
	st = aa_run(&t->s, t->dg15, t->n15, d.has_aa ? d.aa_md : MBEDTLS_MD_NONE, res);
	simt_close(t);
	return st;
}

static void ecdsa_chips_pass_and_the_clone_fails(void **state)
{
	struct aa_result r;

	(void)state;
	assert_int_equal(run(AN, &simt_an_key, &r), AA_OK);
	assert_string_equal(r.reason, "");
	assert_int_equal(run(P256, &simt_an_key, &r), AA_OK);
	assert_int_equal(run(AN "?faults=aa_mismatch", &simt_an_key, &r), AA_FAILED);
	assert_string_equal(r.reason, "ECDSA: signature does not verify");
	assert_int_equal(run(P256 "?faults=aa_mismatch", &simt_an_key, &r), AA_FAILED);
}

static void rsa_chips_pass_and_the_clone_fails(void **state)
{
	struct aa_result r;

	(void)state;
	assert_int_equal(run(R1K, &simt_an_key, &r), AA_OK);
	assert_int_equal(run(R2K, &rsa_old_id_can, &r), AA_OK);
	assert_int_equal(run(R1K "?faults=aa_mismatch", &simt_an_key, &r), AA_FAILED);
	assert_int_equal(run(R2K "?faults=aa_mismatch", &rsa_old_id_can, &r), AA_FAILED);
	assert_non_null(strstr(r.reason, "RSA"));
}

static void no_dg15_is_absent(void **state)
{
	struct aa_result r;

	(void)state;
	assert_int_equal(aa_run(NULL, NULL, 0, MBEDTLS_MD_NONE, &r), AA_ABSENT);
	assert_string_equal(aa_status_str(r.status), "absent");
}

/* --- aa_check on signatures made here with the chip's own keys ---------------------------- */

static int rng(void *ctx, unsigned char *buf, size_t len)
{
	return mbedtls_hmac_drbg_random(ctx, buf, len);
}

/* An RSA key from the project's own generator (vchip_pki: the virtual chip's AA keys), and a
 * DRBG for the private operation's blinding. */
static void rsa_key(mbedtls_pk_context *pk, mbedtls_hmac_drbg_context *drbg)
{
	mbedtls_hmac_drbg_init(drbg);
	assert_int_equal(mbedtls_hmac_drbg_seed_buf(drbg,
						    mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
						    (const unsigned char *)"aa rsa", 6),
			 0);
	mbedtls_pk_init(pk);
	assert_int_equal(vchip_key_generate(pk, VCHIP_KEY_RSA1024, "test_aa rsa", NULL), 0);
}

/* ISO/IEC 9796-2 scheme 1: F = hdr || M1 || H(M1||M2) || trailer, signed with the private op. */
static size_t sign_9796(mbedtls_rsa_context *rsa, mbedtls_hmac_drbg_context *drbg,
			mbedtls_md_type_t md, const uint8_t *trailer, size_t tlen, uint8_t hdr,
			const uint8_t m2[8], uint8_t *sig)
{
	const mbedtls_md_info_t *mi = mbedtls_md_info_from_type(md);
	size_t k = mbedtls_rsa_get_len(rsa), hl = mbedtls_md_get_size(mi), m1 = k - 1 - hl - tlen;
	uint8_t f[512], m[520];

	f[0] = hdr;
	for (size_t i = 0; i < m1; i++)
		f[1 + i] = (uint8_t)(i * 7 + 1);
	memcpy(m, f + 1, m1);
	memcpy(m + m1, m2, 8);
	assert_int_equal(mbedtls_md(mi, m, m1 + 8, f + 1 + m1), 0);
	memcpy(f + k - tlen, trailer, tlen);
	assert_int_equal(mbedtls_rsa_private(rsa, rng, drbg, f, sig), 0);
	return k;
}

static void rsa_trailers_and_header(void **state)
{
	static const uint8_t m2[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	mbedtls_hmac_drbg_context drbg;
	mbedtls_rsa_context *rsa;
	mbedtls_pk_context pk;
	uint8_t sig[512];
	struct cccd_err e = {0};
	size_t k;

	(void)state;
	rsa_key(&pk, &drbg);
	rsa = mbedtls_pk_rsa(pk);
	/* ICAO 9303-11 §6.1 with SHA-1 (trailer BC), and its negative twin: another challenge */
	k = sign_9796(rsa, &drbg, MBEDTLS_MD_SHA1, (const uint8_t *)"\xbc", 1, 0x6a, m2, sig);
	assert_int_equal(aa_check(&pk, MBEDTLS_MD_NONE, m2, sig, k, &e), 0);
	assert_int_equal(aa_check(&pk, MBEDTLS_MD_NONE, (const uint8_t *)"12345678", sig, k, &e),
			 -CCCD_ECHECK);
	assert_string_equal(e.msg, "RSA: recovered hash differs");
	/* ISO/IEC 9796-2 two-byte trailers: 34 CC = SHA-256, 33 CC = SHA-1 */
	k = sign_9796(rsa, &drbg, MBEDTLS_MD_SHA256, (const uint8_t *)"\x34\xcc", 2, 0x6a, m2, sig);
	assert_int_equal(aa_check(&pk, MBEDTLS_MD_NONE, m2, sig, k, &e), 0);
	k = sign_9796(rsa, &drbg, MBEDTLS_MD_SHA1, (const uint8_t *)"\x33\xcc", 2, 0x6a, m2, sig);
	assert_int_equal(aa_check(&pk, MBEDTLS_MD_NONE, m2, sig, k, &e), 0);
	/* a trailer naming SHA-256 over a SHA-1 hash: the hash is read at the wrong place */
	k = sign_9796(rsa, &drbg, MBEDTLS_MD_SHA1, (const uint8_t *)"\x34\xcc", 2, 0x6a, m2, sig);
	assert_int_equal(aa_check(&pk, MBEDTLS_MD_NONE, m2, sig, k, &e), -CCCD_ECHECK);
	/* unknown trailer 99 CC, header 4B */
	k = sign_9796(rsa, &drbg, MBEDTLS_MD_SHA1, (const uint8_t *)"\x99\xcc", 2, 0x6a, m2, sig);
	assert_int_equal(aa_check(&pk, MBEDTLS_MD_NONE, m2, sig, k, &e), -CCCD_ECHECK);
	assert_string_equal(e.msg, "RSA: unknown trailer 99 CC");
	k = sign_9796(rsa, &drbg, MBEDTLS_MD_SHA1, (const uint8_t *)"\xbc", 1, 0x4b, m2, sig);
	assert_int_equal(aa_check(&pk, MBEDTLS_MD_NONE, m2, sig, k, &e), -CCCD_ECHECK);
	assert_string_equal(e.msg, "RSA: header 4B, not 6A");
	/* sizes: longer than the modulus, empty, far too long, all FF (not below n) */
	assert_int_equal(aa_check(&pk, MBEDTLS_MD_NONE, m2, sig, k + 1, &e), -CCCD_ECHECK);
	assert_int_equal(aa_check(&pk, MBEDTLS_MD_NONE, m2, sig, 0, &e), -CCCD_ECHECK);
	assert_int_equal(aa_check(&pk, MBEDTLS_MD_NONE, m2, sig, 100000, &e), -CCCD_EFORMAT);
	memset(sig, 0xff, k);
	assert_int_equal(aa_check(&pk, MBEDTLS_MD_NONE, m2, sig, k, &e), -CCCD_ECHECK);
	mbedtls_pk_free(&pk);
	mbedtls_hmac_drbg_free(&drbg);
}

/* ECDSA in plain r||s and DER, SHA-256 and SHA-1 by the AA info, on brainpoolP256r1. */
static void ecdsa_plain_and_der(void **state)
{
	static const uint8_t m2[8] = {8, 7, 6, 5, 4, 3, 2, 1};
	mbedtls_hmac_drbg_context drbg;
	mbedtls_pk_context pk;
	mbedtls_ecp_keypair *ec;
	mbedtls_mpi r, s;
	uint8_t h[32], sig[80], der[MBEDTLS_ECDSA_MAX_LEN];
	size_t dlen;
	struct cccd_err e = {0};

	(void)state;
	mbedtls_hmac_drbg_init(&drbg);
	mbedtls_hmac_drbg_seed_buf(&drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
				   (const unsigned char *)"ec", 2);
	mbedtls_pk_init(&pk);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	assert_int_equal(vchip_key_generate(&pk, VCHIP_KEY_EC_BP256, "test_aa ec", NULL), 0);
	ec = mbedtls_pk_ec(pk);
	assert_int_equal(mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), m2, 8, h), 0);
	assert_int_equal(mbedtls_ecdsa_sign(&ec->grp, &r, &s, &ec->d, h, 32, rng, &drbg), 0);
	mbedtls_mpi_write_binary(&r, sig, 32);
	mbedtls_mpi_write_binary(&s, sig + 32, 32);
	assert_int_equal(aa_check(&pk, MBEDTLS_MD_SHA256, m2, sig, 64, &e), 0);
	assert_int_equal(aa_check(&pk, MBEDTLS_MD_NONE, m2, sig, 64, &e), 0); /* by curve size */
	assert_int_equal(aa_check(&pk, MBEDTLS_MD_SHA1, m2, sig, 64, &e), -CCCD_ECHECK);
	assert_int_equal(aa_check(&pk, MBEDTLS_MD_SHA256, m2, sig, 63, &e), -CCCD_EFORMAT);
	sig[10] ^= 1;
	assert_int_equal(aa_check(&pk, MBEDTLS_MD_SHA256, m2, sig, 64, &e), -CCCD_ECHECK);
	assert_int_equal(
	    mbedtls_ecdsa_write_signature(ec, MBEDTLS_MD_SHA256, h, 32, der, &dlen, rng, &drbg), 0);
	assert_int_equal(aa_check(&pk, MBEDTLS_MD_SHA256, m2, der, dlen, &e), 0);
	der[dlen] = 0; /* a trailing byte after the DER SEQUENCE */
	assert_int_equal(aa_check(&pk, MBEDTLS_MD_SHA256, m2, der, dlen + 1, &e), -CCCD_EFORMAT);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	mbedtls_pk_free(&pk);
	mbedtls_hmac_drbg_free(&drbg);
}

/* The chip's DG15, cut at every length and with a wrong tag or algorithm OID. */
static void dg15_hostile(void **state)
{
	struct simt *t = simt_open(R1K, &simt_an_key);
	uint8_t buf[1024];
	mbedtls_pk_context pk;
	struct cccd_err e = {0};

	(void)state;
	mbedtls_pk_init(&pk);
	assert_int_equal(aa_dg15_parse(t->dg15, t->n15, &pk, &e), 0);
	assert_int_equal(mbedtls_pk_get_type(&pk), MBEDTLS_PK_RSA);
	mbedtls_pk_free(&pk);
	for (size_t n = 0; n < t->n15; n++) {
		mbedtls_pk_init(&pk);
		assert_int_not_equal(aa_dg15_parse(t->dg15, n, &pk, &e), 0);
		mbedtls_pk_free(&pk);
	}
	memcpy(buf, t->dg15, t->n15);
	buf[0] = 0x6e;
	mbedtls_pk_init(&pk);
	assert_int_equal(aa_dg15_parse(buf, t->n15, &pk, &e), -CCCD_EFORMAT);
	buf[0] = 0x6f;
	/* rsaEncryption 1.2.840.113549.1.1.1 -> .1.1.9: an unknown algorithm */
	for (size_t i = 0; i + 9 <= t->n15; i++)
		if (!memcmp(buf + i, "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01", 9))
			buf[i + 8] = 0x09;
	assert_int_not_equal(aa_dg15_parse(buf, t->n15, &pk, &e), 0);
	mbedtls_pk_free(&pk);
	simt_close(t);
}

/* A DG15 EC key with explicit domain parameters (mbedTLS 2.28 cannot use them): absent with the
 * reason, not failed -- a genuine chip must not be called a clone for our limits. */
static void explicit_ec_parameters_are_absent(void **state)
{
	static const uint8_t dg15[] = {0x6f, 0x16, 0x30, 0x14, 0x30, 0x0e, 0x06, 0x07,
				       0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x30,
				       0x03, 0x02, 0x01, 0x01, 0x03, 0x02, 0x00, 0x04};
	mbedtls_pk_context pk;
	struct aa_result r;
	struct cccd_err e = {0};

	(void)state;
	mbedtls_pk_init(&pk);
	assert_true(aa_spki_explicit_ec(dg15 + 2, sizeof(dg15) - 2));
	assert_int_equal(aa_dg15_parse(dg15, sizeof(dg15), &pk, &e), -CCCD_ENOTSUP);
	assert_string_equal(e.msg, "DG15 key at byte 2: explicit EC parameters not supported");
	assert_int_equal(aa_run(NULL, dg15, sizeof(dg15), MBEDTLS_MD_NONE, &r), AA_ABSENT);
	assert_non_null(strstr(r.reason, "explicit EC parameters"));
	/* negative twin: a named curve (OID) in the same place is not explicit */
	assert_false(aa_spki_explicit_ec(
	    (const uint8_t[]){0x30, 0x13, 0x30, 0x0d, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d,
			      0x02, 0x01, 0x06, 0x02, 0x2b, 0x24, 0x03, 0x02, 0x00, 0x04},
	    21));
	mbedtls_pk_free(&pk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ecdsa_chips_pass_and_the_clone_fails),
	    cmocka_unit_test(rsa_chips_pass_and_the_clone_fails),
	    cmocka_unit_test(no_dg15_is_absent),
	    cmocka_unit_test(rsa_trailers_and_header),
	    cmocka_unit_test(ecdsa_plain_and_der),
	    cmocka_unit_test(dg15_hostile),
	    cmocka_unit_test(explicit_ec_parameters_are_absent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
