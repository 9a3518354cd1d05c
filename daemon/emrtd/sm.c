/* SPDX-License-Identifier: MIT */
/*
 * sm.c - secure messaging, ICAO 9303-11 §9.8 (see sm.h). Worked example, Appendix D.4 (3DES,
 * SSC 887022120C06C226): SELECT EF.COM 00A4020C02011E becomes
 *   0C A4 02 0C 15 | 87 09 01 6375432908C044F6 | 8E 08 BF8B92D635FF24F8 | 00
 * where 87 holds 01 (padding indicator) + 3DES(KSenc, 011E800000000000) and 8E is the retail MAC
 * over SSC+1 || 0CA4020C80000000 || DO87, padded; the answer 99 02 9000 8E 08 FA855A5D4C50A8ED
 * is checked with SSC+2 before its SW is believed.
 * Omitted: DO81/DO8F plain/other objects and certificate-based SM (not used by eMRTDs).
 */
#include <string.h>

#include <mbedtls/platform_util.h>

#include "emrtd/sm.h"

#define SM_MAC_DO_LEN 10 /* 8E 08 + 8 bytes */

int sm_init(struct sm_ctx *sm, enum emrtd_cipher c, const uint8_t *ks_enc, const uint8_t *ks_mac,
	    const uint8_t *ssc, struct cccd_err *err)
{
	if (c > EMRTD_CIPHER_AES256 || !ks_enc || !ks_mac)
		return cccd_err_set(err, -CCCD_EINVAL, "sm", "bad cipher or key");
	memset(sm, 0, sizeof(*sm));
	sm->cipher = c;
	memcpy(sm->ks_enc, ks_enc, emrtd_key_len(c));
	memcpy(sm->ks_mac, ks_mac, emrtd_key_len(c));
	if (ssc)
		memcpy(sm->ssc, ssc, emrtd_block_len(c));
	return 0;
}

void sm_clear(struct sm_ctx *sm)
{
	mbedtls_platform_zeroize(sm, sizeof(*sm));
}

void sm_ssc_inc(struct sm_ctx *sm)
{
	for (size_t i = emrtd_block_len(sm->cipher); i-- > 0;)
		if (++sm->ssc[i])
			break;
}

size_t sm_max_le(const struct sm_ctx *sm)
{
	return sm->cipher == EMRTD_CIPHER_3DES ? SM_MAX_LE_3DES : SM_MAX_LE_AES;
}

static int dos_bad(struct cccd_err *err, size_t off, const char *why)
{
	return cccd_err_set(err, -CCCD_EFORMAT, "sm", "byte %zu: %s", off, why);
}

/* Order rank of each DO: 87/85 < 97 < 99 < 8E; anything else is refused. */
static int do_rank(uint8_t tag)
{
	switch (tag) {
	case 0x85:
	case 0x87:
		return 1;
	case 0x97:
		return 2;
	case 0x99:
		return 3;
	case 0x8E:
		return 4;
	default:
		return 0;
	}
}

static int dos_take(const struct apdu_do *d, struct sm_dos *out, struct cccd_err *err)
{
	switch (d->tag) {
	case 0x85:
	case 0x87:
		if (d->len == 0)
			return dos_bad(err, d->off, "empty cryptogram");
		out->crypt_tag = d->tag;
		out->crypt = d->value;
		out->crypt_len = d->len;
		return 0;
	case 0x97:
		if (d->len < 1 || d->len > 2)
			return dos_bad(err, d->off, "DO97 not 1 or 2 bytes");
		out->le = d->value;
		out->le_len = d->len;
		return 0;
	case 0x99:
		if (d->len != 2)
			return dos_bad(err, d->off, "DO99 not 2 bytes");
		out->sw = d->value;
		return 0;
	default: /* 0x8E */
		if (d->len != EMRTD_MAC_LEN)
			return dos_bad(err, d->off, "DO8E not 8 bytes");
		out->mac = d->value;
		out->mac_covered = d->off;
		return 0;
	}
}

int sm_dos_parse(const uint8_t *buf, size_t len, struct sm_dos *out, struct cccd_err *err)
{
	struct apdu_do d;
	size_t off = 0;
	int last = 0, rc;

	memset(out, 0, sizeof(*out));
	while ((rc = apdu_do_next(buf, len, &off, &d, err)) == 1) {
		int rank = do_rank(d.tag);

		if (!rank)
			return dos_bad(err, d.off, "not an SM data object");
		if (rank <= last)
			return dos_bad(err, d.off, "SM data object out of order or repeated");
		if (last == 4)
			return dos_bad(err, d.off, "data after DO8E");
		last = rank;
		rc = dos_take(&d, out, err);
		if (rc)
			return rc;
	}
	if (rc < 0)
		return rc;
	if (!out->mac)
		return dos_bad(err, len, "DO8E (MAC) missing");
	return 0;
}

