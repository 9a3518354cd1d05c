/* SPDX-License-Identifier: MIT */
/*
 * test_mbus_server.c - a libmodbus client reads the register map after a RESULT is fed, over
 * loopback TCP (ephemeral port) and over RTU on a pty pair; it acknowledges, triggers, and is
 * refused register writes. Without libmodbus in the build, the server says so (ENOTSUP).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "modbus/mbus.h"

#ifdef HAVE_LIBMODBUS
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>
#include <modbus/modbus.h>

struct runner {
	struct mbus_server *s;
	volatile int stop;
	pthread_t th;
};

static void *serve(void *arg)
{
	struct runner *r = arg;

	while (!r->stop)
		mbus_server_poll(r->s, 20, NULL);
	return NULL;
}

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

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* What any client must see, whatever the transport. */
static void exercise(modbus_t *c, struct runner *r)
{
	uint16_t regs[MBUS_NREGS], in[MBUS_NREGS];
	uint8_t bits[2];

	assert_int_equal(modbus_read_registers(c, 0, MBUS_NREGS, regs), MBUS_NREGS);
	assert_int_equal(modbus_read_input_registers(c, 0, MBUS_NREGS, in), MBUS_NREGS);
	assert_memory_equal(regs, in, sizeof(regs));
	assert_int_equal(regs[MBUS_R_VERSION], MBUS_MAP_VERSION);
	assert_int_equal(regs[MBUS_R_STATE], MBUS_RESULT);
	assert_int_equal(regs[MBUS_R_SEQ], 1);
	assert_int_equal(regs[MBUS_R_VERDICT], 1);
	assert_int_equal(regs[MBUS_R_PASSIVE], 3);
	assert_true(regs[MBUS_R_AGE] >= 5 && regs[MBUS_R_AGE] <= 7); /* fed 5 s in the past */
	assert_int_equal(regs[MBUS_R_ID_ASCII], 0x3030);
	assert_int_equal(regs[MBUS_R_ID_NUM + 2], 2345);
	assert_int_equal(modbus_read_input_bits(c, 0, 2, bits), 2);
	assert_true(bits[MBUS_I_PENDING] && bits[MBUS_I_GENUINE]);
	/* registers are read-only: exception 01 */
	assert_int_equal(modbus_write_register(c, MBUS_R_SEQ, 9), -1);
	assert_int_equal(errno, EMBXILFUN);
	/* acknowledge: flag set, ID gone, nothing pending */
	assert_int_equal(modbus_write_bit(c, MBUS_C_ACK, 1), 1);
	assert_int_equal(modbus_read_registers(c, 0, MBUS_NREGS, regs), MBUS_NREGS);
	assert_true(regs[MBUS_R_FLAGS] & MBUS_F_ACKED);
	assert_int_equal(regs[MBUS_R_ID_ASCII], 0);
	assert_int_equal(regs[MBUS_R_ID_NUM + 2], 0);
	assert_int_equal(modbus_read_bits(c, 0, 2, bits), 2);
	assert_int_equal(bits[MBUS_C_ACK], 0);
	/* trigger: taken once by the daemon */
	assert_int_equal(modbus_write_bit(c, MBUS_C_TRIGGER, 1), 1);
	assert_int_equal(modbus_read_bits(c, 0, 2, bits), 2);
	assert_int_equal(bits[MBUS_C_TRIGGER], 0);
	r->stop = 1;
	pthread_join(r->th, NULL);
	assert_true(mbus_map_take_trigger(mbus_server_map(r->s)));
	assert_false(mbus_map_take_trigger(mbus_server_map(r->s)));
}

static void feed(struct mbus_server *s)
{
	cJSON *g = load("tests/fixtures/out/result_genuine.json");

	mbus_map_result(mbus_server_map(s), g, now_ms() - 5000);
	cJSON_Delete(g);
}

static void tcp_loopback(void **state)
{
	struct runner r = {0};
	struct out_line l;
	modbus_t *c;

	(void)state;
	out_line_defaults(&l);
	assert_int_equal(mbus_server_open(&r.s, "tcp:127.0.0.1:0", &l, 1, NULL), 0);
	assert_true(mbus_server_port(r.s) > 0);
	feed(r.s);
	assert_int_equal(pthread_create(&r.th, NULL, serve, &r), 0);
	c = modbus_new_tcp("127.0.0.1", mbus_server_port(r.s));
	assert_non_null(c);
	assert_int_equal(modbus_connect(c), 0);
	exercise(c, &r);
	modbus_close(c);
	modbus_free(c);
	mbus_server_close(r.s);
}

static void rtu_on_pty(void **state)
{
	struct runner r = {0};
	struct out_line l;
	char uri[80];
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	modbus_t *c;

	(void)state;
	assert_true(m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0);
	snprintf(uri, sizeof(uri), "rtu:%s", ptsname(m));
	out_line_defaults(&l);
	assert_int_equal(mbus_server_open(&r.s, uri, &l, 17, NULL), 0);
	assert_int_equal(mbus_server_port(r.s), -1);
	feed(r.s);
	assert_int_equal(pthread_create(&r.th, NULL, serve, &r), 0);
	/* the client talks through the pty master: libmodbus only needs its fd */
	c = modbus_new_rtu("/dev/null", 9600, 'N', 8, 1);
	assert_non_null(c);
	assert_int_equal(modbus_set_socket(c, m), 0);
	assert_int_equal(modbus_set_slave(c, 17), 0);
	exercise(c, &r);
	modbus_free(c);
	mbus_server_close(r.s);
	close(m);
}

static void open_errors(void **state)
{
	struct mbus_server *s;
	struct out_line l;
	struct cccd_err e = {0};

	(void)state;
	out_line_defaults(&l);
	assert_int_equal(mbus_server_open(&s, "udp:1.2.3.4:5", &l, 1, &e), -CCCD_EINVAL);
	assert_null(s);
	assert_int_equal(mbus_server_open(&s, "tcp:127.0.0.1:x", &l, 1, &e), -CCCD_EINVAL);
	assert_int_equal(mbus_server_open(&s, "rtu:/dev/ttyNONE7", &l, 1, &e), -CCCD_EIO);
	assert_int_equal(mbus_server_open(&s, "tcp:192.0.2.1:1502", &l, 1, &e), -CCCD_EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(tcp_loopback),
	    cmocka_unit_test(rtu_on_pty),
	    cmocka_unit_test(open_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

#else /* !HAVE_LIBMODBUS */

static void not_built(void **state)
{
	struct mbus_server *s = (struct mbus_server *)&s;
	struct out_line l;
	struct cccd_err e = {0};

	(void)state;
	out_line_defaults(&l);
	assert_int_equal(mbus_server_open(&s, "tcp:127.0.0.1:0", &l, 1, &e), -CCCD_ENOTSUP);
	assert_null(s);
	assert_string_equal(e.msg, "built without libmodbus");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(not_built),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
#endif
