/* SPDX-License-Identifier: MIT */
/*
 * sod.c - EF.SOD and CMS SignedData parser (ICAO 9303-10 §4.6.2, 9303-11 §9.8; RFC 5652 §5; BER
 * per X.690 §8.1 with the indefinite length form, which some document signers emit).
 *
 *   77 82 05 FA                     EF.SOD
 *     30 82 05 F6 06 09 2A..07 02   ContentInfo, id-signedData
 *       A0 .. 30 .. 02 01 03        [0] SignedData, version 3
 *         31 0D 30 0B 06 09 ..      digestAlgorithms
 *         30 .. 06 06 67 81 08 01 01 01 A0 .. 04 62 30 60 ..   eContent = LDSSecurityObject
 *         A0 .. 30 82 ..            certificates: the document signer
 *         31 .. 30 .. 02 01 01 ..   signerInfos
 *
 * BER comes from doc/tlv.c (indefinite lengths followed to their 00 00 at most TLV_MAX_DEPTH
 * deep); every TLV is bounded by its parent's end, every count by a CMS_MAX_* / SOD_MAX_* limit.
 * Omitted on purpose: crls [1] and unsignedAttrs are skipped unread; only the first SignerInfo is
 * kept (ICAO: one signer).
 */
#include <string.h>

#include <mbedtls/oid.h>

#include "doc/tlv.h"
#include "verify/sod.h"

#define OID_SIGNED_DATA MBEDTLS_OID_PKCS "\x07\x02"
#define OID_LDS_SOD	"\x67\x81\x08\x01\x01\x01" /* 2.23.136.1.1.1 */

/* One TLV, offsets into the whole input. */
struct ber {
	uint32_t tag;
	size_t pos;  /* where the TLV starts */
	size_t val;  /* where its value starts */
	size_t len;  /* value length (without the 00 00 of the indefinite form) */
	size_t next; /* first byte after the TLV */
};

/* Reading context: the whole input, so every offset in a message is absolute. */
struct rd {
	const uint8_t *b;
	struct cccd_err *err;
};

/* Read the TLV at *pos (bounded by end) with tag `tag` (0 = any) and step past it. doc/tlv.c does
 * the BER; its messages already say "byte N: reason" with N from the start of the input. */
static int get(struct rd *r, size_t *pos, size_t end, uint32_t tag, const char *what, struct ber *t)
{
	struct tlv_iter it;
	struct tlv v;
	struct cccd_err e = {0};
	int rc;

	tlv_iter_init(&it, r->b, end, TLV_ALLOW_INDEFINITE);
	it.off = *pos;
	rc = tlv_next(&it, &v, &e);
	if (rc == 0)
		return cccd_err_set(r->err, -CCCD_EFORMAT, "sod", "%s at byte %zu: missing", what,
				    *pos);
	if (rc < 0)
		return cccd_err_set(r->err, rc, "sod", "%s at %s", what, e.msg);
	if (tag && v.tag != tag)
		return cccd_err_set(r->err, -CCCD_EFORMAT, "sod",
				    "%s at byte %zu: tag %02X, expected %02X", what, *pos,
				    (unsigned)v.tag, (unsigned)tag);
	*t = (struct ber){v.tag, *pos, *pos + v.hdr_len, v.len, *pos + v.total};
	*pos = t->next;
	return 0;
}

static bool peek(const struct rd *r, size_t pos, size_t end, uint8_t tag)
{
	return pos < end && r->b[pos] == tag;
}

static bool oid_is(const struct rd *r, const struct ber *t, const char *oid, size_t oid_len)
{
	return t->tag == MBEDTLS_ASN1_OID && t->len == oid_len &&
	       !memcmp(r->b + t->val, oid, oid_len);
}

#define OID_IS(r, t, oid) oid_is((r), (t), (oid), sizeof(oid) - 1)

static struct cms_blob blob(const struct rd *r, const struct ber *t)
{
	return (struct cms_blob){.p = r->b + t->val, .len = t->len, .off = t->val};
}

