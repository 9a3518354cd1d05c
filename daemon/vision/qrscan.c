/* SPDX-License-Identifier: MIT */
/*
 * qrscan.c - the QR pipeline of qrscan.h: gate, zbar, zxing-cpp, locate-crop-upscale, negative,
 * deblur.
 *
 * Why this order: zbar is fast and reads a sharp printed code at >= 3 px/module (every other
 * line suffices on the whole frame); a card QR in a 720p frame has only 2-4 (FIELD-NOTES), so
 * codes that zxing-cpp or our edge-density locator find but nobody reads are rectified onto a
 * square at >= 6 px/module and read again; zxing-cpp reads the phone-screen codes zbar misses
 * (moire, sub-pixel grid); dark-mode screens show light-on-dark codes, read from the frame's
 * negative; codes still unread, smeared by more than a module (defocus, a moving hand), are
 * Wiener-deconvolved with the smear direction measured in the patch, last as the dearest. A
 * decode that opens like a card QR or a VietQR but fails its parser does not end the search.
 * zbar runs in binary mode (ZBAR_CFG_BINARY): bytes out, no charset guessing.
 * Omits: Micro QR, structured append, codes wider than the frame.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

#include "vision/qrscan.h"
#include "vision/qrscan_shim.h"

#define DEFAULT_MIN_SHARPNESS 15.0 /* Laplacian variance at 640 px: below, text is a smear */
#define DEFAULT_MAX_GLARE     0.25 /* a quarter of the frame saturated: nothing to read */
#define MAX_CANDIDATES	      4	   /* located-but-unread codes tried per frame */
#define CROP_MIN	      240  /* rectified crop side, px */
#define CROP_MAX	      560
#define FRAME_ZBAR_DENSITY    2 /* zbar on the whole frame and its negative: every 2nd line */
#define MAX_TRIED	      4 /* unread quads kept for the deblurring pass */

struct qrscan {
	struct qrscan_opts opts;
	zbar_image_scanner_t *zb;
	struct qrscan_ws *ws;
	struct qrscan_payload payload; /* scratch for the parse check */
	size_t n_unparsed;	       /* decodes that open like a card/VietQR but do not parse */
	struct qrscan_code unparsed[QRSCAN_MAX_CODES];
	size_t n_tried; /* quads the crop passes could not read, for the deblurring pass */
	float tried[MAX_TRIED][8];
};

