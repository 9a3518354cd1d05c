/* SPDX-License-Identifier: MIT */
/*
 * card_read.h - one card read over an emrtd session: access control with the first key the chip
 * accepts, then the fast path EF.COM, DG1, DG13, EF.SOD, DG14, DG15 (only the DGs EF.COM lists;
 * DG3 is never asked for: it needs terminal authentication) and DG2 last when asked.
 *
 * Everything lands in a caller-owned struct of fixed buffers (no malloc in the card path).
 * `complete` is set only after the last file was read; on any failure it stays false, every
 * length is 0 and the bytes read so far are wiped: partial data is never usable.
 */
#ifndef CCCD_PIPELINE_CARD_READ_H
#define CCCD_PIPELINE_CARD_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "emrtd/emrtd.h"
#include "verify/aa.h"
#include "verify/ca.h"

#define PRES_KEYS_MAX 12 /* keys tried in one read (CAN + QR expiry candidates) */

/* The files of one read, in the order they are read. */
enum pres_file {
	PRES_COM,
	PRES_DG1,
	PRES_DG13,
	PRES_SOD,
	PRES_DG14,
	PRES_DG15,
	PRES_DG2,
	PRES_FILES
};

#define PRES_COM_MAX  64
#define PRES_DG1_MAX  128
#define PRES_DG13_MAX 4096
#define PRES_SOD_MAX  8192
#define PRES_DG14_MAX 2048
#define PRES_DG15_MAX 1024
#define PRES_DG2_MAX  65536

struct pres_stats {
	unsigned long apdus;	    /* all command APDUs of the read, access control included */
	unsigned long apdus_access; /* of which before the first file read */
	unsigned long bytes_out;    /* command bytes */
	unsigned long bytes_in;	    /* response bytes incl. SW */
	unsigned long bytes_access; /* command + response bytes before the first file read */
	unsigned long apdus_auth;   /* active + chip authentication, after the files but DG2 */
	unsigned long bytes_auth;   /* their command + response bytes */
	unsigned long le_fallbacks; /* 6700/6Cxx retries */
	unsigned key_attempts;	    /* keys tried until one was accepted */
	bool access_ok;		    /* a key was accepted (a later failure is not the key's) */
	unsigned ms_access;	    /* access control (all attempts) */
	unsigned ms_read;	    /* file reads */
};

struct pres_card {
	bool complete;		  /* set last: the only sign the rest may be used */
	enum emrtd_access access; /* how access was gained */
	unsigned key_index;	  /* which of the keys given was accepted */
	uint32_t listed;	  /* bit n: EF.COM lists DGn */
	uint32_t read;		  /* bit n: DGn was read (bit 0: EF.SOD) */
	bool auth_done;		  /* active and chip authentication were run (aa, ca hold them) */
	struct aa_result aa;	  /* active authentication (DG15), issue 4 */
	struct ca_result ca;	  /* chip authentication (DG14), issue 4 */
	struct pres_stats stats;
	size_t len[PRES_FILES]; /* bytes of each file, 0 when not read */
	uint8_t com[PRES_COM_MAX];
	uint8_t dg1[PRES_DG1_MAX];
	uint8_t dg13[PRES_DG13_MAX];
	uint8_t sod[PRES_SOD_MAX];
	uint8_t dg14[PRES_DG14_MAX];
	uint8_t dg15[PRES_DG15_MAX];
	uint8_t dg2[PRES_DG2_MAX];
};

struct pres_read_opts {
	bool want_dg2;	/* read the portrait (last) when EF.COM lists it */
	bool no_auth;	/* skip active and chip authentication (tests of the reading alone) */
	bool keep_open; /* without want_dg2: leave the session open for pres_read_photo() */
};

/* The buffer of file f in c (its capacity in *cap), NULL for an unknown f. */
uint8_t *pres_card_file(struct pres_card *c, enum pres_file f, size_t *cap);

/* The DG number of file f (0 for EF.COM and EF.SOD). */
unsigned pres_file_dg(enum pres_file f);

/* Parse EF.COM's tag list (5C) into a DG bitmap (bit n: DGn). 0 or -CCCD_EFORMAT. */
int pres_com_parse(const uint8_t *buf, size_t len, uint32_t *dgs, struct cccd_err *err);

/* Read the card on s (emrtd_init done by the caller; this sets s->whole_first, docs/reading.md)
 * and close the session: access control trying keys[0..n) in order
 * until one is accepted (only refusals move on to the next key: -CCCD_EAUTH, and -CCCD_ENOTSUP
 * for a CAN on a chip without PACE), then
 * the files. 0 with out->complete, or the first error (out wiped, complete false). */
int pres_read(struct emrtd_session *s, const struct emrtd_key *keys, size_t n,
	      const struct pres_read_opts *opts, struct pres_card *out, struct cccd_err *err);

/* After pres_read with keep_open: read DG2 (when EF.COM lists it and the session survived
 * authentication) into out, then close the session. 0 (out->len[PRES_DG2] may stay 0) or the
 * read's error; out's other files stay as they were. */
int pres_read_photo(struct emrtd_session *s, struct pres_card *out, struct cccd_err *err);

/* Wipe every byte read and clear complete. */
void pres_card_wipe(struct pres_card *c);

#endif