/* A small non-negative INTEGER (version, data group number). */
static int get_small(struct rd *r, size_t *pos, size_t end, const char *what, int *v)
{
	struct ber t;
	int rc = get(r, pos, end, MBEDTLS_ASN1_INTEGER, what, &t);

	if (rc)
		return rc;
	if (t.len < 1 || t.len > 2 || (r->b[t.val] & 0x80) ||
	    (t.len == 2 && r->b[t.val] == 0 && r->b[t.val + 1] < 0x80))
		return cccd_err_set(r->err, -CCCD_EFORMAT, "sod",
				    "%s at byte %zu: not a small INTEGER", what, t.pos);
	*v = t.len == 1 ? r->b[t.val] : (r->b[t.val] << 8) | r->b[t.val + 1];
	return 0;
}

/* AlgorithmIdentifier of a digest: SEQUENCE { OID, NULL or absent }. */
static int get_md_alg(struct rd *r, size_t *pos, size_t end, const char *what,
		      mbedtls_md_type_t *md)
{
	struct ber seq, oid;
	size_t q;
	mbedtls_x509_buf ob;
	int rc = get(r, pos, end, 0x30, what, &seq);

	if (rc)
		return rc;
	q = seq.val;
	if ((rc = get(r, &q, seq.val + seq.len, MBEDTLS_ASN1_OID, what, &oid)))
		return rc;
	ob = (mbedtls_x509_buf){
	    .tag = MBEDTLS_ASN1_OID, .len = oid.len, .p = (uint8_t *)r->b + oid.val};
	if (mbedtls_oid_get_md_alg(&ob, md))
		*md = MBEDTLS_MD_NONE;
	return 0;
}

/* Content of an OCTET STRING, primitive or (BER) constructed from primitive chunks. */
static int get_octets(struct rd *r, const struct ber *t, uint8_t *ebuf, size_t cap,
		      struct cms_blob *out)
{
	size_t q = t->val, end = t->val + t->len, n = 0;
	struct ber c;
	int rc;

	if (t->tag == MBEDTLS_ASN1_OCTET_STRING) {
		*out = blob(r, t);
		return 0;
	}
	if (t->tag != (MBEDTLS_ASN1_OCTET_STRING | MBEDTLS_ASN1_CONSTRUCTED))
		return cccd_err_set(r->err, -CCCD_EFORMAT, "sod",
				    "eContent at byte %zu: tag %02X, expected 04", t->pos, t->tag);
	while (q < end) {
		if ((rc = get(r, &q, end, MBEDTLS_ASN1_OCTET_STRING, "eContent chunk", &c)))
			return rc;
		if (c.len > cap - n)
			return cccd_err_set(r->err, -CCCD_ERANGE, "sod",
					    "eContent at byte %zu: more than %zu bytes", t->pos,
					    cap);
		if (c.len) /* ebuf may be NULL when cap is 0 */
			memcpy(ebuf + n, r->b + c.val, c.len);
		n += c.len;
	}
	*out = (struct cms_blob){.p = ebuf, .len = n, .off = t->val};
	return 0;
}

/* EncapsulatedContentInfo ::= SEQUENCE { eContentType OID, eContent [0] EXPLICIT OCTET STRING } */
static int get_encap(struct rd *r, size_t *pos, size_t end, struct cms *out, uint8_t *ebuf,
		     size_t cap)
{
	struct ber seq, oid, wrap, os;
	size_t q, wq;
	int rc;

	if ((rc = get(r, pos, end, 0x30, "encapContentInfo", &seq)))
		return rc;
	q = seq.val;
	if ((rc = get(r, &q, seq.val + seq.len, MBEDTLS_ASN1_OID, "eContentType", &oid)))
		return rc;
	out->econtent_type = blob(r, &oid);
	if ((rc = get(r, &q, seq.val + seq.len, 0xA0, "eContent", &wrap)))
		return rc;
	wq = wrap.val;
	if ((rc = get(r, &wq, wrap.val + wrap.len, 0, "eContent", &os)))
		return rc;
	return get_octets(r, &os, ebuf, cap, &out->econtent);
}

