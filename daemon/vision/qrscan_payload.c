/* SPDX-License-Identifier: MIT */
/*
 * qrscan_payload.c - tell a card QR from a payment QR from anything else, and parse it.
 *   "001200012345||Nguyễn Văn An|01022000|Nam|Số 1, Hà Nội|15032021"  -> CCCD (cccdqr_parse)
 *   "00020101021138540010A000000727..."                                -> VietQR (vietqr_parse)
 *   "https://..."                                                      -> other
 * The test is the payload's head only (FIELD-NOTES: 12-digit ID then '|'; EMVCo tag 00 = "01"
 * first), so a damaged card QR is reported as a damaged card QR, not as "other". A UTF-8 BOM
 * before a CCCD payload is allowed, as cccdqr_parse allows it. Omits: other EMVCo schemes.
 */
#include <string.h>

#include "vision/qrscan.h"

static bool looks_cccd(const uint8_t *buf, size_t len)
{
	if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
		buf += 3, len -= 3;
	if (len < 13 || buf[12] != '|')
		return false;
	for (size_t i = 0; i < 12; i++)
		if (buf[i] < '0' || buf[i] > '9')
			return false;
	return true;
}

static bool looks_vietqr(const uint8_t *buf, size_t len)
{
	return len >= 6 && !memcmp(buf, "000201", 6);
}

int qrscan_payload_parse(const uint8_t *buf, size_t len, struct qrscan_payload *out,
			 struct cccd_err *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (looks_cccd(buf, len)) {
		rc = cccdqr_parse(buf, len, &out->u.cccd, err);
		out->kind = rc ? QRSCAN_OTHER : QRSCAN_CCCD;
		return rc;
	}
	if (looks_vietqr(buf, len)) {
		rc = vietqr_parse(buf, len, &out->u.vietqr, err);
		out->kind = rc ? QRSCAN_OTHER : QRSCAN_VIETQR;
		return rc;
	}
	return 0;
}

const char *qrscan_kind_name(enum qrscan_kind k)
{
	switch (k) {
	case QRSCAN_CCCD:
		return "cccd";
	case QRSCAN_VIETQR:
		return "vietqr";
	default:
		return "other";
	}
}
