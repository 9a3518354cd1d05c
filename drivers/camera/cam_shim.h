/* SPDX-License-Identifier: MIT */
/*
 * cam_shim.h - OpenCV image decoding and capture (cam_shim.cpp) as plain C for drivers/camera.
 * Only the frame_source implementations include this; nothing else sees OpenCV.
 */
#ifndef CCCD_CAM_SHIM_H
#define CCCD_CAM_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

#include "core/err.h"
#include "frame_source.h"

/* What `v4l2:` asks of a camera; -1 leaves a setting to the driver (auto). */
struct cam_v4l2_cfg {
	char device[128]; /* /dev/videoN */
	int width;	  /* pixels, -1 = driver default */
	int height;	  /* pixels, -1 = driver default */
	int fps;	  /* frames per second, -1 = driver default */
	int exposure;	  /* V4L2 absolute exposure in 100 us units; -1 = auto */
	int focus;	  /* V4L2 absolute focus; -1 = autofocus */
	char fourcc[5];	  /* pixel format such as "MJPG"; "" = driver default */
};

struct cam_cv; /* opaque: an OpenCV capture and the current frame's buffers */

/* Allocate an empty holder; -CCCD_ENOMEM. */
int cam_cv_new(struct cam_cv **out, struct cccd_err *err);
/* Free c and everything it holds (NULL is fine). */
void cam_cv_free(struct cam_cv *c);

/* Decode the image file at path into c and point f at it. -CCCD_EIO when unreadable. */
int cam_cv_load(struct cam_cv *c, const char *path, struct frame *f, struct cccd_err *err);

/* Open a video file, or a V4L2 camera with cfg applied; -CCCD_EIO when it does not open. */
int cam_cv_open_video(struct cam_cv *c, const char *path, struct cccd_err *err);
int cam_cv_open_v4l2(struct cam_cv *c, const struct cam_v4l2_cfg *cfg, struct cccd_err *err);

/* Next frame of the opened capture: 0, -CCCD_ENOENT at the end of a video, -CCCD_EIO. */
int cam_cv_read(struct cam_cv *c, struct frame *f, struct cccd_err *err);

#ifdef __cplusplus
}
#endif
#endif
