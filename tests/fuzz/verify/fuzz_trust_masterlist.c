/* SPDX-License-Identifier: MIT */
/*
 * fuzz_trust_masterlist.c - trust_masterlist_parse (CMS SignedData around a CscaMasterList), its
 * certificate iterator, and each listed certificate through pa_cert_parse. Invariants on success:
 * the iterator yields exactly n_certs SEQUENCEs, each inside certList.
 */
#include <assert.h>
#include <stdint.h>

#include "verify/trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trust_ml ml;
	struct cms_blob cert;
	size_t pos = 0, n = 0;

	if (trust_masterlist_parse(data, size, &ml, NULL) == 0) {
		while (trust_ml_next(&ml, &pos, &cert) == 1) {
			struct pa_cert c;

			assert(cert.p >= ml.certlist.p &&
			       cert.p + cert.len <= ml.certlist.p + ml.certlist.len);
			assert(cert.p[0] == 0x30);
			if (pa_cert_parse(cert.p, cert.len, &c, NULL) == 0)
				pa_cert_free(&c);
			n++;
		}
		assert(n == ml.n_certs && pos == ml.certlist.len);
	}
	trust_ml_free(&ml);
	return 0;
}
