/* SPDX-License-Identifier: MIT */
/*
 * test_pa.c - passive authentication (daemon/verify/pa.c, ICAO 9303-11 §5.1) on SODs signed by
 * the openssl CLI (tests/fixtures/pki/make.sh): every outcome of checks.passive, each success with
 * the one-change twin that breaks it. The trust store is built in memory from fixture CSCAs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>

#include "verify/pa.h"
#include "verify/pki_fixture.h"

#define ISSUER "C=VN, O=cccd-gateway TEST ONLY, CN="

static struct fx *dg1, *dg13;
static struct trust_store store; /* csca-rsa, csca-bp, csca-p256 */
static struct sod sod;

static void add(struct trust_store *ts, const char *name)
{
	struct fx *f = fx_load(name);
	struct cccd_err e = {0};

	assert_int_equal(trust_add_der(ts, f->buf, f->len, &e), 0);
	free(f);
}

static int setup(void **state)
{
	(void)state;
	dg1 = fx_load("dg1.bin");
	dg13 = fx_load("dg13.bin");
	trust_init(&store);
	add(&store, "csca-rsa.der");
	add(&store, "csca-bp.der");
	add(&store, "csca-p256.der");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	trust_free(&store);
	free(dg1);
	free(dg13);
	return 0;
}

static enum pa_status run(const struct fx *s, const struct trust_store *ts, struct pa_result *r)
{
	struct pa_dg dgs[] = {{1, dg1->buf, dg1->len}, {13, dg13->buf, dg13->len}};

	return pa_verify(s->buf, s->len, dgs, 2, ts, (long long)time(NULL), r);
}

static void ok_for_each_algorithm(void **state)
{
	const char *names[] = {"sod-rsa.bin", "sod-pss.bin", "sod-bp.bin", "sod-p256.bin",
			       "sod-indef.bin"};
	struct pa_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct fx *f = fx_load(names[i]);

		assert_int_equal(run(f, &store, &r), PA_OK);
		assert_string_equal(r.reason, "");
		assert_true(r.signature_ok);
		assert_int_equal(r.dgs_ok, (1u << 1) | (1u << 13));
		assert_non_null(strstr(r.csca_subject, "TEST CSCA"));
		free(f);
	}
}

/* The issue's first fault mode: one byte of a data group changed after signing. */
static void tampered_dg_fails_naming_it(void **state)
{
	struct fx *f = fx_load("sod-bp.bin");
	struct pa_dg dgs[] = {{1, dg1->buf, dg1->len}, {13, dg13->buf, dg13->len}};
	struct pa_result r;

	(void)state;
	dg13->buf[dg13->len - 1] ^= 0x01;
	assert_int_equal(pa_verify(f->buf, f->len, dgs, 2, &store, 0, &r), PA_FAILED);
	dg13->buf[dg13->len - 1] ^= 0x01;
	assert_string_equal(r.reason, "DG13 hash mismatch");
	assert_true(r.signature_ok);
	assert_int_equal(r.dgs_ok, 1u << 1);
	free(f);
}

static void dg_read_but_not_in_sod_fails(void **state)
{
	struct fx *f = fx_load("sod-rsa.bin");
	struct pa_dg dgs[] = {{1, dg1->buf, dg1->len}, {2, dg13->buf, dg13->len}};
	struct pa_result r;

	(void)state;
	assert_int_equal(pa_verify(f->buf, f->len, dgs, 2, &store, 0, &r), PA_FAILED);
	assert_string_equal(r.reason, "DG2 was read but has no hash in EF.SOD");
	free(f);
}

static void dg_in_sod_not_read_is_fine(void **state)
{
	struct fx *f = fx_load("sod-rsa.bin");
	struct pa_dg dgs[] = {{1, dg1->buf, dg1->len}};
	struct pa_result r;

	(void)state;
	assert_int_equal(pa_verify(f->buf, f->len, dgs, 1, &store, 0, &r), PA_OK);
	assert_int_equal(r.dgs_ok, 1u << 1);
	free(f);
}

static void wrong_signature_fails(void **state)
{
	const char *names[] = {"sod-rsa.bin", "sod-pss.bin", "sod-bp.bin", "sod-p256.bin"};
	struct pa_result r;

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		struct fx *f = fx_load(names[i]);
		size_t at;

		assert_int_equal(sod_parse(f->buf, f->len, &sod, NULL), 0);
		/* the middle of the signature: inside RSA's block, or inside ECDSA's r */
		at = sod.cms.si.signature.off + sod.cms.si.signature.len / 3;
		f->buf[at] ^= 0x40;
		assert_int_equal(run(f, &store, &r), PA_FAILED);
		assert_string_equal(r.reason, "signature invalid");
		assert_false(r.signature_ok);
		free(f);
	}
}

