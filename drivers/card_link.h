/* SPDX-License-Identifier: MIT */
/*
 * card_link.h - the seam between the chip protocol (daemon/emrtd) and NFC hardware.
 *
 * Domain code sees a card only through these wrappers; each implementation (libnfc, PC/SC, sim)
 * exports one `const struct card_link_ops` and keeps its state in link->priv. card_link.c is the
 * one registry: it picks the implementation by the URI scheme ("sim:", "pcsc:", "libnfc:").
 * A NULL op makes its wrapper return -CCCD_ENOTSUP.
 */
#ifndef CCCD_CARD_LINK_H
#define CCCD_CARD_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define CARD_LINK_SHORT_APDU 261u	  /* 5-byte header + 255 data + Le (ISO 7816-4 short) */
#define CARD_LINK_EXT_APDU   65544u	  /* extended length: 7-byte header + 65535 + 2-byte Le */
#define CARD_LINK_MAX_RESP   (65536u + 2) /* largest response incl. SW1 SW2 */

struct card_link;

struct card_link_ops {
	const char *scheme; /* URI scheme without ':' */
	/* Open the device named by the rest of the URI (after "scheme:"). */
	int (*open)(struct card_link *link, const char *arg, struct cccd_err *err);
	/* Wait up to timeout_ms for a card: 1 present (and powered/selected), 0 none yet. */
	int (*wait_card)(struct card_link *link, int timeout_ms, struct cccd_err *err);
	/* Send one command APDU, receive the response incl. SW1 SW2 into resp (cap bytes). An empty
	 * or truncated response is an error, never success. */
	int (*transceive)(struct card_link *link, const uint8_t *apdu, size_t apdu_len,
			  uint8_t *resp, size_t resp_cap, size_t *resp_len, struct cccd_err *err);
	/* Largest command APDU this link + card carry (CARD_LINK_SHORT_APDU or more). */
	size_t (*max_apdu)(struct card_link *link);
	void (*close)(struct card_link *link);
};

struct card_link {
	const struct card_link_ops *ops;
	void *priv;	/* implementation state */
	char uri[256];	/* as opened, for logs and the RESULT's "device" */
	int timeout_ms; /* per-APDU deadline the implementation honours */
	/* counters, updated by card_link_transceive() */
	unsigned long apdus;
	unsigned long bytes_out;
	unsigned long bytes_in;
};

/* Open the implementation that matches uri's scheme; -CCCD_ENOTSUP for an unknown scheme. */
int card_link_open(struct card_link *link, const char *uri, struct cccd_err *err);

/* Wrappers over the ops (see struct card_link_ops for each contract). */
int card_link_wait_card(struct card_link *link, int timeout_ms, struct cccd_err *err);
int card_link_transceive(struct card_link *link, const uint8_t *apdu, size_t apdu_len,
			 uint8_t *resp, size_t resp_cap, size_t *resp_len, struct cccd_err *err);
size_t card_link_max_apdu(struct card_link *link);
void card_link_close(struct card_link *link);

/* Reset the counters (start of a card session). */
void card_link_reset_counters(struct card_link *link);

#endif
