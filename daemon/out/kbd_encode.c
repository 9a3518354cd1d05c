/* SPDX-License-Identifier: MIT */
/*
 * kbd_encode.c - text → boot-keyboard reports under each strategy (kbd.h).
 * Worked example, "ễ" under unicode-linux on "us": 03 00 18.. (Ctrl+Shift+U), 00.., then
 * taps of '1' '1e'... i.e. 00 00 1E, 00, 00 00 08, 00, 00 00 06, 00, 00 00 22, 00, and Space
 * 00 00 2C, 00 - 12 reports. Telex and VNI words are checked against the Unikey model
 * (kbd_vn.h) before they are emitted; a literal letter the model would turn into a mark
 * ("Hoo" in Telex, "A1" in VNI) is typed twice, which Unikey reads as "undo, type the key".
 */
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "core/utf8.h"
#include "out/kbd.h"
#include "out/kbd_vn.h"

static const char *const names[] = {"ascii", "unicode-windows", "unicode-linux", "telex", "vni"};

int kbd_strategy_from_name(const char *name, enum kbd_strategy *out)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(name, names[i])) {
			*out = (enum kbd_strategy)i;
			return 0;
		}
	}
	return -CCCD_ENOENT;
}

const char *kbd_strategy_name(enum kbd_strategy s)
{
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

struct enc {
	const struct kbd_opts *o;
	const struct kbd_layout *l;
	struct kbd_reports *out;
	struct cccd_err *err;
	size_t col; /* 1-based character column of the text being typed, for errors */
	/* telex/vni: the host model fed with what was emitted so far */
	struct kbd_ime ime;
	struct kbd_text sim;
	char simbuf[KBD_MAX_TEXT + 64];
};

static int put(struct enc *e, uint8_t mods, uint8_t usage)
{
	uint8_t *r;

	if (e->out->n >= e->out->cap)
		return cccd_err_set(e->err, -CCCD_ENOSPC, "kbd", "more than %zu reports",
				    e->out->cap);
	r = e->out->r[e->out->n++];
	memset(r, 0, KBD_REPORT_LEN);
	r[0] = mods;
	r[2] = usage;
	return 0;
}

static int tap(struct enc *e, uint8_t mods, uint8_t usage)
{
	int rc = put(e, mods, usage);

	return rc ? rc : put(e, 0, 0);
}

static int tap_char(struct enc *e, char c)
{
	struct kbd_key k;

	if (((unsigned char)c < 0x20 && c != '\t' && c != '\n') ||
	    c == 0x7F) /* no Backspace, Esc */
		return cccd_err_set(e->err, -CCCD_ERANGE, "kbd",
				    "col %zu: control character 0x%02X", e->col, (unsigned char)c);
	if (!kbd_layout_key(e->l, c, &k))
		return cccd_err_set(e->err, -CCCD_ERANGE, "kbd", "col %zu: no key for 0x%02X on %s",
				    e->col, (unsigned char)c, e->l->name);
	return tap(e, k.mods, k.usage);
}

static int tap_ascii(struct enc *e, const char *s)
{
	int rc = 0;

	while (*s && !rc)
		rc = tap_char(e, *s++);
	return rc;
}

static int one_ascii(struct enc *e, const uint8_t *ch, size_t n)
{
	char plain[16];

	if (cccd_utf8_strip_marks(ch, n, plain, sizeof(plain), NULL) || strlen(plain) != 1 ||
	    (unsigned char)plain[0] > 0x7F)
		return cccd_err_set(e->err, -CCCD_ERANGE, "kbd", "col %zu: no ASCII form", e->col);
	return tap_char(e, plain[0]);
}

/* Alt held over keypad digits; a leading 0 selects the ANSI code page (= Latin-1 at A0..FF). */
static int one_windows(struct enc *e, uint32_t cp)
{
	char dec[16];
	int rc = 0;

	snprintf(dec, sizeof(dec), cp <= 0xFF ? "0%u" : "%u", (unsigned)cp);
	for (const char *d = dec; *d && !rc; d++) {
		rc = put(e, KBD_MOD_LALT, kbd_keypad_usage(*d - '0'));
		if (!rc)
			rc = put(e, KBD_MOD_LALT, 0);
	}
	return rc ? rc : put(e, 0, 0);
}

static int one_linux(struct enc *e, uint32_t cp)
{
	char hex[16];
	int rc = tap(e, KBD_MOD_LCTRL | KBD_MOD_LSHIFT, KBD_KEY_U);

	snprintf(hex, sizeof(hex), "%x ", (unsigned)cp);
	return rc ? rc : tap_ascii(e, hex);
}

static int direct(struct enc *e, const uint8_t *t, size_t len)
{
	int rc = 0;

	for (size_t i = 0; i < len && !rc; e->col++) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(t + i, (utf8proc_ssize_t)(len - i), &cp);

		if (k <= 0)
			return cccd_err_set(e->err, -CCCD_EFORMAT, "kbd", "byte %zu: bad UTF-8", i);
		if (cp < 0x80)
			rc = tap_char(e, (char)cp);
		else if (e->o->strategy == KBD_ASCII)
			rc = one_ascii(e, t + i, (size_t)k);
		else if (e->o->strategy == KBD_UNICODE_WINDOWS)
			rc = one_windows(e, (uint32_t)cp);
		else
			rc = one_linux(e, (uint32_t)cp);
		i += (size_t)k;
	}
	return rc;
}

