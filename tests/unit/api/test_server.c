/* SPDX-License-Identifier: MIT */
/*
 * test_server.c - the API server in-process: a loop thread runs it on a temporary socket, the
 * test thread is its clients (testclient.h) and its pipeline (api_emit_event, test callbacks).
 * Counts are asserted, never durations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "api/api.h"
#include "api/server_int.h" /* auth_timeout_ms, shortened for one test */
#include "api/testclient.h"
#include "core/log.h"

struct fix {
	char dir[64];
	char path[96];
	struct cccd_config cfg;
	struct cccd_loop *loop;
	struct api_server *srv;
	pthread_t th;
	atomic_bool stop;
	int changed; /* config_changed calls (read after join or via the socket only) */
};

/* The test pipeline: CAN 000000 is refused; any other read is answered with a RESULT sent to
 * the requester (and watchers) through the thread-safe path, as the real pipeline will. */
static int t_read(void *ctx, uint64_t client, const struct api_key *key, struct cccd_err *err)
{
	struct fix *f = ctx;
	cJSON *ev;

	if (key->kind == API_KEY_CAN && !strcmp(key->can, "000000"))
		return cccd_err_set(err, -CCCD_EAUTH, "pipeline",
				    "read: access denied by the card");
	ev = cJSON_CreateObject();
	cJSON_AddStringToObject(ev, "class", "RESULT");
	cJSON_AddStringToObject(ev, "device", "test");
	cJSON_AddNumberToObject(ev, "key_kind", key->kind);
	return api_emit_event(f->srv, ev, client);
}

static int t_devices(void *ctx, cJSON *arr, struct cccd_err *err)
{
	cJSON *d = cJSON_CreateObject();

	(void)ctx;
	(void)err;
	cJSON_AddStringToObject(d, "path", "sim:card.json");
	cJSON_AddStringToObject(d, "kind", "reader");
	cJSON_AddItemToArray(arr, d);
	return 0;
}

static void t_changed(void *ctx, const char *name)
{
	struct fix *f = ctx;

	(void)name;
	f->changed++;
}

static void *loop_thread(void *arg)
{
	struct fix *f = arg;

	while (!atomic_load(&f->stop))
		cccd_loop_run_once(f->loop, 20);
	return NULL;
}

/* Start a server; tweak may change the config first, auth_ms > 0 shortens the TCP deadline. */
static struct fix *start_ms(void (*tweak)(struct cccd_config *), int auth_ms)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct cccd_err err = {0};
	struct api_callbacks cb = {
	    .read = t_read, .devices = t_devices, .config_changed = t_changed};

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/cccd-api-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/api.sock", f->dir);
	cccd_config_defaults(&f->cfg);
	snprintf(f->cfg.api.socket, sizeof(f->cfg.api.socket), "%s", f->path);
	if (tweak)
		tweak(&f->cfg);
	cb.ctx = f;
	assert_int_equal(cccd_loop_new(&f->loop, f->cfg.api.max_clients + 64, &err), 0);
	if (api_server_new(&f->srv, f->loop, &f->cfg, &cb, &err))
		fail_msg("api_server_new: %s", err.msg);
	if (auth_ms > 0)
		f->srv->auth_timeout_ms = auth_ms; /* before the loop thread exists: no race */
	assert_int_equal(pthread_create(&f->th, NULL, loop_thread, f), 0);
	return f;
}

static struct fix *start(void (*tweak)(struct cccd_config *))
{
	return start_ms(tweak, 0);
}

static void stop(struct fix *f)
{
	struct stat st;

	atomic_store(&f->stop, true);
	pthread_join(f->th, NULL);
	api_server_free(f->srv);
	assert_int_not_equal(stat(f->path, &st), 0); /* socket file removed */
	cccd_loop_free(f->loop);
	rmdir(f->dir);
	free(f);
}

/* Connect and consume the VERSION greeting. */
static int client(struct fix *f)
{
	int fd = tc_connect_unix(f->path);
	cJSON *v;

	assert_true(fd >= 0);
	v = tc_expect(fd, "VERSION");
	assert_non_null(v);
	cJSON_Delete(v);
	return fd;
}

