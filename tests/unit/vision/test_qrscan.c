/* SPDX-License-Identifier: MIT */
/*
 * test_qrscan.c - QR pipeline on frames drawn here with libqrencode: exact bytes for a CCCD
 * payload with Vietnamese text (NFC and NFD), VietQR, a light-on-dark code, a code too small for
 * zbar that the crop-and-upscale path reads, a motion-smeared one only the deblurring pass
 * reads, a damaged card payload that does not end the search, the quality gate, bad geometry.
 * Camera-like frames (perspective, blur, phone screens) are covered by tests/cli/test_scan.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <qrencode.h>

#include "vision/qrscan.h"

#define W 640
#define H 480

static const char cccd_nfc[] = "001200012345|123456789|Nguyễn Thị Ánh Tuyết|01022000|Nữ|"
			       "Số 12, Đường Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh|"
			       "15032021";

struct img {
	uint8_t px[W * H];
};

/* Draw payload as a QR code of px pixels per module at (x0, y0), over what im holds. */
static void draw_over(struct img *im, const char *payload, int px, int x0, int y0, bool invert)
{
	QRcode *c = QRcode_encodeData((int)strlen(payload), (const unsigned char *)payload, 0,
				      QR_ECLEVEL_M);

	assert_non_null(c);
	for (int y = 0; y < c->width * px; y++)
		for (int x = 0; x < c->width * px; x++) {
			bool dark = c->data[(y / px) * c->width + x / px] & 1;
			assert_true(y0 + y < H && x0 + x < W);
			im->px[(y0 + y) * W + x0 + x] = (uint8_t)((dark != invert) ? 30 : 225);
		}
	QRcode_free(c);
}

/* The same alone on a light (or, inverted, dark) ground. */
static void draw(struct img *im, const char *payload, int px, int x0, int y0, bool invert)
{
	memset(im->px, invert ? 30 : 225, sizeof(im->px));
	draw_over(im, payload, px, x0, y0, invert);
}

/* Draw payload at ppm (fractional) px per module at (x0, y0), as a camera would see it while the
 * card moves by len px at deg during the exposure: each pixel averages 4x4 sub-pixel points at 9
 * positions along the smear. Then noise of about sigma 4 grey levels (fixed sequence). */
static void draw_smeared(struct img *im, const char *payload, double ppm, int x0, int y0,
			 double len, double deg)
{
	QRcode *c = QRcode_encodeData((int)strlen(payload), (const unsigned char *)payload, 0,
				      QR_ECLEVEL_M);
	double dx = len * cos(deg * M_PI / 180), dy = len * sin(deg * M_PI / 180);
	uint32_t rng = 12345;

	assert_non_null(c);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			double sum = 0, noise = 0;
			for (int k = 0; k < 9 * 16; k++) {
				double t = (k / 16) / 8.0 - 0.5;
				double px = x + (k % 4 + 0.5) / 4 + t * dx - x0;
				double py = y + (k / 4 % 4 + 0.5) / 4 + t * dy - y0;
				int mx = (int)floor(px / ppm), my = (int)floor(py / ppm);
				bool dark = mx >= 0 && my >= 0 && mx < c->width && my < c->width &&
					    (c->data[my * c->width + mx] & 1);
				sum += dark ? 30 : 225;
			}
			for (int k = 0; k < 4; k++) {
				rng = rng * 1664525u + 1013904223u;
				noise += (double)(rng >> 8) / (1 << 24) - 0.5;
			}
			sum = sum / (9 * 16) + noise * 7;
			im->px[y * W + x] = (uint8_t)(sum < 0 ? 0 : sum > 255 ? 255 : sum + 0.5);
		}
	QRcode_free(c);
}

/* 3x3 box blur, n times: a soft lens. */
static void blur(struct img *im, int n)
{
	static struct img t;

	while (n--) {
		t = *im;
		for (int y = 1; y < H - 1; y++)
			for (int x = 1; x < W - 1; x++) {
				int s = 0;
				for (int dy = -1; dy <= 1; dy++)
					for (int dx = -1; dx <= 1; dx++)
						s += t.px[(y + dy) * W + x + dx];
				im->px[y * W + x] = (uint8_t)(s / 9);
			}
	}
}

static void scan(enum qrscan_mode mode, const struct img *im, struct qrscan_result *res)
{
	struct qrscan *s;
	struct qrscan_opts o = {.mode = mode};

	assert_int_equal(qrscan_new(&s, &o, NULL), 0);
	assert_int_equal(qrscan_frame(s, im->px, W, H, W, res, NULL), 0);
	qrscan_free(s);
}

