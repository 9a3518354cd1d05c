/* SPDX-License-Identifier: MIT */
/* test_line.c - baud, framing and flow parsing, each accepted value with a rejected twin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/err.h"
#include "out/line.h"

static void baud(void **state)
{
	struct out_line l;
	char m[160];

	(void)state;
	out_line_defaults(&l);
	assert_int_equal(l.baud, 9600);
	assert_int_equal(out_line_baud(&l, "115200", m, sizeof(m)), 0);
	assert_int_equal(l.baud, 115200);
	assert_int_equal(out_line_baud(&l, "4000000", m, sizeof(m)), 0);
	assert_int_equal(out_line_baud(&l, "115201", m, sizeof(m)), -CCCD_ECONFIG);
	assert_int_equal(out_line_baud(&l, "14400", m, sizeof(m)), -CCCD_ECONFIG); /* no B14400 */
	assert_int_equal(out_line_baud(&l, "0", m, sizeof(m)), -CCCD_ECONFIG);
	assert_int_equal(out_line_baud(&l, "9600x", m, sizeof(m)), -CCCD_ECONFIG);
	assert_int_equal(out_line_baud(&l, "", m, sizeof(m)), -CCCD_ECONFIG);
	assert_int_equal(out_line_baud(&l, "99999999999999999999", m, sizeof(m)), -CCCD_ECONFIG);
	assert_int_equal(l.baud, 4000000); /* a rejected value changes nothing */
	assert_true(out_line_baud_ok(50));
	assert_false(out_line_baud_ok(4000001));
}

static void framing_and_flow(void **state)
{
	struct out_line l;
	char m[160];

	(void)state;
	out_line_defaults(&l);
	assert_int_equal(out_line_framing(&l, "7E1", m, sizeof(m)), 0);
	assert_int_equal(l.data_bits, 7);
	assert_int_equal(l.parity, 'E');
	assert_int_equal(l.stop_bits, 1);
	assert_int_equal(out_line_framing(&l, "8O2", m, sizeof(m)), 0);
	assert_int_equal(out_line_framing(&l, "5N1", m, sizeof(m)), 0);
	assert_int_equal(out_line_framing(&l, "4N1", m, sizeof(m)), -CCCD_ECONFIG);
	assert_int_equal(out_line_framing(&l, "8X1", m, sizeof(m)), -CCCD_ECONFIG);
	assert_int_equal(out_line_framing(&l, "8N3", m, sizeof(m)), -CCCD_ECONFIG);
	assert_int_equal(out_line_framing(&l, "8N", m, sizeof(m)), -CCCD_ECONFIG);
	assert_int_equal(out_line_framing(&l, "8N1 ", m, sizeof(m)), -CCCD_ECONFIG);
	assert_int_equal(l.data_bits, 5);
	assert_int_equal(out_line_flow(&l, "xonxoff", m, sizeof(m)), 0);
	assert_int_equal(l.flow, OUT_FLOW_XONXOFF);
	assert_int_equal(out_line_flow(&l, "hardware", m, sizeof(m)), -CCCD_ECONFIG);
	assert_string_equal(m, "flow: expected none, rtscts or xonxoff, got \"hardware\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(baud),
	    cmocka_unit_test(framing_and_flow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
