/* SPDX-License-Identifier: MIT */
/*
 * xcheck.h - cross-checks between what the chip says (DG1 MRZ, DG13) and what the camera or an
 * operator saw (the CCCD QR, the printed MRZ): the ID number, birth date, expiry and name. A
 * Vietnamese name meets an MRZ name after folding: diacritics removed (Đ -> D), upper case,
 * spaces collapsed; where the MRZ name field is full (ICAO 9303-3 §4.6 truncation) each MRZ name
 * part only has to be a prefix of the chip's. RESULT's checks.qr_match and checks.mrz_match.
 */
#ifndef CCCD_VERIFY_XCHECK_H
#define CCCD_VERIFY_XCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "doc/cccdqr.h"
#include "doc/dg13.h"
#include "doc/mrz.h"

#define XCHECK_REASONS_MAX 8
#define XCHECK_REASON_LEN  96
#define XCHECK_NAME_MAX	   256

enum xcheck_match {
	XCHECK_ABSENT = -1, /* that source was not seen (or the chip gave nothing to compare) */
	XCHECK_NO = 0,
	XCHECK_YES = 1,
};

struct xcheck_in {
	const struct mrz *dg1;	 /* the chip's DG1, NULL when not read or not parsed */
	const struct dg13 *dg13; /* the chip's DG13, NULL likewise */
	const struct cccdqr *qr; /* the QR seen, NULL when none */
	const struct mrz *mrz;	 /* the MRZ seen by the camera (or typed), NULL when none */
	bool mrz_ocr;		 /* mrz was read by a camera: its check-digit fields only */
};

struct xcheck_result {
	enum xcheck_match qr_match;  /* QR vs chip */
	enum xcheck_match mrz_match; /* camera MRZ vs chip */
	bool chip_consistent;	     /* DG1 and DG13 agree (true when one is missing) */
	size_t n;		     /* failed checks (all of them, even past the reasons' room) */
	char reasons[XCHECK_REASONS_MAX][XCHECK_REASON_LEN]; /* the first n, never the values */
};

/* Run every check whose two sides are present. */
void xcheck_run(const struct xcheck_in *in, struct xcheck_result *out);

/* Fold a UTF-8 name for MRZ comparison: marks stripped (Đ -> D), ASCII upper case, every run of
 * characters outside A-Z (space, '<', '-', '\'') one space, no leading/trailing space. Other
 * non-ASCII letters are kept (and will not match an MRZ). 0, or -CCCD_EFORMAT / -CCCD_ENOSPC. */
int xcheck_fold_name(const char *utf8, char *out, size_t cap, struct cccd_err *err);

/* True when the UTF-8 full name (chip DG13 or QR) is the name an MRZ m carries, with prefix
 * matching per name part when m's name field is full (possibly truncated). */
bool xcheck_name_matches_mrz(const char *full_name, const struct mrz *m);

/* "true"/"false" for the RESULT's booleans, NULL for absent (the key is then omitted). */
const char *xcheck_match_str(enum xcheck_match m);

#endif
