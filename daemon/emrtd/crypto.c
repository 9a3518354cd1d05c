/* SPDX-License-Identifier: MIT */
/*
 * crypto.c - ICAO 9303-11 symmetric primitives over mbedTLS 2.28 (see crypto.h).
 *
 * KDF §9.7.1, worked example Appendix D.2: K = 239AB9CB282DAF66231DC5A4DF6BFBAE, counter 1 ->
 * SHA-1(K || 00000001) = AB94FCEDF2664EDFB9B291F85D7F77F2.. -> with parity AB94FDECF2674FDF
 * B9B391F85D7F76F2 (Kenc).
 * Retail MAC is hand-written: ISO/IEC 9797-1 MAC algorithm 3 (DES-CBC with K1, then D(K2), E(K1)
 * on the last block) is not in mbedTLS, so it is built here on mbedTLS's single-DES ECB.
 * Everything else (SHA, 3DES/AES-CBC, CMAC) is mbedTLS. Omitted: 3-key 3DES (never in eMRTDs).
 */
#include <string.h>

#include <mbedtls/aes.h>
#include <mbedtls/cipher.h>
#include <mbedtls/cmac.h>
#include <mbedtls/constant_time.h>
#include <mbedtls/des.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>

#include "emrtd/crypto.h"

size_t emrtd_key_len(enum emrtd_cipher c)
{
	switch (c) {
	case EMRTD_CIPHER_AES192:
		return 24;
	case EMRTD_CIPHER_AES256:
		return 32;
	default:
		return 16;
	}
}

size_t emrtd_block_len(enum emrtd_cipher c)
{
	return c == EMRTD_CIPHER_3DES ? 8 : 16;
}

static int lib_err(struct cccd_err *err, const char *what, int mrc)
{
	return cccd_err_set(err, -CCCD_EINVAL, "crypto", "%s failed (mbedtls -0x%04X)", what,
			    (unsigned)-mrc);
}

int emrtd_kdf(enum emrtd_cipher c, const uint8_t *secret, size_t len, uint32_t counter,
	      uint8_t *key, struct cccd_err *err)
{
	bool sha1 = c == EMRTD_CIPHER_3DES || c == EMRTD_CIPHER_AES128;
	const uint8_t ctr[4] = {counter >> 24, counter >> 16, counter >> 8, counter};
	uint8_t h[32];
	mbedtls_md_context_t md;
	int rc;

	mbedtls_md_init(&md);
	rc = mbedtls_md_setup(
	    &md, mbedtls_md_info_from_type(sha1 ? MBEDTLS_MD_SHA1 : MBEDTLS_MD_SHA256), 0);
	if (!rc)
		rc = mbedtls_md_starts(&md);
	if (!rc)
		rc = mbedtls_md_update(&md, secret, len);
	if (!rc)
		rc = mbedtls_md_update(&md, ctr, sizeof(ctr));
	if (!rc)
		rc = mbedtls_md_finish(&md, h);
	if (rc) {
		rc = lib_err(err, "kdf hash", rc);
		goto out;
	}
	memcpy(key, h, emrtd_key_len(c));
	if (c == EMRTD_CIPHER_3DES)
		emrtd_des_parity(key, 16);
out:
	mbedtls_platform_zeroize(h, sizeof(h));
	mbedtls_md_free(&md);
	return rc;
}

void emrtd_des_parity(uint8_t *key, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		uint8_t b = key[i] & 0xFE;
		unsigned ones = 0;

		for (uint8_t v = b; v; v &= (uint8_t)(v - 1))
			ones++;
		key[i] = (uint8_t)(b | !(ones & 1));
	}
}

int emrtd_pad(uint8_t *buf, size_t len, size_t cap, size_t block, size_t *out_len,
	      struct cccd_err *err)
{
	size_t n = (len / block + 1) * block;

	if (len >= cap || n > cap)
		return cccd_err_set(err, -CCCD_ENOSPC, "crypto",
				    "padding %zu bytes needs %zu, have %zu", len, n, cap);
	buf[len] = 0x80;
	memset(buf + len + 1, 0, n - len - 1);
	*out_len = n;
	return 0;
}

int emrtd_unpad(const uint8_t *buf, size_t len, size_t block, size_t *data_len,
		struct cccd_err *err)
{
	size_t i = len;

