/* SPDX-License-Identifier: MIT */
/*
 * vietqr_banks.h - the VietQR bank table: acquirer BIN (tag 38.01.00) -> bank names.
 *
 * The data lives in daemon/doc/vietqr_banks.tsv; tools/tsv2c-banks.sh checks it (6-digit BINs,
 * sorted, no duplicates) and turns it into build/gen/vietqr_banks.c at build time, so adding a
 * bank is a one-line data change. The table is sorted by BIN for bsearch.
 */
#ifndef CCCD_DOC_VIETQR_BANKS_H
#define CCCD_DOC_VIETQR_BANKS_H

#include <stddef.h>

struct vietqr_bank {
	char bin[7];		/* 6 digits */
	const char *short_name; /* "Vietcombank" */
	const char *name;	/* full legal name, UTF-8 */
};

/* The bank whose BIN is bin (a 6-digit string), or NULL when it is not in the table. */
const struct vietqr_bank *vietqr_bank_find(const char *bin);

/* The whole table, sorted by BIN; *n receives the number of entries. */
const struct vietqr_bank *vietqr_bank_table(size_t *n);

#endif