static void assert_read(const struct qrscan_result *res, const char *want)
{
	assert_int_equal(res->n, 1);
	assert_int_equal(res->code[0].len, strlen(want));
	assert_memory_equal(res->code[0].data, want, strlen(want));
}

static void cccd_payload_bytes_exact(void **state)
{
	static struct img im;
	static struct qrscan_result res;
	static struct qrscan_payload p;

	(void)state;
	draw(&im, cccd_nfc, 4, 100, 60, false);
	scan(QRSCAN_OURS, &im, &res);
	assert_read(&res, cccd_nfc);
	assert_int_equal(res.code[0].decoder, QRSCAN_DEC_ZBAR);
	assert_false(res.code[0].inverted);
	assert_true(res.quality.ok);
	assert_int_equal(qrscan_payload_parse(res.code[0].data, res.code[0].len, &p, NULL), 0);
	assert_int_equal(p.kind, QRSCAN_CCCD);
	assert_string_equal(p.u.cccd.full_name, "Nguyễn Thị Ánh Tuyết");
	assert_int_equal(p.u.cccd.sex, 'F');
}

/* The same name decomposed (as some encoders write it): bytes kept, the parse gives NFC. */
static void nfd_payload_kept_raw_parsed_nfc(void **state)
{
	static struct img im;
	static struct qrscan_result res;
	static struct qrscan_payload p;
	const char *nfd = "001200012345||Nguye\xcc\x82\xcc\x83n Va\xcc\x86n An|01022000|Nam|"
			  "Ha\xcc\x80 No\xcc\xa3\xcc\x82i|15032021";

	(void)state;
	draw(&im, nfd, 4, 100, 60, false);
	scan(QRSCAN_OURS, &im, &res);
	assert_read(&res, nfd);
	assert_int_equal(qrscan_payload_parse(res.code[0].data, res.code[0].len, &p, NULL), 0);
	assert_string_equal(p.u.cccd.full_name, "Nguyễn Văn An");
	assert_string_equal(p.u.cccd.address, "Hà Nội");
}

static void vietqr_classified(void **state)
{
	static struct img im;
	static struct qrscan_result res;
	static struct qrscan_payload p;
	const char *v = "00020101021138540010A00000072701240006970436011001234567890208QRIBFTTA"
			"53037045802VN63046A15";

	(void)state;
	draw(&im, v, 5, 150, 100, false);
	scan(QRSCAN_OURS, &im, &res);
	assert_read(&res, v);
	assert_int_equal(qrscan_payload_parse(res.code[0].data, res.code[0].len, &p, NULL), 0);
	assert_int_equal(p.kind, QRSCAN_VIETQR);
	assert_string_equal(p.u.vietqr.bank_bin, "970436");
	assert_string_equal(p.u.vietqr.account, "0123456789");
}

/* Light modules on a dark ground (a phone in dark mode): read from the negative, and flagged. */
static void inverted_code_read_and_flagged(void **state)
{
	static struct img im;
	static struct qrscan_result res;

	(void)state;
	draw(&im, cccd_nfc, 4, 100, 60, true);
	scan(QRSCAN_OURS, &im, &res);
	assert_read(&res, cccd_nfc);
	assert_true(res.code[0].inverted);
	/* zbar's own inverted pass (the zbar peer) reads it too */
	scan(QRSCAN_ZBAR_ONLY, &im, &res);
	assert_read(&res, cccd_nfc);
}

/* 2 px per module, softened: zbar alone misses it; ours locates, rectifies, upscales, reads. */
static void small_soft_code_needs_the_crop(void **state)
{
	static struct img im;
	static struct qrscan_result res;

	(void)state;
	draw(&im, cccd_nfc, 2, 200, 150, false);
	blur(&im, 1);
	scan(QRSCAN_ZBAR_ONLY, &im, &res);
	assert_int_equal(res.n, 0);
	scan(QRSCAN_OURS, &im, &res);
	assert_read(&res, cccd_nfc);
}

/* 2.5-2.6 px per module smeared 4 px (a hand moving the card), horizontally and near vertically:
 * neither decoder alone, nor a crop and unsharp mask of the frame (the pipeline before the
 * deblurring pass), reads it; deconvolving the smear measured in the patch does. */
