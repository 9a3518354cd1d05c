/* SPDX-License-Identifier: MIT */
/*
 * cert.c - X.509 for passive authentication (ICAO 9303-12 §7, RFC 5280 §4.1; RFC 3279 §2.3.5 for
 * EC domain parameters).
 *
 * Many CSCAs and document signers publish EC keys with explicit domain parameters instead of a
 * curve OID. mbedTLS 2.28 rejects these ("PK - Invalid key tag or value", checked with openssl
 * -param_enc explicit certificates for both brainpoolP256r1 and secp256r1). So when mbedTLS fails
 * and the key is ecPublicKey with SpecifiedECDomain
 *   30 82 01 13 02 01 01 30 2C 06 07 2A 86 48 CE 3D 01 01 02 21 00 A9 FB ..   version 1, prime p
 * we compare p, a, b, G and n with the curves ICAO allows (brainpoolP256r1/384r1/512r1,
 * secp256r1/384r1/521r1) and, on an exact match, hand mbedTLS a copy of the certificate whose
 * parameters are that curve's OID. The copy is used only to read fields and the key: issuer
 * signatures are always checked over the TBSCertificate as received. Other curves are rejected.
 * Omitted: name constraints and policies (ICAO PKI does not use them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/asn1.h>
#include <mbedtls/asn1write.h>
#include <mbedtls/ecp.h>
#include <mbedtls/oid.h>
#include <mbedtls/sha256.h>

#include "verify/cert.h"

/* Explicit EC domain parameters as read from the certificate. */
struct ec_spec {
	mbedtls_mpi p, a, b, n;
	const uint8_t *g; /* base point, SEC1 octets */
	size_t g_len;
};

/* Where the SPKI sits inside a DER certificate (offsets into der). */
struct spki_loc {
	size_t tbs_off, tbs_val, tbs_end; /* TBSCertificate TLV start, value start, end */
	size_t spki_off, bits_off, spki_end;
	size_t params_off, params_end; /* the algorithm's parameters TLV */
	size_t cert_end;
};

static const mbedtls_ecp_group_id icao_curves[] = {
    MBEDTLS_ECP_DP_BP256R1,   MBEDTLS_ECP_DP_BP384R1,	MBEDTLS_ECP_DP_BP512R1,
    MBEDTLS_ECP_DP_SECP256R1, MBEDTLS_ECP_DP_SECP384R1, MBEDTLS_ECP_DP_SECP521R1,
};

void pa_cert_init(struct pa_cert *c)
{
	memset(c, 0, sizeof(*c));
	mbedtls_x509_crt_init(&c->crt);
}

void pa_cert_free(struct pa_cert *c)
{
	mbedtls_x509_crt_free(&c->crt);
	free(c->der);
	pa_cert_init(c);
}

static int skip(unsigned char **p, const unsigned char *end, int tag)
{
	size_t l;
	int rc = mbedtls_asn1_get_tag(p, end, &l, tag);

	if (!rc)
		*p += l;
	return rc;
}

#define SEQ (MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)

/* Certificate ::= SEQUENCE { TBSCertificate, signatureAlgorithm, signature }; TBSCertificate ::=
 * SEQUENCE { [0] version, serial, signature, issuer, validity, subject, SPKI, ... } */
