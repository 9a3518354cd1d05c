/* SPDX-License-Identifier: MIT */
/* test_vchip_jpeg.c - the portrait JPEG (drivers/nfc/vchip_jpeg.c): exact size, and a marker walk
 * (ITU-T T.81 §B.1.1.4: every segment's length field lands on the next marker) from SOI to SOS,
 * then EOI last. libjpeg decoding was checked by hand (no warnings) when the writer was made. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nfc/vchip_jpeg.h"

/* Walk the segments; returns the number seen of marker m, or -1 on a broken layout. */
static int count_marker(const uint8_t *b, size_t n, uint8_t m, int *w, int *h)
{
	size_t i = 2;
	int count = 0;

	if (n < 4 || b[0] != 0xff || b[1] != 0xd8 || b[n - 2] != 0xff || b[n - 1] != 0xd9)
		return -1;
	while (i + 4 <= n) {
		size_t seg;

		if (b[i] != 0xff)
			return -1;
		seg = (size_t)b[i + 2] << 8 | b[i + 3];
		count += b[i + 1] == m;
		if (b[i + 1] == 0xc0) {
			*h = b[i + 5] << 8 | b[i + 6];
			*w = b[i + 7] << 8 | b[i + 8];
		}
		if (b[i + 1] == 0xda)
			return count;
		i += 2 + seg;
	}
	return -1;
}

static void exact_sizes_and_valid_layout(void **state)
{
	static const size_t sizes[] = {1000, 1004, 1005, 15000, 36000, 65533 + 4 + 1000, 70000};
	uint8_t *b = malloc(70000);
	int w = 0, h = 0;

	(void)state;
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		memset(b, 0, 70000);
		assert_int_equal(vchip_jpeg_write(sizes[k], b, 70000, NULL), 0);
		assert_int_equal(count_marker(b, sizes[k], 0xc0, &w, &h), 1);
		assert_int_equal(w, VCHIP_JPEG_W);
		assert_int_equal(h, VCHIP_JPEG_H);
		assert_true(count_marker(b, sizes[k], 0xfe, &w, &h) >= (sizes[k] > 66000 ? 2 : 1));
	}
	/* negative twin of the walk: one broken length */
	assert_int_equal(vchip_jpeg_write(5000, b, 70000, NULL), 0);
	b[5] ^= 0x40;
	assert_int_equal(count_marker(b, 5000, 0xc0, &w, &h), -1);
	free(b);
}

static void same_size_same_bytes(void **state)
{
	uint8_t a[3000], b[3000];

	(void)state;
	assert_int_equal(vchip_jpeg_write(3000, a, sizeof(a), NULL), 0);
	assert_int_equal(vchip_jpeg_write(3000, b, sizeof(b), NULL), 0);
	assert_memory_equal(a, b, sizeof(a));
}

static void too_small_or_no_room(void **state)
{
	uint8_t b[2000];
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(vchip_jpeg_write(999, b, sizeof(b), &e), -CCCD_ERANGE);
	assert_int_equal(vchip_jpeg_write(2001, b, sizeof(b), &e), -CCCD_ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(exact_sizes_and_valid_layout),
	    cmocka_unit_test(same_size_same_bytes),
	    cmocka_unit_test(too_small_or_no_room),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
