/* SPDX-License-Identifier: MIT */
/* test_key_sink.c - the registry: schemes, unknown schemes, NULL-safe wrappers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "key_sink.h"

static void registry(void **state)
{
	struct key_sink s;
	struct cccd_err e = {0};
	uint8_t leds;

	(void)state;
	assert_true(key_sink_scheme_known("gadget:/dev/hidg0"));
	assert_true(key_sink_scheme_known("file:/tmp/x"));
	assert_false(key_sink_scheme_known("bridge:/dev/ttyACM0"));
	assert_false(key_sink_scheme_known("file"));
	assert_false(key_sink_scheme_known("fil:/x"));
	assert_int_equal(key_sink_open(&s, "usb:/dev/x", &e), -CCCD_ENOTSUP);
	assert_string_equal(e.msg, "no key sink for 'usb:/dev/x' (gadget:, file:)");
	assert_int_equal(key_sink_leds(&s, &leds, NULL), -CCCD_ENOTSUP);
	key_sink_close(&s); /* closing a sink that never opened is harmless */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(registry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
