/* SPDX-License-Identifier: MIT */
/*
 * serial.c - see serial.h. termios(3): raw mode (cfmakeraw), CLOCAL|CREAD, CSIZE/PARENB/PARODD/
 * CSTOPB from the framing, CRTSCTS or IXON|IXOFF from the flow control, VMIN=0/VTIME=0; the
 * settings are read back and compared, since some USB-serial drivers silently ignore a rate.
 * Example: 7E1 at 9600 = B9600, CS7|PARENB, no CSTOPB.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "serial/serial.h"

static const struct {
	int baud;
	speed_t speed;
} speeds[] = {
    {50, B50},		 {75, B75},	      {110, B110},	   {134, B134},
    {150, B150},	 {200, B200},	      {300, B300},	   {600, B600},
    {1200, B1200},	 {1800, B1800},	      {2400, B2400},	   {4800, B4800},
    {9600, B9600},	 {19200, B19200},     {38400, B38400},	   {57600, B57600},
    {115200, B115200},	 {230400, B230400},   {460800, B460800},   {500000, B500000},
    {576000, B576000},	 {921600, B921600},   {1000000, B1000000}, {1152000, B1152000},
    {1500000, B1500000}, {2000000, B2000000}, {2500000, B2500000}, {3000000, B3000000},
    {3500000, B3500000}, {4000000, B4000000},
};

static int speed_of(int baud, speed_t *out)
{
	for (size_t i = 0; i < sizeof(speeds) / sizeof(speeds[0]); i++) {
		if (speeds[i].baud == baud) {
			*out = speeds[i].speed;
			return 0;
		}
	}
	return -CCCD_ERANGE;
}

static void framing(struct termios *t, const struct out_line *l)
{
	static const tcflag_t sizes[] = {CS5, CS6, CS7, CS8};

	t->c_cflag &= ~(tcflag_t)(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
	t->c_cflag |= CLOCAL | CREAD | sizes[l->data_bits - 5];
	if (l->parity != 'N')
		t->c_cflag |= PARENB | (l->parity == 'O' ? PARODD : 0);
	if (l->stop_bits == 2)
		t->c_cflag |= CSTOPB;
	t->c_iflag &= ~(tcflag_t)(IXON | IXOFF | IXANY);
	if (l->flow == OUT_FLOW_RTSCTS)
		t->c_cflag |= CRTSCTS;
	else if (l->flow == OUT_FLOW_XONXOFF)
		t->c_iflag |= IXON | IXOFF;
	t->c_cc[VMIN] = 0;
	t->c_cc[VTIME] = 0;
}

static int configure(struct serial_port *p, const struct out_line *l, struct cccd_err *err)
{
	struct termios t, back;
	speed_t sp;

	if (l->data_bits < 5 || l->data_bits > 8 || speed_of(l->baud, &sp))
		return cccd_err_set(err, -CCCD_EINVAL, "serial", "%s: bad line settings", p->path);
	if (tcgetattr(p->fd, &t))
		return cccd_err_set(err, -CCCD_ENOTSUP, "serial", "%s: not a tty (%s)", p->path,
				    strerror(errno));
	cfmakeraw(&t);
	framing(&t, l);
	if (cfsetispeed(&t, sp) || cfsetospeed(&t, sp) || tcsetattr(p->fd, TCSANOW, &t) ||
	    tcgetattr(p->fd, &back))
		return cccd_err_set(err, -CCCD_ENOTSUP, "serial", "%s: tcsetattr: %s", p->path,
				    strerror(errno));
	if (cfgetospeed(&back) != sp || (back.c_cflag & (CSIZE | PARENB | PARODD | CSTOPB)) !=
					    (t.c_cflag & (CSIZE | PARENB | PARODD | CSTOPB)))
		return cccd_err_set(err, -CCCD_ENOTSUP, "serial",
				    "%s: the driver refused %d baud %d%c%d", p->path, l->baud,
				    l->data_bits, l->parity, l->stop_bits);
	return 0;
}

int serial_open(struct serial_port *p, const char *path, const struct out_line *l,
		struct cccd_err *err)
{
	int rc;

	memset(p, 0, sizeof(*p));
	snprintf(p->path, sizeof(p->path), "%s", path);
	p->fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (p->fd < 0)
		return cccd_err_set(err, errno == ENOENT ? -CCCD_ENOENT : -CCCD_EIO, "serial",
				    "%.80s: %s", path, strerror(errno));
	/* Linux lets two processes open one tty (FIELD-NOTES): refuse a second opener */
	if (ioctl(p->fd, TIOCEXCL) && errno != ENOTTY) {
		rc = cccd_err_set(err, -CCCD_EIO, "serial", "%.80s: TIOCEXCL: %s", path,
				  strerror(errno));
		goto out_close;
	}
	rc = configure(p, l, err);
	if (rc)
		goto out_close;
	return 0;
out_close:
	close(p->fd);
	p->fd = -1;
	return rc;
}

int serial_write(struct serial_port *p, const void *buf, size_t len, int timeout_ms,
		 struct cccd_err *err)
{
	const char *b = buf;
	long deadline = (long)cccd_clock_ms() + timeout_ms;
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(p->fd, b + done, len - done);
		struct pollfd pf = {p->fd, POLLOUT, 0};
		long left = deadline - (long)cccd_clock_ms();

		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return cccd_err_set(err, -CCCD_EIO, "serial", "%.80s: write: %s", p->path,
					    strerror(errno));
		if (left <= 0)
			return cccd_err_set(err, -CCCD_ETIMEOUT, "serial",
					    "%.80s: %zu of %zu bytes written in %d ms", p->path,
					    done, len, timeout_ms);
		if (poll(&pf, 1, (int)left) < 0 && errno != EINTR)
			return cccd_err_set(err, -CCCD_EIO, "serial", "poll: %s", strerror(errno));
	}
	return 0;
}

int serial_send_result(struct serial_port *p, const struct out_profile *prof, bool json,
		       const cJSON *result, int timeout_ms, struct cccd_err *err)
{
	char *line = malloc(8192); /* a RESULT with long addresses stays under 4 KB */
	int rc;

	if (!line)
		return cccd_err_set(err, -CCCD_ENOMEM, "serial", "out of memory");
	rc = out_profile_line(prof, json, result, line, 8192, err);
	if (rc == 0)
		rc = serial_write(p, line, strlen(line), timeout_ms, err);
	free(line);
	return rc;
}

void serial_close(struct serial_port *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}
