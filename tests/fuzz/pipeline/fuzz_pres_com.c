/* SPDX-License-Identifier: MIT */
/*
 * fuzz_pres_com.c - libFuzzer target for pres_com_parse (EF.COM tag list, daemon/pipeline).
 * Invariants on success: only DG bits 1..16 are set, and each set bit's LDS tag is in the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/card_read.h"

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t tags[16] = {0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68,
					 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70};
	uint32_t dgs;

	if (pres_com_parse(data, size, &dgs, NULL))
		return 0;
	CHECK((dgs & ~0x1FFFEu) == 0);
	for (int n = 1; n <= 16; n++)
		CHECK(!(dgs & (1u << n)) || memchr(data, tags[n - 1], size));
	return 0;
}