	if (len == 0 || len % block)
		return cccd_err_set(err, -CCCD_EFORMAT, "crypto",
				    "padded length %zu not a multiple of %zu", len, block);
	while (i > len - block && buf[i - 1] == 0x00)
		i--;
	if (buf[i - 1] != 0x80)
		return cccd_err_set(err, -CCCD_EFORMAT, "crypto", "byte %zu: no 80 padding marker",
				    i - 1);
	*data_len = i - 1;
	return 0;
}

static const mbedtls_cipher_info_t *aes_ecb_info(size_t klen)
{
	switch (klen) {
	case 16:
		return mbedtls_cipher_info_from_type(MBEDTLS_CIPHER_AES_128_ECB);
	case 24:
		return mbedtls_cipher_info_from_type(MBEDTLS_CIPHER_AES_192_ECB);
	case 32:
		return mbedtls_cipher_info_from_type(MBEDTLS_CIPHER_AES_256_ECB);
	default:
		return NULL;
	}
}

int emrtd_aes_cmac(const uint8_t *key, size_t klen, const uint8_t *msg, size_t len, uint8_t mac[16],
		   struct cccd_err *err)
{
	const mbedtls_cipher_info_t *info = aes_ecb_info(klen);
	int rc;

	if (!info)
		return cccd_err_set(err, -CCCD_EINVAL, "crypto", "AES key of %zu bytes", klen);
	rc = mbedtls_cipher_cmac(info, key, klen * 8, msg, len, mac);
	return rc ? lib_err(err, "AES-CMAC", rc) : 0;
}

static int des_block(struct emrtd_mac *m, const uint8_t *blk)
{
	for (size_t i = 0; i < 8; i++)
		m->h[i] ^= blk[i];
	return mbedtls_des_crypt_ecb(&m->k1, m->h, m->h);
}

int emrtd_mac_start(struct emrtd_mac *m, enum emrtd_cipher c, const uint8_t *key,
		    struct cccd_err *err)
{
	int rc;

	memset(m, 0, sizeof(*m));
	m->c = c;
	mbedtls_cipher_init(&m->cmac);
	mbedtls_des_init(&m->k1);
	mbedtls_des_init(&m->k2);
	if (c == EMRTD_CIPHER_3DES) {
		rc = mbedtls_des_setkey_enc(&m->k1, key);
		if (!rc)
			rc = mbedtls_des_setkey_dec(&m->k2, key + 8);
	} else {
		rc = mbedtls_cipher_setup(&m->cmac, aes_ecb_info(emrtd_key_len(c)));
		if (!rc)
			rc = mbedtls_cipher_cmac_starts(&m->cmac, key, emrtd_key_len(c) * 8);
	}
	return rc ? lib_err(err, "MAC start", rc) : 0;
}

int emrtd_mac_update(struct emrtd_mac *m, const uint8_t *data, size_t len, struct cccd_err *err)
{
	int rc = 0;

	m->total += len;
	if (m->c != EMRTD_CIPHER_3DES) {
		rc = len ? mbedtls_cipher_cmac_update(&m->cmac, data, len) : 0;
		return rc ? lib_err(err, "CMAC update", rc) : 0;
	}
	while (!rc && len) {
		size_t take = 8 - m->part_len < len ? 8 - m->part_len : len;

		memcpy(m->part + m->part_len, data, take);
		m->part_len += take;
		data += take;
		len -= take;
		if (m->part_len == 8) {
			rc = des_block(m, m->part);
			m->part_len = 0;
		}
	}
	return rc ? lib_err(err, "retail MAC update", rc) : 0;
}

static int mac_pad(struct emrtd_mac *m, struct cccd_err *err)
{
	static const uint8_t pad[EMRTD_BLOCK_MAX] = {0x80};
	size_t block = emrtd_block_len(m->c);

	return emrtd_mac_update(m, pad, block - m->total % block, err);
}

int emrtd_mac_finish(struct emrtd_mac *m, bool pad, uint8_t mac[8], struct cccd_err *err)
{
	uint8_t full[16];
	int rc = pad ? mac_pad(m, err) : 0;

	if (rc)
		return rc;
	if (m->c != EMRTD_CIPHER_3DES) {
		rc = mbedtls_cipher_cmac_finish(&m->cmac, full);
		if (!rc)
			memcpy(mac, full, 8);
		return rc ? lib_err(err, "CMAC finish", rc) : 0;
	}
	if (m->part_len || m->total == 0)
		return cccd_err_set(err, -CCCD_EINVAL, "crypto",
				    "retail MAC over %zu bytes (unpadded)", m->total);
	rc = mbedtls_des_crypt_ecb(&m->k2, m->h, m->h);
	if (!rc)
		rc = mbedtls_des_crypt_ecb(&m->k1, m->h, mac);
	return rc ? lib_err(err, "retail MAC", rc) : 0;
}

