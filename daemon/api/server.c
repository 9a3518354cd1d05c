/* SPDX-License-Identifier: MIT */
/*
 * server.c - sockets and clients of the local API (protocol: docs/api.md; seam: api.h).
 *
 * One loop thread, non-blocking sockets, no thread per client. Each client has a bounded input
 * buffer (api.max_line + 1) and a bounded output buffer (api.client_buffer): a request line that
 * does not fit is answered with ERROR and skipped up to its newline; an event that does not fit
 * drops that client (logged), so one client that stops reading never slows the others.
 * Session:  C connects → S {"class":"VERSION","release":"0.1.0","proto_major":1,"proto_minor":0}
 *           C {"cmd":"watch","enable":true} → S {"class":"WATCH","enable":true}, then events.
 * TCP (off by default): nothing is sent until the first line, {"cmd":"auth","token":"..."},
 * matches api.tcp_token (compared in constant time over SHA-256 digests) within 10 s; else
 * ERROR and close, so that unauthenticated peers cannot sit on client slots.
 * Clients are freed only outside our own callbacks (srv->dead), so closing one while its lines or
 * a broadcast are being processed never leaves a dangling pointer.
 */
#define _GNU_SOURCE /* accept4, struct ucred */
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <mbedtls/sha256.h>

#include "api/server_int.h"
#include "core/log.h"

#define ACCEPTS_PER_EVENT 32
#define READS_PER_EVENT	  8

static void client_close(struct api_client *c, const char *why);
static void client_flush(struct api_client *c);

/* ---- output ---- */

/* Queue n bytes for c; drop c when its buffer would overflow. 0, or -CCCD_ENOSPC (dropped). */
static int client_write(struct api_client *c, const char *s, size_t n)
{
	if (c->fd < 0)
		return -CCCD_ENOENT;
	if (c->out_off + c->out_len + n > c->out_cap && c->out_off) {
		memmove(c->out, c->out + c->out_off, c->out_len);
		c->out_off = 0;
	}
	if (n > c->out_cap - c->out_len) {
		cccd_warn("api: client %llu (pid %d) is not reading: %zu bytes queued, dropped",
			  (unsigned long long)c->id, (int)c->pid, c->out_len);
		c->srv->st.dropped_slow++;
		client_close(c, "output buffer full");
		return -CCCD_ENOSPC;
	}
	memcpy(c->out + c->out_off + c->out_len, s, n);
	c->out_len += n;
	client_flush(c);
	return 0;
}

/* Print obj as one line and queue it. */
static int client_send_obj(struct api_client *c, const cJSON *obj)
{
	char *text = obj ? cJSON_PrintUnformatted(obj) : NULL;
	size_t n;
	int rc;

	if (!text)
		return -CCCD_ENOMEM;
	n = strlen(text);
	text[n] = '\n'; /* replaces the NUL: the length is kept in n */
	rc = client_write(c, text, n + 1);
	cJSON_free(text);
	return rc;
}

static void client_send_error(struct api_client *c, unsigned line, const char *msg)
{
	char full[224];
	cJSON *e;

	if (line)
		snprintf(full, sizeof(full), "line %u: %s", line, msg);
	else
		snprintf(full, sizeof(full), "%s", msg);
	e = api_error_object(full);
	if (e && line)
		cJSON_AddNumberToObject(e, "line", line);
	if (e)
		client_send_obj(c, e);
	cJSON_Delete(e);
}