int qrscan_new(struct qrscan **out, const struct qrscan_opts *opts, struct cccd_err *err)
{
	struct qrscan *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return cccd_err_set(err, -CCCD_ENOMEM, "qrscan", "out of memory");
	s->opts = *opts;
	if (s->opts.min_sharpness <= 0)
		s->opts.min_sharpness = DEFAULT_MIN_SHARPNESS;
	if (s->opts.max_glare <= 0)
		s->opts.max_glare = DEFAULT_MAX_GLARE;
	s->zb = zbar_image_scanner_create();
	if (!s->zb || qrscan_ws_new(&s->ws)) {
		qrscan_free(s);
		return cccd_err_set(err, -CCCD_ENOMEM, "qrscan", "out of memory");
	}
	zbar_image_scanner_set_config(s->zb, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(s->zb, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_scanner_set_config(s->zb, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
	/* the zbar peer uses zbar's own inverted pass; ours reads the negative itself (and knows)
	 */
	zbar_image_scanner_set_config(s->zb, ZBAR_NONE, ZBAR_CFG_TEST_INVERTED,
				      opts->mode == QRSCAN_ZBAR_ONLY);
	*out = s;
	return 0;
}

void qrscan_free(struct qrscan *s)
{
	if (!s)
		return;
	if (s->zb)
		zbar_image_scanner_destroy(s->zb);
	qrscan_ws_free(s->ws);
	free(s);
}

static bool have(const struct qrscan_result *res, const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < res->n; i++)
		if (res->code[i].len == len && !memcmp(res->code[i].data, data, len))
			return true;
	return false;
}

/* Append c unless res is full or already holds the same payload. A payload that opens like a
 * CCCD QR or a VietQR but fails its parser is set aside instead: it ends nothing, and is reported
 * only if no attempt on the frame reads a payload that parses. */
static void add(struct qrscan *s, struct qrscan_result *res, const struct qrscan_code *c)
{
	if (qrscan_payload_parse(c->data, c->len, &s->payload, NULL)) {
		bool seen = false;
		for (size_t i = 0; i < s->n_unparsed; i++)
			seen |= s->unparsed[i].len == c->len &&
				!memcmp(s->unparsed[i].data, c->data, c->len);
		if (!seen && s->n_unparsed < QRSCAN_MAX_CODES)
			s->unparsed[s->n_unparsed++] = *c;
		return;
	}
	if (res->n < QRSCAN_MAX_CODES && !have(res, c->data, c->len))
		res->code[res->n++] = *c;
}

static void zbar_quad(const zbar_symbol_t *sym, float q[8])
{
	unsigned n = zbar_symbol_get_loc_size(sym);

	memset(q, 0, 8 * sizeof(float));
	for (unsigned i = 0; i < n && i < 4; i++) {
		q[2 * i] = (float)zbar_symbol_get_loc_x(sym, i);
		q[2 * i + 1] = (float)zbar_symbol_get_loc_y(sym, i);
	}
}

/* zbar on v, scanning every density-th row and column; returns how many new codes went into
 * res. */
static size_t run_zbar_dense(struct qrscan *s, const struct qrscan_view *v, bool inverted,
			     int density, struct qrscan_result *res)
{
	zbar_image_t *img = zbar_image_create();
	const zbar_symbol_t *sym;
	struct qrscan_code c;
	size_t before = res->n;

	if (!img)
		return 0;
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)v->w, (unsigned)v->h);
	zbar_image_set_data(img, v->pix, (unsigned long)v->w * (unsigned long)v->h, NULL);
	zbar_image_scanner_set_config(s->zb, ZBAR_NONE, ZBAR_CFG_X_DENSITY, density);
	zbar_image_scanner_set_config(s->zb, ZBAR_NONE, ZBAR_CFG_Y_DENSITY, density);
	if (zbar_scan_image(s->zb, img) > 0)
		for (sym = zbar_image_first_symbol(img); sym; sym = zbar_symbol_next(sym)) {
			unsigned len = zbar_symbol_get_data_length(sym);
			if (zbar_symbol_get_type(sym) != ZBAR_QRCODE || len > QRSCAN_MAX_DATA)
				continue;
			memset(&c, 0, sizeof(c));
			memcpy(c.data, zbar_symbol_get_data(sym), len);
			c.len = len;
			c.decoder = QRSCAN_DEC_ZBAR;
			c.inverted = inverted;
			zbar_quad(sym, c.quad);
			add(s, res, &c);
		}
	zbar_image_destroy(img);
	return res->n - before;
}

static size_t run_zbar(struct qrscan *s, const struct qrscan_view *v, bool inverted,
		       struct qrscan_result *res)
{
	return run_zbar_dense(s, v, inverted, 1, res);
}

/* zxing-cpp on v; misses (may be NULL) collects located-but-unread quads. */
static size_t run_zxing_bin(struct qrscan *s, const struct qrscan_view *v, bool hard,
			    enum qrscan_zx_bin bin, bool inverted, struct qrscan_result *res,
			    float (*misses)[8], size_t *n_miss)
{
	struct qrscan_code got[QRSCAN_MAX_CODES];
	size_t n =
	    qrscan_zxing(v, hard, bin, got, QRSCAN_MAX_CODES, misses, MAX_CANDIDATES, n_miss);
	size_t before = res->n;

	for (size_t i = 0; i < n; i++) {
		got[i].inverted = inverted;
		add(s, res, &got[i]);
	}
	return res->n - before;
}

static size_t run_zxing(struct qrscan *s, const struct qrscan_view *v, bool hard, bool inverted,
			struct qrscan_result *res, float (*misses)[8], size_t *n_miss)
{
	return run_zxing_bin(s, v, hard, QRSCAN_ZX_LOCAL, inverted, res, misses, n_miss);
}

static float quad_side(const float q[8])
{
	float s = 0;

	for (int i = 0; i < 4; i++) {
		float dx = q[(2 * i + 2) % 8] - q[2 * i], dy = q[(2 * i + 3) % 8] - q[2 * i + 1];
		s += sqrtf(dx * dx + dy * dy);
	}
	return s / 4;
}