static int get_certs(struct rd *r, size_t *pos, size_t end, struct cms *out)
{
	struct ber set, c;
	size_t q;
	int rc;

	if (!peek(r, *pos, end, 0xA0))
		return 0;
	if ((rc = get(r, pos, end, 0xA0, "certificates", &set)))
		return rc;
	for (q = set.val; q < set.val + set.len;) {
		if ((rc = get(r, &q, set.val + set.len, 0x30, "certificates", &c)))
			return rc;
		if (out->n_certs == CMS_MAX_CERTS)
			return cccd_err_set(r->err, -CCCD_ERANGE, "sod",
					    "certificates at byte %zu: more than %d", c.pos,
					    CMS_MAX_CERTS);
		out->certs[out->n_certs++] = (struct cms_blob){r->b + c.pos, c.next - c.pos, c.pos};
	}
	return 0;
}

/* One Attribute ::= SEQUENCE { attrType OID, attrValues SET OF (exactly one value here) }. */
static int get_attr(struct rd *r, size_t *pos, size_t end, struct cms_signer *si)
{
	const char *w = "SignerInfo.signedAttrs";
	struct ber seq, oid, set, v;
	size_t q, sq;
	int rc;

	if ((rc = get(r, pos, end, 0x30, w, &seq)))
		return rc;
	q = seq.val;
	if ((rc = get(r, &q, seq.val + seq.len, MBEDTLS_ASN1_OID, w, &oid)) ||
	    (rc = get(r, &q, seq.val + seq.len, 0x31, w, &set)))
		return rc;
	sq = set.val;
	if ((rc = get(r, &sq, set.val + set.len, 0, w, &v)))
		return rc;
	if (sq != set.val + set.len)
		return cccd_err_set(r->err, -CCCD_EFORMAT, "sod",
				    "%s at byte %zu: more than one value", w, set.pos);
	if (OID_IS(r, &oid, MBEDTLS_OID_PKCS9 "\x03")) { /* contentType */
		if (si->content_type.p || v.tag != MBEDTLS_ASN1_OID)
			goto bad;
		si->content_type = blob(r, &v);
	} else if (OID_IS(r, &oid, MBEDTLS_OID_PKCS9 "\x04")) { /* messageDigest */
		if (si->message_digest.p || v.tag != MBEDTLS_ASN1_OCTET_STRING)
			goto bad;
		si->message_digest = blob(r, &v);
	} else if (OID_IS(r, &oid, MBEDTLS_OID_PKCS9 "\x05")) { /* signingTime */
		unsigned char *p = (unsigned char *)r->b + v.pos;

		if (si->has_signing_time ||
		    mbedtls_x509_get_time(&p, r->b + v.next, &si->signing_time))
			goto bad;
		si->has_signing_time = true;
	}
	return 0;
bad:
	return cccd_err_set(r->err, -CCCD_EFORMAT, "sod",
			    "%s at byte %zu: bad or repeated attribute", w, seq.pos);
}

static int get_signed_attrs(struct rd *r, size_t *pos, size_t end, struct cms_signer *si)
{
	struct ber a;
	size_t q, n = 0;
	int rc;

	if (!peek(r, *pos, end, 0xA0))
		return cccd_err_set(
		    r->err, -CCCD_EFORMAT, "sod",
		    "SignerInfo.signedAttrs at byte %zu: missing (ICAO requires them)", *pos);
	if ((rc = get(r, pos, end, 0xA0, "SignerInfo.signedAttrs", &a)))
		return rc;
	si->signed_attrs = blob(r, &a);
	for (q = a.val; q < a.val + a.len; n++) {
		if (n == CMS_MAX_ATTRS)
			return cccd_err_set(
			    r->err, -CCCD_ERANGE, "sod",
			    "SignerInfo.signedAttrs at byte %zu: more than %d attributes", q,
			    CMS_MAX_ATTRS);
		if ((rc = get_attr(r, &q, a.val + a.len, si)))
			return rc;
	}
	if (!si->content_type.p || !si->message_digest.p)
		return cccd_err_set(r->err, -CCCD_EFORMAT, "sod",
				    "SignerInfo.signedAttrs at byte %zu: no %s attribute", a.pos,
				    si->content_type.p ? "messageDigest" : "contentType");
	return 0;
}