static void tampered_econtent_fails_message_digest(void **state)
{
	struct fx *f = fx_load("sod-rsa.bin");
	struct pa_result r;

	(void)state;
	assert_int_equal(sod_parse(f->buf, f->len, &sod, NULL), 0);
	f->buf[sod.cms.econtent.off + sod.cms.econtent.len - 1] ^= 0x01; /* DG13's hash */
	assert_int_equal(run(f, &store, &r), PA_FAILED);
	assert_string_equal(r.reason, "messageDigest mismatch");
	free(f);
}

#define SIGNING_TIME_ATTR "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x05\x31\x0f\x17\x0d"

static void tampered_signed_attr_fails_signature(void **state)
{
	struct fx *f = fx_load("sod-p256.bin");
	long at = fx_find(f, SIGNING_TIME_ATTR, 13);
	struct pa_result r;

	(void)state;
	assert_true(at > 0);
	f->buf[at + 13 + 11] ^= 0x01; /* a digit of the seconds */
	assert_int_equal(run(f, &store, &r), PA_FAILED);
	assert_string_equal(r.reason, "signature invalid");
	free(f);
}

static void unknown_csca_is_untrusted(void **state)
{
	struct fx *f = fx_load("sod-other.bin");
	struct pa_result r;

	(void)state;
	assert_int_equal(run(f, &store, &r), PA_UNTRUSTED);
	assert_string_equal(r.reason, "no CSCA for issuer " ISSUER "TEST CSCA nobody trusts");
	assert_true(r.signature_ok);
	assert_int_equal(r.dgs_ok, (1u << 1) | (1u << 13));
	free(f);
}

/* The default trust directory is empty: a genuine card must come out untrusted, not ok. */
static void empty_or_no_store_is_untrusted(void **state)
{
	struct fx *f = fx_load("sod-rsa.bin");
	struct trust_store empty;
	struct pa_result r;

	(void)state;
	trust_init(&empty);
	assert_int_equal(run(f, &empty, &r), PA_UNTRUSTED);
	assert_string_equal(r.reason, "no CSCA for issuer " ISSUER "TEST CSCA RSA");
	assert_int_equal(run(f, NULL, &r), PA_UNTRUSTED);
	trust_free(&empty);
	free(f);
}

/* Untrusted never hides a failure: a tampered DG under an unknown CSCA is failed. */
static void failure_beats_untrusted(void **state)
{
	struct fx *f = fx_load("sod-other.bin");
	struct pa_result r;

	(void)state;
	dg1->buf[10] ^= 0x20;
	assert_int_equal(run(f, &store, &r), PA_FAILED);
	dg1->buf[10] ^= 0x20;
	assert_string_equal(r.reason, "DG1 hash mismatch");
	free(f);
}

/* Put a signingTime into a SOD signed by key and sign its attributes again (PKCS#1 v1.5). With
 * utc NULL the attribute becomes an unknown one (OID ..09.52, same length): no signingTime. */
static void resign_at(struct fx *f, const char *key, const char *utc)
{
	long at = fx_find(f, SIGNING_TIME_ATTR, 13);
	mbedtls_pk_context pk;
	mbedtls_entropy_context ent;
	mbedtls_ctr_drbg_context drbg;
	uint8_t h[32], hdr[3], sig[512];
	size_t hl = 0, siglen = 0, n;
	mbedtls_sha256_context sha;
	char path[128];

	mbedtls_pk_init(&pk);
	mbedtls_entropy_init(&ent);
	mbedtls_ctr_drbg_init(&drbg);
	mbedtls_sha256_init(&sha);
	assert_true(at > 0);
	if (utc)
		memcpy(f->buf + at + 13, utc, 13);
	else
		f->buf[at + 8] = 0x34;
	assert_int_equal(sod_parse(f->buf, f->len, &sod, NULL), 0);
	n = sod.cms.si.signed_attrs.len;
	hdr[hl++] = 0x31;
	if (n >= 0x80)
		hdr[hl++] = 0x81;
	hdr[hl++] = (uint8_t)n;
	mbedtls_sha256_starts_ret(&sha, 0);
	mbedtls_sha256_update_ret(&sha, hdr, hl);
	mbedtls_sha256_update_ret(&sha, sod.cms.si.signed_attrs.p, n);
	mbedtls_sha256_finish_ret(&sha, h);
	snprintf(path, sizeof(path), PKI_DIR "%s", key);
	assert_int_equal(mbedtls_pk_parse_keyfile(&pk, path, NULL), 0);
	assert_int_equal(mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &ent, NULL, 0), 0);
	assert_int_equal(mbedtls_pk_sign(&pk, MBEDTLS_MD_SHA256, h, 32, sig, &siglen,
					 mbedtls_ctr_drbg_random, &drbg),
			 0);
	assert_int_equal(siglen, sod.cms.si.signature.len);
	memcpy(f->buf + sod.cms.si.signature.off, sig, siglen);
	mbedtls_sha256_free(&sha);
	mbedtls_ctr_drbg_free(&drbg);
	mbedtls_entropy_free(&ent);
	mbedtls_pk_free(&pk);
}

