// SPDX-License-Identifier: MIT
// synth_shim.cpp - renders synthetic card and phone-screen frames for cardgen (synth_shim.h).
// Text goes through OpenCV's freetype module (FreeType + HarfBuzz): putText cannot draw
// Vietnamese. A card template is drawn at 12 px/mm, blurred in proportion to its downscale (the
// lens and sensor integrate; plain resampling would alias) and warped into the frame; a phone
// screen is expanded to its RGB sub-pixel stripes first and only lightly pre-blurred, which is
// where its moire comes from. Every exception is caught at the C boundary.
#include <cmath>
#include <memory>
#include <new>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/core/utils/filesystem.hpp>
#include <opencv2/freetype.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "tools/gen/synth_shim.h"

static const double CARD_W_MM = 85.6, CARD_H_MM = 53.98, PPM = 12.0;
static const char *const font_files[SYNTH_NFONTS] = {
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
	"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
	"/usr/share/fonts/opentype/ocr-b/OCRB.otf",
};

struct synth_ctx {
	cv::Ptr<cv::freetype::FreeType2> ft[SYNTH_NFONTS];
};

extern "C" int synth_new(struct synth_ctx **out, struct cccd_err *err)
{
	*out = nullptr;
	try {
		std::unique_ptr<synth_ctx> c(new synth_ctx);
		for (int i = 0; i < SYNTH_NFONTS; i++) {
			if (!cv::utils::fs::exists(font_files[i]))
				return cccd_err_set(err, -CCCD_ENOENT, "synth", "font %s missing",
						    font_files[i]);
			c->ft[i] = cv::freetype::createFreeType2();
			c->ft[i]->loadFontData(font_files[i], 0);
		}
		*out = c.release();
		return 0;
	} catch (const std::exception &e) {
		return cccd_err_set(err, -CCCD_EIO, "synth", "fonts: %.120s", e.what());
	}
}

extern "C" void synth_free(struct synth_ctx *ctx)
{
	delete ctx;
}

static cv::Scalar bgr(const uint8_t c[3])
{
	return cv::Scalar(c[0], c[1], c[2]);
}

static void draw_texts(synth_ctx *ctx, cv::Mat &img, const synth_text *t, size_t n, double unit)
{
	for (size_t i = 0; i < n; i++) {
		int h = (int)std::lround(t[i].size * unit);
		cv::Point org((int)std::lround(t[i].x * unit), (int)std::lround(t[i].y * unit));
		ctx->ft[t[i].font]->putText(img, t[i].utf8, org, h, bgr(t[i].bgr), -1, cv::LINE_AA,
					    true);
	}
}

// Modules with a quiet zone of 3 modules; returns nothing, draws in unit (px per mm or 1).
static void draw_qr(cv::Mat &img, const synth_qr *q, double unit)
{
	double m = q->size * unit / q->n, x0 = q->x * unit, y0 = q->y * unit;
	cv::Scalar dark = q->inverted ? cv::Scalar::all(235) : cv::Scalar::all(20);
	cv::Scalar light = q->inverted ? cv::Scalar::all(20) : cv::Scalar::all(250);

	cv::rectangle(img, cv::Point2d(x0 - 3 * m, y0 - 3 * m),
		      cv::Point2d(x0 + (q->n + 3) * m, y0 + (q->n + 3) * m), light, cv::FILLED);
	for (int j = 0; j < q->n; j++)
		for (int i = 0; i < q->n; i++) {
			if (!q->dark[j * q->n + i])
				continue;
			cv::Point a((int)std::lround(x0 + i * m), (int)std::lround(y0 + j * m));
			cv::Point b((int)std::lround(x0 + (i + 1) * m) - 1,
				    (int)std::lround(y0 + (j + 1) * m) - 1);
			cv::rectangle(img, a, b, dark, cv::FILLED);
		}
}

