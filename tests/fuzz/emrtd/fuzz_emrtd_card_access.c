/* SPDX-License-Identifier: MIT */
/* fuzz_emrtd_card_access.c - emrtd_card_access_parse on hostile EF.CardAccess contents: a chosen
 * PACEInfo is always one this build can run (known OID, curve present). */
#include <assert.h>
#include <stdint.h>

#include "emrtd/emrtd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pace_config cfg;
	enum emrtd_cipher c;
	mbedtls_ecp_group_id g;

	if (emrtd_card_access_parse(data, size, &cfg, NULL))
		return 0;
	assert(cfg.oid_len <= PACE_OID_MAX);
	assert(pace_cipher_from_oid(cfg.oid, cfg.oid_len, &c, NULL) == 0);
	assert(pace_curve(cfg.param_id, &g, NULL) == 0);
	return 0;
}
