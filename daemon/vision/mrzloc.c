/* SPDX-License-Identifier: MIT */
/*
 * mrzloc.c - the MRZ reader's frame loop (mrzloc.h): candidate text blocks (mrzloc_shim.cpp),
 * each warped onto a band at 16 px per character with the text horizontal, segmented
 * (mrzloc_grid.c) and classified (ocrb.c) both ways up; the way with the lower total cost wins
 * (this settles 0/180 and, with the long side of the block, all 4 orientations). Each line is
 * then placed -1/0/+1 cell by decoding (best_placement): the layout and check digits pick the
 * alignment; the name line is aligned to the checked lines (align_name). Of several candidate
 * blocks the first whose read passes most check digits wins (try_box). A band read is
 * voted in per character (costs add up) unless it disagrees with the vote at more than 30 % of
 * the positions, which starts a new document. Decoding: mrzloc_decode.c.
 * Omits: TD2; frame quality gating (qrscan's gate can run first).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "doc/vnname.h"
#include "vision/mrzloc_priv.h"

#define BAND_CAP    (1024 * 512)
#define CANDIDATES  6
#define GLARE_TRIES 3 /* candidates retried lengthened when none reads (extend) */
#define GLARE_GROW  1.4
#define MARGIN_X    0.07
#define MARGIN_Y    0.2
#define NAME_DOUBT  0.5f /* confidence cap of an unconfirmed non-Vietnamese-looking name */
#define BLANK	    0.3f /* an end cell with less of its line's median ink holds no glyph */

struct mrzloc {
	struct mrzloc_ws *ws;
	struct ocrb_model *model;
	uint8_t ink[BAND_CAP];
	struct mrzloc_costs vote, cur, tmp, keep;
	char prev_name[MRZ_WIDTH_MAX + 1]; /* the previous voted frame's own CCCD name line */
	struct mrzloc_wide wup, wdown;
	int frames;
	struct mrzloc_box last; /* the last band read, how it was turned and scaled */
	bool last_flip, have_last;
	double last_scale;
};