static int sm_iv(const struct sm_ctx *sm, uint8_t *iv, struct cccd_err *err)
{
	if (sm->cipher == EMRTD_CIPHER_3DES) {
		memset(iv, 0, 8);
		return 0;
	}
	return emrtd_ecb_encrypt(sm->cipher, sm->ks_enc, sm->ssc, iv, err);
}

/* MAC over SSC || [padded header] || body, padded (§9.8.6). hdr is 4 bytes or NULL. */
static int sm_mac(const struct sm_ctx *sm, const uint8_t *hdr, const uint8_t *body, size_t len,
		  uint8_t mac[EMRTD_MAC_LEN], struct cccd_err *err)
{
	static const uint8_t hpad[EMRTD_BLOCK_MAX - 4] = {0x80};
	size_t block = emrtd_block_len(sm->cipher);
	struct emrtd_mac m;
	int rc = emrtd_mac_start(&m, sm->cipher, sm->ks_mac, err);

	if (!rc)
		rc = emrtd_mac_update(&m, sm->ssc, block, err);
	if (!rc && hdr)
		rc = emrtd_mac_update(&m, hdr, 4, err);
	if (!rc && hdr)
		rc = emrtd_mac_update(&m, hpad, block - 4, err);
	if (!rc)
		rc = emrtd_mac_update(&m, body, len, err);
	if (!rc)
		rc = emrtd_mac_finish(&m, true, mac, err);
	emrtd_mac_free(&m);
	return rc;
}

static int sm_mac_check(const struct sm_ctx *sm, const uint8_t *hdr, const uint8_t *body,
			const struct sm_dos *dos, struct cccd_err *err)
{
	uint8_t mac[EMRTD_MAC_LEN];
	int rc = sm_mac(sm, hdr, body, dos->mac_covered, mac, err);

	if (rc)
		return rc;
	if (!emrtd_mac_equal(mac, dos->mac, EMRTD_MAC_LEN))
		return cccd_err_set(err, -CCCD_ECHECK, "sm", "MAC mismatch (SSC ..%02X)",
				    sm->ssc[emrtd_block_len(sm->cipher) - 1]);
	return 0;
}

/* Size of the DO87/85 holding len plaintext bytes (0 when len is 0). */
static size_t crypt_do_len(const struct sm_ctx *sm, uint8_t tag, size_t len)
{
	size_t block = emrtd_block_len(sm->cipher);
	size_t v = len ? (len / block + 1) * block + (tag == 0x87) : 0;

	return v ? apdu_do_hdr_len(v) + v : 0;
}

/* Append DO87 (01 + cryptogram) or DO85 (cryptogram) of data at out[*pos]. */
static int crypt_put(const struct sm_ctx *sm, uint8_t tag, const uint8_t *data, size_t len,
		     uint8_t *out, size_t cap, size_t *pos, struct cccd_err *err)
{
	size_t block = emrtd_block_len(sm->cipher);
	size_t padded = (len / block + 1) * block;
	uint8_t iv[EMRTD_BLOCK_MAX];
	size_t p = *pos, n;
	int rc = apdu_do_put(out, cap, &p, tag, NULL, padded + (tag == 0x87), err);

	if (rc)
		return rc;
	p -= padded + (tag == 0x87);
	if (tag == 0x87)
		out[p++] = 0x01;
	memmove(out + p, data, len);
	rc = emrtd_pad(out + p, len, padded, block, &n, err);
	if (!rc)
		rc = sm_iv(sm, iv, err);
	if (!rc)
		rc = emrtd_cbc(sm->cipher, sm->ks_enc, true, iv, out + p, padded, out + p, err);
	*pos = p + padded;
	return rc;
}

/* Decrypt the DO87/85 of dos into data (cap bytes) and strip the padding. Only the last block
 * goes through a scratch buffer, so cap need only hold the plaintext. */
