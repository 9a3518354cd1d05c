// SPDX-License-Identifier: MIT
// qrimg_shim.cpp - the OpenCV half of qrscan: frame copy, quality measures, QR localisation
// (square edge-dense patches), rectifying crops, unsharp masks, Wiener deconvolution of a smeared
// patch, negatives. Buffers live in the workspace and are reused frame to frame.
#include <algorithm>
#include <cmath>
#include <new>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "vision/qrscan_shim.h"

struct qrscan_ws {
	cv::Mat frame;	       // contiguous copy of the input
	cv::Mat crop;	       // last rectified crop
	cv::Mat neg;	       // last negative
	cv::Mat sharp;	       // last sharpened view
	cv::Mat crop_to_frame; // homography of the last crop
	cv::Mat patch;	       // frame patch around the code being deblurred (float)
	cv::Mat patch_dft;     // its spectrum, padded
	cv::Point2f patch_at;  // the patch's top-left corner in the frame
	float patch_quad[8];   // the code's quad in frame pixels
	cv::Mat deblur;	       // last deblurred patch (8-bit)
};

static const double QUALITY_WIDTH = 640.0;

extern "C" int qrscan_ws_new(struct qrscan_ws **out)
{
	try {
		*out = new qrscan_ws;
		return 0;
	} catch (...) {
		*out = nullptr;
		return -1;
	}
}

extern "C" void qrscan_ws_free(struct qrscan_ws *ws)
{
	delete ws;
}

static struct qrscan_view view_of(const cv::Mat &m)
{
	return qrscan_view{m.data, m.cols, m.rows};
}

extern "C" int qrscan_img_load(struct qrscan_ws *ws, const uint8_t *gray, int w, int h,
			       size_t stride, struct qrscan_view *v)
{
	try {
		cv::Mat in(h, w, CV_8U, const_cast<uint8_t *>(gray), stride);
		in.copyTo(ws->frame);
		*v = view_of(ws->frame);
		return 0;
	} catch (...) {
		return -1;
	}
}

extern "C" void qrscan_img_quality(struct qrscan_ws *ws, struct qrscan_quality *q)
{
	cv::Mat small, lap;
	cv::Scalar mean, sd;
	double s = std::min(1.0, QUALITY_WIDTH / ws->frame.cols);

	cv::resize(ws->frame, small, cv::Size(), s, s, cv::INTER_AREA);
	cv::Laplacian(small, lap, CV_16S);
	cv::meanStdDev(lap, mean, sd);
	q->sharpness = sd[0] * sd[0];
	q->glare = (double)cv::countNonZero(small >= 250) / ((double)small.total());
}

// Square, dense patches of fine edges: where a QR code too small for the decoders' own finders
// sits (2-3 px/module). Text lines close into long bars and a portrait into a hollow outline,
// so squareness and edge density keep them out. A glare spot over part of a code leaves holes in
// its mask (the patch's outline fills 0.67-0.75 of its rectangle on the benchmark's glare
// misses, 0.9 without glare), so the fill floor is 0.6. Biggest first.
extern "C" size_t qrscan_img_blobs(struct qrscan_ws *ws, float (*quads)[8], size_t cap)
{
	cv::Mat grad, mask;
	std::vector<std::vector<cv::Point>> contours;
	std::vector<std::pair<double, cv::RotatedRect>> found;
	cv::Mat k3 = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3));
	double min_area = 36.0 * 36.0, max_area = ws->frame.total() / 3.0;
	size_t n = 0;

	cv::morphologyEx(ws->frame, grad, cv::MORPH_GRADIENT, k3);
	cv::threshold(grad, mask, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
	cv::morphologyEx(mask, mask, cv::MORPH_CLOSE,
			 cv::getStructuringElement(cv::MORPH_RECT, cv::Size(7, 7)));
	cv::morphologyEx(mask, mask, cv::MORPH_OPEN,
			 cv::getStructuringElement(cv::MORPH_RECT, cv::Size(9, 9)));
	cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
	for (const auto &c : contours) {
		cv::RotatedRect r = cv::minAreaRect(c);
		double a = r.size.area(), sq = std::min(r.size.width, r.size.height) /
					       std::max(r.size.width, r.size.height);
		if (a < min_area || a > max_area || sq < 0.75 || cv::contourArea(c) < 0.6 * a)
			continue;
		found.emplace_back(a, r);
	}
	std::sort(found.begin(), found.end(),
		  [](const auto &x, const auto &y) { return x.first > y.first; });
	for (const auto &f : found) {
		cv::Point2f p[4];
		if (n >= cap)
			break;
		f.second.points(p);
		for (int k = 0; k < 4; k++) {
			quads[n][2 * k] = p[k].x;
			quads[n][2 * k + 1] = p[k].y;
		}
		n++;
	}
	return n;
}

