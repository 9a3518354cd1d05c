/* SPDX-License-Identifier: MIT */
/*
 * ocrb.h - the OCR-B character classifier of the MRZ reader: 37 classes (ICAO 9303-3 §4.2: '<',
 * 0-9, A-Z), a 16x16 feature per character cell (ink centred on its centroid, scaled by the line
 * height, L2-normalised), and a nearest-neighbour rule over samples rendered from fonts-ocr-b
 * (mrzloc_train.c): the 4 classes whose mean is nearest are refined by their nearest sample.
 * Costs are squared distances between unit vectors (0..4), for every class, so a caller can
 * restrict a position to digits or letters and add costs across frames.
 */
#ifndef CCCD_VISION_OCRB_H
#define CCCD_VISION_OCRB_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define OCRB_NCLASS    37
#define OCRB_SIDE      16
#define OCRB_DIM       (OCRB_SIDE * OCRB_SIDE)
#define OCRB_PER_CLASS 128 /* samples kept per class */
#define OCRB_REFINE    4   /* classes refined by their nearest sample */

struct ocrb_model {
	float mean[OCRB_NCLASS][OCRB_DIM];
	/* samples by dimension (samp[k][d][i] = dimension d of sample i of class k): the nearest
	 * sample search is then a run of independent sums the compiler vectorises */
	float samp[OCRB_NCLASS][OCRB_DIM][OCRB_PER_CLASS];
	int n[OCRB_NCLASS];
};

/* A character cell in band pixels: its grid window and its line's ink rows. */
struct ocrb_cell {
	float x0, x1, y0, y1;
};

/* Class index of c ('<' 0, '0'-'9' 1..10, 'A'-'Z' 11..36), or -1. */
int ocrb_class_of(char c);
/* Character of class k (0..36), or '?'. */
char ocrb_char_of(int k);

void ocrb_model_init(struct ocrb_model *m);
/* Add a labelled sample; -CCCD_ENOSPC once the class is full (the sample is dropped). */
int ocrb_model_add(struct ocrb_model *m, int cls, const float f[OCRB_DIM], struct cccd_err *err);
/* Compute the class means; -CCCD_ESTATE names a class without samples. */
int ocrb_model_finish(struct ocrb_model *m, struct cccd_err *err);

/* Feature of cell c of an ink map (w x h, stride w); 0, or -CCCD_ERANGE for a cell outside the
 * map or without ink (out is zero then). */
int ocrb_feature(const uint8_t *ink, int w, int h, const struct ocrb_cell *c, float out[OCRB_DIM]);

/* Cost of every class for feature f. */
void ocrb_classify(const struct ocrb_model *m, const float f[OCRB_DIM], float cost[OCRB_NCLASS]);

#endif
