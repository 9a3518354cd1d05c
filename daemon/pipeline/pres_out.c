/* SPDX-License-Identifier: MIT */
/*
 * pres_out.c - the output thread: every RESULT goes to every [output.NAME] of gateway.ini
 * (out_config.h), in file order: keyboard wedge (key_sink + out_wedge_type), serial line
 * (serial_send_result), Modbus server (mbus_map_result; the thread also serves its requests),
 * relay board (mbus_relay_pulse, genuine only); the reader's state (card, reading, error) goes to
 * the Modbus maps in the same queue. Its own thread, so a host that does not poll
 * the keyboard or a relay's pulse never holds up the event loop or the next card. An output
 * that fails is logged as `gateway.ini:14: [output.desk] ...` and reopened for the next
 * RESULT; the others go on. Omitted: lodging/welfare modules (not written yet).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "key_sink.h"
#include "modbus/mbus.h"
#include "out/out_config.h"
#include "out/wedge.h"
#include "pipeline/pres_int.h"
#include "serial/serial.h"

#define PRES_OUT_QUEUE	   32 /* RESULTs waiting for the outputs; more are dropped (counted) */
#define PRES_OUT_MBUS_POLL 20 /* ms between Modbus server polls */

struct out_dev {
	struct key_sink sink;
	bool sink_open;
	struct serial_port port;
	bool port_open;
	struct mbus_server *mb;
	unsigned long sent, failed;
	char error[200];
};

/* A RESULT for every output, or (res NULL) a reader state for the Modbus maps: one queue keeps
 * them in the order they happened, so a PLC never sees "card present" after that card's result. */
struct out_item {
	cJSON *res;
	enum mbus_state state;
};

struct pres_out {
	char base[64];		    /* the configuration file's name, for "gateway.ini:LINE:" */
	void (*trigger)(void *ctx); /* a PLC asked for a read (Modbus coil MBUS_C_TRIGGER) */
	void *tctx;
	pthread_t thr;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop, reload;
	struct out_config next; /* a reloaded configuration waiting to be taken */
	struct out_item q[PRES_OUT_QUEUE];
	size_t qh, qn;
	unsigned long dropped;
	/* the thread's (read by pres_out_status under mu) */
	struct out_config cfg;
	struct out_dev dev[OUT_MAX_OUTPUTS];
};

static void fail(struct pres_out *o, size_t i, const struct cccd_err *err)
{
	const struct out_output *oo = &o->cfg.outputs[i];
	char s[200];

	cccd_err_str(err, s, sizeof(s));
	cccd_warn("%s:%d: [output.%s] %s", o->base, oo->uri_line, oo->name, s);
	pthread_mutex_lock(&o->mu);
	o->dev[i].failed++;
	snprintf(o->dev[i].error, sizeof(o->dev[i].error), "%s", s);
	pthread_mutex_unlock(&o->mu);
}

static void close_dev(struct out_dev *d)
{
	if (d->sink_open)
		key_sink_close(&d->sink);
	if (d->port_open)
		serial_close(&d->port);
	mbus_server_close(d->mb);
	d->sink_open = d->port_open = false;
	d->mb = NULL;
}

static int keyboard(struct out_dev *d, const struct out_output *oo, const struct out_profile *pf,
		    const cJSON *res, struct cccd_err *err)
{
	int rc = 0;

	if (!d->sink_open) {
		memset(&d->sink, 0, sizeof(d->sink));
		rc = key_sink_open(&d->sink, oo->uri, err);
		d->sink_open = rc == 0;
		d->sink.timeout_ms = oo->timeout_ms;
	}
	return rc ? rc : out_wedge_type(&d->sink, pf, res, oo->key_delay_ms, err);
}

static int serial(struct out_dev *d, const struct out_output *oo, const struct out_profile *pf,
		  const cJSON *res, struct cccd_err *err)
{
	int rc = 0;

	if (!d->port_open) {
		rc = serial_open(&d->port, oo->uri, &oo->line, err);
		d->port_open = rc == 0;
	}
	return rc ? rc
		  : serial_send_result(&d->port, pf, oo->format == OUT_FMT_JSON, res,
				       oo->timeout_ms, err);
}

static int modbus(struct out_dev *d, const struct out_output *oo, const cJSON *res,
		  struct cccd_err *err)
{
	int rc = d->mb ? 0 : mbus_server_open(&d->mb, oo->uri, &oo->line, oo->unit_id, err);

	if (rc)
		return rc;
	/* the same clock as mbus_server.c's age refresh */
	mbus_map_result(mbus_server_map(d->mb), res, (long)cccd_clock_ms());
	return 0;
}

