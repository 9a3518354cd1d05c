/* SPDX-License-Identifier: MIT */
/*
 * sink_file.c - key_sink "file:PATH[?leds=N]": appends every report (8 raw bytes) to PATH, for
 * tests, `make demo` and `cccdctl kbd decode`. leds=N (0..31) stands for the host's LED state,
 * so lock-key correction can be tested without a host. Example: typing "a" appends
 * 00 00 04 00 00 00 00 00 00 00 00 00 00 00 00 00.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "key_sink.h"

struct file_sink {
	int fd;
	uint8_t leds;
};

static int file_open(struct key_sink *s, const char *arg, struct cccd_err *err)
{
	struct file_sink *f = calloc(1, sizeof(*f));
	const char *q = strstr(arg, "?leds=");
	char path[256];
	char *end;
	long leds = 0;

	if (!f)
		return cccd_err_set(err, -CCCD_ENOMEM, "file sink", "out of memory");
	snprintf(path, sizeof(path), "%.*s", (int)(q ? q - arg : (long)strlen(arg)), arg);
	if (q)
		leds = strtol(q + 6, &end, 10);
	if (!path[0] || (q && (*end || end == q + 6 || leds < 0 || leds > 31))) {
		free(f);
		return cccd_err_set(err, -CCCD_EINVAL, "file sink",
				    "expected file:PATH[?leds=0..31]");
	}
	f->leds = (uint8_t)leds;
	f->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (f->fd < 0) {
		int e = errno;

		free(f);
		return cccd_err_set(err, -CCCD_EIO, "file sink", "open: %s", strerror(e));
	}
	s->priv = f;
	return 0;
}

static int file_send(struct key_sink *s, const uint8_t *report, int timeout_ms,
		     struct cccd_err *err)
{
	struct file_sink *f = s->priv;
	ssize_t n;

	(void)timeout_ms; /* a regular file never blocks */
	do
		n = write(f->fd, report, KEY_SINK_REPORT);
	while (n < 0 && errno == EINTR);
	if (n != KEY_SINK_REPORT)
		return cccd_err_set(err, -CCCD_EIO, "file sink", "write: %s",
				    n < 0 ? strerror(errno) : "short write");
	return 0;
}

static int file_leds(struct key_sink *s, uint8_t *leds, struct cccd_err *err)
{
	(void)err;
	*leds = ((struct file_sink *)s->priv)->leds;
	return 0;
}

static void file_close(struct key_sink *s)
{
	struct file_sink *f = s->priv;

	if (f) {
		close(f->fd);
		free(f);
	}
}

const struct key_sink_ops key_sink_file_ops = {
    .scheme = "file",
    .open = file_open,
    .send_report = file_send,
    .leds = file_leds,
    .close = file_close,
};
