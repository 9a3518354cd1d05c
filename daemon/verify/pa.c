/* SPDX-License-Identifier: MIT */
/*
 * pa.c - passive authentication (ICAO 9303-11 §5.1, 9303-12 §7; RFC 5652 §5.4 for the signed
 * attributes). In order, each step ending the check with its reason:
 *   1. EF.SOD parses (sod.c), else failed; no SOD at all is absent.
 *   2. A certificate in the SOD matches SignerInfo.sid: the document signer (DS).
 *   3. contentType = eContentType, messageDigest = hash(eContent), and the DS key verifies the
 *      signature over the signed attributes re-encoded as DER SET OF: the [0] IMPLICIT tag A0 of
 *      SignerInfo.signedAttrs becomes 31 (§5.4), e.g. A0 66 30 15 06 09 .. -> 31 66 30 15 06 09 ..
 *   4. Each data group read hashes (over its raw bytes, tag included) to the SOD's value; a DG
 *      read but missing from the SOD fails, a DG in the SOD that was not read is fine.
 *   5. The DS has digitalSignature usage and is valid at the signingTime attribute (now when the
 *      SOD has none: DS certificates outlive their signing period by the document's lifetime,
 *      9303-12 §7.1, so the signing time is the right moment to judge).
 *   6. A trust-store CSCA that is a CA with keyCertSign, valid at that time, signed the DS, and no
 *      CRL of that CSCA revokes it: ok. No such CSCA: untrusted. A CSCA with the DS's authority key
 *      identifier whose signature does not verify: failed.
 * Omitted: chains longer than CSCA -> DS (link certificates must be in the store themselves),
 * CRL freshness (nextUpdate is not enforced: an appliance may be offline for months).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/oid.h>
#include <mbedtls/platform.h>

#include "verify/pa.h"

#define OID_RSA_ENCRYPTION MBEDTLS_OID_PKCS1_RSA

static int fail(struct pa_result *res, enum pa_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct pa_result *res, enum pa_status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
	va_end(ap);
	res->status = st;
	return (int)st;
}

const char *pa_status_str(enum pa_status s)
{
	switch (s) {
	case PA_OK:
		return "ok";
	case PA_FAILED:
		return "failed";
	case PA_UNTRUSTED:
		return "untrusted";
	default:
		return "absent";
	}
}

static bool blob_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	return alen == blen && alen && !memcmp(a, b, alen);
}

bool pa_sid_matches(const struct cms_signer *si, const struct pa_cert *c)
{
	if (si->sid_ski.len)
		return blob_eq(si->sid_ski.p, si->sid_ski.len, c->ski.p, c->ski.len);
	return blob_eq(si->sid_issuer.p, si->sid_issuer.len, c->crt.issuer_raw.p,
		       c->crt.issuer_raw.len) &&
	       blob_eq(si->sid_serial.p, si->sid_serial.len, c->crt.serial.p, c->crt.serial.len);
}

/* Signature algorithm of a SignerInfo. CMS signers often name only the key type (rsaEncryption,
 * ecPublicKey) and leave the hash to digestAlgorithm; mbedTLS knows the combined OIDs and PSS. */
static int sig_alg(const struct cms_signer *si, mbedtls_md_type_t *md, mbedtls_pk_type_t *pk,
		   void **opts)
{
	const mbedtls_x509_buf *o = &si->sig_oid;

	*md = si->digest_md;
	if (blob_eq(o->p, o->len, (const uint8_t *)OID_RSA_ENCRYPTION,
		    sizeof(OID_RSA_ENCRYPTION) - 1)) {
		*pk = MBEDTLS_PK_RSA;
		return 0;
	}
	if (blob_eq(o->p, o->len, (const uint8_t *)MBEDTLS_OID_EC_ALG_UNRESTRICTED,
		    sizeof(MBEDTLS_OID_EC_ALG_UNRESTRICTED) - 1)) {
		*pk = MBEDTLS_PK_ECDSA;
		return 0;
	}
	return mbedtls_x509_get_sig_alg(o, &si->sig_params, md, pk, opts);
}

/* Hash of the signed attributes as DER: 31, the DER length, the [0]'s contents. */
static int hash_attrs(const struct cms_signer *si, const mbedtls_md_info_t *md, uint8_t *out)
{
	mbedtls_md_context_t ctx;
	uint8_t hdr[6];
	size_t n = 0, len = si->signed_attrs.len;
	int rc;

	mbedtls_md_init(&ctx);
	hdr[n++] = 0x31;
	if (len < 0x80) {
		hdr[n++] = (uint8_t)len;
	} else {
		size_t k = len > 0xffffff ? 4 : len > 0xffff ? 3 : len > 0xff ? 2 : 1;

		hdr[n++] = (uint8_t)(0x80 | k);
		while (k--)
			hdr[n++] = (uint8_t)(len >> (8 * k));
	}
	rc = mbedtls_md_setup(&ctx, md, 0);
	if (!rc)
		rc = mbedtls_md_starts(&ctx);
	if (!rc)
		rc = mbedtls_md_update(&ctx, hdr, n);
	if (!rc)
		rc = mbedtls_md_update(&ctx, si->signed_attrs.p, len);
	if (!rc)
		rc = mbedtls_md_finish(&ctx, out);
	mbedtls_md_free(&ctx);
	return rc;
}