static void client_flush(struct api_client *c)
{
	while (c->out_len) {
		ssize_t w = send(c->fd, c->out + c->out_off, c->out_len, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (w <= 0) {
			client_close(c, w < 0 ? strerror(errno) : "write returned 0");
			return;
		}
		c->out_off += (size_t)w;
		c->out_len -= (size_t)w;
	}
	if (!c->out_len) {
		c->out_off = 0;
		if (c->closing) {
			client_close(c, "closed by server");
			return;
		}
	}
	(void)cccd_loop_mod_fd(c->srv->loop, c->fd,
			       CCCD_EV_READ | (c->out_len ? CCCD_EV_WRITE : 0u));
}

/* ---- input ---- */

static bool token_ok(const struct api_server *srv, const char *token)
{
	unsigned char a[32], b[32];
	const char *want = srv->cfg->api.tcp_token;
	unsigned diff = 0;

	if (!want[0])
		return false;
	if (mbedtls_sha256_ret((const unsigned char *)token, strlen(token), a, 0) ||
	    mbedtls_sha256_ret((const unsigned char *)want, strlen(want), b, 0))
		return false;
	for (size_t i = 0; i < sizeof(a); i++)
		diff |= (unsigned)(a[i] ^ b[i]);
	return diff == 0;
}

static void send_version(struct api_client *c)
{
	cJSON *v = api_version_object();

	if (v)
		client_send_obj(c, v);
	cJSON_Delete(v);
}

static void handle_auth(struct api_client *c, const struct api_request *req, int rc)
{
	if (rc == 0 && req->cmd == API_CMD_AUTH && token_ok(c->srv, req->token)) {
		c->authed = true;
		cccd_info("api: client %llu authenticated", (unsigned long long)c->id);
		send_version(c);
		return;
	}
	c->srv->st.auth_failed++;
	cccd_warn("api: client %llu: %s, closing", (unsigned long long)c->id,
		  rc == 0 && req->cmd == API_CMD_AUTH ? "wrong token" : "no auth line");
	client_send_error(
	    c, c->line_no,
	    rc == 0 && req->cmd == API_CMD_AUTH
		? "auth: wrong token"
		: "auth required: first line must be {\"cmd\":\"auth\",\"token\":...}");
	c->closing = true;
	client_flush(c);
}

static void handle_line(struct api_client *c, const char *line, size_t len)
{
	struct api_request req;
	struct cccd_err err = {0};
	cJSON *answer;
	int rc;

	if (len && line[len - 1] == '\r')
		len--;
	c->line_no++;
	rc = api_request_parse((const uint8_t *)line, len, &req, &err);
	if (c->tcp && !c->authed) {
		handle_auth(c, &req, rc);
		return;
	}
	if (rc) {
		c->srv->st.bad_requests++;
		client_send_error(c, c->line_no, err.msg);
		return;
	}
	answer = api_answer(c->srv, c, &req, &err);
	if (!answer) {
		c->srv->st.bad_requests++;
		client_send_error(c, c->line_no, err.msg[0] ? err.msg : "out of memory");
		return;
	}
	client_send_obj(c, answer);
	cJSON_Delete(answer);
}

/* Hand every complete line in c->in to handle_line and keep the rest. */
static void split_lines(struct api_client *c)
{
	size_t start = 0;
	char *nl;

	while (c->fd >= 0 && !c->closing &&
	       (nl = memchr(c->in + start, '\n', c->in_len - start)) != NULL) {
		size_t len = (size_t)(nl - (c->in + start));

		if (c->discarding)
			c->discarding = false; /* the end of an overlong line, already answered */
		else if (len && !(len == 1 && c->in[start] == '\r'))
			handle_line(c, c->in + start, len);
		start += len + 1;
	}
	if (start) {
		memmove(c->in, c->in + start, c->in_len - start);
		c->in_len -= start;
	}
	if (c->fd >= 0 && c->in_len == c->in_cap) { /* full and no newline: overlong */
		char msg[96];

		c->line_no += c->discarding ? 0 : 1;
		if (!c->discarding) {
			snprintf(msg, sizeof(msg), "longer than %zu bytes, discarded",
				 c->in_cap - 1);
			c->srv->st.bad_requests++;
			client_send_error(c, c->line_no, msg);
		}
		c->discarding = true;
		c->in_len = 0;
	}
}

static void client_read(struct api_client *c)
{
	for (int i = 0; i < READS_PER_EVENT && c->fd >= 0 && !c->closing; i++) {
		ssize_t r = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (r <= 0) {
			client_close(c, r < 0 ? strerror(errno) : "end of stream");
			return;
		}
		c->in_len += (size_t)r;
		split_lines(c);
	}
}

/* ---- client lifetime ---- */

static void reap(struct api_server *srv)
{
	if (srv->depth)
		return;
	while (srv->dead) {
		struct api_client *c = srv->dead;

		srv->dead = c->next_dead;
		free(c->in);
		free(c->out);
		free(c);
	}
}

static void client_close(struct api_client *c, const char *why)
{
	struct api_server *srv = c->srv;

	if (c->fd < 0)
		return;
	cccd_info("api: client %llu disconnected (%s)", (unsigned long long)c->id, why);
	cccd_loop_del_fd(srv->loop, c->fd);
	close(c->fd);
	c->fd = -1;
	for (size_t i = 0; i < srv->nslots; i++)
		if (srv->slots[i] == c)
			srv->slots[i] = NULL;
	c->next_dead = srv->dead;
	srv->dead = c;
}

static void on_client(struct cccd_loop *loop, int fd, unsigned events, void *ctx)
{
	struct api_client *c = ctx;
	struct api_server *srv = c->srv;

	(void)loop;
	(void)fd;
	srv->depth++;
	if (events & CCCD_EV_WRITE)
		client_flush(c);
	if ((events & CCCD_EV_READ) && c->fd >= 0 && !c->closing)
		client_read(c);
	else if ((events & CCCD_EV_READ) && c->fd >= 0) /* closing: drain and ignore input */
		client_flush(c);
	srv->depth--;
	reap(srv);
}

static void log_peer(struct api_client *c)
{
	struct ucred cr;
	socklen_t l = sizeof(cr);

	if (!c->tcp && getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &cr, &l) == 0) {
		cccd_info("api: client %llu connected (uid %u gid %u pid %d)",
			  (unsigned long long)c->id, (unsigned)cr.uid, (unsigned)cr.gid,
			  (int)cr.pid);
		c->pid = cr.pid;
		return;
	}
	struct sockaddr_storage ss;
	char host[64] = "?", port[16] = "?";

	l = sizeof(ss);
	if (getpeername(c->fd, (struct sockaddr *)&ss, &l) == 0)
		(void)getnameinfo((struct sockaddr *)&ss, l, host, sizeof(host), port, sizeof(port),
				  NI_NUMERICHOST | NI_NUMERICSERV);
	cccd_info("api: client %llu connected (tcp %s port %s)", (unsigned long long)c->id, host,
		  port);
}

