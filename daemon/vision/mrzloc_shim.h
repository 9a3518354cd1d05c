/* SPDX-License-Identifier: MIT */
/*
 * mrzloc_shim.h - the C face of mrzloc_shim.cpp (OpenCV) and ocrb_shim.cpp (FreeType through
 * OpenCV): find text blocks in a frame, warp one onto a horizontal band, turn a band into an ink
 * map (black-hat: dark-on-light text, background 0, independent of light level), and render
 * OCR-B training bands. Private to daemon/vision. Buffers belong to the caller.
 */
#ifndef CCCD_VISION_MRZLOC_SHIM_H
#define CCCD_VISION_MRZLOC_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MRZLOC_PITCH 16 /* nominal band px per character */

/* A text block in frame pixels: centre, long side (along the text), short side, and the angle
 * of the long side in degrees (-90, 90]. */
struct mrzloc_box {
	float cx, cy, len, thick, angle;
};

struct mrzloc_ws; /* OpenCV buffers reused frame to frame */

int mrzloc_ws_new(struct mrzloc_ws **out);
void mrzloc_ws_free(struct mrzloc_ws *ws);

/* Load a frame and return up to cap blocks shaped like an MRZ (long, dense), biggest first. */
int mrzloc_img_find(struct mrzloc_ws *ws, const uint8_t *gray, int w, int h, size_t stride,
		    struct mrzloc_box *out, int cap);

/* Warp box b of the loaded frame (plus margins: mx of len each side, my of thick) at scale
 * (band px per frame px) onto a band with the text horizontal, turned by 180 degrees when flip,
 * and write its ink map into ink[cap] (row stride = *bw). 0, or -1 when it does not fit. */
int mrzloc_img_band(struct mrzloc_ws *ws, const struct mrzloc_box *b, double scale, double mx,
		    double my, bool flip, uint8_t *ink, size_t cap, int *bw, int *bh);

/* The same warp as mrzloc_img_band, as grey pixels (the crop handed to a peer OCR). */
int mrzloc_img_gray(struct mrzloc_ws *ws, const struct mrzloc_box *b, double scale, double mx,
		    double my, bool flip, uint8_t *out, size_t cap, int *bw, int *bh);

/* Ink map of a contiguous grey image of a band (black-hat over a window a little under the
 * nominal pitch, divided by the local background): 0 = paper, ~220 = black ink. */
int mrzloc_img_ink(const uint8_t *gray, int w, int h, uint8_t *ink);

/* Band rendering for training (ocrb_shim.cpp). */
struct ocrb_aug {
	double pitch;	   /* px per character in the output band */
	double rot_deg;	   /* residual rotation */
	double shear;	   /* horizontal shear (perspective left over after rectification) */
	double blur;	   /* Gaussian sigma, output px */
	double motion;	   /* motion blur length, output px (0 = none) */
	double motion_deg; /* and its direction */
	double noise;	   /* grey-level sigma */
	double contrast;   /* ink darkness 0..1 */
	int thick;	   /* -1 thinner, 0, +1 bolder strokes */
	int jpeg;	   /* JPEG quality, 0 = none */
	uint32_t seed;
};

struct ocrb_font; /* a loaded OCR-B face */

/* Load fonts-ocr-b's OCRB.otf; -1 when the file is missing or unreadable. */
int ocrb_font_new(struct ocrb_font **out, const char *path);
void ocrb_font_free(struct ocrb_font *f);

/* Render lines[0..n) (same length, A-Z 0-9 <) in OCR-B as a rectified MRZ band spoiled by aug,
 * and write its ink map (as mrzloc_img_band would) into ink[cap]. 0 or -1. */
int ocrb_render_band(struct ocrb_font *f, const char *const *lines, int n,
		     const struct ocrb_aug *aug, uint8_t *ink, size_t cap, int *bw, int *bh);

#ifdef __cplusplus
}
#endif
#endif