void emrtd_mac_free(struct emrtd_mac *m)
{
	mbedtls_cipher_free(&m->cmac);
	mbedtls_des_free(&m->k1);
	mbedtls_des_free(&m->k2);
	mbedtls_platform_zeroize(m->h, sizeof(m->h));
	mbedtls_platform_zeroize(m->part, sizeof(m->part));
}

int emrtd_mac8(enum emrtd_cipher c, const uint8_t *key, const uint8_t *msg, size_t len,
	       uint8_t mac[8], struct cccd_err *err)
{
	struct emrtd_mac m;
	int rc = emrtd_mac_start(&m, c, key, err);

	if (!rc)
		rc = emrtd_mac_update(&m, msg, len, err);
	if (!rc)
		rc = emrtd_mac_finish(&m, false, mac, err);
	emrtd_mac_free(&m);
	return rc;
}

int emrtd_retail_mac(const uint8_t key[16], const uint8_t *msg, size_t len, uint8_t mac[8],
		     struct cccd_err *err)
{
	return emrtd_mac8(EMRTD_CIPHER_3DES, key, msg, len, mac, err);
}

static int des3_cbc(const uint8_t *key, bool enc, const uint8_t *iv, const uint8_t *in, size_t len,
		    uint8_t *out, struct cccd_err *err)
{
	mbedtls_des3_context ctx;
	uint8_t v[8];
	int rc;

	mbedtls_des3_init(&ctx);
	memcpy(v, iv, 8);
	rc = enc ? mbedtls_des3_set2key_enc(&ctx, key) : mbedtls_des3_set2key_dec(&ctx, key);
	if (!rc)
		rc = mbedtls_des3_crypt_cbc(&ctx, enc ? MBEDTLS_DES_ENCRYPT : MBEDTLS_DES_DECRYPT,
					    len, v, in, out);
	if (rc)
		rc = lib_err(err, "3DES-CBC", rc);
	mbedtls_des3_free(&ctx);
	return rc;
}

static int aes_cbc(const uint8_t *key, size_t klen, bool enc, const uint8_t *iv, const uint8_t *in,
		   size_t len, uint8_t *out, struct cccd_err *err)
{
	mbedtls_aes_context ctx;
	uint8_t v[16];
	int rc;

	mbedtls_aes_init(&ctx);
	memcpy(v, iv, 16);
	rc = enc ? mbedtls_aes_setkey_enc(&ctx, key, (unsigned)klen * 8)
		 : mbedtls_aes_setkey_dec(&ctx, key, (unsigned)klen * 8);
	if (!rc)
		rc = mbedtls_aes_crypt_cbc(&ctx, enc ? MBEDTLS_AES_ENCRYPT : MBEDTLS_AES_DECRYPT,
					   len, v, in, out);
	if (rc)
		rc = lib_err(err, "AES-CBC", rc);
	mbedtls_aes_free(&ctx);
	return rc;
}

int emrtd_cbc(enum emrtd_cipher c, const uint8_t *key, bool enc, const uint8_t *iv,
	      const uint8_t *in, size_t len, uint8_t *out, struct cccd_err *err)
{
	if (len % emrtd_block_len(c))
		return cccd_err_set(err, -CCCD_EINVAL, "crypto", "CBC over %zu bytes (block %zu)",
				    len, emrtd_block_len(c));
	if (c == EMRTD_CIPHER_3DES)
		return des3_cbc(key, enc, iv, in, len, out, err);
	return aes_cbc(key, emrtd_key_len(c), enc, iv, in, len, out, err);
}

int emrtd_ecb_encrypt(enum emrtd_cipher c, const uint8_t *key, const uint8_t *in, uint8_t *out,
		      struct cccd_err *err)
{
	static const uint8_t zero[EMRTD_BLOCK_MAX];

	/* one block of CBC with a zero IV is ECB */
	return emrtd_cbc(c, key, true, zero, in, emrtd_block_len(c), out, err);
}

bool emrtd_mac_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	return mbedtls_ct_memcmp(a, b, n) == 0;
}
