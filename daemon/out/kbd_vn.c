/* SPDX-License-Identifier: MIT */
/*
 * kbd_vn.c - Vietnamese letters and the Unikey Telex/VNI model (see kbd_vn.h).
 * Letters are split and joined with utf8proc's canonical (de)composition, so the tables of
 * 134 precomposed letters are Unicode's own: "ợ" U+1EE3 = 'o' U+031B (horn) U+0323 (nặng).
 * Tone placement follows the orthographic rule of Quyết định 240/QĐ (1984) that Unikey applies;
 * "qu" and "gi" before a vowel count as consonants ("quý", "già").
 */
#include <ctype.h>
#include <string.h>
#include <utf8proc.h>

#include "out/kbd_vn.h"

static const uint32_t shape_mark[] = {0, 0x0302, 0x0306, 0x031B, 0};
static const uint32_t tone_mark[] = {0, 0x0301, 0x0300, 0x0309, 0x0303, 0x0323};

bool kbd_vn_is_vowel(char c)
{
	return c && strchr("aeiouyAEIOUY", c) != NULL;
}

static bool shape_fits(char base, uint8_t shape)
{
	char b = (char)tolower((unsigned char)base);

	switch (shape) {
	case VN_PLAIN:
		return true;
	case VN_CIRC:
		return b == 'a' || b == 'e' || b == 'o';
	case VN_BREVE:
		return b == 'a';
	case VN_HORN:
		return b == 'o' || b == 'u';
	default:
		return b == 'd';
	}
}

static int mark_index(const uint32_t *tab, size_t n, uint32_t cp)
{
	for (size_t i = 1; i < n; i++)
		if (tab[i] == cp)
			return (int)i;
	return -1;
}

bool kbd_vn_split(uint32_t cp, struct kbd_vn_letter *out)
{
	utf8proc_int32_t d[4];
	utf8proc_ssize_t n;
	int last = 0;

	memset(out, 0, sizeof(*out));
	if (cp == 0x0110 || cp == 0x0111) {
		*out = (struct kbd_vn_letter){cp == 0x0110 ? 'D' : 'd', VN_STROKE, VN_LEVEL};
		return true;
	}
	n = utf8proc_decompose_char((utf8proc_int32_t)cp, d, 4, UTF8PROC_DECOMPOSE, &last);
	if (n < 1 || n > 3 || d[0] > 0x7F || !isalpha(d[0]))
		return false;
	out->base = (char)d[0];
	for (utf8proc_ssize_t i = 1; i < n; i++) {
		int s = mark_index(shape_mark, 4, (uint32_t)d[i]);
		int t = mark_index(tone_mark, 6, (uint32_t)d[i]);

		if (s > 0 && out->shape == VN_PLAIN)
			out->shape = (uint8_t)s;
		else if (t > 0 && !out->tone)
			out->tone = (uint8_t)t;
		else
			return false;
	}
	return shape_fits(out->base, out->shape) && (!out->tone || kbd_vn_is_vowel(out->base));
}