static void emit(struct fix *f, const char *cls, int seq, size_t pad)
{
	cJSON *ev = cJSON_CreateObject();
	char *p = malloc(pad + 1);

	assert_non_null(p);
	memset(p, 'x', pad);
	p[pad] = '\0';
	cJSON_AddStringToObject(ev, "class", cls);
	cJSON_AddNumberToObject(ev, "seq", seq);
	if (pad)
		cJSON_AddStringToObject(ev, "pad", p);
	free(p);
	assert_int_equal(api_emit_event(f->srv, ev, 0), 0);
}

static double status_num(int fd, const char *key)
{
	cJSON *s = tc_ask(fd, "{\"cmd\":\"status\"}", "STATUS");
	double v;

	assert_non_null(s);
	v = tc_num(s, key);
	cJSON_Delete(s);
	return v;
}

/* Poll STATUS until key == want or the deadline passes. */
static bool status_reaches(int fd, const char *key, double want)
{
	long long end = tc_now_ms() + TC_DEADLINE_MS;

	while (tc_now_ms() < end) {
		if (status_num(fd, key) == want)
			return true;
		poll(NULL, 0, 10);
	}
	return false;
}

static void version_on_connect_and_socket_mode(void **state)
{
	struct fix *f = start(NULL);
	int fd = tc_connect_unix(f->path);
	struct stat st;
	cJSON *v;

	(void)state;
	assert_true(fd >= 0);
	v = tc_expect(fd, "VERSION");
	assert_non_null(v);
	assert_int_equal(tc_num(v, "proto_major"), API_PROTO_MAJOR);
	assert_int_equal(tc_num(v, "proto_minor"), API_PROTO_MINOR);
	assert_true(strlen(tc_str(v, "release")) > 0);
	cJSON_Delete(v);
	assert_int_equal(stat(f->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0660);
	close(fd);
	stop(f);
}

static void watch_status_devices(void **state)
{
	struct fix *f = start(NULL);
	int fd = client(f), other = client(f);
	cJSON *o;

	(void)state;
	o = tc_ask(fd, "{\"cmd\":\"watch\",\"enable\":true}", "WATCH");
	assert_non_null(o);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(o, "enable")));
	cJSON_Delete(o);
	assert_int_equal(status_num(other, "clients"), 2);
	assert_int_equal(status_num(other, "watchers"), 1);
	emit(f, "PROGRESS", 1, 0);
	o = tc_expect(fd, "PROGRESS");
	assert_non_null(o);
	assert_int_equal(tc_num(o, "seq"), 1);
	cJSON_Delete(o);
	/* the non-watcher got nothing: its next line is the answer to its own request */
	o = tc_ask(other, "{\"cmd\":\"devices\"}", "DEVICES");
	assert_non_null(o);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "devices")), 1);
	cJSON_Delete(o);
	o = tc_ask(fd, "{\"cmd\":\"watch\",\"enable\":false}", "WATCH");
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(o, "enable")));
	cJSON_Delete(o);
	assert_int_equal(status_num(other, "watchers"), 0);
	close(fd);
	close(other);
	stop(f);
}

static void read_goes_through_the_callback(void **state)
{
	struct fix *f = start(NULL);
	int fd = client(f);
	cJSON *o;

	(void)state;
	o = tc_ask(fd, "{\"cmd\":\"read\",\"key\":{\"bac\":\"200012345,000201,400201\"}}", "READ");
	assert_non_null(o);
	assert_string_equal(tc_str(o, "key"), "bac");
	cJSON_Delete(o);
	o = tc_expect(fd, "RESULT"); /* to the requester, though it is not watching */
	assert_non_null(o);
	assert_int_equal(tc_num(o, "key_kind"), API_KEY_BAC);
	cJSON_Delete(o);
	o = tc_ask(fd, "{\"cmd\":\"read\",\"key\":{\"can\":\"000000\"}}", "ERROR");
	assert_non_null(o);
	assert_string_equal(tc_str(o, "message"), "line 2: read: access denied by the card");
	cJSON_Delete(o);
	close(fd);
	stop(f);
}

