/* SPDX-License-Identifier: MIT */
/*
 * test_sod.c - EF.SOD / CMS SignedData parser (daemon/verify/sod.c). Valid inputs are SODs the
 * openssl CLI signed (tests/fixtures/pki/make.sh); hostile ones are built here with a small BER
 * writer (every length in 82 xx xx form, which BER allows) or cut from the valid ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <mbedtls/sha256.h>

#include "verify/pki_fixture.h"
#include "verify/sod.h"

/* --- a tiny BER writer for synthetic SODs --- */
struct w {
	uint8_t buf[32768];
	size_t n;
	size_t stack[24];
	int sp;
};

static void w_raw(struct w *w, const void *p, size_t n)
{
	assert_true(w->n + n <= sizeof(w->buf));
	memcpy(w->buf + w->n, p, n);
	w->n += n;
}

static void w_open(struct w *w, uint8_t tag)
{
	w->buf[w->n++] = tag;
	w->stack[w->sp++] = w->n;
	w->n += 3; /* 82 hi lo */
}

static void w_close(struct w *w)
{
	size_t at = w->stack[--w->sp], len = w->n - at - 3;

	w->buf[at] = 0x82;
	w->buf[at + 1] = (uint8_t)(len >> 8);
	w->buf[at + 2] = (uint8_t)len;
}

static void w_tlv(struct w *w, uint8_t tag, const void *v, size_t n)
{
	w_open(w, tag);
	w_raw(w, v, n);
	w_close(w);
}

#define OID_SHA256 "\x60\x86\x48\x01\x65\x03\x04\x02\x01"
#define OID_LDS	   "\x67\x81\x08\x01\x01\x01"

struct shape {
	int n_dg; /* DataGroupHash entries, numbered first_dg, first_dg + 1, ... */
	int first_dg;
	size_t hash_len;
	int n_certs;
	int n_signers;
	int n_attrs; /* extra (ignored) attributes besides contentType and messageDigest */
};

static void w_lds(struct w *w, const struct shape *s)
{
	uint8_t h[64] = {0};

	w_open(w, 0x30);
	w_tlv(w, 0x02, "\x00", 1);
	w_open(w, 0x30);
	w_tlv(w, 0x06, OID_SHA256, 9);
	w_close(w);
	w_open(w, 0x30);
	for (int i = 0; i < s->n_dg; i++) {
		uint8_t dg = (uint8_t)(s->first_dg + i);

		w_open(w, 0x30);
		w_tlv(w, 0x02, &dg, 1);
		w_tlv(w, 0x04, h, s->hash_len);
		w_close(w);
	}
	w_close(w);
	w_close(w);
}

static void w_signer(struct w *w, const struct shape *s)
{
	w_open(w, 0x30);
	w_tlv(w, 0x02, "\x03", 1);
	w_tlv(w, 0x80, "\x01\x02\x03\x04", 4); /* sid: subjectKeyIdentifier */
	w_open(w, 0x30);
	w_tlv(w, 0x06, OID_SHA256, 9);
	w_close(w);
	w_open(w, 0xA0);
	w_open(w, 0x30);
	w_tlv(w, 0x06, "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x03", 9);
	w_open(w, 0x31);
	w_tlv(w, 0x06, OID_LDS, 6);
	w_close(w);
	w_close(w);
	w_open(w, 0x30);
	w_tlv(w, 0x06, "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x04", 9);
	w_open(w, 0x31);
	w_tlv(w, 0x04, "0123456789abcdef0123456789abcdef", 32);
	w_close(w);
	w_close(w);
	for (int i = 0; i < s->n_attrs; i++) {
		w_open(w, 0x30);
		w_tlv(w, 0x06, "\x2a\x03", 2);
		w_open(w, 0x31);
		w_tlv(w, 0x05, "", 0);
		w_close(w);
		w_close(w);
	}
	w_close(w);
	w_open(w, 0x30);
	w_tlv(w, 0x06, "\x2a\x86\x48\xce\x3d\x04\x03\x02", 8); /* ecdsa-with-SHA256 */
	w_close(w);
	w_tlv(w, 0x04, "sig", 3);
	w_close(w);
}