// Faint guilloche lines and, on the front, a portrait placeholder; on the back an MRZ band.
static void draw_card_ground(cv::Mat &img, const synth_card *card)
{
	cv::Scalar line = bgr(card->tint) - cv::Scalar(28, 18, 22);
	std::vector<cv::Point> pts;

	for (int k = 0; k < 24; k++) {
		pts.clear();
		for (int x = 0; x < img.cols; x += 6)
			pts.emplace_back(x, (int)(k * img.rows / 24.0 +
						  9 * std::sin(x / 37.0 + k * 0.7)));
		cv::polylines(img, pts, false, line, 1, cv::LINE_AA);
	}
	if (card->back) {
		cv::rectangle(img, cv::Point2d(0, 35.5 * PPM), cv::Point2d(img.cols, img.rows),
			      cv::Scalar(246, 248, 246), cv::FILLED);
		return;
	}
	cv::Rect face((int)(4 * PPM), (int)(17 * PPM), (int)(20 * PPM), (int)(26 * PPM));
	cv::rectangle(img, face, cv::Scalar(190, 190, 185), cv::FILLED);
	cv::ellipse(img, cv::Point(face.x + face.width / 2, face.y + face.height * 2 / 5),
		    cv::Size(face.width / 4, face.height / 4), 0, 0, 360, cv::Scalar(110, 115, 120),
		    cv::FILLED, cv::LINE_AA);
	cv::ellipse(img, cv::Point(face.x + face.width / 2, face.y + face.height),
		    cv::Size(face.width / 2 - 4, face.height / 3), 0, 180, 360,
		    cv::Scalar(90, 90, 100), cv::FILLED, cv::LINE_AA);
}

static cv::Mat rounded_mask(cv::Size s, int r)
{
	cv::Mat m(s, CV_8U, cv::Scalar(0));

	cv::rectangle(m, cv::Rect(r, 0, s.width - 2 * r, s.height), 255, cv::FILLED);
	cv::rectangle(m, cv::Rect(0, r, s.width, s.height - 2 * r), 255, cv::FILLED);
	for (cv::Point c : { cv::Point(r, r), cv::Point(s.width - r - 1, r),
			     cv::Point(s.width - r - 1, s.height - r - 1),
			     cv::Point(r, s.height - r - 1) })
		cv::circle(m, c, r, 255, cv::FILLED, cv::LINE_AA);
	return m;
}

// A table or hand: smooth colour blotches plus a few straight-edged objects as distractors.
static cv::Mat background(const synth_cam *cam, cv::RNG &rng)
{
	cv::Mat small(9, 16, CV_8UC3), bg;

	cv::Mat grey(9, 16, CV_8UC3);
	rng.fill(small, cv::RNG::UNIFORM, cv::Scalar(40, 40, 40), cv::Scalar(170, 160, 150));
	grey = cv::Scalar::all(rng.uniform(60, 150));
	cv::addWeighted(small, 0.35, grey, 0.65, 0, small); // mostly grey: tables, hands, counters
	cv::resize(small, bg, cv::Size(cam->frame_w, cam->frame_h), 0, 0, cv::INTER_CUBIC);
	for (int i = 0; i < 4; i++) {
		cv::Point a(rng.uniform(0, cam->frame_w), rng.uniform(0, cam->frame_h));
		cv::Point b(rng.uniform(0, cam->frame_w), rng.uniform(0, cam->frame_h));
		cv::rectangle(bg, a, b, cv::Scalar::all(rng.uniform(20, 230)), 2, cv::LINE_AA);
	}
	return bg;
}

static cv::Mat homography(const synth_cam *cam, cv::Size obj, std::vector<cv::Point2f> &dst)
{
	double w = cam->width_px, h = w * obj.height / obj.width;
	double a = cam->rot_deg * CV_PI / 180, ca = std::cos(a), sa = std::sin(a);
	double cx = cam->cx * cam->frame_w, cy = cam->cy * cam->frame_h;
	const double ux[4] = { -0.5, 0.5, 0.5, -0.5 }, uy[4] = { -0.5, -0.5, 0.5, 0.5 };
	std::vector<cv::Point2f> src = { { 0, 0 },
					 { (float)obj.width, 0 },
					 { (float)obj.width, (float)obj.height },
					 { 0, (float)obj.height } };

	dst.clear();
	for (int i = 0; i < 4; i++) {
		double x = ux[i] * w + cam->persp[2 * i] * w, y = uy[i] * h + cam->persp[2 * i + 1] * w;
		dst.emplace_back((float)(cx + x * ca - y * sa), (float)(cy + x * sa + y * ca));
	}
	return cv::getPerspectiveTransform(src, dst);
}

