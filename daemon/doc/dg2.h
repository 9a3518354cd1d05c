/* SPDX-License-Identifier: MIT */
/*
 * dg2.h - DG2, the portrait (ICAO 9303-10 §4.7.2): the first biometric data block's ISO/IEC
 * 19794-5 facial record, unwrapped to the JPEG or JPEG 2000 image bytes.
 *
 *   75 L 7F61 L { 02 01 01  7F60 L { A1 L <BHT>  5F2E L <record> } }
 *   record: "FAC\0" "010\0" len(4) n_faces(2) | face len(4) n_points(2) ... 20 bytes | 8 per
 *           feature point | image info 12 bytes (type at +1: 0 JPEG, 1 JPEG 2000) | image
 */
#ifndef CCCD_DOC_DG2_H
#define CCCD_DOC_DG2_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum dg2_format { DG2_JPEG, DG2_JPEG2000 };

struct dg2 {
	enum dg2_format format;
	const uint8_t *image; /* into the parsed buffer */
	size_t image_len;
	uint16_t width, height; /* as the record says */
	size_t image_off;	/* byte offset of the image in the DG2 file */
};

/* Find the first portrait of the DG2 file buf[0..len). 0, or -CCCD_EFORMAT naming the element and
 * byte offset; the image starts with its format's magic (FF D8 FF, or a JP2 signature / FF 4F). */
int dg2_parse(const uint8_t *buf, size_t len, struct dg2 *out, struct cccd_err *err);

/* "jpeg" or "jpeg2000". */
const char *dg2_format_name(enum dg2_format f);

#endif
