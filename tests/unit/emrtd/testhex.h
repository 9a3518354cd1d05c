/* SPDX-License-Identifier: MIT */
/* testhex.h - hex helpers shared by the emrtd unit tests (header-only, test code only). */
#ifndef CCCD_TEST_EMRTD_HEX_H
#define CCCD_TEST_EMRTD_HEX_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Decode hex (spaces allowed) into out; returns the byte count, aborts the test on bad input. */
static inline size_t hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s == ' ')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			abort();
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= cap)
			abort();
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0)
		abort();
	return n;
}

/* Compare len bytes of got with the hex string want (cmocka assert). */
#define assert_hex_equal(got, got_len, want)                                                       \
	do {                                                                                       \
		uint8_t want_buf_[1024];                                                           \
		size_t want_len_ = hex((want), want_buf_, sizeof(want_buf_));                      \
		assert_int_equal((got_len), want_len_);                                            \
		assert_memory_equal((got), want_buf_, want_len_);                                  \
	} while (0)

#endif
