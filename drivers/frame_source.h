/* SPDX-License-Identifier: MIT */
/*
 * frame_source.h - the seam between vision code (daemon/vision) and cameras or image files.
 *
 * Domain code sees frames only through these wrappers; each implementation (v4l2, file) exports
 * one `const struct frame_source_ops` and keeps its state in src->priv. frame_source.c is the one
 * registry: it picks the implementation by the URI scheme (ARCHITECTURE.md §3):
 *   v4l2:/dev/video0?width=1280&height=720&fps=30     file:card.jpg  file:shots/IMG_0*.png
 * file:a.mp4 A frame's pixels belong to the source and stay valid until the next grab or close.
 */
#ifndef CCCD_FRAME_SOURCE_H
#define CCCD_FRAME_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define FRAME_MAX_DIM 8192 /* widest or tallest frame accepted, pixels */

struct frame {
	const uint8_t *gray; /* 8-bit luminance, height rows of gray_stride bytes */
	const uint8_t *bgr;  /* 8-bit B,G,R triples, height rows of bgr_stride bytes */
	size_t gray_stride;  /* bytes per gray row, >= width */
	size_t bgr_stride;   /* bytes per BGR row, >= 3 * width */
	int width;	     /* pixels, 1..FRAME_MAX_DIM */
	int height;	     /* pixels, 1..FRAME_MAX_DIM */
	uint64_t
	    timestamp_us;  /* CLOCK_MONOTONIC at capture (cameras), position (video), 0 (image) */
	unsigned long seq; /* 0, 1, 2 ... per source */
	char name[256];	   /* file the frame came from ("" for cameras) */
};

struct frame_source;

struct frame_source_ops {
	const char *scheme; /* URI scheme without ':' */
	/* Open what the rest of the URI (after "scheme:") names. */
	int (*open)(struct frame_source *src, const char *arg, struct cccd_err *err);
	/* Next frame: 0, -CCCD_ENOENT at the end of a file list or video, other codes on failure.
	 */
	int (*grab)(struct frame_source *src, struct frame *f, struct cccd_err *err);
	void (*close)(struct frame_source *src);
};

struct frame_source {
	const struct frame_source_ops *ops;
	void *priv;	     /* implementation state */
	char uri[256];	     /* as opened, for logs and the RESULT's "device" */
	unsigned long grabs; /* frames handed out so far */
};

/* Open the implementation that matches uri's scheme; -CCCD_ENOTSUP for an unknown scheme. */
int frame_source_open(struct frame_source *src, const char *uri, struct cccd_err *err);

/* Wrappers over the ops (see struct frame_source_ops for each contract). */
int frame_source_grab(struct frame_source *src, struct frame *f, struct cccd_err *err);
void frame_source_close(struct frame_source *src);

#endif
