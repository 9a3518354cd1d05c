/* SPDX-License-Identifier: MIT */
/*
 * cccdqr.h - the QR code printed on Vietnamese chip ID cards (CCCD, and the 2024 Căn cước card).
 *
 * Payload: seven '|'-separated UTF-8 fields (docs/formats/cccd-qr.md)
 *   ID12|oldID9 or empty|full name|birth ddmmyyyy|Nam or Nữ|address|issue ddmmyyyy
 * The 2024 card appends further fields (often empty): kept raw, counted, never a failure.
 * Text fields come out NFC, whatever normalisation the encoder used.
 */
#ifndef CCCD_DOC_CCCDQR_H
#define CCCD_DOC_CCCDQR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "doc/date.h"

#define CCCDQR_FIELDS	 7   /* fields of the CCCD payload; more are the 2024 extras */
#define CCCDQR_EXTRA_MAX 8   /* extra trailing fields accepted (7 + 8 = 15 fields at most) */
#define CCCDQR_EXTRA_LEN 128 /* bytes per kept extra field, NUL included */
#define CCCDQR_NAME_MAX	 256 /* bytes of the NFC full name, NUL included */
#define CCCDQR_ADDR_MAX	 512 /* bytes of the NFC address, NUL included (real ones pass 127) */

struct cccdqr {
	char id[13];			 /* 12 digits */
	char old_id[10];		 /* 9 digits, or "" when the card has none */
	char full_name[CCCDQR_NAME_MAX]; /* NFC, non-empty */
	struct cccd_date birth_date;
	char sex;		       /* 'M' (Nam) or 'F' (Nữ) */
	char address[CCCDQR_ADDR_MAX]; /* NFC, the residence; may be empty */
	struct cccd_date issue_date;   /* not before birth_date */
	bool id_consistent;	       /* ID digits 4-6 agree with sex, century and birth year */
	uint8_t n_extra;	       /* extra trailing fields (2024 card), 0..CCCDQR_EXTRA_MAX */
	char extra[CCCDQR_EXTRA_MAX][CCCDQR_EXTRA_LEN]; /* raw UTF-8 as received, may be "" */
};

/* Parse one QR payload (a leading UTF-8 BOM and one trailing \n or \r\n are tolerated). 0, or
 * -CCCD_EFORMAT with "field N (name) at byte B: reason" in err; out is zeroed on failure.
 * An ID whose structure disagrees with birth date and sex is not an error: id_consistent=false. */
int cccdqr_parse(const uint8_t *buf, size_t len, struct cccdqr *out, struct cccd_err *err);

/* True when the 12-digit id's gender/century digit and year digits agree with birth and sex
 * (FIELD-NOTES: province(3) + gender/century(1) + birth year(2) + serial(6)). */
bool cccdqr_id_consistent(const char *id, const struct cccd_date *birth, char sex);

#endif
