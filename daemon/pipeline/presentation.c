/* SPDX-License-Identifier: MIT */
/*
 * presentation.c - see presentation.h: the pipeline's life (threads, settings), the API seam
 * (read, devices, status) and the shared helpers of pres_int.h. The state machine of one
 * presentation is in pres_card.c, the camera in pres_camera.c, the outputs in pres_out.c.
 * Example: {"cmd":"read","key":{"can":"012345"}} -> pres_api_read() stores the key (never
 * logged), wakes the card thread and returns 0 (the server answers READ waiting); the RESULT or
 * ERROR later goes to every watcher and to that client.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/json.h"
#include "core/log.h"
#include "pipeline/pres_int.h"

static void settings_from(struct pres_settings *s, const struct cccd_config *cfg)
{
	snprintf(s->reader, sizeof(s->reader), "%s", cfg->reader.uri);
	snprintf(s->camera, sizeof(s->camera), "%s", cfg->camera.uri);
	snprintf(s->trust, sizeof(s->trust), "%s", cfg->trust.dir);
	s->poll_ms = cfg->reader.poll_ms;
	s->timeout_ms = cfg->reader.timeout_ms;
	s->camera_mrz = cfg->camera.mrz;
}

void pres_wait_locked(struct pres *p, int ms)
{
	struct timespec ts;

	if (p->stop || ms <= 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	(void)pthread_cond_timedwait(&p->cv, &p->mu, &ts);
}

bool pres_sleep(struct pres *p, int ms)
{
	bool stop;

	pthread_mutex_lock(&p->mu);
	pres_wait_locked(p, ms);
	stop = p->stop;
	pthread_mutex_unlock(&p->mu);
	return stop;
}

bool pres_stopping(struct pres *p)
{
	return pres_sleep(p, 0);
}

int pres_backoff_ms(unsigned failures)
{
	int ms = PRES_BACKOFF_MIN_MS;

	for (unsigned i = 1; i < failures && ms < PRES_BACKOFF_MAX_MS; i++)
		ms *= 2;
	return ms < PRES_BACKOFF_MAX_MS ? ms : PRES_BACKOFF_MAX_MS;
}

void pres_emit(struct pres *p, const char *cls, const char *device, cJSON *o, uint64_t requester)
{
	cJSON *ev = cJSON_CreateObject();

	if (!ev) {
		cJSON_Delete(o);
		return;
	}
	cJSON_AddStringToObject(ev, "class", cls);
	if (device && device[0])
		cJSON_AddStringToObject(ev, "device", device);
	while (o && o->child) {
		cJSON *it = cJSON_DetachItemViaPointer(o, o->child);

		if (cJSON_GetObjectItemCaseSensitive(ev, it->string))
			cJSON_Delete(it); /* class and device are ours */
		else
			cJSON_AddItemToObject(ev, it->string, it);
	}
	cJSON_Delete(o);
	(void)api_emit_event(p->api, ev, requester);
}

void pres_emit_error(struct pres *p, const char *device, const char *msg, uint64_t requester)
{
	cJSON *o = cJSON_CreateObject();

	if (o)
		cJSON_AddStringToObject(o, "message", msg);
	pres_emit(p, "ERROR", device, o, requester);
}

/* ---- the API seam (loop thread; never blocks: mu is only held for copies) ---- */