static int check_digest(const struct cms *cms, struct cccd_err *err)
{
	const struct cms_signer *si = &cms->si;
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(si->digest_md);
	uint8_t h[MBEDTLS_MD_MAX_SIZE];

	if (!md)
		return cccd_err_set(err, -CCCD_ENOTSUP, "pa",
				    "SignerInfo.digestAlgorithm not supported");
	if (!blob_eq(si->content_type.p, si->content_type.len, cms->econtent_type.p,
		     cms->econtent_type.len))
		return cccd_err_set(err, -CCCD_ECHECK, "pa",
				    "contentType attribute differs from "
				    "eContentType");
	if (mbedtls_md(md, cms->econtent.p, cms->econtent.len, h) ||
	    !blob_eq(h, mbedtls_md_get_size(md), si->message_digest.p, si->message_digest.len))
		return cccd_err_set(err, -CCCD_ECHECK, "pa", "messageDigest mismatch");
	return 0;
}

int pa_cms_check(const struct cms *cms, const struct pa_cert *signer, struct cccd_err *err)
{
	const struct cms_signer *si = &cms->si;
	const mbedtls_md_info_t *info;
	uint8_t h[MBEDTLS_MD_MAX_SIZE];
	mbedtls_md_type_t md;
	mbedtls_pk_type_t pk;
	void *opts = NULL;
	int rc = check_digest(cms, err);

	if (rc)
		return rc;
	if (sig_alg(si, &md, &pk, &opts) || !(info = mbedtls_md_info_from_type(md)) ||
	    hash_attrs(si, info, h)) {
		rc = cccd_err_set(err, -CCCD_ENOTSUP, "pa", "signature algorithm not supported");
		goto out;
	}
	if (mbedtls_pk_verify_ext(pk, opts, (mbedtls_pk_context *)&signer->crt.pk, md, h,
				  mbedtls_md_get_size(info), si->signature.p, si->signature.len))
		rc = cccd_err_set(err, -CCCD_ECHECK, "pa", "signature invalid");
out:
	mbedtls_free(opts);
	return rc;
}

/* Step 2: the SOD's certificate that SignerInfo.sid names, parsed into ds. */
static int pick_ds(const struct sod *sod, struct pa_cert *ds, struct pa_result *res)
{
	struct cccd_err e = {0};

	if (!sod->cms.n_certs)
		return fail(res, PA_FAILED, "EF.SOD holds no document signer certificate");
	for (size_t i = 0; i < sod->cms.n_certs; i++) {
		if (pa_cert_parse(sod->cms.certs[i].p, sod->cms.certs[i].len, ds, &e))
			continue;
		if (pa_sid_matches(&sod->cms.si, ds)) {
			mbedtls_x509_dn_gets(res->ds_subject, sizeof(res->ds_subject),
					     &ds->crt.subject);
			return 0;
		}
		pa_cert_free(ds);
	}
	if (e.code)
		return fail(res, PA_FAILED, "DS certificate: %s", e.msg);
	return fail(res, PA_FAILED, "no certificate in EF.SOD matches SignerInfo.sid");
}

/* Step 4. */
static int check_dgs(const struct sod *sod, const struct pa_dg *dgs, size_t n,
		     struct pa_result *res)
{
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(sod->lds_md);
	uint8_t h[MBEDTLS_MD_MAX_SIZE];

	for (size_t i = 0; i < n; i++) {
		const struct sod_dg_hash *want = sod_dg_hash(sod, dgs[i].dg);

		if (!want)
			return fail(res, PA_FAILED, "DG%u was read but has no hash in EF.SOD",
				    dgs[i].dg);
		if (!dgs[i].buf || mbedtls_md(md, dgs[i].buf, dgs[i].len, h) ||
		    memcmp(h, want->hash, want->len))
			return fail(res, PA_FAILED, "DG%u hash mismatch", dgs[i].dg);
		res->dgs_ok |= 1u << dgs[i].dg;
	}
	return 0;
}