/* 77 { ContentInfo { signedData, [0] { SignedData } } } with the given shape. */
static void w_sod(struct w *w, const struct shape *s)
{
	memset(w, 0, sizeof(*w));
	w_open(w, 0x77);
	w_open(w, 0x30);
	w_tlv(w, 0x06, "\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02", 9);
	w_open(w, 0xA0);
	w_open(w, 0x30);
	w_tlv(w, 0x02, "\x03", 1);
	w_tlv(w, 0x31, "", 0);
	w_open(w, 0x30);
	w_tlv(w, 0x06, OID_LDS, 6);
	w_open(w, 0xA0);
	w_open(w, 0x04);
	w_lds(w, s);
	w_close(w);
	w_close(w);
	w_close(w);
	w_open(w, 0xA0);
	for (int i = 0; i < s->n_certs; i++)
		w_tlv(w, 0x30, "cert", 4);
	w_close(w);
	w_open(w, 0x31);
	for (int i = 0; i < s->n_signers; i++)
		w_signer(w, s);
	w_close(w);
	w_close(w);
	w_close(w);
	w_close(w);
	w_close(w);
}

static const struct shape ok_shape = {2, 1, 32, 1, 1, 0};

static struct sod sod; /* 6 KB: keep it off the cmocka stack */

/* --- valid SODs --- */

static void parses_openssl_signed_sod(void **state)
{
	struct fx *f = fx_load("sod-rsa.bin"), *lds = fx_load("lds.der"),
		  *dg13 = fx_load("dg13.bin");
	struct cccd_err e = {0};
	uint8_t h[32];

	(void)state;
	assert_int_equal(sod_parse(f->buf, f->len, &sod, &e), 0);
	assert_int_equal(sod.lds_version, 0);
	assert_int_equal(sod.lds_md, MBEDTLS_MD_SHA256);
	assert_int_equal(sod.n_dg, 2);
	/* eContent is exactly the LDSSecurityObject make.sh handed to openssl */
	assert_int_equal(sod.cms.econtent.len, lds->len);
	assert_memory_equal(sod.cms.econtent.p, lds->buf, lds->len);
	mbedtls_sha256_ret(dg13->buf, dg13->len, h, 0);
	assert_non_null(sod_dg_hash(&sod, 13));
	assert_memory_equal(sod_dg_hash(&sod, 13)->hash, h, 32);
	assert_null(sod_dg_hash(&sod, 2));
	assert_int_equal(sod.cms.n_certs, 1);
	assert_int_equal(sod.cms.n_signers, 1);
	assert_int_equal(sod.cms.si.version, 1);
	assert_int_equal(sod.cms.si.digest_md, MBEDTLS_MD_SHA256);
	assert_true(sod.cms.si.has_signing_time);
	assert_true(sod.cms.si.signing_time.year >= 2025);
	assert_int_equal(sod.cms.si.message_digest.len, 32);
	assert_int_equal(sod.cms.si.signature.len, 256);
	assert_true(sod.cms.si.sid_issuer.len > 0 && sod.cms.si.sid_serial.len > 0);
	/* the certificate points into the input */
	assert_true(sod.cms.certs[0].p > f->buf && sod.cms.certs[0].p < f->buf + f->len);
	free(f);
	free(lds);
	free(dg13);
}

/* openssl cms -stream: indefinite lengths and the eContent as a constructed OCTET STRING. */
static void accepts_indefinite_length_ber(void **state)
{
	struct fx *f = fx_load("sod-indef.bin"), *lds = fx_load("lds.der");

	(void)state;
	assert_memory_equal(f->buf + 4, "\x30\x80", 2); /* really indefinite */
	assert_int_equal(sod_parse(f->buf, f->len, &sod, NULL), 0);
	assert_int_equal(sod.cms.econtent.len, lds->len);
	assert_memory_equal(sod.cms.econtent.p, lds->buf, lds->len);
	assert_ptr_equal(sod.cms.econtent.p, sod.ebuf); /* reassembled */
	assert_int_equal(sod.n_dg, 2);
	free(f);
	free(lds);
}

static void parses_ecdsa_and_pss_sods(void **state)
{
	/* signatureAlgorithm: ecdsa-with-SHA256 twice, then id-RSASSA-PSS with its parameters */
	static const char *const oids[] = {"\x2a\x86\x48\xce\x3d\x04\x03\x02",
					   "\x2a\x86\x48\xce\x3d\x04\x03\x02",
					   "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0a"};
	const char *names[] = {"sod-bp.bin", "sod-p256.bin", "sod-pss.bin"};

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct fx *f = fx_load(names[i]);

		assert_int_equal(sod_parse(f->buf, f->len, &sod, NULL), 0);
		assert_int_equal(sod.n_dg, 2);
		assert_int_equal(sod.cms.si.sig_oid.len, strlen(oids[i]));
		assert_memory_equal(sod.cms.si.sig_oid.p, oids[i], strlen(oids[i]));
		assert_int_equal(sod.cms.si.sig_params.tag, i == 2 ? 0x30 : 0);
		free(f);
	}
}