static int locate(const uint8_t *der, size_t len, struct spki_loc *s)
{
	unsigned char *b = (unsigned char *)der, *p = b, *end = b + len, *tend, *send, *aend;
	size_t l;

	if (mbedtls_asn1_get_tag(&p, end, &l, SEQ) || l != (size_t)(end - p))
		return -1;
	s->cert_end = len;
	s->tbs_off = (size_t)(p - b);
	if (mbedtls_asn1_get_tag(&p, end, &l, SEQ))
		return -1;
	s->tbs_val = (size_t)(p - b);
	tend = p + l;
	s->tbs_end = (size_t)(tend - b);
	if (*p == 0xA0 && skip(&p, tend, 0xA0))
		return -1;
	if (skip(&p, tend, MBEDTLS_ASN1_INTEGER) || skip(&p, tend, SEQ) || skip(&p, tend, SEQ) ||
	    skip(&p, tend, SEQ) || skip(&p, tend, SEQ))
		return -1;
	s->spki_off = (size_t)(p - b);
	if (mbedtls_asn1_get_tag(&p, tend, &l, SEQ))
		return -1;
	send = p + l;
	s->spki_end = (size_t)(send - b);
	if (mbedtls_asn1_get_tag(&p, send, &l, SEQ))
		return -1;
	aend = p + l;
	s->bits_off = (size_t)(aend - b);
	if (mbedtls_asn1_get_tag(&p, aend, &l, MBEDTLS_ASN1_OID) ||
	    l != sizeof(MBEDTLS_OID_EC_ALG_UNRESTRICTED) - 1 ||
	    memcmp(p, MBEDTLS_OID_EC_ALG_UNRESTRICTED, l))
		return -1;
	p += l;
	s->params_off = (size_t)(p - b);
	if (skip(&p, aend, SEQ) || p != aend)
		return -1;
	s->params_end = (size_t)(aend - b);
	return 0;
}

static int get_mpi_octets(unsigned char **p, const unsigned char *end, mbedtls_mpi *x)
{
	size_t l;

	if (mbedtls_asn1_get_tag(p, end, &l, MBEDTLS_ASN1_OCTET_STRING))
		return -1;
	*p += l;
	return mbedtls_mpi_read_binary(x, *p - l, l) ? -1 : 0;
}

/* SpecifiedECDomain ::= SEQUENCE { version, fieldID SEQUENCE { prime-field, p }, curve SEQUENCE
 * { a, b, seed OPTIONAL }, base, order, cofactor OPTIONAL } */
static int read_spec(const uint8_t *params, size_t len, struct ec_spec *s)
{
	unsigned char *p = (unsigned char *)params, *end = p + len, *fend, *cend;
	size_t l;
	int ver;

	if (mbedtls_asn1_get_tag(&p, end, &l, SEQ) || mbedtls_asn1_get_int(&p, end, &ver) ||
	    ver < 1 || ver > 3 || mbedtls_asn1_get_tag(&p, end, &l, SEQ))
		return -1;
	fend = p + l;
	if (mbedtls_asn1_get_tag(&p, fend, &l, MBEDTLS_ASN1_OID) ||
	    l != sizeof(MBEDTLS_OID_ANSI_X9_62_PRIME_FIELD) - 1 ||
	    memcmp(p, MBEDTLS_OID_ANSI_X9_62_PRIME_FIELD, l))
		return -1;
	p += l;
	if (mbedtls_asn1_get_mpi(&p, fend, &s->p) || p != fend ||
	    mbedtls_asn1_get_tag(&p, end, &l, SEQ))
		return -1;
	cend = p + l;
	if (get_mpi_octets(&p, cend, &s->a) || get_mpi_octets(&p, cend, &s->b))
		return -1;
	p = cend; /* past the optional seed */
	if (mbedtls_asn1_get_tag(&p, end, &s->g_len, MBEDTLS_ASN1_OCTET_STRING))
		return -1;
	s->g = p;
	p += s->g_len;
	return mbedtls_asn1_get_mpi(&p, end, &s->n) ? -1 : 0;
}

static bool same_point(const mbedtls_ecp_group *g, const struct ec_spec *s)
{
	size_t plen = mbedtls_mpi_size(&g->P);
	mbedtls_mpi x, y;
	bool same = false;

	mbedtls_mpi_init(&x);
	mbedtls_mpi_init(&y);
	if (s->g_len == 1 + 2 * plen && s->g[0] == 0x04) {
		same = !mbedtls_mpi_read_binary(&x, s->g + 1, plen) &&
		       !mbedtls_mpi_read_binary(&y, s->g + 1 + plen, plen) &&
		       !mbedtls_mpi_cmp_mpi(&x, &g->G.X) && !mbedtls_mpi_cmp_mpi(&y, &g->G.Y);
	} else if (s->g_len == 1 + plen && (s->g[0] == 0x02 || s->g[0] == 0x03)) {
		same = !mbedtls_mpi_read_binary(&x, s->g + 1, plen) &&
		       !mbedtls_mpi_cmp_mpi(&x, &g->G.X) &&
		       mbedtls_mpi_get_bit(&g->G.Y, 0) == (s->g[0] & 1);
	}
	mbedtls_mpi_free(&x);
	mbedtls_mpi_free(&y);
	return same;
}

