/* SPDX-License-Identifier: MIT */
/* server_int.h - state shared by server.c (sockets, clients) and commands.c (answers). */
#ifndef CCCD_API_SERVER_INT_H
#define CCCD_API_SERVER_INT_H

#include <pthread.h>
#include <sys/types.h>

#include "api/api.h"

#define API_QUEUE_MAX	    256	  /* events posted by other threads, waiting for the loop */
#define API_AUTH_TIMEOUT_MS 10000 /* a TCP client must authenticate within this */

struct api_client {
	struct api_server *srv;
	struct api_client *next_dead; /* on srv->dead until freed outside any callback */
	int fd;
	uint64_t id;	  /* never reused, so a late api_send() cannot hit a newcomer */
	bool tcp;	  /* came in over TCP: must authenticate first */
	bool authed;	  /* may send requests (always true on the Unix socket) */
	bool watch;	  /* receives events */
	bool closing;	  /* close once the output buffer is drained */
	bool discarding;  /* inside an overlong line: skip up to its newline */
	unsigned line_no; /* requests seen, for "line N:" in errors */
	int64_t since_ms; /* accepted at (loop clock), for the TCP auth deadline */
	pid_t pid;	  /* SO_PEERCRED (Unix) or 0 */
	char *in;	  /* partial request line */
	size_t in_len, in_cap;
	char *out; /* queued output: out[out_off .. out_off + out_len) */
	size_t out_off, out_len, out_cap;
};

struct api_event_item {
	cJSON *ev;
	uint64_t requester;
};

struct api_server {
	struct cccd_loop *loop;
	struct cccd_config *cfg; /* live, owned by the daemon */
	struct api_callbacks cb;
	int unix_fd, tcp_fd, wake_fd;
	char path[108];	   /* socket file we created, removed on free */
	char tcp_name[64]; /* "127.0.0.1:7301" as bound (port resolved when 0) */
	struct api_client **slots;
	size_t nslots; /* max_clients at start; not reloadable */
	struct api_client *dead;
	int depth;	      /* > 0 while inside one of our callbacks */
	int auth_timeout_ms;  /* API_AUTH_TIMEOUT_MS; tests shorten it */
	long long auth_timer; /* loop timer id, 0 when no TCP listener */
	uint64_t next_id;
	struct api_stats st;
	pthread_mutex_t qlock; /* guards q, qhead, qlen */
	struct api_event_item q[API_QUEUE_MAX];
	size_t qhead, qlen;
};

/* Answer one parsed request from client c: a new object to send, or NULL with err set (the
 * caller turns it into ERROR "line N: ..."). */
cJSON *api_answer(struct api_server *srv, struct api_client *c, const struct api_request *req,
		  struct cccd_err *err);

/* Queue ev for every watcher plus `requester` (0 = none), skipping `except` (0 = none); returns
 * how many clients got it. */
int api_deliver(struct api_server *srv, const cJSON *ev, uint64_t requester, uint64_t except);

/* The VERSION object sent on connect. */
cJSON *api_version_object(void);

#endif
