/* SPDX-License-Identifier: MIT */
/*
 * sm.h - ICAO 9303-11 §9.8 secure messaging for the terminal (wrap a command, unwrap a response)
 * and the chip (unwrap a command, wrap a response), over one SSC/MAC/padding core.
 *
 * 3DES: retail MAC, SSC of 8 bytes, CBC with a zero IV. AES: CMAC truncated to 8 bytes, SSC of 16
 * bytes, CBC with IV = E(KSenc, SSC). The SSC is incremented before every wrap and every unwrap.
 * Every unwrap checks the MAC before it decrypts or hands out any byte of data.
 */
#ifndef CCCD_EMRTD_SM_H
#define CCCD_EMRTD_SM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "emrtd/apdu.h"
#include "emrtd/crypto.h"

/* Largest plaintext Le whose protected response still fits a short APDU (256 data bytes):
 * 256 - DO87 header (3) - indicator (1) - DO99 (4) - DO8E (10) = 238, rounded down to whole
 * blocks (232 / 224) minus the one padding byte. */
#define SM_MAX_LE_3DES 231u
#define SM_MAX_LE_AES  223u

struct sm_ctx {
	enum emrtd_cipher cipher;
	uint8_t ks_enc[EMRTD_KEY_MAX];
	uint8_t ks_mac[EMRTD_KEY_MAX];
	uint8_t ssc[EMRTD_BLOCK_MAX]; /* big-endian counter of emrtd_block_len(cipher) bytes */
};

/* The SM data objects of a protected command or response body, located but not checked
 * cryptographically. Pointers go into the parsed buffer. */
struct sm_dos {
	uint8_t crypt_tag;    /* 0x87, 0x85, or 0 when absent */
	const uint8_t *crypt; /* DO87 value (indicator byte first) or DO85 value */
	size_t crypt_len;
	const uint8_t *le; /* DO97 value (1 or 2 bytes), NULL when absent */
	size_t le_len;
	const uint8_t *sw;  /* DO99 value (2 bytes), NULL when absent */
	const uint8_t *mac; /* DO8E value (8 bytes); always present on success */
	size_t mac_covered; /* bytes of the body before DO8E: what the MAC covers */
};

/* Start a session with keys of emrtd_key_len(c) bytes and the initial SSC (NULL = zero). */
int sm_init(struct sm_ctx *sm, enum emrtd_cipher c, const uint8_t *ks_enc, const uint8_t *ks_mac,
	    const uint8_t *ssc, struct cccd_err *err);

/* Wipe the keys. */
void sm_clear(struct sm_ctx *sm);

/* SSC += 1 (big-endian, wraps). */
void sm_ssc_inc(struct sm_ctx *sm);

/* Largest safe plaintext Le for a short protected READ BINARY: 231 (3DES) or 223 (AES). */
size_t sm_max_le(const struct sm_ctx *sm);

/* Locate DO87/85, DO97, DO99 and DO8E (in that order, 8E last, each at most once) in a protected
 * body; -CCCD_EFORMAT with the byte offset for anything else. */
int sm_dos_parse(const uint8_t *buf, size_t len, struct sm_dos *out, struct cccd_err *err);

/* Terminal: protect plain (CLA|0C, DO87 or DO85 for odd INS, DO97, DO8E, Le 00) into out. */
int sm_wrap_command(struct sm_ctx *sm, const struct apdu *plain, uint8_t *out, size_t cap,
		    size_t *out_len, struct cccd_err *err);

/* Terminal: check and open a protected response (data + SW1 SW2). DO99 and DO8E are required;
 * the MAC is verified before anything else; then *sw = DO99 and the plaintext goes to data.
 * On any error *data_len is 0 and nothing is written to data. */
int sm_unwrap_response(struct sm_ctx *sm, const uint8_t *resp, size_t len, uint8_t *data,
		       size_t cap, size_t *data_len, uint16_t *sw, struct cccd_err *err);

/* Chip: check and open a protected command; plain->data points into data (cap bytes).
 * -CCCD_EFORMAT when SM objects are missing or malformed (answer 6987), -CCCD_ECHECK for a
 * wrong MAC (answer 6988). */
int sm_unwrap_command(struct sm_ctx *sm, const uint8_t *apdu, size_t len, struct apdu *plain,
		      uint8_t *data, size_t cap, struct cccd_err *err);

/* Chip: protect a response to a command with INS ins (DO85 for odd INS, else DO87; DO99; DO8E;
 * then SW1 SW2 = sw). */
int sm_wrap_response(struct sm_ctx *sm, uint8_t ins, const uint8_t *data, size_t len, uint16_t sw,
		     uint8_t *out, size_t cap, size_t *out_len, struct cccd_err *err);

#endif