/* --- telex / vni: emit keys and feed the same keys to the host model --- */

static int key(struct enc *e, char c)
{
	kbd_ime_key(&e->ime, c, &e->sim);
	return tap_char(e, c);
}

/* Does committed + rendered model text equal t[0..n)? */
static bool model_is(struct enc *e, const uint8_t *t, size_t n)
{
	size_t keep = e->sim.len;
	bool same;

	kbd_ime_render(&e->ime, &e->sim);
	same = !e->sim.overflow && e->sim.len == n && !memcmp(e->sim.buf, t, n);
	e->sim.len = keep;
	e->sim.buf[keep] = '\0';
	return same;
}

static const char telex_tone[] = "_sfrxj";

/* Keys of one letter without its tone: base, then the shape key. */
static int letter_keys(struct enc *e, const struct kbd_vn_letter *l)
{
	static const char vni_shape[] = {0, '6', '8', '7', '9'};
	int rc = key(e, l->base);

	if (rc || l->shape == VN_PLAIN)
		return rc;
	if (e->o->strategy == KBD_VNI)
		return key(e, vni_shape[l->shape]);
	if (l->shape == VN_CIRC || l->shape == VN_STROKE)
		return key(e, l->base);
	return key(e, 'w');
}

/* A word typed as Vietnamese: letters with their shapes, the one tone key last. */
static int word_marked(struct enc *e, const struct kbd_vn_letter *w, size_t n)
{
	uint8_t tone = VN_LEVEL;
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		if (w[i].tone && tone)
			return -CCCD_ERANGE; /* two tones: not one syllable */
		if (w[i].tone)
			tone = w[i].tone;
		rc = letter_keys(e, &w[i]);
	}
	if (rc || !tone)
		return rc;
	return key(e, e->o->strategy == KBD_VNI ? (char)('0' + tone) : telex_tone[tone]);
}

/* One ASCII character, typed again when the model took it as a mark (Unikey's undo). */
static int literal(struct enc *e, char c, const uint8_t *t, size_t upto)
{
	int rc = key(e, c);

	if (rc || model_is(e, t, upto))
		return rc;
	rc = key(e, c);
	if (rc || model_is(e, t, upto))
		return rc;
	return cccd_err_set(e->err, -CCCD_ERANGE, "kbd", "col %zu: cannot be typed in %s", e->col,
			    kbd_strategy_name(e->o->strategy));
}

/* Split the letter run at t into w; returns bytes consumed (0 = not a letter). */
static size_t letters(const uint8_t *t, size_t len, struct kbd_vn_letter *w, size_t *n)
{
	size_t i = 0;

	*n = 0;
	while (i < len && *n < KBD_IME_WORD) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(t + i, (utf8proc_ssize_t)(len - i), &cp);

		if (k <= 0 || !kbd_vn_split((uint32_t)cp, &w[*n]))
			break;
		(*n)++;
		i += (size_t)k;
	}
	return i;
}

