/* SPDX-License-Identifier: MIT */
/*
 * serial.h - the serial-line output: any tty (USB-serial, the gadget's CDC-ACM /dev/ttyGS0,
 * RS-232) in raw mode with the configured baud, framing and flow control, and one line per
 * RESULT: the profile's text or the RESULT as JSON. Writes have a deadline, so a peer that holds
 * flow control off (or a CDC-ACM port nobody opened on the PC) fails cleanly.
 */
#ifndef CCCD_SERIAL_H
#define CCCD_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

#include "core/err.h"
#include "out/line.h"
#include "out/profile.h"

struct serial_port {
	int fd;
	char path[256];
};

/* Open path, take it exclusively (TIOCEXCL) and apply l. -CCCD_ENOENT, -CCCD_EIO, or
 * -CCCD_ENOTSUP (not a tty, or the driver refused the settings). */
int serial_open(struct serial_port *p, const char *path, const struct out_line *l,
		struct cccd_err *err);

/* Write all of buf within timeout_ms; -CCCD_ETIMEOUT with the bytes written in the message. */
int serial_write(struct serial_port *p, const void *buf, size_t len, int timeout_ms,
		 struct cccd_err *err);

/* Send result under prof as one line (json: the RESULT object). 1 when prof does not send this
 * result, else as serial_write(). */
int serial_send_result(struct serial_port *p, const struct out_profile *prof, bool json,
		       const cJSON *result, int timeout_ms, struct cccd_err *err);

void serial_close(struct serial_port *p);

#endif
