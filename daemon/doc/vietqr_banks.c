/* SPDX-License-Identifier: MIT */
/* vietqr_banks.c - see vietqr_banks.h. The table itself is generated from vietqr_banks.tsv. */
#include <stdlib.h>
#include <string.h>

#include "doc/vietqr_banks.h"

static int cmp_bin(const void *key, const void *elem)
{
	const struct vietqr_bank *b = elem;

	return strcmp(key, b->bin);
}

const struct vietqr_bank *vietqr_bank_find(const char *bin)
{
	size_t n;
	const struct vietqr_bank *t = vietqr_bank_table(&n);

	if (!bin || strlen(bin) != 6)
		return NULL;
	return bsearch(bin, t, n, sizeof(*t), cmp_bin);
}
