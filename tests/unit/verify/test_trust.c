/* SPDX-License-Identifier: MIT */
/*
 * test_trust.c - the CSCA trust store (daemon/verify/trust.c): import of PEM, DER and an ICAO
 * master list (9303-12 §8, signed by the openssl CLI in tests/fixtures/pki/make.sh) into a
 * temporary directory, loading it back, CSCA lookup, listing fields, and hostile master lists.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <mbedtls/sha256.h>

#include "verify/pki_fixture.h"
#include "verify/trust.h"

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/cccd-trust-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* dir/<sha256 of fixture name's bytes>.der, computed here, not by trust.c. */
static void expected_path(const char *der_name, char *out, size_t len)
{
	struct fx *f = fx_load(der_name);
	uint8_t h[32];
	int n = snprintf(out, len, "%s/", dir);

	mbedtls_sha256_ret(f->buf, f->len, h, 0);
	for (int i = 0; i < 32; i++)
		n += snprintf(out + n, len - (size_t)n, "%02x", h[i]);
	snprintf(out + n, len - (size_t)n, ".der");
	free(f);
}

static void assert_file_is(const char *path, const char *der_name)
{
	struct fx *want = fx_load(der_name);
	uint8_t got[PKI_MAX];
	struct stat st;
	FILE *fp = fopen(path, "rb");
	size_t n;

	assert_non_null(fp);
	n = fread(got, 1, sizeof(got), fp);
	fclose(fp);
	assert_int_equal(n, want->len);
	assert_memory_equal(got, want->buf, n);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	free(want);
}

static void import_pem_then_again(void **state)
{
	struct fx *f = fx_load("csca-rsa.pem");
	struct trust_import_report rep;
	char path[200];

	(void)state;
	assert_int_equal(trust_import(dir, f->buf, f->len, &rep, NULL), 0);
	assert_int_equal(rep.added, 1);
	assert_false(rep.masterlist);
	expected_path("csca-rsa.der", path, sizeof(path));
	assert_file_is(path, "csca-rsa.der"); /* PEM in, normalised DER out */
	assert_int_equal(trust_import(dir, f->buf, f->len, &rep, NULL), 0);
	assert_int_equal(rep.added, 0);
	assert_int_equal(rep.existing, 1);
	free(f);
}

static void import_rejects_non_ca(void **state)
{
	struct fx *f = fx_load("ds-rsa.der");
	struct trust_import_report rep;
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(trust_import(dir, f->buf, f->len, &rep, &e), -CCCD_ERANGE);
	assert_string_equal(e.msg, "not a CA certificate");
	assert_int_equal(rep.rejected, 1);
	free(f);
	f = fx_load("dg1.bin");
	assert_int_not_equal(trust_import(dir, f->buf, f->len, &rep, &e), 0);
	free(f);
}

static void import_masterlist(void **state)
{
	struct fx *f = fx_load("csca.ml");
	struct trust_import_report rep;
	char p1[200], p2[200];

	(void)state;
	assert_int_equal(trust_import(dir, f->buf, f->len, &rep, NULL), 0);
	assert_true(rep.masterlist);
	assert_int_equal(rep.ml_signature, 0);
	assert_string_equal(rep.ml_signer,
			    "C=VN, O=cccd-gateway TEST ONLY, CN=TEST master list signer");
	assert_int_equal(rep.added, 2);
	expected_path("csca-bp.der", p1, sizeof(p1));
	expected_path("csca-p256.der", p2, sizeof(p2));
	assert_file_is(p1, "csca-bp.der");
	assert_file_is(p2, "csca-p256.der");
	free(f);
}

/* A master list whose signature no longer verifies is refused whole. */
static void import_refuses_altered_masterlist(void **state)
{
	struct fx *f = fx_load("csca.ml");
	struct trust_import_report rep;
	struct cccd_err e = {0};

	(void)state;
	f->buf[f->len - 10] ^= 0x01; /* inside the signature, the last field */
	assert_int_equal(trust_import(dir, f->buf, f->len, &rep, &e), -CCCD_ECHECK);
	assert_non_null(strstr(e.msg, "master list signature invalid"));
	assert_int_equal(rep.added + rep.existing, 0);
	free(f);
}

