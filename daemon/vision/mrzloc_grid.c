/* SPDX-License-Identifier: MIT */
/*
 * mrzloc_grid.c - segment a rectified MRZ band into its character grid (mrzloc.h).
 * Lines: the row profile of the ink map over the middle 90 % of the band, runs above 30 % of its
 * peak, runs under 40 % of the tallest dropped; 3 lines = TD1 (30 cells), 2 = TD2/TD3 (44).
 * Cells: OCR-B is monospaced, so a line's column profile is periodic at the character pitch.
 * The pitch, and the chirp (its drift along the line: perspective left over after the affine
 * rectification, up to ±7 % at the ends), are those whose Fourier component at the cell
 * frequency ("comb"), summed over every line, is strongest; each line then takes its own phase
 * from the same comb, and its first cell is the one nearest a glyph's half width inside its
 * first inked column (columns inked between the lines too, a card edge, do not count). Stray ink
 * at an end can only shift a line by whole cells, which the placement by decoding undoes
 * (mrzloc.c); a glyph washed out by glare leaves the phase alone. A block whose comb is weak
 * (proportional print) has no grid. Up to 2026-11-28 the cells were fitted to the inked extent
 * and each border moved by dynamic programming to the least ink: that drifted by half a pitch
 * where glyphs are narrow and read one line in eight as garbage.
 * Omits: TD2's 36 cells (a 2-line band is read as TD3).
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "vision/mrzloc_priv.h"

#define GLARE_GAP 3.5f /* pitches of washed-out glyphs bridged in a split line (ink_extent) */

#define MIN_COMB 0.18 /* comb magnitude over ink below which a block is not monospaced */
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

/* The cell index at column x of a line whose middle column is xm: u = d/p + k (d/p)^2 with
 * d = x - xm. Perspective left over after the affine rectification makes the pitch drift along
 * the line (up to ±4 % at the ends on a tilted card): k is that drift, the chirp. */
struct chirp {
	double p, k, xm;
};

static double cell_at(const struct chirp *c, double x)
{
	double t = (x - c->xm) / c->p;
	return t + c->k * t * t;
}

/* The column where the cell index is u (the inverse of cell_at on the line's side of the
 * parabola's vertex). */
static double col_at(const struct chirp *c, double u)
{
	if (fabs(c->k) < 1e-9)
		return c->xm + u * c->p;
	double disc = 1 + 4 * c->k * u;
	return c->xm + c->p * (disc > 0 ? (sqrt(disc) - 1) / (2 * c->k) : -1 / (2 * c->k));
}

/* The profile's component at the cell frequency, S = sum cp[x] exp(-2 pi i u(x)) over [lo, hi]:
 * OCR-B is monospaced, so the glyphs make the profile periodic in u; |S| is largest at the
 * right pitch and chirp and arg S is the phase of the glyph centres. The phase advances by a
 * step that itself grows linearly (a second-order recurrence: no trigonometry per column). */
static void comb(const float *cp, int lo, int hi, int step, const struct chirp *c, double *re,
		 double *im)
{
	double u = cell_at(c, lo), du = cell_at(c, lo + step) - u,
	       dd = 2 * c->k * step * step / (c->p * c->p);
	double zr = cos(2 * M_PI * u), zi = -sin(2 * M_PI * u), rr = cos(2 * M_PI * du),
	       ri = -sin(2 * M_PI * du), qr = cos(2 * M_PI * dd), qi = -sin(2 * M_PI * dd);
	double sr = 0, si = 0, t;

	for (int x = lo; x <= hi; x += step) {
		sr += cp[x] * zr, si += cp[x] * zi;
		t = zr * rr - zi * ri, zi = zr * ri + zi * rr, zr = t;
		t = rr * qr - ri * qi, ri = rr * qi + ri * qr, rr = t;
	}
	*re = sr, *im = si;
}

/* The comb magnitude summed over the lines. */
static double comb_energy(const float (*cp)[COLS_MAX], const int *a, const int *b, int nl, int step,
			  const struct chirp *c)
{
	double e = 0, re, im;

	for (int l = 0; l < nl; l++) {
		comb(cp[l], a[l], b[l], step, c, &re, &im);
		e += sqrt(re * re + im * im);
	}
	return e;
}

#define CHIRP_STEP 0.0006 /* k from -0.0024 to +0.0024: pitch ±7 % at the ends of 30 cells */

/* The pitch and chirp whose comb energy, summed over the lines' own extents, is highest (one
 * for all lines: same font, same band, and the perspective bends them alike, so the comb over
 * every line outvotes a line whose extent glare or stray ink got wrong). p0 is the extents'
 * estimate. Coarse first (pitch p0 ± 10 % in 1 % steps, every other column: the profile is
 * smooth and a pitch spans 16 columns), then fine around the best (0.25 % and half a chirp
 * step, every column), the pitch refined by a parabola through its neighbours. */
