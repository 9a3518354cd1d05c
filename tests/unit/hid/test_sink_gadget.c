/* SPDX-License-Identifier: MIT */
/*
 * test_sink_gadget.c - the gadget sink on a pty pair standing in for /dev/hidg0: reports come
 * out of the master byte for byte, LED bytes written into the master reach leds(), and a host
 * that never reads makes a send time out within its deadline instead of hanging.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "key_sink.h"

/* A raw pty: no line discipline may change the 8-byte reports. */
static int pty(char *uri, size_t cap)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	struct termios t;
	int s;

	assert_true(m >= 0);
	assert_int_equal(grantpt(m), 0);
	assert_int_equal(unlockpt(m), 0);
	snprintf(uri, cap, "gadget:%s", ptsname(m));
	s = open(ptsname(m), O_RDWR | O_NOCTTY);
	assert_true(s >= 0);
	assert_int_equal(tcgetattr(s, &t), 0);
	cfmakeraw(&t);
	assert_int_equal(tcsetattr(s, TCSANOW, &t), 0);
	close(s);
	return m;
}

static void read_all(int fd, uint8_t *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t k;

		assert_int_equal(poll(&p, 1, 2000), 1);
		k = read(fd, buf + got, n - got);
		assert_true(k > 0);
		got += (size_t)k;
	}
}

static void reports_and_leds(void **state)
{
	char uri[128];
	int m = pty(uri, sizeof(uri));
	struct key_sink s;
	const uint8_t r[16] = {0x02, 0, 0x04, 0, 0, 0, 0, 0};
	uint8_t got[16], leds = 0xFF, led_byte = 0x03;

	(void)state;
	assert_int_equal(key_sink_open(&s, uri, NULL), 0);
	assert_int_equal(key_sink_leds(&s, &leds, NULL), 0);
	assert_int_equal(leds, 0x01); /* Num Lock assumed until the host reports */
	assert_int_equal(key_sink_send(&s, r, 2, 0, NULL), 0);
	read_all(m, got, sizeof(got)); /* a pty may hand the two reports over in two reads */
	assert_memory_equal(got, r, 16);
	assert_int_equal(s.sent, 2);
	assert_int_equal(write(m, &led_byte, 1), 1);
	for (int i = 0; i < 200 && leds != 0x03; i++) { /* the byte crosses the pty: up to 2 s */
		usleep(10000);
		assert_int_equal(key_sink_leds(&s, &leds, NULL), 0);
	}
	assert_int_equal(leds, 0x03);
	key_sink_close(&s);
	close(m);
}

static long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void host_not_polling_times_out(void **state)
{
	char uri[128];
	int m = pty(uri, sizeof(uri));
	struct key_sink s;
	struct cccd_err e = {0};
	const uint8_t r[8] = {0, 0, 0x04};
	long t0;
	int rc = 0;
	size_t i;

	(void)state;
	assert_int_equal(key_sink_open(&s, uri, NULL), 0);
	s.timeout_ms = 50;
	t0 = ms_now();
	for (i = 0; i < 100000 && rc == 0; i++) /* the pty buffer fills: nobody reads it */
		rc = key_sink_send_report(&s, r, &e);
	assert_int_equal(rc, -CCCD_ETIMEOUT);
	assert_string_equal(e.msg, "host took no report for 50 ms (not polling?)");
	assert_true(ms_now() - t0 < 5000);
	key_sink_close(&s);
	close(m);
}

static void missing_gadget(void **state)
{
	struct key_sink s;
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(key_sink_open(&s, "gadget:/dev/hidg-none", &e), -CCCD_ENOENT);
	assert_string_equal(e.msg, "/dev/hidg-none: No such file or directory (run "
				   "systemd/cccd-gadget.sh up)");
	assert_null(s.ops);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reports_and_leds),
	    cmocka_unit_test(host_not_polling_times_out),
	    cmocka_unit_test(missing_gadget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
