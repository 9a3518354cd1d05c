/* SPDX-License-Identifier: MIT */
/*
 * mrzloc_grid.c - segment a rectified MRZ band into its character grid (mrzloc.h).
 * Lines: the row profile of the ink map over the middle 90 % of the band, runs above 30 % of its
 * peak, runs under 40 % of the tallest dropped; 3 lines = TD1 (30 cells), 2 = TD2/TD3 (44).
 * Cells: OCR-B is monospaced and every MRZ position holds ink (fillers included), so each line is
 * a row of n cells between its first and last inked column (columns inked between the lines
 * too, a card edge, do not count); the pitch and start that put the
 * n+1 cell borders on the least ink win (a grid search around (last - first) / n). Perspective
 * left over after the affine rectification stretches one end of a line against the other, so
 * each border is then moved by dynamic programming (borders within ±0.36 pitch of the fit, steps
 * of 0.88-1.12 pitch, cost = ink at the border + 3 x its squared offset + 10 x the squared
 * relative step change; a free half-pitch shift would put borders inside wide glyphs).
 * Omits: TD2's 36 cells (a 2-line band is read as TD3).
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "vision/mrzloc_priv.h"

#define GLARE_GAP 3.5f /* pitches of washed-out glyphs bridged in a split line (ink_extent) */

#define ROWS_MAX 2048
#define COLS_MAX 2048

static void smooth3(float *v, int n)
{
	float prev = v[0];

	for (int i = 1; i + 1 < n; i++) {
		float cur = v[i];
		v[i] = (prev + cur + v[i + 1]) / 3;
		prev = cur;
	}
}

/* Runs of rows above 30 % of the peak; tall enough ones go to g. */
static int find_lines(const float *rp, int h, struct mrzloc_grid *g)
{
	float peak = 0, top[8], bot[8], tallest = 0;
	int n = 0;

	for (int y = 0; y < h; y++)
		peak = rp[y] > peak ? rp[y] : peak;
	if (peak <= 0)
		return -1;
	for (int y = 0; y < h && n < 8; y++) {
		if (rp[y] < 0.3f * peak)
			continue;
		int y1 = y;
		while (y1 + 1 < h && rp[y1 + 1] >= 0.3f * peak)
			y1++;
		top[n] = (float)y, bot[n] = (float)y1 + 1;
		tallest = bot[n] - top[n] > tallest ? bot[n] - top[n] : tallest;
		n++;
		y = y1;
	}
	g->nlines = 0;
	for (int i = 0; i < n; i++) {
		if (bot[i] - top[i] < 0.4f * tallest)
			continue;
		if (g->nlines == MRZ_LINES_MAX)
			return -1;
		g->top[g->nlines] = top[i], g->bot[g->nlines] = bot[i];
		g->nlines++;
	}
	return g->nlines >= 2 ? 0 : -1;
}

static float at(const float *cp, int w, float x)
{
	int i = (int)x;
	float f = x - (float)i;

	if (i < 0 || i + 1 >= w)
		return 0;
	return cp[i] * (1 - f) + cp[i + 1] * f;
}

/* The widest stretch of inked columns whose gaps stay under 0.9 of the nominal pitch (an I or 1
 * leaves ~0.6): the MRZ line, without stray ink beyond a gap (card edge, glare rim, other print).
 */
static int ink_extent(const float *cp, int w, float thr, int *a, int *b)
{
	int gap_max = (int)(0.9f * MRZLOC_PITCH), ra = -1, rb = -1, best = -1;

	*a = *b = -1;
	for (int x = 0; x <= w; x++) {
		bool inked = x < w && cp[x] > thr;
		if (inked && (ra < 0 || x - rb > gap_max)) {
			if (ra >= 0 && rb - ra > best)
				best = rb - ra, *a = ra, *b = rb;
			ra = x;
		}
		if (inked)
			rb = x;
	}
	if (ra >= 0 && rb - ra > best)
		*a = ra, *b = rb;
	if (*a < 0)
		return -1;
	/* a glare spot that washes out a few glyphs splits the line: when the widest stretch
	 * falls well short of the band's text width (the band is cut at 1 + 2 x 7 % of it), the
	 * stretches beside it across gaps of up to GLARE_GAP pitches belong to it */
	if (*b - *a < (int)(0.6f * (float)w / 1.14f))
		for (bool grew = true; grew;) {
			int gmax = (int)(GLARE_GAP * MRZLOC_PITCH);
			grew = false;
			for (int x = *a - 1; x >= 0 && x >= *a - gmax; x--)
				if (cp[x] > thr) {
					while (x > 0 &&
					       (cp[x - 1] > thr || (x > 1 && cp[x - 2] > thr)))
						x--;
					*a = x, grew = true;
					break;
				}
			for (int x = *b + 1; x < w && x <= *b + gmax; x++)
				if (cp[x] > thr) {
					while (x < w - 1 &&
					       (cp[x + 1] > thr || (x < w - 2 && cp[x + 2] > thr)))
						x++;
					*b = x, grew = true;
					break;
				}
			if (*b - *a > (int)((float)w / 1.14f))
				break;
		}
	return 0;
}

