/* SPDX-License-Identifier: MIT */
/* mocklink.h - a scripted card_link for emrtd unit tests (header-only, test code only): each
 * transceive must send exactly the next scripted command (hex) and gets the scripted answer.
 * A "*" command accepts anything (for steps whose bytes depend on earlier randomness). */
#ifndef CCCD_TEST_EMRTD_MOCKLINK_H
#define CCCD_TEST_EMRTD_MOCKLINK_H

#include <stdio.h>
#include <string.h>

#include "card_link.h"
#include "testhex.h"

struct mock_step {
	const char *cmd;
	const char *resp;
};

struct mock_link {
	const struct mock_step *steps;
	size_t n;
	size_t next;
	char mismatch[160]; /* first difference seen, for the assertion message */
};

static inline int mock_transceive(struct card_link *link, const uint8_t *apdu, size_t apdu_len,
				  uint8_t *resp, size_t resp_cap, size_t *resp_len,
				  struct cccd_err *err)
{
	struct mock_link *m = link->priv;
	uint8_t want[1024];
	size_t wn;

	if (m->next >= m->n)
		return cccd_err_set(err, -CCCD_EIO, "mock", "APDU %zu not scripted", m->next + 1);
	if (strcmp(m->steps[m->next].cmd, "*") != 0) {
		wn = hex(m->steps[m->next].cmd, want, sizeof(want));
		if (wn != apdu_len || memcmp(want, apdu, wn) != 0) {
			snprintf(m->mismatch, sizeof(m->mismatch),
				 "APDU %zu differs (len %zu vs %zu)", m->next + 1, apdu_len, wn);
			return cccd_err_set(err, -CCCD_EIO, "mock", "%s", m->mismatch);
		}
	}
	*resp_len = hex(m->steps[m->next].resp, resp, resp_cap);
	m->next++;
	return 0;
}

static const struct card_link_ops mock_ops = {.scheme = "mock", .transceive = mock_transceive};

static inline void mock_link_init(struct card_link *link, struct mock_link *m,
				  const struct mock_step *steps, size_t n)
{
	memset(link, 0, sizeof(*link));
	memset(m, 0, sizeof(*m));
	m->steps = steps;
	m->n = n;
	link->ops = &mock_ops;
	link->priv = m;
}

/* An RNG that hands out a fixed byte string in order (the spec's RND.IFD, K.IFD, ...). */
struct script_rng {
	uint8_t bytes[128];
	size_t len;
	size_t off;
};

static inline int script_rng(void *ctx, unsigned char *buf, size_t len)
{
	struct script_rng *r = ctx;

	if (r->len - r->off < len)
		return -1;
	memcpy(buf, r->bytes + r->off, len);
	r->off += len;
	return 0;
}

#endif
