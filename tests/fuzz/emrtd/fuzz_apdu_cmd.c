/* SPDX-License-Identifier: MIT */
/* fuzz_apdu_cmd.c - apdu_cmd_parse: never reads past len; a parsed command re-encodes to the same
 * bytes (the coding of ISO/IEC 7816-4 §5.1 is canonical once the extended flag is kept). */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "emrtd/apdu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apdu a;
	uint8_t out[65544 + 4];
	size_t n;

	if (apdu_cmd_parse(data, size, &a, NULL))
		return 0;
	assert(a.lc <= APDU_EXT_LC_MAX && a.le <= APDU_EXT_LE_MAX);
	assert(!a.lc || (a.data >= data && a.data + a.lc <= data + size));
	assert(apdu_encode(&a, out, sizeof(out), &n, NULL) == 0);
	assert(n == size && memcmp(out, data, n) == 0);
	return 0;
}
