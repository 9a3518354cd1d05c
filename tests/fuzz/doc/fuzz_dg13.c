/* SPDX-License-Identifier: MIT */
/*
 * fuzz_dg13.c - libFuzzer target for dg13_parse (daemon/doc/dg13.c).
 * Invariants on success: dg13_build accepts the struct, and parsing what it built gives the same
 * struct (minus the unknown field numbers, which the builder does not write); building that again
 * gives the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc/dg13.h"

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

#define OUT_MAX 8192 /* far above what the struct's bounded fields can need */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg13 a, b;
	uint8_t out1[OUT_MAX], out2[OUT_MAX];
	size_t n1 = 0, n2 = 0;

	if (dg13_parse(data, size, &a, NULL))
		return 0;
	CHECK(a.n_unknown <= DG13_UNKNOWN_MAX && a.raw16_len <= DG13_RAW_MAX);
	CHECK(dg13_build(&a, out1, sizeof(out1), &n1, NULL) == 0);
	CHECK(dg13_parse(out1, n1, &b, NULL) == 0);
	memset(a.unknown, 0, sizeof(a.unknown));
	a.n_unknown = 0;
	CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	CHECK(dg13_build(&b, out2, sizeof(out2), &n2, NULL) == 0);
	CHECK(n1 == n2 && memcmp(out1, out2, n1) == 0);
	return 0;
}
