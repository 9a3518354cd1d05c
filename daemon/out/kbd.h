/* SPDX-License-Identifier: MIT */
/*
 * kbd.h - text to USB HID boot-keyboard reports and back, under five Vietnamese text strategies.
 *
 * A boot report (HID 1.11 Appendix B.1) is 8 bytes: modifiers, reserved 0, six usages. Typing
 * "A" on the US layout is two reports: press 02 00 04 00 00 00 00 00, release 00 x8; every key
 * is released before the next, so "aa" never reads as one held key. Strategies for letters
 * beyond ASCII ("ễ" U+1EC5):
 *   ascii            strip marks: "e"                  (any host)
 *   unicode-windows  Alt + keypad 7877 (0-prefixed ANSI code for U+00A0..U+00FF, e.g. Alt 0233)
 *   unicode-linux    Ctrl+Shift+U, "1ec5", Space       (IBus, GTK)
 *   telex / vni      "eex" / "e64", composed by Unikey on the host (kbd_vn.h)
 * kbd_reports_parse() is the host model that turns reports back into text; docs/outputs.md
 * gives each strategy's caveats. Caps Lock is switched off (and Num Lock on for Alt codes)
 * before typing and restored after, from the host's LED state.
 */
#ifndef CCCD_OUT_KBD_H
#define CCCD_OUT_KBD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "out/kbd_layout.h"

#define KBD_REPORT_LEN 8
#define KBD_MAX_TEXT   2048 /* bytes of UTF-8 typed per call */
#define KBD_LED_NUM    0x01
#define KBD_LED_CAPS   0x02
#define KBD_LED_SCROLL 0x04

enum kbd_strategy { KBD_ASCII, KBD_UNICODE_WINDOWS, KBD_UNICODE_LINUX, KBD_TELEX, KBD_VNI };

struct kbd_opts {
	enum kbd_strategy strategy;
	const struct kbd_layout *layout; /* NULL = "us" */
	bool modern_tones;		 /* telex/vni host set to "oà, uý" placement */
};

struct kbd_reports {
	uint8_t (*r)[KBD_REPORT_LEN]; /* caller's array */
	size_t cap;		      /* reports it holds */
	size_t n;		      /* reports written */
};

/* Strategy from its name ("telex"); -CCCD_ENOENT when unknown. */
int kbd_strategy_from_name(const char *name, enum kbd_strategy *out);
const char *kbd_strategy_name(enum kbd_strategy s);

/* Append the reports that type UTF-8 text[0..len) to out, correcting the host's lock state
 * (leds, KBD_LED_*) first and restoring it after. -CCCD_EFORMAT (bad UTF-8), -CCCD_ERANGE
 * (a character this strategy or layout cannot type; msg gives its column), -CCCD_ENOSPC. */
int kbd_encode(const struct kbd_opts *o, const uint8_t *text, size_t len, uint8_t leds,
	       struct kbd_reports *out, struct cccd_err *err);

/* The host model: the text that reports buf[0..len) (8 bytes each) type under o, starting from
 * lock state leds, NUL-terminated into text[0..cap). -CCCD_EFORMAT (length not a multiple of 8,
 * reserved byte not 0), -CCCD_ENOSPC. */
int kbd_reports_parse(const uint8_t *buf, size_t len, const struct kbd_opts *o, uint8_t leds,
		      char *text, size_t cap, struct cccd_err *err);

/* An LED output report from the host (HID 1.11 B.1: one byte, bit 0 Num, 1 Caps, 2 Scroll,
 * 3 Compose, 4 Kana; padding bits ignored). -CCCD_EFORMAT unless len is 1. */
int kbd_leds_parse(const uint8_t *buf, size_t len, uint8_t *leds, struct cccd_err *err);

#endif