static struct chirp comb_fit(const float (*cp)[COLS_MAX], const int *a, const int *b, int nl,
			     float p0, double xm)
{
	struct chirp c = {p0, 0, xm}, bc = c;
	double best = -1, e[7][3];

	for (int j = -4; j <= 4; j++)
		for (int i = -10; i <= 10; i++) {
			c.k = CHIRP_STEP * j, c.p = p0 * (1 + 0.01 * i);
			double en = comb_energy(cp, a, b, nl, 2, &c);
			if (en > best)
				best = en, bc = c;
		}
	struct chirp mid = bc;
	int bi = 3, bj = 1;
	best = -1;
	for (int j = 0; j < 3; j++)
		for (int i = 0; i < 7; i++) {
			c.k = mid.k + 0.5 * CHIRP_STEP * (j - 1),
			c.p = mid.p * (1 + 0.0025 * (i - 3));
			e[i][j] = comb_energy(cp, a, b, nl, 1, &c);
			if (e[i][j] > best)
				best = e[i][j], bc = c, bi = i, bj = j;
		}
	if (bi > 0 && bi < 6) {
		double den = e[bi - 1][bj] - 2 * e[bi][bj] + e[bi + 1][bj];
		if (den < 0)
			bc.p =
			    mid.p *
			    (1 + 0.0025 * (bi - 3 + 0.5 * (e[bi - 1][bj] - e[bi + 1][bj]) / den));
	}
	return bc;
}

/* Cells of one line under the band's pitch and chirp: the line's own comb phase puts a glyph
 * centre at every whole cell index from it, the first one nearest a glyph's half width inside
 * the line's first inked column a, and the borders halfway (cell index ±0.5). Stray ink at a
 * line's end costs at most a one-cell shift, which the placement by decoding undoes
 * (mrzloc.c). */
static void comb_line(const float *cp, int n, int a, int b, const struct chirp *c, float *x0,
		      float *pitch, float *xb)
{
	double re, im, uc, u0;

	comb(cp, a, b, 1, c, &re, &im);
	uc = -atan2(im, re) / (2 * M_PI);
	u0 = uc + floor(cell_at(c, a + 0.3 * c->p) - uc + 0.5);
	for (int i = 0; i <= n; i++)
		xb[i] = (float)col_at(c, u0 + i - 0.5);
	*x0 = xb[0], *pitch = (xb[n] - xb[0]) / (float)n;
}

/* The inked extent of profile cp: above the margins' noise floor by 12 % of the glyphs' peak. */
static int line_extent(float *cp, int w, int n, int *a, int *b)
{
	float peak = 0, floor_ = cp[0];

	for (int x = 0; x < w; x++) {
		peak = cp[x] > peak ? cp[x] : peak;
		floor_ = cp[x] < floor_ ? cp[x] : floor_;
	}
	if (ink_extent(cp, w, floor_ + 0.12f * (peak - floor_), a, b) || *b - *a < n * 2)
		return -1;
	return 0;
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

int mrzloc_grid_find(const uint8_t *ink, int w, int h, struct mrzloc_grid *g)
{
	static _Thread_local float cp[MRZ_LINES_MAX][COLS_MAX];
	float rp[ROWS_MAX], est[MRZ_LINES_MAX];
	int xa = w / 20, xb = w - w / 20, a[MRZ_LINES_MAX], b[MRZ_LINES_MAX];

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
	/* one pitch for all lines (same font, same band: the comb over every line outvotes a
	 * line whose extent glare or stray ink got wrong), then each line's own phase and drift */
	for (int l = 0; l < g->nlines; l++) {
		line_profile(ink, w, g, l, cp[l]);
		if (line_extent(cp[l], w, g->nchars, &a[l], &b[l]))
			return -CCCD_ENOENT;
		est[l] = (float)(b[l] + 1 - a[l]) / ((float)g->nchars - 0.35f);
	}
	double xm = 0;
	for (int l = 0; l < g->nlines; l++)
		xm += (a[l] + b[l]) / 2.0 / g->nlines;
	struct chirp c =
	    comb_fit((const float(*)[COLS_MAX])cp, a, b, g->nlines, median3(est, g->nlines), xm);
	/* an MRZ line is periodic at its pitch (the comb's magnitude is about a third of the
	 * line's ink); other print, in a proportional face, is not (under a fifth) */
	double strength = 0;
	for (int l = 0; l < g->nlines; l++) {
		double re, im, sum = 0;
		comb(cp[l], a[l], b[l], 1, &c, &re, &im);
		for (int x = a[l]; x <= b[l]; x++)
			sum += cp[l][x];
		strength += sum > 0 ? sqrt(re * re + im * im) / sum / g->nlines : 0;
	}
	if (strength < MIN_COMB)
		return -CCCD_ENOENT;
	for (int l = 0; l < g->nlines; l++)
		comb_line(cp[l], g->nchars, a[l], b[l], &c, &g->x0[l], &g->pitch[l], g->xb[l]);
	return 0;
}
