/* SPDX-License-Identifier: MIT */
/*
 * fuzz_ca_dg14.c - ca_dg14_parse. Invariants on success: counts within CA_MAX_INFOS, every SPKI
 * span inside the input and starting with a SEQUENCE, OIDs within bounds, the AA hash a known
 * one or NONE, and a second parse of the same bytes gives the same result.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "verify/ca.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ca_dg14 a, b;

	if (ca_dg14_parse(data, size, &a, NULL) != 0)
		return 0;
	assert(a.n_info <= CA_MAX_INFOS && a.n_key <= CA_MAX_INFOS);
	for (size_t i = 0; i < a.n_info; i++)
		assert(a.info[i].oid_len == 10 && a.info[i].cipher <= EMRTD_CIPHER_AES256);
	for (size_t i = 0; i < a.n_key; i++) {
		const struct ca_pubkey *k = &a.key[i];

		assert(k->spki >= data && k->spki_len >= 2 && k->spki + k->spki_len <= data + size);
		assert(k->spki[0] == 0x30 && k->off == (size_t)(k->spki - data));
	}
	assert(a.aa_md == MBEDTLS_MD_NONE || mbedtls_md_info_from_type(a.aa_md));
	assert(ca_dg14_parse(data, size, &b, NULL) == 0);
	assert(b.n_info == a.n_info && b.n_key == a.n_key && b.n_other == a.n_other);
	assert(!memcmp(a.info, b.info, sizeof(a.info)) && b.has_aa == a.has_aa);
	return 0;
}