static int crypt_open(const struct sm_ctx *sm, const struct sm_dos *dos, uint8_t *data, size_t cap,
		      size_t *data_len, struct cccd_err *err)
{
	size_t block = emrtd_block_len(sm->cipher);
	const uint8_t *ct = dos->crypt + (dos->crypt_tag == 0x87);
	size_t n = dos->crypt_len - (dos->crypt_tag == 0x87), head, tail;
	uint8_t iv[EMRTD_BLOCK_MAX], last[EMRTD_BLOCK_MAX];
	int rc;

	if (dos->crypt_tag == 0x87 && dos->crypt[0] != 0x01)
		return cccd_err_set(err, -CCCD_EFORMAT, "sm", "DO87 padding indicator %02X, not 01",
				    dos->crypt[0]);
	if (n == 0 || n % block)
		return cccd_err_set(err, -CCCD_EFORMAT, "sm", "cryptogram of %zu bytes (block %zu)",
				    n, block);
	head = n - block;
	if (head > cap)
		return cccd_err_set(err, -CCCD_ENOSPC, "sm", "plaintext of %zu+ bytes, buffer %zu",
				    head, cap);
	rc = sm_iv(sm, iv, err);
	if (!rc && head)
		rc = emrtd_cbc(sm->cipher, sm->ks_enc, false, iv, ct, head, data, err);
	if (!rc)
		rc = emrtd_cbc(sm->cipher, sm->ks_enc, false, head ? ct + head - block : iv,
			       ct + head, block, last, err);
	if (!rc)
		rc = emrtd_unpad(last, block, block, &tail, err);
	if (!rc && head + tail > cap)
		rc = cccd_err_set(err, -CCCD_ENOSPC, "sm", "plaintext of %zu bytes, buffer %zu",
				  head + tail, cap);
	if (!rc) {
		memcpy(data + head, last, tail);
		*data_len = head + tail;
	} else if (head) {
		mbedtls_platform_zeroize(data, head);
	}
	mbedtls_platform_zeroize(last, sizeof(last));
	return rc;
}

/* Length of the DO97 value for Le: 1 byte for a short Le, 2 for an extended one. */
static size_t le_len(const struct apdu *a)
{
	if (!a->le)
		return 0;
	return (a->extended || a->le > APDU_SHORT_LE_MAX) ? 2 : 1;
}

static int put_le(const struct apdu *a, uint8_t *out, size_t cap, size_t *pos, struct cccd_err *err)
{
	uint8_t v[2] = {(uint8_t)(a->le >> 8), (uint8_t)a->le};
	size_t n = le_len(a);

	return n ? apdu_do_put(out, cap, pos, 0x97, v + 2 - n, n, err) : 0;
}

int sm_wrap_command(struct sm_ctx *sm, const struct apdu *plain, uint8_t *out, size_t cap,
		    size_t *out_len, struct cccd_err *err)
{
	uint8_t tag = (plain->ins & 1) ? 0x85 : 0x87;
	size_t body = crypt_do_len(sm, tag, plain->lc) + (le_len(plain) ? 2 + le_len(plain) : 0) +
		      SM_MAC_DO_LEN;
	bool ext = plain->extended || plain->le > APDU_SHORT_LE_MAX || body > APDU_SHORT_LC_MAX;
	size_t h = ext ? 7 : 5, p = h, total = h + body + (ext ? 2 : 1);
	uint8_t hdr[4] = {plain->cla | 0x0C, plain->ins, plain->p1, plain->p2};
	int rc;

	if (plain->lc > APDU_EXT_LC_MAX - 64 || (plain->lc && !plain->data) || plain->cla & 0x80)
		return cccd_err_set(err, -CCCD_ERANGE, "sm", "INS %02X: cannot protect Lc %zu",
				    plain->ins, plain->lc);
	if (total > cap)
		return cccd_err_set(err, -CCCD_ENOSPC, "sm", "INS %02X: %zu bytes, buffer %zu",
				    plain->ins, total, cap);
	sm_ssc_inc(sm);
	rc = plain->lc ? crypt_put(sm, tag, plain->data, plain->lc, out, cap, &p, err) : 0;
	if (!rc)
		rc = put_le(plain, out, cap, &p, err);
	if (!rc)
		rc = apdu_do_put(out, cap, &p, 0x8E, NULL, EMRTD_MAC_LEN, err);
	if (!rc)
		rc = sm_mac(sm, hdr, out + h, p - h - SM_MAC_DO_LEN, out + p - EMRTD_MAC_LEN, err);
	if (rc)
		return rc;
	memcpy(out, hdr, 4);
	if (ext) {
		out[4] = 0x00;
		out[5] = (uint8_t)(body >> 8);
		out[6] = (uint8_t)body;
		out[p++] = 0x00;
	} else {
		out[4] = (uint8_t)body;
	}
	out[p++] = 0x00; /* Le: whatever the chip has */
	*out_len = p;
	return 0;
}