static void synthetic_sod_parses(void **state)
{
	struct w w;

	(void)state;
	w_sod(&w, &ok_shape);
	assert_int_equal(sod_parse(w.buf, w.n, &sod, NULL), 0);
	assert_int_equal(sod.n_dg, 2);
	assert_int_equal(sod.cms.si.sid_ski.len, 4);
	assert_false(sod.cms.si.has_signing_time);
}

/* --- invalid: each names the element and the byte --- */

static void rejects_wrong_outer_tag(void **state)
{
	struct fx *f = fx_load("sod-rsa.bin");
	struct cccd_err e = {0};

	(void)state;
	f->buf[0] = 0x78;
	assert_int_equal(sod_parse(f->buf, f->len, &sod, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "EF.SOD at byte 0: tag 78, expected 77");
	free(f);
}

static void rejects_other_econtent_type(void **state)
{
	struct fx *f = fx_load("sod-rsa.bin");
	struct cccd_err e = {0};
	long at = fx_find(f, OID_LDS, 6);

	(void)state;
	assert_true(at > 0);
	f->buf[at + 5] = 0x02; /* 2.23.136.1.1.2: a master list, not an SOD */
	assert_int_equal(sod_parse(f->buf, f->len, &sod, &e), -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "not id-icao-mrtd-security-ldsSecurityObject"));
	free(f);
}

static void every_truncation_fails_cleanly(void **state)
{
	const char *names[] = {"sod-rsa.bin", "sod-indef.bin", "sod-bp.bin"};

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		struct fx *f = fx_load(names[k]);

		for (size_t n = 0; n < f->len; n++) {
			struct cccd_err e = {0};
			/* a heap copy of exactly n bytes: ASan sees any read past the end */
			uint8_t *cut = malloc(n ? n : 1);

			memcpy(cut, f->buf, n);
			assert_int_not_equal(sod_parse(cut, n, &sod, &e), 0);
			assert_true(e.msg[0] != '\0');
			free(cut);
		}
		free(f);
	}
}

/* Every byte replaced by length-ish values: the parser may accept or reject, never misbehave. */
static void every_byte_corrupted_is_safe(void **state)
{
	static const uint8_t vals[] = {0x00, 0x80, 0x84, 0xFF};
	struct fx *f = fx_load("sod-indef.bin");
	uint8_t *copy = malloc(f->len);

	(void)state;
	for (size_t i = 0; i < f->len; i++)
		for (size_t v = 0; v < sizeof(vals); v++) {
			memcpy(copy, f->buf, f->len);
			copy[i] = vals[v];
			if (sod_parse(copy, f->len, &sod, NULL) == 0)
				assert_true(sod.n_dg <= SOD_MAX_DG &&
					    sod.cms.n_certs <= CMS_MAX_CERTS);
		}
	free(copy);
	free(f);
}

static void check_shape(const struct shape *s, int want, const char *msg_part)
{
	static struct w w;
	struct cccd_err e = {0};

	w_sod(&w, s);
	assert_int_equal(sod_parse(w.buf, w.n, &sod, &e), want);
	assert_non_null(strstr(e.msg, msg_part));
}

static void bounded_counts(void **state)
{
	struct shape s;

	(void)state;
	s = ok_shape, s.n_dg = 16;
	check_shape(&s, 0, "");
	s = ok_shape, s.n_dg = 17;
	check_shape(&s, -CCCD_ERANGE, "more than 16 data group hashes");
	s = ok_shape, s.n_dg = 1, s.first_dg = 17;
	check_shape(&s, -CCCD_EFORMAT, "DG17 out of range");
	s = ok_shape, s.n_dg = 2, s.first_dg = 0;
	check_shape(&s, -CCCD_EFORMAT, "DG0 out of range");
	s = ok_shape, s.n_certs = CMS_MAX_CERTS + 1;
	check_shape(&s, -CCCD_ERANGE, "certificates at byte");
	s = ok_shape, s.n_signers = CMS_MAX_SIGNERS + 1;
	check_shape(&s, -CCCD_ERANGE, "signerInfos at byte");
	s = ok_shape, s.n_attrs = CMS_MAX_ATTRS - 1;
	check_shape(&s, -CCCD_ERANGE, "SignerInfo.signedAttrs at byte");
	s = ok_shape, s.n_attrs = CMS_MAX_ATTRS - 2;
	check_shape(&s, 0, "");
	s = ok_shape, s.n_signers = 0;
	check_shape(&s, -CCCD_EFORMAT, "signerInfos at byte");
}

