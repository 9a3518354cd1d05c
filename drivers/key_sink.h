/* SPDX-License-Identifier: MIT */
/*
 * key_sink.h - the seam between the keyboard wedge (daemon/out) and whatever carries boot
 * keyboard reports to a host: the Linux USB gadget (/dev/hidg0), a file for tests, later an
 * MCU bridge on a UART.
 *
 * Each implementation exports one `const struct key_sink_ops` and keeps its state in
 * sink->priv; key_sink.c is the one registry and picks it by URI scheme ("gadget:/dev/hidg0",
 * "file:/tmp/reports.bin"). A NULL op makes its wrapper return -CCCD_ENOTSUP.
 */
#ifndef CCCD_KEY_SINK_H
#define CCCD_KEY_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define KEY_SINK_REPORT 8

struct key_sink;

struct key_sink_ops {
	const char *scheme; /* URI scheme without ':' */
	/* Open the device named by the rest of the URI (after "scheme:"). */
	int (*open)(struct key_sink *s, const char *arg, struct cccd_err *err);
	/* Hand one report to the host, waiting at most timeout_ms for it to be taken;
	 * -CCCD_ETIMEOUT when the host does not poll (suspended, unplugged, no driver). */
	int (*send_report)(struct key_sink *s, const uint8_t *report, int timeout_ms,
			   struct cccd_err *err);
	/* The host's LED state (bit 0 Num, 1 Caps, 2 Scroll) as last reported. */
	int (*leds)(struct key_sink *s, uint8_t *leds, struct cccd_err *err);
	void (*close)(struct key_sink *s);
};

struct key_sink {
	const struct key_sink_ops *ops;
	void *priv;	    /* implementation state */
	char uri[256];	    /* as opened */
	int timeout_ms;	    /* per-report deadline, default 1000 */
	unsigned long sent; /* reports taken by the host */
};

/* Open the implementation that matches uri's scheme; -CCCD_ENOTSUP for an unknown scheme. */
int key_sink_open(struct key_sink *s, const char *uri, struct cccd_err *err);

/* Whether this build has a sink for uri's scheme (for config checks). */
bool key_sink_scheme_known(const char *uri);

/* Wrappers over the ops (see struct key_sink_ops for each contract). */
int key_sink_send_report(struct key_sink *s, const uint8_t *report, struct cccd_err *err);
int key_sink_leds(struct key_sink *s, uint8_t *leds, struct cccd_err *err);
void key_sink_close(struct key_sink *s);

/* Send n reports (8 bytes each) in order, sleeping delay_ms after each; stops at the first
 * error, which names the report's index. */
int key_sink_send(struct key_sink *s, const uint8_t *reports, size_t n, int delay_ms,
		  struct cccd_err *err);

#endif
