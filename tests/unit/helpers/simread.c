/* SPDX-License-Identifier: MIT */
/* simread.c - see simread.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "simread.h"
#include "nfc/vchip_pki.h"

#define CARDS "tests/fixtures/cards/"

void simread_dataset(const char *name, struct vchip_dataset *ds)
{
	char path[200];
	struct cccd_err e = {0};

	snprintf(path, sizeof(path), CARDS "%s", name);
	if (vchip_dataset_load(path, ds, &e))
		fail_msg("%s: %s: %s", path, e.where, e.msg);
}

void simread_key_mrz(const struct vchip_dataset *ds, struct emrtd_key *k)
{
	const struct vchip_person *p = &ds->person;

	memset(k, 0, sizeof(*k));
	memcpy(k->doc_number, p->id_number + 3, 9);
	date_to_yymmdd(&p->birth_date, k->birth);
	if (p->mrz_expiry[0])
		memcpy(k->expiry, p->mrz_expiry, 7);
	else
		date_to_yymmdd(&p->expiry_date, k->expiry);
}

void simread_key_can(const struct vchip_dataset *ds, struct emrtd_key *k)
{
	memset(k, 0, sizeof(*k));
	k->is_can = true;
	memcpy(k->can, ds->person.id_number + 6, 6);
}

void simread_open(struct card_link *link, const char *name, const char *knobs)
{
	char uri[256];
	struct cccd_err e = {0};

	memset(link, 0, sizeof(*link));
	snprintf(uri, sizeof(uri), "sim:" CARDS "%s%s", name, knobs ? knobs : "");
	if (card_link_open(link, uri, &e))
		fail_msg("%s: %s: %s", uri, e.where, e.msg);
}

/* Deterministic randomness for repeatable APDU counts; never used outside tests. */
static int xrng(void *ctx, unsigned char *buf, size_t len)
{
	unsigned long long *x = ctx;

	for (size_t i = 0; i < len; i++) {
		*x ^= *x << 13;
		*x ^= *x >> 7;
		*x ^= *x << 17;
		buf[i] = (unsigned char)(*x >> 32);
	}
	return 0;
}

int simread_read(struct card_link *link, struct emrtd_session *s, const struct emrtd_key *keys,
		 size_t n, bool dg2, bool ext, struct pres_card *c, struct cccd_err *err)
{
	static unsigned long long seed = 0x9E3779B97F4A7C15ull;
	struct pres_read_opts o = {.want_dg2 = dg2};

	emrtd_init(s, link, xrng, &seed, ext ? 65472 : 0);
	return pres_read(s, keys, n, &o, c, err);
}

void simread_trust(const struct vchip_dataset *ds, struct trust_store *ts)
{
	struct vchip_pki pki;
	struct cccd_err e = {0};

	memset(&pki, 0, sizeof(pki));
	trust_init(ts);
	if (vchip_pki_build(&pki, &ds->chip.pki, &e))
		fail_msg("pki: %s", e.msg);
	if (trust_add_der(ts, pki.csca_cert, pki.csca_cert_len, &e))
		fail_msg("trust: %s", e.msg);
	vchip_pki_free(&pki);
}