int mrzloc_new(struct mrzloc **out, const struct mrzloc_opts *o, struct cccd_err *err)
{
	struct mrzloc *m = calloc(1, sizeof(*m));
	const char *font = o && o->font ? o->font : MRZLOC_FONT;
	uint64_t seed = o && o->seed ? o->seed : 20261128;
	int bands = o && o->bands > 0 ? o->bands : 80, rc;

	*out = NULL;
	if (!m || !(m->model = malloc(sizeof(*m->model))) || mrzloc_ws_new(&m->ws)) {
		mrzloc_free(m);
		return cccd_err_set(err, -CCCD_ENOMEM, "mrzloc", "out of memory");
	}
	rc = mrzloc_train(m->model, font, seed, bands, m->ink, BAND_CAP, err);
	if (rc) {
		mrzloc_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

void mrzloc_free(struct mrzloc *m)
{
	if (!m)
		return;
	mrzloc_ws_free(m->ws);
	free(m->model);
	free(m);
}

void mrzloc_reset(struct mrzloc *m)
{
	m->frames = 0;
	m->prev_name[0] = '\0';
	memset(&m->vote, 0, sizeof(m->vote));
}

struct ocrb_cell mrzloc_cell(const struct mrzloc_grid *g, int l, int i)
{
	struct ocrb_cell c;

	if (i < 0) {
		c.x1 = g->xb[l][0];
		c.x0 = c.x1 - (g->xb[l][1] - g->xb[l][0]);
	} else if (i >= g->nchars) {
		c.x0 = g->xb[l][g->nchars];
		c.x1 = c.x0 + (g->xb[l][g->nchars] - g->xb[l][g->nchars - 1]);
	} else {
		c.x0 = g->xb[l][i];
		c.x1 = g->xb[l][i + 1];
	}
	c.y0 = g->top[l];
	c.y1 = g->bot[l];
	return c;
}

/* Ink in cell c of the ink map (its rectangle). */
static float cell_mass(const uint8_t *ink, int w, int h, const struct ocrb_cell *c)
{
	int xa = (int)c->x0, xb = (int)c->x1, ya = (int)c->y0, yb = (int)c->y1;
	float s = 0;

	for (int y = ya < 0 ? 0 : ya; y < yb && y < h; y++)
		for (int x = xa < 0 ? 0 : xa; x < xb && x < w; x++)
			s += ink[(size_t)y * w + x];
	return s;
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

/* Classify the cells of line l of the grid and the one beyond each end; the total of the best
 * costs over the grid's own cells. Every MRZ position is inked (a filler holds about a third of
 * a digit's ink), so a cell with under BLANK of the line's median ink is no glyph: the features
 * are normalised, and a blank cell's noise, or its neighbour's edge, would read as a cheap 'O'
 * or 'I' and let a placement one cell off win. */
static float classify_line(const struct mrzloc *m, const uint8_t *ink, int w, int h,
			   const struct mrzloc_grid *g, int l, struct mrzloc_wide *k)
{
	float f[OCRB_DIM], total = 0, mass[MRZ_WIDTH_MAX + 2], med[MRZ_WIDTH_MAX];

	for (int i = -1; i <= g->nchars; i++) {
		struct ocrb_cell c = mrzloc_cell(g, l, i);
		mass[i + 1] = cell_mass(ink, w, h, &c);
		if (i >= 0 && i < g->nchars)
			med[i] = mass[i + 1];
	}
	qsort(med, (size_t)g->nchars, sizeof(float), cmp_float);
	for (int i = -1; i <= g->nchars; i++) {
		struct ocrb_cell c = mrzloc_cell(g, l, i);
		float *cost = k->c[l][i + 1], best = 4;
		if (((i < 0 || i == g->nchars) && mass[i + 1] < BLANK * med[g->nchars / 2]) ||
		    ocrb_feature(ink, w, h, &c, f)) {
			for (int q = 0; q < OCRB_NCLASS; q++)
				cost[q] = 4;
		} else
			ocrb_classify(m->model, f, cost);
		for (int q = 0; q < OCRB_NCLASS; q++)
			best = cost[q] < best ? cost[q] : best;
		if (i >= 0 && i < g->nchars)
			total += best;
	}
	return total;
}

static float classify(const struct mrzloc *m, const uint8_t *ink, int w, int h,
		      const struct mrzloc_grid *g, struct mrzloc_wide *k)
{
	float total = 0;

	k->nlines = g->nlines, k->nchars = g->nchars;
	for (int l = 0; l < g->nlines; l++)
		total += classify_line(m, ink, w, h, g, l, k);
	return total;
}

/* Lines of w shifted by sh[l] cells (-1, 0, +1) into k. */
static void place(const struct mrzloc_wide *w, const int *sh, struct mrzloc_costs *k)
{
	k->nlines = w->nlines, k->nchars = w->nchars, k->frames = 1;
	for (int l = 0; l < w->nlines; l++)
		memcpy(k->c[l], w->c[l][1 + sh[l]], sizeof(k->c[l][0]) * (size_t)w->nchars);
}

/* The placement of each line (shifted by -1, 0 or +1 cell) whose decode is best: the cheapest
 * classes the layout allows plus half a glyph's cost per failing check digit, less one for a
 * read that parses. The layout (digits, IDVNM, fillers) and the check digits tell a grid a cell
 * off from the right one far better than the ink profile does. Result in m->cur. */
static void best_placement(struct mrzloc *m, const struct mrzloc_wide *w,
			   const struct cccd_date *today, int *best_sh)
{
	int sh[MRZ_LINES_MAX] = {0}, combos = 1;
	float best = 1e30f;

	for (int l = 0; l < w->nlines; l++)
		combos *= 3;
	for (int c = 0; c < combos; c++) {
		struct mrzloc_result r;
		for (int l = 0, v = c; l < w->nlines; l++, v /= 3)
			sh[l] = v % 3 - 1;
		place(w, sh, &m->tmp);
		mrzloc_decode(&m->tmp, today, &r);
		float s = mrzloc_layout_cost(&m->tmp) - 0.5f * (float)r.checks_read -
			  (r.valid ? 1.0f : 0.0f);
		for (int l = 0; l < w->nlines; l++)
			s += 0.05f * (float)(sh[l] * sh[l]); /* the fit itself breaks ties */
		if (s < best)
			best = s, memcpy(best_sh, sh, sizeof(int) * (size_t)w->nlines);
	}
	place(w, best_sh, &m->cur);
}

static void reverse(uint8_t *p, size_t n)
{
	for (size_t i = 0, j = n - 1; n && i < j; i++, j--) {
		uint8_t t = p[i];
		p[i] = p[j], p[j] = t;
	}
}

static void box_quad(const struct mrzloc_box *b, bool flip, float q[8])
{
	double a = (b->angle + (flip ? 180.0 : 0.0)) * M_PI / 180, ca = cos(a), sa = sin(a);
	static const float ux[4] = {-0.5f, 0.5f, 0.5f, -0.5f}, uy[4] = {-0.5f, -0.5f, 0.5f, 0.5f};

	for (int i = 0; i < 4; i++) {
		double x = ux[i] * b->len, y = uy[i] * b->thick;
		q[2 * i] = (float)(b->cx + x * ca - y * sa);
		q[2 * i + 1] = (float)(b->cy + x * sa + y * ca);
	}
}

/* Sharpness of the lines: the sum of squared row sums of the ink map. */
static double row_energy(const uint8_t *ink, int w, int h)
{
	double e = 0;

	for (int y = 0; y < h; y++) {
		double s = 0;
		for (int x = 0; x < w; x++)
			s += ink[(size_t)y * w + x];
		e += s * s;
	}
	return e;
}

/* minAreaRect's angle is that of the blob, not of the lines (perspective, a glare bite): turn
 * the box by up to ±2° in 0.5° steps to the angle whose rows are sharpest. The search runs on a
 * band at half the reading scale (a quarter of the pixels; the lines stay 8 px apart, plenty to
 * see them blur): at the reading scale it took a third of the frame time. */
static void refine_angle(struct mrzloc *m, struct mrzloc_box *b, double scale)
{
	float a0 = b->angle, best_a = a0;
	double best = -1;
	int w, h;

	for (int k = -4; k <= 4; k++) {
		b->angle = a0 + 0.5f * (float)k;
		if (mrzloc_img_band(m->ws, b, scale, MARGIN_X, MARGIN_Y, false, m->ink, BAND_CAP,
				    &w, &h))
			continue;
		double e = row_energy(m->ink, w, h);
		if (e > best)
			best = e, best_a = b->angle;
	}
	b->angle = best_a;
}

/* Border i of line l of g, i from -1 to n + 1 (beyond the fitted ones: the end pitch). */
static float border(const struct mrzloc_grid *g, int l, int i)
{
	int n = g->nchars;

	if (i < 0)
		return g->xb[l][0] + (float)i * (g->xb[l][1] - g->xb[l][0]);
	if (i > n)
		return g->xb[l][n] + (float)(i - n) * (g->xb[l][n] - g->xb[l][n - 1]);
	return g->xb[l][i];
}

/* The cells of an MRZ's lines sit in the same columns, up to a shear that grows line by line.
 * The name line has no check digit to place it, and its fillers' ink sits right of their cells'
 * centres, which pulls its own comb phase aside (an L's stem cut by the border read as U). So
 * once the lines with check digits pass (all but one check: a lone failure is a glyph, not a
 * misplaced line), the name line takes the shift whose first border is nearest the one they
 * predict (linear in the line number), its borders move halfway to the predicted ones (both
 * estimates err, independently), its cells are classified again and it is placed unshifted.
 * Predicted and own borders more than half a pitch apart: the predicted ones. */
static void align_name(struct mrzloc *m, int w, int h, struct mrzloc_grid *g, struct mrzloc_wide *k,
		       const struct cccd_date *today, int *sh)
{
	struct mrzloc_result r;
	int n = g->nchars, name = g->nlines == 3 ? 2 : 0;
	float xb[MRZ_WIDTH_MAX + 1], own[MRZ_WIDTH_MAX + 1], p, bestd = 1e30f;

	if (g->nlines != 3 && g->nlines != 2)
		return;
	mrzloc_decode(&m->cur, today, &r);
	if (r.checks_read + 1 < r.checks)
		return;
	for (int i = 0; i <= n; i++)
		xb[i] = g->nlines == 3 ? 2 * border(g, 1, i + sh[1]) - border(g, 0, i + sh[0])
				       : border(g, 1, i + sh[1]);
	p = (xb[n] - xb[0]) / (float)n;
	for (int d = -1; d <= 1; d++) {
		float e = fabsf(border(g, name, d) - xb[0]);
		if (e < bestd)
			bestd = e, sh[name] = d;
	}
	for (int i = 0; i <= n; i++)
		own[i] = border(g, name, i + sh[name]);
	for (int i = 0; i <= n; i++)
		g->xb[name][i] = bestd > 0.5f * p ? xb[i] : 0.5f * (xb[i] + own[i]);
	classify_line(m, m->ink, w, h, g, name, k);
	sh[name] = 0;
	place(k, sh, &m->cur);
}

/* Each line placed by decoding, then the name line by the others (align_name). Result in
 * m->cur. */
static void place_lines(struct mrzloc *m, int w, int h, struct mrzloc_grid *g,
			struct mrzloc_wide *k, const struct cccd_date *today)
{
	int sh[MRZ_LINES_MAX];

	best_placement(m, k, today, sh);
	align_name(m, w, h, g, k, today, sh);
}

/* Warp, segment and classify box b, both ways up; the better read goes to m->cur. */
static int read_box(struct mrzloc *m, const struct mrzloc_box *box, const struct cccd_date *today,
		    float quad[8])
{
	int n0 = box->len > 10 * box->thick ? 44 : 30;
	struct mrzloc_box bb = *box, *b = &bb;

	refine_angle(m, b, 0.5 * MRZLOC_PITCH * (n0 - 0.3) / b->len);

	for (int t = 0; t < 2; t++) {
		int n = t ? 74 - n0 : n0, w, h;
		struct mrzloc_grid gu, gd;
		double scale = MRZLOC_PITCH * (n - 0.3) / b->len;
		if (mrzloc_img_band(m->ws, b, scale, MARGIN_X, MARGIN_Y, false, m->ink, BAND_CAP,
				    &w, &h))
			return -1;
		float up = -1, down = -1;
		if (!mrzloc_grid_find(m->ink, w, h, &gu) && gu.nchars == n)
			up = classify(m, m->ink, w, h, &gu, &m->wup);
		reverse(m->ink, (size_t)w * h);
		if (!mrzloc_grid_find(m->ink, w, h, &gd) && gd.nchars == n)
			down = classify(m, m->ink, w, h, &gd, &m->wdown);
		if (up < 0 && down < 0)
			continue;
		bool flip = up < 0 || (down >= 0 && down < up);
		if (!flip)
			reverse(m->ink, (size_t)w * h);
		struct mrzloc_grid *g = flip ? &gd : &gu;
		place_lines(m, w, h, g, flip ? &m->wdown : &m->wup, today);
		box_quad(b, flip, quad);
		m->last = *b, m->last_flip = flip, m->last_scale = scale;
		/* a text block that is not an MRZ reads as noise: mean best cost well above a
		 * glyph's */
		return (flip ? down : up) / (float)(n * g->nlines) < 0.45f ? 0 : -1;
	}
	return -1;
}

static int best_class(const float *c)
{
	int b = 0;

	for (int q = 1; q < OCRB_NCLASS; q++)
		b = c[q] < c[b] ? q : b;
	return b;
}

/* Does the new read belong to the document being voted? */
static bool same_doc(const struct mrzloc *m)
{
	int diff = 0, n = m->cur.nlines * m->cur.nchars;

	if (!m->frames)
		return true;
	if (m->vote.nlines != m->cur.nlines || m->vote.nchars != m->cur.nchars)
		return false;
	for (int l = 0; l < m->cur.nlines; l++)
		for (int i = 0; i < m->cur.nchars; i++)
			diff += best_class(m->vote.c[l][i]) != best_class(m->cur.c[l][i]);
	return diff * 10 <= n * 3;
}

/* Mean best cost of line l of k per frame. */
static float line_cost(const struct mrzloc_costs *k, int l, int frames)
{
	float s = 0;

	for (int i = 0; i < k->nchars; i++)
		s += k->c[l][i][best_class(k->c[l][i])];
	return s / (float)(k->nchars * (frames > 0 ? frames : 1));
}

/* Add the read's costs to the vote. A line that disagrees with the voted line at more than 40 %
 * of its positions is misplaced in one of them (a name line has no check digit to stop it): the
 * one whose glyphs fit worse gives way (the voted line restarts from this read, or this read's
 * line is left out), instead of the two blurring each other. */
static void vote_in(struct mrzloc *m)
{
	if (!same_doc(m))
		mrzloc_reset(m);
	m->vote.nlines = m->cur.nlines, m->vote.nchars = m->cur.nchars;
	for (int l = 0; l < m->cur.nlines; l++) {
		int diff = 0, n = m->cur.nchars;
		for (int i = 0; m->frames && i < n; i++)
			diff += best_class(m->vote.c[l][i]) != best_class(m->cur.c[l][i]);
		if (diff * 10 > n * 4) {
			if (line_cost(&m->cur, l, 1) < line_cost(&m->vote, l, m->frames))
				for (int i = 0; i < n; i++)
					for (int q = 0; q < OCRB_NCLASS; q++)
						m->vote.c[l][i][q] = m->cur.c[l][i][q];
			continue;
		}
		for (int i = 0; i < n; i++)
			for (int q = 0; q < OCRB_NCLASS; q++)
				m->vote.c[l][i][q] += m->cur.c[l][i][q];
	}
	m->frames++;
	m->vote.frames = m->frames;
}

/* Box b lengthened by GLARE_GROW towards one end (-1: the start of its long side, +1: the end):
 * a glare spot over one end of the MRZ washes its glyphs out of the text mask, so the blob, and
 * the band cut from it, stops short of the line ends (the grid then fits the lines into too few
 * columns). The grid fits the cells between the first and last inked columns, so the blank
 * margin the longer box adds at the wrong end costs nothing. */
static struct mrzloc_box extend(const struct mrzloc_box *b, int end)
{
	struct mrzloc_box e = *b;
	double a = b->angle * M_PI / 180, d = 0.5 * (GLARE_GROW - 1) * b->len * end;

	e.len = b->len * (float)GLARE_GROW;
	e.cx = (float)(b->cx + d * cos(a));
	e.cy = (float)(b->cy + d * sin(a));
	return e;
}

/* The name line of a CCCD read (TD1 beginning IDVNM), or "". */
static void name_of(const struct mrzloc_result *r, char *out)
{
	out[0] = '\0';
	if (r->width == 30 && r->nlines == 3 && strlen(r->text) == 92 &&
	    !strncmp(r->text, "IDVNM", 5))
		snprintf(out, MRZ_WIDTH_MAX + 1, "%.30s", r->text + 62);
}

/* A CCCD holder's name spelled unlike Vietnamese (doc/vnname.h) is more often a misread (HO<<
 * as HLK<, VU<< as VUK<: no check digit covers a name) than a name: it is complete only once
 * two frames in a row read it so on their own; else its confidence is held under
 * MRZLOC_MIN_CONF. A minority name (KSOR) costs one frame more. */
static void doubt_name(struct mrzloc *m, const char *own, struct mrzloc_result *res)
{
	char voted[MRZ_WIDTH_MAX + 1];

	name_of(res, voted);
	bool agreed = voted[0] && !strcmp(own, voted) && !strcmp(m->prev_name, voted);
	snprintf(m->prev_name, sizeof(m->prev_name), "%s", own);
	if (!voted[0] || agreed || vnname_plausible(voted, strlen(voted)))
		return;
	res->confidence = fminf(res->confidence, NAME_DOUBT);
	res->complete = false;
}

/* The candidate read so far: the first that passes most of its check digits ends the search
 * (good); until then the one passing most is kept (m->keep). Other text blocks on a card back,
 * the issuer's heading lines, can read as three lines of 30 glyphs cheaply enough to pass for
 * an MRZ: taking the first block that reads at all lost the MRZ below them. */
struct pick {
	bool good;
	int checks_read;
	struct mrzloc_result res; /* the kept read, decoded on its own */
	float quad[8];
	struct mrzloc_box last;
	bool flip;
	double scale;
};

static void try_box(struct mrzloc *m, const struct mrzloc_box *b, const struct cccd_date *today,
		    struct pick *pk)
{
	struct mrzloc_result r = {0};
	float quad[8];

	if (read_box(m, b, today, quad))
		return;
	m->cur.frames = 1;
	mrzloc_decode(&m->cur, today, &r);
	pk->good = 2 * r.checks_read > r.checks;
	if (!pk->good && r.checks_read <= pk->checks_read)
		return;
	pk->checks_read = r.checks_read;
	pk->res = r;
	memcpy(pk->quad, quad, sizeof(quad));
	pk->last = m->last, pk->flip = m->last_flip, pk->scale = m->last_scale;
	if (!pk->good)
		m->keep = m->cur;
}

int mrzloc_frame(struct mrzloc *m, const uint8_t *gray, int w, int h, size_t stride,
		 const struct cccd_date *today, struct mrzloc_result *res, struct cccd_err *err)
{
	struct mrzloc_box box[CANDIDATES];
	int n;

	memset(res, 0, sizeof(*res));
	if (!gray || w < 32 || h < 32 || w > 8192 || h > 8192 || stride < (size_t)w)
		return cccd_err_set(err, -CCCD_EINVAL, "mrzloc", "frame %dx%d stride %zu", w, h,
				    stride);
	m->have_last = false;
	n = mrzloc_img_find(m->ws, gray, w, h, stride, box, CANDIDATES);
	struct pick pk = {.checks_read = -1};
	for (int i = 0; i < n && !pk.good; i++)
		try_box(m, &box[i], today, &pk);
	for (int i = 0; i < n && i < GLARE_TRIES && !pk.good; i++)
		for (int end = -1; end <= 1 && !pk.good; end += 2) {
			struct mrzloc_box b = extend(&box[i], end);
			try_box(m, &b, today, &pk);
		}
	if (pk.checks_read < 0) {
		res->frames = m->frames;
		return 0;
	}
	if (!pk.good) { /* none read well: the best of them (it will not be voted) */
		m->cur = m->keep;
		m->last = pk.last, m->last_flip = pk.flip, m->last_scale = pk.scale;
	}
	m->have_last = true;
	*res = pk.res; /* the frame's own read, decoded by try_box */
	res->found = true;
	memcpy(res->quad, pk.quad, sizeof(pk.quad));
	/* a frame whose own read fails most check digits is misread (grid, glare): voting it in
	 * would only blur the others */
	if (!pk.good) {
		res->frames = m->frames;
		res->valid = res->complete = false;
		return 0;
	}
	char own[MRZ_WIDTH_MAX + 1];
	name_of(res, own);
	vote_in(m);
	mrzloc_decode(&m->vote, today, res);
	doubt_name(m, own, res);
	res->found = true;
	res->frames = m->frames;
	return 0;
}

int mrzloc_crop(struct mrzloc *m, uint8_t *out, size_t cap, int *w, int *h)
{
	if (!m->have_last)
		return -CCCD_ENOENT;
	return mrzloc_img_gray(m->ws, &m->last, 2 * m->last_scale, MARGIN_X, MARGIN_Y, m->last_flip,
			       out, cap, w, h)
		   ? -CCCD_ENOSPC
		   : 0;
}
