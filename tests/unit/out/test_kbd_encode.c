/* SPDX-License-Identifier: MIT */
/* test_kbd_encode.c - text → reports under the five strategies, checked by decoding them again
 * with the host model (kbd_decode.c): every Vietnamese letter with every tone, both cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/utf8.h"
#include "out/kbd.h"
#include "out/kbd_vn.h"

#define CAP 8192

static uint8_t reps[CAP][KBD_REPORT_LEN];

static const enum kbd_strategy all[] = {KBD_ASCII, KBD_UNICODE_WINDOWS, KBD_UNICODE_LINUX,
					KBD_TELEX, KBD_VNI};

/* Encode text, decode the reports, return the decoded text in out; asserts both succeed. */
static size_t round_trip(enum kbd_strategy s, const char *text, uint8_t leds, char *out, size_t cap)
{
	struct kbd_opts o = {.strategy = s};
	struct kbd_reports r = {reps, CAP, 0};
	struct cccd_err e = {0};

	if (kbd_encode(&o, (const uint8_t *)text, strlen(text), leds, &r, &e))
		fail_msg("%s: encode: %s", kbd_strategy_name(s), e.msg);
	if (kbd_reports_parse(&reps[0][0], r.n * KBD_REPORT_LEN, &o, leds, out, cap, &e))
		fail_msg("%s: decode: %s", kbd_strategy_name(s), e.msg);
	return r.n;
}

static void expect_same(enum kbd_strategy s, const char *text, uint8_t leds)
{
	char out[4 * KBD_MAX_TEXT], want[4 * KBD_MAX_TEXT];

	round_trip(s, text, leds, out, sizeof(out));
	if (s == KBD_ASCII)
		assert_int_equal(cccd_utf8_strip_marks((const uint8_t *)text, strlen(text), want,
						       sizeof(want), NULL),
				 0);
	else
		snprintf(want, sizeof(want), "%s", text);
	if (strcmp(out, want))
		fail_msg("%s: typed \"%s\", host sees \"%s\"", kbd_strategy_name(s), want, out);
}

/* 12 vowels × 6 tones × 2 cases + đ Đ = 146 letters, built from parts (not a literal list). */
static size_t every_letter(char (*letters)[8])
{
	static const struct kbd_vn_letter vowels[] = {
	    {'a', VN_PLAIN, 0}, {'a', VN_BREVE, 0}, {'a', VN_CIRC, 0},	{'e', VN_PLAIN, 0},
	    {'e', VN_CIRC, 0},	{'i', VN_PLAIN, 0}, {'o', VN_PLAIN, 0}, {'o', VN_CIRC, 0},
	    {'o', VN_HORN, 0},	{'u', VN_PLAIN, 0}, {'u', VN_HORN, 0},	{'y', VN_PLAIN, 0},
	};
	size_t n = 0;

	for (size_t v = 0; v < 12; v++) {
		for (int t = VN_LEVEL; t <= VN_NANG; t++) {
			for (int up = 0; up < 2; up++) {
				struct kbd_vn_letter l = vowels[v];
				struct kbd_text txt = {letters[n++], 8, 0, false};

				l.tone = (uint8_t)t;
				l.base = up ? (char)(l.base - 32) : l.base;
				assert_true(kbd_vn_join(&l) != 0);
				kbd_text_put_cp(&txt, kbd_vn_join(&l));
			}
		}
	}
	snprintf(letters[n++], 8, "\u0111");
	snprintf(letters[n++], 8, "\u0110");
	return n;
}

static void every_letter_every_tone_every_strategy(void **state)
{
	char letters[160][8];
	size_t n = every_letter(letters);

	(void)state;
	assert_int_equal(n, 146);
	for (size_t s = 0; s < 5; s++)
		for (size_t i = 0; i < n; i++)
			expect_same(all[s], letters[i], 0);
}

/* The same letters inside syllables, where Unikey places the tone by rule. */
static void letters_in_syllables(void **state)
{
	char letters[160][8], word[32];
	size_t n = every_letter(letters);

	(void)state;
	for (size_t s = 0; s < 5; s++) {
		for (size_t i = 0; i < n; i++) {
			snprintf(word, sizeof(word), "t%sn x%s", letters[i], letters[i]);
			expect_same(all[s], word, 0);
		}
	}
}

