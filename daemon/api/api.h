/* SPDX-License-Identifier: MIT */
/*
 * api.h - the local socket API server (protocol in docs/api.md) and its seam to the pipeline.
 *
 * The server owns the listening sockets and the clients; it answers VERSION, WATCH, STATUS and
 * CONFIG itself and asks the pipeline, through struct api_callbacks, for what only the pipeline
 * knows (devices, reading a card, status details). The pipeline talks back with api_emit_event()
 * (any thread) or api_broadcast()/api_send() (loop thread). Every object sent has a "class".
 *
 *   client ──{"cmd":"read","key":{"can":"123456"}}──► server ──cb.read(ctx, client, key)──►
 * pipeline client ◄──{"class":"READ",...}── (accepted)      pipeline ──api_emit_event(srv, RESULT,
 * client) watchers + that client ◄──{"class":"RESULT",...}──┘
 */
#ifndef CCCD_API_API_H
#define CCCD_API_API_H

#include <stdbool.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "api/request.h"
#include "core/config.h"
#include "core/err.h"
#include "core/loop.h"

#define API_PROTO_MAJOR 1
#define API_PROTO_MINOR 0

struct api_server;

/*
 * What the server cannot answer itself. Every pointer may be NULL (the server then answers
 * ERROR "not supported by this daemon" for read/devices, and leaves STATUS without details).
 * All are called on the loop thread and must not block: a read is started, not waited for.
 */
struct api_callbacks {
	/* Start a read for client `client` (an id, never reused) with key (kind API_KEY_NONE =
	 * use whatever the camera or a scanner provides). 0 = accepted: the server answers
	 * {"class":"READ","state":"waiting"} and the pipeline later sends RESULT or ERROR through
	 * api_emit_event(srv, ev, client). < 0 = refused: err->msg becomes the ERROR message. */
	int (*read)(void *ctx, uint64_t client, const struct api_key *key, struct cccd_err *err);
	/* Append one object per device ({"path":..,"kind":"reader|camera",..}) to array. */
	int (*devices)(void *ctx, cJSON *array, struct cccd_err *err);
	/* Add details (reader state, last result time, ...) to a STATUS object being built. */
	void (*status)(void *ctx, cJSON *status);
	/* A reloadable key was changed through {"cmd":"config"}; cfg holds the new value. */
	void (*config_changed)(void *ctx, const char *name);
	void *ctx;
};

/* Counters shown in STATUS and used by tests. */
struct api_stats {
	unsigned clients;      /* connected now */
	unsigned watchers;     /* of which with watch enabled */
	uint64_t accepted;     /* connections accepted since start */
	uint64_t refused;      /* turned away: max_clients reached */
	uint64_t dropped_slow; /* dropped because their output buffer overflowed */
	uint64_t auth_failed;  /* TCP clients closed for a missing or wrong token */
	uint64_t events;       /* objects broadcast */
	uint64_t bad_requests; /* requests answered with ERROR */
};

/* Bind the Unix socket at cfg->api.socket (and the TCP listener when cfg->api.tcp_listen is set)
 * and register them on loop. cfg stays owned by the caller and is read live: reloadable keys
 * take effect on the next connection or request. 0 or -CCCD_EIO / -CCCD_ECONFIG / -CCCD_ENOMEM. */
int api_server_new(struct api_server **out, struct cccd_loop *loop, struct cccd_config *cfg,
		   const struct api_callbacks *cb, struct cccd_err *err);

/* Close every client and listener and remove the socket file. NULL is allowed. */
void api_server_free(struct api_server *srv);

/* Loop thread: send event (which must have "class") to every watching client. Returns the
 * number of clients it was queued for; clients whose buffer would overflow are dropped. */
int api_broadcast(struct api_server *srv, const cJSON *event);

/* Loop thread: send obj to one client; 0, or -CCCD_ENOENT when that client is gone. */
int api_send(struct api_server *srv, uint64_t client, const cJSON *obj);

/* Any thread: queue event (ownership passes to the server, even on error) for delivery on the
 * loop thread to every watcher, plus `requester` (0 = none) if it is not watching.
 * 0, or -CCCD_ENOSPC when the queue is full (event dropped and counted). */
int api_emit_event(struct api_server *srv, cJSON *event, uint64_t requester);

/* Build {"class":"ERROR","message":msg} (caller frees); NULL on allocation failure. */
cJSON *api_error_object(const char *msg);

void api_server_stats(const struct api_server *srv, struct api_stats *st);

/* The bound TCP address ("127.0.0.1:7301", the real port when 0 was asked), "" when off. */
const char *api_server_tcp_name(const struct api_server *srv);

/* Cross-key checks of [api] that the key table cannot express (tcp_listen needs a numeric
 * host:port and a tcp_token of 16+ bytes); 0 or -CCCD_ECONFIG. */
int api_config_check(const struct cccd_config *cfg, struct cccd_err *err);

#endif
