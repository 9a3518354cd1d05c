/* SPDX-License-Identifier: MIT */
/*
 * aa.c - active authentication, ICAO 9303-11 §6.1, terminal side:
 *
 *   00 88 00 00 08 <8-byte challenge M2> 00   (under secure messaging)
 *   RSA:   F = sig^e mod n = 6A || M1 || H(M1 || M2) || BC   (ISO/IEC 9796-2 scheme 1, SHA-1;
 *          a two-byte trailer xx CC names the hash: 33 SHA-1, 34 SHA-256, 35 SHA-512,
 *          36 SHA-384, 38 SHA-224, ISO/IEC 10118-3)
 *   ECDSA: r||s (each the byte length of n, BSI TR-03111 plain format) or a DER
 *          SEQUENCE { r, s }, over H(M2) with H from DG14's ActiveAuthenticationInfo.
 *   DG15:  6F 82 01 22 30 82 01 1E 30 0D 06 09 2A 86 48 86 F7 0D 01 01 01 ...  (RSA SPKI)
 *
 * A DG15 key this build cannot use (unknown algorithm or curve, explicit EC domain parameters) is
 * reported absent with its reason, not failed. Omitted: explicit EC parameters, ISO/IEC 9796-2's
 * alternative "n - F" representative (even public exponents, Rabin-Williams).
 */
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/rsa.h>

#include "doc/tlv.h"
#include "verify/aa.h"

const char *aa_status_str(enum aa_status st)
{
	return st == AA_OK ? "ok" : st == AA_FAILED ? "failed" : "absent";
}

bool aa_spki_explicit_ec(const uint8_t *spki, size_t len)
{
	static const uint8_t ec_oid[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
	unsigned char *p = (unsigned char *)spki;
	const unsigned char *end = spki + len;
	size_t n;

	if (mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) ||
	    mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) ||
	    mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_OID) || n != sizeof(ec_oid) ||
	    memcmp(p, ec_oid, n))
		return false;
	p += n;
	return p < end && *p == (MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE);
}

int aa_dg15_parse(const uint8_t *buf, size_t len, mbedtls_pk_context *pk, struct cccd_err *err)
{
	struct tlv v;
	mbedtls_pk_type_t t;
	int rc;

	rc = tlv_expect(buf, len, 0x6F, 0, &v, err);
	if (rc)
		return rc;
	if (v.total != len)
		return cccd_err_set(err, -CCCD_EFORMAT, "aa",
				    "DG15: %zu bytes after 6F at byte %zu", len - v.total, v.total);
	if (aa_spki_explicit_ec(v.value, v.len))
		return cccd_err_set(err, -CCCD_ENOTSUP, "aa",
				    "DG15 key at byte %zu: explicit EC parameters not supported",
				    v.hdr_len);
	rc = mbedtls_pk_parse_public_key(pk, v.value, v.len);
	if (rc)
		return cccd_err_set(
		    err,
		    rc == MBEDTLS_ERR_PK_UNKNOWN_PK_ALG || rc == MBEDTLS_ERR_PK_UNKNOWN_NAMED_CURVE
			? -CCCD_ENOTSUP
			: -CCCD_EFORMAT,
		    "aa", "DG15 key at byte %zu: mbedTLS -0x%04x", v.hdr_len, (unsigned)-rc);
	t = mbedtls_pk_get_type(pk);
	if (t != MBEDTLS_PK_RSA && t != MBEDTLS_PK_ECKEY) {
		mbedtls_pk_free(pk);
		mbedtls_pk_init(pk);
		return cccd_err_set(err, -CCCD_ENOTSUP, "aa", "DG15 key type %d", (int)t);
	}
	return 0;
}

/* Hash of an ISO/IEC 9796-2 trailer: BC (t = 1, SHA-1) or <id> CC (t = 2). */
static int trailer_md(const uint8_t *f, size_t k, mbedtls_md_type_t *md, size_t *t)
{
	static const struct {
		uint8_t id;
		mbedtls_md_type_t md;
	} ids[] = {{0x33, MBEDTLS_MD_SHA1},
		   {0x34, MBEDTLS_MD_SHA256},
		   {0x35, MBEDTLS_MD_SHA512},
		   {0x36, MBEDTLS_MD_SHA384},
		   {0x38, MBEDTLS_MD_SHA224}};

	if (f[k - 1] == 0xBC) {
		*md = MBEDTLS_MD_SHA1;
		*t = 1;
		return 0;
	}
	if (f[k - 1] != 0xCC)
		return -1;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (f[k - 2] == ids[i].id) {
			*md = ids[i].md;
			*t = 2;
			return 0;
		}
	return -1;
}

