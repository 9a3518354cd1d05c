/* SPDX-License-Identifier: MIT */
/*
 * card_read.c - one card read (ICAO 9303-10 §4.6 LDS1 files, 9303-11 §4 access control): keys
 * tried in order, then EF.COM, DG1, DG13, EF.SOD, DG14, DG15 and, last and only when asked, DG2.
 * EF.COM of the virtual CCCD (ICAO 9303-10 §4.6.1, tag list 5C):
 *   60 18 5F01 04 "0107" 5F36 06 "040000" 5C 06 61 75 63 6D 6E 6F   -> DG1 DG2 DG3 DG13 DG14 DG15
 * DG3 is listed on CCCD chips but answers 6982 (terminal authentication): it is never read.
 * DG4..DG12 and DG16 are not read (no CCCD carries what this product needs in them).
 * All-or-nothing: any error wipes what was read; `complete` is set by the last statement.
 */
#include <string.h>

#include <mbedtls/platform_util.h>

#include "doc/tlv.h"
#include "pipeline/card_read.h"

/* LDS application tags of DG1..DG16 (ICAO 9303-10 Table 34). */
static const uint8_t dg_tags[16] = {0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68,
				    0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70};

static const uint8_t file_dg[PRES_FILES] = {
    [PRES_COM] = 0,   [PRES_DG1] = 1,	[PRES_DG13] = 13, [PRES_SOD] = 0,
    [PRES_DG14] = 14, [PRES_DG15] = 15, [PRES_DG2] = 2,
};

unsigned pres_file_dg(enum pres_file f)
{
	return (unsigned)f < PRES_FILES ? file_dg[f] : 0;
}

uint8_t *pres_card_file(struct pres_card *c, enum pres_file f, size_t *cap)
{
	switch (f) {
	case PRES_COM:
		*cap = sizeof(c->com);
		return c->com;
	case PRES_DG1:
		*cap = sizeof(c->dg1);
		return c->dg1;
	case PRES_DG13:
		*cap = sizeof(c->dg13);
		return c->dg13;
	case PRES_SOD:
		*cap = sizeof(c->sod);
		return c->sod;
	case PRES_DG14:
		*cap = sizeof(c->dg14);
		return c->dg14;
	case PRES_DG15:
		*cap = sizeof(c->dg15);
		return c->dg15;
	case PRES_DG2:
		*cap = sizeof(c->dg2);
		return c->dg2;
	default:
		*cap = 0;
		return NULL;
	}
}

void pres_card_wipe(struct pres_card *c)
{
	for (int f = 0; f < PRES_FILES; f++) {
		size_t cap;
		uint8_t *b = pres_card_file(c, (enum pres_file)f, &cap);

		mbedtls_platform_zeroize(b, cap); /* a failed read leaves bytes past len */
		c->len[f] = 0;
	}
	c->complete = false;
	c->auth_done = false;
	memset(&c->aa, 0, sizeof(c->aa));
	memset(&c->ca, 0, sizeof(c->ca));
	c->read = 0;
	c->listed = 0;
	c->access = EMRTD_ACCESS_NONE;
}

static int dg_of_tag(uint8_t tag)
{
	for (int i = 0; i < 16; i++)
		if (dg_tags[i] == tag)
			return i + 1;
	return 0;
}

int pres_com_parse(const uint8_t *buf, size_t len, uint32_t *dgs, struct cccd_err *err)
{
	struct tlv com, list;
	int rc = tlv_expect(buf, len, 0x60, 0, &com, err);

	*dgs = 0;
	if (!rc)
		rc = tlv_find(com.value, com.len, 0x5C, 0, &list, err);
	if (rc == -CCCD_ENOENT)
		return cccd_err_set(err, -CCCD_EFORMAT, "card_read", "EF.COM: no tag list (5C)");
	if (rc)
		return rc;
	for (size_t i = 0; i < list.len; i++) {
		int dg = dg_of_tag(list.value[i]);

		if (!dg)
			return cccd_err_set(err, -CCCD_EFORMAT, "card_read",
					    "EF.COM tag list byte %zu: %02X is no DG tag", i,
					    list.value[i]);
		*dgs |= 1u << dg;
	}
	return 0;
}