/* ICAO 9303-12 §7.1: a DS certificate is judged at signing time. openssl signed this SOD today,
 * after the DS expired (2021-01-01): failed. */
static void expired_ds_signed_after_expiry_fails(void **state)
{
	struct fx *f = fx_load("sod-expired.bin");
	struct pa_result r;

	(void)state;
	assert_int_equal(run(f, &store, &r), PA_FAILED);
	assert_non_null(strstr(r.reason, "DS certificate not valid at signing time"));
	assert_non_null(strstr(r.reason, "(valid 2020-01-01 to 2021-01-01)"));
	assert_true(r.signature_ok);
	free(f);
}

/* ... and the same DS with a signingTime inside its validity: ok, though it has expired now. */
static void expired_ds_signed_during_validity_is_ok(void **state)
{
	struct fx *f = fx_load("sod-expired.bin");
	struct pa_result r;

	(void)state;
	resign_at(f, "ds-expired.key", "200601000000Z");
	assert_int_equal(run(f, &store, &r), PA_OK);
	resign_at(f, "ds-expired.key", "210101000001Z"); /* one second after notAfter */
	assert_int_equal(run(f, &store, &r), PA_FAILED);
	assert_string_equal(r.reason,
			    "DS certificate not valid at signing time 2021-01-01 00:00:01 "
			    "(valid 2020-01-01 to 2021-01-01)");
	free(f);
}

/* Without a signingTime the DS is judged at "now", the caller's clock. */
static void no_signing_time_judged_now(void **state)
{
	struct fx *f = fx_load("sod-expired.bin");
	struct pa_dg dgs[] = {{1, dg1->buf, dg1->len}};
	struct pa_result r;

	(void)state;
	resign_at(f, "ds-expired.key", NULL);
	assert_int_equal(sod_parse(f->buf, f->len, &sod, NULL), 0);
	assert_false(sod.cms.si.has_signing_time);
	assert_int_equal(pa_verify(f->buf, f->len, dgs, 1, &store, 1591000000LL, &r), PA_OK);
	assert_int_equal(pa_verify(f->buf, f->len, dgs, 1, &store, 1640995200LL, &r), PA_FAILED);
	assert_string_equal(r.reason, "DS certificate not valid at now 2022-01-01 00:00:00 (valid "
				      "2020-01-01 to 2021-01-01)");
	free(f);
}

static void ds_without_digital_signature_fails(void **state)
{
	struct fx *f = fx_load("sod-noku.bin");
	struct pa_result r;

	(void)state;
	assert_int_equal(run(f, &store, &r), PA_FAILED);
	assert_string_equal(r.reason, "DS certificate lacks digitalSignature key usage");
	assert_true(r.signature_ok);
	free(f);
}

/* A CSCA with csca-rsa's name and key identifier but another key: a forgery, not a stranger. */
static void forged_csca_with_same_key_id_fails(void **state)
{
	struct fx *f = fx_load("sod-rsa.bin");
	struct trust_store ts;
	struct pa_result r;

	(void)state;
	trust_init(&ts);
	add(&ts, "csca-fake.der");
	assert_int_equal(run(f, &ts, &r), PA_FAILED);
	assert_string_equal(r.reason, "DS certificate signature invalid under the CSCA with its "
				      "authority key identifier");
	add(&ts, "csca-rsa.der"); /* twin: the real CSCA beside it still anchors the DS */
	assert_int_equal(run(f, &ts, &r), PA_OK);
	trust_free(&ts);
	free(f);
}

