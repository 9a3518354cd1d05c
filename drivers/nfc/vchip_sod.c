/* SPDX-License-Identifier: MIT */
/*
 * vchip_sod.c - EF.SOD of the virtual chip (ICAO 9303-10 §4.6.2, RFC 5652 §5): DER written
 * backwards with mbedtls_asn1write, the one signature made with mbedtls_pk_sign.
 *
 *   77 L  30 L 06 09 2A864886F70D010702 (signedData)  A0 L
 *         30 L 02 01 03  31 0F 30 0D 06 09 608648016503040201 05 00       version 3, SHA-256
 *              30 L 06 06 678108010101 (ldsSecurityObject) A0 L 04 L <LDSSecurityObject>
 *              A0 L <DS certificate>                                    certificates [0]
 *              31 L 30 L 02 01 01 30 L <issuer> 02 L <serial>  30 0D <SHA-256>
 *                        A0 4B <contentType, messageDigest>  30 L <sig alg>  04 L <signature>
 *   LDSSecurityObject = 30 L 02 01 00  30 0D <SHA-256>  30 L { 30 L 02 01 <dg> 04 20 <hash> }...
 *
 * The signature is over the DER SET OF signed attributes (tag 31), which then sits in the
 * SignerInfo under [0] IMPLICIT (tag A0). ECDSA signs with ecdsa-with-SHA256 (no parameters),
 * RSA with sha256WithRSAEncryption (PKCS#1 v1.5, NULL parameters).
 * Omitted: signingTime, LDS version info (LDSSecurityObject v1), RSA-PSS, CRLs.
 */
#include <string.h>

#include <mbedtls/asn1write.h>
#include <mbedtls/hmac_drbg.h>
#include <mbedtls/md.h>
#include <mbedtls/oid.h>
#include <mbedtls/x509_crt.h>

#include "vchip_sod.h"

#define SEQ	(MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)
#define SET	(MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SET)
#define CTX0	(MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0)
#define TAG_SOD 0x77

#define OID_LDS_SO	   "\x67\x81\x08\x01\x01\x01"  /* 2.23.136.1.1.1 */
#define OID_SIGNED_DATA	   MBEDTLS_OID_PKCS "\x07\x02" /* 1.2.840.113549.1.7.2 */
#define OID_CONTENT_TYPE   MBEDTLS_OID_PKCS9 "\x03"    /* 1.2.840.113549.1.9.3 */
#define OID_MESSAGE_DIGEST MBEDTLS_OID_PKCS9 "\x04"    /* 1.2.840.113549.1.9.4 */
#define OID_LEN(o)	   (sizeof(o) - 1)

/* The parts of the SignedData, made before it is written. */
struct sod_parts {
	const uint8_t *so; /* LDSSecurityObject DER */
	size_t so_len;
	const uint8_t *attrs; /* signed attributes: contents of the SET, no header */
	size_t attrs_len;
	const uint8_t *sig;
	size_t sig_len;
	const mbedtls_x509_crt *ds;
	mbedtls_pk_context *key;
};

static int w_hdr(unsigned char **p, unsigned char *start, size_t len, unsigned char tag)
{
	size_t n = 0;
	int ret;

	MBEDTLS_ASN1_CHK_ADD(n, mbedtls_asn1_write_len(p, start, len));
	MBEDTLS_ASN1_CHK_ADD(n, mbedtls_asn1_write_tag(p, start, tag));
	return (int)n;
}

static int w_sha256_alg(unsigned char **p, unsigned char *start)
{
	return mbedtls_asn1_write_algorithm_identifier(p, start, MBEDTLS_OID_DIGEST_ALG_SHA256,
						       OID_LEN(MBEDTLS_OID_DIGEST_ALG_SHA256), 0);
}

static int w_dg_hash(unsigned char **p, unsigned char *start, const struct vchip_dg_ref *dg)
{
	uint8_t h[32];
	size_t len = 0;
	int ret;

	ret = mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), dg->data, dg->len, h);
	if (ret)
		return ret;
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_octet_string(p, start, h, sizeof(h)));
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_int(p, start, (int)dg->num));
	MBEDTLS_ASN1_CHK_ADD(len, w_hdr(p, start, len, SEQ));
	return (int)len;
}

