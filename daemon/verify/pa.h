/* SPDX-License-Identifier: MIT */
/*
 * pa.h - passive authentication (ICAO 9303-11 §5.1 and §9.8): are the data groups read from the
 * chip the ones the document signer signed, and does the signer chain to a trusted CSCA?
 * The outcome is RESULT's checks.passive (ARCHITECTURE.md §5).
 */
#ifndef CCCD_VERIFY_PA_H
#define CCCD_VERIFY_PA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "verify/cert.h"
#include "verify/sod.h"
#include "verify/trust.h"

enum pa_status {
	PA_OK,	      /* every read DG matches, signature valid, DS chains to a trusted CSCA */
	PA_FAILED,    /* a hash, the signature, the DS certificate or the SOD itself is wrong */
	PA_UNTRUSTED, /* the SOD is internally sound but no trusted CSCA issued its DS */
	PA_ABSENT,    /* no EF.SOD was read */
};

/* One data group as read from the chip: the whole file, tag and length included. */
struct pa_dg {
	unsigned dg; /* 1..16 */
	const uint8_t *buf;
	size_t len;
};

struct pa_result {
	enum pa_status status;
	char reason[160];	/* why not ok ("DG13 hash mismatch"); empty when ok */
	uint32_t dgs_ok;	/* bit n set: DGn hashed and matched the SOD */
	bool signature_ok;	/* the SOD signature verified with the DS key */
	char ds_subject[128];	/* the document signer's DN, when the SOD held one */
	char csca_subject[128]; /* the CSCA that issued it, when found */
};

/* Verify an EF.SOD (may be NULL/0: absent) against the data groups read and the trust store (may
 * be NULL: nothing trusted). now (Unix time) is used for certificate validity when the SOD has no
 * signingTime. Returns res->status; never fails otherwise. */
enum pa_status pa_verify(const uint8_t *sod, size_t sod_len, const struct pa_dg *dgs, size_t n_dgs,
			 const struct trust_store *ts, long long now, struct pa_result *res);

/* The RESULT spelling of a status: "ok", "failed", "untrusted", "absent". */
const char *pa_status_str(enum pa_status s);

/* Check a CMS signer: contentType attribute = eContentType, messageDigest = hash(eContent), and the
 * signature over the DER SET OF signed attributes with signer's key (RSA PKCS#1 v1.5, RSASSA-PSS,
 * ECDSA). 0 or -CCCD_ECHECK ("signature invalid", "messageDigest mismatch") / -CCCD_ENOTSUP. */
int pa_cms_check(const struct cms *cms, const struct pa_cert *signer, struct cccd_err *err);

/* True when certificate c is the one SignerInfo.sid names (issuer + serial, or key identifier). */
bool pa_sid_matches(const struct cms_signer *si, const struct pa_cert *c);

#endif