static void rejects_bad_lds_entries(void **state)
{
	struct shape s;

	(void)state;
	s = ok_shape, s.hash_len = 20; /* SHA-1 sized hash under SHA-256 */
	check_shape(&s, -CCCD_EFORMAT, "DG1 hash is 20 bytes, the algorithm gives 32");
}

static void rejects_repeated_dg(void **state)
{
	static struct w w;
	struct cccd_err e = {0};
	long at = -1;

	(void)state;
	w_sod(&w, &ok_shape);
	for (size_t i = 0; i + 6 < w.n && at < 0; i++) /* DG2's number: 02 82 00 01 02 04 */
		if (!memcmp(w.buf + i, "\x02\x82\x00\x01\x02\x04", 6))
			at = (long)i;
	assert_true(at > 0);
	w.buf[at + 4] = 1; /* DG2 -> DG1: DG1 twice */
	assert_int_equal(sod_parse(w.buf, w.n, &sod, &e), -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "DG1 out of range or repeated"));
}

static void rejects_deep_indefinite_nesting(void **state)
{
	uint8_t buf[200];
	size_t n = 0;
	struct cccd_err e = {0};

	(void)state;
	buf[n++] = 0x77;
	buf[n++] = 0x80;
	for (int i = 0; i < 40; i++) {
		buf[n++] = 0x30;
		buf[n++] = 0x80;
	}
	for (int i = 0; i < 41; i++) {
		buf[n++] = 0;
		buf[n++] = 0;
	}
	assert_int_equal(sod_parse(buf, n, &sod, &e), -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "indefinite lengths nested deeper than"));
}

static void rejects_huge_length(void **state)
{
	static const uint8_t buf[] = {0x77, 0x84, 0xFF, 0xFF, 0xFF, 0xF0, 0x30, 0x00};
	static const uint8_t five[] = {0x77, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00, 0x30};
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(sod_parse(buf, sizeof(buf), &sod, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "EF.SOD at byte 1: value of 4294967280 bytes, only 2 left");
	assert_int_equal(sod_parse(five, sizeof(five), &sod, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "EF.SOD at byte 1: length form 85 not supported (max 84)");
	assert_int_equal(sod_parse(NULL, 0, &sod, &e), -CCCD_EINVAL);
}

static void rejects_missing_signed_attrs(void **state)
{
	struct fx *f = fx_load("sod-rsa.bin");
	struct cccd_err e = {0};
	/* signedAttrs start with A0 66 30 15 06 09 (contentType): retag A0 as A2, an unknown field
	 */
	long at = fx_find(f, "\xA0\x66\x30\x15\x06\x09", 6);

	(void)state;
	assert_true(at > 0);
	f->buf[at] = 0xA2;
	assert_int_equal(sod_parse(f->buf, f->len, &sod, &e), -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "SignerInfo.signedAttrs at byte"));
	assert_non_null(strstr(e.msg, "missing"));
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_openssl_signed_sod),
	    cmocka_unit_test(accepts_indefinite_length_ber),
	    cmocka_unit_test(parses_ecdsa_and_pss_sods),
	    cmocka_unit_test(synthetic_sod_parses),
	    cmocka_unit_test(rejects_wrong_outer_tag),
	    cmocka_unit_test(rejects_other_econtent_type),
	    cmocka_unit_test(every_truncation_fails_cleanly),
	    cmocka_unit_test(every_byte_corrupted_is_safe),
	    cmocka_unit_test(bounded_counts),
	    cmocka_unit_test(rejects_bad_lds_entries),
	    cmocka_unit_test(rejects_repeated_dg),
	    cmocka_unit_test(rejects_deep_indefinite_nesting),
	    cmocka_unit_test(rejects_huge_length),
	    cmocka_unit_test(rejects_missing_signed_attrs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
