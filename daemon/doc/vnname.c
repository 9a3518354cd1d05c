/* SPDX-License-Identifier: MIT */
/*
 * vnname.c - Vietnamese syllable shape of MRZ name words (vnname.h). Onsets are tried longest
 * first and, failing the rest, shorter (NGH before NG before N; GI before G: "GIANG" is GI + ANG,
 * "GIN" is G + IN), so the check is a tiny backtracking match, not a table of real syllables:
 * it accepts some that no one is called, and that is fine for a prior.
 * Omits: tone and vowel-quality marks (the MRZ has none); the letter pairs no syllable holds
 * (a full rhyme list would reject rare real names for little gain).
 */
#include <string.h>

#include "doc/vnname.h"

static const char *const ONSETS[] = {"NGH", "NG", "GH", "GI", "KH", "NH", "PH", "QU", "TH",
				     "TR",  "CH", "B",	"C",  "D",  "G",  "H",	"K",  "L",
				     "M",   "N",  "P",	"R",  "S",  "T",  "V",	"X",  ""};
static const char *const CODAS[] = {"CH", "NG", "NH", "C", "M", "N", "P", "T", ""};

static bool vowel(char c)
{
	return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' || c == 'Y';
}

static bool starts(const char *w, size_t n, const char *pre)
{
	size_t k = strlen(pre);
	return k <= n && !memcmp(w, pre, k);
}

/* vowels{1,3} coda? exactly filling w[0..n) */
static bool rhyme(const char *w, size_t n)
{
	size_t v = 0;

	while (v < n && v < 3 && vowel(w[v]))
		v++;
	for (; v >= 1; v--)
		for (size_t c = 0; c < sizeof(CODAS) / sizeof(CODAS[0]); c++)
			if (strlen(CODAS[c]) == n - v && starts(w + v, n - v, CODAS[c]))
				return true;
	return false;
}

static bool syllable(const char *w, size_t n)
{
	for (size_t o = 0; o < sizeof(ONSETS) / sizeof(ONSETS[0]); o++) {
		size_t k = strlen(ONSETS[o]);
		if (starts(w, n, ONSETS[o]) && rhyme(w + k, n - k))
			return true;
	}
	return false;
}

bool vnname_plausible(const char *s, size_t n)
{
	size_t i = 0, words = 0;

	while (i < n) {
		size_t a = i;
		while (i < n && s[i] != '<')
			i++;
		if (i > a) {
			if (!syllable(s + a, i - a))
				return false;
			words++;
		}
		while (i < n && s[i] == '<')
			i++;
	}
	return words > 0;
}
