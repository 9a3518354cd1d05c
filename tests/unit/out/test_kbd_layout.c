/* SPDX-License-Identifier: MIT */
/* test_kbd_layout.c - the US layout table against USB HID Usage Tables 1.12 §10. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "out/kbd_layout.h"

static void us_usages(void **state)
{
	const struct kbd_layout *us = kbd_layout_find("us");
	struct kbd_key k;

	(void)state;
	assert_non_null(us);
	assert_null(kbd_layout_find("fr"));
	assert_true(kbd_layout_key(us, 'a', &k) && k.usage == 0x04 && k.mods == 0);
	assert_true(kbd_layout_key(us, 'Z', &k) && k.usage == 0x1D && k.mods == KBD_MOD_LSHIFT);
	assert_true(kbd_layout_key(us, '0', &k) && k.usage == 0x27);
	assert_true(kbd_layout_key(us, '!', &k) && k.usage == 0x1E && k.mods);
	assert_true(kbd_layout_key(us, '\n', &k) && k.usage == 0x28 && k.mods == 0);
	assert_true(kbd_layout_key(us, '\t', &k) && k.usage == 0x2B);
	assert_true(kbd_layout_key(us, '/', &k) && k.usage == 0x38);
	assert_true(kbd_layout_key(us, '"', &k) && k.usage == 0x34 && k.mods);
	assert_false(kbd_layout_key(us, '\r', &k));
	assert_false(kbd_layout_key(us, '\0', &k)); /* 0x32 holds NUL: never matches */
	/* every printable ASCII character has a key, and that key types it back */
	for (char c = 0x20; c < 0x7F; c++) {
		assert_true(kbd_layout_key(us, c, &k));
		assert_int_equal(kbd_layout_char(us, k.usage, k.mods != 0), c);
	}
	assert_int_equal(kbd_layout_char(us, 0x32, false), 0);
	assert_int_equal(kbd_layout_char(us, 0x39, false), 0);
	assert_int_equal(kbd_layout_char(us, 0x03, false), 0);
}

static void keypad(void **state)
{
	(void)state;
	assert_int_equal(kbd_keypad_usage(0), 0x62);
	assert_int_equal(kbd_keypad_usage(1), 0x59);
	assert_int_equal(kbd_keypad_usage(9), 0x61);
	for (int d = 0; d < 10; d++)
		assert_int_equal(kbd_keypad_digit(kbd_keypad_usage(d)), d);
	assert_int_equal(kbd_keypad_digit(0x58), -1);
	assert_int_equal(kbd_keypad_digit(0x63), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(us_usages),
	    cmocka_unit_test(keypad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
