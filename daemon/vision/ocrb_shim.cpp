// SPDX-License-Identifier: MIT
// ocrb_shim.cpp - OCR-B training bands: lines drawn with Debian's fonts-ocr-b through OpenCV's
// freetype module at 3x the band pitch, thickened or thinned, warped down (small rotation and
// shear), blurred, noised and JPEG-compressed, then turned into the same ink map the reader
// sees (mrzloc_img_ink). Exceptions stop at the C boundary.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/freetype.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "vision/mrzloc_shim.h"

struct ocrb_font {
	cv::Ptr<cv::freetype::FreeType2> ft;
};

static const double UP = 3.0;		  // render scale over the band pitch
static const double ADVANCE_EM = 0.711;	  // OCR-B advance per em (measured, as cardgen)
static const double LINE_PITCHES = 1.732; // TD1 line spacing 4.4 mm / 2.54 mm pitch

extern "C" int ocrb_font_new(struct ocrb_font **out, const char *path)
{
	*out = nullptr;
	try {
		std::unique_ptr<ocrb_font> f(new ocrb_font);
		f->ft = cv::freetype::createFreeType2();
		f->ft->loadFontData(path, 0);
		*out = f.release();
		return 0;
	} catch (const std::exception &e) {
		if (std::getenv("MRZLOC_DEBUG"))
			std::fprintf(stderr, "ocrb_render_band: %s\n", e.what());
		return -1;
	}
}

extern "C" void ocrb_font_free(struct ocrb_font *f)
{
	delete f;
}

static cv::Mat draw_lines(ocrb_font *f, const char *const *lines, int n, const ocrb_aug *a)
{
	double p = MRZLOC_PITCH * UP, em = p / ADVANCE_EM, lh = LINE_PITCHES * p;
	int nch = (int)std::strlen(lines[0]);
	int W = (int)(nch * p + 2.4 * p), H = (int)(n * lh + 1.2 * p);
	int ink = (int)(250 - 220 * a->contrast);
	cv::Mat rgb(H, W, CV_8UC3, cv::Scalar::all(245)), img; // FreeType2::putText wants BGR

	for (int i = 0; i < n; i++)
		f->ft->putText(rgb, lines[i],
			       cv::Point((int)(1.2 * p), (int)(0.6 * p + (i + 0.8) * lh)),
			       (int)std::lround(em), cv::Scalar::all(ink), -1, cv::LINE_AA, true);
	cv::cvtColor(rgb, img, cv::COLOR_BGR2GRAY);
	if (a->thick) {
		cv::Mat k = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(3, 3));
		if (a->thick > 0)
			cv::erode(img, img, k);
		else
			cv::dilate(img, img, k);
	}
	return img;
}

static void spoil(cv::Mat &b, const ocrb_aug *a)
{
	cv::RNG rng(a->seed);
	if (a->blur > 0.2)
		cv::GaussianBlur(b, b, cv::Size(), a->blur);
	if (a->motion > 0.5) {
		// a line kernel: the camera moved during the exposure (mrzgen smears 30 % of its
		// takes)
		int k = 2 * (int)std::ceil(a->motion / 2) + 3;
		cv::Mat ker = cv::Mat::zeros(k * 4, k * 4, CV_32F), small;
		double t = a->motion_deg * CV_PI / 180, h = a->motion * 2;
		cv::Point2d c(k * 2.0, k * 2.0), d(h * std::cos(t), h * std::sin(t));
		cv::line(ker, c - d, c + d, cv::Scalar(1), 1, cv::LINE_AA);
		cv::resize(ker, small, cv::Size(k, k), 0, 0, cv::INTER_AREA);
		small /= cv::sum(small)[0];
		cv::filter2D(b, b, -1, small, cv::Point(-1, -1), 0, cv::BORDER_REPLICATE);
	}
	cv::Mat n(b.size(), CV_32F), f;
	rng.fill(n, cv::RNG::NORMAL, 0, a->noise);
	b.convertTo(f, CV_32F);
	f += n;
	f.convertTo(b, CV_8U);
	if (a->jpeg > 0) {
		std::vector<uint8_t> buf;
		cv::imencode(".jpg", b, buf, {cv::IMWRITE_JPEG_QUALITY, a->jpeg});
		b = cv::imdecode(buf, cv::IMREAD_GRAYSCALE);
	}
}

extern "C" int ocrb_render_band(struct ocrb_font *f, const char *const *lines, int n,
				const struct ocrb_aug *a, uint8_t *ink, size_t cap, int *bw,
				int *bh)
{
	try {
		cv::Mat big = draw_lines(f, lines, n, a), small, band;
		double s = a->pitch / (MRZLOC_PITCH * UP), r = a->rot_deg * CV_PI / 180;
		cv::GaussianBlur(big, small, cv::Size(), 0.45 / s);
		int W = (int)std::lround(big.cols * s), H = (int)std::lround(big.rows * s);
		cv::Mat M =
		    (cv::Mat_<double>(2, 3) << s * std::cos(r), -s * std::sin(r) + a->shear * s, 0,
		     s * std::sin(r), s * std::cos(r), 0);
		// keep the centre in place
		M.at<double>(0, 2) = W / 2.0 - (M.at<double>(0, 0) * big.cols / 2.0 +
						M.at<double>(0, 1) * big.rows / 2.0);
		M.at<double>(1, 2) = H / 2.0 - (M.at<double>(1, 0) * big.cols / 2.0 +
						M.at<double>(1, 1) * big.rows / 2.0);
		cv::warpAffine(small, band, M, cv::Size(W, H), cv::INTER_LINEAR,
			       cv::BORDER_REPLICATE);
		spoil(band, a);
		if ((size_t)W * H > cap || !band.isContinuous())
			return -1;
		*bw = W, *bh = H;
		return mrzloc_img_ink(band.data, W, H, ink);
	} catch (const std::exception &e) {
		if (std::getenv("MRZLOC_DEBUG"))
			std::fprintf(stderr, "ocrb_render_band: %s\n", e.what());
		return -1;
	}
}
