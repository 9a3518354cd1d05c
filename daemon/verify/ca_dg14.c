/* SPDX-License-Identifier: MIT */
/*
 * ca_dg14.c - DG14 SecurityInfos (ICAO 9303-11 §9.2, 9303-10 §4.7.14):
 *
 *   6E L 31 L                                         DG14, SET OF SecurityInfo
 *     30 12 06 0A 04007F0007020203 0202  02 01 01     ChipAuthenticationInfo: id-CA-ECDH-AES-
 *                                                     CBC-CMAC-128, version 1 [, keyId]
 *     30 L  06 09 04007F0007020201 02  30 L (SPKI)    ChipAuthenticationPublicKeyInfo: id-PK-ECDH
 *                                                     [, keyId]
 *     30 12 06 06 678108010105 02 01 01 06 0A 04007F00070101040103
 *                                                     ActiveAuthenticationInfo, v1,
 * ecdsa-plain-SHA256
 *
 * Other SecurityInfos (TA, PACE, ...) are counted and skipped. Omitted: DH domain parameters are
 * only located, not checked, here (ca.c refuses DH).
 */
#include <string.h>

#include "doc/tlv.h"
#include "verify/ca.h"

static const uint8_t oid_ca[] = {0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x03}; /* + 1|2, v */
static const uint8_t oid_pk[] = {0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x01}; /* + 1|2 */
static const uint8_t oid_aa[] = {0x67, 0x81, 0x08, 0x01, 0x01, 0x05};
static const uint8_t oid_plain[] = {0x04, 0x00, 0x7f, 0x00, 0x07, 0x01, 0x01, 0x04, 0x01};
static const uint8_t oid_x962[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04};

static bool has_prefix(const struct tlv *oid, const uint8_t *p, size_t n, size_t extra)
{
	return oid->len == n + extra && !memcmp(oid->value, p, n);
}

mbedtls_md_type_t ca_aa_md_from_oid(const uint8_t *oid, size_t len)
{
	static const mbedtls_md_type_t plain[] = {MBEDTLS_MD_NONE,   MBEDTLS_MD_SHA1,
						  MBEDTLS_MD_SHA224, MBEDTLS_MD_SHA256,
						  MBEDTLS_MD_SHA384, MBEDTLS_MD_SHA512};
	static const mbedtls_md_type_t x962[] = {MBEDTLS_MD_SHA224, MBEDTLS_MD_SHA256,
						 MBEDTLS_MD_SHA384, MBEDTLS_MD_SHA512};

	if (len == sizeof(oid_plain) + 1 && !memcmp(oid, oid_plain, sizeof(oid_plain)) &&
	    oid[len - 1] >= 1 && oid[len - 1] <= 5)
		return plain[oid[len - 1]];
	if (len == sizeof(oid_x962) + 1 && !memcmp(oid, oid_x962, sizeof(oid_x962)) &&
	    oid[len - 1] == 1)
		return MBEDTLS_MD_SHA1;
	if (len == sizeof(oid_x962) + 2 && !memcmp(oid, oid_x962, sizeof(oid_x962)) &&
	    oid[len - 2] == 3 && oid[len - 1] >= 1 && oid[len - 1] <= 4)
		return x962[oid[len - 1] - 1];
	return MBEDTLS_MD_NONE;
}

/* The fields after the OID: f[0..n), at most max. */
static int fields(const struct tlv *seq, struct tlv *f, size_t max, size_t *n, size_t base,
		  struct cccd_err *err)
{
	struct tlv_iter it;
	struct tlv t;
	int rc;

	*n = 0;
	tlv_iter_init(&it, seq->value, seq->len, 0);
	while ((rc = tlv_next(&it, &t, err)) == 1) {
		if (*n == max)
			return cccd_err_set(err, -CCCD_EFORMAT, "dg14",
					    "SecurityInfo at byte %zu: more than %zu fields", base,
					    max);
		f[(*n)++] = t;
	}
	return rc;
}

static int uint_field(const struct tlv *t, uint32_t *v, size_t base, const char *what,
		      struct cccd_err *err)
{
	if (t->tag != 0x02 || tlv_get_uint(t, v, NULL))
		return cccd_err_set(err, -CCCD_EFORMAT, "dg14", "%s at byte %zu: not an INTEGER",
				    what, base);
	return 0;
}

static int ca_info(struct ca_dg14 *d, const struct tlv *f, size_t n, size_t base,
		   struct cccd_err *err)
{
	static const enum emrtd_cipher ciphers[] = {EMRTD_CIPHER_3DES, EMRTD_CIPHER_AES128,
						    EMRTD_CIPHER_AES192, EMRTD_CIPHER_AES256};
	uint8_t fam = f[0].value[8], v = f[0].value[9];
	struct ca_info *ci;
	int rc;

