/* SPDX-License-Identifier: MIT */
/*
 * kbd_decode.c - the host model: boot-keyboard reports → the text a host shows (kbd.h).
 * A key types when its usage appears in a report that the previous one lacked (HID 1.11 §B.1;
 * usage 01 = ErrorRollOver is ignored). Caps/Num Lock toggle on press. Per strategy:
 *   unicode-windows: Alt held over keypad digits, typed on Alt release, as Windows does in
 *     RichEdit controls (WordPad, Word, most .NET/Qt fields): "0"+N → ANSI code page (CP1252)
 *     byte N mod 256; N ≤ 255 → OEM code page (CP437) byte; N > 255 → U+N. Plain Win32 edit
 *     controls (old Notepad) give N mod 256 in CP437 instead: not modelled.
 *   unicode-linux: Ctrl+Shift+U, hex digits, Space or Enter commits; Esc cancels (IBus).
 *   Codes of control characters type nothing.
 *   telex / vni: each typed character goes through the Unikey model of kbd_vn.c.
 * Example: 04 00 62 ..., 04 00 62 ..., 04 00 5A.., 04 00 5B.., 04 00 5B.., 00 (Alt 0233) → "é".
 */
#include <ctype.h>
#include <iconv.h>
#include <string.h>

#include "out/kbd.h"
#include "out/kbd_vn.h"

struct host {
	const struct kbd_opts *o;
	const struct kbd_layout *l;
	bool num, caps;
	uint8_t prev[KBD_REPORT_LEN];
	uint32_t acc;	 /* Alt-code or Ctrl+Shift+U value being typed */
	unsigned digits; /* digits in acc */
	bool lead0;	 /* Alt code began with keypad 0 */
	bool hex;	 /* inside Ctrl+Shift+U */
	struct kbd_ime ime;
	struct kbd_text *out;
};

/* Byte b in a legacy code page, through iconv (glibc's tables, not ours). */
static void put_codepage(struct kbd_text *t, const char *cs, unsigned char b)
{
	iconv_t cd = iconv_open("UTF-8", cs);
	char in[1] = {(char)b}, u[8];
	char *ip = in, *op = u;
	size_t il = 1, ol = sizeof(u);

	if (cd == (iconv_t)-1)
		return;
	if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
		kbd_text_put(t, u, sizeof(u) - ol);
	iconv_close(cd);
}

static void emit(struct host *h, char c)
{
	if (h->o->strategy == KBD_TELEX || h->o->strategy == KBD_VNI)
		kbd_ime_key(&h->ime, c, h->out);
	else if (c == '\b')
		kbd_text_backspace(h->out);
	else
		kbd_text_put(h->out, &c, 1);
}

/* A code point typed by code (Alt or Ctrl+Shift+U): control characters type nothing. */
static void put_coded(struct kbd_text *t, uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return;
	kbd_text_put_cp(t, cp);
}

static void alt_done(struct host *h)
{
	if (h->digits) {
		if (h->lead0 && (h->acc & 0xFF) >= 0x20 && (h->acc & 0xFF) != 0x7F)
			put_codepage(h->out, "CP1252", (unsigned char)(h->acc & 0xFF));
		else if (!h->lead0 && h->acc >= 0x20 && h->acc <= 0xFF && h->acc != 0x7F)
			put_codepage(h->out, "CP437", (unsigned char)h->acc);
		else if (h->acc > 0xFF)
			put_coded(h->out, h->acc);
	}
	h->acc = 0;
	h->digits = 0;
	h->lead0 = false;
}

static void add_digit(struct host *h, unsigned base, unsigned d)
{
	if (h->digits == 0 && d == 0)
		h->lead0 = true;
	if (h->acc <= 0x10FFFF) /* past that the code is invalid anyway; stop before overflow */
		h->acc = h->acc * base + d;
	h->digits++;
}

/* Inside Ctrl+Shift+U: hex digits collect, Space/Enter commit, anything else cancels. */
static bool hex_key(struct host *h, char c)
{
	if (isxdigit((unsigned char)c) && h->digits < 8) {
		add_digit(h, 16,
			  (unsigned)(isdigit((unsigned char)c) ? c - '0' : tolower(c) - 'a' + 10));
		return true;
	}
	if ((c == ' ' || c == '\n') && h->digits)
		put_coded(h->out, h->acc);
	h->hex = false;
	h->acc = 0;
	h->digits = 0;
	return c == ' ' || c == '\n' || c == 0x1b;
}

