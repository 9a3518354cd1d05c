/* SPDX-License-Identifier: MIT */
/*
 * qrscan_shim.h - the C face of the two C++ shims qrscan.c uses: image work over OpenCV
 * (qrimg_shim.cpp) and the zxing-cpp reader (zxing_shim.cpp). Private to daemon/vision.
 * Every view points into the workspace and stays valid until the next call that writes it.
 */
#ifndef CCCD_VISION_QRSCAN_SHIM_H
#define CCCD_VISION_QRSCAN_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

#include "vision/qrscan.h"

struct qrscan_view {
	const uint8_t *pix; /* contiguous: row stride == w */
	int w, h;
};

struct qrscan_ws; /* opaque OpenCV buffers reused frame to frame */

int qrscan_ws_new(struct qrscan_ws **out);
void qrscan_ws_free(struct qrscan_ws *ws);

/* Copy the frame in (contiguous) and measure it; *v is the copy. */
int qrscan_img_load(struct qrscan_ws *ws, const uint8_t *gray, int w, int h, size_t stride,
		    struct qrscan_view *v);
void qrscan_img_quality(struct qrscan_ws *ws, struct qrscan_quality *q);

/* Quads of square, edge-dense patches (QR codes too small for the decoders' finders), at most
 * cap, biggest first. */
size_t qrscan_img_blobs(struct qrscan_ws *ws, float (*quads)[8], size_t cap);

/* Warp quad (plus a quiet-zone margin) of the loaded frame onto a side x side square, sharpened;
 * *v is the crop. 0, or -1 for a degenerate quad. */
int qrscan_img_rectify(struct qrscan_ws *ws, const float quad[8], int side, struct qrscan_view *v);

/* Keep the frame patch around quad (and its spectrum) for qrscan_img_deblur, and estimate its
 * motion blur from the structure tensor: *motion_deg the direction of the smear (frame degrees,
 * 0..180), *aniso the weaker/stronger gradient energy ratio (1 = no direction, ~0.3 = a smear of
 * over a module). 0, or -1 when the patch is too small. */
int qrscan_img_blur_est(struct qrscan_ws *ws, const float quad[8], double *motion_deg,
			double *aniso);

/* Wiener-deconvolve the kept patch with a line of len px at deg convolved with a Gaussian of
 * sigma (noise-to-signal nsr), then rectify it like qrscan_img_rectify; *v is the crop. 0 or -1. */
int qrscan_img_deblur(struct qrscan_ws *ws, double len, double deg, double sigma, double nsr,
		      int side, struct qrscan_view *v);

/* The negative of v (frame or crop) into the workspace. */
void qrscan_img_invert(struct qrscan_ws *ws, const struct qrscan_view *src, struct qrscan_view *v);

/* Unsharp mask of src (Gaussian sigma px, gain amount) into the workspace: undoes part of the
 * defocus that an upscaled crop of a 2-3 px/module code carries. */
void qrscan_img_sharpen(struct qrscan_ws *ws, const struct qrscan_view *src, double sigma,
			double amount, struct qrscan_view *v);

/* Map a point of the last crop back to frame pixels. */
void qrscan_img_unmap(struct qrscan_ws *ws, float *x, float *y);

/* zxing-cpp on v with a local-average or global-histogram binariser: decoded QR codes into
 * out[0..cap), return their count. With misses, codes located but not decoded are reported as quads
 * in misses[0..miss_cap), count in *n_miss. */
enum qrscan_zx_bin { QRSCAN_ZX_LOCAL = 0, QRSCAN_ZX_GLOBAL };

size_t qrscan_zxing(const struct qrscan_view *v, bool hard, enum qrscan_zx_bin bin,
		    struct qrscan_code *out, size_t cap, float (*misses)[8], size_t miss_cap,
		    size_t *n_miss);

#ifdef __cplusplus
}
#endif
#endif
