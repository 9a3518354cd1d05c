/* SPDX-License-Identifier: MIT */
/* fuzz_sm_dos.c - sm_dos_parse on hostile SM bodies: every located object lies inside the input,
 * DO8E is last and 8 bytes, and the MAC covers exactly the bytes before it. */
#include <assert.h>
#include <stdint.h>

#include "emrtd/sm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int inside(const uint8_t *p, size_t n, const uint8_t *buf, size_t len)
{
	return p >= buf && n <= len && (size_t)(p - buf) <= len - n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sm_dos d;

	if (sm_dos_parse(data, size, &d, NULL))
		return 0;
	assert(d.mac && d.mac_covered + 2 + 8 == size && d.mac == data + d.mac_covered + 2);
	assert(data[d.mac_covered] == 0x8E);
	assert(!d.crypt || (inside(d.crypt, d.crypt_len, data, d.mac_covered) && d.crypt_len));
	assert(!d.crypt || d.crypt_tag == 0x85 || d.crypt_tag == 0x87);
	assert(!d.le || (inside(d.le, d.le_len, data, d.mac_covered) && d.le_len >= 1));
	assert(!d.sw || inside(d.sw, 2, data, d.mac_covered));
	return 0;
}