/* A key refusal: the chip said no to this key (6300/6982), or has no PACE for a CAN; the next
 * key may be right. A check that fails on our side (a bad PACE token or point, a bad MAC) is no
 * refusal: the chip accepted something, the exchange was altered, and no other key mends that. */
static bool refused(int rc, const struct emrtd_key *k)
{
	return rc == -CCCD_EAUTH || (k->is_can && rc == -CCCD_ENOTSUP);
}

static int open_any(struct emrtd_session *s, const struct emrtd_key *keys, size_t n,
		    struct pres_card *out, struct cccd_err *err)
{
	int rc = cccd_err_set(err, -CCCD_EINVAL, "card_read", "no access key");

	for (size_t i = 0; i < n && i < PRES_KEYS_MAX; i++) {
		out->stats.key_attempts++;
		rc = emrtd_open(s, &keys[i], err);
		if (!rc) {
			out->key_index = (unsigned)i;
			out->access = s->access;
			return 0;
		}
		if (!refused(rc, &keys[i]))
			break;
	}
	return rc;
}

static int read_one(struct emrtd_session *s, struct pres_card *out, enum pres_file f,
		    struct cccd_err *err)
{
	static const uint16_t fid[PRES_FILES] = {
	    [PRES_COM] = EMRTD_FID_COM,	    [PRES_DG1] = EMRTD_FID_DG(1),
	    [PRES_DG13] = EMRTD_FID_DG(13), [PRES_SOD] = EMRTD_FID_SOD,
	    [PRES_DG14] = EMRTD_FID_DG(14), [PRES_DG15] = EMRTD_FID_DG(15),
	    [PRES_DG2] = EMRTD_FID_DG(2),
	};
	static const uint8_t sfi[PRES_FILES] = {
	    [PRES_COM] = 0x1E,	[PRES_DG1] = 0x01,  [PRES_DG13] = 0x0D, [PRES_SOD] = 0x1D,
	    [PRES_DG14] = 0x0E, [PRES_DG15] = 0x0F, [PRES_DG2] = 0x02,
	};
	size_t cap;
	uint8_t *buf = pres_card_file(out, f, &cap);
	int rc = emrtd_read_file(s, fid[f], sfi[f], buf, cap, &out->len[f], err);

	if (!rc)
		out->read |= 1u << file_dg[f];
	return rc;
}

static bool link_failed(int code)
{
	return code == -CCCD_ENOCARD || code == -CCCD_EIO || code == -CCCD_ETIMEOUT;
}

/* Active authentication (DG15, hash from DG14's ActiveAuthenticationInfo), then chip
 * authentication (DG14), before DG2: AA runs under the access-control keys, and a chip that
 * fails CA leaves no usable session, so DG2 is then not read. Outcomes, not errors -- except a
 * card that left or a link that failed meanwhile: that is the read's error (no RESULT). */
static int authenticate(struct emrtd_session *s, struct pres_card *out, struct cccd_err *err)
{
	mbedtls_md_type_t md = MBEDTLS_MD_NONE;
	unsigned long apdus = s->counters.apdus;
	unsigned long bytes = s->counters.bytes_out + s->counters.bytes_in;
	struct ca_dg14 d;

	if (out->len[PRES_DG14] && !ca_dg14_parse(out->dg14, out->len[PRES_DG14], &d, NULL) &&
	    d.has_aa)
		md = d.aa_md;
	aa_run(s, out->len[PRES_DG15] ? out->dg15 : NULL, out->len[PRES_DG15], md, &out->aa);
	if (!link_failed(out->aa.code))
		ca_run(s, out->len[PRES_DG14] ? out->dg14 : NULL, out->len[PRES_DG14], &out->ca);
	/* Kept apart so the file reading's overhead (issue 3) is measured without the AA/CA keys.
	 */
	out->stats.apdus_auth = s->counters.apdus - apdus;
	out->stats.bytes_auth = s->counters.bytes_out + s->counters.bytes_in - bytes;
	if (link_failed(out->aa.code) || link_failed(out->ca.code))
		return cccd_err_set(err, link_failed(out->aa.code) ? out->aa.code : out->ca.code,
				    "card_read", "link lost during %s authentication: %s",
				    link_failed(out->aa.code) ? "active" : "chip",
				    link_failed(out->aa.code) ? out->aa.reason : out->ca.reason);
	out->auth_done = true;
	return 0;
}

