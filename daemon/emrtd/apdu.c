/* SPDX-License-Identifier: MIT */
/*
 * apdu.c - command/response APDU coding, ISO/IEC 7816-4 §5.1 (cases 1-4, short and extended) and
 * the status words of §5.6 that an eMRTD reader reacts to.
 *
 *   00 A4 02 0C 02 01 1E         case 3 short: SELECT EF.COM, Lc 02, no Le
 *   00 B0 00 00 00 00 00         case 2 extended: READ BINARY, Le 00 00 = 65536
 *   0C B0 00 00 0D 97 01 04 8E 08 .. .. 00   case 4 short (a secure-messaging READ BINARY)
 *
 * A response is data + SW1 SW2; a response without a full status word is rejected. Omitted: the
 * chaining bit of CLA (no eMRTD command needs it) and T=0 procedure bytes (the link handles them).
 */
#include <string.h>

#include "doc/tlv.h"
#include "emrtd/apdu.h"

static size_t encoded_len(const struct apdu *a, bool ext)
{
	size_t n = 4;

	if (a->lc)
		n += (ext ? 3 : 1) + a->lc;
	if (a->le)
		n += ext ? (a->lc ? 2 : 3) : 1;
	return n;
}

int apdu_encode(const struct apdu *a, uint8_t *out, size_t cap, size_t *out_len,
		struct cccd_err *err)
{
	bool ext = a->extended || a->lc > APDU_SHORT_LC_MAX || a->le > APDU_SHORT_LE_MAX;
	size_t n, p = 4;

	if (a->lc > APDU_EXT_LC_MAX || a->le > APDU_EXT_LE_MAX || (a->lc && !a->data))
		return cccd_err_set(err, -CCCD_ERANGE, "apdu",
				    "INS %02X: Lc %zu / Le %zu not codable", a->ins, a->lc, a->le);
	n = encoded_len(a, ext);
	if (n > cap)
		return cccd_err_set(err, -CCCD_ENOSPC, "apdu", "INS %02X: %zu bytes, buffer %zu",
				    a->ins, n, cap);
	out[0] = a->cla;
	out[1] = a->ins;
	out[2] = a->p1;
	out[3] = a->p2;
	if (ext && (a->lc || a->le))
		out[p++] = 0x00;
	if (a->lc) {
		if (ext)
			out[p++] = (uint8_t)(a->lc >> 8);
		out[p++] = (uint8_t)a->lc;
		memcpy(out + p, a->data, a->lc);
		p += a->lc;
	}
	if (a->le) {
		if (ext)
			out[p++] = (uint8_t)(a->le >> 8); /* 65536 -> 00 00 */
		out[p++] = (uint8_t)a->le;		  /* 256 -> 00 */
	}
	*out_len = p;
	return 0;
}

static int cmd_bad(struct cccd_err *err, size_t off, const char *why, size_t len)
{
	return cccd_err_set(err, -CCCD_EFORMAT, "apdu", "byte %zu: %s (APDU of %zu bytes)", off,
			    why, len);
}

static int parse_short(const uint8_t *buf, size_t len, struct apdu *out, struct cccd_err *err)
{
	size_t lc = buf[4];

	if (len == 5) {
		out->le = lc ? lc : 256;
		return 0;
	}
	if (len != 5 + lc && len != 6 + lc)
		return cmd_bad(err, 4, "Lc does not match the length", len);
	out->lc = lc;
	out->data = buf + 5;
	if (len == 6 + lc)
		out->le = buf[len - 1] ? buf[len - 1] : 256;
	return 0;
}

static int parse_extended(const uint8_t *buf, size_t len, struct apdu *out, struct cccd_err *err)
{
	size_t v = (size_t)buf[5] << 8 | buf[6];

	out->extended = true;
	if (len == 7) {
		out->le = v ? v : 65536;
		return 0;
	}
	if (v == 0)
		return cmd_bad(err, 5, "extended Lc of 0", len);
	if (len != 7 + v && len != 9 + v)
		return cmd_bad(err, 5, "extended Lc does not match the length", len);
	out->lc = v;
	out->data = buf + 7;
	if (len == 9 + v) {
		v = (size_t)buf[len - 2] << 8 | buf[len - 1];
		out->le = v ? v : 65536;
	}
	return 0;
}

int apdu_cmd_parse(const uint8_t *buf, size_t len, struct apdu *out, struct cccd_err *err)
{
	memset(out, 0, sizeof(*out));
	if (len < 4)
		return cmd_bad(err, len, "shorter than a header", len);
	out->cla = buf[0];
	out->ins = buf[1];
	out->p1 = buf[2];
	out->p2 = buf[3];
	if (len == 4)
		return 0;
	if (len == 5 || buf[4] != 0x00)
		return parse_short(buf, len, out, err);
	if (len < 7)
		return cmd_bad(err, 4, "extended length field truncated", len);
	return parse_extended(buf, len, out, err);
}

int apdu_resp_parse(const uint8_t *buf, size_t len, struct apdu_resp *out, struct cccd_err *err)
{
	if (len < 2)
		return cccd_err_set(err, -CCCD_EFORMAT, "apdu", "response of %zu bytes: no SW1 SW2",
				    len);
	out->data = buf;
	out->len = len - 2;
	out->sw = (uint16_t)(buf[len - 2] << 8 | buf[len - 1]);
	return 0;
}

static int do_bad(struct cccd_err *err, size_t off, const char *why)
{
	return cccd_err_set(err, -CCCD_EFORMAT, "apdu", "DO at byte %zu: %s", off, why);
}