static bool all_plain(const struct kbd_vn_letter *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (w[i].shape || w[i].tone)
			return false;
	return true;
}

static int word(struct enc *e, const uint8_t *t, size_t at, size_t wl,
		const struct kbd_vn_letter *w, size_t n)
{
	struct kbd_ime save = e->ime;
	size_t save_len = e->sim.len, save_n = e->out->n;
	int rc = word_marked(e, w, n);

	if (rc == 0 && model_is(e, t, at + wl))
		return 0;
	if (rc && rc != -CCCD_ERANGE)
		return rc;
	e->ime = save; /* plan B: letter by letter, escaping where the model interferes */
	e->sim.len = save_len;
	e->sim.buf[save_len] = '\0';
	e->out->n = save_n;
	if (!all_plain(w, n))
		return cccd_err_set(e->err, -CCCD_ERANGE, "kbd", "col %zu: word not typable in %s",
				    e->col, kbd_strategy_name(e->o->strategy));
	for (size_t i = 0; i < n && !rc; i++)
		rc = literal(e, w[i].base, t, at + i + 1);
	return rc;
}

static int composed(struct enc *e, const uint8_t *t, size_t len)
{
	struct kbd_vn_letter w[KBD_IME_WORD];
	int rc = 0;

	kbd_ime_init(&e->ime, e->o->strategy == KBD_VNI, e->o->modern_tones);
	e->sim = (struct kbd_text){e->simbuf, sizeof(e->simbuf), 0, false};
	e->simbuf[0] = '\0';
	for (size_t i = 0; i < len && !rc;) {
		size_t n, wl = letters(t + i, len - i, w, &n);

		if (wl) {
			rc = word(e, t, i, wl, w, n);
			e->col += n;
			i += wl;
		} else if (t[i] < 0x80) {
			rc = literal(e, (char)t[i], t, i + 1);
			e->col++;
			i++;
		} else {
			return cccd_err_set(e->err, -CCCD_ERANGE, "kbd",
					    "col %zu: not a Vietnamese letter", e->col);
		}
	}
	return rc;
}

static int lock_fix(struct enc *e, uint8_t leds)
{
	int rc = 0;

	if (leds & KBD_LED_CAPS)
		rc = tap(e, 0, KBD_KEY_CAPSLOCK);
	if (!rc && e->o->strategy == KBD_UNICODE_WINDOWS && !(leds & KBD_LED_NUM))
		rc = tap(e, 0, KBD_KEY_NUMLOCK);
	return rc;
}

int kbd_encode(const struct kbd_opts *o, const uint8_t *text, size_t len, uint8_t leds,
	       struct kbd_reports *out, struct cccd_err *err)
{
	struct enc e;
	char nfc[KBD_MAX_TEXT + 1];
	int rc;

	if (len > KBD_MAX_TEXT)
		return cccd_err_set(err, -CCCD_ERANGE, "kbd", "text of %zu bytes, max %d", len,
				    KBD_MAX_TEXT);
	rc = cccd_utf8_nfc(text, len, nfc, sizeof(nfc), err);
	if (rc)
		return rc == -CCCD_ENOSPC ? cccd_err_set(err, rc, "kbd",
							 "text grows past %d bytes "
							 "in NFC",
							 KBD_MAX_TEXT)
					  : rc;
	e = (struct enc){.o = o,
			 .l = o->layout ? o->layout : kbd_layout_find("us"),
			 .out = out,
			 .err = err,
			 .col = 1};
	rc = lock_fix(&e, leds);
	if (!rc && (o->strategy == KBD_TELEX || o->strategy == KBD_VNI))
		rc = composed(&e, (const uint8_t *)nfc, strlen(nfc));
	else if (!rc)
		rc = direct(&e, (const uint8_t *)nfc, strlen(nfc));
	if (!rc)
		rc = lock_fix(&e, leds); /* the same toggles put the host back as it was */
	return rc;
}