/* mbedTLS leaves A empty for the curves with a = -3 (the secp*r1 ones). */
static bool same_curve(const mbedtls_ecp_group *g, const struct ec_spec *s)
{
	mbedtls_mpi a;
	bool same;

	mbedtls_mpi_init(&a);
	if (g->A.p)
		same = !mbedtls_mpi_copy(&a, &g->A);
	else
		same = !mbedtls_mpi_sub_int(&a, &g->P, 3);
	same = same && !mbedtls_mpi_cmp_mpi(&s->p, &g->P) && !mbedtls_mpi_cmp_mpi(&s->a, &a) &&
	       !mbedtls_mpi_cmp_mpi(&s->b, &g->B) && !mbedtls_mpi_cmp_mpi(&s->n, &g->N) &&
	       same_point(g, s);
	mbedtls_mpi_free(&a);
	return same;
}

static mbedtls_ecp_group_id match_curve(const uint8_t *params, size_t len)
{
	struct ec_spec s = {.g = NULL};
	mbedtls_ecp_group g;
	mbedtls_ecp_group_id id = MBEDTLS_ECP_DP_NONE;

	mbedtls_mpi_init(&s.p);
	mbedtls_mpi_init(&s.a);
	mbedtls_mpi_init(&s.b);
	mbedtls_mpi_init(&s.n);
	mbedtls_ecp_group_init(&g);
	if (read_spec(params, len, &s))
		goto out;
	for (size_t i = 0; i < sizeof(icao_curves) / sizeof(icao_curves[0]); i++) {
		mbedtls_ecp_group_free(&g);
		mbedtls_ecp_group_init(&g);
		if (!mbedtls_ecp_group_load(&g, icao_curves[i]) && same_curve(&g, &s)) {
			id = icao_curves[i];
			break;
		}
	}
out:
	mbedtls_ecp_group_free(&g);
	mbedtls_mpi_free(&s.p);
	mbedtls_mpi_free(&s.a);
	mbedtls_mpi_free(&s.b);
	mbedtls_mpi_free(&s.n);
	return id;
}

/* Write `der` with the SPKI parameters replaced by curve's OID, backwards from out + cap (the
 * asn1write way); *start is where the result begins. */
static int rewrite(const uint8_t *der, const struct spki_loc *s, mbedtls_ecp_group_id curve,
		   uint8_t *out, size_t cap, uint8_t **start)
{
	unsigned char *p = out + cap;
	const char *oid;
	size_t oid_len, alg = 0, spki = 0, tbs = 0, all = 0;
	int n;

#define W(acc, call)                                                                               \
	do {                                                                                       \
		if ((n = (call)) < 0)                                                              \
			return -1;                                                                 \
		acc += (size_t)n;                                                                  \
	} while (0)
	if (mbedtls_oid_get_oid_by_ec_grp(curve, &oid, &oid_len))
		return -1;
	W(all, mbedtls_asn1_write_raw_buffer(&p, out, der + s->tbs_end, s->cert_end - s->tbs_end));
	W(tbs, mbedtls_asn1_write_raw_buffer(&p, out, der + s->spki_end, s->tbs_end - s->spki_end));
	W(spki,
	  mbedtls_asn1_write_raw_buffer(&p, out, der + s->bits_off, s->spki_end - s->bits_off));
	W(alg, mbedtls_asn1_write_oid(&p, out, oid, oid_len));
	W(alg, mbedtls_asn1_write_oid(&p, out, MBEDTLS_OID_EC_ALG_UNRESTRICTED,
				      sizeof(MBEDTLS_OID_EC_ALG_UNRESTRICTED) - 1));
	W(alg, mbedtls_asn1_write_len(&p, out, alg));
	W(alg, mbedtls_asn1_write_tag(&p, out, SEQ));
	spki += alg;
	W(spki, mbedtls_asn1_write_len(&p, out, spki));
	W(spki, mbedtls_asn1_write_tag(&p, out, SEQ));
	tbs += spki;
	W(tbs, mbedtls_asn1_write_raw_buffer(&p, out, der + s->tbs_val, s->spki_off - s->tbs_val));
	W(tbs, mbedtls_asn1_write_len(&p, out, tbs));
	W(tbs, mbedtls_asn1_write_tag(&p, out, SEQ));
	all += tbs;
	W(all, mbedtls_asn1_write_len(&p, out, all));
	W(all, mbedtls_asn1_write_tag(&p, out, SEQ));
#undef W
	*start = p;
	return 0;
}