/* ISO/IEC 9796-2 scheme 1 (partial recovery): recover M1 from f (k bytes), compare the hash. */
static int rsa_recover_check(const uint8_t *f, size_t k, const uint8_t *challenge,
			     struct cccd_err *err)
{
	const mbedtls_md_info_t *mi;
	mbedtls_md_context_t ctx;
	mbedtls_md_type_t md;
	uint8_t h[MBEDTLS_MD_MAX_SIZE];
	size_t t, hl;
	int rc;

	mbedtls_md_init(&ctx);
	if (f[0] != 0x6A) {
		rc = cccd_err_set(err, -CCCD_ECHECK, "aa", "RSA: header %02X, not 6A", f[0]);
		goto out;
	}
	if (trailer_md(f, k, &md, &t)) {
		rc = cccd_err_set(err, -CCCD_ECHECK, "aa", "RSA: unknown trailer %02X %02X",
				  f[k - 2], f[k - 1]);
		goto out;
	}
	mi = mbedtls_md_info_from_type(md);
	hl = mi ? mbedtls_md_get_size(mi) : 0;
	if (!mi || k < 1 + hl + t + 1) {
		rc = cccd_err_set(err, -CCCD_ENOTSUP, "aa",
				  "RSA: no room for the hash in %zu bytes", k);
		goto out;
	}
	rc = mbedtls_md_setup(&ctx, mi, 0);
	rc = rc ? rc : mbedtls_md_starts(&ctx);
	rc = rc ? rc : mbedtls_md_update(&ctx, f + 1, k - 1 - hl - t); /* M1 */
	rc = rc ? rc : mbedtls_md_update(&ctx, challenge, AA_CHALLENGE_LEN);
	rc = rc ? rc : mbedtls_md_finish(&ctx, h);
	if (rc)
		rc = cccd_err_set(err, -CCCD_ENOMEM, "aa", "hash: mbedTLS -0x%04x", (unsigned)-rc);
	else if (!emrtd_mac_equal(h, f + k - t - hl, hl))
		rc = cccd_err_set(err, -CCCD_ECHECK, "aa", "RSA: recovered hash differs");
out:
	mbedtls_md_free(&ctx);
	return rc;
}

static int rsa_check(mbedtls_rsa_context *rsa, const uint8_t *challenge, const uint8_t *sig,
		     size_t sig_len, struct cccd_err *err)
{
	size_t k = mbedtls_rsa_get_len(rsa);
	uint8_t s[AA_SIG_MAX], f[AA_SIG_MAX];
	int rc;

	if (k > AA_SIG_MAX || sig_len > k || sig_len == 0)
		return cccd_err_set(err, -CCCD_ECHECK, "aa",
				    "RSA: signature of %zu bytes for a %zu-byte key", sig_len, k);
	memset(s, 0, k - sig_len); /* left-pad a short integer to the modulus length */
	memcpy(s + k - sig_len, sig, sig_len);
	rc = mbedtls_rsa_public(rsa, s, f);
	if (rc)
		rc = cccd_err_set(err, -CCCD_ECHECK, "aa", "RSA: signature not below the modulus");
	else
		rc = rsa_recover_check(f, k, challenge, err);
	mbedtls_platform_zeroize(f, sizeof(f));
	return rc;
}

/* r and s from plain r||s (2 x the byte length of n) or a DER SEQUENCE. */
static int ecdsa_sig_read(const mbedtls_ecp_group *grp, const uint8_t *sig, size_t len,
			  mbedtls_mpi *r, mbedtls_mpi *s)
{
	size_t nl = mbedtls_mpi_size(&grp->N);
	unsigned char *p = (unsigned char *)sig;
	const unsigned char *end = sig + len;
	size_t sl;

	if (len == 2 * nl)
		return mbedtls_mpi_read_binary(r, sig, nl) ||
		       mbedtls_mpi_read_binary(s, sig + nl, nl);
	if (mbedtls_asn1_get_tag(&p, end, &sl, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) ||
	    p + sl != end)
		return -1;
	return mbedtls_asn1_get_mpi(&p, end, r) || mbedtls_asn1_get_mpi(&p, end, s) || p != end;
}

static mbedtls_md_type_t md_for_curve(const mbedtls_ecp_group *grp)
{
	return grp->nbits <= 256   ? MBEDTLS_MD_SHA256
	       : grp->nbits <= 384 ? MBEDTLS_MD_SHA384
				   : MBEDTLS_MD_SHA512;
}

