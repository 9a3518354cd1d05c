/* SPDX-License-Identifier: MIT */
/* fuzz_vchip_process.c - the virtual chip as a hostile terminal sees it: any sequence of command
 * APDUs (input = [length byte][APDU]...) after a power-up. Every answer carries SW1 SW2, fits
 * VCHIP_RESP_MAX, and an error status word carries no data. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nfc/vchip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char dataset[] = "[person]\nfull_name = Nguyễn Văn An\nbirth_date = 2000-02-01\n"
			      "sex = M\nid_number = 001200012345\nissue_date = 2025-03-01\n"
			      "expiry_date = 2040-02-01\n[chip]\nsm_required = no\n"
			      "photo_bytes = 34000\nmax_le = 4096\n";

static struct vchip *chip;
static uint8_t resp[VCHIP_RESP_MAX];

static void setup(void)
{
	struct vchip_dataset ds;

	chip = malloc(sizeof(*chip));
	assert(chip);
	assert(vchip_dataset_parse((const uint8_t *)dataset, sizeof(dataset) - 1, "fuzz", &ds,
				   NULL) == 0);
	assert(vchip_open(chip, &ds, NULL) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i = 0;

	if (!chip)
		setup();
	vchip_reset(chip);
	while (i < size) {
		size_t len = data[i++];
		size_t n = 0;
		unsigned sw;

		if (len > size - i)
			len = size - i;
		assert(vchip_process(chip, data + i, len, resp, sizeof(resp), &n) == 0);
		assert(n >= 2 && n <= sizeof(resp));
		sw = (unsigned)resp[n - 2] << 8 | resp[n - 1];
		if (sw != 0x9000 && (sw & 0xff00) != 0x6200)
			assert(n == 2);
		i += len;
	}
	return 0;
}
