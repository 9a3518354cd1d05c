/* SPDX-License-Identifier: MIT */
/*
 * sink_gadget.c - key_sink "gadget:/dev/hidg0": the Linux USB HID gadget function
 * (Documentation/usb/gadget_hid.rst). write() of 8 bytes queues a report that the host fetches
 * at its next interrupt-IN poll; read() returns the host's 1-byte LED output report. When the
 * host does not poll (suspended, cable out, no driver) the write blocks: the fd is non-blocking
 * and each report waits in poll() against its own deadline, then fails with -CCCD_ETIMEOUT.
 * Not handled here: report IDs (the boot descriptor of systemd/cccd-gadget.sh has none).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "key_sink.h"
#include "out/kbd.h"

struct gadget {
	int fd;
	uint8_t leds;
};

static int gadget_open(struct key_sink *s, const char *arg, struct cccd_err *err)
{
	struct gadget *g = calloc(1, sizeof(*g));

	if (!g)
		return cccd_err_set(err, -CCCD_ENOMEM, "gadget", "out of memory");
	g->leds = KBD_LED_NUM; /* until the host says otherwise: what most hosts start with */
	g->fd = open(arg, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (g->fd < 0) {
		int e = errno;

		free(g);
		return cccd_err_set(err, e == ENOENT ? -CCCD_ENOENT : -CCCD_EIO, "gadget",
				    "%.60s: %s%s", arg, strerror(e),
				    e == ENOENT ? " (run systemd/cccd-gadget.sh up)" : "");
	}
	s->priv = g;
	return 0;
}

/* Drain pending LED reports; the last one wins. */
static void read_leds(struct gadget *g)
{
	uint8_t b[8];
	ssize_t n;

	while ((n = read(g->fd, b, sizeof(b))) > 0) {
		uint8_t leds;

		if (kbd_leds_parse(b, (size_t)n, &leds, NULL) == 0)
			g->leds = leds;
	}
}

static int gadget_send(struct key_sink *s, const uint8_t *report, int timeout_ms,
		       struct cccd_err *err)
{
	struct gadget *g = s->priv;
	long deadline = (long)cccd_clock_ms() + timeout_ms;

	for (;;) {
		struct pollfd p = {g->fd, POLLOUT, 0};
		long left = deadline - (long)cccd_clock_ms();
		ssize_t n = write(g->fd, report, KEY_SINK_REPORT);

		if (n == KEY_SINK_REPORT)
			return 0;
		if (n >= 0 || (errno != EAGAIN && errno != EINTR))
			return cccd_err_set(err, -CCCD_EIO, "gadget", "write: %s",
					    n >= 0 ? "short write" : strerror(errno));
		if (left <= 0)
			return cccd_err_set(err, -CCCD_ETIMEOUT, "gadget",
					    "host took no report for %d ms (not polling?)",
					    timeout_ms);
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR)
			return cccd_err_set(err, -CCCD_EIO, "gadget", "poll: %s", strerror(errno));
	}
}

static int gadget_leds(struct key_sink *s, uint8_t *leds, struct cccd_err *err)
{
	struct gadget *g = s->priv;

	(void)err;
	read_leds(g);
	*leds = g->leds;
	return 0;
}

static void gadget_close(struct key_sink *s)
{
	struct gadget *g = s->priv;

	if (g) {
		close(g->fd);
		free(g);
	}
}

const struct key_sink_ops key_sink_gadget_ops = {
    .scheme = "gadget",
    .open = gadget_open,
    .send_report = gadget_send,
    .leds = gadget_leds,
    .close = gadget_close,
};
