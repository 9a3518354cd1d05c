/* SPDX-License-Identifier: MIT */
/*
 * ocrb.c - OCR-B character features and nearest-neighbour classification (ocrb.h).
 * Feature: the glyph's ink centroid as the centre, by mean shift: over the cell, then twice over
 * 0.7 pitch about the last centroid (narrower than a glyph plus its gaps, so a neighbour's stem
 * stays out: a pitch-wide window let an H's stem pull an A aside, read as J), kept within a
 * quarter pitch of the cell's middle; a box one pitch wide
 * and 1.2 line heights tall sampled onto 16x16 (2x2 bilinear taps per output pixel), then
 * L2-normalised: a glyph's shape, not its darkness. Example: a clean 'I' puts all its mass in the
 * middle columns. Omits: any learned metric; the 1-NN over rendered samples is the whole model.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "vision/ocrb.h"

#define CENTRE_ITER 2 /* re-centrings of the window on the glyph's own ink (centre_x) */

int ocrb_class_of(char c)
{
	if (c == '<')
		return 0;
	if (c >= '0' && c <= '9')
		return 1 + (c - '0');
	if (c >= 'A' && c <= 'Z')
		return 11 + (c - 'A');
	return -1;
}

char ocrb_char_of(int k)
{
	if (k == 0)
		return '<';
	if (k >= 1 && k <= 10)
		return (char)('0' + k - 1);
	if (k >= 11 && k < OCRB_NCLASS)
		return (char)('A' + k - 11);
	return '?';
}

void ocrb_model_init(struct ocrb_model *m)
{
	memset(m->n, 0, sizeof(m->n));
	memset(m->samp, 0, sizeof(m->samp)); /* unused slots enter the vectorised sums */
}

int ocrb_model_add(struct ocrb_model *m, int cls, const float f[OCRB_DIM], struct cccd_err *err)
{
	if (cls < 0 || cls >= OCRB_NCLASS)
		return cccd_err_set(err, -CCCD_EINVAL, "ocrb", "class %d out of 0..36", cls);
	if (m->n[cls] >= OCRB_PER_CLASS)
		return cccd_err_set(err, -CCCD_ENOSPC, "ocrb", "class '%c' full",
				    ocrb_char_of(cls));
	for (int d = 0; d < OCRB_DIM; d++)
		m->samp[cls][d][m->n[cls]] = f[d];
	m->n[cls]++;
	return 0;
}

int ocrb_model_finish(struct ocrb_model *m, struct cccd_err *err)
{
	for (int k = 0; k < OCRB_NCLASS; k++) {
		double s = 0;
		if (!m->n[k])
			return cccd_err_set(err, -CCCD_ESTATE, "ocrb", "class '%c' has no samples",
					    ocrb_char_of(k));
		for (int d = 0; d < OCRB_DIM; d++) {
			float a = 0;
			for (int i = 0; i < m->n[k]; i++)
				a += m->samp[k][d][i];
			m->mean[k][d] = a / (float)m->n[k];
			s += (double)m->mean[k][d] * m->mean[k][d];
		}
		s = sqrt(s); /* unit means: costs comparable with the samples' */
		for (int d = 0; d < OCRB_DIM && s > 0; d++)
			m->mean[k][d] = (float)(m->mean[k][d] / s);
	}
	return 0;
}

/* Bilinear ink at (x, y); 0 outside. */
static float tap(const uint8_t *ink, int w, int h, float x, float y)
{
	int x0 = (int)floorf(x), y0 = (int)floorf(y);
	float fx = x - (float)x0, fy = y - (float)y0, v = 0;

	for (int j = 0; j < 2; j++)
		for (int i = 0; i < 2; i++) {
			int xx = x0 + i, yy = y0 + j;
			if (xx < 0 || yy < 0 || xx >= w || yy >= h)
				continue;
			v += (i ? fx : 1 - fx) * (j ? fy : 1 - fy) * ink[(size_t)yy * w + xx];
		}
	return v;
}

/* Ink centroid column of the cell, kept within a quarter pitch of its centre. */
static float centroid_x(const uint8_t *ink, int w, int h, const struct ocrb_cell *c, float x0,
			float x1, float mid, float p)
{
	int xa = (int)x0, xb = (int)x1;
	int ya = (int)c->y0, yb = (int)c->y1;
	float sx = 0, s = 0;

	for (int y = ya < 0 ? 0 : ya; y <= yb && y < h; y++)
		for (int x = xa < 0 ? 0 : xa; x <= xb && x < w; x++) {
			float v = ink[(size_t)y * w + x];
			sx += v * (float)x, s += v;
		}
	if (s <= 0)
		return mid;
	sx /= s;
	return fminf(fmaxf(sx, mid - p / 4), mid + p / 4);
}

