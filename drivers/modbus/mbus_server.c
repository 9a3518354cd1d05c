/* SPDX-License-Identifier: MIT */
/*
 * mbus_server.c - Modbus server over libmodbus 3.1 (see mbus.h, docs/modbus.md). One libmodbus
 * context; for TCP each client socket is switched in with modbus_set_socket() before
 * modbus_receive()/modbus_reply(), as libmodbus's own multi-client example does. Writes to
 * registers or discrete inputs get exception 01 (illegal function): only the two coils are
 * writable. Requests for other unit ids are ignored on RTU (libmodbus filters them).
 */
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "modbus/mbus.h"

#ifdef HAVE_LIBMODBUS
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <modbus/modbus.h>

struct mbus_server {
	modbus_t *ctx;
	modbus_mapping_t *mb;
	bool rtu;
	int listen_fd; /* TCP */
	int clients[MBUS_MAX_CLIENTS];
	struct mbus_map map;
};

/* "tcp:HOST:PORT" → host, port; false when malformed. */
static bool split_tcp(const char *uri, char *host, size_t cap, int *port)
{
	const char *colon = strrchr(uri, ':');
	char *end;
	long p;

	if (strncmp(uri, "tcp:", 4) || !colon || colon <= uri + 4 ||
	    (size_t)(colon - uri - 4) >= cap)
		return false;
	p = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || p < 0 || p > 65535)
		return false;
	snprintf(host, cap, "%.*s", (int)(colon - uri - 4), uri + 4);
	*port = (int)p;
	return true;
}

static modbus_t *new_ctx(const char *uri, const struct out_line *l, struct cccd_err *err)
{
	char host[128];
	int port;
	modbus_t *ctx = NULL;

	if (!strncmp(uri, "rtu:", 4))
		ctx = modbus_new_rtu(uri + 4, l->baud, l->parity, l->data_bits, l->stop_bits);
	else if (split_tcp(uri, host, sizeof(host), &port))
		ctx = modbus_new_tcp(host, port);
	else
		cccd_err_set(err, -CCCD_EINVAL, "modbus",
			     "'%.60s': expected tcp:HOST:PORT or rtu:/dev/TTY", uri);
	if (!ctx && !(err && err->code))
		cccd_err_set(err, -CCCD_EINVAL, "modbus", "'%.60s': %s", uri,
			     modbus_strerror(errno));
	return ctx;
}

static int open_side(struct mbus_server *s, const char *uri, struct cccd_err *err)
{
	if (s->rtu) {
		if (modbus_connect(s->ctx))
			return cccd_err_set(err, -CCCD_EIO, "modbus", "%.60s: %s", uri + 4,
					    modbus_strerror(errno));
		return 0;
	}
	s->listen_fd = modbus_tcp_listen(s->ctx, MBUS_MAX_CLIENTS);
	if (s->listen_fd < 0)
		return cccd_err_set(err, -CCCD_EIO, "modbus", "listen %.60s: %s", uri + 4,
				    modbus_strerror(errno));
	return 0;
}

int mbus_server_open(struct mbus_server **out, const char *uri, const struct out_line *line,
		     int unit_id, struct cccd_err *err)
{
	struct mbus_server *s = calloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (!s)
		return cccd_err_set(err, -CCCD_ENOMEM, "modbus", "out of memory");
	s->listen_fd = -1;
	for (int i = 0; i < MBUS_MAX_CLIENTS; i++)
		s->clients[i] = -1;
	mbus_map_init(&s->map);
	s->rtu = !strncmp(uri, "rtu:", 4);
	s->ctx = new_ctx(uri, line, err);
	s->mb = modbus_mapping_new(MBUS_NCOILS, MBUS_NINPUTS, MBUS_NREGS, MBUS_NREGS);
	if (!s->ctx || !s->mb) {
		rc = s->ctx ? cccd_err_set(err, -CCCD_ENOMEM, "modbus", "out of memory")
		     : err  ? err->code
			    : -CCCD_EINVAL;
		goto out_free;
	}
	modbus_set_slave(s->ctx, unit_id);
	rc = open_side(s, uri, err);
	if (rc)
		goto out_free;
	*out = s;
	return 0;
out_free:
	mbus_server_close(s);
	return rc;
}

int mbus_server_port(const struct mbus_server *s)
{
	struct sockaddr_storage a;
	socklen_t l = sizeof(a);

	if (s->listen_fd < 0 || getsockname(s->listen_fd, (struct sockaddr *)&a, &l))
		return -1;
	if (a.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&a)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&a)->sin6_port);
}

struct mbus_map *mbus_server_map(struct mbus_server *s)
{
	return &s->map;
}

static bool is_write_to_readonly(uint8_t fc)
{
	return fc == MODBUS_FC_WRITE_SINGLE_REGISTER || fc == MODBUS_FC_WRITE_MULTIPLE_REGISTERS ||
	       fc == MODBUS_FC_WRITE_AND_READ_REGISTERS || fc == 0x16 /* mask write register */;
}

