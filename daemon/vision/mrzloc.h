/* SPDX-License-Identifier: MIT */
/*
 * mrzloc.h - read the MRZ of a card or passport in a camera frame: find the band (any of the 4
 * orientations, rotated up to about ±15°, anywhere in the frame), rectify it, segment the 3x30
 * (TD1) or 2x44 (TD3) character grid, classify each cell with the OCR-B model (ocrb.h), decode
 * with the layout (digit-only positions, `IDVNM` on a CCCD) and the check digits (ICAO 9303-3
 * §4.9, doc/mrz.h), and vote per character across consecutive frames.
 * The model is trained when the reader is made, from OCR-B glyphs rendered from fonts-ocr-b with
 * augmentation (seeded: the same every run; docs/camera.md "MRZ"). Omits: TD2 (2x36).
 */
#ifndef CCCD_VISION_MRZLOC_H
#define CCCD_VISION_MRZLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "doc/date.h"
#include "doc/mrz.h"

#define MRZLOC_FONT	"/usr/share/fonts/opentype/ocr-b/OCRB.otf"
#define MRZLOC_MIN_CONF 0.7f /* weakest character's confidence for a complete read */

struct mrzloc_opts {
	const char *font; /* OCR-B font file; NULL = MRZLOC_FONT */
	uint64_t seed;	  /* training seed; 0 = the fixed default */
	int bands;	  /* training bands of 90 characters; 0 = default (40) */
};

/* The character grid found in a band (band pixels). */
struct mrzloc_grid {
	int nlines, nchars;
	float top[MRZ_LINES_MAX], bot[MRZ_LINES_MAX];  /* ink rows of each line */
	float x0[MRZ_LINES_MAX], pitch[MRZ_LINES_MAX]; /* first border, mean pitch */
	float xb[MRZ_LINES_MAX][MRZ_WIDTH_MAX + 1]; /* cell borders (pitch drifts along a line) */
};

struct mrzloc_result {
	bool found;    /* an MRZ-shaped grid was read in this frame */
	bool valid;    /* the (voted) lines pass mrz_parse: every check digit */
	bool complete; /* valid, and every character's confidence >= MRZLOC_MIN_CONF */
	int frames;    /* frames in the vote */
	int nlines, width;
	char text[MRZ_TEXT_MAX]; /* the lines joined by '\n' */
	float confidence;	 /* the weakest character's, 0..1 */
	int nfix;		 /* characters the check digits changed */
	int checks, checks_read; /* check-digit fields, and those that passed as read (no repair) */
	float quad[8];		 /* band corners in the frame (TL, TR, BR, BL of the text) */
	struct mrz mrz;		 /* when valid */
};

struct mrzloc; /* a reader: model, workspace and vote */

/* Train the model and make a reader (about 0.1-0.3 s). -CCCD_ENOENT when the font is missing. */
int mrzloc_new(struct mrzloc **out, const struct mrzloc_opts *o, struct cccd_err *err);
void mrzloc_free(struct mrzloc *m);

/* Forget the vote: the next frame starts a new document. */
void mrzloc_reset(struct mrzloc *m);

/* Read one frame (8-bit grey) and vote it in; a frame showing a different MRZ restarts the vote.
 * 0 with res->found false when no MRZ is seen; -CCCD_EINVAL for bad geometry. */
int mrzloc_frame(struct mrzloc *m, const uint8_t *gray, int w, int h, size_t stride,
		 const struct cccd_date *today, struct mrzloc_result *res, struct cccd_err *err);

/* The band of the last frame's read as grey pixels, upright, at 2x the reading scale (32 px per
 * character): what a peer OCR is given in the benchmark. 0, or -CCCD_ENOENT (nothing read) /
 * -CCCD_ENOSPC. */
int mrzloc_crop(struct mrzloc *m, uint8_t *out, size_t cap, int *w, int *h);

/* Find 3 (TD1) or 2 (TD3) lines and their 30 or 44 cells in an ink map (w x h, stride w): one
 * pitch and drift for the band, a phase per line (mrzloc_grid.c). 0 or -CCCD_ENOENT (no lines,
 * or print that is not monospaced). */
int mrzloc_grid_find(const uint8_t *ink, int w, int h, struct mrzloc_grid *g);

#endif