static int api_read(void *ctx, uint64_t client, const struct api_key *key, struct cccd_err *err)
{
	struct pres *p = ctx;
	int rc = 0;

	pthread_mutex_lock(&p->mu);
	if (!p->set.reader[0])
		rc = cccd_err_set(err, -CCCD_ENOTSUP, "api", "read: no reader configured");
	else if (p->requester && p->requester != client)
		rc = cccd_err_set(err, -CCCD_ESTATE, "api",
				  "read: another client's read is waiting (one at a time)");
	if (!rc) {
		p->requester = client;
		p->requested_ms = cccd_loop_now_ms();
		p->reread = true;
		p->want_photo = key->photo;
		p->op_set = key->kind != API_KEY_NONE;
		if (p->op_set)
			p->op = *key;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

static void dev_json(cJSON *arr, const char *uri, const char *kind, const struct pres_dev *d)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return;
	cJSON_AddStringToObject(o, "path", uri);
	cJSON_AddStringToObject(o, "kind", kind);
	cJSON_AddStringToObject(o, "state", d->open ? "open" : "unavailable");
	cccd_json_str(o, "error", d->error);
	cJSON_AddNumberToObject(o, "reopened", (double)d->reopened);
	cJSON_AddItemToArray(arr, o);
}

static int api_devices(void *ctx, cJSON *array, struct cccd_err *err)
{
	struct pres *p = ctx;

	(void)err;
	pthread_mutex_lock(&p->mu);
	if (p->set.reader[0])
		dev_json(array, p->set.reader, "reader", &p->reader);
	if (p->set.camera[0])
		dev_json(array, p->set.camera, "camera", &p->camera);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

static void api_status(void *ctx, cJSON *o)
{
	struct pres *p = ctx;
	cJSON *s = cJSON_AddObjectToObject(o, "pipeline");

	if (!s)
		return;
	pthread_mutex_lock(&p->mu);
	cJSON_AddStringToObject(s, "state", p->state);
	cJSON_AddBoolToObject(s, "reader_open", p->reader.open);
	if (p->set.camera[0])
		cJSON_AddBoolToObject(s, "camera_open", p->camera.open);
	cJSON_AddNumberToObject(s, "cards", (double)p->cards);
	cJSON_AddNumberToObject(s, "results", (double)p->results);
	cJSON_AddNumberToObject(s, "errors", (double)p->errors);
	cJSON_AddNumberToObject(s, "qr_codes", (double)p->qrs);
	cJSON_AddNumberToObject(s, "frames", (double)p->frames);
	if (p->set.camera[0]) {
		cJSON_AddStringToObject(s, "mrz_reader", p->mrz_reader);
		cJSON_AddNumberToObject(s, "mrz_reads", (double)p->mrzs);
		cJSON_AddNumberToObject(s, "mrz_frames", (double)p->mrz_frames);
	}
	cJSON_AddBoolToObject(s, "read_waiting", p->requester != 0);
	if (p->results)
		cJSON_AddNumberToObject(s, "last_total_ms", p->last_total_ms);
	pthread_mutex_unlock(&p->mu);
	pres_out_status(p->out, s);
}

void pres_api_callbacks(struct pres *p, struct api_callbacks *cb)
{
	*cb = (struct api_callbacks){
	    .read = api_read, .devices = api_devices, .status = api_status, .ctx = p};
}

/* ---- life ---- */

int pres_configure(struct pres *p, const struct cccd_config *cfg, bool outputs,
		   struct cccd_err *err)
{
	struct pres_settings s;

	settings_from(&s, cfg);
	pthread_mutex_lock(&p->mu);
	/* reader and camera URIs are not reloadable (core/config.c): keep the running ones */
	memcpy(s.reader, p->set.reader, sizeof(s.reader));
	memcpy(s.camera, p->set.camera, sizeof(s.camera));
	s.camera_mrz = p->set.camera_mrz;
	p->set = s;
	p->set_gen++;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return outputs ? pres_out_reload(p->out, p->cfg_path, err) : 0;
}

/* A PLC wrote the Modbus trigger coil: read the card present (or the next one) again. */
static void modbus_trigger(void *ctx)
{
	struct pres *p = ctx;

	pthread_mutex_lock(&p->mu);
	p->reread = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

int pres_output_result(struct pres *p, const cJSON *result)
{
	return pres_out_push(p->out, result);
}

static int init_sync(struct pres *p, struct cccd_err *err)
{
	pthread_condattr_t ca;
	int rc;

	if (pthread_mutex_init(&p->mu, NULL))
		return cccd_err_set(err, -CCCD_EIO, "pipeline", "pthread_mutex_init failed");
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	rc = pthread_cond_init(&p->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (rc) {
		pthread_mutex_destroy(&p->mu);
		return cccd_err_set(err, -CCCD_EIO, "pipeline", "pthread_cond_init failed");
	}
	return 0;
}

static int start_threads(struct pres *p, struct cccd_err *err)
{
	int e = pthread_create(&p->card_thr, NULL, pres_card_main, p);

	p->card_started = e == 0;
	if (!e && p->set.camera[0]) {
		e = pthread_create(&p->cam_thr, NULL, pres_camera_main, p);
		p->cam_started = e == 0;
	}
	return e ? cccd_err_set(err, -CCCD_EIO, "pipeline", "pthread_create: %s", strerror(e)) : 0;
}

int pres_new(struct pres **out, struct api_server *api, const struct cccd_config *cfg,
	     const char *cfg_path, struct cccd_err *err)
{
	struct pres *p = calloc(1, sizeof(*p));
	int rc;

	*out = NULL;
	if (!p)
		return cccd_err_set(err, -CCCD_ENOMEM, "pipeline", "no memory");
	p->api = api;
	p->state = cfg->reader.uri[0] ? "waiting" : "no reader";
	p->mrz_reader = cfg->camera.mrz ? "starting" : "off";
	snprintf(p->cfg_path, sizeof(p->cfg_path), "%s", cfg_path ? cfg_path : "");
	settings_from(&p->set, cfg);
	rc = init_sync(p, err);
	if (rc) {
		free(p);
		return rc;
	}
	rc = pres_out_new(&p->out, p->cfg_path, modbus_trigger, p, err);
	if (!rc)
		rc = start_threads(p, err);
	if (rc) {
		pres_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void pres_free(struct pres *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	if (p->card_started)
		pthread_join(p->card_thr, NULL);
	if (p->cam_started)
		pthread_join(p->cam_thr, NULL);
	pres_out_free(p->out);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	memset(&p->op, 0, sizeof(p->op));
	memset(&p->qr, 0, sizeof(p->qr));
	free(p);
}
