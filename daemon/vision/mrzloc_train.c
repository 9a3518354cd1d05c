/* SPDX-License-Identifier: MIT */
/*
 * mrzloc_train.c - train the OCR-B model (ocrb.h) the way the reader sees characters: bands of
 * 3 x 30 random MRZ characters rendered from fonts-ocr-b (ocrb_shim.cpp) with augmentation
 * (pitch ±10 %, rotation ±1°, shear ±4 %, stroke thickness ±1/3 px, blur σ 0-1.2, motion blur
 * 0.8-3.5 px in any direction on 30 %, noise σ 1-8, contrast 0.45-1, JPEG 55-95 on 70 %), segmented
 * by mrzloc_grid_find and cut into features by ocrb_feature. Seeded (splitmix64): the same model
 * every run. A band whose grid does not come out as 3 x 30 is skipped (it would mislabel cells).
 */
#include <stdlib.h>
#include <string.h>

#include "vision/mrzloc_priv.h"

#define MOTION_P 0.3 /* share of bands smeared by camera motion, as mrzgen's takes */

static uint64_t mix(uint64_t *s) /* splitmix64 */
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double uni(uint64_t *s, double a, double b)
{
	return a + (b - a) * (double)(mix(s) >> 11) / (double)(1ull << 53);
}

static void draw_aug(uint64_t *s, struct ocrb_aug *a)
{
	double t = uni(s, 0, 1);

	a->pitch = MRZLOC_PITCH * uni(s, 0.9, 1.1);
	a->rot_deg = uni(s, -1, 1);
	a->shear = uni(s, -0.04, 0.04);
	a->blur = uni(s, 0, 1.2);
	a->noise = uni(s, 1, 8);
	a->contrast = uni(s, 0.45, 1);
	a->thick = t < 0.2 ? -1 : t > 0.8 ? 1 : 0;
	a->jpeg = uni(s, 0, 1) < 0.7 ? (int)uni(s, 55, 95) : 0;
	a->seed = (uint32_t)mix(s);
	a->motion = uni(s, 0, 1) < MOTION_P ? uni(s, 0.8, 3.5) : 0;
	a->motion_deg = uni(s, 0, 180);
}

/* Cut the cells of one band into labelled samples. */
static void add_band(struct ocrb_model *m, const uint8_t *ink, int w, int h,
		     const struct mrzloc_grid *g, char lines[3][31])
{
	float f[OCRB_DIM];

	for (int l = 0; l < 3; l++)
		for (int i = 0; i < 30; i++) {
			struct ocrb_cell c = mrzloc_cell(g, l, i);
			if (!ocrb_feature(ink, w, h, &c, f))
				ocrb_model_add(m, ocrb_class_of(lines[l][i]), f, NULL);
		}
}

int mrzloc_train(struct ocrb_model *m, const char *font, uint64_t seed, int bands, uint8_t *ink,
		 size_t cap, struct cccd_err *err)
{
	struct ocrb_font *f;
	char lines[3][31];
	const char *lp[3] = {lines[0], lines[1], lines[2]};
	int used = 0;

	if (ocrb_font_new(&f, font))
		return cccd_err_set(err, -CCCD_ENOENT, "ocrb", "cannot load font %.80s", font);
	ocrb_model_init(m);
	for (int b = 0; b < bands; b++) {
		struct ocrb_aug a;
		struct mrzloc_grid g;
		int w, h;
		for (int l = 0; l < 3; l++) {
			for (int i = 0; i < 30; i++)
				lines[l][i] = ocrb_char_of((int)(mix(&seed) % OCRB_NCLASS));
			lines[l][30] = '\0';
		}
		draw_aug(&seed, &a);
		if (ocrb_render_band(f, lp, 3, &a, ink, cap, &w, &h) ||
		    mrzloc_grid_find(ink, w, h, &g) || g.nlines != 3)
			continue;
		add_band(m, ink, w, h, &g, lines);
		used++;
	}
	ocrb_font_free(f);
	if (used < bands / 2)
		return cccd_err_set(err, -CCCD_ESTATE, "ocrb",
				    "only %d of %d training bands segmented", used, bands);
	return ocrb_model_finish(m, err);
}
