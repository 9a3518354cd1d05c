// SPDX-License-Identifier: MIT
// mrzloc_shim.cpp - the OpenCV half of mrzloc: text-block candidates (black-hat, Otsu, closing
// that merges characters and lines into one blob, minAreaRect), the warp of one block onto a
// horizontal band, and the band's ink map. Exceptions stop at the C boundary.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "vision/mrzloc_shim.h"

struct mrzloc_ws {
	cv::Mat frame; // the loaded frame (a view: valid during the call only)
	cv::Mat half;  // frame / 2 (pyrDown), for strong downscales
	cv::Mat work, bh, bin;
	double work_scale;
};

static const double WORK_W = 640.0;

extern "C" int mrzloc_ws_new(struct mrzloc_ws **out)
{
	*out = new (std::nothrow) mrzloc_ws;
	return *out ? 0 : -1;
}

extern "C" void mrzloc_ws_free(struct mrzloc_ws *ws)
{
	delete ws;
}

// Long-side angle in (-90, 90] and the sides of a rotated rect.
static mrzloc_box box_of(const cv::RotatedRect &r, double inv)
{
	cv::Point2f p[4];
	r.points(p);
	cv::Point2f a = p[1] - p[0], b = p[2] - p[1];
	double la = cv::norm(a), lb = cv::norm(b);
	cv::Point2f d = la >= lb ? a : b;
	double ang = std::atan2(d.y, d.x) * 180 / CV_PI;
	if (ang <= -90)
		ang += 180;
	if (ang > 90)
		ang -= 180;
	return mrzloc_box{(float)(r.center.x * inv), (float)(r.center.y * inv),
			  (float)(std::max(la, lb) * inv), (float)(std::min(la, lb) * inv),
			  (float)ang};
}

// Blobs of the binarised black-hat closed by a k x k square: characters, then lines, merge.
static void blobs(mrzloc_ws *ws, int k, std::vector<std::pair<double, mrzloc_box>> &c)
{
	std::vector<std::vector<cv::Point>> cont;
	cv::Mat closed;

	cv::morphologyEx(ws->bin, closed, cv::MORPH_CLOSE,
			 cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, k)));
	cv::morphologyEx(closed, closed, cv::MORPH_OPEN,
			 cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
	cv::findContours(closed, cont, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
	for (const auto &ct : cont) {
		cv::RotatedRect r = cv::minAreaRect(ct);
		double l = std::max(r.size.width, r.size.height);
		double s = std::min(r.size.width, r.size.height);
		if (l < 90 || s < 8 || l / s < 3.5 || l / s > 25)
			continue;
		if (cv::contourArea(ct) < 0.45 * l * s)
			continue;
		c.emplace_back(l * s, box_of(r, 1.0 / ws->work_scale));
	}
}

// Two closings: 9 px joins the lines of an MRZ whose card fills under ~2/3 of a 1280 frame
// (line gap <= 8 px at 640 px), 15 px those of bigger or closer cards.
static void candidates(mrzloc_ws *ws, std::vector<std::pair<double, mrzloc_box>> &c)
{
	cv::Mat k11 = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(11, 11));

	cv::morphologyEx(ws->work, ws->bh, cv::MORPH_BLACKHAT, k11);
	double t = cv::threshold(ws->bh, ws->bin, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
	if (t < 20)
		cv::threshold(ws->bh, ws->bin, 20, 255, cv::THRESH_BINARY);
	blobs(ws, 9, c);
	blobs(ws, 15, c);
	std::sort(c.begin(), c.end(),
		  [](const auto &a, const auto &b) { return a.first > b.first; });
}

extern "C" int mrzloc_img_find(struct mrzloc_ws *ws, const uint8_t *gray, int w, int h,
			       size_t stride, struct mrzloc_box *out, int cap)
{
	try {
		std::vector<std::pair<double, mrzloc_box>> c;
		ws->frame = cv::Mat(h, w, CV_8U, const_cast<uint8_t *>(gray), stride);
		ws->half.release();
		ws->work_scale = std::min(1.0, WORK_W / w);
		cv::resize(ws->frame, ws->work, cv::Size(), ws->work_scale, ws->work_scale,
			   cv::INTER_AREA);
		candidates(ws, c);
		int n = 0;
		for (; n < cap && n < (int)c.size(); n++)
			out[n] = c[n].second;
		return n;
	} catch (...) {
		return 0;
	}
}

extern "C" int mrzloc_img_ink(const uint8_t *gray, int w, int h, uint8_t *ink)
{
	try {
		cv::Mat g(h, w, CV_8U, const_cast<uint8_t *>(gray)), bg, d, out(h, w, CV_8U, ink);
		int k = MRZLOC_PITCH - 1;
		cv::morphologyEx(g, bg, cv::MORPH_CLOSE,
				 cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, k)));
		cv::subtract(bg, g, d, cv::noArray(), CV_32F);
		cv::Mat den;
		bg.convertTo(den, CV_32F);
		den = cv::max(den, 32.0);
		cv::Mat r = d.mul(1.0 / den) * 255.0;
		r.convertTo(out, CV_8U);
		return 0;
	} catch (...) {
		return -1;
	}
}

