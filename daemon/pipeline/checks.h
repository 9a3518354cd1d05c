/* SPDX-License-Identifier: MIT */
/*
 * checks.h - what a completed card read proves: DG1 (mrz_parse), DG13 (dg13_parse), the DG2
 * portrait, passive authentication (pa.h), the cross-checks (DG1 against DG13; the chip against
 * the QR and the MRZ the key came from) and the verdict (verify/verdict.h).
 * Active and chip authentication are the read's (pres_card.aa/ca) when it ran them, else the
 * caller's (absent until done).
 */
#ifndef CCCD_PIPELINE_CHECKS_H
#define CCCD_PIPELINE_CHECKS_H

#include <stdbool.h>

#include "doc/cccdqr.h"
#include "doc/dg13.h"
#include "doc/dg2.h"
#include "doc/mrz.h"
#include "pipeline/card_read.h"
#include "verify/pa.h"
#include "verify/trust.h"
#include "verify/verdict.h"

#define PRES_XFAIL_MAX 8
#define PRES_XFAIL_LEN 128

enum pres_match { PRES_MATCH_UNCHECKED = -1, PRES_MATCH_NO = 0, PRES_MATCH_YES = 1 };

struct pres_verify_in {
	const struct trust_store *trust; /* NULL: nothing trusted (checks.passive untrusted) */
	long long now;			 /* Unix time for certificate validity */
	struct cccd_date today;		 /* for the MRZ birth century */
	const struct cccdqr *qr;	 /* the QR the key came from, or NULL */
	const struct mrz *mrz;		 /* the MRZ the key came from, or NULL */
	bool mrz_ocr;			 /* mrz is a camera's: check-digit fields only */
	enum verdict_auth active;	 /* active authentication, when done */
	enum verdict_auth chip;		 /* chip authentication, when done */
};

struct pres_checks {
	bool has_mrz, has_dg13, has_photo;
	struct mrz mrz;	  /* DG1 */
	struct dg13 dg13; /* DG13 */
	struct dg2 photo; /* points into the card's dg2 buffer */
	struct pa_result pa;
	enum verdict_auth active, chip;
	enum pres_match qr_match, mrz_match;
	size_t n_xfail; /* failed cross-checks, reasons without personal data */
	char xfail[PRES_XFAIL_MAX][PRES_XFAIL_LEN];
	struct verdict_out verdict;
	unsigned ms_verify;
};

/* Check a complete read c. 0, or -CCCD_ESTATE when c is not complete (nothing is checked).
 * A DG that does not parse is a failed cross-check (verdict failed), not an error. */
int pres_verify(const struct pres_card *c, const struct pres_verify_in *in, struct pres_checks *out,
		struct cccd_err *err);

/* "M", "F" or NULL for DG13's sex wording ("Nam", "Nữ"). */
const char *pres_dg13_sex(const char *s);

#endif
