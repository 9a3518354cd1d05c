/* SPDX-License-Identifier: MIT */
/*
 * mrzloc_priv.h - what the mrzloc_*.c files share inside daemon/vision: the cell geometry of a
 * grid, training, and the per-frame read (costs of every class at every position).
 */
#ifndef CCCD_VISION_MRZLOC_PRIV_H
#define CCCD_VISION_MRZLOC_PRIV_H

#include "vision/mrzloc.h"
#include "vision/mrzloc_shim.h"
#include "vision/ocrb.h"

/* Costs of one read: per line, per position, per class (ocrb_classify). */
struct mrzloc_costs {
	int nlines, nchars;
	int frames; /* reads summed */
	float c[MRZ_LINES_MAX][MRZ_WIDTH_MAX][OCRB_NCLASS];
};

/* Costs of a read one cell wider at each end of every line (cells -1..nchars): the grid fit
 * can be a cell off (stray ink at an end of the line), so the placement is chosen by decoding. */
struct mrzloc_wide {
	int nlines, nchars;
	float c[MRZ_LINES_MAX][MRZ_WIDTH_MAX + 2][OCRB_NCLASS];
};

/* Cell i (-1..nchars) of line l of grid g; cells beyond the ends are one end pitch wide. */
struct ocrb_cell mrzloc_cell(const struct mrzloc_grid *g, int l, int i);

/* Train m from bands rendered with font (ink is a scratch buffer of cap bytes). */
int mrzloc_train(struct ocrb_model *m, const char *font, uint64_t seed, int bands, uint8_t *ink,
		 size_t cap, struct cccd_err *err);

/* The cheapest classes the layout allows, summed over every position of k. */
float mrzloc_layout_cost(const struct mrzloc_costs *k);

/* Decode costs (summed over frames) into lines with the layout and the check digits;
 * fills res->text, nlines, width, confidence, nfix, valid, complete, mrz. */
void mrzloc_decode(const struct mrzloc_costs *k, const struct cccd_date *today,
		   struct mrzloc_result *res);

#endif