static const char *const lines[] = {
    "001200012345\tNguyễn Văn Hòa\t01/02/2000\n",
    "Trần Thị Thủy, Lê Quý Đôn; Người Đặng\tPhường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội\n",
    "Trương Quốc Khánh\tGiang gì quà khuỷu ngoài Nguyễn Thị Ngọc Ánh\n",
    "Bùi Tiến Dũng Đinh Bộ Lĩnh Hồ Xuân Hương Phạm Hoàng Long\n",
    "Hoo A1 Ross Ww dd Tuesday Eddie wow 1A1 x9 oo aa\n", /* literal mark keys: escaped */
    "NGUYỄN VĂN AN ĐỨC ƯỚC\n",
};

static void names_and_addresses(void **state)
{
	(void)state;
	for (size_t s = 0; s < 5; s++)
		for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
			expect_same(all[s], lines[i], 0);
}

/* Caps Lock on at the host: switched off first, back on after; Num Lock on for Alt codes. */
static void lock_state_is_corrected_and_restored(void **state)
{
	struct kbd_opts o = {.strategy = KBD_UNICODE_WINDOWS};
	struct kbd_reports r = {reps, CAP, 0};
	char out[64];

	(void)state;
	for (uint8_t leds = 0; leds < 8; leds++)
		for (size_t s = 0; s < 5; s++)
			expect_same(all[s], "A é ễ z", leds);
	assert_int_equal(kbd_encode(&o, (const uint8_t *)"a", 1, KBD_LED_CAPS, &r, NULL), 0);
	/* caps tap, num tap, 'a', caps tap, num tap: 10 reports */
	assert_int_equal(r.n, 10);
	assert_int_equal(reps[0][2], KBD_KEY_CAPSLOCK);
	assert_int_equal(reps[2][2], KBD_KEY_NUMLOCK);
	assert_int_equal(reps[4][2], 0x04);
	assert_int_equal(reps[4][0], 0);
	/* decoded with the wrong lock state the text is wrong: the correction matters */
	assert_int_equal(kbd_reports_parse(&reps[4][0], 2 * KBD_REPORT_LEN, &o, KBD_LED_CAPS, out,
					   sizeof(out), NULL),
			 0);
	assert_string_equal(out, "A");
}

/* kbd.h worked examples: "A" on us is press 02 00 04, release; "ễ" in unicode-linux = 12. */
static void worked_reports(void **state)
{
	struct kbd_opts o = {.strategy = KBD_UNICODE_LINUX};
	struct kbd_reports r = {reps, CAP, 0};
	static const uint8_t press_a[8] = {0x02, 0, 0x04}, none[8] = {0};
	static const uint8_t want[12][8] = {
	    {0x03, 0, 0x18}, {0}, {0, 0, 0x1E}, {0}, {0, 0, 0x08}, {0},
	    {0, 0, 0x06},    {0}, {0, 0, 0x22}, {0}, {0, 0, 0x2C}, {0},
	};

	(void)state;
	assert_int_equal(kbd_encode(&o, (const uint8_t *)"A", 1, 0, &r, NULL), 0);
	assert_int_equal(r.n, 2);
	assert_memory_equal(reps[0], press_a, 8);
	assert_memory_equal(reps[1], none, 8);
	r.n = 0;
	assert_int_equal(kbd_encode(&o, (const uint8_t *)"\u1ec5", 3, 0, &r, NULL), 0);
	assert_int_equal(r.n, 12);
	assert_memory_equal(reps, want, sizeof(want));
	/* repeated keys are separated by a release */
	r.n = 0;
	assert_int_equal(kbd_encode(&o, (const uint8_t *)"aa", 2, 0, &r, NULL), 0);
	assert_int_equal(r.n, 4);
	assert_memory_equal(reps[1], none, 8);
}