/* Fit n cells to the column profile cp between its first and last inked columns. */
static int fit_line(const float *cp, int w, int n, float fixed, float *x0, float *pitch)
{
	float peak = 0, best = -1;
	int a = -1, b = -1;

	float floor_ = cp[0];
	for (int x = 0; x < w; x++) {
		peak = cp[x] > peak ? cp[x] : peak;
		floor_ = cp[x] < floor_ ? cp[x] : floor_;
	}
	/* above the noise floor of the margins by 15 % of the glyphs' peak */
	if (ink_extent(cp, w, floor_ + 0.12f * (peak - floor_), &a, &b) || b - a < n * 2)
		return -1;
	/* the glyphs at both ends sit within their cells: borders 2-45 % of a pitch outside */
	float span = (float)(b + 1 - a);
	for (int pi = 0; pi <= 40; pi++) {
		float p = fixed > 0 ? fixed : span / ((float)n - 0.04f - 0.86f * (float)pi / 40);
		for (int si = 0; si <= 20; si++) {
			float s = (float)a - p * (0.02f + 0.43f * (float)si / 20), c = 0;
			float end = s + (float)n * p - (float)(b + 1);
			if (end < 0.02f * p || end > 0.45f * p)
				continue;
			for (int i = 0; i <= n; i++)
				c += at(cp, w, s + (float)i * p);
			if (best < 0 || c < best)
				best = c, *x0 = s, *pitch = p;
		}
	}
	return best < 0 ? -1 : 0;
}

#define DP_STEPS 41 /* border positions per border: ±0.36 pitch in 0.03 pitch steps */

/* Move the fixed-pitch borders of one line to the least-ink path (see the header). */
static void refine_line(const float *cp, int w, int n, float x0, float p, float *xb)
{
	float cost[MRZ_WIDTH_MAX + 1][DP_STEPS], peak = 1;
	uint8_t from[MRZ_WIDTH_MAX + 1][DP_STEPS];

	for (int x = 0; x < w; x++)
		peak = cp[x] > peak ? cp[x] : peak;
	for (int i = 0; i <= n; i++)
		for (int k = 0; k < DP_STEPS; k++) {
			float x = x0 + (float)i * p + p * (0.03f * (float)k - 0.6f);
			float off = 0.03f * (float)k - 0.6f;
			float here = at(cp, w, x) / peak + 0 * off * off, best = 1e30f;
			from[i][k] = 0;
			for (int j = 0; i && j < DP_STEPS; j++) {
				float step = (float)(k - j) * 0.03f, pen = 10 * step * step;
				if (step < -0.12f || step > 0.12f || cost[i - 1][j] + pen >= best)
					continue;
				best = cost[i - 1][j] + pen, from[i][k] = (uint8_t)j;
			}
			cost[i][k] = here + (i ? best : 0);
		}
	int k = 0;
	for (int j = 1; j < DP_STEPS; j++)
		k = cost[n][j] < cost[n][k] ? j : k;
	for (int i = n; i >= 0; i--) {
		xb[i] = x0 + (float)i * p + p * (0.03f * (float)k - 0.6f);
		k = from[i][k];
	}
}

/* Median of 2 or 3 values (the mean of 2). */
static float median3(const float *v, int n)
{
	if (n < 3)
		return (v[0] + v[1]) / 2;
	float a = v[0], b = v[1], c = v[2];
	return fmaxf(fminf(a, b), fminf(fmaxf(a, b), c));
}

/* Columns inked in the gaps between the lines as well are not glyphs (a card edge, a glare rim,
 * a crease): mark them (2 px around) so the line fits skip them. */
static void edge_columns(const uint8_t *ink, int w, const struct mrzloc_grid *g, uint8_t *edge)
{
	float gp[COLS_MAX] = {0};
	int rows = 0;

	memset(edge, 0, (size_t)w);
	for (int l = 0; l + 1 < g->nlines; l++) {
		int a = (int)g->bot[l] + 2, b = (int)g->top[l + 1] - 2;
		for (int y = a; y < b; y++, rows++)
			for (int x = 0; x < w; x++)
				gp[x] += ink[(size_t)y * w + x];
	}
	if (!rows)
		return;
	for (int x = 0; x < w; x++)
		if (gp[x] / (float)rows > 30)
			for (int d = -2; d <= 2; d++)
				if (x + d >= 0 && x + d < w)
					edge[x + d] = 1;
}

