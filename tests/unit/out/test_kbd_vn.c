/* SPDX-License-Identifier: MIT */
/* test_kbd_vn.c - letter split/join and the Unikey model: tone placement, undo, word ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "out/kbd_vn.h"

static const char *type(bool vni, bool modern, const char *keys)
{
	static char buf[256];
	struct kbd_text t = {buf, sizeof(buf), 0, false};
	struct kbd_ime m;

	buf[0] = '\0';
	kbd_ime_init(&m, vni, modern);
	for (const char *k = keys; *k; k++)
		kbd_ime_key(&m, *k, &t);
	kbd_ime_flush(&m, &t);
	return buf;
}

static void split_and_join(void **state)
{
	struct kbd_vn_letter l;

	(void)state;
	assert_true(kbd_vn_split(0x1EE3, &l)); /* ợ */
	assert_int_equal(l.base, 'o');
	assert_int_equal(l.shape, VN_HORN);
	assert_int_equal(l.tone, VN_NANG);
	assert_int_equal(kbd_vn_join(&l), 0x1EE3);
	assert_true(kbd_vn_split(0x1EB6, &l)); /* Ặ: dot below decomposes before the breve */
	assert_int_equal(l.base, 'A');
	assert_int_equal(l.shape, VN_BREVE);
	assert_int_equal(kbd_vn_join(&l), 0x1EB6);
	assert_true(kbd_vn_split(0x0110, &l));
	assert_int_equal(kbd_vn_join(&l), 0x0110);
	assert_false(kbd_vn_split(0x00E7, &l)); /* ç */
	assert_false(kbd_vn_split(0x00F1, &l)); /* ñ: tilde on a consonant */
	assert_false(kbd_vn_split('1', &l));
	l = (struct kbd_vn_letter){'e', VN_BREVE, 0};
	assert_int_equal(kbd_vn_join(&l), 0);
	l = (struct kbd_vn_letter){'t', VN_PLAIN, VN_SAC};
	assert_int_equal(kbd_vn_join(&l), 0);
}

/* The placement rule of kbd_vn.h, one case per branch, with the modern twin. */
static void tone_placement(void **state)
{
	(void)state;
	assert_string_equal(type(false, false, "nguyeenx"), "nguy\u1ec5n");	/* shaped vowel */
	assert_string_equal(type(false, false, "hoanf"), "ho\u00e0n");		/* final cons. */
	assert_string_equal(type(false, false, "hoaf"), "h\u00f2a");		/* old style */
	assert_string_equal(type(false, true, "hoaf"), "ho\u00e0");		/* modern */
	assert_string_equal(type(false, false, "muaf"), "m\u00f9a");		/* ua: first */
	assert_string_equal(type(false, true, "muaf"), "m\u00f9a");		/* not oa/oe/uy */
	assert_string_equal(type(false, false, "ngoaif"), "ngo\u00e0i");	/* middle of 3 */
	assert_string_equal(type(false, false, "quys"), "qu\u00fd");		/* qu consonant */
	assert_string_equal(type(false, false, "giaf"), "gi\u00e0");		/* gi consonant */
	assert_string_equal(type(false, false, "gif"), "g\u00ec");		/* gi alone */
	assert_string_equal(type(false, false, "nguwowif"), "ng\u01b0\u1eddi"); /* ươ: ơ */
}

static void undo_and_literals(void **state)
{
	(void)state;
	assert_string_equal(type(false, false, "ass"), "as");
	assert_string_equal(type(false, false, "asss"), "ass"); /* literal after the undo */
	assert_string_equal(type(false, false, "ddd"), "dd");
	assert_string_equal(type(false, false, "aaa"), "aa");
	assert_string_equal(type(false, false, "ww"), "w");
	assert_string_equal(type(false, false, "tw"), "t\u01b0");
	assert_string_equal(type(false, false, "xyz"), "xyz"); /* no tone to remove */
	assert_string_equal(type(false, false, "asz"), "a");   /* z removes the tone */
	assert_string_equal(type(false, false, "s a"), "s a");
	assert_string_equal(type(true, false, "a11"), "a1");
	assert_string_equal(type(true, false, "12"), "12");
	assert_string_equal(type(true, false, "d9a9"), "da9");
	assert_string_equal(type(true, false, "A6a"), "\u00c2a");
	assert_string_equal(type(false, false, "ab\bc"), "ac");
	assert_string_equal(type(false, false, "a \b\bb"), "b");
}

static void text_buffer_bounds(void **state)
{
	char small[4];
	struct kbd_text t = {small, sizeof(small), 0, false};

	(void)state;
	kbd_text_put(&t, "abc", 3);
	assert_false(t.overflow);
	kbd_text_put(&t, "d", 1);
	assert_true(t.overflow);
	assert_string_equal(small, "abc");
	kbd_text_backspace(&t);
	assert_string_equal(small, "ab");
	t.overflow = false;
	kbd_text_put_cp(&t, 0x1EC5); /* 3 bytes do not fit after 2 */
	assert_true(t.overflow);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(split_and_join),
	    cmocka_unit_test(tone_placement),
	    cmocka_unit_test(undo_and_literals),
	    cmocka_unit_test(text_buffer_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
