/* SPDX-License-Identifier: MIT */
/*
 * pres_camera.c - the camera thread: frames from [camera] uri through qrscan (zbar, zxing-cpp);
 * a card's QR (cccdqr) becomes the presentation's key source, with one QR event when it is new,
 * was out of sight for PRES_QR_TTL_MS, or a card left since it was announced. A file: source that
 * ends is opened again (a demo or test loops its frames), paced at one frame per
 * PRES_FILE_FRAME_MS; a camera that fails is closed and reopened with backoff. The QR event carries
 * what the QR gives for access (CAN known, expiry candidates), not the person: the RESULT is where
 * verified personal data appears. MRZ OCR (mrzloc_, ocrb_) is not written yet; its hook is marked
 * below.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "doc/cccdqr_keys.h"
#include "frame_source.h"
#include "pipeline/pres_int.h"
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

static void scan_frame(struct pres *p, struct cam_worker *w, const struct frame *f)
{
	if (qrscan_frame(w->scan, f->gray, f->width, f->height, f->gray_stride, &w->res, NULL))
		return;
	for (size_t i = 0; i < w->res.n; i++) {
		const struct qrscan_code *c = &w->res.code[i];

		if (!qrscan_payload_parse(c->data, c->len, &w->pl, NULL) &&
		    w->pl.kind == QRSCAN_CCCD)
			got_card_qr(p, w, &w->pl.u.cccd);
	}
	/* MRZ hook: mrzloc_ + ocrb_ on f would give an MRZ key here, below the QR in priority */
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
	while (!pres_stopping(p))
		cam_step(p, w);
	if (w->open)
		frame_source_close(&w->src);
	qrscan_free(w->scan);
	memset(w, 0, sizeof(*w));
	free(w);
	return NULL;
}
