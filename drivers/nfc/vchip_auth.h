/* SPDX-License-Identifier: MIT */
/*
 * vchip_auth.h - the virtual chip's access control and chip authentication (ICAO 9303-11 §4.3
 * BAC, §4.4 PACE GM, §6.2 CA), built on daemon/emrtd's role-neutral primitives. Each handler
 * takes a command with its protection removed and answers a status word plus data.
 */
#ifndef CCCD_VCHIP_AUTH_H
#define CCCD_VCHIP_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/ecp.h>

#include "core/err.h"
#include "emrtd/apdu.h"
#include "emrtd/bac.h"
#include "emrtd/pace.h"
#include "emrtd/sm.h"

struct vchip;

/* One PACE run in progress (GENERAL AUTHENTICATE steps 1-4). */
struct vchip_pace {
	int step; /* 0 idle, 1 after MSE:Set AT, 2 nonce sent, 3 mapped, 4 keys agreed */
	enum emrtd_cipher c;
	uint8_t kpi[EMRTD_KEY_MAX];
	uint8_t s[16]; /* the nonce */
	mbedtls_ecp_group grp;
	mbedtls_ecp_point gmap; /* G' */
	mbedtls_mpi d;		/* the chip's current private key */
	uint8_t pub_icc[PACE_POINT_MAX];
	size_t pub_icc_len;
	uint8_t pub_ifd[PACE_POINT_MAX];
	size_t pub_ifd_len;
	struct sm_ctx sm; /* keys agreed, live once the tokens check */
};

struct vchip_auth {
	struct sm_ctx sm; /* the live session when the chip's access is not plain */
	uint8_t kenc[16]; /* BAC keys from the MRZ */
	uint8_t kmac[16];
	char mrz_info[BAC_MRZ_INFO_MAX]; /* PACE-MRZ password */
	char can[7];			 /* PACE-CAN password: last 6 ID digits */
	struct vchip_pace pace;
	bool ca_ready;	     /* MSE:Set AT for chip authentication accepted */
	bool switch_pending; /* CA done: next_sm replaces sm after this response */
	struct sm_ctx next_sm;
};

/* Derive the BAC keys and passwords from the chip's MRZ and ID; init the PACE state. */
int vchip_auth_init(struct vchip *c, struct cccd_err *err);

/* Free the PACE state and wipe keys (safe twice). */
void vchip_auth_free(struct vchip *c);

/* End any session (power cycle, SM error, a plain command after access control). */
void vchip_auth_end(struct vchip *c);

/* EXTERNAL AUTHENTICATE (BAC mutual authentication, INS 82). */
uint16_t vchip_bac_ext_auth(struct vchip *c, const struct apdu *a, uint8_t *out, size_t cap,
			    size_t *len);

/* MSE:Set AT (INS 22): C1 A4 starts PACE (plain), 41 A4 chip authentication (under SM). */
uint16_t vchip_mse(struct vchip *c, const struct apdu *a, bool sm);

/* GENERAL AUTHENTICATE (INS 86): the PACE steps (plain) or chip authentication (under SM). */
uint16_t vchip_ga(struct vchip *c, const struct apdu *a, bool sm, uint8_t *out, size_t cap,
		  size_t *len);

#endif
