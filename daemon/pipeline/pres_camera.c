/* SPDX-License-Identifier: MIT */
/*
 * pres_camera.c - the camera thread: frames from [camera] uri through qrscan (zbar, zxing-cpp);
 * a card's QR (cccdqr) becomes the presentation's key source, with one QR event when it is new,
 * was out of sight for PRES_QR_TTL_MS, or a card left since it was announced. A file: source that
 * ends is opened again (a demo or test loops its frames), paced at one frame per
 * PRES_FILE_FRAME_MS; a camera that fails is closed and reopened with backoff. The QR event carries
 * what the QR gives for access (CAN known, expiry candidates), not the person: the RESULT is where
 * verified personal data appears. With [camera] mrz (default on) a frame with no card QR also goes
 * through the MRZ reader (mrzloc) while no higher key (typed, QR) waits and no read runs: only a
 * complete read (every check digit, confidence >= MRZLOC_MIN_CONF, voted across frames) becomes a
 * key source, announced by one MRZ event on the same rules as QR. Without the OCR-B font the
 * camera reads QR codes alone (one warning).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "doc/cccdqr_keys.h"
#include "frame_source.h"
#include "pipeline/pres_int.h"
#include "vision/mrzloc.h"
#include "vision/qrscan.h"

#define PRES_FILE_FRAME_MS 100

struct cam_worker {
	struct pres_settings set;
	struct frame_source src;
	bool open, is_file;
	int64_t retry_ms;
	struct qrscan *scan;
	struct qrscan_result res;
	struct qrscan_payload pl;
	struct mrzloc *mrz; /* NULL: MRZ reading off or unavailable */
	struct mrzloc_result mres;
};

static void cam_state(struct pres *p, bool open, const struct cccd_err *err)
{
	char s[160];

	pthread_mutex_lock(&p->mu);
	if (open && p->camera.failures)
		p->camera.reopened++;
	p->camera.open = open;
	p->camera.failures = open ? 0 : p->camera.failures + 1;
	snprintf(p->camera.error, sizeof(p->camera.error), "%s",
		 open || !err ? "" : cccd_err_str(err, s, sizeof(s)));
	pthread_mutex_unlock(&p->mu);
}

static void cam_open(struct pres *p, struct cam_worker *w)
{
	struct cccd_err err = {0};
	int64_t now = cccd_loop_now_ms();
	char s[200];

	if (now < w->retry_ms) {
		pres_sleep(p, (int)(w->retry_ms - now));
		return;
	}
	memset(&w->src, 0, sizeof(w->src));
	if (frame_source_open(&w->src, w->set.camera, &err)) {
		cam_state(p, false, &err);
		w->retry_ms = cccd_loop_now_ms() + pres_backoff_ms(p->camera.failures);
		if (p->camera.failures == 1)
			cccd_warn("camera %s: %s (retrying with backoff)", w->set.camera,
				  cccd_err_str(&err, s, sizeof(s)));
		return;
	}
	w->open = true;
	w->is_file = !strncmp(w->set.camera, "file:", 5);
	cam_state(p, true, NULL);
}

static void qr_event(struct pres *p, const char *device, const struct cccdqr *qr)
{
	struct cccdqr_access acc;
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return;
	cJSON_AddStringToObject(o, "kind", "cccd");
	if (!cccdqr_keys(qr, &acc, NULL)) {
		cJSON_AddBoolToObject(o, "can", true);
		cJSON_AddNumberToObject(o, "expiry_candidates", (double)acc.n);
	}
	pres_emit(p, "QR", device, o, 0);
}

static bool same_qr(const struct cccdqr *a, const struct cccdqr *b)
{
	return !strcmp(a->id, b->id) && !strcmp(a->full_name, b->full_name) &&
	       !date_cmp(&a->birth_date, &b->birth_date) &&
	       !date_cmp(&a->issue_date, &b->issue_date);
}

/* A card QR seen now: the key source for the next read; an event when it is news. */
static void got_card_qr(struct pres *p, struct cam_worker *w, const struct cccdqr *qr)
{
	int64_t now = cccd_loop_now_ms();
	bool news;

	pthread_mutex_lock(&p->mu);
	news =
	    !p->qr_set || !p->qr_told || now - p->qr_ms >= PRES_QR_TTL_MS || !same_qr(&p->qr, qr);
	p->qr_told = true;
	p->qr = *qr;
	p->qr_set = true;
	p->qr_ms = now;
	if (news) {
		p->qrs++;
		pthread_cond_broadcast(&p->cv); /* a card may be waiting for this key */
	}
	pthread_mutex_unlock(&p->mu);
	if (news)
		qr_event(p, w->set.camera, qr);
}

static void mrz_event(struct pres *p, const char *device, const struct mrzloc_result *r)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return;
	cJSON_AddStringToObject(o, "kind", mrz_is_vietnamese(&r->mrz) ? "cccd" : "icao");
	cJSON_AddStringToObject(o, "format", mrz_format_name(r->mrz.format));
	if (strlen(r->mrz.id_number) == 12)
		cJSON_AddBoolToObject(o, "can", true);
	cJSON_AddNumberToObject(o, "frames", r->frames);
	pres_emit(p, "MRZ", device, o, 0);
}

static bool same_mrz(const struct mrz *a, const struct mrz *b)
{
	return !strcmp(a->doc_number, b->doc_number) && !strcmp(a->id_number, b->id_number) &&
	       !date_cmp(&a->birth, &b->birth) && !date_cmp(&a->expiry, &b->expiry) &&
	       a->no_expiry == b->no_expiry;
}