// Clockwise in image coordinates (y down), so a crop is never mirrored.
static void clockwise(std::vector<cv::Point2f> &p)
{
	double a = 0;

	for (int i = 0; i < 4; i++)
		a += (double)p[i].x * p[(i + 1) % 4].y - (double)p[(i + 1) % 4].x * p[i].y;
	if (a < 0)
		std::swap(p[1], p[3]);
}

// Warp quad (frame pixels, minus off) of src onto a side x side square with a 10 % margin.
static int rectify(struct qrscan_ws *ws, const cv::Mat &src, cv::Point2f off, const float quad[8],
		   int side, struct qrscan_view *v)
{
	std::vector<cv::Point2f> from, dst;
	float m = side * 0.1f, e = side - m;

	for (int k = 0; k < 4; k++)
		from.emplace_back(quad[2 * k] - off.x, quad[2 * k + 1] - off.y);
	clockwise(from);
	if (std::fabs(cv::contourArea(from)) < 64)
		return -1;
	dst = {{m, m}, {e, m}, {e, e}, {m, e}};
	try {
		cv::Mat H = cv::getPerspectiveTransform(from, dst);
		cv::warpPerspective(src, ws->crop, H, cv::Size(side, side), cv::INTER_CUBIC,
				    cv::BORDER_REPLICATE);
		cv::Mat shift = (cv::Mat_<double>(3, 3) << 1, 0, off.x, 0, 1, off.y, 0, 0, 1);
		ws->crop_to_frame = shift * H.inv();
	} catch (...) {
		return -1;
	}
	*v = view_of(ws->crop);
	return 0;
}

extern "C" int qrscan_img_rectify(struct qrscan_ws *ws, const float quad[8], int side,
				  struct qrscan_view *v)
{
	return rectify(ws, ws->frame, cv::Point2f(0, 0), quad, side, v);
}

static const int PATCH_PAD = 16; // replicated border against the DFT's wrap-around

extern "C" int qrscan_img_blur_est(struct qrscan_ws *ws, const float quad[8], double *motion_deg,
				   double *aniso)
{
	std::vector<cv::Point2f> q;

	for (int k = 0; k < 4; k++)
		q.emplace_back(quad[2 * k], quad[2 * k + 1]);
	try {
		cv::Rect r = cv::boundingRect(q);
		int m = std::max(24, std::max(r.width, r.height) / 6);
		r = cv::Rect(r.x - m, r.y - m, r.width + 2 * m, r.height + 2 * m) &
		    cv::Rect(0, 0, ws->frame.cols, ws->frame.rows);
		if (r.width < 32 || r.height < 32)
			return -1;
		cv::Mat gx, gy, p, f;
		cv::Sobel(ws->frame(r), gx, CV_32F, 1, 0);
		cv::Sobel(ws->frame(r), gy, CV_32F, 0, 1);
		// structure tensor: a linear smear weakens the gradients along its direction only
		double jxx = gx.dot(gx), jyy = gy.dot(gy), jxy = gx.dot(gy);
		double tr = jxx + jyy,
		       d = std::sqrt(std::max(0.0, tr * tr / 4 - (jxx * jyy - jxy * jxy)));
		*aniso = tr > 0 ? (tr / 2 - d) / (tr / 2 + d) : 1;
		*motion_deg = 0.5 * std::atan2(2 * jxy, jxx - jyy) * 180 / CV_PI + 90;
		cv::copyMakeBorder(ws->frame(r), p, PATCH_PAD, PATCH_PAD, PATCH_PAD, PATCH_PAD,
				   cv::BORDER_REPLICATE);
		cv::copyMakeBorder(p, p, 0, cv::getOptimalDFTSize(p.rows) - p.rows, 0,
				   cv::getOptimalDFTSize(p.cols) - p.cols, cv::BORDER_REPLICATE);
		p.convertTo(f, CV_32F);
		cv::dft(f, ws->patch_dft, cv::DFT_COMPLEX_OUTPUT);
		ws->patch = f;
		ws->patch_at = cv::Point2f((float)(r.x - PATCH_PAD), (float)(r.y - PATCH_PAD));
		std::copy(quad, quad + 8, ws->patch_quad);
	} catch (...) {
		return -1;
	}
	return 0;
}