static char key_char(struct host *h, uint8_t usage, uint8_t mods)
{
	bool shift = (mods & KBD_MOD_SHIFT) != 0;
	char c = kbd_layout_char(h->l, usage, shift);
	int d = kbd_keypad_digit(usage);

	if (d >= 0)
		return h->num ? (char)('0' + d) : 0;
	if (usage == KBD_KEY_KP_ENTER)
		return '\n';
	if (isalpha((unsigned char)c) && h->caps)
		c = kbd_layout_char(h->l, usage, !shift);
	return c;
}

static void press(struct host *h, uint8_t usage, uint8_t mods)
{
	bool alt = mods & (KBD_MOD_LALT | 0x40), ctrl = mods & (KBD_MOD_LCTRL | 0x10);
	char c;

	if (usage == KBD_KEY_CAPSLOCK || usage == KBD_KEY_NUMLOCK) {
		if (usage == KBD_KEY_CAPSLOCK)
			h->caps = !h->caps;
		else
			h->num = !h->num;
		return;
	}
	if (alt && h->o->strategy == KBD_UNICODE_WINDOWS && h->num &&
	    kbd_keypad_digit(usage) >= 0) {
		add_digit(h, 10, (unsigned)kbd_keypad_digit(usage));
		return;
	}
	if (ctrl && (mods & KBD_MOD_SHIFT) && usage == KBD_KEY_U &&
	    h->o->strategy == KBD_UNICODE_LINUX) {
		h->hex = true;
		h->acc = 0;
		h->digits = 0;
		return;
	}
	if (alt || ctrl) /* a shortcut: types nothing */
		return;
	c = key_char(h, usage, mods);
	if (!c || (h->hex && hex_key(h, c)))
		return;
	emit(h, c);
}

static bool held_before(const struct host *h, uint8_t usage)
{
	return memchr(h->prev + 2, usage, KBD_REPORT_LEN - 2) != NULL;
}

static void report(struct host *h, const uint8_t *r)
{
	bool alt_was = h->prev[0] & (KBD_MOD_LALT | 0x40), alt_now = r[0] & (KBD_MOD_LALT | 0x40);

	for (size_t j = 2; j < KBD_REPORT_LEN; j++)
		if (r[j] > 0x03 && !held_before(h, r[j]))
			press(h, r[j], r[0]);
	if (alt_was && !alt_now)
		alt_done(h);
	memcpy(h->prev, r, KBD_REPORT_LEN);
}

int kbd_reports_parse(const uint8_t *buf, size_t len, const struct kbd_opts *o, uint8_t leds,
		      char *text, size_t cap, struct cccd_err *err)
{
	struct kbd_text out = {text, cap, 0, false};
	struct host h = {.o = o,
			 .l = o->layout ? o->layout : kbd_layout_find("us"),
			 .num = leds & KBD_LED_NUM,
			 .caps = leds & KBD_LED_CAPS,
			 .out = &out};

	if (cap == 0)
		return cccd_err_set(err, -CCCD_EINVAL, "kbd", "no room for the text");
	text[0] = '\0';
	if (len % KBD_REPORT_LEN)
		return cccd_err_set(err, -CCCD_EFORMAT, "kbd",
				    "%zu bytes: not whole %d-byte reports", len, KBD_REPORT_LEN);
	kbd_ime_init(&h.ime, o->strategy == KBD_VNI, o->modern_tones);
	for (size_t i = 0; i < len; i += KBD_REPORT_LEN) {
		if (buf[i + 1])
			return cccd_err_set(err, -CCCD_EFORMAT, "kbd",
					    "report %zu: reserved byte is 0x%02X",
					    i / KBD_REPORT_LEN, buf[i + 1]);
		report(&h, buf + i);
	}
	if (h.prev[0] & (KBD_MOD_LALT | 0x40))
		alt_done(&h);
	kbd_ime_flush(&h.ime, &out);
	if (out.overflow)
		return cccd_err_set(err, -CCCD_ENOSPC, "kbd", "text longer than %zu bytes",
				    cap - 1);
	return 0;
}

int kbd_leds_parse(const uint8_t *buf, size_t len, uint8_t *leds, struct cccd_err *err)
{
	if (len != 1)
		return cccd_err_set(err, -CCCD_EFORMAT, "kbd",
				    "LED report of %zu bytes, expected 1", len);
	*leds = buf[0] & 0x1F;
	return 0;
}