	if ((fam != 1 && fam != 2) || v < 1 || v > 4) {
		d->n_other++; /* an id-CA-* variant we do not know: not ours to judge */
		return 0;
	}
	if (d->n_info == CA_MAX_INFOS)
		return cccd_err_set(err, -CCCD_ERANGE, "dg14",
				    "more than %d ChipAuthenticationInfo", CA_MAX_INFOS);
	ci = &d->info[d->n_info];
	memset(ci, 0, sizeof(*ci));
	if (n < 2 || n > 3)
		return cccd_err_set(err, -CCCD_EFORMAT, "dg14",
				    "ChipAuthenticationInfo at byte %zu: %zu fields", base, n);
	if ((rc = uint_field(&f[1], &ci->version, base, "CA version", err)) ||
	    (n == 3 && (rc = uint_field(&f[2], &ci->key_id, base, "CA keyId", err))))
		return rc;
	memcpy(ci->oid, f[0].value, f[0].len);
	ci->oid_len = f[0].len;
	ci->dh = fam == 1;
	ci->cipher = ciphers[v - 1];
	ci->has_key_id = n == 3;
	d->n_info++;
	return 0;
}

static int ca_pubkey(struct ca_dg14 *d, const struct tlv *f, size_t n, size_t base,
		     const uint8_t *buf, struct cccd_err *err)
{
	uint8_t fam = f[0].value[8];
	struct ca_pubkey *k;
	int rc;

	if (fam != 1 && fam != 2) {
		d->n_other++;
		return 0;
	}
	if (d->n_key == CA_MAX_INFOS)
		return cccd_err_set(err, -CCCD_ERANGE, "dg14",
				    "more than %d ChipAuthenticationPublicKeyInfo", CA_MAX_INFOS);
	k = &d->key[d->n_key];
	memset(k, 0, sizeof(*k));
	if (n < 2 || n > 3 || f[1].tag != 0x30)
		return cccd_err_set(err, -CCCD_EFORMAT, "dg14",
				    "ChipAuthenticationPublicKeyInfo at byte %zu: no SPKI", base);
	if (n == 3 && (rc = uint_field(&f[2], &k->key_id, base, "PK keyId", err)))
		return rc;
	k->dh = fam == 1;
	k->spki = f[1].value - f[1].hdr_len;
	k->spki_len = f[1].total;
	k->off = (size_t)(k->spki - buf);
	k->has_key_id = n == 3;
	d->n_key++;
	return 0;
}

static int aa_info(struct ca_dg14 *d, const struct tlv *f, size_t n, size_t base,
		   struct cccd_err *err)
{
	int rc;

	if (n < 2 || n > 3)
		return cccd_err_set(err, -CCCD_EFORMAT, "dg14",
				    "ActiveAuthenticationInfo at byte %zu: %zu fields", base, n);
	if ((rc = uint_field(&f[1], &d->aa_version, base, "AA version", err)))
		return rc;
	if (n == 3 && f[2].tag != 0x06)
		return cccd_err_set(err, -CCCD_EFORMAT, "dg14",
				    "ActiveAuthenticationInfo at byte %zu: no algorithm OID", base);
	d->has_aa = true;
	d->aa_md = n == 3 ? ca_aa_md_from_oid(f[2].value, f[2].len) : MBEDTLS_MD_NONE;
	return 0;
}

static int security_info(struct ca_dg14 *d, const struct tlv *seq, const uint8_t *buf,
			 struct cccd_err *err)
{
	size_t base = (size_t)(seq->value - buf) - seq->hdr_len;
	struct tlv f[4];
	size_t n;
	int rc;

	if (seq->tag != 0x30)
		return cccd_err_set(err, -CCCD_EFORMAT, "dg14", "byte %zu: tag %X, not SEQUENCE",
				    base, (unsigned)seq->tag);
	rc = fields(seq, f, 4, &n, base, err);
	if (rc)
		return rc;
	if (n < 1 || f[0].tag != 0x06)
		return cccd_err_set(err, -CCCD_EFORMAT, "dg14",
				    "SecurityInfo at byte %zu: no protocol OID", base);
	if (has_prefix(&f[0], oid_ca, sizeof(oid_ca), 2))
		return ca_info(d, f, n, base, err);
	if (has_prefix(&f[0], oid_pk, sizeof(oid_pk), 1))
		return ca_pubkey(d, f, n, base, buf, err);
	if (has_prefix(&f[0], oid_aa, sizeof(oid_aa), 0))
		return aa_info(d, f, n, base, err);
	d->n_other++;
	return 0;
}

int ca_dg14_parse(const uint8_t *buf, size_t len, struct ca_dg14 *out, struct cccd_err *err)
{
	struct tlv dg, set, seq;
	struct tlv_iter it;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = tlv_expect(buf, len, 0x6E, 0, &dg, err);
	if (!rc && dg.total != len)
		rc = cccd_err_set(err, -CCCD_EFORMAT, "dg14", "%zu bytes after 6E at byte %zu",
				  len - dg.total, dg.total);
	if (!rc)
		rc = tlv_expect(dg.value, dg.len, 0x31, 0, &set, err);
	if (!rc && set.total != dg.len)
		rc = cccd_err_set(err, -CCCD_EFORMAT, "dg14", "bytes after the SET at byte %zu",
				  dg.hdr_len + set.total);
	if (rc)
		return rc;
	tlv_iter_init(&it, set.value, set.len, 0);
	while ((rc = tlv_next(&it, &seq, err)) == 1)
		if ((rc = security_info(out, &seq, buf, err)))
			return rc;
	return rc;
}