static void telex_and_vni_keys(void **state)
{
	struct kbd_reports r = {reps, CAP, 0};
	struct kbd_opts t = {.strategy = KBD_TELEX}, v = {.strategy = KBD_VNI};
	/* "ễ": telex e e x, vni e 6 4 (VNI 4 = ngã; 3 would be hỏi "ể") */
	static const uint8_t tx[3] = {0x08, 0x08, 0x1B}, vn[3] = {0x08, 0x23, 0x21};

	(void)state;
	assert_int_equal(kbd_encode(&t, (const uint8_t *)"\u1ec5", 3, 0, &r, NULL), 0);
	assert_int_equal(r.n, 6);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(reps[2 * i][2], tx[i]);
	r.n = 0;
	assert_int_equal(kbd_encode(&v, (const uint8_t *)"\u1ec5", 3, 0, &r, NULL), 0);
	assert_int_equal(r.n, 6);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(reps[2 * i][2], vn[i]);
	/* "A1" in VNI: the 1 is typed twice (Unikey undoes the sắc and types "1") */
	r.n = 0;
	assert_int_equal(kbd_encode(&v, (const uint8_t *)"A1", 2, 0, &r, NULL), 0);
	assert_int_equal(r.n, 6);
}

static void rejects_what_cannot_be_typed(void **state)
{
	struct kbd_reports r = {reps, CAP, 0};
	struct kbd_opts o = {.strategy = KBD_ASCII};
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(kbd_encode(&o, (const uint8_t *)"ab\xe2\x82\xac", 5, 0, &r, &e),
			 -CCCD_ERANGE); /* € has no ASCII form */
	assert_string_equal(e.msg, "col 3: no ASCII form");
	assert_int_equal(kbd_encode(&o, (const uint8_t *)"a\r", 2, 0, &r, &e), -CCCD_ERANGE);
	assert_string_equal(e.msg, "col 2: control character 0x0D"); /* use \\n for Enter */
	assert_int_equal(kbd_encode(&o, (const uint8_t *)"a\xff", 2, 0, &r, &e), -CCCD_EFORMAT);
	/* text never presses Backspace or Esc (found by fuzz_kbd_reports: Alt 8 → U+0008) */
	assert_int_equal(kbd_encode(&o, (const uint8_t *)"ab\bc", 4, 0, &r, &e), -CCCD_ERANGE);
	assert_string_equal(e.msg, "col 3: control character 0x08");
	assert_int_equal(kbd_encode(&o, (const uint8_t *)"\x1b", 1, 0, &r, &e), -CCCD_ERANGE);
	o.strategy = KBD_TELEX; /* "Hoà" (modern placement) cannot come out of an old-style host */
	assert_int_equal(kbd_encode(&o, (const uint8_t *)"Ho\xc3\xa0", 4, 0, &r, &e), -CCCD_ERANGE);
	assert_string_equal(e.msg, "col 1: word not typable in telex");
	o.modern_tones = true;
	r.n = 0;
	assert_int_equal(kbd_encode(&o, (const uint8_t *)"Ho\xc3\xa0", 4, 0, &r, &e), 0);
	o.strategy = KBD_VNI;
	assert_int_equal(kbd_encode(&o, (const uint8_t *)"\xc3\xa7", 2, 0, &r, &e), -CCCD_ERANGE);
	/* too many reports for the caller's array */
	r = (struct kbd_reports){reps, 3, 0};
	assert_int_equal(kbd_encode(&o, (const uint8_t *)"ab", 2, 0, &r, &e), -CCCD_ENOSPC);
}

static void strategy_names(void **state)
{
	enum kbd_strategy s;

	(void)state;
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(kbd_strategy_from_name(kbd_strategy_name(all[i]), &s), 0);
		assert_int_equal(s, all[i]);
	}
	assert_int_equal(kbd_strategy_from_name("Telex", &s), -CCCD_ENOENT);
	assert_string_equal(kbd_strategy_name((enum kbd_strategy)9), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_letter_every_tone_every_strategy),
	    cmocka_unit_test(letters_in_syllables),
	    cmocka_unit_test(names_and_addresses),
	    cmocka_unit_test(lock_state_is_corrected_and_restored),
	    cmocka_unit_test(worked_reports),
	    cmocka_unit_test(telex_and_vni_keys),
	    cmocka_unit_test(rejects_what_cannot_be_typed),
	    cmocka_unit_test(strategy_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