// Warp obj (with its alpha mask) over the background; pre_blur is sigma per unit of downscale.
static cv::Mat place(const cv::Mat &obj, const cv::Mat &mask, const synth_cam *cam, double pre_blur,
		     cv::RNG &rng, cv::Mat &H)
{
	std::vector<cv::Point2f> dst;
	cv::Mat src = obj, warped, alpha, frame = background(cam, rng), out;
	double scale = obj.cols / cam->width_px;

	H = homography(cam, obj.size(), dst);
	if (scale > 1 && pre_blur > 0)
		cv::GaussianBlur(obj, src, cv::Size(), pre_blur * scale);
	cv::warpPerspective(src, warped, H, frame.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
	cv::warpPerspective(mask, alpha, H, frame.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
	cv::Mat a3, f1, w1;
	cv::cvtColor(alpha, a3, cv::COLOR_GRAY2BGR);
	a3.convertTo(a3, CV_32FC3, 1 / 255.0);
	frame.convertTo(f1, CV_32FC3);
	warped.convertTo(w1, CV_32FC3);
	out = w1.mul(a3) + f1.mul(cv::Scalar::all(1.0) - a3);
	return out; // CV_32FC3
}

static void light_and_glare(cv::Mat &f, const synth_cam *cam, cv::Point2d glare_at, double r)
{
	for (int y = 0; y < f.rows; y++) {
		cv::Vec3f *p = f.ptr<cv::Vec3f>(y);
		for (int x = 0; x < f.cols; x++) {
			double g = cam->light_gain + cam->light_dx * ((double)x / f.cols - 0.5) +
				   cam->light_dy * ((double)y / f.rows - 0.5);
			double dx = x - glare_at.x, dy = y - glare_at.y, add = 0;
			if (cam->glare > 0)
				add = cam->glare *
				      std::min(1.0, 1.6 * std::exp(-(dx * dx + dy * dy) / (2 * r * r)));
			p[x] = p[x] * (float)g + cv::Vec3f::all((float)add);
		}
	}
}

static void optics_and_sensor(cv::Mat &f, const synth_cam *cam, cv::RNG &rng)
{
	if (cam->defocus > 0.2)
		cv::GaussianBlur(f, f, cv::Size(), cam->defocus);
	if (cam->motion_len >= 1) {
		int k = 2 * (int)std::ceil(cam->motion_len / 2) + 1;
		cv::Mat ker(k, k, CV_32F, cv::Scalar(0));
		double a = cam->motion_deg * CV_PI / 180, l = cam->motion_len / 2;
		cv::line(ker, cv::Point2d(k / 2 - l * std::cos(a), k / 2 - l * std::sin(a)),
			 cv::Point2d(k / 2 + l * std::cos(a), k / 2 + l * std::sin(a)), 1.0, 1,
			 cv::LINE_AA);
		ker /= cv::sum(ker)[0];
		cv::filter2D(f, f, -1, ker);
	}
	cv::Mat n(f.size(), CV_32FC3);
	rng.fill(n, cv::RNG::NORMAL, 0, cam->noise);
	f += n;
}

static int write_frame(const cv::Mat &f32, const synth_cam *cam, const char *path,
		       struct cccd_err *err)
{
	cv::Mat f8;
	std::vector<int> params;

	f32.convertTo(f8, CV_8UC3);
	if (cam->jpeg_quality > 0)
		params = { cv::IMWRITE_JPEG_QUALITY, cam->jpeg_quality };
	if (!cv::imwrite(path, f8, params))
		return cccd_err_set(err, -CCCD_EIO, "synth", "cannot write %.100s", path);
	return 0;
}

static void qr_out(const synth_qr *q, double unit, const cv::Mat &H, synth_out *out)
{
	double x0 = q->x * unit, y0 = q->y * unit, s = q->size * unit;
	std::vector<cv::Point2f> src = { { (float)x0, (float)y0 },
					 { (float)(x0 + s), (float)y0 },
					 { (float)(x0 + s), (float)(y0 + s) },
					 { (float)x0, (float)(y0 + s) } },
				 dst;
	double side = 0;

	cv::perspectiveTransform(src, dst, H);
	for (int i = 0; i < 4; i++) {
		out->qr_quad[2 * i] = dst[i].x;
		out->qr_quad[2 * i + 1] = dst[i].y;
		side += cv::norm(dst[i] - dst[(i + 1) % 4]);
	}
	out->px_per_module = side / 4 / q->n;
}

static int finish(cv::Mat &f, const cv::Mat &H, cv::Size obj, const synth_cam *cam,
		  const char *path, cv::RNG &rng, struct cccd_err *err)
{
	std::vector<cv::Point2f> g = { { (float)(cam->glare_x * obj.width),
					 (float)(cam->glare_y * obj.height) } },
				 gd;

	cv::perspectiveTransform(g, gd, H);
	light_and_glare(f, cam, gd[0], std::max(4.0, cam->glare_r * cam->width_px));
	optics_and_sensor(f, cam, rng);
	return write_frame(f, cam, path, err);
}

extern "C" int synth_render_card(struct synth_ctx *ctx, const struct synth_card *card,
			  const struct synth_cam *cam, const char *path, struct synth_out *out,
			  struct cccd_err *err)
{
	try {
		cv::RNG rng(cam->seed);
		cv::Size sz((int)std::lround(CARD_W_MM * PPM), (int)std::lround(CARD_H_MM * PPM));
		cv::Mat tmpl(sz, CV_8UC3, bgr(card->tint)), H;

		draw_card_ground(tmpl, card);
		draw_texts(ctx, tmpl, card->texts, card->n_texts, PPM);
		if (card->qr)
			draw_qr(tmpl, card->qr, PPM);
		cv::Mat f = place(tmpl, rounded_mask(sz, (int)(3 * PPM)), cam, 0.45, rng, H);
		*out = synth_out{};
		if (card->qr)
			qr_out(card->qr, PPM, H, out);
		return finish(f, H, sz, cam, path, rng, err);
	} catch (const std::exception &e) {
		return cccd_err_set(err, -CCCD_EIO, "synth", "card: %.120s", e.what());
	}
}

// Each screen pixel becomes 3x3 cells: R, G, B stripes (own channel boosted, the others leaking,
// so the mean brightness is kept), the bottom row dimmed by gap.
static cv::Mat subpixels(const cv::Mat &screen, double gap)
{
	cv::Mat big(screen.rows * 3, screen.cols * 3, CV_8UC3, cv::Scalar(0));

	for (int y = 0; y < screen.rows; y++) {
		const cv::Vec3b *s = screen.ptr<cv::Vec3b>(y);
		for (int r = 0; r < 3; r++) {
			cv::Vec3b *d = big.ptr<cv::Vec3b>(3 * y + r);
			float k = r == 2 ? (float)(1 - gap) : 1.0f;
			for (int x = 0; x < screen.cols; x++)
				for (int cell = 0; cell < 3; cell++) // cells R, G, B = channels 2, 1, 0
					for (int ch = 0; ch < 3; ch++)
						d[3 * x + cell][ch] = cv::saturate_cast<uint8_t>(
							s[x][ch] * k * (ch == 2 - cell ? 1.9f : 0.55f));
		}
	}
	return big;
}

static void reflection(cv::Mat &f, const cv::Mat &H, cv::Size obj, const synth_phone *ph)
{
	cv::Mat band(obj, CV_32F), warped;
	double a = ph->reflection_deg * CV_PI / 180, ca = std::cos(a), sa = std::sin(a);

	for (int y = 0; y < obj.height; y++)
		for (int x = 0; x < obj.width; x++) {
			double u = ((double)x / obj.width - 0.5) * ca + ((double)y / obj.height - 0.5) * sa;
			double d = (u - ph->reflection_pos) / 0.12;
			band.at<float>(y, x) = (float)(18 + 110 * std::exp(-d * d));
		}
	cv::warpPerspective(band * ph->reflection, warped, H, f.size());
	cv::Mat w3;
	cv::cvtColor(warped, w3, cv::COLOR_GRAY2BGR);
	f += w3;
}

extern "C" int synth_render_phone(struct synth_ctx *ctx, const struct synth_phone *ph,
			   const struct synth_cam *cam, const char *path, struct synth_out *out,
			   struct cccd_err *err)
{
	try {
		cv::RNG rng(cam->seed);
		int bez = ph->screen_w / 25;
		cv::Scalar ground = ph->dark ? cv::Scalar::all(28) : cv::Scalar::all(248);
		cv::Mat screen(ph->screen_h, ph->screen_w, CV_8UC3, ground), H;

		cv::rectangle(screen, cv::Rect(0, 0, ph->screen_w, ph->screen_h / 9),
			      cv::Scalar(150, 90, 20), cv::FILLED);
		draw_texts(ctx, screen, ph->texts, ph->n_texts, 1.0);
		draw_qr(screen, ph->qr, 1.0);
		cv::Mat big = subpixels(screen, ph->pitch_gap), phone;
		cv::copyMakeBorder(big, phone, 3 * bez, 3 * bez, 3 * bez, 3 * bez, cv::BORDER_CONSTANT,
				   cv::Scalar(12, 12, 12));
		cv::Mat f = place(phone, rounded_mask(phone.size(), 9 * bez), cam, 0.25, rng, H);
		if (ph->reflection > 0)
			reflection(f, H, phone.size(), ph);
		synth_qr q = *ph->qr;
		q.x = 3 * (q.x + bez), q.y = 3 * (q.y + bez), q.size *= 3;
		*out = synth_out{};
		qr_out(&q, 1.0, H, out);
		return finish(f, H, phone.size(), cam, path, rng, err);
	} catch (const std::exception &e) {
		return cccd_err_set(err, -CCCD_EIO, "synth", "phone: %.120s", e.what());
	}
}
