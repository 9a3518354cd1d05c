// SPDX-License-Identifier: MIT
// cam_shim.cpp - OpenCV imread/VideoCapture behind the C functions of cam_shim.h. No exception
// crosses into C: every entry point catches and turns it into a cccd_err.
#include <new>
#include <time.h>

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "camera/cam_shim.h"

struct cam_cv {
	cv::VideoCapture cap;
	cv::Mat bgr;
	cv::Mat gray;
	bool is_camera = false;
};

static uint64_t mono_us()
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

// Make gray and bgr (8-bit, 1 and 3 channels) from whatever the decoder gave, and point f at them.
static int publish(cam_cv *c, struct frame *f, struct cccd_err *err)
{
	if (c->bgr.empty() || c->bgr.depth() != CV_8U)
		return cccd_err_set(err, -CCCD_EFORMAT, "camera", "empty or not 8-bit frame");
	if (c->bgr.cols > FRAME_MAX_DIM || c->bgr.rows > FRAME_MAX_DIM)
		return cccd_err_set(err, -CCCD_ERANGE, "camera", "frame %dx%d larger than %d",
				    c->bgr.cols, c->bgr.rows, FRAME_MAX_DIM);
	if (c->bgr.channels() == 1)
		cv::cvtColor(c->bgr, c->bgr, cv::COLOR_GRAY2BGR);
	else if (c->bgr.channels() == 4)
		cv::cvtColor(c->bgr, c->bgr, cv::COLOR_BGRA2BGR);
	cv::cvtColor(c->bgr, c->gray, cv::COLOR_BGR2GRAY);
	f->bgr = c->bgr.data;
	f->gray = c->gray.data;
	f->bgr_stride = c->bgr.step;
	f->gray_stride = c->gray.step;
	f->width = c->bgr.cols;
	f->height = c->bgr.rows;
	return 0;
}

extern "C" int cam_cv_new(struct cam_cv **out, struct cccd_err *err)
{
	cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR);
	*out = new (std::nothrow) cam_cv;
	return *out ? 0 : cccd_err_set(err, -CCCD_ENOMEM, "camera", "out of memory");
}

extern "C" void cam_cv_free(struct cam_cv *c)
{
	delete c;
}

extern "C" int cam_cv_load(struct cam_cv *c, const char *path, struct frame *f,
			   struct cccd_err *err)
{
	try {
		c->bgr = cv::imread(path, cv::IMREAD_COLOR);
		if (c->bgr.empty())
			return cccd_err_set(err, -CCCD_EIO, "camera", "cannot decode image '%.80s'",
					    path);
		f->timestamp_us = 0;
		return publish(c, f, err);
	} catch (const std::exception &e) {
		return cccd_err_set(err, -CCCD_EIO, "camera", "'%.60s': %.80s", path, e.what());
	}
}

extern "C" int cam_cv_open_video(struct cam_cv *c, const char *path, struct cccd_err *err)
{
	try {
		// Named backends only: CAP_ANY also probes gphoto2, which scans USB and leaks.
		if (!c->cap.open(path, cv::CAP_FFMPEG) && !c->cap.open(path, cv::CAP_OPENCV_MJPEG))
			return cccd_err_set(err, -CCCD_EIO, "camera", "cannot open video '%.80s'",
					    path);
		c->is_camera = false;
		return 0;
	} catch (const std::exception &e) {
		return cccd_err_set(err, -CCCD_EIO, "camera", "'%.60s': %.80s", path, e.what());
	}
}

// Settings a camera may refuse are requested, not required: V4L2 drivers differ in what they take.
static void apply_v4l2(cv::VideoCapture &cap, const struct cam_v4l2_cfg *cfg)
{
	if (cfg->fourcc[0])
		cap.set(cv::CAP_PROP_FOURCC, cv::VideoWriter::fourcc(cfg->fourcc[0], cfg->fourcc[1],
								     cfg->fourcc[2], cfg->fourcc[3]));
	if (cfg->width > 0)
		cap.set(cv::CAP_PROP_FRAME_WIDTH, cfg->width);
	if (cfg->height > 0)
		cap.set(cv::CAP_PROP_FRAME_HEIGHT, cfg->height);
	if (cfg->fps > 0)
		cap.set(cv::CAP_PROP_FPS, cfg->fps);
	// V4L2_CID_EXPOSURE_AUTO: 1 = manual, 3 = aperture priority (auto)
	cap.set(cv::CAP_PROP_AUTO_EXPOSURE, cfg->exposure >= 0 ? 1 : 3);
	if (cfg->exposure >= 0)
		cap.set(cv::CAP_PROP_EXPOSURE, cfg->exposure);
	cap.set(cv::CAP_PROP_AUTOFOCUS, cfg->focus >= 0 ? 0 : 1);
	if (cfg->focus >= 0)
		cap.set(cv::CAP_PROP_FOCUS, cfg->focus);
	cap.set(cv::CAP_PROP_BUFFERSIZE, 1); // the newest frame, not a queue of stale ones
}

extern "C" int cam_cv_open_v4l2(struct cam_cv *c, const struct cam_v4l2_cfg *cfg,
				struct cccd_err *err)
{
	try {
		if (!c->cap.open(cfg->device, cv::CAP_V4L2))
			return cccd_err_set(err, -CCCD_EIO, "v4l2", "cannot open %.100s",
					    cfg->device);
		apply_v4l2(c->cap, cfg);
		c->is_camera = true;
		return 0;
	} catch (const std::exception &e) {
		return cccd_err_set(err, -CCCD_EIO, "v4l2", "%.60s: %.80s", cfg->device, e.what());
	}
}

extern "C" int cam_cv_read(struct cam_cv *c, struct frame *f, struct cccd_err *err)
{
	try {
		if (!c->cap.isOpened())
			return cccd_err_set(err, -CCCD_ESTATE, "camera", "capture not open");
		if (!c->cap.read(c->bgr)) {
			if (c->is_camera)
				return cccd_err_set(err, -CCCD_EIO, "v4l2", "no frame from camera");
			return cccd_err_set(err, -CCCD_ENOENT, "camera", "end of video");
		}
		f->timestamp_us = c->is_camera
					  ? mono_us()
					  : (uint64_t)(c->cap.get(cv::CAP_PROP_POS_MSEC) * 1000.0);
		return publish(c, f, err);
	} catch (const std::exception &e) {
		return cccd_err_set(err, -CCCD_EIO, "camera", "read: %.100s", e.what());
	}
}
