/* SPDX-License-Identifier: MIT */
/*
 * vpcd-card - the virtual CCCD chip (drivers/nfc/vchip.c) as a card in vsmartcard's virtual
 * reader (vpcd, loaded by pcscd), so the PC/SC link runs unmodified against real pcscd.
 *
 *   vpcd-card DATASET --port N [--sm 0|1] [--ext 0|1] [--pace 0|1] [--bac 0|1]
 *             [--log FILE] [--drop-after N] [--mute-after N] [--mute-ms MS]
 *             [--truncate-at N] [--reconnect-ms MS] [--exit-after-ms MS]
 *
 * vpcd protocol (TCP to 127.0.0.1:N): every message is a 2-byte big-endian length and the
 * payload, written in ONE send with TCP_NODELAY (else each APDU waits ~40 ms for a delayed ACK).
 * One-byte messages are control: 00 power off, 01 power on, 02 reset, 04 ATR request (answered
 * with the ATR); anything else is a command APDU, answered with the response APDU.
 * Example: 00 05 00 84 00 00 08 -> 00 0A <8 random bytes> 90 00.
 * ATR: 3B 85 80 01 80 73 00 00 C0 37 (T=1; card capabilities: chaining, extended Lc/Le) or
 * ... 80 77 without extended length (--ext 0, or a dataset without it).
 * Faults count APDUs since start and fire once: drop-after N (the card leaves at N+1: the socket
 * closes, back after reconnect-ms, default 1000: vpcd accepts a new card only after its presence
 * poll has seen the old connection dead, else the slot stays empty), mute-after N (no answer for
 * mute-ms, then it leaves), truncate-at N (half a message, then it leaves). A zero-length answer is
 * not offered: vpcd waits on it forever (the PC/SC link's deadline covers that, see mute-after).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "nfc/vchip.h"

struct opts {
	const char *dataset, *log;
	unsigned long port, drop_after, mute_after, truncate_at;
	unsigned long mute_ms, reconnect_ms, exit_after_ms;
	int sm, ext, pace, bac; /* -1: as the dataset says */
};

struct card {
	struct opts o;
	struct vchip *chip;
	int fd;
	FILE *log;
	unsigned long apdus;
	unsigned long long end_ms;
	uint8_t in[65536 + 16];
	uint8_t out[2 + VCHIP_RESP_MAX];
};

static void trace(struct card *c, const char *what, unsigned long v)
{
	if (c->log) {
		fprintf(c->log, "%s %lu\n", what, v);
		fflush(c->log);
	}
}

static int dial(struct card *c)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)c->o.port)};
	int one = 1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	while ((unsigned long long)cccd_clock_ms() < c->end_ms) {
		c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (c->fd < 0)
			return -1;
		if (!connect(c->fd, (struct sockaddr *)&a, sizeof(a))) {
			setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
			trace(c, "connected", c->o.port);
			vchip_reset(c->chip);
			return 0;
		}
		close(c->fd);
		c->fd = -1;
		cccd_sleep_ms((unsigned)50);
	}
	return -1;
}

/* The card leaves the reader (socket closed) and comes back after reconnect-ms. */
static int leave(struct card *c, const char *why)
{
	trace(c, why, c->apdus);
	close(c->fd);
	c->fd = -1;
	cccd_sleep_ms((unsigned)c->o.reconnect_ms);
	return dial(c);
}

