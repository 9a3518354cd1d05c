/* SPDX-License-Identifier: MIT */
/*
 * vchip_jpeg.h - a small synthetic portrait as a baseline JPEG (ITU-T T.81), for the virtual
 * chip's DG2. Deterministic, no library: DC-only 8x8 blocks, padded with COM segments to size.
 */
#ifndef CCCD_VCHIP_JPEG_H
#define CCCD_VCHIP_JPEG_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define VCHIP_JPEG_W   96   /* portrait width in pixels */
#define VCHIP_JPEG_H   128  /* portrait height in pixels */
#define VCHIP_JPEG_MIN 1000 /* smallest size asked for; the bare image is below this */

/* Write a JPEG of exactly size bytes (size >= VCHIP_JPEG_MIN) into out[0..cap); 0 or
 * -CCCD_ENOSPC / -CCCD_ERANGE. */
int vchip_jpeg_write(size_t size, uint8_t *out, size_t cap, struct cccd_err *err);

#endif