/* The side of a quad's rectified crop: >= 6 px/module for up to ~57 modules. */
static int crop_side(const float quad[8])
{
	int side = (int)(quad_side(quad) * 2.5f / 0.8f);

	return side < CROP_MIN ? CROP_MIN : side > CROP_MAX ? CROP_MAX : side;
}

static void unmap_new(struct qrscan *s, struct qrscan_result *res, size_t from)
{
	for (size_t i = from; i < res->n; i++) {
		res->code[i].cropped = true;
		for (int k = 0; k < 4; k++)
			qrscan_img_unmap(s->ws, &res->code[i].quad[2 * k],
					 &res->code[i].quad[2 * k + 1]);
	}
}

/* A blurred small code, upscaled: an unsharp mask at about half a module restores the edges. */
static size_t read_sharpened(struct qrscan *s, const struct qrscan_view *crop,
			     struct qrscan_result *res)
{
	struct qrscan_view sh;

	static const double pass[][2] = {{2.0, 1.0}, {4.0, 2.0}, {3.0, 4.0}};

	for (size_t i = 0; i < sizeof(pass) / sizeof(pass[0]); i++) {
		qrscan_img_sharpen(s->ws, crop, pass[i][0], pass[i][1], &sh);
		if (run_zbar(s, &sh, false, res) || run_zxing(s, &sh, true, false, res, NULL, NULL))
			return 1;
	}
	return 0;
}

/* Point-spread functions tried on a code the crop passes could not read, most likely first
 * (chosen on the benchmark's misses with the true quad: a smear of 3-4 px is deconvolved best as
 * a 4 px line with some defocus): a linear smear along the measured direction, then defocus
 * alone. Smears are tried only when the patch shows a direction. Of the 19 codes this pass read
 * on 600 bench fronts (seeds 20261128 and 777) each entry read at least one; two more tried
 * (a 4 px line at nsr 0.002 with sigma 1.1, a 2 px line with sigma 1.2) read none. */
static const struct {
	double len, sigma, nsr;
} psf_pass[] = {
    {4, 1.1, 0.005}, {4, 0.5, 0.002}, {4, 0.8, 0.01}, {3, 1.1, 0.005}, {0, 1.2, 0.01},
};

#define SMEAR_ANISO 0.7 /* weaker/stronger gradient energy below which a smear is measured */

/* Wiener deconvolution of the frame patch under quad with the passes above, each rectified to
 * side and read by zbar and zxing-cpp (both binarisers). */
static size_t read_deblurred(struct qrscan *s, const float quad[8], int side,
			     struct qrscan_result *res)
{
	struct qrscan_view v;
	double deg, aniso;

	if (qrscan_img_blur_est(s->ws, quad, &deg, &aniso))
		return 0;
	for (size_t i = 0; i < sizeof(psf_pass) / sizeof(psf_pass[0]); i++) {
		if (psf_pass[i].len > 0 && aniso >= SMEAR_ANISO)
			continue;
		for (int k = 0; k < 2; k++) {
			if (qrscan_img_deblur(s->ws, psf_pass[i].len, deg, psf_pass[i].sigma,
					      psf_pass[i].nsr, k ? side * 4 / 5 : side, &v))
				return 0;
			if (run_zbar(s, &v, false, res) ||
			    run_zxing_bin(s, &v, true, QRSCAN_ZX_LOCAL, false, res, NULL, NULL) ||
			    run_zxing_bin(s, &v, true, QRSCAN_ZX_GLOBAL, false, res, NULL, NULL))
				return 1;
		}
	}
	return 0;
}

/* Rectify one located code to >= 6 px/module (for up to ~57 modules) and read it both ways. */
static size_t read_crop(struct qrscan *s, const float quad[8], struct qrscan_result *res)
{
	struct qrscan_view crop, neg;
	size_t before = res->n;
	int side = crop_side(quad);

	if (qrscan_img_rectify(s->ws, quad, side, &crop))
		return 0;
	if (!run_zbar(s, &crop, false, res) && !run_zxing(s, &crop, true, false, res, NULL, NULL) &&
	    !read_sharpened(s, &crop, res)) {
		qrscan_img_invert(s->ws, &crop, &neg);
		if (!run_zbar(s, &neg, true, res))
			run_zxing(s, &neg, true, true, res, NULL, NULL);
	}
	if (res->n == before && s->n_tried < MAX_TRIED)
		memcpy(s->tried[s->n_tried++], quad, sizeof(s->tried[0]));
	unmap_new(s, res, before);
	return res->n - before;
}

