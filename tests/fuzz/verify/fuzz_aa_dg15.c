/* SPDX-License-Identifier: MIT */
/*
 * fuzz_aa_dg15.c - aa_dg15_parse, then aa_check of a fixed challenge against the rest of the input
 * as a signature. Invariants: on success the key is RSA or EC, re-encoding it and parsing that
 * again (wrapped in 6F) gives the same key bytes; a signature made of fuzz bytes never verifies
 * (a forged AA signature would be a finding), and aa_check never reads past what it was given.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "verify/aa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void reencode(mbedtls_pk_context *pk)
{
	static uint8_t der[2048], again[2048];
	mbedtls_pk_context b;
	int n, m;

	n = mbedtls_pk_write_pubkey_der(pk, der + 4, sizeof(der) - 4);
	assert(n > 0 && n <= 0xffff);
	memmove(der + 4, der + 4 + sizeof(der) - 4 - (size_t)n, (size_t)n);
	der[0] = 0x6f;
	der[1] = 0x82;
	der[2] = (uint8_t)(n >> 8);
	der[3] = (uint8_t)n;
	mbedtls_pk_init(&b);
	assert(aa_dg15_parse(der, (size_t)n + 4, &b, NULL) == 0);
	m = mbedtls_pk_write_pubkey_der(&b, again, sizeof(again));
	assert(m == n && !memcmp(again + sizeof(again) - m, der + 4, (size_t)n));
	mbedtls_pk_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t challenge[AA_CHALLENGE_LEN] = {1, 2, 3, 4, 5, 6, 7, 8};
	mbedtls_pk_context pk;
	size_t split = size ? data[0] % (size + 1) : 0;

	mbedtls_pk_init(&pk);
	if (aa_dg15_parse(data, size, &pk, NULL) == 0) {
		mbedtls_pk_type_t t = mbedtls_pk_get_type(&pk);

		assert(t == MBEDTLS_PK_RSA || t == MBEDTLS_PK_ECKEY);
		reencode(&pk);
		assert(aa_check(&pk, MBEDTLS_MD_NONE, challenge, data, size, NULL) != 0);
	}
	mbedtls_pk_free(&pk);
	mbedtls_pk_init(&pk);
	if (split && aa_dg15_parse(data, split, &pk, NULL) == 0)
		assert(aa_check(&pk, MBEDTLS_MD_SHA1, challenge, data + split, size - split,
				NULL) != 0);
	mbedtls_pk_free(&pk);
	return 0;
}
