/* SPDX-License-Identifier: MIT */
/* test_kbd_decode.c - the host model: reports → text, per strategy, from hand-made reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "out/kbd.h"

#define ALT   0x04
#define KP(d) ((d) == 0 ? 0x62 : 0x58 + (d))

static const char *decode(enum kbd_strategy s, const uint8_t (*r)[8], size_t n, uint8_t leds)
{
	static char out[256];
	struct kbd_opts o = {.strategy = s};

	if (kbd_reports_parse(&r[0][0], n * 8, &o, leds, out, sizeof(out), NULL))
		return "<error>";
	return out;
}

/* Windows Alt codes: 0233 → CP1252 é; 130 → CP437 é; 7877 → U+1EC5 (RichEdit). */
static void alt_codes(void **state)
{
	const uint8_t ansi[][8] = {{ALT, 0, KP(0)}, {ALT}, {ALT, 0, KP(2)}, {ALT},
				   {ALT, 0, KP(3)}, {ALT}, {ALT, 0, KP(3)}, {0}};
	const uint8_t oem[][8] = {{ALT, 0, KP(1)}, {ALT},	    {ALT, 0, KP(3)},
				  {ALT},	   {ALT, 0, KP(0)}, {0}};
	const uint8_t uni[][8] = {{ALT, 0, KP(7)}, {ALT}, {ALT, 0, KP(8)}, {ALT},
				  {ALT, 0, KP(7)}, {ALT}, {ALT, 0, KP(7)}, {0}};
	const uint8_t euro[][8] = {{ALT, 0, KP(0)}, {ALT}, {ALT, 0, KP(1)}, {ALT},
				   {ALT, 0, KP(2)}, {ALT}, {ALT, 0, KP(8)}, {0}};

	(void)state;
	assert_string_equal(decode(KBD_UNICODE_WINDOWS, ansi, 8, KBD_LED_NUM), "\u00e9");
	assert_string_equal(decode(KBD_UNICODE_WINDOWS, oem, 6, KBD_LED_NUM), "\u00e9");
	assert_string_equal(decode(KBD_UNICODE_WINDOWS, uni, 8, KBD_LED_NUM), "\u1ec5");
	/* 0128 is the euro sign in CP1252, not U+0080 */
	assert_string_equal(decode(KBD_UNICODE_WINDOWS, euro, 8, KBD_LED_NUM), "\u20ac");
	/* codes of control characters type nothing: Alt 8, Alt 08, Ctrl+Shift+U 8 */
	const uint8_t bs[][8] = {{ALT, 0, KP(8)}, {0}, {ALT, 0, KP(0)}, {ALT},
				 {ALT, 0, KP(8)}, {0}, {0x03, 0, 0x18}, {0},
				 {0, 0, 0x25},	  {0}, {0, 0, 0x2C},	{0}};
	assert_string_equal(decode(KBD_UNICODE_WINDOWS, bs, 6, KBD_LED_NUM), "");
	assert_string_equal(decode(KBD_UNICODE_LINUX, bs + 6, 6, 0), "");
	/* Num Lock off: keypad keys are arrows, nothing is typed */
	assert_string_equal(decode(KBD_UNICODE_WINDOWS, uni, 8, 0), "");
	/* other strategies do not treat Alt as a code: a shortcut, types nothing */
	assert_string_equal(decode(KBD_ASCII, uni, 8, KBD_LED_NUM), "");
}

static void ctrl_shift_u(void **state)
{
	const uint8_t ok[][8] = {{0x03, 0, 0x18}, {0}, {0, 0, 0x22}, {0}, {0, 0, 0x27}, {0},
				 {0x02, 0, 0x09}, {0}, {0, 0, 0x2C}, {0}};
	const uint8_t esc[][8] = {{0x03, 0, 0x18}, {0}, {0, 0, 0x22}, {0},
				  {0, 0, 0x29},	   {0}, {0, 0, 0x04}, {0}};

	(void)state;
	assert_string_equal(decode(KBD_UNICODE_LINUX, ok, 10, 0), "\u050f"); /* hex "50F" */
	assert_string_equal(decode(KBD_UNICODE_LINUX, esc, 8, 0), "a");
	assert_string_equal(decode(KBD_TELEX, ok, 10, 0), "50F "); /* no IBus: typed as is */
}