// The camera's point-spread function: a line of len px at deg (motion), then a Gaussian of
// sigma (defocus), centred in a k x k kernel.
static cv::Mat psf_of(double len, double deg, double sigma)
{
	const int k = 15, c = k / 2;
	cv::Mat ker(k, k, CV_32F, cv::Scalar(0));
	double a = deg * CV_PI / 180, l = len / 2;

	if (len >= 1)
		cv::line(ker, cv::Point2d(c - l * std::cos(a), c - l * std::sin(a)),
			 cv::Point2d(c + l * std::cos(a), c + l * std::sin(a)), 1.0, 1,
			 cv::LINE_AA);
	else
		ker.at<float>(c, c) = 1;
	if (sigma > 0)
		cv::GaussianBlur(ker, ker, cv::Size(), sigma);
	return ker / cv::sum(ker)[0];
}

extern "C" int qrscan_img_deblur(struct qrscan_ws *ws, double len, double deg, double sigma,
				 double nsr, int side, struct qrscan_view *v)
{
	if (ws->patch_dft.empty())
		return -1;
	try {
		int h = ws->patch.rows, w = ws->patch.cols;
		cv::Mat ker = psf_of(len, deg, sigma), P = cv::Mat::zeros(h, w, CV_32F), PF, num,
			out;
		int c = ker.rows / 2;
		for (int y = 0; y < ker.rows; y++)
			for (int x = 0; x < ker.cols; x++)
				P.at<float>((y - c + h) % h, (x - c + w) % w) = ker.at<float>(y, x);
		cv::dft(P, PF, cv::DFT_COMPLEX_OUTPUT);
		// Wiener: G conj(H) / (|H|^2 + nsr)
		cv::mulSpectrums(ws->patch_dft, PF, num, 0, true);
		cv::Mat pl[2], mag;
		cv::split(PF, pl);
		mag = pl[0].mul(pl[0]) + pl[1].mul(pl[1]) + nsr;
		cv::split(num, pl);
		pl[0] /= mag;
		pl[1] /= mag;
		cv::merge(pl, 2, num);
		cv::idft(num, out, cv::DFT_SCALE | cv::DFT_REAL_OUTPUT);
		out.convertTo(ws->deblur, CV_8U);
	} catch (...) {
		return -1;
	}
	return rectify(ws, ws->deblur, ws->patch_at, ws->patch_quad, side, v);
}

extern "C" void qrscan_img_invert(struct qrscan_ws *ws, const struct qrscan_view *src,
				  struct qrscan_view *v)
{
	cv::Mat in(src->h, src->w, CV_8U, const_cast<uint8_t *>(src->pix));

	cv::bitwise_not(in, ws->neg);
	*v = view_of(ws->neg);
}

extern "C" void qrscan_img_sharpen(struct qrscan_ws *ws, const struct qrscan_view *src,
				   double sigma, double amount, struct qrscan_view *v)
{
	cv::Mat in(src->h, src->w, CV_8U, const_cast<uint8_t *>(src->pix)), soft;

	cv::GaussianBlur(in, soft, cv::Size(), sigma);
	cv::addWeighted(in, 1 + amount, soft, -amount, 0, ws->sharp);
	*v = view_of(ws->sharp);
}

extern "C" void qrscan_img_unmap(struct qrscan_ws *ws, float *x, float *y)
{
	std::vector<cv::Point2f> p = {{*x, *y}}, q;

	if (ws->crop_to_frame.empty())
		return;
	cv::perspectiveTransform(p, q, ws->crop_to_frame);
	*x = q[0].x;
	*y = q[0].y;
}
