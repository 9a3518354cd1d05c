/* SPDX-License-Identifier: MIT */
/* fuzz_pn532_frame.c - pn532_frame_parse: a parsed frame lies inside the input, and an information
 * frame re-encodes (pn532_frame_build) to one that parses to the same TFI and data. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "nfc/pn532_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t out[PN532_FRAME_MAX];
	struct pn532_frame f, g;
	size_t n;

	if (pn532_frame_parse(data, size, &f, NULL)) {
		assert(f.used <= size);
		assert(f.need == 0 || f.need > size);
		return 0;
	}
	assert(f.used >= 5 && f.used <= size); /* "00 FF" FF 00 00: the leading 00 is optional */
	if (f.kind != PN532_FRAME_INFO && f.kind != PN532_FRAME_ERROR)
		return 0;
	assert(f.data >= data && f.data + f.len <= data + size);
	assert(pn532_frame_build(f.tfi, f.data, f.len, out, sizeof(out), &n, NULL) == 0);
	assert(pn532_frame_parse(out, n, &g, NULL) == 0);
	assert(g.used == n && g.tfi == f.tfi && g.len == f.len && !memcmp(g.data, f.data, f.len));
	return 0;
}
