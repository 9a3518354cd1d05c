/* SPDX-License-Identifier: MIT */
/*
 * vchip.h - the virtual CCCD chip: takes command APDUs, answers response APDUs, as a real chip
 * would (ISO/IEC 7816-4 file commands, ICAO 9303-11 access control). State lives in struct vchip;
 * link_sim.c owns one per opened link.
 */
#ifndef CCCD_VCHIP_H
#define CCCD_VCHIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/hmac_drbg.h>

#include "core/err.h"
#include "nfc/vchip_auth.h"
#include "nfc/vchip_dataset.h"
#include "nfc/vchip_files.h"

#define VCHIP_AID_LEN  7
#define VCHIP_RESP_MAX (65536u + 2)

enum vchip_access { VCHIP_PLAIN = 0, VCHIP_BAC, VCHIP_PACE };

struct vchip {
	struct vchip_dataset ds;
	struct vchip_files fs;
	mbedtls_hmac_drbg_context rng; /* challenges and nonces; seeded from the ID: reproducible */
	bool app_selected;
	const struct vchip_file *cur; /* current EF, NULL before a SELECT */
	enum vchip_access access;     /* VCHIP_PLAIN until BAC or PACE succeeds */
	uint8_t challenge[8];	      /* last GET CHALLENGE */
	bool challenge_valid;
	unsigned long commands;	 /* APDUs processed since power-on */
	struct vchip_auth auth;	 /* BAC / PACE / CA state and the secure-messaging session */
	uint8_t cmd_plain[4096]; /* a protected command's plaintext data */
	uint8_t resp_plain[VCHIP_RESP_MAX]; /* the answer before secure messaging wraps it */
};

/* Build the chip from a parsed dataset (copied). On error nothing needs freeing. */
int vchip_open(struct vchip *c, const struct vchip_dataset *ds, struct cccd_err *err);

/* Free what vchip_open made. */
void vchip_close(struct vchip *c);

/* Power cycle: deselect, forget any session (what a card does when it leaves the field). */
void vchip_reset(struct vchip *c);

/* Process one command APDU; the response (data + SW1 SW2) goes into resp[0..cap), cap at least
 * VCHIP_RESP_MAX. Always answers (a malformed APDU gets 6700); 0, or -CCCD_EINVAL for a small cap.
 */
int vchip_process(struct vchip *c, const uint8_t *cmd, size_t len, uint8_t *resp, size_t cap,
		  size_t *resp_len);

#endif
