/* SPDX-License-Identifier: MIT */
/*
 * vchip_apdu.h - the virtual chip's view of a command APDU (ISO/IEC 7816-4 §5.1, cases 1-4,
 * short and extended length).
 */
#ifndef CCCD_VCHIP_APDU_H
#define CCCD_VCHIP_APDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct vchip_apdu {
	uint8_t cla, ins, p1, p2;
	const uint8_t *data; /* into the parsed buffer; NULL when lc is 0 */
	size_t lc;	     /* 0..65535 */
	bool has_le;
	size_t le;     /* 1..65536 when has_le (Le 00 = 256, extended 0000 = 65536) */
	bool extended; /* Lc/Le in the 3-byte (extended) form */
};

/* Parse one command APDU buf[0..len). 0, or -CCCD_EFORMAT with the byte offset and reason (the
 * chip answers 6700). Never reads past len. */
int vchip_apdu_parse(const uint8_t *buf, size_t len, struct vchip_apdu *out, struct cccd_err *err);

#endif
