/* SPDX-License-Identifier: MIT */
/* fuzz_pace_ga.c - pace_ga_parse on hostile GENERAL AUTHENTICATE data; byte 0 is the wanted tag.
 * On success the found object has that tag and lies inside the 7C object, which fills the input. */
#include <assert.h>
#include <stdint.h>

#include "emrtd/pace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apdu_do d;
	const uint8_t *buf = data + 1;
	size_t len = size - 1;

	if (size < 1 || pace_ga_parse(buf, len, data[0], &d, NULL))
		return 0;
	assert(d.tag == data[0] && buf[0] == 0x7C);
	assert(d.value > buf && d.len <= len && (size_t)(d.value - buf) <= len - d.len);
	return 0;
}