/* One RESULT to output i: 0 sent, 1 not for this output (profile condition), < 0 failed. */
static int deliver(struct pres_out *o, size_t i, const cJSON *res, struct cccd_err *err)
{
	const struct out_output *oo = &o->cfg.outputs[i];
	const struct out_profile *pf = out_config_profile(&o->cfg, oo->profile);
	struct out_dev *d = &o->dev[i];

	switch (oo->kind) {
	case OUT_KEYBOARD:
		return keyboard(d, oo, pf, res, err);
	case OUT_SERIAL:
		return serial(d, oo, pf, res, err);
	case OUT_MODBUS:
		return modbus(d, oo, res, err);
	case OUT_RELAY:
		return mbus_relay_pulse(oo->uri, &oo->line, oo->unit_id, oo->coil, oo->pulse_ms,
					oo->timeout_ms, res, err);
	default:
		return 1;
	}
}

static void state_all(struct pres_out *o, enum mbus_state st)
{
	for (size_t i = 0; i < o->cfg.noutputs; i++) {
		struct mbus_server *mb = o->dev[i].mb;

		if (!mb)
			continue;
		if (st == MBUS_ERROR)
			mbus_map_error(mbus_server_map(mb));
		else
			mbus_map_state(mbus_server_map(mb), st);
	}
}

static void deliver_all(struct pres_out *o, const cJSON *res)
{
	for (size_t i = 0; i < o->cfg.noutputs; i++) {
		struct cccd_err err = {0};
		int rc = deliver(o, i, res, &err);

		if (rc < 0) {
			fail(o, i, &err);
			close_dev(&o->dev[i]); /* reopened for the next RESULT */
		} else if (rc == 0) {
			pthread_mutex_lock(&o->mu);
			o->dev[i].sent++;
			o->dev[i].error[0] = '\0';
			pthread_mutex_unlock(&o->mu);
		}
	}
}

/* Modbus servers publish from the start (a PLC polls before the first card). */
static void open_servers(struct pres_out *o)
{
	for (size_t i = 0; i < o->cfg.noutputs; i++) {
		const struct out_output *oo = &o->cfg.outputs[i];
		struct cccd_err err = {0};

		if (oo->kind == OUT_MODBUS && !o->dev[i].mb &&
		    mbus_server_open(&o->dev[i].mb, oo->uri, &oo->line, oo->unit_id, &err))
			fail(o, i, &err);
	}
}

static bool poll_servers(struct pres_out *o)
{
	bool any = false;

	for (size_t i = 0; i < o->cfg.noutputs; i++) {
		if (o->dev[i].mb) {
			(void)mbus_server_poll(o->dev[i].mb, 0, NULL);
			if (mbus_map_take_trigger(mbus_server_map(o->dev[i].mb)) && o->trigger)
				o->trigger(o->tctx);
			any = true;
		}
	}
	return any;
}

static void wait_locked(struct pres_out *o, int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += (long)ms * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	(void)pthread_cond_timedwait(&o->cv, &o->mu, &ts);
}

static void take_reload_locked(struct pres_out *o)
{
	for (size_t i = 0; i < OUT_MAX_OUTPUTS; i++) {
		close_dev(&o->dev[i]);
		memset(&o->dev[i], 0, sizeof(o->dev[i]));
	}
	o->cfg = o->next;
	o->reload = false;
}

static void *out_main(void *arg)
{
	struct pres_out *o = arg;
	bool servers = false;

	pthread_mutex_lock(&o->mu);
	while (!o->stop) {
		struct out_item it = {NULL, MBUS_IDLE};
		bool got = false;

		if (!o->qn && !o->reload)
			wait_locked(o, servers ? PRES_OUT_MBUS_POLL : 500);
		if (o->reload)
			take_reload_locked(o);
		if (o->qn) {
			it = o->q[o->qh];
			o->qh = (o->qh + 1) % PRES_OUT_QUEUE;
			o->qn--;
			got = true;
		}
		pthread_mutex_unlock(&o->mu);
		open_servers(o);
		if (it.res)
			deliver_all(o, it.res);
		else if (got)
			state_all(o, it.state);
		cJSON_Delete(it.res);
		servers = poll_servers(o);
		pthread_mutex_lock(&o->mu);
	}
	pthread_mutex_unlock(&o->mu);
	return NULL;
}

static int load(struct pres_out *o, const char *path, struct out_config *c, struct cccd_err *err)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	memset(c, 0, sizeof(*c));
	snprintf(o->base, sizeof(o->base), "%s", slash ? slash + 1 : path ? path : "");
	if (!path || !path[0] || access(path, F_OK) != 0)
		return 0; /* no file: no outputs */
	return out_config_load_file(path, c, err);
}

