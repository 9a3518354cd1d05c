/* SPDX-License-Identifier: MIT */
/*
 * vchip_sod.h - EF.SOD for the virtual chip (ICAO 9303-10 §4.6.2): an LDSSecurityObject over the
 * data groups' SHA-256 hashes, wrapped in CMS SignedData (RFC 5652) signed by the test DS.
 */
#ifndef CCCD_VCHIP_SOD_H
#define CCCD_VCHIP_SOD_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/pk.h>

#include "core/err.h"

#define VCHIP_SOD_MAX	 8192 /* EF.SOD with a 2048-bit RSA DS certificate and 16 hashes fits */
#define VCHIP_SOD_MAX_DG 16

/* One data group to hash: its number (1..16) and its whole file (tag, length, value). */
struct vchip_dg_ref {
	unsigned num;
	const uint8_t *data;
	size_t len;
};

/* The signer: the DS key and its DER certificate (embedded in the SignedData). */
struct vchip_signer {
	mbedtls_pk_context *key;
	const uint8_t *cert;
	size_t cert_len;
	const char *seed; /* signing randomness (DRBG seed); same seed, same bytes */
};

/* Write the LDSSecurityObject (version 0, SHA-256, one DataGroupHash per dg in the order given:
 * pass them sorted by number) into out; 0 and *len, or -CCCD_ENOSPC / -CCCD_EINVAL. */
int vchip_lds_so_write(const struct vchip_dg_ref *dgs, size_t n, uint8_t *out, size_t cap,
		       size_t *len, struct cccd_err *err);

/* Write EF.SOD = 77 L ContentInfo(SignedData) over dgs[0..n) into out; 0 and *len. */
int vchip_sod_build(const struct vchip_dg_ref *dgs, size_t n, const struct vchip_signer *signer,
		    uint8_t *out, size_t cap, size_t *len, struct cccd_err *err);

#endif
