/* SPDX-License-Identifier: MIT */
/*
 * bench_qr.c - QR decode rate and time per frame: our pipeline (vision/qrscan) beside zbar alone
 * (binary mode, its own inverted pass) and zxing-cpp alone (try-harder), on the same frames in
 * the same run, separately for card QRs (card fronts) and phone-screen QRs.
 *   bench_qr [DIR]    DIR holds cardgen frames; without it, frames are generated into a
 *                     temporary directory by <build>/tools/cardgen (seed 20261128; counts from
 *                     QRBENCH_CARDS, default 300, and QRBENCH_PHONES, default 200).
 * A fourth line-mate is our pipeline with zxing-cpp's fast pass ahead of zbar (opts.zxing_first);
 * a last line times the quality gate alone (sharpness + glare on every frame, all skipped).
 * Development: QRBENCH_PEERS=ours runs our pipeline alone (the peers' columns then read 0);
 * QRBENCH_VERBOSE=1 lists on stderr every frame a decoder missed, and each frame's time for ours.
 * A frame counts as read when some decoded payload equals the ground truth byte for byte; any
 * other payload is a misread. ms/frame is the mean wall time of the decode call alone (image
 * file decoding excluded), on one core.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "frame_source.h"
#include "vision/qrscan.h"

#define NPEERS 5 /* the last is the quality gate alone, every frame skipped */

static const char *const peer_name[NPEERS] = {"ours", "zbar", "zxing-cpp", "ours, zxing-cpp first",
					      "quality gate alone"};

struct tally {
	int frames;
	int fine; /* frames whose QR has >= 3 px/module */
	int fine_read[NPEERS];
	int read[NPEERS];
	int misread[NPEERS];
	double ms[NPEERS];
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The ground-truth payload from the sidecar next to image (x.jpg -> x.json) into out, and the
 * QR's module size in the frame into *ppm. */
static int truth(const char *image, char *out, size_t cap, double *ppm)
{
	char path[300], buf[8192];
	size_t n;
	FILE *f;
	cJSON *root, *p;
	int rc = -1;

	snprintf(path, sizeof(path), "%.*s.json", (int)(strlen(image) - 4), image);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	root = cJSON_Parse(buf);
	p = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "camera"), "qr_px_per_module");
	*ppm = cJSON_IsNumber(p) ? p->valuedouble : 0;
	p = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "qr"), "payload");
	if (cJSON_IsString(p) && strlen(p->valuestring) < cap) {
		snprintf(out, cap, "%s", p->valuestring);
		rc = 0;
	}
	cJSON_Delete(root);
	return rc;
}

static void score(struct qrscan *s, int peer, const struct frame *f, const char *want, bool fine,
		  struct tally *t)
{
	struct qrscan_result res; /* 12 KB on the stack */
	bool ok = false, bad = false;
	double t0 = now_ms(), ms;

	qrscan_frame(s, f->gray, f->width, f->height, f->gray_stride, &res, NULL);
	ms = now_ms() - t0;
	t->ms[peer] += ms;
	for (size_t i = 0; i < res.n; i++) {
		bool eq = res.code[i].len == strlen(want) &&
			  !memcmp(res.code[i].data, want, res.code[i].len);
		ok |= eq;
		bad |= !eq;
	}
	if (getenv("QRBENCH_VERBOSE") && (!ok || peer == 0))
		fprintf(stderr, "%s %s %s %.1f ms\n", peer_name[peer], ok ? "read" : "missed",
			f->name, ms);
	t->read[peer] += ok;
	t->fine_read[peer] += ok && fine;
	t->misread[peer] += bad && !ok;
}

static int run_kind(struct qrscan *const sc[NPEERS], const char *dir, const char *kind,
		    struct tally *t)
{
	struct frame_source src;
	struct frame f;
	struct cccd_err e;
	char uri[300], want[4096];
	double ppm;

	memset(t, 0, sizeof(*t));
	snprintf(uri, sizeof(uri), "file:%s/%s-*.jpg", dir, kind);
	if (frame_source_open(&src, uri, &e))
		return fprintf(stderr, "bench_qr: %s\n", e.msg), -1;
	while (!frame_source_grab(&src, &f, &e)) {
		if (truth(f.name, want, sizeof(want), &ppm))
			continue;
		t->frames++;
		t->fine += ppm >= 3;
		for (int p = 0; p < NPEERS; p++)
			if (sc[p])
				score(sc[p], p, &f, want, ppm >= 3, t);
	}
	frame_source_close(&src);
	return t->frames ? 0 : -1;
}

