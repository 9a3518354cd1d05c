/* SPDX-License-Identifier: MIT */
/*
 * fuzz_qrscan_payload.c - libFuzzer target for qrscan_payload_parse(), the classifier every
 * decoded QR goes through. On success the kind agrees with the format's own parser run on the
 * same bytes (same ID, same account), and "other" is returned only for payloads that open like
 * neither format. On failure: a negative code, a message, kind "other".
 */
#include <assert.h>
#include <string.h>

#include "vision/qrscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool opens_like_either(const uint8_t *d, size_t n)
{
	size_t off = n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF ? 3 : 0;
	bool digits = n >= off + 13 && d[off + 12] == '|';

	for (size_t i = 0; digits && i < 12; i++)
		digits = d[off + i] >= '0' && d[off + i] <= '9';
	return digits || (n >= 6 && !memcmp(d, "000201", 6));
}

static void check_success(const uint8_t *data, size_t size, const struct qrscan_payload *p)
{
	static struct cccdqr qr;
	static struct vietqr v;

	switch (p->kind) {
	case QRSCAN_CCCD:
		assert(cccdqr_parse(data, size, &qr, NULL) == 0);
		assert(!strcmp(qr.id, p->u.cccd.id));
		assert(!strcmp(qr.full_name, p->u.cccd.full_name));
		break;
	case QRSCAN_VIETQR:
		assert(vietqr_parse(data, size, &v, NULL) == 0);
		assert(!strcmp(v.account, p->u.vietqr.account));
		assert(v.crc == p->u.vietqr.crc);
		break;
	default:
		assert(p->kind == QRSCAN_OTHER);
		assert(!opens_like_either(data, size));
	}
	assert(strcmp(qrscan_kind_name(p->kind), "") != 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct qrscan_payload p;
	struct cccd_err e = { 0 };
	int rc = qrscan_payload_parse(data, size, &p, &e);

	if (rc) {
		assert(rc < 0 && e.code == rc && e.msg[0]);
		assert(p.kind == QRSCAN_OTHER);
		assert(opens_like_either(data, size));
		return 0;
	}
	check_success(data, size, &p);
	return 0;
}