static void no_sod_is_absent(void **state)
{
	struct pa_dg dgs[] = {{1, dg1->buf, dg1->len}};
	struct pa_result r;

	(void)state;
	assert_int_equal(pa_verify(NULL, 0, dgs, 1, &store, 0, &r), PA_ABSENT);
	assert_string_equal(r.reason, "no EF.SOD");
	assert_string_equal(pa_status_str(PA_ABSENT), "absent");
	assert_string_equal(pa_status_str(PA_OK), "ok");
	assert_string_equal(pa_status_str(PA_FAILED), "failed");
	assert_string_equal(pa_status_str(PA_UNTRUSTED), "untrusted");
}

static void malformed_sod_fails(void **state)
{
	struct fx *f = fx_load("sod-rsa.bin");
	struct pa_result r;
	char want[128];

	(void)state;
	/* 77 82 hi lo: the value is len - 4 bytes; one byte less is left */
	snprintf(want, sizeof(want),
		 "EF.SOD malformed: EF.SOD at byte 1: value of %zu bytes, only "
		 "%zu left",
		 f->len - 4, f->len - 5);
	f->len -= 1;
	assert_int_equal(run(f, &store, &r), PA_FAILED);
	assert_string_equal(r.reason, want);
	free(f);
}

static void sid_naming_no_certificate_fails(void **state)
{
	struct fx *f = fx_load("sod-rsa.bin");
	struct pa_result r;

	(void)state;
	assert_int_equal(sod_parse(f->buf, f->len, &sod, NULL), 0);
	f->buf[sod.cms.si.sid_serial.off + sod.cms.si.sid_serial.len - 1] ^= 0x01;
	assert_int_equal(run(f, &store, &r), PA_FAILED);
	assert_string_equal(r.reason, "no certificate in EF.SOD matches SignerInfo.sid");
	free(f);
}

static void revoked_ds_fails_with_crl(void **state)
{
	struct fx *f = fx_load("sod-revoked.bin"), *crl = fx_load("csca-rsa.crl");
	struct pa_result r;

	(void)state;
	assert_int_equal(run(f, &store, &r), PA_OK); /* no CRL loaded yet */
	assert_int_equal(trust_add_crl(&store, crl->buf, crl->len, NULL), 0);
	assert_int_equal(run(f, &store, &r), PA_FAILED);
	assert_string_equal(r.reason, "DS certificate revoked by a CRL of its CSCA");
	f = (free(f), fx_load("sod-rsa.bin")); /* the CRL names only ds-revoked */
	assert_int_equal(run(f, &store, &r), PA_OK);
	free(f);
	free(crl);
}

/* Same name and key as csca-rsa, but cA false and no keyCertSign: it signed the DS, yet it must
 * not anchor the chain. */
static void non_ca_issuer_fails(void **state)
{
	struct fx *f = fx_load("sod-rsa.bin");
	struct trust_store ts;
	struct pa_result r;

	(void)state;
	trust_init(&ts);
	add(&ts, "csca-rsa-noca.der");
	assert_int_equal(run(f, &ts, &r), PA_FAILED);
	assert_string_equal(r.reason, "CSCA " ISSUER "TEST CSCA RSA is not a CA with keyCertSign");
	trust_free(&ts);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ok_for_each_algorithm),
	    cmocka_unit_test(tampered_dg_fails_naming_it),
	    cmocka_unit_test(dg_read_but_not_in_sod_fails),
	    cmocka_unit_test(dg_in_sod_not_read_is_fine),
	    cmocka_unit_test(wrong_signature_fails),
	    cmocka_unit_test(tampered_econtent_fails_message_digest),
	    cmocka_unit_test(tampered_signed_attr_fails_signature),
	    cmocka_unit_test(unknown_csca_is_untrusted),
	    cmocka_unit_test(empty_or_no_store_is_untrusted),
	    cmocka_unit_test(failure_beats_untrusted),
	    cmocka_unit_test(expired_ds_signed_after_expiry_fails),
	    cmocka_unit_test(expired_ds_signed_during_validity_is_ok),
	    cmocka_unit_test(no_signing_time_judged_now),
	    cmocka_unit_test(ds_without_digital_signature_fails),
	    cmocka_unit_test(forged_csca_with_same_key_id_fails),
	    cmocka_unit_test(no_sod_is_absent),
	    cmocka_unit_test(malformed_sod_fails),
	    cmocka_unit_test(sid_naming_no_certificate_fails),
	    cmocka_unit_test(non_ca_issuer_fails),
	    cmocka_unit_test(revoked_ds_fails_with_crl), /* last: it adds a CRL to the store */
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
