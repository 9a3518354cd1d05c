/* SPDX-License-Identifier: MIT */
/*
 * cccdqr_keys.h - chip access keys from a parsed card QR: the CAN for PACE, and for BAC/PACE-MRZ
 * the document number, birth date and an ordered list of candidate expiry dates.
 *
 * The QR carries no expiry. The Law on Identification fixes it from the birth and issue dates:
 * cards renew at 14 (2024 card), 25, 40 and 60; a card issued within 2 years before a renewal age
 * runs to the next one; from 58 on it never expires. Candidates, most likely first:
 *   1. the rule's date (the birthday at the renewal age, as cards print it)
 *   2. the other renewal age when the issue date sits exactly on the 2-year boundary
 *   3. the day before each of those; 1 March for 29 February births in common years
 *   4. for a card with no expiry: what its MRZ might hold (unconfirmed): "<<<<<<", then 991231
 * See docs/formats/cccd-qr.md for worked examples.
 */
#ifndef CCCD_DOC_CCCDQR_KEYS_H
#define CCCD_DOC_CCCDQR_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "doc/cccdqr.h"
#include "doc/date.h"

#define CCCDQR_MAX_CAND 8
#define CCCDQR_SEED_LEN 25 /* docno(9) cd dob(6) cd exp(6) cd + NUL */

enum cccdqr_cand_why {
	CCCDQR_WHY_RULE,       /* the renewal rule's expiry */
	CCCDQR_WHY_BOUNDARY,   /* issue date exactly at the 2-year boundary: the other reading */
	CCCDQR_WHY_DAY_BEFORE, /* the day before a computed expiry */
	CCCDQR_WHY_LEAP,       /* 1 March instead of 28 February for a 29 February birth */
	CCCDQR_WHY_NO_EXPIRY,  /* a guess at the MRZ of a card without expiry (unconfirmed) */
};

struct cccdqr_expiry {
	bool has_date;			/* false for the "<<<<<<" filler */
	struct cccd_date date;		/* valid when has_date */
	char yymmdd[7];			/* as the MRZ would carry it */
	char bac_seed[CCCDQR_SEED_LEN]; /* MRZ information for BAC / PACE-MRZ */
	enum cccdqr_cand_why why;
};

struct cccdqr_access {
	char doc_number[10];  /* last 9 digits of the ID (the MRZ document number) */
	char can[7];	      /* last 6 digits of the ID (PACE card access number) */
	char birth_yymmdd[7]; /* birth date as the MRZ carries it */
	int renew_age; /* age the rule says the card runs to: 14, 25, 40, 60; 0 = no expiry */
	size_t n;      /* candidates in cand[], 1..CCCDQR_MAX_CAND */
	struct cccdqr_expiry cand[CCCDQR_MAX_CAND]; /* most likely first */
};

/* Derive the access keys from qr. 0, or -CCCD_EINVAL (not a parsed QR: bad ID) or -CCCD_ERANGE
 * (issue before birth, dates past year 9999) with the reason in err; out is zeroed on failure. */
int cccdqr_keys(const struct cccdqr *qr, struct cccdqr_access *out, struct cccd_err *err);

#endif