static int w_lds_so(unsigned char **p, unsigned char *start, const struct vchip_dg_ref *dgs,
		    size_t n)
{
	size_t len = 0;
	int ret;

	for (size_t i = n; i-- > 0;)
		MBEDTLS_ASN1_CHK_ADD(len, w_dg_hash(p, start, &dgs[i]));
	MBEDTLS_ASN1_CHK_ADD(len, w_hdr(p, start, len, SEQ));
	MBEDTLS_ASN1_CHK_ADD(len, w_sha256_alg(p, start));
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_int(p, start, 0));
	MBEDTLS_ASN1_CHK_ADD(len, w_hdr(p, start, len, SEQ));
	return (int)len;
}

/* SEQUENCE { oid, SET { value } } where value is already written right after *p. */
static int w_attr_wrap(unsigned char **p, unsigned char *start, size_t vlen, const char *oid,
		       size_t oid_len)
{
	size_t len = vlen;
	int ret;

	MBEDTLS_ASN1_CHK_ADD(len, w_hdr(p, start, len, SET));
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_oid(p, start, oid, oid_len));
	MBEDTLS_ASN1_CHK_ADD(len, w_hdr(p, start, len, SEQ));
	return (int)(len - vlen);
}

/* contentType then messageDigest: DER order of the SET OF (30 18.. sorts before 30 2F..). */
static int w_signed_attrs(unsigned char **p, unsigned char *start, const uint8_t digest[32])
{
	size_t len = 0;
	size_t v = 0;
	int ret;

	MBEDTLS_ASN1_CHK_ADD(v, mbedtls_asn1_write_octet_string(p, start, digest, 32));
	MBEDTLS_ASN1_CHK_ADD(
	    len, w_attr_wrap(p, start, v, OID_MESSAGE_DIGEST, OID_LEN(OID_MESSAGE_DIGEST)));
	len += v;
	v = 0;
	MBEDTLS_ASN1_CHK_ADD(v, mbedtls_asn1_write_oid(p, start, OID_LDS_SO, OID_LEN(OID_LDS_SO)));
	MBEDTLS_ASN1_CHK_ADD(len,
			     w_attr_wrap(p, start, v, OID_CONTENT_TYPE, OID_LEN(OID_CONTENT_TYPE)));
	len += v;
	return (int)len;
}

static int w_sig_alg(unsigned char **p, unsigned char *start, mbedtls_pk_context *key)
{
	size_t len = 0;
	int ret;

	if (!mbedtls_pk_can_do(key, MBEDTLS_PK_ECDSA))
		return mbedtls_asn1_write_algorithm_identifier(
		    p, start, MBEDTLS_OID_PKCS1_SHA256, OID_LEN(MBEDTLS_OID_PKCS1_SHA256), 0);
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_oid(p, start, MBEDTLS_OID_ECDSA_SHA256,
							 OID_LEN(MBEDTLS_OID_ECDSA_SHA256)));
	MBEDTLS_ASN1_CHK_ADD(len, w_hdr(p, start, len, SEQ));
	return (int)len;
}