static int ecdsa_check(mbedtls_ecp_keypair *k, mbedtls_md_type_t md, const uint8_t *challenge,
		       const uint8_t *sig, size_t sig_len, struct cccd_err *err)
{
	const mbedtls_md_info_t *mi;
	uint8_t h[MBEDTLS_MD_MAX_SIZE];
	mbedtls_mpi r, s;
	int rc;

	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	mi = mbedtls_md_info_from_type(md == MBEDTLS_MD_NONE ? md_for_curve(&k->grp) : md);
	if (!mi) {
		rc = cccd_err_set(err, -CCCD_ENOTSUP, "aa", "ECDSA: hash %d unsupported", (int)md);
		goto out;
	}
	if (ecdsa_sig_read(&k->grp, sig, sig_len, &r, &s)) {
		rc = cccd_err_set(err, -CCCD_EFORMAT, "aa",
				  "ECDSA: signature of %zu bytes is neither r||s nor DER", sig_len);
		goto out;
	}
	rc = mbedtls_md(mi, challenge, AA_CHALLENGE_LEN, h);
	if (!rc)
		rc = mbedtls_ecdsa_verify(&k->grp, h, mbedtls_md_get_size(mi), &k->Q, &r, &s);
	if (rc)
		rc = cccd_err_set(err, -CCCD_ECHECK, "aa", "ECDSA: signature does not verify");
out:
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	return rc;
}

int aa_check(const mbedtls_pk_context *pk, mbedtls_md_type_t md, const uint8_t *challenge,
	     const uint8_t *sig, size_t sig_len, struct cccd_err *err)
{
	if (sig_len > AA_SIG_MAX)
		return cccd_err_set(err, -CCCD_EFORMAT, "aa", "signature of %zu bytes (max %d)",
				    sig_len, AA_SIG_MAX);
	switch (mbedtls_pk_get_type(pk)) {
	case MBEDTLS_PK_RSA:
		return rsa_check(mbedtls_pk_rsa(*pk), challenge, sig, sig_len, err);
	case MBEDTLS_PK_ECKEY:
		return ecdsa_check(mbedtls_pk_ec(*pk), md, challenge, sig, sig_len, err);
	default:
		return cccd_err_set(err, -CCCD_ENOTSUP, "aa", "no RSA or EC key");
	}
}

static enum aa_status aa_set(struct aa_result *res, enum aa_status st, int code,
			     const struct cccd_err *e)
{
	res->status = st;
	res->code = st == AA_FAILED ? code : 0;
	snprintf(res->reason, sizeof(res->reason), "%s", st == AA_OK || !e ? "" : e->msg);
	return st;
}

/* INTERNAL AUTHENTICATE with a fresh challenge; the signature into sig. */
static int internal_auth(struct emrtd_session *s, uint8_t challenge[AA_CHALLENGE_LEN], uint8_t *sig,
			 size_t cap, size_t *sig_len, struct cccd_err *err)
{
	struct apdu a = {.ins = 0x88, .data = challenge, .lc = AA_CHALLENGE_LEN, .le = 256};
	uint16_t sw;
	int rc;

	if (s->rng(s->rng_ctx, challenge, AA_CHALLENGE_LEN))
		return cccd_err_set(err, -CCCD_EIO, "aa", "no randomness for the challenge");
	rc = emrtd_transmit(s, &a, sig, cap, sig_len, &sw, err);
	if (!rc && !apdu_sw_ok(sw))
		rc = cccd_err_set(err, apdu_sw_code(sw), "aa", "INTERNAL AUTHENTICATE: %04X %s", sw,
				  apdu_sw_str(sw));
	return rc;
}

enum aa_status aa_run(struct emrtd_session *s, const uint8_t *dg15, size_t dg15_len,
		      mbedtls_md_type_t md, struct aa_result *res)
{
	uint8_t challenge[AA_CHALLENGE_LEN], sig[AA_SIG_MAX + 64];
	struct cccd_err e = {0};
	mbedtls_pk_context pk;
	size_t sig_len = 0;
	int rc;

	mbedtls_pk_init(&pk);
	if (!dg15 || !dg15_len) {
		snprintf(e.msg, sizeof(e.msg), "no DG15");
		rc = 1;
		goto out;
	}
	rc = aa_dg15_parse(dg15, dg15_len, &pk, &e);
	if (rc == -CCCD_ENOTSUP)
		rc = 1; /* a key we cannot check: nothing the chip did wrong */
	if (!rc)
		rc = internal_auth(s, challenge, sig, sizeof(sig), &sig_len, &e);
	if (!rc)
		rc = aa_check(&pk, md, challenge, sig, sig_len, &e);
out:
	mbedtls_pk_free(&pk);
	return aa_set(res, rc > 0 ? AA_ABSENT : rc ? AA_FAILED : AA_OK, rc, &e);
}