/* sid ::= issuerAndSerialNumber SEQUENCE { Name, INTEGER } | subjectKeyIdentifier [0] */
static int get_sid(struct rd *r, size_t *pos, size_t end, struct cms_signer *si)
{
	struct ber t, name, serial;
	size_t q;
	int rc;

	if ((rc = get(r, pos, end, 0, "SignerInfo.sid", &t)))
		return rc;
	if (t.tag == 0x80) {
		si->sid_ski = blob(r, &t);
		return 0;
	}
	if (t.tag != 0x30)
		return cccd_err_set(r->err, -CCCD_EFORMAT, "sod",
				    "SignerInfo.sid at byte %zu: tag %02X", t.pos, t.tag);
	q = t.val;
	if ((rc = get(r, &q, t.val + t.len, 0x30, "SignerInfo.sid.issuer", &name)) ||
	    (rc =
		 get(r, &q, t.val + t.len, MBEDTLS_ASN1_INTEGER, "SignerInfo.sid.serial", &serial)))
		return rc;
	si->sid_issuer = (struct cms_blob){r->b + name.pos, name.next - name.pos, name.pos};
	si->sid_serial = blob(r, &serial);
	return 0;
}

static int get_sig_alg(struct rd *r, size_t *pos, size_t end, struct cms_signer *si)
{
	const char *w = "SignerInfo.signatureAlgorithm";
	struct ber seq, oid, par;
	size_t q;
	int rc;

	if ((rc = get(r, pos, end, 0x30, w, &seq)))
		return rc;
	q = seq.val;
	if ((rc = get(r, &q, seq.val + seq.len, MBEDTLS_ASN1_OID, w, &oid)))
		return rc;
	si->sig_oid = (mbedtls_x509_buf){MBEDTLS_ASN1_OID, oid.len, (uint8_t *)r->b + oid.val};
	if (q < seq.val + seq.len) {
		if ((rc = get(r, &q, seq.val + seq.len, 0, w, &par)))
			return rc;
		si->sig_params = (mbedtls_x509_buf){par.tag, par.len, (uint8_t *)r->b + par.val};
	}
	return 0;
}

static int get_signer(struct rd *r, size_t *pos, size_t end, struct cms_signer *si)
{
	struct ber seq, sig;
	size_t q;
	int rc;

	if ((rc = get(r, pos, end, 0x30, "SignerInfo", &seq)))
		return rc;
	q = seq.val;
	end = seq.val + seq.len;
	if ((rc = get_small(r, &q, end, "SignerInfo.version", &si->version)) ||
	    (rc = get_sid(r, &q, end, si)) ||
	    (rc = get_md_alg(r, &q, end, "SignerInfo.digestAlgorithm", &si->digest_md)) ||
	    (rc = get_signed_attrs(r, &q, end, si)) || (rc = get_sig_alg(r, &q, end, si)) ||
	    (rc = get(r, &q, end, MBEDTLS_ASN1_OCTET_STRING, "SignerInfo.signature", &sig)))
		return rc;
	si->signature = blob(r, &sig);
	return 0;
}

