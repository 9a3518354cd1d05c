/* SPDX-License-Identifier: MIT */
/* test_link_pcsc.c - the PC/SC link's ATR reading and URI options (drivers/nfc/link_pcsc.c);
 * transfers through real pcscd are tests/cli/test_readers_pcsc.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "card_link.h"
#include "nfc/link_pcsc.h"

/* ISO 7816-3 §8.2 / 7816-4 §8.1.1.2.7: T0 = 85 (TD1, 5 historical bytes), TD1 = 80 (TD2, T=0),
 * TD2 = 01 (T=1); historical 80 | 73 00 00 C0 = card capabilities, 3rd byte b7 = extended Lc/Le. */
static const uint8_t atr_ext[] = {0x3B, 0x85, 0x80, 0x01, 0x80, 0x73, 0x00, 0x00, 0xC0, 0x37};

static void atr_with_extended_length(void **state)
{
	(void)state;
	assert_true(link_pcsc_atr_extended(atr_ext, sizeof(atr_ext)));
}

static void atr_without_extended_length(void **state)
{
	uint8_t a[sizeof(atr_ext)];

	(void)state;
	memcpy(a, atr_ext, sizeof(a));
	a[8] = 0x80; /* chaining only: the negative twin */
	assert_false(link_pcsc_atr_extended(a, sizeof(a)));
}

static void atr_category_00_skips_status_bytes(void **state)
{
	/* 3B 88 80 01 | 00 73 00 00 40 | 00 90 00 ... : capabilities inside, status bytes after */
	const uint8_t a[] = {0x3B, 0x88, 0x80, 0x01, 0x00, 0x73, 0x00,
			     0x00, 0x40, 0x00, 0x90, 0x00, 0x00};
	/* 3B 86 80 01 | 00 73 00 00 40 00: the 3 status bytes would overlap the object */
	const uint8_t b[] = {0x3B, 0x86, 0x80, 0x01, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x00};

	(void)state;
	assert_true(link_pcsc_atr_extended(a, sizeof(a)));
	assert_false(link_pcsc_atr_extended(b, sizeof(b)));
}

static void atr_truncated_or_odd_is_not_extended(void **state)
{
	const uint8_t odd[] = {0x3B, 0x85, 0x80, 0x01, 0x80, 0x7F, 0x00, 0x00, 0xC0};

	(void)state;
	for (size_t n = 0; n < sizeof(atr_ext) - 1; n++)
		assert_false(link_pcsc_atr_extended(atr_ext, n));
	assert_false(link_pcsc_atr_extended(odd, sizeof(odd))); /* object longer than the bytes */
}

static void uri_options(void **state)
{
	struct card_link l;
	struct cccd_err e;
	uint8_t r[4];
	size_t n;
	const uint8_t sel[] = {0x00, 0xA4, 0x04, 0x0C};

	(void)state;
	assert_int_equal(card_link_open(&l, "pcsc:Reader?ext=2", &e), -CCCD_EINVAL);
	assert_string_equal(e.msg, "unknown option 'ext=2'");
	assert_int_equal(card_link_open(&l, "pcsc:Reader?ext=1", &e), 0);
	assert_int_equal(card_link_transceive(&l, sel, sizeof(sel), r, sizeof(r), &n, &e),
			 -CCCD_ENOCARD);
	card_link_close(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(atr_with_extended_length),
	    cmocka_unit_test(atr_without_extended_length),
	    cmocka_unit_test(atr_category_00_skips_status_bytes),
	    cmocka_unit_test(atr_truncated_or_odd_is_not_extended),
	    cmocka_unit_test(uri_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
