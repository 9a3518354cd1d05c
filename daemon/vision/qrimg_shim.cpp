// SPDX-License-Identifier: MIT
// qrimg_shim.cpp - the OpenCV half of qrscan: frame copy, quality measures, QR localisation
// (cv::QRCodeDetector finds codes even though Debian's build cannot decode them), rectifying
// crops and negatives. Buffers live in the workspace and are reused frame to frame.
#include <cmath>
#include <new>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "vision/qrscan_shim.h"

struct qrscan_ws {
	cv::Mat frame;	  // contiguous copy of the input
	cv::Mat crop;	  // last rectified crop
	cv::Mat neg;	  // last negative
	cv::Mat crop_to_frame; // homography of the last crop
	cv::QRCodeDetector det;
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
	return qrscan_view{ m.data, m.cols, m.rows };
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

extern "C" size_t qrscan_img_find(struct qrscan_ws *ws, float (*quads)[8], size_t cap)
{
	std::vector<cv::Point2f> pts;
	size_t n = 0;

	try {
		if (!ws->det.detectMulti(ws->frame, pts) && !ws->det.detect(ws->frame, pts))
			return 0;
	} catch (...) {
		return 0;
	}
	for (size_t i = 0; i + 3 < pts.size() && n < cap; i += 4, n++)
		for (int k = 0; k < 4; k++) {
			quads[n][2 * k] = pts[i + k].x;
			quads[n][2 * k + 1] = pts[i + k].y;
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

extern "C" int qrscan_img_rectify(struct qrscan_ws *ws, const float quad[8], int side,
				  struct qrscan_view *v)
{
	std::vector<cv::Point2f> src, dst;
	float m = side * 0.1f, e = side - m;

	for (int k = 0; k < 4; k++)
		src.emplace_back(quad[2 * k], quad[2 * k + 1]);
	clockwise(src);
	if (std::fabs(cv::contourArea(src)) < 64)
		return -1;
	dst = { { m, m }, { e, m }, { e, e }, { m, e } };
	try {
		cv::Mat H = cv::getPerspectiveTransform(src, dst);
		cv::warpPerspective(ws->frame, ws->crop, H, cv::Size(side, side), cv::INTER_CUBIC,
				    cv::BORDER_REPLICATE);
		ws->crop_to_frame = H.inv();
	} catch (...) {
		return -1;
	}
	*v = view_of(ws->crop);
	return 0;
}

extern "C" void qrscan_img_invert(struct qrscan_ws *ws, const struct qrscan_view *src,
				  struct qrscan_view *v)
{
	cv::Mat in(src->h, src->w, CV_8U, const_cast<uint8_t *>(src->pix));

	cv::bitwise_not(in, ws->neg);
	*v = view_of(ws->neg);
}

extern "C" void qrscan_img_unmap(struct qrscan_ws *ws, float *x, float *y)
{
	std::vector<cv::Point2f> p = { { *x, *y } }, q;

	if (ws->crop_to_frame.empty())
		return;
	cv::perspectiveTransform(p, q, ws->crop_to_frame);
	*x = q[0].x;
	*y = q[0].y;
}
