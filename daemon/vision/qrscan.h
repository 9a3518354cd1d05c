/* SPDX-License-Identifier: MIT */
/*
 * qrscan.h - find and decode the QR codes in a camera frame: a card's QR (CCCD), a payment QR
 * on a phone (VietQR) or anything else, and say which it is.
 *
 * Pipeline (docs/camera.md): frame quality gate (sharpness = variance of the Laplacian, glare =
 * share of saturated pixels) -> zbar in binary mode on the frame (inverted codes too) -> for codes
 * located but not read: crop, rectify and upscale to >= 6 px/module, zbar + zxing-cpp on the crop
 * -> zxing-cpp on the whole frame, then on its negative -> Wiener deconvolution of the located
 * but unread codes (motion smear, defocus). A payload that opens like a CCCD QR or a VietQR but
 * fails its parser does not stop the search and is reported only after the codes that parse.
 * Payload bytes are kept raw; the text is ours to decode (zbar's own charset guess garbles
 * Vietnamese UTF-8).
 */
#ifndef CCCD_VISION_QRSCAN_H
#define CCCD_VISION_QRSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "doc/cccdqr.h"
#include "doc/vietqr.h"

#define QRSCAN_MAX_DATA	 2953 /* bytes: QR version 40-L in byte mode */
#define QRSCAN_MAX_CODES 4    /* codes reported per frame */

enum qrscan_mode {
	QRSCAN_OURS = 0,   /* the full pipeline above */
	QRSCAN_ZBAR_ONLY,  /* zbar on the frame as given (binary, inverted): a benchmark peer */
	QRSCAN_ZXING_ONLY, /* zxing-cpp ReadBarcodes, try-harder, on the frame: a benchmark peer */
};

enum qrscan_decoder { QRSCAN_DEC_ZBAR = 1, QRSCAN_DEC_ZXING = 2 };

struct qrscan_opts {
	enum qrscan_mode mode;
	bool gate;	      /* skip frames below min_sharpness or above max_glare */
	double min_sharpness; /* variance of the Laplacian at <= 640 px width; 0 = default */
	double max_glare;     /* share of pixels >= 250; 0 = default */
	bool zxing_first;     /* QRSCAN_OURS: zxing-cpp's fast pass before zbar (same reads, faster
				 on the bench set; docs/camera.md) */
};

struct qrscan_quality {
	double sharpness; /* variance of the Laplacian of the frame scaled to <= 640 px wide */
	double glare;	  /* share of pixels at >= 250, 0..1 */
	bool ok;	  /* both within the gate's limits */
};

struct qrscan_code {
	uint8_t data[QRSCAN_MAX_DATA + 1]; /* raw payload bytes, NUL after len for convenience */
	size_t len;
	enum qrscan_decoder decoder;
	bool inverted; /* light modules on dark ground */
	bool cropped;  /* read from a rectified, upscaled crop */
	float quad[8]; /* corners in frame pixels (x,y) x4 when known, else zeros */
};

struct qrscan_result {
	struct qrscan_quality quality;
	bool skipped; /* gated out: nothing was decoded */
	size_t n;     /* codes in code[] */
	struct qrscan_code code[QRSCAN_MAX_CODES];
};

struct qrscan; /* opaque: decoders and image work buffers, reused frame to frame */

/* Create a scanner for opts (copied). -CCCD_ENOMEM. One scanner per thread. */
int qrscan_new(struct qrscan **out, const struct qrscan_opts *opts, struct cccd_err *err);
void qrscan_free(struct qrscan *s);

/* Scan one 8-bit grey frame (rows of stride bytes). 0 with res filled (res->n may be 0), or
 * -CCCD_EINVAL for a bad geometry. Never fails because a code is unreadable. */
int qrscan_frame(struct qrscan *s, const uint8_t *gray, int width, int height, size_t stride,
		 struct qrscan_result *res, struct cccd_err *err);

/* ---- what a payload is ---- */

enum qrscan_kind { QRSCAN_OTHER = 0, QRSCAN_CCCD, QRSCAN_VIETQR };

struct qrscan_payload {
	enum qrscan_kind kind;
	union {
		struct cccdqr cccd;   /* kind == QRSCAN_CCCD */
		struct vietqr vietqr; /* kind == QRSCAN_VIETQR */
	} u;
};

/* Classify and parse one payload: 12 digits then '|' is a CCCD QR (cccdqr_parse), "000201" opens
 * a VietQR (vietqr_parse), anything else is QRSCAN_OTHER (0, nothing parsed). A payload that
 * looks like a CCCD QR or a VietQR but fails its parser returns that parser's error. */
int qrscan_payload_parse(const uint8_t *buf, size_t len, struct qrscan_payload *out,
			 struct cccd_err *err);

/* "cccd", "vietqr" or "other". */
const char *qrscan_kind_name(enum qrscan_kind k);

#endif
