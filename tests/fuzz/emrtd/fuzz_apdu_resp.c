/* SPDX-License-Identifier: MIT */
/* fuzz_apdu_resp.c - apdu_resp_parse and the SW helpers: data + SW cover exactly the input. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "emrtd/apdu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apdu_resp r;
	size_t v;

	if (apdu_resp_parse(data, size, &r, NULL))
		return 0;
	assert(size >= 2 && r.len == size - 2 && r.data == data);
	assert(r.sw == (uint16_t)(data[size - 2] << 8 | data[size - 1]));
	assert(apdu_sw_str(r.sw) != NULL);
	assert((apdu_sw_code(r.sw) == 0) == apdu_sw_ok(r.sw));
	if (apdu_sw_more(r.sw, &v) || apdu_sw_wrong_le(r.sw, &v))
		assert(v >= 1 && v <= 256);
	return 0;
}