static void smeared_code_needs_the_deblur(void **state)
{
	static struct img im;
	static struct qrscan_result res;
	static const double cases[][2] = {{2.6, 0}, {2.5, 80}}; /* px/module, smear degrees */

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		draw_smeared(&im, cccd_nfc, cases[i][0], 180, 140, 4, cases[i][1]);
		scan(QRSCAN_ZBAR_ONLY, &im, &res);
		assert_int_equal(res.n, 0);
		scan(QRSCAN_ZXING_ONLY, &im, &res);
		assert_int_equal(res.n, 0);
		scan(QRSCAN_OURS, &im, &res);
		assert_read(&res, cccd_nfc);
		assert_true(res.code[0].cropped);
	}
}

/* A payload that opens like a card QR but fails its parser (read at once by zbar) does not end
 * the search: the small soft card QR beside it, read only from a crop, comes first; the damaged
 * one is still reported after it, and alone when nothing else is read. */
static void unparsed_payload_does_not_end_the_search(void **state)
{
	static struct img im;
	static struct qrscan_result res;
	static struct qrscan_payload p;
	const char *bad = "001200012345|not a card";

	(void)state;
	assert_int_not_equal(qrscan_payload_parse((const uint8_t *)bad, strlen(bad), &p, NULL), 0);
	draw(&im, bad, 4, 40, 40, false);
	draw_over(&im, cccd_nfc, 2, 400, 250, false);
	blur(&im, 1);
	scan(QRSCAN_OURS, &im, &res);
	assert_int_equal(res.n, 2);
	assert_int_equal(res.code[0].len, strlen(cccd_nfc));
	assert_memory_equal(res.code[0].data, cccd_nfc, strlen(cccd_nfc));
	assert_true(res.code[0].cropped);
	assert_int_equal(res.code[1].len, strlen(bad));
	assert_memory_equal(res.code[1].data, bad, strlen(bad));
	draw(&im, bad, 4, 40, 40, false);
	scan(QRSCAN_OURS, &im, &res);
	assert_read(&res, bad);
}

static void gate_skips_flat_frames(void **state)
{
	static struct img im;
	static struct qrscan_result res;
	struct qrscan *s;
	struct qrscan_opts o = {.gate = true};

	(void)state;
	memset(im.px, 128, sizeof(im.px));
	scan(QRSCAN_OURS, &im, &res);
	assert_int_equal(res.n, 0);
	assert_false(res.skipped);
	assert_false(res.quality.ok);
	assert_true(res.quality.sharpness < 1.0);
	assert_int_equal(qrscan_new(&s, &o, NULL), 0);
	assert_int_equal(qrscan_frame(s, im.px, W, H, W, &res, NULL), 0);
	assert_true(res.skipped);
	/* glare: a frame mostly saturated is gated out even when sharp */
	draw(&im, cccd_nfc, 4, 100, 60, false);
	memset(im.px + W * 200, 255, W * 200);
	assert_int_equal(qrscan_frame(s, im.px, W, H, W, &res, NULL), 0);
	assert_true(res.quality.glare > 0.25);
	assert_true(res.skipped);
	qrscan_free(s);
}

static void bad_geometry_rejected(void **state)
{
	static struct img im;
	static struct qrscan_result res;
	struct qrscan *s;
	struct qrscan_opts o = {0};
	struct cccd_err e;

	(void)state;
	assert_int_equal(qrscan_new(&s, &o, NULL), 0);
	assert_int_equal(qrscan_frame(s, im.px, W, H, W - 1, &res, &e), -CCCD_EINVAL);
	assert_int_equal(qrscan_frame(s, im.px, 20, H, W, &res, &e), -CCCD_EINVAL);
	assert_int_equal(qrscan_frame(s, NULL, W, H, W, &res, &e), -CCCD_EINVAL);
	/* a sub-rectangle through a wider stride is fine */
	draw(&im, cccd_nfc, 4, 100, 60, false);
	assert_int_equal(qrscan_frame(s, im.px, W - 100, H, W, &res, &e), 0);
	assert_read(&res, cccd_nfc);
	qrscan_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cccd_payload_bytes_exact),
	    cmocka_unit_test(nfd_payload_kept_raw_parsed_nfc),
	    cmocka_unit_test(vietqr_classified),
	    cmocka_unit_test(inverted_code_read_and_flagged),
	    cmocka_unit_test(small_soft_code_needs_the_crop),
	    cmocka_unit_test(smeared_code_needs_the_deblur),
	    cmocka_unit_test(unparsed_payload_does_not_end_the_search),
	    cmocka_unit_test(gate_skips_flat_frames),
	    cmocka_unit_test(bad_geometry_rejected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
