// SPDX-License-Identifier: MIT
// zxing_shim.cpp - zxing-cpp 1.4 ReadBarcodes on a grey view, QR only, raw bytes out (Result::
// bytes(): no character-set conversion, we decode UTF-8 ourselves). With returnErrors the reader
// also reports codes it located but could not decode: their quads feed qrscan's crop-and-upscale.
#include <cstring>

#define ZX_USE_UTF8 1 // text() as UTF-8; we use bytes() anyway
#include <ZXing/ReadBarcode.h>

#include "vision/qrscan_shim.h"

static void quad_of(const ZXing::Result &r, float q[8])
{
	const ZXing::Position &p = r.position();

	for (int i = 0; i < 4; i++) {
		q[2 * i] = (float)p[i].x;
		q[2 * i + 1] = (float)p[i].y;
	}
}

extern "C" size_t qrscan_zxing(const struct qrscan_view *v, bool hard, enum qrscan_zx_bin bin,
			       struct qrscan_code *out, size_t cap, float (*misses)[8],
			       size_t miss_cap, size_t *n_miss)
{
	size_t n = 0, nm = 0;

	try {
		ZXing::ImageView img(v->pix, v->w, v->h, ZXing::ImageFormat::Lum);
		ZXing::DecodeHints h;
		h.setFormats(ZXing::BarcodeFormat::QRCode);
		h.setTryHarder(hard);
		h.setTryRotate(hard);
		h.setBinarizer(bin == QRSCAN_ZX_GLOBAL ? ZXing::Binarizer::GlobalHistogram
						       : ZXing::Binarizer::LocalAverage);
		h.setReturnErrors(misses != nullptr);
		for (const ZXing::Result &r : ZXing::ReadBarcodes(img, h)) {
			if (!r.isValid()) {
				if (misses && nm < miss_cap)
					quad_of(r, misses[nm++]);
				continue;
			}
			const ZXing::ByteArray &b = r.bytes();
			if (n >= cap || b.size() > QRSCAN_MAX_DATA)
				continue;
			std::memset(&out[n], 0, sizeof(out[n]));
			std::memcpy(out[n].data, b.data(), b.size());
			out[n].len = b.size();
			out[n].decoder = QRSCAN_DEC_ZXING;
			quad_of(r, out[n].quad);
			n++;
		}
	} catch (const std::exception &) {
		// an exception from the reader is a frame we could not read, not a failure
	}
	if (n_miss)
		*n_miss = nm;
	return n;
}
