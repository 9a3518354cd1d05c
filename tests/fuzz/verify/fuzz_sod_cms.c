/* SPDX-License-Identifier: MIT */
/*
 * fuzz_sod_cms.c - sod_cms_parse (CMS ContentInfo / SignedData, BER) with a small eContent
 * buffer. Invariants on success: every span inside the input or the eContent buffer, counts in
 * bounds, and the first signer has contentType and messageDigest attributes.
 */
#include <assert.h>
#include <stdint.h>

#include "verify/sod.h"

static struct cms c;
static uint8_t ebuf[512];

static int inside(const uint8_t *data, size_t size, const struct cms_blob *x)
{
	return x->p >= data && x->len <= size && x->p + x->len <= data + size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (sod_cms_parse(data, size, &c, ebuf, sizeof(ebuf), NULL))
		return 0;
	assert(c.n_certs <= CMS_MAX_CERTS && c.n_signers >= 1 && c.n_signers <= CMS_MAX_SIGNERS);
	assert(inside(data, size, &c.econtent_type));
	assert(inside(data, size, &c.econtent) || (c.econtent.p == ebuf && c.econtent.len <= 512));
	assert(c.si.content_type.p && c.si.message_digest.p);
	assert(inside(data, size, &c.si.content_type) && inside(data, size, &c.si.message_digest));
	for (size_t i = 0; i < c.n_certs; i++)
		assert(inside(data, size, &c.certs[i]) && c.certs[i].p[0] == 0x30);
	return 0;
}