/* SignerInfo v1: sid = issuerAndSerialNumber of the DS certificate. */
static int w_signer_info(unsigned char **p, unsigned char *start, const struct sod_parts *s)
{
	size_t len = 0;
	size_t a = 0;
	int ret;

	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_octet_string(p, start, s->sig, s->sig_len));
	MBEDTLS_ASN1_CHK_ADD(len, w_sig_alg(p, start, s->key));
	MBEDTLS_ASN1_CHK_ADD(a, mbedtls_asn1_write_raw_buffer(p, start, s->attrs, s->attrs_len));
	MBEDTLS_ASN1_CHK_ADD(a, w_hdr(p, start, a, CTX0));
	len += a;
	MBEDTLS_ASN1_CHK_ADD(len, w_sha256_alg(p, start));
	a = 0;
	MBEDTLS_ASN1_CHK_ADD(
	    a, mbedtls_asn1_write_raw_buffer(p, start, s->ds->serial.p, s->ds->serial.len));
	MBEDTLS_ASN1_CHK_ADD(a, w_hdr(p, start, a, MBEDTLS_ASN1_INTEGER));
	MBEDTLS_ASN1_CHK_ADD(
	    a, mbedtls_asn1_write_raw_buffer(p, start, s->ds->issuer_raw.p, s->ds->issuer_raw.len));
	MBEDTLS_ASN1_CHK_ADD(a, w_hdr(p, start, a, SEQ));
	len += a;
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_int(p, start, 1));
	MBEDTLS_ASN1_CHK_ADD(len, w_hdr(p, start, len, SEQ));
	return (int)len;
}

static int w_signed_data(unsigned char **p, unsigned char *start, const struct sod_parts *s)
{
	size_t len = 0;
	size_t a = 0;
	int ret;

	MBEDTLS_ASN1_CHK_ADD(len, w_signer_info(p, start, s));
	MBEDTLS_ASN1_CHK_ADD(len, w_hdr(p, start, len, SET));
	MBEDTLS_ASN1_CHK_ADD(a,
			     mbedtls_asn1_write_raw_buffer(p, start, s->ds->raw.p, s->ds->raw.len));
	MBEDTLS_ASN1_CHK_ADD(a, w_hdr(p, start, a, CTX0));
	len += a;
	a = 0;
	MBEDTLS_ASN1_CHK_ADD(a, mbedtls_asn1_write_octet_string(p, start, s->so, s->so_len));
	MBEDTLS_ASN1_CHK_ADD(a, w_hdr(p, start, a, CTX0));
	MBEDTLS_ASN1_CHK_ADD(a, mbedtls_asn1_write_oid(p, start, OID_LDS_SO, OID_LEN(OID_LDS_SO)));
	MBEDTLS_ASN1_CHK_ADD(a, w_hdr(p, start, a, SEQ));
	len += a;
	a = 0;
	MBEDTLS_ASN1_CHK_ADD(a, w_sha256_alg(p, start));
	MBEDTLS_ASN1_CHK_ADD(a, w_hdr(p, start, a, SET));
	len += a;
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_int(p, start, 3));
	MBEDTLS_ASN1_CHK_ADD(len, w_hdr(p, start, len, SEQ));
	return (int)len;
}

static int w_sod(unsigned char **p, unsigned char *start, const struct sod_parts *s)
{
	size_t len = 0;
	int ret;

	MBEDTLS_ASN1_CHK_ADD(len, w_signed_data(p, start, s));
	MBEDTLS_ASN1_CHK_ADD(len, w_hdr(p, start, len, CTX0));
	MBEDTLS_ASN1_CHK_ADD(
	    len, mbedtls_asn1_write_oid(p, start, OID_SIGNED_DATA, OID_LEN(OID_SIGNED_DATA)));
	MBEDTLS_ASN1_CHK_ADD(len, w_hdr(p, start, len, SEQ));
	MBEDTLS_ASN1_CHK_ADD(len, w_hdr(p, start, len, TAG_SOD));
	return (int)len;
}

/* Run a backwards writer into out[0..cap) and move the result to the front. */
static int write_front(int n, uint8_t *out, size_t cap, size_t *len, const char *what,
		       struct cccd_err *err)
{
	if (n == MBEDTLS_ERR_ASN1_BUF_TOO_SMALL)
		return cccd_err_set(err, -CCCD_ENOSPC, "vchip_sod", "%s does not fit in %zu bytes",
				    what, cap);
	if (n < 0)
		return cccd_err_set(err, -CCCD_EINVAL, "vchip_sod", "%s: mbedTLS -0x%04x", what,
				    (unsigned)-n);
	*len = (size_t)n;
	memmove(out, out + cap - *len, *len);
	return 0;
}