static struct api_client *client_new(struct api_server *srv, int fd, bool tcp)
{
	struct api_client *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->srv = srv;
	c->fd = fd;
	c->id = ++srv->next_id;
	c->tcp = tcp;
	c->authed = !tcp;
	c->in_cap = (size_t)srv->cfg->api.max_line + 1;
	c->out_cap = (size_t)srv->cfg->api.client_buffer;
	c->in = malloc(c->in_cap);
	c->out = malloc(c->out_cap);
	if (!c->in || !c->out) {
		free(c->in);
		free(c->out);
		free(c);
		return NULL;
	}
	return c;
}

/* Turn a connection away: one ERROR line, best effort, then close. */
static void refuse(struct api_server *srv, int fd, const char *msg)
{
	char line[160];
	int n = snprintf(line, sizeof(line), "{\"class\":\"ERROR\",\"message\":\"%s\"}\n", msg);

	srv->st.refused++;
	if (n > 0 && (size_t)n < sizeof(line))
		(void)!send(fd, line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
	close(fd);
}

static size_t free_slot(const struct api_server *srv)
{
	for (size_t i = 0; i < srv->nslots; i++)
		if (!srv->slots[i])
			return i;
	return srv->nslots;
}

static void accept_one(struct api_server *srv, int fd, bool tcp)
{
	size_t slot = free_slot(srv);
	struct api_client *c;
	struct cccd_err err = {0};
	char msg[64];

	if (slot == srv->nslots) {
		snprintf(msg, sizeof(msg), "too many clients (max_clients %zu)", srv->nslots);
		cccd_warn("api: connection refused: %s", msg);
		refuse(srv, fd, msg);
		return;
	}
	c = client_new(srv, fd, tcp);
	if (!c) {
		refuse(srv, fd, "out of memory");
		return;
	}
	if (cccd_loop_set_fd(srv->loop, fd, CCCD_EV_READ, on_client, c, &err)) {
		cccd_warn("api: connection refused: %s", err.msg);
		refuse(srv, fd, "server busy");
		free(c->in);
		free(c->out);
		free(c);
		return;
	}
	srv->slots[slot] = c;
	srv->st.accepted++;
	c->since_ms = cccd_loop_now_ms();
	log_peer(c);
	if (!tcp)
		send_version(c);
}

static void on_accept(struct cccd_loop *loop, int lfd, unsigned events, void *ctx)
{
	struct api_server *srv = ctx;

	(void)loop;
	(void)events;
	srv->depth++;
	for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				cccd_warn("api: accept: %s", strerror(errno));
			break;
		}
		accept_one(srv, fd, lfd == srv->tcp_fd);
	}
	srv->depth--;
	reap(srv);
}