/* Mean shift from the cell's own centroid (see the file header). */
static float centre_x(const uint8_t *ink, int w, int h, const struct ocrb_cell *c)
{
	float p = c->x1 - c->x0, mid = (c->x0 + c->x1) / 2;
	float cx = centroid_x(ink, w, h, c, c->x0, c->x1, mid, p);

	for (int it = 0; it < CENTRE_ITER; it++)
		cx = centroid_x(ink, w, h, c, cx - 0.35f * p, cx + 0.35f * p, mid, p);
	return cx;
}

/* Ink centroid row of the cell (its line's rows ± 30 %), kept within 35 % of the line height of
 * the line's middle: lines slant a little after rectification. */
static float centre_y(const uint8_t *ink, int w, int h, const struct ocrb_cell *c)
{
	float lh = c->y1 - c->y0, mid = (c->y0 + c->y1) / 2, sy = 0, s = 0;
	int ya = (int)(c->y0 - 0.3f * lh), yb = (int)(c->y1 + 0.3f * lh);

	for (int y = ya < 0 ? 0 : ya; y <= yb && y < h; y++)
		for (int x = c->x0 < 0 ? 0 : (int)c->x0; x <= (int)c->x1 && x < w; x++) {
			float v = ink[(size_t)y * w + x];
			sy += v * (float)y, s += v;
		}
	if (s <= 0)
		return mid;
	sy /= s;
	return fminf(fmaxf(sy, mid - 0.35f * lh), mid + 0.35f * lh);
}

int ocrb_feature(const uint8_t *ink, int w, int h, const struct ocrb_cell *c, float out[OCRB_DIM])
{
	float p = c->x1 - c->x0, lh = c->y1 - c->y0, cx, cy;
	float bw, bh;
	double s = 0;

	memset(out, 0, sizeof(float) * OCRB_DIM);
	if (p < 2 || lh < 2 || c->x0 < -p || c->x1 > (float)w + p || c->y0 < -lh ||
	    c->y1 > (float)h + lh)
		return -CCCD_ERANGE;
	cx = centre_x(ink, w, h, c);
	cy = centre_y(ink, w, h, c);
	bw = p, bh = 1.2f * lh;
	for (int j = 0; j < OCRB_SIDE; j++)
		for (int i = 0; i < OCRB_SIDE; i++) {
			float v = 0;
			for (int t = 0; t < 4; t++) {
				float u = ((float)i + 0.25f + 0.5f * (float)(t & 1)) / OCRB_SIDE;
				float q = ((float)j + 0.25f + 0.5f * (float)(t >> 1)) / OCRB_SIDE;
				v += tap(ink, w, h, cx + (u - 0.5f) * bw, cy + (q - 0.5f) * bh);
			}
			out[j * OCRB_SIDE + i] = v;
			s += (double)v * v;
		}
	if (s < 1e-3)
		return -CCCD_ERANGE;
	s = 1 / sqrt(s);
	for (int d = 0; d < OCRB_DIM; d++)
		out[d] = (float)(out[d] * s);
	return 0;
}

/* Squared distance between unit vectors = 2 - 2 dot. */
static float dist(const float *a, const float *b)
{
	float d = 0;

	for (int i = 0; i < OCRB_DIM; i++)
		d += a[i] * b[i];
	return 2 - 2 * d;
}

void ocrb_classify(const struct ocrb_model *m, const float f[OCRB_DIM], float cost[OCRB_NCLASS])
{
	int best[OCRB_REFINE];

	for (int k = 0; k < OCRB_NCLASS; k++)
		cost[k] = dist(f, m->mean[k]);
	for (int r = 0; r < OCRB_REFINE; r++) {
		best[r] = -1;
		for (int k = 0; k < OCRB_NCLASS; k++) {
			bool taken = false;
			for (int q = 0; q < r; q++)
				taken |= best[q] == k;
			if (!taken && (best[r] < 0 || cost[k] < cost[best[r]]))
				best[r] = k;
		}
	}
	for (int r = 0; r < OCRB_REFINE; r++) {
		int k = best[r];
		float d = cost[k], dot[OCRB_PER_CLASS] = {0};
		for (int j = 0; j < OCRB_DIM; j++) {
			const float *s = m->samp[k][j];
			float v = f[j];
			for (int i = 0; i < OCRB_PER_CLASS; i++)
				dot[i] += s[i] * v;
		}
		for (int i = 0; i < m->n[k]; i++)
			d = 2 - 2 * dot[i] < d ? 2 - 2 * dot[i] : d;
		cost[k] = d;
	}
}