int apdu_do_next(const uint8_t *buf, size_t len, size_t *off, struct apdu_do *out,
		 struct cccd_err *err)
{
	struct cccd_err why;
	struct tlv t;
	size_t p = *off;

	if (p >= len)
		return 0;
	out->off = p;
	if (tlv_parse(buf + p, len - p, 0, &t, &why))
		return do_bad(err, p, why.msg);
	if (t.tag > 0xFF || t.tag == 0xFF)
		return do_bad(err, p, "tag not a one-byte tag");
	if (t.len > 0xFFFF || t.hdr_len != apdu_do_hdr_len(t.len))
		return do_bad(err, p, "length not 00-7F, 81 xx or 82 xx xx in its shortest form");
	out->tag = (uint8_t)t.tag;
	out->value = t.value;
	out->len = t.len;
	*off = p + t.total;
	return 1;
}

size_t apdu_do_hdr_len(size_t len)
{
	return len < 0x80 ? 2 : len < 0x100 ? 3 : 4;
}

int apdu_do_put(uint8_t *out, size_t cap, size_t *pos, uint8_t tag, const uint8_t *value,
		size_t len, struct cccd_err *err)
{
	size_t p = *pos, h = apdu_do_hdr_len(len);

	if (len > 0xFFFF)
		return cccd_err_set(err, -CCCD_ERANGE, "apdu", "DO %02X of %zu bytes", tag, len);
	if (p > cap || cap - p < h || cap - p - h < len)
		return cccd_err_set(err, -CCCD_ENOSPC, "apdu",
				    "DO %02X of %zu bytes at %zu, cap %zu", tag, len, p, cap);
	out[p++] = tag;
	if (h == 3)
		out[p++] = 0x81;
	if (h == 4) {
		out[p++] = 0x82;
		out[p++] = (uint8_t)(len >> 8);
	}
	out[p++] = (uint8_t)len;
	if (value && len)
		memmove(out + p, value, len);
	*pos = p + len;
	return 0;
}

bool apdu_sw_ok(uint16_t sw)
{
	return sw == APDU_SW_OK;
}

bool apdu_sw_more(uint16_t sw, size_t *avail)
{
	if ((sw >> 8) != 0x61)
		return false;
	*avail = (sw & 0xFF) ? (sw & 0xFF) : 256;
	return true;
}

bool apdu_sw_wrong_le(uint16_t sw, size_t *exact)
{
	if ((sw >> 8) != 0x6C)
		return false;
	*exact = (sw & 0xFF) ? (sw & 0xFF) : 256;
	return true;
}

struct sw_name {
	uint16_t sw;
	int code;
	const char *text;
};

/* Sorted by sw; a linear scan is enough for 23 entries. */
static const struct sw_name sw_names[] = {
    {0x6281, -CCCD_ESW, "returned data may be corrupted"},
    {0x6282, -CCCD_ESW, "end of file before Le bytes"},
    {0x6300, -CCCD_EAUTH, "authentication failed"},
    {0x6581, -CCCD_EIO, "memory failure"},
    {0x6700, -CCCD_ERANGE, "wrong length"},
    {0x6882, -CCCD_ENOTSUP, "secure messaging not supported"},
    {0x6982, -CCCD_EAUTH, "security status not satisfied"},
    {0x6983, -CCCD_EAUTH, "authentication method blocked"},
    {0x6984, -CCCD_EAUTH, "reference data not usable"},
    {0x6985, -CCCD_ESTATE, "conditions of use not satisfied"},
    {0x6986, -CCCD_ESTATE, "command not allowed (no current EF)"},
    {0x6987, -CCCD_ECHECK, "expected SM data objects missing"},
    {0x6988, -CCCD_ECHECK, "SM data objects incorrect"},
    {0x6A80, -CCCD_ESW, "incorrect parameters in the data field"},
    {0x6A81, -CCCD_ENOTSUP, "function not supported"},
    {0x6A82, -CCCD_ENOENT, "file or application not found"},
    {0x6A86, -CCCD_ESW, "incorrect P1 P2"},
    {0x6A88, -CCCD_ENOENT, "referenced data not found"},
    {0x6B00, -CCCD_ERANGE, "wrong parameters (offset outside the EF)"},
    {0x6D00, -CCCD_ENOTSUP, "instruction not supported"},
    {0x6E00, -CCCD_ENOTSUP, "class not supported"},
    {0x6F00, -CCCD_ESW, "no precise diagnosis"},
    {0x9000, 0, "ok"},
};

static const struct sw_name *sw_lookup(uint16_t sw)
{
	for (size_t i = 0; i < sizeof(sw_names) / sizeof(sw_names[0]); i++)
		if (sw_names[i].sw == sw)
			return &sw_names[i];
	return NULL;
}

int apdu_sw_code(uint16_t sw)
{
	const struct sw_name *n = sw_lookup(sw);

	if (n)
		return n->code;
	if ((sw >> 8) == 0x63 && (sw & 0xF0) == 0xC0)
		return -CCCD_EAUTH; /* 63Cx: verification failed, x tries left */
	return -CCCD_ESW;
}

const char *apdu_sw_str(uint16_t sw)
{
	const struct sw_name *n = sw_lookup(sw);

	if (n)
		return n->text;
	switch (sw >> 8) {
	case 0x61:
		return "more response bytes available";
	case 0x6C:
		return "wrong Le (exact length in SW2)";
	case 0x63:
		return (sw & 0xF0) == 0xC0 ? "verification failed (tries left in SW2)"
					   : "warning: non-volatile memory changed";
	case 0x64:
		return "execution error, memory unchanged";
	default:
		return "unexpected status word";
	}
}