static void config_get_and_set(void **state)
{
	struct fix *f = start(NULL);
	int fd = client(f), watcher = client(f);
	cJSON *o, *vals;

	(void)state;
	cJSON_Delete(tc_ask(watcher, "{\"cmd\":\"watch\"}", "WATCH"));
	o = tc_ask(fd, "{\"cmd\":\"config\"}", "CONFIG");
	vals = cJSON_GetObjectItem(o, "values");
	assert_int_equal(tc_num(vals, "api.max_clients"), 128);
	assert_string_equal(tc_str(vals, "api.socket_mode"), "0660");
	assert_null(cJSON_GetObjectItem(vals, "api.tcp_token")); /* secret: never shown */
	cJSON_Delete(o);
	o = tc_ask(fd, "{\"cmd\":\"config\",\"key\":\"reader.timeout_ms\",\"value\":5000}",
		   "CONFIG");
	assert_int_equal(tc_num(cJSON_GetObjectItem(o, "values"), "reader.timeout_ms"), 5000);
	cJSON_Delete(o);
	o = tc_expect(watcher, "CONFIG"); /* watchers hear about the change */
	assert_int_equal(tc_num(cJSON_GetObjectItem(o, "values"), "reader.timeout_ms"), 5000);
	cJSON_Delete(o);
	o = tc_ask(fd, "{\"cmd\":\"config\",\"key\":\"reader.timeout_ms\"}", "CONFIG");
	assert_int_equal(tc_num(cJSON_GetObjectItem(o, "values"), "reader.timeout_ms"), 5000);
	cJSON_Delete(o);
	o = tc_ask(fd, "{\"cmd\":\"config\",\"key\":\"api.max_clients\",\"value\":5}", "ERROR");
	assert_non_null(strstr(tc_str(o, "message"), "line 4: config: api.max_clients cannot be "
						     "changed at run time"));
	cJSON_Delete(o);
	o = tc_ask(fd, "{\"cmd\":\"config\",\"key\":\"reader.timeout_ms\",\"value\":1}", "ERROR");
	assert_non_null(strstr(tc_str(o, "message"), "expected 10..60000"));
	cJSON_Delete(o);
	o = tc_ask(fd, "{\"cmd\":\"config\",\"key\":\"api.tcp_token\",\"value\":\"x\"}", "ERROR");
	assert_non_null(strstr(tc_str(o, "message"), "secret"));
	cJSON_Delete(o);
	o = tc_ask(fd, "{\"cmd\":\"config\",\"key\":\"reader.nope\"}", "ERROR");
	assert_non_null(strstr(tc_str(o, "message"), "unknown key 'reader.nope'"));
	cJSON_Delete(o);
	assert_int_equal(f->changed, 1); /* only the accepted set reached the daemon's hook */
	close(fd);
	close(watcher);
	stop(f);
}

static void bad_requests_keep_the_connection(void **state)
{
	struct fix *f = start(NULL);
	int fd = client(f);
	char *big = malloc(10000);
	cJSON *o;

	(void)state;
	o = tc_ask(fd, "{\"cmd\":\"status\"", "ERROR");
	assert_string_equal(tc_str(o, "message"),
			    "line 1: invalid JSON: line ends at byte 15 inside a value");
	cJSON_Delete(o);
	o = tc_ask(fd, "{\"cmd\":\"foo\"}", "ERROR");
	assert_string_equal(tc_str(o, "message"), "line 2: unknown cmd 'foo'");
	assert_int_equal(tc_num(o, "line"), 2);
	cJSON_Delete(o);
	memset(big, 'a', 9999);
	big[9999] = '\0';
	o = tc_ask(fd, big, "ERROR");
	assert_string_equal(tc_str(o, "message"), "line 3: longer than 4096 bytes, discarded");
	cJSON_Delete(o);
	o = tc_ask(fd, "[1,2]", "ERROR");
	assert_non_null(strstr(tc_str(o, "message"), "line 4: expected a JSON object"));
	cJSON_Delete(o);
	o = tc_ask(fd, "\xff{}", "ERROR");
	assert_non_null(strstr(tc_str(o, "message"), "line 5: "));
	cJSON_Delete(o);
	/* still usable, and every bad line was counted once */
	assert_int_equal(status_num(fd, "bad_requests"), 5);
	free(big);
	close(fd);
	stop(f);
}

#define FANOUT 100

static void hundred_clients_get_a_broadcast(void **state)
{
	struct fix *f = start(NULL);
	int fds[FANOUT];
	int got = 0;

	(void)state;
	for (int i = 0; i < FANOUT; i++) {
		fds[i] = client(f);
		cJSON_Delete(tc_ask(fds[i], "{\"cmd\":\"watch\",\"enable\":true}", "WATCH"));
	}
	emit(f, "RESULT", 7, 0);
	for (int i = 0; i < FANOUT; i++) {
		cJSON *o = tc_expect(fds[i], "RESULT");

		got += o && tc_num(o, "seq") == 7;
		cJSON_Delete(o);
	}
	assert_int_equal(got, FANOUT);
	assert_int_equal(status_num(fds[0], "events"), 1);
	for (int i = 0; i < FANOUT; i++)
		close(fds[i]);
	stop(f);
}

