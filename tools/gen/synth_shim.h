/* SPDX-License-Identifier: MIT */
/*
 * synth_shim.h - test-frame rendering for tools/gen/cardgen.c, over OpenCV (synth_shim.cpp):
 * a card template (text through FreeType, so Vietnamese diacritics render; QR modules; MRZ in
 * OCR-B), or a phone screen showing a QR (RGB sub-pixel grid), placed into a camera-like frame
 * (perspective, blur, noise, light, glare, JPEG). All randomness is in the parameters, chosen by
 * the caller from its seed, plus one noise seed: the same parameters give the same file.
 */
#ifndef CCCD_SYNTH_SHIM_H
#define CCCD_SYNTH_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "core/err.h"

enum synth_font { SYNTH_SANS, SYNTH_SANS_BOLD, SYNTH_OCRB, SYNTH_NFONTS };

struct synth_text {
	const char *utf8; /* NFC text */
	enum synth_font font;
	double x, y; /* left, baseline: mm on a card, screen px on a phone */
	double size; /* glyph height in the same unit */
	uint8_t bgr[3];
};

struct synth_qr {
	const uint8_t *dark; /* n*n modules, row-major, nonzero = dark */
	int n;		     /* modules per side */
	double x, y, size;   /* top-left and side without quiet zone (mm on card, px on phone) */
	bool inverted;	     /* light modules on dark ground (phone dark mode) */
};

struct synth_card {
	bool back; /* back side: MRZ band, no portrait */
	const struct synth_text *texts;
	size_t n_texts;
	const struct synth_qr *qr; /* NULL = none */
	uint8_t tint[3];	   /* base colour, BGR */
};

struct synth_phone {
	int screen_w, screen_h; /* screen pixels shown */
	const struct synth_text *texts;
	size_t n_texts;
	const struct synth_qr *qr;
	bool dark;	   /* dark UI (light-on-dark code) */
	double pitch_gap;  /* 0..1: darkness of the gaps between sub-pixels */
	double reflection; /* 0..1: strength of a window reflection band */
	double reflection_pos, reflection_deg;
};

/* How the object sits in the frame and how the camera spoils it. */
struct synth_cam {
	int frame_w, frame_h;
	double cx, cy;	   /* object centre, fraction of frame size */
	double width_px;   /* object width in the frame, before perspective */
	double rot_deg;	   /* in-plane rotation */
	double persp[8];   /* corner offsets TL,TR,BR,BL (x,y), fraction of width_px */
	double defocus;	   /* Gaussian sigma, frame px; 0 = sharp */
	double motion_len; /* motion blur length, frame px; < 1 = none */
	double motion_deg;
	double noise;		   /* sensor noise sigma, grey levels */
	double light_gain;	   /* overall gain */
	double light_dx, light_dy; /* gain change across the frame */
	double glare;		   /* peak added level (0..255); 0 = none */
	double glare_x, glare_y;   /* glare centre, fraction of the object (0..1) */
	double glare_r;		   /* glare radius, fraction of object width */
	int jpeg_quality;	   /* 1..100; 0 = write PNG */
	uint32_t seed;		   /* sensor noise and background */
};

/* What landed where, for the ground truth. */
struct synth_out {
	double qr_quad[8];    /* QR corners in the frame (TL,TR,BR,BL), quiet zone excluded */
	double px_per_module; /* mean module size in the frame */
};

struct synth_ctx;

/* Load the fonts (DejaVu Sans, Sans Bold, OCR-B); -CCCD_ENOENT names a missing font file. */
int synth_new(struct synth_ctx **out, struct cccd_err *err);
void synth_free(struct synth_ctx *ctx);

/* Render and write the frame to path (.jpg or .png). */
int synth_render_card(struct synth_ctx *ctx, const struct synth_card *card,
		      const struct synth_cam *cam, const char *path, struct synth_out *out,
		      struct cccd_err *err);
int synth_render_phone(struct synth_ctx *ctx, const struct synth_phone *ph,
		       const struct synth_cam *cam, const char *path, struct synth_out *out,
		       struct cccd_err *err);

#ifdef __cplusplus
}
#endif
#endif
