/* SPDX-License-Identifier: MIT */
/* fuzz_vchip_apdu.c - the chip's command APDU parser on any bytes: on success the fields account
 * for every byte (ISO/IEC 7816-4 §5.1 case layout) and the data lies inside the buffer. */
#include <assert.h>
#include <stdint.h>

#include "nfc/vchip_apdu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vchip_apdu a;
	size_t want = 4;

	if (vchip_apdu_parse(data, size, &a, NULL))
		return 0;
	if (a.lc)
		want += (a.extended ? 3 : 1) + a.lc;
	if (a.has_le)
		want += a.extended ? (a.lc ? 2 : 3) : 1;
	assert(want == size);
	assert(a.cla == data[0] && a.ins == data[1] && a.p1 == data[2] && a.p2 == data[3]);
	assert(!a.lc || (a.data > data && a.data + a.lc <= data + size));
	assert(!a.has_le || (a.le >= 1 && a.le <= (a.extended ? 65536u : 256u)));
	assert(a.lc <= (a.extended ? 65535u : 255u));
	return 0;
}