int sm_unwrap_response(struct sm_ctx *sm, const uint8_t *resp, size_t len, uint8_t *data,
		       size_t cap, size_t *data_len, uint16_t *sw, struct cccd_err *err)
{
	struct apdu_resp r;
	struct sm_dos dos;
	int rc;

	*data_len = 0;
	rc = apdu_resp_parse(resp, len, &r, err);
	if (rc)
		return rc;
	*sw = r.sw;
	if (r.len == 0)
		return cccd_err_set(err, -CCCD_ECHECK, "sm", "unprotected response, SW %04X (%s)",
				    r.sw, apdu_sw_str(r.sw));
	rc = sm_dos_parse(r.data, r.len, &dos, err);
	if (rc)
		return rc;
	if (dos.le || !dos.sw)
		return cccd_err_set(err, -CCCD_EFORMAT, "sm", "response %s",
				    dos.le ? "carries DO97" : "without DO99 (status)");
	sm_ssc_inc(sm);
	rc = sm_mac_check(sm, NULL, r.data, &dos, err);
	if (rc)
		return rc;
	*sw = (uint16_t)(dos.sw[0] << 8 | dos.sw[1]);
	return dos.crypt ? crypt_open(sm, &dos, data, cap, data_len, err) : 0;
}

static size_t le_value(const struct sm_dos *dos)
{
	size_t v = dos->le_len == 1 ? dos->le[0] : ((size_t)dos->le[0] << 8 | dos->le[1]);

	if (v == 0)
		v = dos->le_len == 1 ? APDU_SHORT_LE_MAX : APDU_EXT_LE_MAX;
	return v;
}

int sm_unwrap_command(struct sm_ctx *sm, const uint8_t *apdu, size_t len, struct apdu *plain,
		      uint8_t *data, size_t cap, struct cccd_err *err)
{
	struct sm_dos dos;
	uint8_t hdr[4];
	size_t n = 0;
	int rc = apdu_cmd_parse(apdu, len, plain, err);

	if (rc)
		return rc;
	if ((plain->cla & 0x0C) != 0x0C || !plain->lc)
		return cccd_err_set(err, -CCCD_EFORMAT, "sm", "INS %02X: command not protected",
				    plain->ins);
	memcpy(hdr, apdu, 4);
	rc = sm_dos_parse(plain->data, plain->lc, &dos, err);
	if (!rc && dos.sw)
		rc = dos_bad(err, 0, "DO99 in a command");
	if (rc)
		return rc;
	sm_ssc_inc(sm);
	rc = sm_mac_check(sm, hdr, plain->data, &dos, err);
	if (!rc && dos.crypt)
		rc = crypt_open(sm, &dos, data, cap, &n, err);
	if (rc)
		return rc;
	plain->cla &= (uint8_t)~0x0C;
	plain->data = n ? data : NULL;
	plain->lc = n;
	plain->le = dos.le ? le_value(&dos) : 0;
	return 0;
}

int sm_wrap_response(struct sm_ctx *sm, uint8_t ins, const uint8_t *data, size_t len, uint16_t sw,
		     uint8_t *out, size_t cap, size_t *out_len, struct cccd_err *err)
{
	uint8_t tag = (ins & 1) ? 0x85 : 0x87;
	const uint8_t swb[2] = {(uint8_t)(sw >> 8), (uint8_t)sw};
	size_t p = 0;
	int rc = 0;

	if (len > APDU_EXT_LE_MAX)
		return cccd_err_set(err, -CCCD_ERANGE, "sm", "response of %zu bytes", len);
	sm_ssc_inc(sm);
	if (len)
		rc = crypt_put(sm, tag, data, len, out, cap, &p, err);
	if (!rc)
		rc = apdu_do_put(out, cap, &p, 0x99, swb, 2, err);
	if (!rc)
		rc = apdu_do_put(out, cap, &p, 0x8E, NULL, EMRTD_MAC_LEN, err);
	if (!rc)
		rc = sm_mac(sm, NULL, out, p - SM_MAC_DO_LEN, out + p - EMRTD_MAC_LEN, err);
	if (!rc && cap - p < 2)
		rc = cccd_err_set(err, -CCCD_ENOSPC, "sm", "no room for SW1 SW2");
	if (rc)
		return rc;
	out[p++] = swb[0];
	out[p++] = swb[1];
	*out_len = p;
	return 0;
}
