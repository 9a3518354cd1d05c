/* SPDX-License-Identifier: MIT */
/*
 * vietqr.h - VietQR (NAPAS 247 bank transfer, EMVCo merchant-presented QR) parser and builder.
 *
 * A payload is a run of EMVCo data objects: 2-digit id, 2-digit decimal length (01..99), value.
 * 00 = "01" comes first, 63 = CRC-16/CCITT-FALSE in 4 hex digits comes last; the beneficiary sits
 * in 38 { 00 GUID A000000727, 01 { 00 BIN, 01 account or card }, 02 QRIBFTTA | QRIBFTTC }.
 * The parse result is a fixed-size struct: every string is NUL-terminated inside its array.
 * docs/formats/vietqr.md lists what is accepted and rejected.
 */
#ifndef CCCD_DOC_VIETQR_H
#define CCCD_DOC_VIETQR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "doc/vietqr_banks.h"

#define VIETQR_MAX_LEN	   512 /* longest payload accepted, in bytes */
#define VIETQR_MAX_VALUE   99  /* longest value of one data object */
#define VIETQR_MAX_ACCOUNT 19  /* account or card number, characters */
#define VIETQR_MAX_AMOUNT  13  /* EMVCo tag 54 */
#define VIETQR_MAX_PURPOSE 25  /* NAPAS tag 62.08 */
#define VIETQR_MAX_EXTRA   8   /* kept top-level tags we do not interpret */
#define VIETQR_MAX_EXTRA62 8   /* kept tag-62 sub-tags other than 08 */

enum vietqr_service {
	VIETQR_TO_ACCOUNT = 1, /* QRIBFTTA */
	VIETQR_TO_CARD = 2,    /* QRIBFTTC */
};

/* One data object kept as received (id and value), e.g. 52 "5999" or 62.05 reference label. */
struct vietqr_field {
	char id[3];
	char value[VIETQR_MAX_VALUE + 1];
};

struct vietqr {
	bool dynamic;			      /* tag 01 = 12; 11 or absent = static */
	bool has_initiation;		      /* tag 01 was present (EMVCo makes it optional) */
	char bank_bin[7];		      /* 38.01.00, 6 digits */
	const struct vietqr_bank *bank;	      /* NULL when the BIN is not in the table */
	char account[VIETQR_MAX_ACCOUNT + 1]; /* 38.01.01 */
	enum vietqr_service service;	      /* 38.02 */
	char amount[VIETQR_MAX_AMOUNT + 1];   /* 54 as written ("50000", "1200.50"); "" = none */
	char merchant_name[VIETQR_MAX_VALUE + 1];	 /* 59; "" = none */
	char merchant_city[VIETQR_MAX_VALUE + 1];	 /* 60; "" = none */
	char purpose[VIETQR_MAX_PURPOSE + 1];		 /* 62.08; "" = none */
	struct vietqr_field extra62[VIETQR_MAX_EXTRA62]; /* other 62 sub-tags, in payload order */
	size_t n_extra62;
	struct vietqr_field extra[VIETQR_MAX_EXTRA]; /* unknown top-level tags, in payload order */
	size_t n_extra;
	uint16_t crc; /* tag 63, verified */
};

/* What vietqr_build() encodes. NULL or "" strings are absent; currency 704 and country VN are
 * always written. Extra fields must not reuse an id the builder writes itself. */
struct vietqr_req {
	const char *bank_bin;
	const char *account;
	enum vietqr_service service;
	bool dynamic;
	bool no_initiation; /* omit tag 01; only to re-encode a payload that had none */
	const char *amount;
	const char *merchant_name;
	const char *merchant_city;
	const char *purpose;
	const struct vietqr_field *extra62;
	size_t n_extra62;
	const struct vietqr_field *extra;
	size_t n_extra;
};

/* Parse and check one VietQR payload of exactly len bytes (no trailing newline). 0, or
 * -CCCD_EFORMAT (structure, field value) / -CCCD_ECHECK (CRC) with "tag ID at byte N: reason". */
int vietqr_parse(const uint8_t *buf, size_t len, struct vietqr *out, struct cccd_err *err);

/* Write the payload for req into out (NUL-terminated), fields in ascending id order, CRC in upper
 * case. 0, -CCCD_EINVAL for a field the parser would reject, or -CCCD_ENOSPC. */
int vietqr_build(const struct vietqr_req *req, char *out, size_t outlen, struct cccd_err *err);

/* Fill req so that vietqr_build() encodes the fields of v (req points into v). */
void vietqr_req_from(const struct vietqr *v, struct vietqr_req *req);

/* CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor) of buf. */
uint16_t vietqr_crc16(const uint8_t *buf, size_t len);

/* "account" or "card". */
const char *vietqr_service_name(enum vietqr_service s);

#endif
