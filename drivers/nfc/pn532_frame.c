/* SPDX-License-Identifier: MIT */
/*
 * pn532_frame.c - PN532 host-link frames (NXP UM0701-02 §6.2.1.1-6.2.1.5):
 *
 *   normal    00 00 FF LEN LCS TFI PD0..PDn DCS 00        LEN = 1 + n, LEN + LCS = 0 (mod 256)
 *   extended  00 00 FF FF FF LENM LENL LCS TFI PD.. DCS 00  LENM + LENL + LCS = 0
 *   ACK 00 00 FF 00 FF 00     NACK 00 00 FF FF 00 00     error 00 00 FF 01 FF 7F 81 00
 *
 * TFI + PD0.. + DCS = 0 (mod 256). Worked example, GetFirmwareVersion:
 *   00 00 FF 02 FE D4 02 2A 00  ->  00 00 FF 06 FA D5 03 32 01 06 07 E8 00
 * Wake-up bytes (55 55 00 ..) and junk before the "00 FF" start code are skipped, as the chip does.
 * Omitted: the SPI/I2C status byte and the "preamble optional" leniency beyond that scan.
 */
#include <stdbool.h>
#include <string.h>

#include "nfc/pn532_frame.h"

const uint8_t pn532_frame_ack[6] = {0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00};
const uint8_t pn532_frame_nack[6] = {0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00};

/* Index just after the first "00 FF", or 0 if none (then all but a trailing 00 is junk). */
static size_t start_code(const uint8_t *buf, size_t len)
{
	for (size_t i = 1; i < len; i++)
		if (buf[i - 1] == 0x00 && buf[i] == 0xFF)
			return i + 1;
	return 0;
}

static int truncated(struct pn532_frame *f, size_t need, size_t len, struct cccd_err *err)
{
	f->need = need;
	return cccd_err_set(err, -CCCD_EFORMAT, "pn532", "frame truncated: %zu of %zu bytes", len,
			    need);
}

static int bad(struct pn532_frame *f, size_t drop, const char *what, size_t at,
	       struct cccd_err *err)
{
	f->used = drop;
	return cccd_err_set(err, -CCCD_EFORMAT, "pn532", "byte %zu: %s", at, what);
}

/* ACK or NACK at h (the byte after the start code); 1 if it is one, 0 if not. */
static int ack_nack(const uint8_t *buf, size_t len, size_t h, struct pn532_frame *f,
		    struct cccd_err *err, int *rc)
{
	bool ack = buf[h] == 0x00 && buf[h + 1] == 0xFF;
	bool nack = buf[h] == 0xFF && buf[h + 1] == 0x00;

	if (!ack && !nack)
		return 0;
	if (len < h + 3)
		*rc = truncated(f, h + 3, len, err);
	else if (buf[h + 2] != 0x00)
		*rc = bad(f, h + 2, "postamble not 00", h + 2, err);
	else {
		f->kind = ack ? PN532_FRAME_ACK : PN532_FRAME_NACK;
		f->used = h + 3;
		*rc = 0;
	}
	return 1;
}

/* Body of an information frame of l bytes (TFI..PDn) at b. */
static int info(const uint8_t *buf, size_t len, size_t b, size_t l, struct pn532_frame *f,
		struct cccd_err *err)
{
	uint8_t sum = 0;

	if (l < 1 || l > PN532_FRAME_DATA_MAX)
		return bad(f, b, "length out of range", b - 1, err);
	if (len < b + l + 2)
		return truncated(f, b + l + 2, len, err);
	for (size_t i = 0; i <= l; i++)
		sum = (uint8_t)(sum + buf[b + i]);
	if (sum)
		return bad(f, b + l + 2, "data checksum mismatch", b + l, err);
	if (buf[b + l + 1] != 0x00)
		return bad(f, b + l + 2, "postamble not 00", b + l + 1, err);
	f->tfi = buf[b];
	f->data = buf + b + 1;
	f->len = l - 1;
	f->kind = (l == 1 && buf[b] == 0x7F) ? PN532_FRAME_ERROR : PN532_FRAME_INFO;
	f->used = b + l + 2;
	return 0;
}

int pn532_frame_parse(const uint8_t *buf, size_t len, struct pn532_frame *f, struct cccd_err *err)
{
	size_t h = start_code(buf, len);
	int rc;

	memset(f, 0, sizeof(*f));
	if (!h) {
		f->used = (len && buf[len - 1] == 0x00) ? len - 1 : len;
		return truncated(f, len + 2, len, err);
	}
	f->used = h - 2; /* junk before the start code can always go */
	if (len < h + 2)
		return truncated(f, h + 2, len, err);
	if (ack_nack(buf, len, h, f, err, &rc))
		return rc;
	if (buf[h] == 0xFF && buf[h + 1] == 0xFF) {
		if (len < h + 5)
			return truncated(f, h + 5, len, err);
		if ((uint8_t)(buf[h + 2] + buf[h + 3] + buf[h + 4]))
			return bad(f, h, "extended length checksum mismatch", h + 4, err);
		return info(buf, len, h + 5, (size_t)buf[h + 2] << 8 | buf[h + 3], f, err);
	}
	if ((uint8_t)(buf[h] + buf[h + 1]))
		return bad(f, h, "length checksum mismatch", h + 1, err);
	return info(buf, len, h + 2, buf[h], f, err);
}

int pn532_frame_build(uint8_t tfi, const uint8_t *data, size_t len, uint8_t *out, size_t cap,
		      size_t *out_len, struct cccd_err *err)
{
	size_t l = len + 1, n = 0;
	uint8_t sum = tfi;

	if (l > PN532_FRAME_DATA_MAX)
		return cccd_err_set(err, -CCCD_ERANGE, "pn532", "%zu data bytes: at most %u", len,
				    PN532_FRAME_DATA_MAX - 1);
	if (cap < l + (l > 255 ? 10 : 7))
		return cccd_err_set(err, -CCCD_ENOSPC, "pn532", "frame of %zu bytes, room for %zu",
				    l + 10, cap);
	out[n++] = 0x00;
	out[n++] = 0x00;
	out[n++] = 0xFF;
	if (l > 255) {
		out[n++] = 0xFF;
		out[n++] = 0xFF;
		out[n++] = (uint8_t)(l >> 8);
		out[n++] = (uint8_t)l;
		out[n++] = (uint8_t)(0x100 - ((l >> 8) + (l & 0xFF)));
	} else {
		out[n++] = (uint8_t)l;
		out[n++] = (uint8_t)(0x100 - l);
	}
	out[n++] = tfi;
	for (size_t i = 0; i < len; i++) {
		out[n++] = data[i];
		sum = (uint8_t)(sum + data[i]);
	}
	out[n++] = (uint8_t)(0x100 - sum);
	out[n++] = 0x00;
	*out_len = n;
	return 0;
}