static void keys_caps_and_rollover(void **state)
{
	/* a held while b pressed (two keys in one report), rollover error 01 ignored */
	const uint8_t r[][8] = {{0, 0, 0x04},	    {0, 0, 0x04, 0x05},
				{0, 0, 0x01, 0x01}, {0},
				{0, 0, 0x39},	    {0},
				{0, 0, 0x04},	    {0},
				{0x02, 0, 0x04},    {0},
				{0x02, 0, 0x1E},    {0}};

	(void)state;
	assert_string_equal(decode(KBD_ASCII, r, 12, 0), "abAa!");
	assert_string_equal(decode(KBD_ASCII, r, 12, KBD_LED_CAPS), "ABaA!");
}

static void telex_and_vni_model(void **state)
{
	/* t i e e n g s → "tiếng"; v i e 6 t 5 → "việt" */
	const uint8_t tx[][8] = {{0, 0, 0x17}, {0}, {0, 0, 0x0C}, {0}, {0, 0, 0x08}, {0},
				 {0, 0, 0x08}, {0}, {0, 0, 0x11}, {0}, {0, 0, 0x0A}, {0},
				 {0, 0, 0x16}, {0}};
	const uint8_t vn[][8] = {{0, 0, 0x19}, {0}, {0, 0, 0x0C}, {0}, {0, 0, 0x08}, {0},
				 {0, 0, 0x23}, {0}, {0, 0, 0x17}, {0}, {0, 0, 0x22}, {0}};

	(void)state;
	assert_string_equal(decode(KBD_TELEX, tx, 14, 0), "ti\u1ebfng");
	assert_string_equal(decode(KBD_VNI, vn, 12, 0), "vi\u1ec7t");
	assert_string_equal(decode(KBD_ASCII, vn, 12, 0), "vie6t5");
}

static void malformed_streams(void **state)
{
	struct kbd_opts o = {.strategy = KBD_ASCII};
	struct cccd_err e = {0};
	uint8_t r[16] = {0, 0, 0x04, 0, 0, 0, 0, 0, 0, 7};
	char out[4];

	(void)state;
	assert_int_equal(kbd_reports_parse(r, 7, &o, 0, out, sizeof(out), &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "7 bytes: not whole 8-byte reports");
	assert_int_equal(kbd_reports_parse(r, 16, &o, 0, out, sizeof(out), &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "report 1: reserved byte is 0x07");
	r[9] = 0;
	assert_int_equal(kbd_reports_parse(r, 16, &o, 0, out, sizeof(out), &e), 0);
	assert_string_equal(out, "a");
	assert_int_equal(kbd_reports_parse(r, 16, &o, 0, out, 1, &e), -CCCD_ENOSPC);
	assert_int_equal(kbd_reports_parse(r, 0, &o, 0, out, sizeof(out), &e), 0);
	assert_string_equal(out, "");
}

static void led_reports(void **state)
{
	uint8_t leds = 0xFF;
	const uint8_t one[] = {0xE3}, two[] = {1, 2};

	(void)state;
	assert_int_equal(kbd_leds_parse(one, 1, &leds, NULL), 0);
	assert_int_equal(leds, KBD_LED_NUM | KBD_LED_CAPS); /* padding bits 5..7 dropped */
	assert_int_equal(kbd_leds_parse(two, 2, &leds, NULL), -CCCD_EFORMAT);
	assert_int_equal(kbd_leds_parse(one, 0, &leds, NULL), -CCCD_EFORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(alt_codes),
	    cmocka_unit_test(ctrl_shift_u),
	    cmocka_unit_test(keys_caps_and_rollover),
	    cmocka_unit_test(telex_and_vni_model),
	    cmocka_unit_test(malformed_streams),
	    cmocka_unit_test(led_reports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