static int parse_explicit(const uint8_t *der, size_t len, struct pa_cert *out, struct cccd_err *err)
{
	uint8_t buf[PA_CERT_MAX_DER + 64], *start;
	struct spki_loc s;
	mbedtls_ecp_group_id id;

	if (locate(der, len, &s))
		return cccd_err_set(err, -CCCD_EFORMAT, "cert",
				    "not a certificate mbedTLS can read");
	id = match_curve(der + s.params_off, s.params_end - s.params_off);
	if (id == MBEDTLS_ECP_DP_NONE)
		return cccd_err_set(err, -CCCD_ENOTSUP, "cert",
				    "explicit EC parameters at byte %zu "
				    "match no ICAO curve",
				    s.params_off);
	if (rewrite(der, &s, id, buf, sizeof(buf), &start) ||
	    mbedtls_x509_crt_parse_der(&out->crt, start, (size_t)(buf + sizeof(buf) - start)))
		return cccd_err_set(err, -CCCD_EFORMAT, "cert",
				    "certificate with explicit EC "
				    "parameters: unreadable after naming the curve");
	out->explicit_curve = true;
	return 0;
}

/* Find the one extension with oid in the certificate's extensions; its extnValue contents. */
static int find_ext(const mbedtls_x509_crt *c, const char *oid, size_t oid_len, unsigned char **val,
		    size_t *vlen)
{
	unsigned char *p = c->v3_ext.p, *end, *e;
	size_t l;

	if (!p || !c->v3_ext.len) /* a v1 certificate: no extensions (and p may be NULL) */
		return -1;
	end = p + c->v3_ext.len;
	if (*p == 0xA3 && mbedtls_asn1_get_tag(&p, end, &l, 0xA3))
		return -1;
	if (mbedtls_asn1_get_tag(&p, end, &l, SEQ))
		return -1;
	while (p < end) {
		if (mbedtls_asn1_get_tag(&p, end, &l, SEQ))
			return -1;
		e = p + l;
		if (mbedtls_asn1_get_tag(&p, e, &l, MBEDTLS_ASN1_OID))
			return -1;
		if (l == oid_len && !memcmp(p, oid, l)) {
			p += l;
			if (*p == MBEDTLS_ASN1_BOOLEAN && skip(&p, e, MBEDTLS_ASN1_BOOLEAN))
				return -1;
			if (mbedtls_asn1_get_tag(&p, e, vlen, MBEDTLS_ASN1_OCTET_STRING))
				return -1;
			*val = p;
			return 0;
		}
		p = e;
	}
	return -1;
}

static void read_key_ids(struct pa_cert *c)
{
	unsigned char *p, *end;
	size_t l;

	if (!find_ext(&c->crt, MBEDTLS_OID_SUBJECT_KEY_IDENTIFIER,
		      sizeof(MBEDTLS_OID_SUBJECT_KEY_IDENTIFIER) - 1, &p, &l)) {
		end = p + l;
		if (!mbedtls_asn1_get_tag(&p, end, &l, MBEDTLS_ASN1_OCTET_STRING))
			c->ski = (mbedtls_x509_buf){MBEDTLS_ASN1_OCTET_STRING, l, p};
	}
	if (!find_ext(&c->crt, MBEDTLS_OID_AUTHORITY_KEY_IDENTIFIER,
		      sizeof(MBEDTLS_OID_AUTHORITY_KEY_IDENTIFIER) - 1, &p, &l)) {
		end = p + l;
		if (!mbedtls_asn1_get_tag(&p, end, &l, SEQ) &&
		    !mbedtls_asn1_get_tag(&p, end, &l, MBEDTLS_ASN1_CONTEXT_SPECIFIC))
			c->aki = (mbedtls_x509_buf){MBEDTLS_ASN1_OCTET_STRING, l, p};
	}
}