static void print_kind(const char *label, const struct tally *t)
{
	double n = t->frames;

	printf("qr %s decode rate (%d frames): %.1f %%  (peer %s: %.1f %%, %s: %.1f %%; %s: %.1f "
	       "%%)\n",
	       label, t->frames, 100.0 * t->read[0] / n, peer_name[1], 100.0 * t->read[1] / n,
	       peer_name[2], 100.0 * t->read[2] / n, peer_name[3], 100.0 * t->read[3] / n);
	if (t->fine)
		printf(
		    "qr %s decode rate, QR >= 3 px/module (%d frames): %.1f %%  (peer %s: %.1f %%, "
		    "%s: %.1f %%; %s: %.1f %%)\n",
		    label, t->fine, 100.0 * t->fine_read[0] / t->fine, peer_name[1],
		    100.0 * t->fine_read[1] / t->fine, peer_name[2],
		    100.0 * t->fine_read[2] / t->fine, peer_name[3],
		    100.0 * t->fine_read[3] / t->fine);
	printf("qr %s misreads: %d frames  (peer %s: %d, %s: %d; %s: %d)\n", label, t->misread[0],
	       peer_name[1], t->misread[1], peer_name[2], t->misread[2], peer_name[3],
	       t->misread[3]);
	printf("qr %s time: %.1f ms/frame  (peer %s: %.1f ms/frame, %s: %.1f ms/frame; %s: %.1f "
	       "ms/frame)\n",
	       label, t->ms[0] / n, peer_name[1], t->ms[1] / n, peer_name[2], t->ms[2] / n,
	       peer_name[3], t->ms[3] / n);
	printf("qr %s %s: %.2f ms/frame  (peer ours, whole pipeline: %.1f ms/frame)\n", label,
	       peer_name[4], t->ms[4] / n, t->ms[0] / n);
}

static int generate(const char *argv0, char *dir, size_t cap)
{
	char gen[300], cmd[1400];
	const char *cards = getenv("QRBENCH_CARDS"), *phones = getenv("QRBENCH_PHONES");
	const char *cut = strstr(argv0, "/tests/bench/");

	if (!cut)
		return -1;
	snprintf(gen, sizeof(gen), "%.*s/tools/cardgen", (int)(cut - argv0), argv0);
	snprintf(dir, cap, "/tmp/cccd-benchqr-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "%s --out %s --kind front --count %d --seed 20261128 && "
		 "%s --out %s --kind phone --count %d --seed 20261128",
		 gen, dir, cards ? atoi(cards) : 300, gen, dir, phones ? atoi(phones) : 200);
	return system(cmd) ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct qrscan *sc[NPEERS] = {NULL};
	struct tally card, phone;
	char dir[256];
	const char *peers = getenv("QRBENCH_PEERS");
	int rc = 1, npeers = peers && !strcmp(peers, "ours") ? 1 : NPEERS;

	if (argc > 1)
		snprintf(dir, sizeof(dir), "%s", argv[1]);
	else if (generate(argv[0], dir, sizeof(dir)))
		return fprintf(stderr, "bench_qr: cannot generate frames\n"), 1;
	for (int p = 0; p < npeers; p++) {
		struct qrscan_opts o = {.mode = p >= 3 ? QRSCAN_OURS : (enum qrscan_mode)p,
					.zxing_first = p == 3,
					.gate = p == 4,
					.min_sharpness = p == 4 ? 1e30 : 0};
		if (qrscan_new(&sc[p], &o, NULL))
			goto out;
	}
	if (run_kind(sc, dir, "front", &card) || run_kind(sc, dir, "phone", &phone))
		goto out;
	print_kind("card", &card);
	print_kind("phone-screen", &phone);
	rc = 0;
out:
	for (int p = 0; p < NPEERS; p++)
		qrscan_free(sc[p]);
	if (argc == 1) {
		char cmd[300];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd))
			rc = 1;
	}
	return rc;
}