/* A complete MRZ read now: the key source below the QR; an event when it is news. */
static void got_mrz(struct pres *p, struct cam_worker *w, const struct mrzloc_result *r)
{
	int64_t now = cccd_loop_now_ms();
	char id[32];
	bool news;

	pthread_mutex_lock(&p->mu);
	news = !p->mrz_set || !p->mrz_told || now - p->mrz_ms >= PRES_MRZ_TTL_MS ||
	       !same_mrz(&p->mrz, &r->mrz);
	p->mrz_told = true;
	p->mrz = r->mrz;
	p->mrz_set = true;
	p->mrz_ms = now;
	if (news) {
		p->mrzs++;
		pthread_cond_broadcast(&p->cv); /* a card may be waiting for this key */
	}
	pthread_mutex_unlock(&p->mu);
	if (!news)
		return;
	cccd_info("camera %s: MRZ read (%s %s, %d frame%s voted, confidence %.2f)", w->set.camera,
		  mrz_format_name(r->mrz.format),
		  cccd_mask_id(r->mrz.id_number[0] ? r->mrz.id_number : r->mrz.doc_number, id,
			       sizeof(id)),
		  r->frames, r->frames == 1 ? "" : "s", (double)r->confidence);
	mrz_event(p, w->set.camera, r);
}

/* Whether this frame goes to the MRZ reader: not while a typed key or a fresh QR would win
 * anyway, nor during a chip read (both cores are the card's then). A card that left or was read
 * restarts the vote first. */
static bool mrz_wanted(struct pres *p, struct cam_worker *w)
{
	int64_t now = cccd_loop_now_ms();
	bool forget, want;

	pthread_mutex_lock(&p->mu);
	forget = p->mrz_forget;
	p->mrz_forget = false;
	want = !p->op_set && !(p->qr_set && now - p->qr_ms < PRES_QR_TTL_MS) &&
	       strcmp(p->state, "reading") != 0;
	if (want)
		p->mrz_frames++;
	pthread_mutex_unlock(&p->mu);
	if (forget)
		mrzloc_reset(w->mrz);
	return want;
}

static void read_mrz(struct pres *p, struct cam_worker *w, const struct frame *f)
{
	struct cccd_date today;

	date_today(&today);
	if (!mrzloc_frame(w->mrz, f->gray, f->width, f->height, f->gray_stride, &today, &w->mres,
			  NULL) &&
	    w->mres.complete)
		got_mrz(p, w, &w->mres);
}

/* QR first; the MRZ reader only on a frame without a card QR (docs/pipeline.md "Camera"). */
static void scan_frame(struct pres *p, struct cam_worker *w, const struct frame *f)
{
	size_t cards = 0;

	if (!qrscan_frame(w->scan, f->gray, f->width, f->height, f->gray_stride, &w->res, NULL)) {
		for (size_t i = 0; i < w->res.n; i++) {
			const struct qrscan_code *c = &w->res.code[i];

			if (!qrscan_payload_parse(c->data, c->len, &w->pl, NULL) &&
			    w->pl.kind == QRSCAN_CCCD) {
				got_card_qr(p, w, &w->pl.u.cccd);
				cards++;
			}
		}
	}
	if (w->mrz && !cards && mrz_wanted(p, w))
		read_mrz(p, w, f);
}

static void cam_step(struct pres *p, struct cam_worker *w)
{
	struct cccd_err err = {0};
	struct frame f;
	int rc;

	if (!w->open) {
		cam_open(p, w);
		return;
	}
	rc = frame_source_grab(&w->src, &f, &err);
	if (rc) {
		frame_source_close(&w->src);
		w->open = false;
		if (rc != -CCCD_ENOENT || !w->is_file) { /* the end of a file list is no failure */
			cam_state(p, false, &err);
			w->retry_ms = cccd_loop_now_ms() + pres_backoff_ms(p->camera.failures);
		}
		return;
	}
	pthread_mutex_lock(&p->mu);
	p->frames++;
	pthread_mutex_unlock(&p->mu);
	scan_frame(p, w, &f);
	if (w->is_file)
		pres_sleep(p, PRES_FILE_FRAME_MS);
}

/* The MRZ reader, unless [camera] mrz is off; a missing font leaves the QR path running. */
static void mrz_start(struct pres *p, struct cam_worker *w)
{
	struct cccd_err err = {0};
	const char *st = "off";
	char s[200];

	if (w->set.camera_mrz) {
		st = "on";
		if (mrzloc_new(&w->mrz, NULL, &err)) {
			w->mrz = NULL;
			st = "unavailable";
			cccd_warn("camera %s: MRZ reading off, QR codes only: %s%s", w->set.camera,
				  cccd_err_str(&err, s, sizeof(s)),
				  err.code == -CCCD_ENOENT ? " (install fonts-ocr-b)" : "");
		}
	}
	pthread_mutex_lock(&p->mu);
	p->mrz_reader = st;
	pthread_mutex_unlock(&p->mu);
}

void *pres_camera_main(void *arg)
{
	struct pres *p = arg;
	struct qrscan_opts opts = {.mode = QRSCAN_OURS};
	struct cam_worker *w = calloc(1, sizeof(*w));

	if (!w || qrscan_new(&w->scan, &opts, NULL)) {
		cccd_err_log("pipeline: cannot start the camera thread (memory)");
		free(w);
		return NULL;
	}
	pthread_mutex_lock(&p->mu);
	w->set = p->set;
	pthread_mutex_unlock(&p->mu);
	mrz_start(p, w);
	while (!pres_stopping(p))
		cam_step(p, w);
	if (w->open)
		frame_source_close(&w->src);
	qrscan_free(w->scan);
	mrzloc_free(w->mrz);
	memset(w, 0, sizeof(*w));
	free(w);
	return NULL;
}
