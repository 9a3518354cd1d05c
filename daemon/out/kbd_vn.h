/* SPDX-License-Identifier: MIT */
/*
 * kbd_vn.h - Vietnamese letters as (ASCII base, shape, tone), and a model of what Unikey (4.x,
 * default options, spell check off) turns Telex or VNI keystrokes into.
 *
 * "ễ" = base 'e', shape circumflex, tone ngã; Telex types it "eex", VNI "e64". The model keeps
 * the word being typed, applies modifier keys (Telex aa ee oo aw ow uw w dd, s f r x j z;
 * VNI 6 7 8 9, 1..5 0) and places the tone by the orthographic rule when it renders the word:
 * on the last vowel with a shape (â ă ê ô ơ ư), else on the last vowel before a final
 * consonant, else on the middle of three vowels, the first of two (old style "hòa", "thủy"; with
 * `modern` "hoà", "thuý"), the only one. Typing a modifier that is already applied undoes it and
 * types the key itself ("ss" → "s", "dd" then "d" → "dd"); the rest of that word is then literal.
 * Not modelled: modifiers typed far from their vowel, Unikey's spell check and macro table.
 */
#ifndef CCCD_OUT_KBD_VN_H
#define CCCD_OUT_KBD_VN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kbd_vn_shape { VN_PLAIN, VN_CIRC, VN_BREVE, VN_HORN, VN_STROKE };
enum kbd_vn_tone { VN_LEVEL, VN_SAC, VN_HUYEN, VN_HOI, VN_NGA, VN_NANG };

struct kbd_vn_letter {
	char base;     /* ASCII letter, with its case */
	uint8_t shape; /* enum kbd_vn_shape */
	uint8_t tone;  /* enum kbd_vn_tone */
};

/* Split code point cp into a letter; false when cp is not an ASCII or Vietnamese letter. */
bool kbd_vn_split(uint32_t cp, struct kbd_vn_letter *out);

/* The code point of l, or 0 when the combination does not exist (e.g. breve on 'e'). */
uint32_t kbd_vn_join(const struct kbd_vn_letter *l);

/* True for a e i o u y in either case. */
bool kbd_vn_is_vowel(char c);

#define KBD_IME_WORD 48 /* letters kept per word; longer words are typed literally */

/* Text written by a host-side model, NUL-terminated, bounded by cap. */
struct kbd_text {
	char *buf;
	size_t cap;
	size_t len;
	bool overflow; /* something did not fit */
};

struct kbd_ime {
	bool vni;    /* VNI digits, else Telex letters */
	bool modern; /* tone on the second vowel of oa, oe, uy in open syllables */
	struct kbd_vn_letter w[KBD_IME_WORD];
	size_t n;
	uint8_t tone;
	bool raw;     /* an undo happened: the rest of the word is literal */
	bool w_typed; /* the last key was a "w" that typed "ư" by itself */
};

void kbd_ime_init(struct kbd_ime *m, bool vni, bool modern);

/* Feed one typed ASCII character (letters, digits, punctuation, '\n', '\t', '\b'). */
void kbd_ime_key(struct kbd_ime *m, char c, struct kbd_text *out);

/* Commit the word being typed to out (what a space or a focus change does). */
void kbd_ime_flush(struct kbd_ime *m, struct kbd_text *out);

/* Append the word being typed, as rendered now, to out without committing it. */
void kbd_ime_render(const struct kbd_ime *m, struct kbd_text *out);

/* Append UTF-8 of cp (or the bytes s[0..n)) to t; sets t->overflow when it does not fit. */
void kbd_text_put_cp(struct kbd_text *t, uint32_t cp);
void kbd_text_put(struct kbd_text *t, const char *s, size_t n);

/* Remove the last UTF-8 character of t (a Backspace). */
void kbd_text_backspace(struct kbd_text *t);

#endif