int pa_cert_parse(const uint8_t *buf, size_t len, struct pa_cert *out, struct cccd_err *err)
{
	struct spki_loc s;
	int rc;

	pa_cert_init(out);
	if (!buf || !len || len > PA_CERT_MAX_DER)
		return cccd_err_set(err, -CCCD_ERANGE, "cert", "certificate of %zu bytes (1..%d)",
				    len, PA_CERT_MAX_DER);
	rc = mbedtls_x509_crt_parse_der(&out->crt, buf, len);
	if (rc) {
		mbedtls_x509_crt_free(&out->crt);
		mbedtls_x509_crt_init(&out->crt);
		if ((rc = parse_explicit(buf, len, out, err)))
			goto fail;
	}
	if (out->crt.next || (!out->explicit_curve && out->crt.raw.len != len))
		goto fail;
	out->der = malloc(len);
	if (!out->der) {
		rc = cccd_err_set(err, -CCCD_ENOMEM, "cert", "out of memory");
		goto fail;
	}
	memcpy(out->der, buf, len);
	out->der_len = len;
	out->tbs_off = (size_t)(out->crt.tbs.p - out->crt.raw.p);
	out->tbs_len = out->crt.tbs.len;
	if (out->explicit_curve) { /* the TBS as received, not the rewrite's */
		if (locate(buf, len, &s))
			goto fail;
		out->tbs_off = s.tbs_off;
		out->tbs_len = s.tbs_end - s.tbs_off;
	}
	read_key_ids(out);
	return 0;
fail:
	pa_cert_free(out);
	return rc ? rc : cccd_err_set(err, -CCCD_EFORMAT, "cert", "not one DER certificate");
}

int pa_cert_check_sig(const struct pa_cert *issuer, const struct pa_cert *subject,
		      struct cccd_err *err)
{
	const mbedtls_x509_crt *c = &subject->crt;
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(c->sig_md);
	uint8_t hash[MBEDTLS_MD_MAX_SIZE];

	if (!md || mbedtls_md(md, subject->der + subject->tbs_off, subject->tbs_len, hash))
		return cccd_err_set(err, -CCCD_ENOTSUP, "cert",
				    "certificate signature hash not "
				    "supported");
	if (mbedtls_pk_verify_ext(c->sig_pk, c->sig_opts, (mbedtls_pk_context *)&issuer->crt.pk,
				  c->sig_md, hash, mbedtls_md_get_size(md), c->sig.p, c->sig.len))
		return cccd_err_set(err, -CCCD_ECHECK, "cert", "certificate signature invalid");
	return 0;
}

static int time_cmp(const mbedtls_x509_time *a, const mbedtls_x509_time *b)
{
	const int x[6] = {a->year, a->mon, a->day, a->hour, a->min, a->sec};
	const int y[6] = {b->year, b->mon, b->day, b->hour, b->min, b->sec};

	for (int i = 0; i < 6; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

bool pa_cert_valid_at(const struct pa_cert *c, const mbedtls_x509_time *t)
{
	return time_cmp(&c->crt.valid_from, t) <= 0 && time_cmp(t, &c->crt.valid_to) <= 0;
}

bool pa_cert_has_usage(const struct pa_cert *c, unsigned usage)
{
	return (c->crt.ext_types & MBEDTLS_X509_EXT_KEY_USAGE) &&
	       (c->crt.key_usage & usage) == usage;
}

void pa_cert_fingerprint(const struct pa_cert *c, uint8_t out[32])
{
	mbedtls_sha256_ret(c->der, c->der_len, out, 0);
}

void pa_time_from_unix(long long t, mbedtls_x509_time *out)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	*out = (mbedtls_x509_time){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
				   tm.tm_hour,	      tm.tm_min,     tm.tm_sec};
}

const char *pa_time_str(const mbedtls_x509_time *t, bool with_time, char *buf, size_t len)
{
	if (with_time)
		snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d", t->year, t->mon, t->day,
			 t->hour, t->min, t->sec);
	else
		snprintf(buf, len, "%04d-%02d-%02d", t->year, t->mon, t->day);
	return buf;
}
