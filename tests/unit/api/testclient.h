/* SPDX-License-Identifier: MIT */
/*
 * testclient.h - a blocking JSON-lines client for the API tests (static inline: each test file
 * uses a different subset). Every wait has a deadline so a broken server fails the test instead
 * of hanging it; no test asserts on elapsed time.
 */
#ifndef CCCD_TESTCLIENT_H
#define CCCD_TESTCLIENT_H

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#define TC_DEADLINE_MS 10000 /* generous: sanitizers and 6 people on 2 cores */

static inline long long tc_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Connect to a Unix socket; -1 on failure (errno kept). */
static inline int tc_connect_unix(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (strlen(path) >= sizeof(sa.sun_path))
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static inline int tc_connect_tcp(int port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Send s plus a newline; 0 or -1. */
static inline int tc_send(int fd, const char *s)
{
	size_t n = strlen(s);

	if (send(fd, s, n, MSG_NOSIGNAL) != (ssize_t)n)
		return -1;
	return send(fd, "\n", 1, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

/* Read one line (without '\n'); MSG_PEEK first so nothing past the line is consumed.
 * Returns its length, 0 at end of stream, -1 on error or when the deadline passes. */
static inline int tc_readline(int fd, char *buf, size_t len)
{
	long long end = tc_now_ms() + TC_DEADLINE_MS;

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		long long left = end - tc_now_ms();
		ssize_t r;
		char *nl;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return -1;
		r = recv(fd, buf, len - 1, MSG_PEEK);
		if (r <= 0)
			return r == 0 ? 0 : -1;
		nl = memchr(buf, '\n', (size_t)r);
		if (!nl) {
			if ((size_t)r == len - 1)
				return -1; /* longer than buf */
			poll(NULL, 0, 1);  /* partial line: let the rest arrive */
			continue;
		}
		r = recv(fd, buf, (size_t)(nl - buf) + 1, 0);
		if (r <= 0)
			return -1;
		buf[r - 1] = '\0';
		return (int)r - 1;
	}
}

/* Read one line as JSON; NULL on error, end of stream or bad JSON. Caller frees. */
static inline cJSON *tc_read_obj(int fd)
{
	static char buf[1 << 16];
	int n = tc_readline(fd, buf, sizeof(buf));

	return n > 0 ? cJSON_Parse(buf) : NULL;
}

static inline const char *tc_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static inline double tc_num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* Read one object and check its class; returns it (caller frees) or NULL on mismatch. */
static inline cJSON *tc_expect(int fd, const char *cls)
{
	cJSON *o = tc_read_obj(fd);

	if (o && strcmp(tc_str(o, "class"), cls) != 0) {
		char *t = cJSON_PrintUnformatted(o);
		fprintf(stderr, "expected class %s, got %s\n", cls, t ? t : "?");
		cJSON_free(t);
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* Send a request and return the answer if it has class cls (caller frees). */
static inline cJSON *tc_ask(int fd, const char *req, const char *cls)
{
	if (tc_send(fd, req))
		return NULL;
	return tc_expect(fd, cls);
}

/* True when the peer closed: reads (and discards) until end of stream within the deadline. */
static inline bool tc_wait_eof(int fd)
{
	char buf[4096];
	long long end = tc_now_ms() + TC_DEADLINE_MS;

	while (tc_now_ms() < end) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 100) < 0)
			return false;
		if (!p.revents)
			continue;
		ssize_t r = recv(fd, buf, sizeof(buf), 0);
		if (r == 0 || (r < 0 && errno == ECONNRESET))
			return true;
		if (r < 0)
			return false;
	}
	return false;
}

#endif
