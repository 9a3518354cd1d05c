/* SPDX-License-Identifier: MIT */
/*
 * kbd_layout.h - keyboard layouts as data: which HID usage (USB HID Usage Tables 1.12 §10,
 * Keyboard/Keypad page 0x07) and which Shift state type a character on the host's layout.
 *
 * A layout is two strings indexed by usage - 0x04: the character of each key unshifted and with
 * Shift (a NUL byte marks a key that types nothing here). On "us", usage 0x04 types 'a' and with
 * Shift 'A'; '!' is usage 0x1E with Shift. Adding a layout = adding two strings. AltGr layers and
 * dead keys are not modelled yet.
 */
#ifndef CCCD_OUT_KBD_LAYOUT_H
#define CCCD_OUT_KBD_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KBD_MOD_LCTRL  0x01
#define KBD_MOD_LSHIFT 0x02
#define KBD_MOD_LALT   0x04
#define KBD_MOD_RSHIFT 0x20
#define KBD_MOD_SHIFT  (KBD_MOD_LSHIFT | KBD_MOD_RSHIFT)

#define KBD_KEY_A	 0x04
#define KBD_KEY_U	 0x18
#define KBD_KEY_ENTER	 0x28
#define KBD_KEY_ESC	 0x29
#define KBD_KEY_SPACE	 0x2C
#define KBD_KEY_CAPSLOCK 0x39
#define KBD_KEY_NUMLOCK	 0x53
#define KBD_KEY_KP_PLUS	 0x57
#define KBD_KEY_KP_ENTER 0x58
#define KBD_KEY_KP1	 0x59 /* KP1..KP9 = 0x59..0x61 */
#define KBD_KEY_KP0	 0x62

struct kbd_layout {
	const char *name;
	const char *plain; /* char typed by usage 0x04 + i without Shift */
	const char *shift; /* ... with Shift */
	size_t nkeys;	   /* length of both strings (they may hold NUL bytes) */
};

/* One key stroke: a usage and the modifier byte held with it. */
struct kbd_key {
	uint8_t usage;
	uint8_t mods;
};

/* The layout called name ("us"), or NULL. */
const struct kbd_layout *kbd_layout_find(const char *name);

/* The key that types ASCII c on layout l (plain preferred over Shift); false if none does. */
bool kbd_layout_key(const struct kbd_layout *l, char c, struct kbd_key *out);

/* The character usage types with or without Shift on l; 0 when it types none. */
char kbd_layout_char(const struct kbd_layout *l, uint8_t usage, bool shift);

/* Keypad digit usage → 0..9, or -1 when usage is not a keypad digit. */
int kbd_keypad_digit(uint8_t usage);

/* Usage of keypad digit d (0..9). */
uint8_t kbd_keypad_usage(int d);

#endif
