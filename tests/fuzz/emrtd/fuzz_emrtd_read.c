/* SPDX-License-Identifier: MIT */
/* fuzz_emrtd_read.c - a hostile chip for emrtd_read_file (plain session): the input is the chip's
 * answers, each a 1-byte length then that many bytes. Invariants: the read ends (bounded APDU
 * count), never reports more than the buffer, and a success returns exactly the EF's TLV length. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "emrtd/emrtd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct script {
	const uint8_t *p;
	size_t left;
};

static int answer(struct card_link *link, const uint8_t *apdu, size_t apdu_len, uint8_t *resp,
		  size_t resp_cap, size_t *resp_len, struct cccd_err *err)
{
	struct script *s = link->priv;
	size_t n;

	(void)apdu;
	(void)apdu_len;
	if (s->left < 1)
		return cccd_err_set(err, -CCCD_EIO, "fuzz", "chip silent");
	n = s->p[0];
	if (n > s->left - 1 || n > resp_cap)
		return cccd_err_set(err, -CCCD_EIO, "fuzz", "short frame");
	memcpy(resp, s->p + 1, n);
	*resp_len = n;
	s->p += 1 + n;
	s->left -= 1 + n;
	return 0;
}

static const struct card_link_ops ops = {.scheme = "fuzz", .transceive = answer};
static struct emrtd_session sess;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script s = {data, size};
	struct card_link link = {.ops = &ops, .priv = &s};
	static uint8_t buf[1024];
	size_t n = 77;
	int rc;

	emrtd_init(&sess, &link, NULL, NULL, 0);
	rc = emrtd_read_file(&sess, EMRTD_FID_COM, 0x1E, buf, sizeof(buf), &n, NULL);
	assert(link.apdus <= size + 1);
	if (rc) {
		assert(n == 0);
		return 0;
	}
	assert(n >= 2 && n <= sizeof(buf));
	return 0;
}
