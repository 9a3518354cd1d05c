/* SPDX-License-Identifier: MIT */
/*
 * crypto.h - the symmetric primitives of ICAO 9303-11 shared by BAC, PACE, secure messaging and the
 * virtual chip: KDF (§9.7.1), DES key parity, ISO/IEC 9797-1 padding method 2, retail MAC (MAC
 * algorithm 3), AES-CMAC, 3DES/AES-CBC. All keys and buffers are the caller's; no state.
 */
#ifndef CCCD_EMRTD_CRYPTO_H
#define CCCD_EMRTD_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/cipher.h>
#include <mbedtls/des.h>

#include "core/err.h"

enum emrtd_cipher {
	EMRTD_CIPHER_3DES,   /* two-key 3DES (16 bytes), retail MAC, 8-byte blocks */
	EMRTD_CIPHER_AES128, /* AES, CMAC truncated to 8 bytes, 16-byte blocks */
	EMRTD_CIPHER_AES192,
	EMRTD_CIPHER_AES256,
};

#define EMRTD_KEY_MAX	32 /* largest key (AES-256) */
#define EMRTD_BLOCK_MAX 16 /* largest block (AES) */
#define EMRTD_MAC_LEN	8  /* SM and token MACs are 8 bytes for every cipher */

/* KDF counters, ICAO 9303-11 §9.7.1 */
#define EMRTD_KDF_ENC 1u
#define EMRTD_KDF_MAC 2u
#define EMRTD_KDF_PI  3u /* PACE password key */

/* Randomness source (same shape as mbedTLS f_rng): fill buf[0..len), return 0 on success. */
typedef int (*emrtd_rng_fn)(void *ctx, unsigned char *buf, size_t len);

/* Key length in bytes: 16, 16, 24, 32. */
size_t emrtd_key_len(enum emrtd_cipher c);

/* Block length in bytes: 8 for 3DES, 16 for AES. */
size_t emrtd_block_len(enum emrtd_cipher c);

/* §9.7.1: key = first key_len bytes of H(secret || counter as 4 bytes BE), H = SHA-1 for 3DES and
 * AES-128, SHA-256 for AES-192/256; 3DES keys get odd parity. key holds emrtd_key_len(c). */
int emrtd_kdf(enum emrtd_cipher c, const uint8_t *secret, size_t len, uint32_t counter,
	      uint8_t *key, struct cccd_err *err);

/* Set the low bit of each byte so it has odd parity (FIPS 46-3 DES keys). */
void emrtd_des_parity(uint8_t *key, size_t len);

/* ISO/IEC 9797-1 padding method 2 in place: buf[len] = 80, then 00 to a multiple of block.
 * *out_len = padded length; -CCCD_ENOSPC if cap is too small. */
int emrtd_pad(uint8_t *buf, size_t len, size_t cap, size_t block, size_t *out_len,
	      struct cccd_err *err);

/* Length of the data before method-2 padding (last 80 followed only by 00, within the final
 * block); -CCCD_EFORMAT when the padding is malformed. */
int emrtd_unpad(const uint8_t *buf, size_t len, size_t block, size_t *data_len,
		struct cccd_err *err);

/* ISO/IEC 9797-1 MAC algorithm 3 (DES, K1 || K2 = key): msg is already padded (len % 8 == 0). */
int emrtd_retail_mac(const uint8_t key[16], const uint8_t *msg, size_t len, uint8_t mac[8],
		     struct cccd_err *err);

/* NIST SP 800-38B AES-CMAC, full 16-byte tag; klen 16, 24 or 32. */
int emrtd_aes_cmac(const uint8_t *key, size_t klen, const uint8_t *msg, size_t len, uint8_t mac[16],
		   struct cccd_err *err);

/* The 8-byte eMRTD MAC of c: retail MAC over padded msg (3DES), or CMAC over msg truncated to 8
 * (AES; SM pads before, the PACE token does not). */
int emrtd_mac8(enum emrtd_cipher c, const uint8_t *key, const uint8_t *msg, size_t len,
	       uint8_t mac[8], struct cccd_err *err);

/* Incremental 8-byte eMRTD MAC, for messages that are not in one buffer (SM: SSC, header, DOs). */
struct emrtd_mac {
	enum emrtd_cipher c;
	mbedtls_cipher_context_t cmac; /* AES */
	mbedtls_des_context k1;	       /* 3DES: DES-CBC-MAC chain with K1 */
	mbedtls_des_context k2;	       /* 3DES: final D(K2) */
	uint8_t h[8];		       /* 3DES chaining value */
	uint8_t part[8];	       /* 3DES bytes not yet a full block */
	size_t part_len;
	size_t total; /* bytes fed so far */
};

/* Start a MAC of cipher c with key (emrtd_key_len(c) bytes); always pair with emrtd_mac_free. */
int emrtd_mac_start(struct emrtd_mac *m, enum emrtd_cipher c, const uint8_t *key,
		    struct cccd_err *err);

/* Feed len bytes. */
int emrtd_mac_update(struct emrtd_mac *m, const uint8_t *data, size_t len, struct cccd_err *err);

/* Append method-2 padding to the block length if pad, then output the 8-byte MAC. Without pad a
 * 3DES message must already be a multiple of 8. */
int emrtd_mac_finish(struct emrtd_mac *m, bool pad, uint8_t mac[8], struct cccd_err *err);

/* Release the contexts (safe after a failed start). */
void emrtd_mac_free(struct emrtd_mac *m);

/* CBC encrypt (enc) or decrypt len bytes (a multiple of the block) with iv (block bytes, not
 * modified); out may equal in. */
int emrtd_cbc(enum emrtd_cipher c, const uint8_t *key, bool enc, const uint8_t *iv,
	      const uint8_t *in, size_t len, uint8_t *out, struct cccd_err *err);

/* Encrypt one block (AES SM IV = E(KSenc, SSC)). */
int emrtd_ecb_encrypt(enum emrtd_cipher c, const uint8_t *key, const uint8_t *in, uint8_t *out,
		      struct cccd_err *err);

/* Constant-time equality of two n-byte MACs. */
bool emrtd_mac_equal(const uint8_t *a, const uint8_t *b, size_t n);

#endif
