/* SPDX-License-Identifier: MIT */
/*
 * line.h - serial line settings as configured: baud, framing ("8N1", "7E1", ...) and flow
 * control (none, rtscts, xonxoff). Pure parsing, shared by the config loader and
 * drivers/serial; only the rates Linux termios can set (B50..B4000000) are accepted, so an
 * impossible baud is rejected at load, not when the port opens.
 */
#ifndef CCCD_OUT_LINE_H
#define CCCD_OUT_LINE_H

#include <stdbool.h>

enum out_flow { OUT_FLOW_NONE, OUT_FLOW_RTSCTS, OUT_FLOW_XONXOFF };

struct out_line {
	int baud;
	int data_bits; /* 5..8 */
	char parity;   /* 'N', 'E', 'O' */
	int stop_bits; /* 1 or 2 */
	enum out_flow flow;
};

/* 9600 8N1, no flow control. */
void out_line_defaults(struct out_line *l);

/* Each returns 0, or -CCCD_ECONFIG with the reason in msg. */
int out_line_baud(struct out_line *l, const char *v, char *msg, unsigned msglen);
int out_line_framing(struct out_line *l, const char *v, char *msg, unsigned msglen);
int out_line_flow(struct out_line *l, const char *v, char *msg, unsigned msglen);

/* True when baud is one of the termios rates. */
bool out_line_baud_ok(long baud);

#endif