/* Last resort, for codes smeared by more than a module: deconvolve each unread quad. */
static size_t read_tried_deblurred(struct qrscan *s, struct qrscan_result *res)
{
	for (size_t i = 0; i < s->n_tried; i++) {
		const float *quad = s->tried[i];
		size_t before = res->n;

		if (read_deblurred(s, quad, crop_side(quad), res)) {
			unmap_new(s, res, before);
			return res->n - before;
		}
	}
	return 0;
}

/* Codes zxing located but could not read, else square edge-dense patches (small codes).
 * OpenCV's QRCodeDetector is not asked: it cost ~70 ms on a frame without a code and added no
 * read on bench_qr's 500 frames nor 400 of another seed. */
static size_t read_candidates(struct qrscan *s, float (*cand)[8], size_t n,
			      struct qrscan_result *res)
{
	size_t got = 0;

	for (size_t i = 0; i < n; i++)
		got += read_crop(s, cand[i], res);
	if (got)
		return got;
	n = qrscan_img_blobs(s->ws, cand, MAX_CANDIDATES);
	for (size_t i = 0; i < n && !got; i++)
		got += read_crop(s, cand[i], res);
	return got;
}

static void run_ours(struct qrscan *s, const struct qrscan_view *frame, struct qrscan_result *res)
{
	float cand[MAX_CANDIDATES][8];
	size_t n_cand = 0;
	struct qrscan_view neg;

	if (s->opts.zxing_first && run_zxing(s, frame, false, false, res, cand, &n_cand))
		return;
	/* every other line: a finder pattern of a code zbar can read at all spans >= 7 lines, and
	 * it halves zbar's time; what this pass misses, zxing-cpp and the crops read */
	if (run_zbar_dense(s, frame, false, FRAME_ZBAR_DENSITY, res))
		return;
	if (!s->opts.zxing_first && run_zxing(s, frame, false, false, res, cand, &n_cand))
		return;
	if (read_candidates(s, cand, n_cand, res))
		return;
	if (run_zxing(s, frame, true, false, res, NULL, NULL))
		return;
	qrscan_img_invert(s->ws, frame, &neg);
	if (run_zbar_dense(s, &neg, true, FRAME_ZBAR_DENSITY, res) ||
	    run_zxing(s, &neg, true, true, res, cand, &n_cand))
		return;
	/* candidates found on the negative are cropped from the positive, then inverted there */
	for (size_t i = 0; i < n_cand; i++)
		if (read_crop(s, cand[i], res))
			return;
	read_tried_deblurred(s, res);
}

int qrscan_frame(struct qrscan *s, const uint8_t *gray, int width, int height, size_t stride,
		 struct qrscan_result *res, struct cccd_err *err)
{
	struct qrscan_view frame;

	memset(res, 0, sizeof(*res));
	s->n_unparsed = 0;
	s->n_tried = 0;
	if (!gray || width < 21 || height < 21 || width > 16384 || height > 16384 ||
	    stride < (size_t)width)
		return cccd_err_set(err, -CCCD_EINVAL, "qrscan", "frame %dx%d stride %zu unusable",
				    width, height, stride);
	if (qrscan_img_load(s->ws, gray, width, height, stride, &frame))
		return cccd_err_set(err, -CCCD_ENOMEM, "qrscan", "cannot copy a %dx%d frame", width,
				    height);
	qrscan_img_quality(s->ws, &res->quality);
	res->quality.ok = res->quality.sharpness >= s->opts.min_sharpness &&
			  res->quality.glare <= s->opts.max_glare;
	if (s->opts.gate && !res->quality.ok) {
		res->skipped = true;
		return 0;
	}
	if (s->opts.mode == QRSCAN_ZBAR_ONLY)
		run_zbar(s, &frame, false, res);
	else if (s->opts.mode == QRSCAN_ZXING_ONLY)
		run_zxing(s, &frame, true, false, res, NULL, NULL);
	else
		run_ours(s, &frame, res);
	for (size_t i = 0; i < s->n_unparsed && res->n < QRSCAN_MAX_CODES; i++)
		res->code[res->n++] = s->unparsed[i];
	return 0;
}