static bool revoked(const struct trust_store *ts, const struct pa_cert *ca,
		    const struct pa_cert *ds)
{
	for (const mbedtls_x509_crl *c = &ts->crls; c && c->version; c = c->next) {
		const mbedtls_md_info_t *md = mbedtls_md_info_from_type(c->sig_md);
		uint8_t h[MBEDTLS_MD_MAX_SIZE];

		if (!blob_eq(c->issuer_raw.p, c->issuer_raw.len, ca->crt.subject_raw.p,
			     ca->crt.subject_raw.len) ||
		    !md || mbedtls_md(md, c->tbs.p, c->tbs.len, h))
			continue;
		if (mbedtls_pk_verify_ext(c->sig_pk, c->sig_opts, (mbedtls_pk_context *)&ca->crt.pk,
					  c->sig_md, h, mbedtls_md_get_size(md), c->sig.p,
					  c->sig.len))
			continue; /* a CRL the CSCA did not sign says nothing */
		if (mbedtls_x509_crt_is_revoked(&ds->crt, c))
			return true;
	}
	return false;
}

/* Step 6. */
static int check_chain(const struct trust_store *ts, const struct pa_cert *ds,
		       const mbedtls_x509_time *t, struct pa_result *res)
{
	const struct pa_cert *ca;
	size_t it = 0;
	bool by_kid, kid_failed = false;
	char dn[128];

	while (ts && (ca = trust_find(ts, ds, &it, &by_kid))) {
		if (pa_cert_check_sig(ca, ds, NULL)) {
			kid_failed |= by_kid;
			continue;
		}
		mbedtls_x509_dn_gets(res->csca_subject, sizeof(res->csca_subject),
				     &ca->crt.subject);
		if (!ca->crt.ca_istrue || !pa_cert_has_usage(ca, MBEDTLS_X509_KU_KEY_CERT_SIGN))
			return fail(res, PA_FAILED, "CSCA %s is not a CA with keyCertSign",
				    res->csca_subject);
		if (!pa_cert_valid_at(ca, t))
			return fail(res, PA_FAILED, "CSCA %s not valid at signing time",
				    res->csca_subject);
		if (revoked(ts, ca, ds))
			return fail(res, PA_FAILED, "DS certificate revoked by a CRL of its CSCA");
		return 0;
	}
	if (kid_failed)
		return fail(res, PA_FAILED,
			    "DS certificate signature invalid under the CSCA with its "
			    "authority key identifier");
	mbedtls_x509_dn_gets(dn, sizeof(dn), &ds->crt.issuer);
	return fail(res, PA_UNTRUSTED, "no CSCA for issuer %s", dn);
}

/* Steps 2, 3 and 5 on a parsed SOD; *t is the moment certificates are judged at. */
static int check_signer(const struct sod *sod, long long now, struct pa_cert *ds,
			mbedtls_x509_time *t, struct pa_result *res)
{
	struct cccd_err e = {0};
	char a[16], b[16], c[24];

	if (pick_ds(sod, ds, res))
		return 1;
	if (pa_cms_check(&sod->cms, ds, &e))
		return fail(res, PA_FAILED, "%s", e.msg);
	res->signature_ok = true;
	if (!pa_cert_has_usage(ds, MBEDTLS_X509_KU_DIGITAL_SIGNATURE))
		return fail(res, PA_FAILED, "DS certificate lacks digitalSignature key usage");
	if (sod->cms.si.has_signing_time)
		*t = sod->cms.si.signing_time;
	else
		pa_time_from_unix(now, t);
	if (!pa_cert_valid_at(ds, t))
		return fail(res, PA_FAILED, "DS certificate not valid at %s %s (valid %s to %s)",
			    sod->cms.si.has_signing_time ? "signing time" : "now",
			    pa_time_str(t, true, c, sizeof(c)),
			    pa_time_str(&ds->crt.valid_from, false, a, sizeof(a)),
			    pa_time_str(&ds->crt.valid_to, false, b, sizeof(b)));
	return 0;
}

enum pa_status pa_verify(const uint8_t *sod_buf, size_t sod_len, const struct pa_dg *dgs,
			 size_t n_dgs, const struct trust_store *ts, long long now,
			 struct pa_result *res)
{
	struct sod sod;
	struct pa_cert ds;
	struct cccd_err e = {0};
	mbedtls_x509_time t;

	memset(res, 0, sizeof(*res));
	pa_cert_init(&ds);
	if (!sod_buf || !sod_len) {
		fail(res, PA_ABSENT, "no EF.SOD");
		goto out;
	}
	if (sod_parse(sod_buf, sod_len, &sod, &e)) {
		fail(res, PA_FAILED, "EF.SOD malformed: %s", e.msg);
		goto out;
	}
	if (check_signer(&sod, now, &ds, &t, res) || check_dgs(&sod, dgs, n_dgs, res) ||
	    check_chain(ts, &ds, &t, res))
		goto out;
	res->status = PA_OK;
out:
	pa_cert_free(&ds);
	return res->status;
}
