/* SPDX-License-Identifier: MIT */
/*
 * dg2.c - DG2 portrait unwrap: ICAO 9303-10 §4.7.2 (biometric information template 7F61/7F60,
 * biometric data block 5F2E) around an ISO/IEC 19794-5:2005 §5.4-5.7 facial record:
 *   5F2E 82 3A98  46 41 43 00  30 31 30 00  00 00 3A 94  00 01    "FAC\0" "010\0" len, 1 face
 *                 00 00 3A 86  00 00  01 ...                      face len, 0 points, gender ...
 *                 01 00 00 60 00 80 03 02 00 00 00 00             full frontal, JPEG, 96x128
 *                 FF D8 FF E0 ...                                 the image
 * Only the first face of the first biometric template is taken. Omitted: 7F2E (encrypted
 * biometric data), feature point meanings, image quality.
 */
#include <stdbool.h>
#include <string.h>

#include "doc/dg2.h"
#include "doc/tlv.h"

#define FAC_HDR	  14 /* "FAC\0" "010\0" record length(4) number of faces(2) */
#define FACE_INFO 20 /* facial record length(4) ... pose uncertainty */
#define IMG_INFO  12 /* face image type(1) image data type(1) width(2) height(2) ... */

static uint32_t be(const uint8_t *p, int n)
{
	uint32_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

const char *dg2_format_name(enum dg2_format f)
{
	return f == DG2_JPEG2000 ? "jpeg2000" : "jpeg";
}

static int bad(struct cccd_err *err, size_t off, const char *what)
{
	return cccd_err_set(err, -CCCD_EFORMAT, "dg2", "byte %zu: %s", off, what);
}

static bool magic_ok(enum dg2_format f, const uint8_t *p, size_t n)
{
	static const uint8_t jp2[] = {0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20};

	if (f == DG2_JPEG)
		return n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF;
	return (n >= sizeof(jp2) && !memcmp(p, jp2, sizeof(jp2))) ||
	       (n >= 2 && p[0] == 0xFF && p[1] == 0x4F);
}

/* The facial record r[0..n) at file offset base. */
static int face_record(const uint8_t *r, size_t n, size_t base, struct dg2 *out,
		       struct cccd_err *err)
{
	size_t flen, points, img;

	if (n < FAC_HDR + FACE_INFO + IMG_INFO || memcmp(r, "FAC\0", 4))
		return bad(err, base, "no ISO 19794-5 record (\"FAC\\0\")");
	if (be(r + 12, 2) < 1)
		return bad(err, base + 12, "record holds no face");
	flen = be(r + FAC_HDR, 4);
	points = be(r + FAC_HDR + 4, 2);
	img = FAC_HDR + FACE_INFO + 8 * points;
	if (flen > n - FAC_HDR || img + IMG_INFO > FAC_HDR + flen)
		return bad(err, base + FAC_HDR, "facial record length beyond the block");
	if (r[img + 1] > 1)
		return bad(err, base + img + 1, "image data type is neither JPEG nor JPEG 2000");
	out->format = r[img + 1] ? DG2_JPEG2000 : DG2_JPEG;
	out->width = (uint16_t)be(r + img + 2, 2);
	out->height = (uint16_t)be(r + img + 4, 2);
	out->image = r + img + IMG_INFO;
	out->image_len = FAC_HDR + flen - img - IMG_INFO;
	out->image_off = base + img + IMG_INFO;
	if (!magic_ok(out->format, out->image, out->image_len))
		return bad(err, out->image_off, "image does not start with its format's magic");
	return 0;
}

int dg2_parse(const uint8_t *buf, size_t len, struct dg2 *out, struct cccd_err *err)
{
	struct tlv dg, bit, bdb;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = tlv_expect(buf, len, 0x75, 0, &dg, err);
	if (!rc)
		rc = tlv_find(dg.value, dg.len, 0x7F61, 0, &bit, err);
	if (!rc)
		rc = tlv_find(bit.value, bit.len, 0x7F60, 0, &bdb, err);
	if (!rc)
		rc = tlv_find(bdb.value, bdb.len, 0x5F2E, 0, &dg, err);
	if (rc == -CCCD_ENOENT)
		return bad(err, 0, "no 7F61/7F60/5F2E biometric data block");
	if (rc)
		return rc;
	rc = face_record(dg.value, dg.len, (size_t)(dg.value - buf), out, err);
	if (rc)
		memset(out, 0, sizeof(*out));
	return rc;
}
