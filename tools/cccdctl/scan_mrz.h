/* SPDX-License-Identifier: MIT */
/*
 * scan_mrz.h - the MRZ half of `cccdctl scan` (scan_mrz.c).
 */
#ifndef CCCD_CTL_SCAN_MRZ_H
#define CCCD_CTL_SCAN_MRZ_H

#include <cjson/cJSON.h>

#include "frame_source.h"
#include "vision/mrzloc.h"

/* Read frame f with reader m and add the "mrz" object to root; 0 or -CCCD_ENOMEM. */
int ctl_scan_mrz(cJSON *root, struct mrzloc *m, const struct frame *f);

#endif