static int get_signers(struct rd *r, size_t *pos, size_t end, struct cms *out)
{
	struct ber set;
	size_t q;
	int rc;

	if ((rc = get(r, pos, end, 0x31, "signerInfos", &set)))
		return rc;
	for (q = set.val; q < set.val + set.len;) {
		struct cms_signer tmp;

		if (out->n_signers == CMS_MAX_SIGNERS)
			return cccd_err_set(r->err, -CCCD_ERANGE, "sod",
					    "signerInfos at byte %zu: more than %d", q,
					    CMS_MAX_SIGNERS);
		memset(&tmp, 0, sizeof(tmp));
		if ((rc = get_signer(r, &q, set.val + set.len, out->n_signers ? &tmp : &out->si)))
			return rc;
		out->n_signers++;
	}
	if (!out->n_signers)
		return cccd_err_set(r->err, -CCCD_EFORMAT, "sod", "signerInfos at byte %zu: empty",
				    set.pos);
	return 0;
}

/* SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo, certificates [0]
 * OPTIONAL, crls [1] OPTIONAL, signerInfos SET } */
static int get_signed_data(struct rd *r, const struct ber *sd, struct cms *out, uint8_t *ebuf,
			   size_t cap)
{
	size_t q = sd->val, end = sd->val + sd->len;
	struct ber t;
	int v, rc;

	if ((rc = get_small(r, &q, end, "SignedData.version", &v)) ||
	    (rc = get(r, &q, end, 0x31, "SignedData.digestAlgorithms", &t)) ||
	    (rc = get_encap(r, &q, end, out, ebuf, cap)) || (rc = get_certs(r, &q, end, out)))
		return rc;
	if (peek(r, q, end, 0xA1) && (rc = get(r, &q, end, 0xA1, "SignedData.crls", &t)))
		return rc;
	return get_signers(r, &q, end, out);
}

static int cms_at(struct rd *r, size_t pos, size_t end, struct cms *out, uint8_t *ebuf, size_t cap)
{
	struct ber ci, oid, wrap, sd;
	size_t q, wq;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = get(r, &pos, end, 0x30, "ContentInfo", &ci)))
		return rc;
	q = ci.val;
	if ((rc = get(r, &q, ci.val + ci.len, MBEDTLS_ASN1_OID, "ContentInfo.contentType", &oid)))
		return rc;
	if (!OID_IS(r, &oid, OID_SIGNED_DATA))
		return cccd_err_set(r->err, -CCCD_EFORMAT, "sod",
				    "ContentInfo.contentType at byte %zu: not id-signedData",
				    oid.pos);
	if ((rc = get(r, &q, ci.val + ci.len, 0xA0, "ContentInfo.content", &wrap)))
		return rc;
	wq = wrap.val;
	if ((rc = get(r, &wq, wrap.val + wrap.len, 0x30, "SignedData", &sd)))
		return rc;
	return get_signed_data(r, &sd, out, ebuf, cap);
}

int sod_cms_parse(const uint8_t *buf, size_t len, struct cms *out, uint8_t *ebuf, size_t ebuf_cap,
		  struct cccd_err *err)
{
	struct rd r = {buf, err};

	if (!buf || !out)
		return cccd_err_set(err, -CCCD_EINVAL, "sod", "no input");
	return cms_at(&r, 0, len, out, ebuf, ebuf_cap);
}

static int get_dg_hash(struct rd *r, size_t *pos, size_t end, struct sod *out)
{
	const char *w = "LDSSecurityObject.dataGroupHashValues";
	struct ber seq, h;
	size_t q, hl = mbedtls_md_get_size(mbedtls_md_info_from_type(out->lds_md));
	int dg, rc;

	if ((rc = get(r, pos, end, 0x30, w, &seq)))
		return rc;
	q = seq.val;
	if ((rc = get_small(r, &q, seq.val + seq.len, "DataGroupHash.dataGroupNumber", &dg)) ||
	    (rc = get(r, &q, seq.val + seq.len, MBEDTLS_ASN1_OCTET_STRING,
		      "DataGroupHash.dataGroupHashValue", &h)))
		return rc;
	if (dg < 1 || dg > SOD_MAX_DG || sod_dg_hash(out, (unsigned)dg))
		return cccd_err_set(r->err, -CCCD_EFORMAT, "sod",
				    "%s at byte %zu: DG%d out of range or "
				    "repeated",
				    w, seq.pos, dg);
	if (h.len != hl)
		return cccd_err_set(r->err, -CCCD_EFORMAT, "sod",
				    "%s at byte %zu: DG%d hash is %zu "
				    "bytes, the algorithm gives %zu",
				    w, h.pos, dg, h.len, hl);
	out->dg[out->n_dg].dg = (uint8_t)dg;
	out->dg[out->n_dg].len = (uint8_t)hl;
	memcpy(out->dg[out->n_dg].hash, r->b + h.val, hl);
	out->n_dg++;
	return 0;
}

