/* SPDX-License-Identifier: MIT */
/* fuzz_sm_unwrap.c - drives sm_unwrap_response (terminal) and sm_unwrap_command (chip) past the
 * MAC check: the harness MACs the fuzzed SM body with the session key, as a hostile chip or
 * terminal holding the keys could. Byte 0 picks cipher and direction. Invariants: a failure hands
 * out no data, a success never more than the buffer, and the SSC moves by exactly one. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "emrtd/sm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void mac_body(const struct sm_ctx *sm, const uint8_t *hdr, const uint8_t *body, size_t n,
		     uint8_t *mac)
{
	static const uint8_t hpad[12] = {0x80};
	struct sm_ctx next = *sm;
	size_t block = emrtd_block_len(sm->cipher);
	struct emrtd_mac m;

	sm_ssc_inc(&next);
	if (emrtd_mac_start(&m, sm->cipher, sm->ks_mac, NULL) == 0) {
		emrtd_mac_update(&m, next.ssc, block, NULL);
		if (hdr) {
			emrtd_mac_update(&m, hdr, 4, NULL);
			emrtd_mac_update(&m, hpad, block - 4, NULL);
		}
		emrtd_mac_update(&m, body, n, NULL);
		emrtd_mac_finish(&m, true, mac, NULL);
	}
	emrtd_mac_free(&m);
}

static void response(struct sm_ctx *sm, const uint8_t *body, size_t n)
{
	uint8_t resp[600], out[512];
	size_t dn = 12345;
	uint16_t sw;

	memcpy(resp, body, n);
	resp[n] = 0x8E;
	resp[n + 1] = 0x08;
	mac_body(sm, NULL, body, n, resp + n + 2);
	resp[n + 10] = 0x90;
	resp[n + 11] = 0x00;
	if (sm_unwrap_response(sm, resp, n + 12, out, sizeof(out), &dn, &sw, NULL))
		assert(dn == 0);
	else
		assert(dn <= sizeof(out));
}

static void command(struct sm_ctx *sm, const uint8_t *body, size_t n)
{
	const uint8_t hdr[4] = {0x0C, 0xB0, 0x00, 0x00};
	uint8_t cmd[300], out[300];
	struct apdu a;

	if (n + 10 > 255)
		return;
	memcpy(cmd, hdr, 4);
	cmd[4] = (uint8_t)(n + 10);
	memcpy(cmd + 5, body, n);
	cmd[5 + n] = 0x8E;
	cmd[6 + n] = 0x08;
	mac_body(sm, hdr, body, n, cmd + 7 + n);
	cmd[15 + n] = 0x00;
	if (sm_unwrap_command(sm, cmd, n + 16, &a, out, sizeof(out), NULL) == 0)
		assert(a.lc <= sizeof(out) && (!a.lc || a.data == out));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t key[32] = {0x42};
	enum emrtd_cipher c;
	struct sm_ctx sm;

	if (size < 1 || size > 513)
		return 0;
	c = (data[0] & 1) ? EMRTD_CIPHER_AES128 : EMRTD_CIPHER_3DES;
	sm_init(&sm, c, key, key, NULL, NULL);
	if (data[0] & 2)
		command(&sm, data + 1, size - 1);
	else
		response(&sm, data + 1, size - 1);
	return 0;
}