static void line_profile(const uint8_t *ink, int w, const struct mrzloc_grid *g, int l, float *cp)
{
	uint8_t edge[COLS_MAX];

	memset(cp, 0, sizeof(float) * (size_t)w);
	for (int y = (int)g->top[l]; y < (int)g->bot[l]; y++)
		for (int x = 0; x < w; x++)
			cp[x] += ink[(size_t)y * w + x];
	edge_columns(ink, w, g, edge);
	for (int x = 0; x < w; x++)
		cp[x] = edge[x] ? 0 : cp[x];
	smooth3(cp, w);
}

int mrzloc_grid_refit(const uint8_t *ink, int w, int h, struct mrzloc_grid *g, int l, float xlo,
		      float xhi)
{
	float cp[COLS_MAX];
	int a = xlo < 1 ? 1 : (int)xlo, b = xhi > (float)(w - 2) ? w - 2 : (int)xhi;

	if (w < 32 || h < 8 || w > COLS_MAX || l < 0 || l >= g->nlines || b - a < 2 * g->nchars)
		return -CCCD_ENOENT;
	line_profile(ink, w, g, l, cp);
	/* the margins' noise floor stays in the profile (fit_line reads it at its minimum) */
	float floor_ = cp[a];
	for (int x = a; x <= b; x++)
		floor_ = cp[x] < floor_ ? cp[x] : floor_;
	for (int x = 0; x < w; x++)
		if (x < a || x > b)
			cp[x] = floor_;
	if (fit_line(cp, w, g->nchars, 0, &g->x0[l], &g->pitch[l]))
		return -CCCD_ENOENT;
	/* the border search must not slide back over what was cut off: there it sees ink */
	float peak = 0;
	for (int x = a; x <= b; x++)
		peak = cp[x] > peak ? cp[x] : peak;
	for (int x = 0; x < w; x++)
		if (x < a || x > b)
			cp[x] = peak;
	refine_line(cp, w, g->nchars, g->x0[l], g->pitch[l], g->xb[l]);
	return 0;
}

static int grid_find(const uint8_t *ink, int w, int h, struct mrzloc_grid *g, bool keep_own)
{
	float rp[ROWS_MAX], cp[COLS_MAX];
	int xa = w / 20, xb = w - w / 20;

	memset(g, 0, sizeof(*g));
	if (w < 32 || h < 8 || w > COLS_MAX || h > ROWS_MAX)
		return -CCCD_ENOENT;
	for (int y = 0; y < h; y++) {
		float s = 0;
		for (int x = xa; x < xb; x++)
			s += ink[(size_t)y * w + x];
		rp[y] = s;
	}
	smooth3(rp, h);
	if (find_lines(rp, h, g))
		return -CCCD_ENOENT;
	g->nchars = g->nlines == 3 ? 30 : 44;
	/* every line is as tall as the tallest, about its own middle: a line of thin fillers (a
	 * short name) has a weak row profile and would come out short, scaling its glyphs up in the
	 * features (a D lost its stem and read as O) */
	float tall = 0;
	for (int l = 0; l < g->nlines; l++)
		tall = fmaxf(tall, g->bot[l] - g->top[l]);
	for (int l = 0; l < g->nlines; l++) {
		float mid = (g->top[l] + g->bot[l]) / 2;
		g->top[l] = fmaxf(0, mid - tall / 2), g->bot[l] = fminf((float)h, mid + tall / 2);
	}
	/* each line fitted on its own profile (a sum over lines has no gaps once the lines are
	 * sheared), then a line whose pitch strays from the median is refitted at the median */
	float pm;
	for (int l = 0; l < g->nlines; l++) {
		line_profile(ink, w, g, l, cp);
		if (fit_line(cp, w, g->nchars, 0, &g->x0[l], &g->pitch[l]))
			return -CCCD_ENOENT;
	}
	pm = median3(g->pitch, g->nlines);
	for (int l = 0; l < g->nlines; l++) {
		line_profile(ink, w, g, l, cp);
		if (fabsf(g->pitch[l] - pm) > 0.015f * pm) {
			float x0 = g->x0[l], p = g->pitch[l];
			if (fit_line(cp, w, g->nchars, pm, &g->x0[l], &g->pitch[l])) {
				if (!keep_own)
					return -CCCD_ENOENT;
				g->x0[l] = x0, g->pitch[l] = p;
			}
		}
		refine_line(cp, w, g->nchars, g->x0[l], g->pitch[l], g->xb[l]);
	}
	return 0;
}

int mrzloc_grid_find(const uint8_t *ink, int w, int h, struct mrzloc_grid *g)
{
	return grid_find(ink, w, h, g, false);
}

int mrzloc_grid_find_own(const uint8_t *ink, int w, int h, struct mrzloc_grid *g)
{
	return grid_find(ink, w, h, g, true);
}
