/* SPDX-License-Identifier: MIT */
/*
 * vchip_apdu.c - command APDU cases of ISO/IEC 7816-4 §5.1, read by the chip side:
 *
 *   00 A4 04 0C 07 A0 00 00 02 47 10 01        case 3 short: Lc 07, no Le
 *   00 B0 9E 00 00                             case 2 short: Le 00 = 256
 *   00 B1 00 00 00 00 04 54 02 80 00 00 00     case 4 extended: Lc 0004, Le 0000 = 65536
 *
 * The first byte after the header tells the form: a non-zero byte is a short Lc (or the Le of
 * case 2), 00 followed by two bytes is extended. Lc 00 / 0000 cannot start a body.
 */
#include <string.h>

#include "nfc/vchip_apdu.h"

static int bad(struct cccd_err *err, size_t off, const char *why)
{
	return cccd_err_set(err, -CCCD_EFORMAT, "vchip_apdu", "byte %zu: %s", off, why);
}

static int parse_short(const uint8_t *buf, size_t len, struct vchip_apdu *out, struct cccd_err *err)
{
	size_t lc = buf[4];

	if (len == 5) {
		out->has_le = true;
		out->le = lc ? lc : 256;
		return 0;
	}
	if (len != 5 + lc && len != 6 + lc)
		return bad(err, 4, "Lc does not match the APDU length");
	out->lc = lc;
	out->data = buf + 5;
	if (len == 6 + lc) {
		out->has_le = true;
		out->le = buf[len - 1] ? buf[len - 1] : 256;
	}
	return 0;
}

static int parse_ext(const uint8_t *buf, size_t len, struct vchip_apdu *out, struct cccd_err *err)
{
	size_t n = (size_t)buf[5] << 8 | buf[6];

	out->extended = true;
	if (len == 7) {
		out->has_le = true;
		out->le = n ? n : 65536;
		return 0;
	}
	if (n == 0)
		return bad(err, 5, "extended Lc 0000 with a body");
	if (len != 7 + n && len != 9 + n)
		return bad(err, 5, "extended Lc does not match the APDU length");
	out->lc = n;
	out->data = buf + 7;
	if (len == 9 + n) {
		size_t le = (size_t)buf[len - 2] << 8 | buf[len - 1];

		out->has_le = true;
		out->le = le ? le : 65536;
	}
	return 0;
}

int vchip_apdu_parse(const uint8_t *buf, size_t len, struct vchip_apdu *out, struct cccd_err *err)
{
	memset(out, 0, sizeof(*out));
	if (len < 4)
		return bad(err, len, "shorter than the 4-byte header");
	out->cla = buf[0];
	out->ins = buf[1];
	out->p1 = buf[2];
	out->p2 = buf[3];
	if (len == 4)
		return 0;
	if (buf[4] != 0 || len == 5)
		return parse_short(buf, len, out, err);
	if (len < 7)
		return bad(err, 4, "extended length needs 3 bytes");
	return parse_ext(buf, len, out, err);
}
