/* SPDX-License-Identifier: MIT */
/*
 * kbd_layout.c - the layout table (see kbd_layout.h) and lookups in both directions.
 * Usages per USB HID Usage Tables 1.12 §10: 0x04..0x1D letters, 0x1E..0x27 digits 1..0,
 * 0x28 Enter, 0x29 Esc, 0x2A Backspace, 0x2B Tab, 0x2C Space, 0x2D..0x38 punctuation
 * (0x32 is the non-US '#' key, absent on the US layout). Keypad digits sit at 0x59..0x62.
 */
#include <string.h>

#include "out/kbd_layout.h"

/* Both strings cover usages 0x04..0x38; "\0" is a key that types nothing on this layout. */
static const char us_plain[] = "abcdefghijklmnopqrstuvwxyz1234567890\n\x1b\b\t -=[]\\\0;'`,./";
static const char us_shift[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!@#$%^&*()\n\x1b\b\t _+{}|\0:\"~<>?";

static const struct kbd_layout layouts[] = {
    {"us", us_plain, us_shift, sizeof(us_plain) - 1},
};

_Static_assert(sizeof(us_plain) == sizeof(us_shift), "us layout strings differ in length");
_Static_assert(sizeof(us_plain) - 1 == 0x38 - 0x04 + 1, "us layout must cover 0x04..0x38");

const struct kbd_layout *kbd_layout_find(const char *name)
{
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (!strcmp(layouts[i].name, name))
			return &layouts[i];
	return NULL;
}

bool kbd_layout_key(const struct kbd_layout *l, char c, struct kbd_key *out)
{
	if (c == '\0')
		return false;
	for (size_t i = 0; i < l->nkeys; i++) {
		if (l->plain[i] == c) {
			*out = (struct kbd_key){(uint8_t)(KBD_KEY_A + i), 0};
			return true;
		}
	}
	for (size_t i = 0; i < l->nkeys; i++) {
		if (l->shift[i] == c) {
			*out = (struct kbd_key){(uint8_t)(KBD_KEY_A + i), KBD_MOD_LSHIFT};
			return true;
		}
	}
	return false;
}

char kbd_layout_char(const struct kbd_layout *l, uint8_t usage, bool shift)
{
	if (usage < KBD_KEY_A || (size_t)(usage - KBD_KEY_A) >= l->nkeys)
		return 0;
	return shift ? l->shift[usage - KBD_KEY_A] : l->plain[usage - KBD_KEY_A];
}

int kbd_keypad_digit(uint8_t usage)
{
	if (usage == KBD_KEY_KP0)
		return 0;
	if (usage >= KBD_KEY_KP1 && usage < KBD_KEY_KP1 + 9)
		return usage - KBD_KEY_KP1 + 1;
	return -1;
}

uint8_t kbd_keypad_usage(int d)
{
	return d == 0 ? KBD_KEY_KP0 : (uint8_t)(KBD_KEY_KP1 + d - 1);
}
