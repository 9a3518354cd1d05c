/* SPDX-License-Identifier: MIT */
/*
 * fuzz_pa_cert.c - pa_cert_parse (mbedTLS plus the explicit-EC-parameters rewrite) and what the
 * trust store does with a certificate: fingerprint, listing fields, a self-signature check.
 * Invariants on success: the kept DER equals the input, the TBS lies inside it, key identifiers
 * are short, and parsing again gives the same fingerprint.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "verify/cert.h"
#include "verify/trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pa_cert c, d;
	struct trust_info info;
	uint8_t f1[32], f2[32];

	if (pa_cert_parse(data, size, &c, NULL))
		return 0;
	assert(c.der_len == size && !memcmp(c.der, data, size));
	assert(c.tbs_off < size && c.tbs_len <= size - c.tbs_off);
	assert(c.ski.len <= size && c.aki.len <= size);
	pa_cert_fingerprint(&c, f1);
	trust_info(&c, &info);
	assert(strlen(info.fingerprint) == 64);
	(void)pa_cert_check_sig(&c, &c, NULL);
	assert(pa_cert_parse(data, size, &d, NULL) == 0);
	pa_cert_fingerprint(&d, f2);
	assert(!memcmp(f1, f2, 32) && d.explicit_curve == c.explicit_curve);
	pa_cert_free(&d);
	pa_cert_free(&c);
	return 0;
}
