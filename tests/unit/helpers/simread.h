/* SPDX-License-Identifier: MIT */
/* simread.h - test helper: read a virtual CCCD (sim: link) with pres_read, keys from its dataset,
 * and the dataset's test CSCA as a trust store. Test code only. */
#ifndef CCCD_TEST_SIMREAD_H
#define CCCD_TEST_SIMREAD_H

#include <stdbool.h>

#include "card_link.h"
#include "nfc/vchip_dataset.h"
#include "pipeline/card_read.h"
#include "verify/trust.h"

/* Load tests/fixtures/cards/<name>; fails the test if it does not load. */
void simread_dataset(const char *name, struct vchip_dataset *ds);

/* The MRZ key (doc number, birth, expiry as the MRZ prints them) and the CAN of ds. */
void simread_key_mrz(const struct vchip_dataset *ds, struct emrtd_key *k);
void simread_key_can(const struct vchip_dataset *ds, struct emrtd_key *k);

/* Open "sim:tests/fixtures/cards/<name><knobs>" on link (fails the test if it cannot). */
void simread_open(struct card_link *link, const char *name, const char *knobs);

/* emrtd_init (deterministic RNG, extended chunks when ext) and pres_read on an open link. */
int simread_read(struct card_link *link, struct emrtd_session *s, const struct emrtd_key *keys,
		 size_t n, bool dg2, bool ext, struct pres_card *c, struct cccd_err *err);

/* A trust store holding the CSCA of ds's [pki] (the TEST-ONLY PKI). */
void simread_trust(const struct vchip_dataset *ds, struct trust_store *ts);

#endif