static int check_dgs(const struct vchip_dg_ref *dgs, size_t n, struct cccd_err *err)
{
	if (n == 0 || n > VCHIP_SOD_MAX_DG)
		return cccd_err_set(err, -CCCD_EINVAL, "vchip_sod", "%zu data groups (1..%d)", n,
				    VCHIP_SOD_MAX_DG);
	for (size_t i = 0; i < n; i++)
		if (dgs[i].num < 1 || dgs[i].num > 16 || (i && dgs[i].num <= dgs[i - 1].num))
			return cccd_err_set(err, -CCCD_EINVAL, "vchip_sod",
					    "data group #%zu: number %u not in 1..16 ascending", i,
					    dgs[i].num);
	return 0;
}

int vchip_lds_so_write(const struct vchip_dg_ref *dgs, size_t n, uint8_t *out, size_t cap,
		       size_t *len, struct cccd_err *err)
{
	unsigned char *p = out + cap;
	int rc = check_dgs(dgs, n, err);

	if (rc)
		return rc;
	return write_front(w_lds_so(&p, out, dgs, n), out, cap, len, "LDSSecurityObject", err);
}

/* Signed attributes over so into attrs (front-moved), the signature over their SET into sig. */
static int sign_attrs(const uint8_t *so, size_t so_len, const struct vchip_signer *signer,
		      uint8_t *attrs, size_t *attrs_len, uint8_t *sig, size_t *sig_len)
{
	const mbedtls_md_info_t *sha = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	unsigned char buf[160];
	unsigned char *p = buf + sizeof(buf);
	mbedtls_hmac_drbg_context drbg;
	uint8_t h[32];
	int n;
	int ret;

	mbedtls_hmac_drbg_init(&drbg);
	ret = mbedtls_md(sha, so, so_len, h);
	if (ret)
		goto out;
	n = ret = w_signed_attrs(&p, buf, h);
	if (ret < 0)
		goto out;
	memcpy(attrs, p, (size_t)n);
	*attrs_len = (size_t)n;
	ret = w_hdr(&p, buf, (size_t)n, SET);
	if (ret < 0)
		goto out;
	ret = mbedtls_md(sha, p, (size_t)(buf + sizeof(buf) - p), h);
	if (!ret)
		ret = mbedtls_hmac_drbg_seed_buf(&drbg, sha, (const unsigned char *)signer->seed,
						 strlen(signer->seed));
	if (!ret)
		ret = mbedtls_pk_sign(signer->key, MBEDTLS_MD_SHA256, h, sizeof(h), sig, sig_len,
				      mbedtls_hmac_drbg_random, &drbg);
out:
	mbedtls_hmac_drbg_free(&drbg);
	return ret;
}

int vchip_sod_build(const struct vchip_dg_ref *dgs, size_t n, const struct vchip_signer *signer,
		    uint8_t *out, size_t cap, size_t *len, struct cccd_err *err)
{
	uint8_t so[1024];
	uint8_t attrs[160];
	uint8_t sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
	struct sod_parts s = {.so = so, .attrs = attrs, .sig = sig, .key = signer->key};
	mbedtls_x509_crt ds;
	unsigned char *p = out + cap;
	int rc;

	mbedtls_x509_crt_init(&ds);
	rc = vchip_lds_so_write(dgs, n, so, sizeof(so), &s.so_len, err);
	if (rc)
		goto out;
	if (mbedtls_x509_crt_parse_der(&ds, signer->cert, signer->cert_len)) {
		rc = cccd_err_set(err, -CCCD_EINVAL, "vchip_sod", "DS certificate does not parse");
		goto out;
	}
	s.ds = &ds;
	rc = sign_attrs(so, s.so_len, signer, attrs, &s.attrs_len, sig, &s.sig_len);
	if (rc) {
		rc = cccd_err_set(err, -CCCD_EINVAL, "vchip_sod", "signing: mbedTLS -0x%04x",
				  (unsigned)-rc);
		goto out;
	}
	rc = write_front(w_sod(&p, out, &s), out, cap, len, "EF.SOD", err);
out:
	mbedtls_x509_crt_free(&ds);
	return rc;
}
