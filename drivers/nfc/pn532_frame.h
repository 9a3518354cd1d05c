/* SPDX-License-Identifier: MIT */
/*
 * pn532_frame.h - the PN532 host-link frame (NXP UM0701-02 §6.2.1): normal and extended
 * information frames, ACK, NACK and the error frame, as the PN532 simulator and its tests read and
 * write them. Pure byte handling, no I/O.
 */
#ifndef CCCD_PN532_FRAME_H
#define CCCD_PN532_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define PN532_TFI_HOST 0xD4u /* host -> PN532 */
#define PN532_TFI_CHIP 0xD5u /* PN532 -> host */
#define PN532_FRAME_DATA_MAX                                                                       \
	265u /* TFI + 264 bytes (libnfc PN53x_EXTENDED_FRAME__DATA_MAX_LEN)                        \
	      */
#define PN532_FRAME_MAX (PN532_FRAME_DATA_MAX + 10u)

enum pn532_frame_kind { PN532_FRAME_INFO, PN532_FRAME_ACK, PN532_FRAME_NACK, PN532_FRAME_ERROR };

struct pn532_frame {
	enum pn532_frame_kind kind;
	uint8_t tfi;	     /* INFO: D4 or D5 */
	const uint8_t *data; /* INFO: the bytes after TFI (command code first), inside buf */
	size_t len;
	size_t used; /* bytes of buf consumed (leading junk + frame), or junk to drop on error */
	size_t need; /* on -CCCD_EFORMAT: total bytes the frame needs when it is only truncated */
};

/* Parse the first frame in buf, skipping wake-up bytes and junk before the "00 FF" start code.
 * 0 with f filled; -CCCD_EFORMAT for a truncated frame (f->need > len: read more) or a bad
 * length, checksum or postamble (f->used says how much to drop). */
int pn532_frame_parse(const uint8_t *buf, size_t len, struct pn532_frame *f, struct cccd_err *err);

/* Build an information frame (normal when it fits, else extended) into out[0..cap). */
int pn532_frame_build(uint8_t tfi, const uint8_t *data, size_t len, uint8_t *out, size_t cap,
		      size_t *out_len, struct cccd_err *err);

/* The 6-byte ACK and NACK frames. */
extern const uint8_t pn532_frame_ack[6];
extern const uint8_t pn532_frame_nack[6];

#endif
