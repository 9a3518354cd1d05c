/* SPDX-License-Identifier: MIT */
/*
 * apdu.h - ISO/IEC 7816-4 §5.1 command and response APDUs, short and extended length, for both
 * the terminal (encode a command, parse a response) and the virtual chip (parse a command).
 *
 * Le is kept as the number of bytes asked for: 0 = no Le field, 1..256 short, 1..65536 extended
 * (on the wire 256 is 00 and 65536 is 00 00).
 */
#ifndef CCCD_EMRTD_APDU_H
#define CCCD_EMRTD_APDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define APDU_SHORT_LC_MAX 255u
#define APDU_SHORT_LE_MAX 256u
#define APDU_EXT_LC_MAX	  65535u
#define APDU_EXT_LE_MAX	  65536u

/* Status words the eMRTD code reacts to (ISO/IEC 7816-4 §5.6). */
#define APDU_SW_OK	     0x9000u
#define APDU_SW_EOF_WARN     0x6282u /* end of file reached before Le bytes */
#define APDU_SW_AUTH_FAILED  0x6300u /* verification / authentication failed */
#define APDU_SW_WRONG_LENGTH 0x6700u /* wrong length (Lc or Le) */
#define APDU_SW_SM_MISSING   0x6987u /* expected SM data objects missing */
#define APDU_SW_SM_WRONG     0x6988u /* SM data objects incorrect */
#define APDU_SW_SECURITY     0x6982u /* security status not satisfied */
#define APDU_SW_NOT_FOUND    0x6A82u /* file or application not found */
#define APDU_SW_WRONG_P1P2   0x6B00u /* offset beyond the end of the file */
#define APDU_SW_INS_UNKNOWN  0x6D00u /* instruction not supported */

struct apdu {
	uint8_t cla;
	uint8_t ins;
	uint8_t p1;
	uint8_t p2;
	const uint8_t *data; /* Lc bytes (NULL when lc is 0) */
	size_t lc;	     /* 0..65535 */
	size_t le;	     /* 0 = absent, else 1..65536 bytes expected */
	bool extended;	     /* force extended-length encoding even when short would do */
};

struct apdu_resp {
	const uint8_t *data; /* into the parsed buffer */
	size_t len;
	uint16_t sw;
};

/* Encode a (cases 1-4, short unless extended is set or a length needs it) into out; 0, or
 * -CCCD_ERANGE for lengths no APDU can carry, -CCCD_ENOSPC if cap is too small. */
int apdu_encode(const struct apdu *a, uint8_t *out, size_t cap, size_t *out_len,
		struct cccd_err *err);

/* Parse a command APDU (chip side); out->data points into buf. -CCCD_EFORMAT on any length
 * inconsistency, with the byte offset. */
int apdu_cmd_parse(const uint8_t *buf, size_t len, struct apdu *out, struct cccd_err *err);

/* Split a response into data and SW1 SW2; -CCCD_EFORMAT when shorter than 2 bytes. */
int apdu_resp_parse(const uint8_t *buf, size_t len, struct apdu_resp *out, struct cccd_err *err);

/* One data object in an APDU data field (SM DOs 85/87/97/99/8E, 7C dynamic authentication data):
 * a one-byte tag and a BER length of 1 (00-7F), 2 (81 xx) or 3 (82 xx xx) bytes, read with
 * doc/tlv and held to the shortest length form; value points into the parsed buffer. */
struct apdu_do {
	uint8_t tag;
	const uint8_t *value;
	size_t len;
	size_t off; /* where the DO starts in buf */
};

/* Read the DO at buf[*off] and advance *off past it: 1 read, 0 at the end of buf, -CCCD_EFORMAT
 * (with the byte offset) for a multi-byte tag, the indefinite or another length form than the
 * three above, a length not in its shortest form (81 05), or a value that runs past len. */
int apdu_do_next(const uint8_t *buf, size_t len, size_t *off, struct apdu_do *out,
		 struct cccd_err *err);

/* Bytes a DO header (tag + length) takes for a value of len bytes (len <= 65535). */
size_t apdu_do_hdr_len(size_t len);

/* Append tag, length and value (value NULL: header only, the caller fills len bytes) at
 * out[*pos], advancing *pos; -CCCD_ENOSPC when it does not fit, -CCCD_ERANGE past 65535. */
int apdu_do_put(uint8_t *out, size_t cap, size_t *pos, uint8_t tag, const uint8_t *value,
		size_t len, struct cccd_err *err);

/* 9000 (and nothing else) means success. */
bool apdu_sw_ok(uint16_t sw);

/* 61xx: more bytes available; *avail = xx (0 means 256). */
bool apdu_sw_more(uint16_t sw, size_t *avail);

/* 6Cxx: wrong Le, *exact = xx (0 means 256) is the length to ask again with. */
bool apdu_sw_wrong_le(uint16_t sw, size_t *exact);

/* Map a non-9000 SW to a -CCCD_E* code: 6300/6982 EAUTH, 6A82 ENOENT, 6700 ERANGE, 6987/6988
 * ECHECK, 6D00/6E00/6A81 ENOTSUP, others ESW. 0 for 9000. */
int apdu_sw_code(uint16_t sw);

/* Short English text for sw ("file not found"); never NULL. */
const char *apdu_sw_str(uint16_t sw);

#endif
