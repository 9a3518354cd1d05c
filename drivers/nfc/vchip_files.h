/* SPDX-License-Identifier: MIT */
/*
 * vchip_files.h - the virtual chip's elementary files, built from a dataset: EF.CardAccess, EF.COM,
 * DG1, DG2, DG3, DG13, DG14, DG15 and EF.SOD (signed by the TEST-ONLY PKI), plus the chip's own
 * private keys for active and chip authentication.
 */
#ifndef CCCD_VCHIP_FILES_H
#define CCCD_VCHIP_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/pk.h>

#include "core/err.h"
#include "nfc/vchip_dataset.h"
#include "nfc/vchip_pki.h"

enum vchip_ef {
	VCHIP_EF_CARDACCESS = 0,
	VCHIP_EF_COM,
	VCHIP_EF_DG1,
	VCHIP_EF_DG2,
	VCHIP_EF_DG3,
	VCHIP_EF_DG13,
	VCHIP_EF_DG14,
	VCHIP_EF_DG15,
	VCHIP_EF_SOD,
	VCHIP_EF_COUNT
};

#define VCHIP_ARENA 98304 /* all files together: DG2 up to 60000 + 46 + headers, SOD, ... */

struct vchip_file {
	uint16_t fid;
	uint8_t sfi;
	bool in_mf;    /* EF.CardAccess: readable before the application is selected, without SM */
	bool needs_ta; /* DG3: terminal authentication, which the chip does not offer: 6982 */
	const uint8_t *data; /* into the arena; NULL when the file does not exist */
	size_t len;
};

struct vchip_files {
	struct vchip_file ef[VCHIP_EF_COUNT];
	char mrz[91];		   /* the 3 x 30 TD1 lines, no newlines */
	mbedtls_pk_context aa_key; /* what INTERNAL AUTHENTICATE signs with */
	mbedtls_pk_context ca_key; /* what chip authentication agrees with */
	struct vchip_pki pki;	   /* the CSCA and DS behind EF.SOD */
	uint8_t arena[VCHIP_ARENA];
	size_t used;
};

/* Build every file from ds. On error nothing needs freeing; else call vchip_files_free(). */
int vchip_files_build(struct vchip_files *fs, const struct vchip_dataset *ds, struct cccd_err *err);

/* Free the keys (safe twice). */
void vchip_files_free(struct vchip_files *fs);

/* The file with this FID, or with this short EF identifier; NULL when none. */
const struct vchip_file *vchip_files_by_fid(const struct vchip_files *fs, uint16_t fid);
const struct vchip_file *vchip_files_by_sfi(const struct vchip_files *fs, uint8_t sfi);

/* Write the TD1 MRZ of person p (3 lines of 30, no newlines, NUL-terminated) into out[91]. */
int vchip_mrz_td1(const struct vchip_person *p, char out[91], struct cccd_err *err);

#endif
