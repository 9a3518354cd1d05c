/* SPDX-License-Identifier: MIT */
/*
 * vnname.h - is an MRZ name (letters and '<', diacritics already stripped) spelled like
 * Vietnamese? Each word must be one syllable of the national script: an optional onset (B, C, CH,
 * D, G, GH, GI, H, K, KH, L, M, N, NG, NGH, NH, P, PH, QU, R, S, T, TH, TR, V, X), one to three
 * vowels (A E I O U Y) and an optional coda (C, CH, M, N, NG, NH, P, T). Example: "NGUYEN<<VAN<A"
 * is; "HLK<MY<CHAU" (a misread HO<<) is not.
 * A prior, not a rule: names of some ethnic minorities (KSOR, NIE KDAM) are not spelled so, and
 * the camera's MRZ reader only asks them for a second agreeing frame (docs/camera.md).
 */
#ifndef CCCD_DOC_VNNAME_H
#define CCCD_DOC_VNNAME_H

#include <stdbool.h>
#include <stddef.h>

/* True when every word of the n characters of s (words split by one or more '<', trailing
 * fillers allowed) is a Vietnamese syllable as above; false for no word at all. */
bool vnname_plausible(const char *s, size_t n);

#endif
