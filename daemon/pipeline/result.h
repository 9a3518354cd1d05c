/* SPDX-License-Identifier: MIT */
/*
 * result.h - the RESULT object of ARCHITECTURE.md §5 from a complete card read and its checks.
 * Absent means unknown: keys without a value are omitted, never null. Person text comes from
 * DG13 (Vietnamese, NFC); mrz_name, nationality and doc_number from DG1.
 */
#ifndef CCCD_PIPELINE_RESULT_H
#define CCCD_PIPELINE_RESULT_H

#include <stdbool.h>
#include <cjson/cJSON.h>

#include "core/err.h"
#include "pipeline/card_read.h"
#include "pipeline/checks.h"

struct pres_result_in {
	const char *device;		  /* the reader URI */
	const struct pres_card *card;	  /* complete */
	const struct pres_checks *checks; /* pres_verify of card */
	bool from_qr, from_mrz;		  /* sources besides the chip */
	unsigned ms_key, ms_total;	  /* key derivation; whole read */
};

/* Build the RESULT into *out (the caller cJSON_Delete()s it). 0, -CCCD_ESTATE for an incomplete
 * read (nothing is built), or -CCCD_ENOMEM. */
int pres_result_build(const struct pres_result_in *in, cJSON **out, struct cccd_err *err);

/* "pace", "bac" or NULL. */
const char *pres_access_str(enum emrtd_access a);

#endif