// Warp box b of the loaded frame onto a horizontal band (see mrzloc_img_band): at twice the
// scale, then area-averaged down, so thin strokes do not alias away in a downscaling warp.
static cv::Mat warp(mrzloc_ws *ws, const mrzloc_box *b, double scale, double mx, double my,
		    bool flip)
{
	const cv::Mat *src = &ws->frame;
	double s = 2 * scale;
	if (s < 0.55) { // bilinear warps alias beyond 2:1
		if (ws->half.empty())
			cv::pyrDown(ws->frame, ws->half);
		src = &ws->half, s *= 2;
	}
	double f = src == &ws->half ? 0.5 : 1.0;
	int W = (int)std::lround(b->len * (1 + 2 * mx) * scale);
	int H = (int)std::lround(b->thick * (1 + 2 * my) * scale);
	double a = (b->angle + (flip ? 180.0 : 0.0)) * CV_PI / 180;
	double ca = std::cos(a) / s, sa = std::sin(a) / s;
	cv::Mat band, big;
	if (W < 32 || H < 16 || W > 4096 || H > 2048)
		return band;
	// band (u,v) -> source: centre + R(a) * ((u,v) - band centre) / s
	cv::Mat M = (cv::Mat_<double>(2, 3) << ca, -sa, b->cx * f - ca * W + sa * H, sa, ca,
		     b->cy * f - sa * W - ca * H);
	cv::warpAffine(*src, big, M, cv::Size(2 * W, 2 * H),
		       cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
	cv::resize(big, band, cv::Size(W, H), 0, 0, cv::INTER_AREA);
	return band;
}

extern "C" int mrzloc_img_band(struct mrzloc_ws *ws, const struct mrzloc_box *b, double scale,
			       double mx, double my, bool flip, uint8_t *ink, size_t cap, int *bw,
			       int *bh)
{
	try {
		cv::Mat band = warp(ws, b, scale, mx, my, flip);
		if (band.empty() || (size_t)band.total() > cap)
			return -1;
		*bw = band.cols, *bh = band.rows;
		return mrzloc_img_ink(band.data, band.cols, band.rows, ink);
	} catch (...) {
		return -1;
	}
}

extern "C" int mrzloc_img_gray(struct mrzloc_ws *ws, const struct mrzloc_box *b, double scale,
			       double mx, double my, bool flip, uint8_t *out, size_t cap, int *bw,
			       int *bh)
{
	try {
		cv::Mat band = warp(ws, b, scale, mx, my, flip);
		if (band.empty() || (size_t)band.total() > cap)
			return -1;
		std::memcpy(out, band.data, band.total());
		*bw = band.cols, *bh = band.rows;
		return 0;
	} catch (...) {
		return -1;
	}
}
