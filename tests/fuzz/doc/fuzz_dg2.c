/* SPDX-License-Identifier: MIT */
/*
 * fuzz_dg2.c - libFuzzer target for dg2_parse (daemon/doc/dg2.c).
 * Invariants on success: the image lies inside the input at image_off, starts with its format's
 * magic, and parsing again gives the same answer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc/dg2.h"

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg2 a, b;

	if (dg2_parse(data, size, &a, NULL))
		return 0;
	CHECK(a.image == data + a.image_off);
	CHECK(a.image_off <= size && a.image_len <= size - a.image_off && a.image_len >= 2);
	CHECK(a.format == DG2_JPEG ? a.image[0] == 0xFF && a.image[1] == 0xD8 : 1);
	CHECK(dg2_parse(data, size, &b, NULL) == 0 && memcmp(&a, &b, sizeof(a)) == 0);
	return 0;
}
