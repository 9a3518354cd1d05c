/* SPDX-License-Identifier: MIT */
/*
 * line.c - serial line settings (line.h). The rate list is the set of Bxxx constants of
 * <asm-generic/termbits.h>; "115200" is accepted, "115201" is "not a termios rate".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "out/line.h"

static const long rates[] = {50,      75,      110,	134,	 150,	  200,	  300,	   600,
			     1200,    1800,    2400,	4800,	 9600,	  19200,  38400,   57600,
			     115200,  230400,  460800,	500000,	 576000,  921600, 1000000, 1152000,
			     1500000, 2000000, 2500000, 3000000, 3500000, 4000000};

bool out_line_baud_ok(long baud)
{
	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
		if (rates[i] == baud)
			return true;
	return false;
}

void out_line_defaults(struct out_line *l)
{
	*l = (struct out_line){9600, 8, 'N', 1, OUT_FLOW_NONE};
}

int out_line_baud(struct out_line *l, const char *v, char *msg, unsigned msglen)
{
	char *end;
	long b;

	errno = 0;
	b = strtol(v, &end, 10);
	if (errno || end == v || *end || !out_line_baud_ok(b)) {
		snprintf(msg, msglen, "baud: \"%.20s\" is not a termios rate (e.g. 9600, 115200)",
			 v);
		return -CCCD_ECONFIG;
	}
	l->baud = (int)b;
	return 0;
}

int out_line_framing(struct out_line *l, const char *v, char *msg, unsigned msglen)
{
	if (strlen(v) != 3 || v[0] < '5' || v[0] > '8' || !strchr("NEO", v[1]) || !v[1] ||
	    (v[2] != '1' && v[2] != '2')) {
		snprintf(msg, msglen,
			 "framing: expected data bits 5-8, parity N/E/O, stop bits 1-2 "
			 "(e.g. 8N1, 7E1), got \"%.10s\"",
			 v);
		return -CCCD_ECONFIG;
	}
	l->data_bits = v[0] - '0';
	l->parity = v[1];
	l->stop_bits = v[2] - '0';
	return 0;
}

int out_line_flow(struct out_line *l, const char *v, char *msg, unsigned msglen)
{
	static const char *const names[] = {"none", "rtscts", "xonxoff"};

	for (size_t i = 0; i < 3; i++) {
		if (!strcmp(v, names[i])) {
			l->flow = (enum out_flow)i;
			return 0;
		}
	}
	snprintf(msg, msglen, "flow: expected none, rtscts or xonxoff, got \"%.20s\"", v);
	return -CCCD_ECONFIG;
}
