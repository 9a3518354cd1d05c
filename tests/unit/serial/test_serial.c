/* SPDX-License-Identifier: MIT */
/*
 * test_serial.c - the serial output on a pty pair (posix_openpt): termios settings as
 * configured, the profile's line and the JSON line read back byte for byte from the master,
 * a peer that never reads makes the write time out, and a second opener is refused.
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
#include <unistd.h>
#include <cmocka.h>

#include "serial/serial.h"

static int pty(char *path, size_t cap)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);

	assert_true(m >= 0);
	assert_int_equal(grantpt(m), 0);
	assert_int_equal(unlockpt(m), 0);
	snprintf(path, cap, "%s", ptsname(m));
	return m;
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

/* Read exactly n bytes from fd (with a 2 s guard), NUL-terminated. */
static void read_n(int fd, char *buf, size_t n)
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
	buf[n] = '\0';
}

/* Linux ptys force CS8 and no parity (drivers/tty/pty.c), so the pty shows what the read-back
 * check does with a driver that ignores a setting: 7E1 is refused, never silently 8N1. */
static void settings_applied(void **state)
{
	char path[64];
	int m = pty(path, sizeof(path));
	struct serial_port p;
	struct out_line l;
	struct termios t;
	struct cccd_err e = {0};
	char msg[160];

	(void)state;
	out_line_defaults(&l);
	assert_int_equal(out_line_baud(&l, "115200", msg, sizeof(msg)), 0);
	assert_int_equal(out_line_framing(&l, "8N2", msg, sizeof(msg)), 0);
	assert_int_equal(out_line_flow(&l, "rtscts", msg, sizeof(msg)), 0);
	assert_int_equal(serial_open(&p, path, &l, NULL), 0);
	assert_int_equal(tcgetattr(p.fd, &t), 0);
	assert_int_equal(cfgetospeed(&t), B115200);
	assert_int_equal(t.c_cflag & CSIZE, CS8);
	assert_false(t.c_cflag & PARENB);
	assert_true(t.c_cflag & CSTOPB);
	assert_true(t.c_cflag & CRTSCTS);
	assert_false(t.c_oflag & OPOST); /* raw: "\n" is not turned into "\r\n" */
	serial_close(&p);
	assert_int_equal(out_line_framing(&l, "8N1", msg, sizeof(msg)), 0);
	assert_int_equal(out_line_flow(&l, "xonxoff", msg, sizeof(msg)), 0);
	assert_int_equal(out_line_baud(&l, "9600", msg, sizeof(msg)), 0);
	assert_int_equal(serial_open(&p, path, &l, NULL), 0);
	assert_int_equal(tcgetattr(p.fd, &t), 0);
	assert_int_equal(cfgetospeed(&t), B9600);
	assert_true(!(t.c_cflag & CSTOPB) && !(t.c_cflag & CRTSCTS));
	assert_true((t.c_iflag & IXON) && (t.c_iflag & IXOFF));
	serial_close(&p);
	assert_int_equal(out_line_framing(&l, "7E1", msg, sizeof(msg)), 0);
	assert_int_equal(serial_open(&p, path, &l, &e), -CCCD_ENOTSUP);
	/* refused either by tcsetattr() or by the read-back ("the driver refused ...") */
	assert_int_equal(strncmp(e.msg, path, strlen(path)), 0);
	close(m);
}

static void lines_read_back_exactly(void **state)
{
	char path[64], got[4096], want[4096];
	int m = pty(path, sizeof(path));
	cJSON *g = load("tests/fixtures/out/result_genuine.json");
	cJSON *s = load("tests/fixtures/out/result_suspect.json");
	cJSON *back;
	struct serial_port p;
	struct out_profile prof;
	struct out_line l;

	(void)state;
	out_line_defaults(&l);
	assert_int_equal(out_profile_builtin("clinic", &prof), 0);
	assert_int_equal(serial_open(&p, path, &l, NULL), 0);
	assert_int_equal(out_profile_render(&prof, g, want, sizeof(want), NULL), 0);
	assert_int_equal(serial_send_result(&p, &prof, false, g, 1000, NULL), 0);
	read_n(m, got, strlen(want));
	assert_string_equal(got, want);
	assert_int_equal(serial_send_result(&p, &prof, false, s, 1000, NULL), 1); /* suspect */
	assert_int_equal(serial_send_result(&p, &prof, true, g, 1000, NULL), 0);
	read_n(m, got, 1);
	while (got[strlen(got) - 1] != '\n')
		read_n(m, got + strlen(got), 1);
	back = cJSON_Parse(got);
	assert_true(cJSON_Compare(back, g, true));
	cJSON_Delete(back);
	cJSON_Delete(g);
	cJSON_Delete(s);
	serial_close(&p);
	close(m);
}

static void stalled_peer_times_out_and_exclusive(void **state)
{
	char path[64], buf[1024];
	int m = pty(path, sizeof(path));
	struct serial_port p, q;
	struct out_line l;
	struct cccd_err e = {0};
	int rc = 0;

	(void)state;
	out_line_defaults(&l);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(serial_open(&p, path, &l, NULL), 0);
	for (int i = 0; i < 10000 && !rc; i++)
		rc = serial_write(&p, buf, sizeof(buf), 50, &e);
	assert_int_equal(rc, -CCCD_ETIMEOUT);
	assert_non_null(strstr(e.msg, "bytes written in 50 ms"));
	if (geteuid() != 0) /* root may open an exclusive tty anyway */
		assert_int_equal(serial_open(&q, path, &l, &e), -CCCD_EIO);
	serial_close(&p);
	close(m);
}

static void open_errors(void **state)
{
	struct serial_port p;
	struct out_line l;
	struct cccd_err e = {0};

	(void)state;
	out_line_defaults(&l);
	assert_int_equal(serial_open(&p, "/dev/ttyNONE9", &l, &e), -CCCD_ENOENT);
	assert_int_equal(serial_open(&p, "/dev/null", &l, &e), -CCCD_ENOTSUP);
	assert_non_null(strstr(e.msg, "not a tty"));
	l.baud = 14400;
	assert_int_equal(serial_open(&p, "/dev/null", &l, &e), -CCCD_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(settings_applied),
	    cmocka_unit_test(lines_read_back_exactly),
	    cmocka_unit_test(stalled_peer_times_out_and_exclusive),
	    cmocka_unit_test(open_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