/* Runs after the imports above: the directory holds csca-rsa, csca-bp and csca-p256. */
static void load_dir_and_find(void **state)
{
	struct trust_store ts;
	struct fx *f = fx_load("ds-rsa.der"), *o = fx_load("ds-other.der");
	struct pa_cert ds, other;
	const struct pa_cert *ca;
	size_t it = 0;
	bool kid;

	(void)state;
	trust_init(&ts);
	assert_int_equal(trust_load_dir(&ts, dir, NULL), 0);
	assert_int_equal(ts.n, 3);
	assert_int_equal(ts.skipped, 0);
	assert_int_equal(pa_cert_parse(f->buf, f->len, &ds, NULL), 0);
	ca = trust_find(&ts, &ds, &it, &kid);
	assert_non_null(ca);
	assert_true(kid);
	assert_int_equal(pa_cert_check_sig(ca, &ds, NULL), 0);
	assert_null(trust_find(&ts, &ds, &it, &kid));
	/* twin: a DS whose CSCA is not in the directory */
	assert_int_equal(pa_cert_parse(o->buf, o->len, &other, NULL), 0);
	it = 0;
	assert_null(trust_find(&ts, &other, &it, &kid));
	pa_cert_free(&ds);
	pa_cert_free(&other);
	trust_free(&ts);
	free(f);
	free(o);
}

static void load_missing_dir(void **state)
{
	struct trust_store ts;
	struct cccd_err e = {0};

	(void)state;
	trust_init(&ts);
	assert_int_equal(trust_load_dir(&ts, "/nonexistent/cccd-trust", &e), -CCCD_ENOENT);
	assert_int_equal(ts.n, 0);
	trust_free(&ts);
}

static void info_fields(void **state)
{
	struct fx *f = fx_load("csca-p256.der");
	struct pa_cert c;
	struct trust_info info;
	char path[200];

	(void)state;
	assert_int_equal(pa_cert_parse(f->buf, f->len, &c, NULL), 0);
	trust_info(&c, &info);
	assert_string_equal(info.subject,
			    "C=VN, O=cccd-gateway TEST ONLY, CN=TEST CSCA secp256r1 explicit");
	assert_string_equal(info.not_before, "2015-01-01");
	assert_string_equal(info.not_after, "2045-01-01");
	assert_true(info.explicit_curve);
	assert_true(strlen(info.serial) > 0);
	expected_path("csca-p256.der", path, sizeof(path));
	assert_non_null(strstr(path, info.fingerprint));
	pa_cert_free(&c);
	free(f);
}

static void masterlist_parse_and_iterate(void **state)
{
	struct fx *f = fx_load("csca.ml"), *a = fx_load("csca-bp.der"),
		  *b = fx_load("csca-p256.der");
	struct trust_ml ml;
	struct cms_blob c;
	size_t pos = 0;

	(void)state;
	assert_int_equal(trust_masterlist_parse(f->buf, f->len, &ml, NULL), 0);
	assert_int_equal(ml.n_certs, 2);
	assert_int_equal(trust_ml_next(&ml, &pos, &c), 1);
	assert_int_equal(c.len, a->len);
	assert_memory_equal(c.p, a->buf, a->len);
	assert_int_equal(trust_ml_next(&ml, &pos, &c), 1);
	assert_memory_equal(c.p, b->buf, b->len);
	assert_int_equal(trust_ml_next(&ml, &pos, &c), 0);
	trust_ml_free(&ml);
	free(f);
	free(a);
	free(b);
}

static void masterlist_hostile(void **state)
{
	struct fx *f = fx_load("csca.ml"), *sod = fx_load("sod-rsa.bin");
	struct trust_ml ml;
	struct cccd_err e = {0};

	(void)state;
	for (size_t n = 0; n < f->len; n++) {
		uint8_t *cut = malloc(n ? n : 1);

		memcpy(cut, f->buf, n);
		assert_int_not_equal(trust_masterlist_parse(cut, n, &ml, NULL), 0);
		trust_ml_free(&ml);
		free(cut);
	}
	/* an SOD is CMS too, but not a master list */
	assert_int_equal(trust_masterlist_parse(sod->buf + 4, sod->len - 4, &ml, &e),
			 -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "not id-icao-cscaMasterList"));
	trust_ml_free(&ml);
	free(f);
	free(sod);
}

static void crl_from_file_bytes(void **state)
{
	struct trust_store ts;
	struct fx *pem = fx_load("csca-rsa.crl");

	(void)state;
	trust_init(&ts);
	assert_int_equal(trust_add_crl(&ts, pem->buf, pem->len, NULL), 0);
	assert_int_equal(ts.n_crls, 1);
	assert_int_equal(trust_add_crl(&ts, (const uint8_t *)"junk", 4, NULL), -CCCD_EFORMAT);
	trust_free(&ts);
	free(pem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(import_pem_then_again),
	    cmocka_unit_test(import_rejects_non_ca),
	    cmocka_unit_test(import_masterlist),
	    cmocka_unit_test(import_refuses_altered_masterlist),
	    cmocka_unit_test(load_dir_and_find),
	    cmocka_unit_test(load_missing_dir),
	    cmocka_unit_test(info_fields),
	    cmocka_unit_test(masterlist_parse_and_iterate),
	    cmocka_unit_test(masterlist_hostile),
	    cmocka_unit_test(crl_from_file_bytes),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
