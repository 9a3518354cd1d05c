/* SPDX-License-Identifier: MIT */
/*
 * link_libnfc.c - the "libnfc:" card_link: PN53x readers through libnfc 1.8 (PN532 on a UART,
 * ACR122U, SCL3711, PN533). URIs: "libnfc:" (first device), "libnfc:pn532_uart:/dev/ttyS0",
 * "libnfc:acr122_usb".
 *
 * Polling is bounded (NP_INFINITE_SELECT off): ISO 14443-A, then -B. Type A is first selected at
 * the chip's top rate (InPSL to 424 kbit/s on a PN532, 848 on a PN533); a card that refuses the
 * PPS is selected again at 106 after an RF field cycle, and stays at 106 until it leaves.
 * APDUs go through InDataExchange (ISO-DEP handled by the chip), so the PN53x frame limit holds:
 * short APDUs only (max_apdu = CARD_LINK_SHORT_APDU). Any transceive failure ends the card
 * session; the next wait_card cycles the field, and reopens the device when it no longer answers
 * (a USB reader unplugged, a UART gone).
 * Example: 00 A4 04 0C 07 A0 00 00 02 47 10 01 -> PN532 D4 40 01 00 A4 .. -> D5 41 00 90 00.
 * Omitted: FeliCa/Jewel, PN533 type B at 848 kbit/s, libnfc's intrusive UART scan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nfc/nfc.h>

#include "card_link.h"
#include "core/clock.h"
#include "nfc/readers.h"

#define POLL_GAP_MS 50 /* between two empty polls */

struct lnfc {
	nfc_context *ctx;
	nfc_device *dev;
	char conn[NFC_BUFSIZE_CONNSTRING]; /* "" = first device */
	nfc_baud_rate top;		   /* fastest type A rate of this chip */
	bool present;			   /* a target is selected and its session is sound */
	bool slow;			   /* this card refused the PPS */
	bool cycle;			   /* cycle the field before the next poll */
};

static void dev_close(struct lnfc *l)
{
	if (l->dev)
		nfc_close(l->dev);
	l->dev = NULL;
	l->present = false;
}

/* The fastest type A rate the chip lists (libnfc lists fastest first). */
static nfc_baud_rate top_rate(nfc_device *dev)
{
	const nfc_baud_rate *br = NULL;

	if (nfc_device_get_supported_baud_rate(dev, NMT_ISO14443A, &br) || !br || !br[0])
		return NBR_106;
	return br[0] == NBR_847 || br[0] == NBR_424 ? br[0] : NBR_106;
}

static int dev_open(struct lnfc *l, struct cccd_err *err)
{
	l->dev = nfc_open(l->ctx, l->conn[0] ? l->conn : NULL);
	if (!l->dev)
		return cccd_err_set(err, -CCCD_EIO, "link_libnfc", "cannot open '%.60s'",
				    l->conn[0] ? l->conn : "first device");
	if (nfc_initiator_init(l->dev) < 0 ||
	    nfc_device_set_property_bool(l->dev, NP_INFINITE_SELECT, false) < 0 ||
	    nfc_device_set_property_bool(l->dev, NP_AUTO_ISO14443_4, true) < 0) {
		cccd_err_set(err, -CCCD_EIO, "link_libnfc", "%.40s: initiator init: %.40s",
			     nfc_device_get_name(l->dev), nfc_strerror(l->dev));
		dev_close(l);
		return err ? err->code : -CCCD_EIO;
	}
	l->top = top_rate(l->dev);
	return 0;
}

static int lnfc_open(struct card_link *link, const char *arg, struct cccd_err *err)
{
	struct lnfc *l = calloc(1, sizeof(*l));
	int rc;

	if (!l)
		return cccd_err_set(err, -CCCD_ENOMEM, "link_libnfc", "no memory");
	if (strlen(arg) >= sizeof(l->conn)) {
		free(l);
		return cccd_err_set(err, -CCCD_EINVAL, "link_libnfc", "connstring too long");
	}
	snprintf(l->conn, sizeof(l->conn), "%s", arg);
	nfc_init(&l->ctx);
	if (!l->ctx) {
		free(l);
		return cccd_err_set(err, -CCCD_EIO, "link_libnfc", "nfc_init failed");
	}
	rc = dev_open(l, err);
	if (rc) {
		nfc_exit(l->ctx);
		free(l);
		return rc;
	}
	link->priv = l;
	return 0;
}

/* Drop and raise the RF field: every card in it powers up fresh (and a halted one answers
 * again). Failing here means the device is gone. */
static int field_cycle(struct lnfc *l)
{
	if (nfc_device_set_property_bool(l->dev, NP_ACTIVATE_FIELD, false) < 0 ||
	    nfc_device_set_property_bool(l->dev, NP_ACTIVATE_FIELD, true) < 0)
		return -1;
	return 0;
}

/* One selection attempt: 1 found, 0 none, <0 libnfc error. */
static int select_one(struct lnfc *l, nfc_modulation_type t, nfc_baud_rate br)
{
	const nfc_modulation nm = {.nmt = t, .nbr = br};
	nfc_target nt;

	return nfc_initiator_select_passive_target(l->dev, nm, NULL, 0, &nt);
}

/* Type A at the top rate when the card takes it, else at 106; then type B. */
static int poll_once(struct lnfc *l)
{
	int r;

	if (l->top != NBR_106 && !l->slow) {
		r = select_one(l, NMT_ISO14443A, l->top);
		if (r == 0)
			return select_one(l, NMT_ISO14443B, NBR_106);
		if (r > 0 || (r != NFC_ERFTRANS && r != NFC_ECHIP && r != NFC_ETIMEOUT))
			return r;
		l->slow = true; /* the PPS failed: this card stays at 106 until it leaves */
		if (field_cycle(l))
			return NFC_EIO;
	}
	r = select_one(l, NMT_ISO14443A, NBR_106);
	if (r)
		return r;
	l->slow = false; /* no type A card: the next one gets the fast try again */
	return select_one(l, NMT_ISO14443B, NBR_106);
}