/* The files after EF.COM, in reading order; authentication; DG2 last. */
static int read_files(struct emrtd_session *s, const struct pres_read_opts *opts,
		      struct pres_card *out, struct cccd_err *err)
{
	static const enum pres_file order[] = {PRES_DG1,  PRES_DG13, PRES_SOD,
					       PRES_DG14, PRES_DG15, PRES_DG2};
	int rc = read_one(s, out, PRES_COM, err);

	if (!rc)
		rc = pres_com_parse(out->com, out->len[PRES_COM], &out->listed, err);
	for (size_t i = 0; !rc && i < sizeof(order) / sizeof(order[0]); i++) {
		enum pres_file f = order[i];

		if (f == PRES_DG2 && !(opts && opts->no_auth) && (rc = authenticate(s, out, err)))
			break;
		if (f == PRES_DG2 && (!(opts && opts->want_dg2) || s->lost))
			continue;
		if (file_dg[f] && !(out->listed & (1u << file_dg[f])))
			continue;
		rc = read_one(s, out, f, err);
	}
	return rc;
}

static void stats_take(const struct emrtd_session *s, struct pres_stats *st)
{
	st->apdus = s->counters.apdus;
	st->bytes_out = s->counters.bytes_out;
	st->bytes_in = s->counters.bytes_in;
	st->le_fallbacks = s->counters.le_fallbacks;
	st->ms_access = s->counters.ms_access;
	st->ms_read = s->counters.ms_read;
}

int pres_read(struct emrtd_session *s, const struct emrtd_key *keys, size_t n,
	      const struct pres_read_opts *opts, struct pres_card *out, struct cccd_err *err)
{
	int rc;

	memset(out->len, 0, sizeof(out->len));
	pres_card_wipe(out);
	memset(&out->stats, 0, sizeof(out->stats));
	out->key_index = 0;
	s->whole_first = true; /* a whole first chunk: one APDU less per file (docs/reading.md) */
	rc = open_any(s, keys, n, out, err);
	out->stats.apdus_access = s->counters.apdus;
	out->stats.bytes_access = s->counters.bytes_out + s->counters.bytes_in;
	out->stats.access_ok = rc == 0;
	if (!rc)
		rc = read_files(s, opts, out, err);
	stats_take(s, &out->stats);
	if (rc || !opts || !opts->keep_open || opts->want_dg2)
		emrtd_close(s);
	if (rc) {
		pres_card_wipe(out);
		return rc;
	}
	out->complete = true;
	return 0;
}

int pres_read_photo(struct emrtd_session *s, struct pres_card *out, struct cccd_err *err)
{
	int rc = 0;

	if (!out->complete)
		rc = cccd_err_set(err, -CCCD_ESTATE, "card_read", "photo: no complete read");
	else if ((out->listed & (1u << 2)) && !s->lost)
		rc = read_one(s, out, PRES_DG2, err);
	stats_take(s, &out->stats);
	emrtd_close(s);
	if (rc) {
		size_t cap = 0;
		uint8_t *b = pres_card_file(out, PRES_DG2, &cap);

		mbedtls_platform_zeroize(b, cap);
		out->len[PRES_DG2] = 0;
	}
	return rc;
}
