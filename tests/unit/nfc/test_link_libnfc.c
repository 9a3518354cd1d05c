/* SPDX-License-Identifier: MIT */
/* test_link_libnfc.c - the libnfc link's open errors (drivers/nfc/link_libnfc.c); reads through
 * the real pn532_uart driver are tests/cli/test_readers_libnfc.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "card_link.h"

static void missing_device_is_an_io_error(void **state)
{
	struct card_link l;
	struct cccd_err e;

	(void)state;
	assert_int_equal(card_link_open(&l, "libnfc:pn532_uart:/nonexistent/ttyX", &e), -CCCD_EIO);
	assert_string_equal(e.where, "link_libnfc");
	assert_string_equal(e.msg, "cannot open 'pn532_uart:/nonexistent/ttyX'");
	assert_null(l.ops);
}

static void unknown_driver_is_an_io_error(void **state)
{
	struct card_link l;
	struct cccd_err e;

	(void)state;
	assert_int_equal(card_link_open(&l, "libnfc:no_such_driver:x", &e), -CCCD_EIO);
}

static void overlong_connstring_is_refused(void **state)
{
	struct card_link l;
	struct cccd_err e;
	char uri[1200];

	(void)state;
	memset(uri, 'a', sizeof(uri) - 1);
	uri[sizeof(uri) - 1] = '\0';
	memcpy(uri, "libnfc:", 7);
	assert_int_equal(card_link_open(&l, uri, &e), -CCCD_EINVAL);
	assert_string_equal(e.msg, "connstring too long");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(missing_device_is_an_io_error),
	    cmocka_unit_test(unknown_driver_is_an_io_error),
	    cmocka_unit_test(overlong_connstring_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