/* Read exactly n bytes before the run ends; 0, or -1 (closed, error or time is up). */
static int read_n(struct card *c, uint8_t *b, size_t n)
{
	int one = 1;

	while (n) {
		struct pollfd p = {.fd = c->fd, .events = POLLIN};
		ssize_t r;

		if ((unsigned long long)cccd_clock_ms() >= c->end_ms)
			return -1;
		if (poll(&p, 1, 200) <= 0)
			continue;
		setsockopt(c->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
		r = recv(c->fd, b, n, 0);
		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

/* One message: length and payload in a single send. */
static int send_msg(struct card *c, size_t len, size_t send_len)
{
	c->out[0] = (uint8_t)(len >> 8);
	c->out[1] = (uint8_t)len;
	return send(c->fd, c->out, 2 + send_len, MSG_NOSIGNAL) == (ssize_t)(2 + send_len) ? 0 : -1;
}

static int send_atr(struct card *c)
{
	static const uint8_t ext[] = {0x3B, 0x85, 0x80, 0x01, 0x80, 0x73, 0x00, 0x00, 0xC0, 0x37};
	static const uint8_t plain[] = {0x3B, 0x85, 0x80, 0x01, 0x80, 0x73, 0x00, 0x00, 0x80, 0x77};

	memcpy(c->out + 2, c->chip->ds.chip.extended ? ext : plain, sizeof(ext));
	return send_msg(c, sizeof(ext), sizeof(ext));
}

static int apdu(struct card *c, size_t len)
{
	size_t n = 0;

	c->apdus++;
	if (c->o.drop_after && c->apdus == c->o.drop_after + 1)
		return leave(c, "card removed");
	if (c->o.mute_after && c->apdus == c->o.mute_after + 1) {
		trace(c, "muted", c->apdus);
		cccd_sleep_ms((unsigned)c->o.mute_ms);
		return leave(c, "card removed after mute");
	}
	if (vchip_process(c->chip, c->in, len, c->out + 2, sizeof(c->out) - 2, &n))
		return -1;
	if (c->o.truncate_at == c->apdus) {
		trace(c, "truncated", c->apdus);
		send_msg(c, n, n / 2);
		return leave(c, "card removed after truncation");
	}
	return send_msg(c, n, n);
}

/* Serve one message; -1 ends the connection (the caller redials or stops). */
static int serve(struct card *c)
{
	uint8_t h[2];
	size_t len;

	if (read_n(c, h, 2))
		return -1;
	len = (size_t)h[0] << 8 | h[1];
	if (!len || len > sizeof(c->in) || read_n(c, c->in, len))
		return -1;
	if (len > 1)
		return apdu(c, len);
	switch (c->in[0]) {
	case 0x00: /* power off */
	case 0x01: /* power on */
	case 0x02: /* reset */
		vchip_reset(c->chip);
		return 0;
	case 0x04:
		return send_atr(c);
	default: /* a one-byte APDU: malformed, the chip says so */
		return apdu(c, len);
	}
}

/* --sm, --ext, --pace, --bac: 0 or 1 over the dataset's [chip]; false for another name. */
static bool bool_opt(struct opts *o, const char *k, int x)
{
	int *dst = !strcmp(k, "--sm")	  ? &o->sm
		   : !strcmp(k, "--ext")  ? &o->ext
		   : !strcmp(k, "--pace") ? &o->pace
		   : !strcmp(k, "--bac")  ? &o->bac
					  : NULL;

	if (dst)
		*dst = x;
	return dst != NULL;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){.sm = -1,
			   .ext = -1,
			   .pace = -1,
			   .bac = -1,
			   .mute_ms = 5000,
			   .reconnect_ms = 1000,
			   .exit_after_ms = 120000};
	if (argc < 2 || argc % 2)
		return -1;
	o->dataset = argv[1];
	for (int i = 2; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];
		char *end;
		unsigned long x = strtoul(v, &end, 10);
		bool num = *v >= '0' && *v <= '9' && !*end;
		static const char *const names[] = {
		    "--port",	 "--drop-after",   "--mute-after",   "--truncate-at",
		    "--mute-ms", "--reconnect-ms", "--exit-after-ms"};
		unsigned long *dst[] = {&o->port,	  &o->drop_after, &o->mute_after,
					&o->truncate_at,  &o->mute_ms,	  &o->reconnect_ms,
					&o->exit_after_ms};
		size_t j = 0;

		if (!strcmp(k, "--log")) {
			o->log = v;
			continue;
		}
		if (num && x <= 1 && bool_opt(o, k, (int)x))
			continue;
		while (j < sizeof(names) / sizeof(names[0]) && strcmp(k, names[j]))
			j++;
		if (!num || j == sizeof(names) / sizeof(names[0]) || x > 3600000)
			return -1;
		*dst[j] = x;
	}
	return o->port >= 1 && o->port <= 65535 ? 0 : -1;
}

static int chip_open(struct card *c)
{
	struct vchip_dataset ds;
	struct cccd_err e = {0};

	c->chip = calloc(1, sizeof(*c->chip));
	if (!c->chip || vchip_dataset_load(c->o.dataset, &ds, &e))
		goto fail;
	if (c->o.sm >= 0)
		ds.chip.sm_required = c->o.sm;
	if (c->o.ext >= 0)
		ds.chip.extended = c->o.ext;
	if (c->o.pace >= 0)
		ds.chip.pace = c->o.pace;
	if (c->o.bac >= 0)
		ds.chip.bac = c->o.bac;
	if (vchip_open(c->chip, &ds, &e))
		goto fail;
	return 0;
fail:
	fprintf(stderr, "vpcd-card: %s: %s: %s\n", c->o.dataset, e.where, e.msg);
	free(c->chip);
	c->chip = NULL;
	return -1;
}

int main(int argc, char **argv)
{
	struct card *c = calloc(1, sizeof(*c));
	int rc = 2;

	if (!c)
		return 2;
	c->fd = -1;
	if (parse_args(argc, argv, &c->o)) {
		fprintf(stderr, "usage: vpcd-card DATASET --port N [--sm 0|1] [--ext 0|1] [--pace "
				"0|1] [--bac 0|1] "
				"[--log FILE] [--drop-after N] [--mute-after N] [--mute-ms MS] "
				"[--truncate-at N] [--reconnect-ms MS] "
				"[--exit-after-ms MS]\n");
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);
	c->end_ms = (unsigned long long)cccd_clock_ms() + c->o.exit_after_ms;
	c->log = c->o.log ? fopen(c->o.log, "a") : NULL;
	if ((c->o.log && !c->log) || chip_open(c))
		goto out;
	rc = 0;
	while ((unsigned long long)cccd_clock_ms() < c->end_ms) {
		if (c->fd < 0 && dial(c))
			break;
		if (serve(c) && c->fd >= 0) { /* vpcd went away: pcscd stopped or restarts */
			close(c->fd);
			c->fd = -1;
			cccd_sleep_ms((unsigned)100);
		}
	}
out:
	if (c->fd >= 0)
		close(c->fd);
	if (c->chip)
		vchip_close(c->chip);
	free(c->chip);
	if (c->log)
		fclose(c->log);
	free(c);
	return rc;
}
