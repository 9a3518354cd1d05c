/* SPDX-License-Identifier: MIT */
/*
 * dg13.h - DG13, the Vietnamese CCCD's own data group (personal data in Vietnamese, UTF-8).
 *
 *   6D L { 30 L { 02 01 01                    version 1
 *                 06 06 28 D3 16 01 00 08     OID 1.0.10646.1.0.8
 *                 31 L { 30 L { 02 01 NN  value... } ... } } }   one SEQUENCE per field NN
 *
 * Fields are found by number, never by position: the SET is not DER-sorted on real cards and
 * addresses over 127 bytes shift every later byte. Text is validated as UTF-8 and stored NFC,
 * NUL-terminated, in fixed buffers; text longer than its buffer is rejected with the field number.
 */
#ifndef CCCD_DOC_DG13_H
#define CCCD_DOC_DG13_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "doc/date.h"

enum dg13_field {
	DG13_ID = 1,	      /* 12-digit personal ID */
	DG13_FULL_NAME = 2,   /* UTF8String */
	DG13_BIRTH_DATE = 3,  /* dd/mm/yyyy */
	DG13_SEX = 4,	      /* "Nam" / "Nữ" */
	DG13_NATIONALITY = 5, /* "Việt Nam" */
	DG13_ETHNICITY = 6,   /* "Kinh" */
	DG13_RELIGION = 7,    /* "Không" */
	DG13_ORIGIN = 8,      /* place of origin (quê quán) */
	DG13_RESIDENCE = 9,   /* place of residence, often > 127 bytes */
	DG13_MARKS = 10,      /* identifying marks */
	DG13_ISSUE_DATE = 11, /* dd/mm/yyyy */
	DG13_EXPIRY = 12,     /* dd/mm/yyyy, or text such as "Không thời hạn" */
	DG13_PARENTS = 13,    /* father, mother */
	DG13_SPOUSE = 14,     /* spouse, or only the number when there is none */
	DG13_OLD_ID = 15,     /* old 9-digit ID, may be empty */
	DG13_UNKNOWN16 = 16,  /* meaning unknown: kept as raw bytes */
	DG13_FIELD_MAX = 16
};

#define DG13_ID_MAX	 16 /* buffer sizes in bytes, NUL included */
#define DG13_NAME_MAX	 128
#define DG13_SHORT_MAX	 64  /* sex, nationality, ethnicity, religion, expiry text */
#define DG13_ADDR_MAX	 512 /* place of origin, residence */
#define DG13_MARKS_MAX	 256
#define DG13_RAW_MAX	 128 /* field 16, raw bytes after its number */
#define DG13_UNKNOWN_MAX 16  /* field numbers outside 1..16 remembered (and skipped) */

struct dg13 {
	uint32_t version; /* the leading INTEGER (1 on every card seen) */
	uint32_t present; /* bit n set when field n (1..16) was on the card */
	char id[DG13_ID_MAX];
	char full_name[DG13_NAME_MAX];
	struct cccd_date birth_date;
	char sex[DG13_SHORT_MAX];
	char nationality[DG13_SHORT_MAX];
	char ethnicity[DG13_SHORT_MAX];
	char religion[DG13_SHORT_MAX];
	char place_of_origin[DG13_ADDR_MAX];
	char residence[DG13_ADDR_MAX];
	char identifying_marks[DG13_MARKS_MAX];
	struct cccd_date issue_date;
	bool expiry_is_date; /* else expiry_text holds what the card says */
	struct cccd_date expiry_date;
	char expiry_text[DG13_SHORT_MAX];
	char father[DG13_NAME_MAX];
	char mother[DG13_NAME_MAX];
	char spouse[DG13_NAME_MAX];  /* "" when the card has none */
	char old_id[DG13_ID_MAX];    /* "" when empty */
	uint8_t raw16[DG13_RAW_MAX]; /* field 16: the bytes after its INTEGER, as on the card */
	size_t raw16_len;
	uint32_t unknown[DG13_UNKNOWN_MAX]; /* numbers of unknown fields, in card order */
	size_t n_unknown;
};

/* True when field n (1..16) was present. */
bool dg13_has(const struct dg13 *d, enum dg13_field n);

/* The ICAO sex code of DG13's sex field: 'M' for "Nam", 'F' for "Nữ", 0 for anything else. */
char dg13_sex_code(const struct dg13 *d);

/* Zero d and set version 1: the start for filling a struct by hand before dg13_build(). */
void dg13_init(struct dg13 *d);

/* Parse the DG13 file buf[0..len) (tag 6D, nothing after it). 0, or -CCCD_EFORMAT / -CCCD_ERANGE
 * with the field number and byte offset in err. Missing fields are fine (their bit is clear);
 * unknown field numbers are recorded in out->unknown and skipped; a repeated number is an error. */
int dg13_parse(const uint8_t *buf, size_t len, struct dg13 *out, struct cccd_err *err);

/* Encode d as a card does: fields in number order (not DER-sorted), UTF8String text,
 * PrintableString digits and dates, and the no-spouse form 30 03 02 01 0E. Only the fields whose
 * present bit is set are written; unknown fields are not. 0 and *len, -CCCD_ENOSPC if cap is too
 * small, or -CCCD_EINVAL when a field of d is not valid (unterminated, bad UTF-8, bad date). */
int dg13_build(const struct dg13 *in, uint8_t *out, size_t cap, size_t *len, struct cccd_err *err);

#endif