/* Is the selected card still there? (libnfc: R(NAK) through InCommunicateThru on a PN532) */
static bool still_there(struct lnfc *l)
{
	return nfc_initiator_target_is_present(l->dev, NULL) == 0;
}

/* One poll, opening the device first when it went away: 1 found, 0 none, <0 libnfc error. */
static int poll_step(struct lnfc *l)
{
	if (!l->dev && dev_open(l, NULL))
		return NFC_EIO;
	if (l->cycle) {
		if (field_cycle(l))
			return NFC_EIO;
		l->cycle = false;
	}
	return poll_once(l);
}

static int lnfc_wait_card(struct card_link *link, int timeout_ms, struct cccd_err *err)
{
	struct lnfc *l = link->priv;
	unsigned long end = cccd_clock_ms() + (unsigned long)(timeout_ms > 0 ? timeout_ms : 0);
	int r;

	if (l->dev && l->present && still_there(l))
		return 1;
	if (l->present)
		l->cycle = true;
	l->present = false;
	for (;;) {
		r = poll_step(l);
		if (r > 0) {
			l->present = true;
			return 1;
		}
		if (r == NFC_EIO || r == NFC_ENOTSUCHDEV) /* unplugged: reopen on the next turn */
			dev_close(l);
		else if (r < 0)
			l->cycle = true;
		if (cccd_clock_ms() >= end)
			break;
		cccd_sleep_ms(POLL_GAP_MS);
	}
	if (!l->dev)
		return cccd_err_set(err, -CCCD_EIO, "link_libnfc", "device '%.60s' not answering",
				    l->conn[0] ? l->conn : "first device");
	return 0;
}

static int map_error(struct lnfc *l, int res, int timeout_ms, struct cccd_err *err)
{
	l->present = false; /* the ISO-DEP/SM session is broken whatever happened */
	l->cycle = true;
	switch (res) {
	case NFC_ETIMEOUT:
		return cccd_err_set(err, -CCCD_ETIMEOUT, "link_libnfc", "no answer in %d ms",
				    timeout_ms);
	case NFC_ERFTRANS:
	case NFC_ETGRELEASED:
		return cccd_err_set(err, -CCCD_ENOCARD, "link_libnfc", "card left the field (%s)",
				    res == NFC_ERFTRANS ? "RF error" : "target released");
	case NFC_EOVFLOW:
		return cccd_err_set(err, -CCCD_ENOSPC, "link_libnfc",
				    "response larger than buffer");
	default:
		return cccd_err_set(err, -CCCD_EIO, "link_libnfc", "reader: %.60s",
				    nfc_strerror(l->dev));
	}
}

static int lnfc_transceive(struct card_link *link, const uint8_t *apdu, size_t apdu_len,
			   uint8_t *resp, size_t resp_cap, size_t *resp_len, struct cccd_err *err)
{
	struct lnfc *l = link->priv;
	int to = link->timeout_ms > 0 ? link->timeout_ms : 3000;
	int res;

	if (!l->dev)
		return cccd_err_set(err, -CCCD_EIO, "link_libnfc", "reader gone");
	if (!l->present)
		return cccd_err_set(err, -CCCD_ENOCARD, "link_libnfc", "no card selected");
	if (apdu_len > CARD_LINK_SHORT_APDU)
		return cccd_err_set(err, -CCCD_ERANGE, "link_libnfc",
				    "APDU of %zu bytes: a PN53x frame carries short APDUs only",
				    apdu_len);
	if (resp_cap > 65536)
		resp_cap = 65536;
	res = nfc_initiator_transceive_bytes(l->dev, apdu, apdu_len, resp, resp_cap, to);
	if (res < 0)
		return map_error(l, res, to, err);
	if (res < 2) {
		l->present = false;
		return cccd_err_set(err, -CCCD_EIO, "link_libnfc", "response of %d bytes", res);
	}
	*resp_len = (size_t)res;
	return 0;
}

static size_t lnfc_max_apdu(struct card_link *link)
{
	(void)link;
	return CARD_LINK_SHORT_APDU;
}

static void lnfc_close(struct card_link *link)
{
	struct lnfc *l = link->priv;

	if (!l)
		return;
	dev_close(l);
	nfc_exit(l->ctx);
	free(l);
	link->priv = NULL;
}

const struct card_link_ops link_libnfc_ops = {
    .scheme = "libnfc",
    .open = lnfc_open,
    .wait_card = lnfc_wait_card,
    .transceive = lnfc_transceive,
    .max_apdu = lnfc_max_apdu,
    .close = lnfc_close,
};

int link_libnfc_list(struct reader_entry *out, size_t cap, size_t *n, struct cccd_err *err)
{
	nfc_connstring found[8];
	nfc_context *ctx = NULL;
	size_t k;

	nfc_init(&ctx);
	if (!ctx)
		return cccd_err_set(err, -CCCD_EIO, "link_libnfc", "nfc_init failed");
	k = nfc_list_devices(ctx, found, sizeof(found) / sizeof(found[0]));
	for (size_t i = 0; i < k && *n < cap; i++) {
		struct reader_entry *e = &out[(*n)++];

		memset(e, 0, sizeof(*e));
		snprintf(e->uri, sizeof(e->uri), "libnfc:%.270s", found[i]);
		snprintf(e->stack, sizeof(e->stack), "libnfc");
		snprintf(e->name, sizeof(e->name), "%.120s", found[i]);
	}
	nfc_exit(ctx);
	return 0;
}