/* ---- events from the pipeline ---- */

cJSON *api_error_object(const char *msg)
{
	cJSON *e = cJSON_CreateObject();

	if (e && (!cJSON_AddStringToObject(e, "class", "ERROR") ||
		  !cJSON_AddStringToObject(e, "message", msg))) {
		cJSON_Delete(e);
		return NULL;
	}
	return e;
}

static struct api_client *find_client(const struct api_server *srv, uint64_t id)
{
	for (size_t i = 0; i < srv->nslots; i++)
		if (srv->slots[i] && srv->slots[i]->id == id)
			return srv->slots[i];
	return NULL;
}

int api_deliver(struct api_server *srv, const cJSON *ev, uint64_t requester, uint64_t except)
{
	char *text = cJSON_PrintUnformatted(ev);
	size_t n;
	int count = 0;

	if (!text)
		return -CCCD_ENOMEM;
	n = strlen(text);
	text[n] = '\n';
	srv->depth++;
	srv->st.events++;
	for (size_t i = 0; i < srv->nslots; i++) {
		struct api_client *c = srv->slots[i];

		if (!c || !c->authed || c->closing || c->id == except ||
		    !(c->watch || (requester && c->id == requester)))
			continue;
		if (client_write(c, text, n + 1) == 0)
			count++;
	}
	srv->depth--;
	cJSON_free(text);
	reap(srv);
	return count;
}

int api_broadcast(struct api_server *srv, const cJSON *event)
{
	return api_deliver(srv, event, 0, 0);
}

int api_send(struct api_server *srv, uint64_t client, const cJSON *obj)
{
	struct api_client *c = find_client(srv, client);
	int rc;

	if (!c)
		return -CCCD_ENOENT;
	srv->depth++;
	rc = client_send_obj(c, obj);
	srv->depth--;
	reap(srv);
	return rc;
}

int api_emit_event(struct api_server *srv, cJSON *event, uint64_t requester)
{
	uint64_t one = 1;
	int rc = 0;

	pthread_mutex_lock(&srv->qlock);
	if (srv->qlen == API_QUEUE_MAX) {
		rc = -CCCD_ENOSPC;
	} else {
		srv->q[(srv->qhead + srv->qlen) % API_QUEUE_MAX] =
		    (struct api_event_item){event, requester};
		srv->qlen++;
	}
	pthread_mutex_unlock(&srv->qlock);
	if (rc) {
		cJSON_Delete(event);
		return rc;
	}
	(void)!write(srv->wake_fd, &one, sizeof(one)); /* a full counter still wakes the loop */
	return 0;
}

static void on_wake(struct cccd_loop *loop, int fd, unsigned events, void *ctx)
{
	struct api_server *srv = ctx;
	struct api_event_item item;
	uint64_t v;

	(void)loop;
	(void)events;
	(void)!read(fd, &v, sizeof(v));
	for (;;) {
		pthread_mutex_lock(&srv->qlock);
		if (!srv->qlen) {
			pthread_mutex_unlock(&srv->qlock);
			return;
		}
		item = srv->q[srv->qhead];
		srv->qhead = (srv->qhead + 1) % API_QUEUE_MAX;
		srv->qlen--;
		pthread_mutex_unlock(&srv->qlock);
		api_deliver(srv, item.ev, item.requester, 0);
		cJSON_Delete(item.ev);
	}
}

