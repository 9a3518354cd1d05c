/* SPDX-License-Identifier: MIT */
/*
 * emrtd.h - one chip session over a card_link: access control (PACE, falling back to BAC), the
 * LDS1 application, secure-messaged file reads at the largest safe Le, and counters.
 *
 * The session owns its APDU buffers (no malloc in the card path); allocate it once per reader.
 * Randomness comes from the rng given to emrtd_init, never from a global.
 */
#ifndef CCCD_EMRTD_EMRTD_H
#define CCCD_EMRTD_EMRTD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "card_link.h"
#include "core/err.h"
#include "emrtd/apdu.h"
#include "emrtd/crypto.h"
#include "emrtd/pace.h"
#include "emrtd/sm.h"

#define EMRTD_FID_CARD_ACCESS 0x011Cu
#define EMRTD_SFI_CARD_ACCESS 0x1Cu
#define EMRTD_FID_COM	      0x011Eu
#define EMRTD_FID_SOD	      0x011Du
#define EMRTD_FID_DG(n)	      (0x0100u + (n)) /* DG1..DG16 = 0101..0110 */
#define EMRTD_CARD_ACCESS_MAX 512

enum emrtd_access {
	EMRTD_ACCESS_NONE,
	EMRTD_ACCESS_BAC,
	EMRTD_ACCESS_PACE,
};

/* The access key: MRZ fields (for PACE-MRZ and BAC) or a CAN (PACE only). */
struct emrtd_key {
	bool is_can;
	char doc_number[23]; /* as printed in the MRZ, without check digit */
	char birth[7];	     /* YYMMDD */
	char expiry[7];	     /* YYMMDD */
	char can[13];	     /* digits */
};

struct emrtd_counters {
	unsigned long apdus;	    /* command APDUs sent in this session */
	unsigned long bytes_out;    /* command bytes */
	unsigned long bytes_in;	    /* response bytes incl. SW */
	unsigned long le_fallbacks; /* 6700/6Cxx retries */
	unsigned ms_access;	    /* time in access control */
	unsigned ms_read;	    /* time in file reads */
};

struct emrtd_session {
	struct card_link *link;
	emrtd_rng_fn rng;
	void *rng_ctx;
	enum emrtd_access access;
	bool sm_on;
	bool lost; /* SM failed mid-session: every further command is refused */
	struct sm_ctx sm;
	size_t max_le; /* chunk size; lowered on 6700 */
	size_t ext_le; /* 0, or the chunk size to use with extended-length APDUs */
	struct emrtd_counters counters;
	uint8_t cmd[320];		  /* one command APDU */
	uint8_t resp[CARD_LINK_MAX_RESP]; /* one response APDU */
};

/* Prepare s for a card on link (counters reset); ext_le > 0 enables extended reads of that size
 * when card_link_max_apdu() says the link carries them. */
void emrtd_init(struct emrtd_session *s, struct card_link *link, emrtd_rng_fn rng, void *rng_ctx,
		size_t ext_le);

/* Send a (under SM when on), get the plaintext response data (cap bytes) and the SW.
 * 61xx is followed with GET RESPONSE when not under SM. */
int emrtd_transmit(struct emrtd_session *s, const struct apdu *a, uint8_t *data, size_t cap,
		   size_t *len, uint16_t *sw, struct cccd_err *err);

/* Pick the first PACEInfo (version 2, ECDH-GM, a curve we have) from EF.CardAccess contents into
 * cfg (oid, param_id); -CCCD_ENOENT if none is usable. */
int emrtd_card_access_parse(const uint8_t *buf, size_t len, struct pace_config *cfg,
			    struct cccd_err *err);

/* Read EF.CardAccess by SFI, falling back to SELECT 011C + READ BINARY; -CCCD_ENOENT if absent. */
int emrtd_read_card_access(struct emrtd_session *s, uint8_t *buf, size_t cap, size_t *len,
			   struct cccd_err *err);

/* Access control: PACE when EF.CardAccess offers it, else (or when PACE is refused as
 * unsupported) BAC with the MRZ key; then SELECT the LDS1 application. */
int emrtd_open(struct emrtd_session *s, const struct emrtd_key *key, struct cccd_err *err);

/* Read a whole EF (fid; by SFI when sfi != 0) into buf: 4 header bytes first, then chunks of the
 * largest safe Le; odd-INS READ BINARY past offset 32767. -CCCD_ENOSPC when the file's own
 * length exceeds cap (nothing is read beyond), -CCCD_EFORMAT for a file shorter than it claims. */
int emrtd_read_file(struct emrtd_session *s, uint16_t fid, uint8_t sfi, uint8_t *buf, size_t cap,
		    size_t *len, struct cccd_err *err);

/* Wipe keys and end the session (the link stays open). */
void emrtd_close(struct emrtd_session *s);

#endif
