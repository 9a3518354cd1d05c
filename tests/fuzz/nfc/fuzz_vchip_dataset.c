/* SPDX-License-Identifier: MIT */
/* fuzz_vchip_dataset.c - the virtual chip's dataset parser on any bytes: never reads past the
 * buffer; on success every checked field holds what the parser promises, and a second parse of
 * the same bytes gives the same struct. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "nfc/vchip_dataset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vchip_dataset a, b;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cccd_err err;

	if (vchip_dataset_parse(data, size, "fuzz.ini", &a, &err)) {
		assert(err.code < 0 && strncmp(err.where, "fuzz.ini:", 9) == 0);
		return 0;
	}
	assert(strlen(a.person.id_number) == 12);
	for (int i = 0; i < 12; i++)
		assert(a.person.id_number[i] >= '0' && a.person.id_number[i] <= '9');
	assert(a.person.sex == 'M' || a.person.sex == 'F');
	assert(a.person.full_name[0] != '\0');
	assert(date_valid(a.person.birth_date.y, a.person.birth_date.m, a.person.birth_date.d));
	assert(date_valid(a.person.issue_date.y, a.person.issue_date.m, a.person.issue_date.d));
	assert(a.chip.max_le >= 1 && a.chip.max_le <= 65536);
	assert(a.chip.photo_bytes >= 1000 && a.chip.photo_bytes <= 60000);
	assert(a.chip.pace || a.chip.bac || !a.chip.sm_required);
	assert(vchip_dataset_parse(data, size, "fuzz.ini", &b, NULL) == 0);
	assert(memcmp(&a, &b, sizeof(a)) == 0);
	return 0;
}