uint32_t kbd_vn_join(const struct kbd_vn_letter *l)
{
	utf8proc_int32_t cps[3];
	utf8proc_ssize_t n = 0;

	if (!isalpha((unsigned char)l->base) || l->shape > VN_STROKE || l->tone > VN_NANG ||
	    !shape_fits(l->base, l->shape) || (l->tone && !kbd_vn_is_vowel(l->base)))
		return 0;
	if (l->shape == VN_STROKE)
		return isupper((unsigned char)l->base) ? 0x0110 : 0x0111;
	/* marks in canonical order (combining classes: horn 216, dot below 220, the rest 230),
	 * which composition needs */
	cps[n++] = (unsigned char)l->base;
	if (l->tone == VN_NANG && l->shape != VN_HORN)
		cps[n++] = (utf8proc_int32_t)tone_mark[l->tone];
	if (l->shape)
		cps[n++] = (utf8proc_int32_t)shape_mark[l->shape];
	if (l->tone && (l->tone != VN_NANG || l->shape == VN_HORN))
		cps[n++] = (utf8proc_int32_t)tone_mark[l->tone];
	n = utf8proc_normalize_utf32(cps, n, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	return n == 1 ? (uint32_t)cps[0] : 0;
}

void kbd_text_put(struct kbd_text *t, const char *s, size_t n)
{
	if (t->cap == 0 || n >= t->cap - t->len) {
		t->overflow = true;
		return;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

void kbd_text_put_cp(struct kbd_text *t, uint32_t cp)
{
	utf8proc_uint8_t b[4];
	utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)cp, b);

	if (n <= 0 || cp == 0) {
		t->overflow = true; /* not a code point: reported, never typed silently */
		return;
	}
	kbd_text_put(t, (const char *)b, (size_t)n);
}

void kbd_text_backspace(struct kbd_text *t)
{
	while (t->len && ((unsigned char)t->buf[t->len - 1] & 0xC0) == 0x80)
		t->len--;
	if (t->len)
		t->len--;
	if (t->cap)
		t->buf[t->len] = '\0';
}

void kbd_ime_init(struct kbd_ime *m, bool vni, bool modern)
{
	memset(m, 0, sizeof(*m));
	m->vni = vni;
	m->modern = modern;
}

static char low(char c)
{
	return (char)tolower((unsigned char)c);
}

/* First and one-past-last index of the vowel nucleus; "qu", "gi" + vowel are consonants. */
static void nucleus(const struct kbd_ime *m, size_t *s, size_t *e)
{
	size_t i = 0;

	while (i < m->n && !kbd_vn_is_vowel(m->w[i].base))
		i++;
	if (i > 0 && i + 1 < m->n && kbd_vn_is_vowel(m->w[i + 1].base) &&
	    ((low(m->w[i - 1].base) == 'q' && low(m->w[i].base) == 'u') ||
	     (low(m->w[i - 1].base) == 'g' && low(m->w[i].base) == 'i')))
		i++;
	*s = i;
	while (i < m->n && kbd_vn_is_vowel(m->w[i].base))
		i++;
	*e = i;
}

static bool modern_pair(const struct kbd_ime *m, size_t s)
{
	char a = low(m->w[s].base), b = low(m->w[s + 1].base);

	return (a == 'o' && (b == 'a' || b == 'e')) || (a == 'u' && b == 'y');
}

/* Index of the letter that carries the tone, or m->n when the word has no vowel. */
static size_t tone_pos(const struct kbd_ime *m)
{
	size_t s, e, shaped = m->n;

	nucleus(m, &s, &e);
	if (s == e)
		return m->n;
	for (size_t i = s; i < e; i++)
		if (m->w[i].shape != VN_PLAIN)
			shaped = i;
	if (shaped != m->n)
		return shaped;
	if (e < m->n)
		return e - 1;
	if (e - s == 1)
		return s;
	if (e - s == 2)
		return m->modern && modern_pair(m, s) ? s + 1 : s;
	return s + 1;
}

void kbd_ime_render(const struct kbd_ime *m, struct kbd_text *out)
{
	size_t tp = m->tone ? tone_pos(m) : m->n;

	for (size_t i = 0; i < m->n; i++) {
		struct kbd_vn_letter l = m->w[i];
		uint32_t cp;

		l.tone = i == tp ? m->tone : VN_LEVEL;
		cp = kbd_vn_join(&l);
		kbd_text_put_cp(out, cp ? cp : (unsigned char)l.base);
	}
}

void kbd_ime_flush(struct kbd_ime *m, struct kbd_text *out)
{
	kbd_ime_render(m, out);
	kbd_ime_init(m, m->vni, m->modern);
}

static void append(struct kbd_ime *m, char c, uint8_t shape, struct kbd_text *out)
{
	if (m->n == KBD_IME_WORD) { /* no real word is this long: commit and go on literally */
		kbd_ime_flush(m, out);
		m->raw = true;
	}
	m->w[m->n++] = (struct kbd_vn_letter){c, shape, VN_LEVEL};
}

static bool has_vowel(const struct kbd_ime *m)
{
	for (size_t i = 0; i < m->n; i++)
		if (kbd_vn_is_vowel(m->w[i].base))
			return true;
	return false;
}

/* Undo: the modifier key itself is typed and the rest of the word stays literal. */
static void undo(struct kbd_ime *m, char c, struct kbd_text *out)
{
	append(m, c, VN_PLAIN, out);
	m->raw = true;
}

/* Tone key t (0 = remove). Returns false when the word has no vowel to carry it. */
static bool tone_key(struct kbd_ime *m, char c, uint8_t t, struct kbd_text *out)
{
	if (!has_vowel(m))
		return false;
	if (t == VN_LEVEL) {
		if (!m->tone)
			return false;
		m->tone = VN_LEVEL;
	} else if (m->tone == t) {
		m->tone = VN_LEVEL;
		undo(m, c, out);
	} else {
		m->tone = t;
	}
	return true;
}

/* Shape key: the last vowel whose base is in bases gets shape (or loses it: undo). For the horn,
 * a plain 'u' right before the chosen 'o' takes it too ("uo" + w = "ươ"). */
static bool shape_key(struct kbd_ime *m, char c, const char *bases, uint8_t shape,
		      struct kbd_text *out)
{
	for (size_t i = m->n; i-- > 0;) {
		struct kbd_vn_letter *l = &m->w[i];

		if (!strchr(bases, low(l->base)))
			continue;
		if (l->shape == shape) {
			l->shape = VN_PLAIN;
			undo(m, c, out);
			return true;
		}
		if (l->shape != VN_PLAIN)
			continue;
		l->shape = shape;
		if (shape == VN_HORN && low(l->base) == 'o' && i > 0 &&
		    low(m->w[i - 1].base) == 'u' && m->w[i - 1].shape == VN_PLAIN)
			m->w[i - 1].shape = VN_HORN;
		return true;
	}
	return false;
}

static bool stroke_key(struct kbd_ime *m, char c, struct kbd_text *out)
{
	for (size_t i = 0; i < m->n; i++) {
		if (low(m->w[i].base) != 'd')
			continue;
		if (m->w[i].shape == VN_STROKE) {
			m->w[i].shape = VN_PLAIN;
			undo(m, c, out);
		} else {
			m->w[i].shape = VN_STROKE;
		}
		return true;
	}
	return false;
}

/* Telex doubles: "aa" "ee" "oo" "dd" act on the letter right before. */
static bool telex_double(struct kbd_ime *m, char c, struct kbd_text *out)
{
	struct kbd_vn_letter *l = m->n ? &m->w[m->n - 1] : NULL;
	uint8_t shape = low(c) == 'd' ? VN_STROKE : VN_CIRC;

	if (!l || low(l->base) != low(c) || (l->shape != VN_PLAIN && l->shape != shape))
		return false;
	if (l->shape == shape) {
		l->shape = VN_PLAIN;
		undo(m, c, out);
	} else {
		l->shape = shape;
	}
	return true;
}

static bool telex_key(struct kbd_ime *m, char c, struct kbd_text *out)
{
	const char *tones = "_sfrxj";
	char k = low(c);

	if (k == 'z')
		return tone_key(m, c, VN_LEVEL, out);
	if (strchr(tones + 1, k))
		return tone_key(m, c, (uint8_t)(strchr(tones, k) - tones), out);
	if (strchr("aeod", k))
		return telex_double(m, c, out);
	if (k != 'w')
		return false;
	if (m->w_typed && m->w[m->n - 1].shape == VN_HORN) { /* "ww": the "ư" becomes "w" */
		m->w[m->n - 1] = (struct kbd_vn_letter){c, VN_PLAIN, VN_LEVEL};
		m->raw = true;
		return true;
	}
	if (shape_key(m, c, "uo", VN_HORN, out) || shape_key(m, c, "a", VN_BREVE, out))
		return true;
	append(m, c == 'W' ? 'U' : 'u', VN_HORN, out); /* "w" alone types "ư" */
	m->w_typed = true;
	return true;
}

static bool vni_key(struct kbd_ime *m, char c, struct kbd_text *out)
{
	switch (c) {
	case '0':
		return tone_key(m, c, VN_LEVEL, out);
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
		return tone_key(m, c, (uint8_t)(c - '0'), out);
	case '6':
		return shape_key(m, c, "aeo", VN_CIRC, out);
	case '7':
		return shape_key(m, c, "uo", VN_HORN, out);
	case '8':
		return shape_key(m, c, "a", VN_BREVE, out);
	case '9':
		return stroke_key(m, c, out);
	}
	return false;
}

void kbd_ime_key(struct kbd_ime *m, char c, struct kbd_text *out)
{
	bool letter = isalpha((unsigned char)c) != 0;

	if (c == '\b') {
		if (m->n)
			m->n--;
		else
			kbd_text_backspace(out);
		return;
	}
	bool w_was = m->w_typed;

	m->w_typed = false;
	if (w_was && !m->vni && (c == 'w' || c == 'W') && !m->raw)
		m->w_typed = true; /* telex_key sees it: "ww" */
	if (!m->raw && m->n && (m->vni ? vni_key(m, c, out) : letter && telex_key(m, c, out)))
		return;
	if (!m->raw && !m->n && !m->vni && (c == 'w' || c == 'W')) {
		append(m, c == 'W' ? 'U' : 'u', VN_HORN, out);
		m->w_typed = true;
		return;
	}
	if (letter) {
		append(m, c, VN_PLAIN, out);
		return;
	}
	kbd_ime_flush(m, out);
	kbd_text_put(out, &c, 1);
}