/* ---- listeners ---- */

/* Give the socket file to [api] socket_group; keep our own group (and say so) when we cannot. */
static void set_group(const char *path, const char *group)
{
	struct group gr, *res = NULL;
	char buf[1024];

	if (!group[0])
		return;
	if (getgrnam_r(group, &gr, buf, sizeof(buf), &res) != 0 || !res) {
		cccd_warn("api: group '%s' does not exist: %s keeps group %u", group, path,
			  (unsigned)getegid());
		return;
	}
	if (chown(path, (uid_t)-1, gr.gr_gid) < 0)
		cccd_warn("api: chown %s to group '%s': %s: keeps group %u", path, group,
			  strerror(errno), (unsigned)getegid());
}

/* A socket file exists at path: refuse if a daemon answers there, else remove the stale file. */
static int clear_stale(const struct sockaddr_un *sa, struct cccd_err *err)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int live;

	if (fd < 0)
		return cccd_err_set(err, -CCCD_EIO, "api", "socket: %s", strerror(errno));
	live = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
	close(fd);
	if (live)
		return cccd_err_set(err, -CCCD_EIO, "api", "%.100s: another daemon is listening",
				    sa->sun_path);
	if (unlink(sa->sun_path) < 0 && errno != ENOENT)
		return cccd_err_set(err, -CCCD_EIO, "api", "unlink %.100s: %s", sa->sun_path,
				    strerror(errno));
	return 0;
}

static int listen_unix(struct api_server *srv, struct cccd_err *err)
{
	const struct cccd_config *cfg = srv->cfg;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	mode_t old;
	int fd, rc;

	if (!cfg->api.socket[0] || strlen(cfg->api.socket) >= sizeof(sa.sun_path))
		return cccd_err_set(err, -CCCD_ECONFIG, "api", "[api] socket: empty or too long");
	memcpy(sa.sun_path, cfg->api.socket, strlen(cfg->api.socket) + 1);
	rc = clear_stale(&sa, err);
	if (rc)
		return rc;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return cccd_err_set(err, -CCCD_EIO, "api", "socket: %s", strerror(errno));
	old = umask(0177); /* nobody else may connect before chmod below */
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0 || listen(fd, SOMAXCONN) < 0) {
		rc = cccd_err_set(err, -CCCD_EIO, "api", "bind %.100s: %s", sa.sun_path,
				  strerror(errno));
		close(fd);
		return rc;
	}
	memcpy(srv->path, sa.sun_path, sizeof(srv->path));
	srv->unix_fd = fd;
	set_group(srv->path, cfg->api.socket_group);
	if (chmod(srv->path, (mode_t)cfg->api.socket_mode) < 0)
		return cccd_err_set(err, -CCCD_EIO, "api", "chmod %.100s: %s", srv->path,
				    strerror(errno));
	return 0;
}

/* "127.0.0.1:7301" or "[::1]:7301" into host and port. */
static int split_hostport(const char *s, char *host, size_t hl, char *port, size_t pl,
			  struct cccd_err *err)
{
	const char *colon = strrchr(s, ':');
	const char *h = s;
	size_t n;

	if (!colon || !colon[1] || strlen(colon + 1) >= pl)
		return cccd_err_set(err, -CCCD_ECONFIG, "api",
				    "[api] tcp_listen: expected host:port, got \"%.40s\"", s);
	n = (size_t)(colon - s);
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		h = s + 1;
		n -= 2;
	}
	if (n == 0 || n >= hl)
		return cccd_err_set(err, -CCCD_ECONFIG, "api",
				    "[api] tcp_listen: expected host:port, got \"%.40s\"", s);
	memcpy(host, h, n);
	host[n] = '\0';
	memcpy(port, colon + 1, strlen(colon + 1) + 1);
	return 0;
}

static bool is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr);
	return false;
}