/* Copy the map into libmodbus's tables, answer, copy coils back. -1 drops the client. */
static int serve_one(struct mbus_server *s)
{
	uint8_t q[MODBUS_TCP_MAX_ADU_LENGTH];
	int n = modbus_receive(s->ctx, q), hl = modbus_get_header_length(s->ctx);

	if (n <= 0)
		return n; /* 0: a request for another unit (RTU), ignored */
	mbus_map_refresh(&s->map, (long)cccd_clock_ms());
	memcpy(s->mb->tab_registers, s->map.regs, sizeof(s->map.regs));
	memcpy(s->mb->tab_input_registers, s->map.regs, sizeof(s->map.regs));
	memcpy(s->mb->tab_bits, s->map.coils, sizeof(s->map.coils));
	memcpy(s->mb->tab_input_bits, s->map.inputs, sizeof(s->map.inputs));
	if (n > hl && is_write_to_readonly(q[hl]))
		return modbus_reply_exception(s->ctx, q, MODBUS_EXCEPTION_ILLEGAL_FUNCTION) < 0 ? -1
												: 0;
	if (modbus_reply(s->ctx, q, n, s->mb) < 0)
		return -1;
	if (n > hl &&
	    (q[hl] == MODBUS_FC_WRITE_SINGLE_COIL || q[hl] == MODBUS_FC_WRITE_MULTIPLE_COILS)) {
		memcpy(s->map.coils, s->mb->tab_bits, sizeof(s->map.coils));
		mbus_map_coils_written(&s->map);
	}
	return 0;
}

static void accept_client(struct mbus_server *s)
{
	int fd = accept(s->listen_fd, NULL, NULL);

	if (fd < 0)
		return;
	for (int i = 0; i < MBUS_MAX_CLIENTS; i++) {
		if (s->clients[i] < 0) {
			s->clients[i] = fd;
			return;
		}
	}
	close(fd); /* full: the client sees the connection closed */
}

static int poll_tcp(struct mbus_server *s, int timeout_ms, struct cccd_err *err)
{
	struct pollfd p[MBUS_MAX_CLIENTS + 1];
	int n;

	p[0] = (struct pollfd){s->listen_fd, POLLIN, 0};
	for (int i = 0; i < MBUS_MAX_CLIENTS; i++)
		p[i + 1] = (struct pollfd){s->clients[i], POLLIN, 0};
	n = poll(p, MBUS_MAX_CLIENTS + 1, timeout_ms);
	if (n < 0 && errno != EINTR)
		return cccd_err_set(err, -CCCD_EIO, "modbus", "poll: %s", strerror(errno));
	for (int i = 0; n > 0 && i < MBUS_MAX_CLIENTS; i++) {
		if (s->clients[i] < 0 || !(p[i + 1].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		modbus_set_socket(s->ctx, s->clients[i]);
		if (serve_one(s) < 0) {
			close(s->clients[i]);
			s->clients[i] = -1;
		}
	}
	if (n > 0 && (p[0].revents & POLLIN))
		accept_client(s);
	return 0;
}

static int poll_rtu(struct mbus_server *s, int timeout_ms, struct cccd_err *err)
{
	struct pollfd p = {modbus_get_socket(s->ctx), POLLIN, 0};
	int n = poll(&p, 1, timeout_ms);

	if (n < 0 && errno != EINTR)
		return cccd_err_set(err, -CCCD_EIO, "modbus", "poll: %s", strerror(errno));
	if (n > 0 && serve_one(s) < 0)
		modbus_flush(s->ctx); /* a garbled frame: resynchronise on the next silence */
	return 0;
}

int mbus_server_poll(struct mbus_server *s, int timeout_ms, struct cccd_err *err)
{
	return s->rtu ? poll_rtu(s, timeout_ms, err) : poll_tcp(s, timeout_ms, err);
}

void mbus_server_close(struct mbus_server *s)
{
	if (!s)
		return;
	for (int i = 0; i < MBUS_MAX_CLIENTS; i++)
		if (s->clients[i] >= 0)
			close(s->clients[i]);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	if (s->ctx) {
		if (s->rtu)
			modbus_close(s->ctx);
		modbus_free(s->ctx);
	}
	modbus_mapping_free(s->mb);
	free(s);
}

#else /* !HAVE_LIBMODBUS */

struct mbus_server {
	struct mbus_map map;
};

int mbus_server_open(struct mbus_server **out, const char *uri, const struct out_line *line,
		     int unit_id, struct cccd_err *err)
{
	(void)uri;
	(void)line;
	(void)unit_id;
	*out = NULL;
	return cccd_err_set(err, -CCCD_ENOTSUP, "modbus", "built without libmodbus");
}

int mbus_server_port(const struct mbus_server *s)
{
	(void)s;
	return -1;
}

int mbus_server_poll(struct mbus_server *s, int timeout_ms, struct cccd_err *err)
{
	(void)s;
	(void)timeout_ms;
	return cccd_err_set(err, -CCCD_ENOTSUP, "modbus", "built without libmodbus");
}

struct mbus_map *mbus_server_map(struct mbus_server *s)
{
	return &s->map;
}

void mbus_server_close(struct mbus_server *s)
{
	free(s);
}
#endif