/* LDSSecurityObject ::= SEQUENCE { version, hashAlgorithm, dataGroupHashValues SEQUENCE OF
 * DataGroupHash, ldsVersionInfo OPTIONAL } (ICAO 9303-10 §4.6.2.2). Offsets are eContent's. */
static int lds_parse(const struct cms_blob *ec, struct sod *out, struct cccd_err *err)
{
	struct rd r = {ec->p, err};
	struct ber lso, seq;
	size_t q = 0, end;
	int rc;

	if ((rc = get(&r, &q, ec->len, 0x30, "LDSSecurityObject", &lso)))
		return rc;
	q = lso.val;
	end = lso.val + lso.len;
	if ((rc = get_small(&r, &q, end, "LDSSecurityObject.version", &out->lds_version)) ||
	    (rc = get_md_alg(&r, &q, end, "LDSSecurityObject.hashAlgorithm", &out->lds_md)))
		return rc;
	if (out->lds_version > 1 || out->lds_md == MBEDTLS_MD_NONE)
		return cccd_err_set(err, -CCCD_EFORMAT, "sod",
				    "LDSSecurityObject: version %d or hash "
				    "algorithm not supported",
				    out->lds_version);
	if ((rc = get(&r, &q, end, 0x30, "LDSSecurityObject.dataGroupHashValues", &seq)))
		return rc;
	for (q = seq.val; q < seq.val + seq.len;) {
		if (out->n_dg == SOD_MAX_DG)
			return cccd_err_set(err, -CCCD_ERANGE, "sod",
					    "LDSSecurityObject at byte %zu: "
					    "more than %d data group hashes",
					    q, SOD_MAX_DG);
		if ((rc = get_dg_hash(&r, &q, seq.val + seq.len, out)))
			return rc;
	}
	return 0;
}

int sod_parse(const uint8_t *buf, size_t len, struct sod *out, struct cccd_err *err)
{
	struct rd r = {buf, err};
	struct ber t;
	size_t q = 0;
	int rc;

	if (!buf || !out)
		return cccd_err_set(err, -CCCD_EINVAL, "sod", "no input");
	memset(out, 0, offsetof(struct sod, ebuf));
	if ((rc = get(&r, &q, len, 0x77, "EF.SOD", &t)))
		return rc;
	if ((rc = cms_at(&r, t.val, t.val + t.len, &out->cms, out->ebuf, sizeof(out->ebuf))))
		return rc;
	if (out->cms.econtent_type.len != sizeof(OID_LDS_SOD) - 1 ||
	    memcmp(out->cms.econtent_type.p, OID_LDS_SOD, sizeof(OID_LDS_SOD) - 1))
		return cccd_err_set(err, -CCCD_EFORMAT, "sod",
				    "eContentType at byte %zu: not "
				    "id-icao-mrtd-security-ldsSecurityObject",
				    out->cms.econtent_type.off);
	return lds_parse(&out->cms.econtent, out, err);
}

const struct sod_dg_hash *sod_dg_hash(const struct sod *sod, unsigned dg)
{
	for (size_t i = 0; i < sod->n_dg; i++)
		if (sod->dg[i].dg == dg)
			return &sod->dg[i];
	return NULL;
}