int api_config_check(const struct cccd_config *cfg, struct cccd_err *err)
{
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
				 .ai_socktype = SOCK_STREAM};
	struct addrinfo *ai = NULL;
	char host[64], port[16];
	int rc;

	if (!cfg->api.tcp_listen[0])
		return 0;
	rc = split_hostport(cfg->api.tcp_listen, host, sizeof(host), port, sizeof(port), err);
	if (rc)
		return rc;
	if (getaddrinfo(host, port, &hints, &ai) != 0 || !ai)
		return cccd_err_set(err, -CCCD_ECONFIG, "api",
				    "[api] tcp_listen: \"%.40s\" is not a numeric address and port",
				    cfg->api.tcp_listen);
	freeaddrinfo(ai);
	if (strlen(cfg->api.tcp_token) < 16)
		return cccd_err_set(err, -CCCD_ECONFIG, "api",
				    "[api] tcp_listen needs a tcp_token of at least 16 bytes");
	return 0;
}

static int bind_tcp(struct api_server *srv, const struct addrinfo *ai, struct cccd_err *err)
{
	int one = 1, fd;
	char host[64] = "?", port[16] = "?";
	struct sockaddr_storage ss;
	socklen_t l = sizeof(ss);

	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return cccd_err_set(err, -CCCD_EIO, "api", "socket: %s", strerror(errno));
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, SOMAXCONN) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &l) < 0) {
		int rc = cccd_err_set(err, -CCCD_EIO, "api", "tcp_listen %.40s: %s",
				      srv->cfg->api.tcp_listen, strerror(errno));
		close(fd);
		return rc;
	}
	(void)getnameinfo((struct sockaddr *)&ss, l, host, sizeof(host), port, sizeof(port),
			  NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(srv->tcp_name, sizeof(srv->tcp_name),
		 ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, port);
	if (!is_loopback(ai->ai_addr))
		cccd_warn("api: TCP listener on %s is reachable from the network (plain text)",
			  srv->tcp_name);
	cccd_info("api: listening on tcp %s", srv->tcp_name);
	srv->tcp_fd = fd;
	return 0;
}

static int listen_tcp(struct api_server *srv, struct cccd_err *err)
{
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
				 .ai_socktype = SOCK_STREAM};
	struct addrinfo *ai = NULL;
	char host[64], port[16];
	int rc;

	if (!srv->cfg->api.tcp_listen[0])
		return 0;
	rc = api_config_check(srv->cfg, err);
	if (rc)
		return rc;
	rc = split_hostport(srv->cfg->api.tcp_listen, host, sizeof(host), port, sizeof(port), err);
	if (rc)
		return rc;
	if (getaddrinfo(host, port, &hints, &ai) != 0 || !ai)
		return cccd_err_set(err, -CCCD_ECONFIG, "api", "[api] tcp_listen: bad address");
	rc = bind_tcp(srv, ai, err);
	freeaddrinfo(ai);
	return rc;
}

/* ---- server lifetime ---- */

/* Close TCP clients that hold a slot without authenticating. */
static int on_auth_timer(struct cccd_loop *loop, long long id, void *ctx)
{
	struct api_server *srv = ctx;
	int64_t now = cccd_loop_now_ms();

	(void)loop;
	(void)id;
	srv->depth++;
	for (size_t i = 0; i < srv->nslots; i++) {
		struct api_client *c = srv->slots[i];

		if (!c || !c->tcp || c->authed || c->closing ||
		    now - c->since_ms < srv->auth_timeout_ms)
			continue;
		srv->st.auth_failed++;
		cccd_warn("api: client %llu: no auth line in %d ms, closing",
			  (unsigned long long)c->id, srv->auth_timeout_ms);
		client_send_error(c, 0, "auth: timed out");
		c->closing = true;
		if (c->fd >= 0)
			client_flush(c);
	}
	srv->depth--;
	reap(srv);
	return srv->auth_timeout_ms < 1000 ? srv->auth_timeout_ms : 1000;
}

