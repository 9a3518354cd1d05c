/* SPDX-License-Identifier: MIT */
/*
 * commands.c - the answer to each request (docs/api.md): WATCH, STATUS, DEVICES, READ, CONFIG.
 *
 * Example: {"cmd":"config","key":"log.level","value":"debug"} sets a reloadable key on the live
 * configuration and answers {"class":"CONFIG","values":{"log.level":"debug"}}; the same request
 * for "api.socket" answers ERROR "config: api.socket cannot be changed at run time (edit
 * gateway.ini and restart)". A change is also sent to every watcher. Secret keys (api.tcp_token)
 * are never shown nor set here. Changes made through the API last until the next SIGHUP reload or
 * restart.
 */
#include <stdio.h>
#include <string.h>

#include "api/server_int.h"
#include "core/version.h"

cJSON *api_version_object(void)
{
	cJSON *v = cJSON_CreateObject();

	if (!v)
		return NULL;
	cJSON_AddStringToObject(v, "class", "VERSION");
	cJSON_AddStringToObject(v, "release", CCCD_RELEASE);
	cJSON_AddNumberToObject(v, "proto_major", API_PROTO_MAJOR);
	cJSON_AddNumberToObject(v, "proto_minor", API_PROTO_MINOR);
	return v;
}

static cJSON *new_class(const char *cls)
{
	cJSON *o = cJSON_CreateObject();

	if (o && !cJSON_AddStringToObject(o, "class", cls)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *answer_watch(struct api_client *c, const struct api_request *req)
{
	cJSON *o = new_class("WATCH");

	c->watch = req->enable;
	if (o)
		cJSON_AddBoolToObject(o, "enable", c->watch);
	return o;
}

static cJSON *answer_status(struct api_server *srv)
{
	cJSON *o = new_class("STATUS");
	struct api_stats st;

	if (!o)
		return NULL;
	api_server_stats(srv, &st);
	cJSON_AddStringToObject(o, "release", CCCD_RELEASE);
	cJSON_AddNumberToObject(o, "clients", st.clients);
	cJSON_AddNumberToObject(o, "watchers", st.watchers);
	cJSON_AddNumberToObject(o, "max_clients", (double)srv->nslots);
	cJSON_AddNumberToObject(o, "accepted", (double)st.accepted);
	cJSON_AddNumberToObject(o, "refused", (double)st.refused);
	cJSON_AddNumberToObject(o, "dropped_slow", (double)st.dropped_slow);
	cJSON_AddNumberToObject(o, "auth_failed", (double)st.auth_failed);
	cJSON_AddNumberToObject(o, "events", (double)st.events);
	cJSON_AddNumberToObject(o, "bad_requests", (double)st.bad_requests);
	if (srv->tcp_name[0])
		cJSON_AddStringToObject(o, "tcp", srv->tcp_name);
	if (srv->cb.status)
		srv->cb.status(srv->cb.ctx, o);
	return o;
}

static cJSON *answer_devices(struct api_server *srv, struct cccd_err *err)
{
	cJSON *o, *arr;

	if (!srv->cb.devices) {
		cccd_err_set(err, -CCCD_ENOTSUP, "api", "devices: not supported by this daemon");
		return NULL;
	}
	o = new_class("DEVICES");
	arr = o ? cJSON_AddArrayToObject(o, "devices") : NULL;
	if (!arr || srv->cb.devices(srv->cb.ctx, arr, err)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *answer_read(struct api_server *srv, struct api_client *c,
			  const struct api_request *req, struct cccd_err *err)
{
	static const char *const kinds[] = {"none", "mrz", "can", "bac"};
	cJSON *o;

	if (!srv->cb.read) {
		cccd_err_set(err, -CCCD_ENOTSUP, "api", "read: not supported by this daemon");
		return NULL;
	}
	if (srv->cb.read(srv->cb.ctx, c->id, &req->key, err)) {
		if (!err->msg[0])
			cccd_err_set(err, -CCCD_EIO, "api", "read: refused");
		return NULL;
	}
	o = new_class("READ");
	if (o) {
		cJSON_AddStringToObject(o, "state", "waiting");
		cJSON_AddStringToObject(o, "key", kinds[req->key.kind]);
	}
	return o;
}

/* Add one key's value to values, typed as in gateway.ini (numbers, booleans, text). */
static void add_value(cJSON *values, const struct cccd_config *cfg, const struct cccd_cfg_key *k)
{
	char sec[32], text[CCCD_CFG_STR + 8];
	const char *dot = strchr(k->name, '.');

	snprintf(sec, sizeof(sec), "%.*s", (int)(dot - k->name), k->name);
	if (cccd_config_get(cfg, sec, dot + 1, text, sizeof(text)))
		return;
	if (k->type == CCCD_CFG_INT)
		cJSON_AddNumberToObject(values, k->name,
					*(const int *)((const char *)cfg + k->offset));
	else if (k->type == CCCD_CFG_BOOL)
		cJSON_AddBoolToObject(values, k->name, !strcmp(text, "true"));
	else
		cJSON_AddStringToObject(values, k->name, text);
}

static cJSON *config_values(const struct cccd_config *cfg, const struct cccd_cfg_key *one)
{
	cJSON *o = new_class("CONFIG");
	cJSON *values = o ? cJSON_AddObjectToObject(o, "values") : NULL;
	size_t n;
	const struct cccd_cfg_key *keys = cccd_config_keys(&n);

	if (!values) {
		cJSON_Delete(o);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if ((one ? &keys[i] == one : !keys[i].secret))
			add_value(values, cfg, &keys[i]);
	return o;
}

static cJSON *answer_config(struct api_server *srv, struct api_client *c,
			    const struct api_request *req, struct cccd_err *err)
{
	const struct cccd_cfg_key *k;
	struct cccd_config tmp;
	char sec[API_CFG_NAME_MAX + 1];
	cJSON *answer;
	const char *dot;

	if (!req->name[0])
		return config_values(srv->cfg, NULL);
	k = cccd_config_find(req->name);
	if (!k || k->secret) {
		cccd_err_set(err, -CCCD_ENOENT, "api", "config: %s '%s'",
			     k ? "secret key, not available through the API:" : "unknown key",
			     req->name);
		return NULL;
	}
	if (!req->has_value)
		return config_values(srv->cfg, k);
	if (!k->reloadable) {
		cccd_err_set(
		    err, -CCCD_ESTATE, "api",
		    "config: %s cannot be changed at run time (edit gateway.ini and restart)",
		    req->name);
		return NULL;
	}
	dot = strchr(req->name, '.');
	snprintf(sec, sizeof(sec), "%.*s", (int)(dot - req->name), req->name);
	tmp = *srv->cfg;
	if (cccd_config_set(&tmp, sec, dot + 1, req->value, err)) {
		char why[sizeof(err->msg)];

		memcpy(why, err->msg, sizeof(why));
		cccd_err_set(err, -CCCD_ECONFIG, "api", "config: %.150s", why);
		return NULL;
	}
	*srv->cfg = tmp;
	if (srv->cb.config_changed)
		srv->cb.config_changed(srv->cb.ctx, req->name);
	answer = config_values(srv->cfg, k);
	if (answer) /* watchers learn about the change too */
		api_deliver(srv, answer, 0, c->id);
	return answer;
}

cJSON *api_answer(struct api_server *srv, struct api_client *c, const struct api_request *req,
		  struct cccd_err *err)
{
	switch (req->cmd) {
	case API_CMD_WATCH:
		return answer_watch(c, req);
	case API_CMD_STATUS:
		return answer_status(srv);
	case API_CMD_DEVICES:
		return answer_devices(srv, err);
	case API_CMD_READ:
		return answer_read(srv, c, req, err);
	case API_CMD_CONFIG:
		return answer_config(srv, c, req, err);
	case API_CMD_AUTH:
		break;
	}
	cccd_err_set(err, -CCCD_EINVAL, "api",
		     c->tcp ? "auth: already authenticated" : "auth: only used on TCP connections");
	return NULL;
}
