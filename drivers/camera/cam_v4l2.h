/* SPDX-License-Identifier: MIT */
/*
 * cam_v4l2.h - the `v4l2:` camera URI, parsed apart from opening so it can be tested without a
 * camera. Grammar (keys in any order, each at most once):
 *   v4l2:/dev/videoN[?width=W&height=H&fps=F&exposure=auto|E&focus=auto|N&fourcc=MJPG]
 */
#ifndef CCCD_CAM_V4L2_H
#define CCCD_CAM_V4L2_H

#include "camera/cam_shim.h"

/* Fill cfg from arg (the URI after "v4l2:"). 0, or -CCCD_EINVAL with "byte N: reason" in err. */
int cam_v4l2_parse_uri(const char *arg, struct cam_v4l2_cfg *cfg, struct cccd_err *err);

#endif