static void small_buffers(struct cccd_config *c)
{
	c->api.client_buffer = 4096;
}

#define GOOD   4
#define BATCH  40
#define ROUNDS 60 /* 2400 events of ~1 KiB: far past a socket buffer plus 4 KiB */

/* A watcher that never reads is dropped; the others receive every event, in order. */
static void slow_client_is_dropped(void **state)
{
	struct fix *f = start(small_buffers);
	int good[GOOD], slow = client(f), rcv = 4096, seq = 0, ok = 0;

	(void)state;
	setsockopt(slow, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	cJSON_Delete(tc_ask(slow, "{\"cmd\":\"watch\"}", "WATCH"));
	for (int i = 0; i < GOOD; i++) {
		good[i] = client(f);
		cJSON_Delete(tc_ask(good[i], "{\"cmd\":\"watch\"}", "WATCH"));
	}
	for (int r = 0; r < ROUNDS; r++) {
		for (int b = 0; b < BATCH; b++)
			emit(f, "PROGRESS", seq + b, 1000);
		for (int i = 0; i < GOOD; i++) {
			for (int b = 0; b < BATCH; b++) {
				cJSON *o = tc_expect(good[i], "PROGRESS");

				ok += o && tc_num(o, "seq") == seq + b;
				cJSON_Delete(o);
			}
		}
		seq += BATCH;
	}
	assert_int_equal(ok, GOOD * BATCH * ROUNDS);
	assert_int_equal(status_num(good[0], "dropped_slow"), 1);
	assert_int_equal(status_num(good[0], "watchers"), GOOD);
	assert_true(tc_wait_eof(slow));
	close(slow);
	for (int i = 0; i < GOOD; i++)
		close(good[i]);
	stop(f);
}

static void three_clients(struct cccd_config *c)
{
	c->api.max_clients = 3;
}

static void max_clients_enforced(void **state)
{
	struct fix *f = start(three_clients);
	int a = client(f), b = client(f), c = client(f), d;
	cJSON *o;

	(void)state;
	d = tc_connect_unix(f->path);
	assert_true(d >= 0);
	o = tc_expect(d, "ERROR");
	assert_non_null(o);
	assert_string_equal(tc_str(o, "message"), "too many clients (max_clients 3)");
	cJSON_Delete(o);
	assert_true(tc_wait_eof(d));
	close(d);
	assert_int_equal(status_num(a, "refused"), 1);
	close(c);
	assert_true(status_reaches(a, "clients", 2));
	d = client(f); /* a slot is free again */
	assert_int_equal(status_num(d, "clients"), 3);
	close(a);
	close(b);
	close(d);
	stop(f);
}

#define TOKEN "correct-horse-battery-staple"

static void tcp_on(struct cccd_config *c)
{
	snprintf(c->api.tcp_listen, sizeof(c->api.tcp_listen), "127.0.0.1:0");
	snprintf(c->api.tcp_token, sizeof(c->api.tcp_token), "%s", TOKEN);
}

static int tcp_port(struct fix *f)
{
	int fd = client(f), port = -1;
	cJSON *s = tc_ask(fd, "{\"cmd\":\"status\"}", "STATUS");
	const char *colon = strrchr(tc_str(s, "tcp"), ':');

	assert_non_null(colon);
	port = atoi(colon + 1);
	cJSON_Delete(s);
	close(fd);
	return port;
}

static void tcp_needs_the_token(void **state)
{
	struct fix *f = start(tcp_on);
	int port = tcp_port(f), fd;
	cJSON *o;

	(void)state;
	assert_true(port > 0);
	fd = tc_connect_tcp(port); /* no auth line */
	o = tc_ask(fd, "{\"cmd\":\"status\"}", "ERROR");
	assert_non_null(strstr(tc_str(o, "message"), "auth required"));
	cJSON_Delete(o);
	assert_true(tc_wait_eof(fd));
	close(fd);
	fd = tc_connect_tcp(port); /* wrong token, same length */
	o = tc_ask(fd, "{\"cmd\":\"auth\",\"token\":\"correct-horse-battery-stapl3\"}", "ERROR");
	assert_string_equal(tc_str(o, "message"), "line 1: auth: wrong token");
	cJSON_Delete(o);
	assert_true(tc_wait_eof(fd));
	close(fd);
	fd = tc_connect_tcp(port);
	o = tc_ask(fd, "{\"cmd\":\"auth\",\"token\":\"" TOKEN "\"}", "VERSION");
	assert_non_null(o);
	cJSON_Delete(o);
	assert_int_equal(status_num(fd, "auth_failed"), 2);
	o = tc_ask(fd, "{\"cmd\":\"auth\",\"token\":\"" TOKEN "\"}", "ERROR");
	assert_non_null(strstr(tc_str(o, "message"), "already authenticated"));
	cJSON_Delete(o);
	close(fd);
	stop(f);
}

/* A TCP peer that never authenticates loses its slot (the deadline is shortened here; only the
 * outcome is asserted). */
static void tcp_silent_client_is_closed(void **state)
{
	struct fix *f = start_ms(tcp_on, 20);
	int port = tcp_port(f), fd, u;

	(void)state;
	fd = tc_connect_tcp(port);
	assert_true(fd >= 0);
	u = client(f);
	assert_true(tc_wait_eof(fd));
	assert_true(status_reaches(u, "clients", 1));
	assert_int_equal(status_num(u, "auth_failed"), 1);
	close(fd);
	close(u);
	stop(f);
}

static void tcp_config_checks(void **state)
{
	struct cccd_config c;
	struct cccd_err e = {0};

	(void)state;
	cccd_config_defaults(&c);
	assert_int_equal(api_config_check(&c, &e), 0); /* off by default */
	snprintf(c.api.tcp_listen, sizeof(c.api.tcp_listen), "127.0.0.1:7301");
	assert_int_equal(api_config_check(&c, &e), -CCCD_ECONFIG);
	assert_non_null(strstr(e.msg, "tcp_token of at least 16 bytes"));
	snprintf(c.api.tcp_token, sizeof(c.api.tcp_token), "%s", TOKEN);
	assert_int_equal(api_config_check(&c, &e), 0);
	snprintf(c.api.tcp_listen, sizeof(c.api.tcp_listen), "[::1]:7301");
	assert_int_equal(api_config_check(&c, &e), 0);
	snprintf(c.api.tcp_listen, sizeof(c.api.tcp_listen), "localhost:7301");
	assert_int_equal(api_config_check(&c, &e), -CCCD_ECONFIG);
	snprintf(c.api.tcp_listen, sizeof(c.api.tcp_listen), "127.0.0.1");
	assert_int_equal(api_config_check(&c, &e), -CCCD_ECONFIG);
	snprintf(c.api.tcp_listen, sizeof(c.api.tcp_listen), "127.0.0.1:http");
	assert_int_equal(api_config_check(&c, &e), -CCCD_ECONFIG);
}

/* A second server on a live socket refuses to start; a stale socket file is replaced. */
static void live_socket_is_not_stolen(void **state)
{
	struct fix *f = start(NULL);
	struct api_server *second = NULL;
	struct cccd_loop *loop;
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(cccd_loop_new(&loop, 64, &e), 0);
	assert_int_equal(api_server_new(&second, loop, &f->cfg, NULL, &e), -CCCD_EIO);
	assert_non_null(strstr(e.msg, "another daemon is listening"));
	cccd_loop_free(loop);
	stop(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(version_on_connect_and_socket_mode),
	    cmocka_unit_test(watch_status_devices),
	    cmocka_unit_test(read_goes_through_the_callback),
	    cmocka_unit_test(config_get_and_set),
	    cmocka_unit_test(bad_requests_keep_the_connection),
	    cmocka_unit_test(hundred_clients_get_a_broadcast),
	    cmocka_unit_test(slow_client_is_dropped),
	    cmocka_unit_test(max_clients_enforced),
	    cmocka_unit_test(tcp_needs_the_token),
	    cmocka_unit_test(tcp_silent_client_is_closed),
	    cmocka_unit_test(tcp_config_checks),
	    cmocka_unit_test(live_socket_is_not_stolen),
	};

	cccd_log_setup(CCCD_LOG_ERR, false, "test_server");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
