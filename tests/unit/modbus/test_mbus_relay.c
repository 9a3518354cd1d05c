/* SPDX-License-Identifier: MIT */
/*
 * test_mbus_relay.c - a libmodbus server in the test stands in for an RS-485 relay board (over
 * loopback TCP) and logs every coil write: a genuine RESULT gives exactly "coil 3 on, then
 * off" at unit 5, at least pulse_ms apart; a suspect one gives nothing; a dead board is a
 * clean error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "modbus/mbus.h"

static cJSON *load(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[4096];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return cJSON_Parse(buf);
}

#ifdef HAVE_LIBMODBUS
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <modbus/modbus.h>

struct board {
	modbus_t *ctx;
	modbus_mapping_t *mb;
	int listen_fd, port;
	int log_coil[8], log_value[8], log_unit[8];
	long log_ms[8];
	int nlog;
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Serve one connection until the master closes it, logging each write-single-coil. */
static void *board_run(void *arg)
{
	struct board *b = arg;
	uint8_t q[MODBUS_TCP_MAX_ADU_LENGTH];
	int fd = accept(b->listen_fd, NULL, NULL), n;

	if (fd < 0)
		return NULL;
	modbus_set_socket(b->ctx, fd);
	while ((n = modbus_receive(b->ctx, q)) > 0) {
		int hl = modbus_get_header_length(b->ctx);

		modbus_reply(b->ctx, q, n, b->mb);
		if (q[hl] == MODBUS_FC_WRITE_SINGLE_COIL && b->nlog < 8) {
			int addr = q[hl + 1] << 8 | q[hl + 2];

			b->log_coil[b->nlog] = addr;
			b->log_value[b->nlog] = b->mb->tab_bits[addr];
			b->log_unit[b->nlog] = q[hl - 1];
			b->log_ms[b->nlog++] = now_ms();
		}
	}
	close(fd);
	return NULL;
}

static void board_open(struct board *b)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);

	memset(b, 0, sizeof(*b));
	b->ctx = modbus_new_tcp("127.0.0.1", 0);
	b->mb = modbus_mapping_new(16, 0, 0, 0);
	assert_non_null(b->ctx);
	assert_non_null(b->mb);
	b->listen_fd = modbus_tcp_listen(b->ctx, 1);
	assert_true(b->listen_fd >= 0);
	assert_int_equal(getsockname(b->listen_fd, (struct sockaddr *)&a, &l), 0);
	b->port = ntohs(a.sin_port);
}

static void board_close(struct board *b)
{
	close(b->listen_fd);
	modbus_mapping_free(b->mb);
	modbus_free(b->ctx);
}

static void genuine_pulses_the_coil(void **state)
{
	cJSON *g = load("tests/fixtures/out/result_genuine.json");
	struct board b;
	struct out_line l;
	pthread_t th;
	char uri[64];

	(void)state;
	out_line_defaults(&l);
	board_open(&b);
	snprintf(uri, sizeof(uri), "tcp:127.0.0.1:%d", b.port);
	assert_int_equal(pthread_create(&th, NULL, board_run, &b), 0);
	assert_int_equal(mbus_relay_pulse(uri, &l, 5, 3, 120, 1000, g, NULL), 0);
	pthread_join(th, NULL);
	assert_int_equal(b.nlog, 2);
	assert_int_equal(b.log_coil[0], 3);
	assert_int_equal(b.log_value[0], 1);
	assert_int_equal(b.log_coil[1], 3);
	assert_int_equal(b.log_value[1], 0);
	assert_int_equal(b.log_unit[0], 5);
	assert_true(b.log_ms[1] - b.log_ms[0] >= 120);
	assert_int_equal(b.mb->tab_bits[3], 0); /* the gate is closed again */
	board_close(&b);
	cJSON_Delete(g);
}

static void suspect_and_dead_board(void **state)
{
	cJSON *s = load("tests/fixtures/out/result_suspect.json");
	cJSON *g = load("tests/fixtures/out/result_genuine.json");
	struct board b;
	struct out_line l;
	struct cccd_err e = {0};
	char uri[64];

	(void)state;
	out_line_defaults(&l);
	board_open(&b);
	snprintf(uri, sizeof(uri), "tcp:127.0.0.1:%d", b.port);
	assert_int_equal(mbus_relay_pulse(uri, &l, 1, 0, 100, 500, s, &e), 1);
	board_close(&b); /* nobody listens on that port any more */
	assert_int_equal(mbus_relay_pulse(uri, &l, 1, 0, 100, 500, g, &e), -CCCD_EIO);
	assert_int_equal(mbus_relay_pulse("serial:/dev/x", &l, 1, 0, 100, 500, g, &e),
			 -CCCD_EINVAL);
	cJSON_Delete(s);
	cJSON_Delete(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(genuine_pulses_the_coil),
	    cmocka_unit_test(suspect_and_dead_board),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

#else /* !HAVE_LIBMODBUS */

static void not_built(void **state)
{
	cJSON *s = load("tests/fixtures/out/result_suspect.json");
	cJSON *g = load("tests/fixtures/out/result_genuine.json");
	struct out_line l;

	(void)state;
	out_line_defaults(&l);
	assert_int_equal(mbus_relay_pulse("tcp:127.0.0.1:1", &l, 1, 0, 10, 10, s, NULL), 1);
	assert_int_equal(mbus_relay_pulse("tcp:127.0.0.1:1", &l, 1, 0, 10, 10, g, NULL),
			 -CCCD_ENOTSUP);
	cJSON_Delete(s);
	cJSON_Delete(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(not_built),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
#endif
