/* SPDX-License-Identifier: MIT */
/*
 * fuzz_sod.c - sod_parse, then the whole of passive authentication on what it accepted.
 * Invariants on success: counts within their bounds, DG numbers 1..16 and unique, hash sizes equal
 * to the LDS algorithm's, every span inside the input (or the struct's eContent buffer), and a
 * second parse of the same bytes gives the same result.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "verify/pa.h"
#include "verify/sod.h"

static struct sod a, b;

static int inside(const uint8_t *data, size_t size, const struct cms_blob *x)
{
	return x->p >= data && x->len <= size && x->p + x->len <= data + size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pa_result res;
	uint32_t seen = 0;

	if (sod_parse(data, size, &a, NULL) == 0) {
		size_t hl = mbedtls_md_get_size(mbedtls_md_info_from_type(a.lds_md));

		assert(a.n_dg <= SOD_MAX_DG && a.cms.n_certs <= CMS_MAX_CERTS);
		assert(a.cms.n_signers >= 1 && a.cms.n_signers <= CMS_MAX_SIGNERS);
		for (size_t i = 0; i < a.n_dg; i++) {
			assert(a.dg[i].dg >= 1 && a.dg[i].dg <= 16 && !(seen & (1u << a.dg[i].dg)));
			seen |= 1u << a.dg[i].dg;
			assert(a.dg[i].len == hl);
		}
		for (size_t i = 0; i < a.cms.n_certs; i++)
			assert(inside(data, size, &a.cms.certs[i]));
		assert(inside(data, size, &a.cms.si.signed_attrs));
		assert(inside(data, size, &a.cms.si.signature));
		assert(inside(data, size, &a.cms.econtent) ||
		       (a.cms.econtent.p == a.ebuf && a.cms.econtent.len <= sizeof(a.ebuf)));
		assert(sod_parse(data, size, &b, NULL) == 0);
		assert(b.n_dg == a.n_dg && !memcmp(b.dg, a.dg, sizeof(a.dg)));
		assert(b.cms.econtent.len == a.cms.econtent.len);
	}
	pa_verify(data, size, NULL, 0, NULL, 0, &res);
	assert(res.status != PA_OK); /* nothing is trusted here */
	assert(memchr(res.reason, '\0', sizeof(res.reason)));
	return 0;
}