static int register_fds(struct api_server *srv, struct cccd_err *err)
{
	int rc;

	srv->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (srv->wake_fd < 0)
		return cccd_err_set(err, -CCCD_EIO, "api", "eventfd: %s", strerror(errno));
	rc = cccd_loop_set_fd(srv->loop, srv->wake_fd, CCCD_EV_READ, on_wake, srv, err);
	if (!rc)
		rc = cccd_loop_set_fd(srv->loop, srv->unix_fd, CCCD_EV_READ, on_accept, srv, err);
	if (!rc && srv->tcp_fd >= 0)
		rc = cccd_loop_set_fd(srv->loop, srv->tcp_fd, CCCD_EV_READ, on_accept, srv, err);
	if (!rc && srv->tcp_fd >= 0) {
		srv->auth_timer = cccd_loop_add_timer(srv->loop, 1000, on_auth_timer, srv);
		if (srv->auth_timer < 0)
			rc = cccd_err_set(err, -CCCD_ENOSPC, "api", "no timer slot");
	}
	return rc;
}

int api_server_new(struct api_server **out, struct cccd_loop *loop, struct cccd_config *cfg,
		   const struct api_callbacks *cb, struct cccd_err *err)
{
	struct api_server *srv = calloc(1, sizeof(*srv));
	int rc;

	if (!srv)
		return cccd_err_set(err, -CCCD_ENOMEM, "api", "out of memory");
	srv->loop = loop;
	srv->cfg = cfg;
	srv->cb = cb ? *cb : (struct api_callbacks){0};
	srv->unix_fd = srv->tcp_fd = srv->wake_fd = -1;
	srv->nslots = (size_t)cfg->api.max_clients;
	srv->auth_timeout_ms = API_AUTH_TIMEOUT_MS;
	pthread_mutex_init(&srv->qlock, NULL);
	srv->slots = calloc(srv->nslots, sizeof(*srv->slots));
	if (!srv->slots) {
		api_server_free(srv);
		return cccd_err_set(err, -CCCD_ENOMEM, "api", "out of memory");
	}
	rc = listen_unix(srv, err);
	if (!rc)
		rc = listen_tcp(srv, err);
	if (!rc)
		rc = register_fds(srv, err);
	if (rc) {
		api_server_free(srv);
		return rc;
	}
	cccd_info("api: listening on %s (mode %04o, max %zu clients)", srv->path,
		  (unsigned)cfg->api.socket_mode, srv->nslots);
	*out = srv;
	return 0;
}

static void close_listener(struct api_server *srv, int *fd)
{
	if (*fd < 0)
		return;
	cccd_loop_del_fd(srv->loop, *fd);
	close(*fd);
	*fd = -1;
}

void api_server_free(struct api_server *srv)
{
	if (!srv)
		return;
	for (size_t i = 0; srv->slots && i < srv->nslots; i++)
		if (srv->slots[i])
			client_close(srv->slots[i], "server shutting down");
	srv->depth = 0;
	reap(srv);
	if (srv->auth_timer > 0)
		cccd_loop_del_timer(srv->loop, srv->auth_timer);
	close_listener(srv, &srv->unix_fd);
	close_listener(srv, &srv->tcp_fd);
	close_listener(srv, &srv->wake_fd);
	if (srv->path[0] && unlink(srv->path) < 0 && errno != ENOENT)
		cccd_warn("api: unlink %s: %s", srv->path, strerror(errno));
	while (srv->qlen) {
		cJSON_Delete(srv->q[srv->qhead].ev);
		srv->qhead = (srv->qhead + 1) % API_QUEUE_MAX;
		srv->qlen--;
	}
	pthread_mutex_destroy(&srv->qlock);
	free(srv->slots);
	free(srv);
}

void api_server_stats(const struct api_server *srv, struct api_stats *st)
{
	*st = srv->st;
	st->clients = st->watchers = 0;
	for (size_t i = 0; i < srv->nslots; i++) {
		if (!srv->slots[i])
			continue;
		st->clients++;
		st->watchers += srv->slots[i]->watch;
	}
}

const char *api_server_tcp_name(const struct api_server *srv)
{
	return srv->tcp_name;
}