int pres_out_reload(struct pres_out *o, const char *path, struct cccd_err *err)
{
	struct out_config *c = calloc(1, sizeof(*c));
	int rc;

	if (!c)
		return cccd_err_set(err, -CCCD_ENOMEM, "outputs", "no memory");
	rc = load(o, path, c, err);
	if (!rc) {
		pthread_mutex_lock(&o->mu);
		o->next = *c;
		o->reload = true;
		pthread_cond_signal(&o->cv);
		pthread_mutex_unlock(&o->mu);
	}
	free(c);
	return rc;
}

static int enqueue(struct pres_out *o, cJSON *res, enum mbus_state st)
{
	int rc = 0;

	pthread_mutex_lock(&o->mu);
	if (o->qn == PRES_OUT_QUEUE) {
		o->dropped++;
		rc = -CCCD_ENOSPC;
	} else {
		o->q[(o->qh + o->qn) % PRES_OUT_QUEUE] = (struct out_item){res, st};
		o->qn++;
		pthread_cond_signal(&o->cv);
	}
	pthread_mutex_unlock(&o->mu);
	return rc;
}

int pres_out_push(struct pres_out *o, const cJSON *result)
{
	cJSON *dup = cJSON_Duplicate(result, true);
	int rc;

	if (!dup)
		return -CCCD_ENOMEM;
	rc = enqueue(o, dup, MBUS_RESULT);
	if (rc)
		cJSON_Delete(dup);
	return rc;
}

int pres_out_state(struct pres_out *o, enum mbus_state st)
{
	return enqueue(o, NULL, st);
}

void pres_out_status(struct pres_out *o, cJSON *status)
{
	cJSON *arr = cJSON_AddArrayToObject(status, "outputs");

	pthread_mutex_lock(&o->mu);
	for (size_t i = 0; arr && i < o->cfg.noutputs; i++) {
		cJSON *e = cJSON_CreateObject();

		if (!e)
			break;
		cJSON_AddStringToObject(e, "name", o->cfg.outputs[i].name);
		cJSON_AddStringToObject(e, "type", out_kind_name(o->cfg.outputs[i].kind));
		cJSON_AddNumberToObject(e, "sent", (double)o->dev[i].sent);
		cJSON_AddNumberToObject(e, "failed", (double)o->dev[i].failed);
		if (o->dev[i].error[0])
			cJSON_AddStringToObject(e, "error", o->dev[i].error);
		cJSON_AddItemToArray(arr, e);
	}
	cJSON_AddNumberToObject(status, "outputs_dropped", (double)o->dropped);
	pthread_mutex_unlock(&o->mu);
}

static int init_sync(struct pres_out *o)
{
	pthread_condattr_t ca;
	int rc;

	if (pthread_mutex_init(&o->mu, NULL))
		return -1;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	rc = pthread_cond_init(&o->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (rc)
		pthread_mutex_destroy(&o->mu);
	return rc ? -1 : 0;
}

int pres_out_new(struct pres_out **out, const char *path, void (*trigger)(void *ctx), void *ctx,
		 struct cccd_err *err)
{
	struct pres_out *o = calloc(1, sizeof(*o));
	int rc;

	*out = NULL;
	if (!o)
		return cccd_err_set(err, -CCCD_ENOMEM, "outputs", "no memory");
	o->trigger = trigger;
	o->tctx = ctx;
	rc = load(o, path, &o->cfg, err);
	if (!rc && init_sync(o))
		rc = cccd_err_set(err, -CCCD_EIO, "outputs", "pthread init failed");
	if (rc) {
		free(o);
		return rc;
	}
	if (pthread_create(&o->thr, NULL, out_main, o)) {
		pthread_cond_destroy(&o->cv);
		pthread_mutex_destroy(&o->mu);
		free(o);
		return cccd_err_set(err, -CCCD_EIO, "outputs", "pthread_create failed");
	}
	o->started = true;
	*out = o;
	return 0;
}

void pres_out_free(struct pres_out *o)
{
	if (!o)
		return;
	pthread_mutex_lock(&o->mu);
	o->stop = true;
	pthread_cond_signal(&o->cv);
	pthread_mutex_unlock(&o->mu);
	if (o->started)
		pthread_join(o->thr, NULL);
	for (size_t i = 0; i < OUT_MAX_OUTPUTS; i++)
		close_dev(&o->dev[i]);
	while (o->qn) {
		cJSON_Delete(o->q[o->qh].res);
		o->qh = (o->qh + 1) % PRES_OUT_QUEUE;
		o->qn--;
	}
	pthread_cond_destroy(&o->cv);
	pthread_mutex_destroy(&o->mu);
	free(o);
}
