/* SPDX-License-Identifier: MIT */
/*
 * pn532-sim - a PN532 on a pseudo-terminal with the virtual CCCD chip (drivers/nfc/vchip.c) in its
 * field, so libnfc's own pn532_uart driver runs unmodified against it (NXP UM0701-02 §7).
 *
 *   pn532-sim DATASET --link PATH [--sm 0|1] [--pace 0|1] [--bac 0|1] [--type a|b]
 *             [--no-psl] [--log FILE] [--drop-after N] [--gone-after N] [--back-ms MS]
 *             [--garbage-at N] [--truncate-at N] [--mute-after N] [--exit-after-ms MS]
 *
 * PATH becomes a symlink to the pty slave (libnfc: "pn532_uart:PATH"); it is replaced when the
 * device comes back. Faults count InDataExchange commands since start, each fires once:
 * drop-after N (the card leaves at the N+1th: status 01, absent for two polls, then back fresh),
 * gone-after N (the pty closes, PATH vanishes for back-ms), garbage-at N / truncate-at N (that
 * answer is junk / cut in half), mute-after N (no answer until the card is polled again).
 * Example: D4 02 -> D5 03 32 01 06 07 (PN532 v1.6, ISO 14443 A and B, ISO 18092).
 * Omitted: MI chaining (answers stay within one frame), target mode, FeliCa, Jewel, baud changes.
 */
#define _GNU_SOURCE /* posix_openpt, ptsname */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "nfc/pn532_frame.h"
#include "nfc/vchip.h"

#define ST_OK	   0x00u
#define ST_TIMEOUT 0x01u /* the card did not answer */
#define ST_TGREL   0x29u /* no such target */
#define RESP_MAX   263u	 /* status + data in one extended frame (libnfc's 264-byte buffer) */

struct opts {
	const char *dataset, *link, *log;
	int sm, pace, bac; /* -1: as the dataset says */
	bool type_b;	   /* the card answers type B polling only */
	bool no_psl;	   /* the card refuses InPSL */
	unsigned long drop_after, gone_after, garbage_at, truncate_at, mute_after;
	unsigned back_ms, exit_after_ms;
};

struct sim {
	struct opts o;
	struct vchip *chip;
	int master, slave, sigfd;
	FILE *log;
	bool active;	       /* a target is selected */
	bool muted;	       /* the chip stopped answering */
	bool halted;	       /* deselected: answers no REQA until the field drops */
	unsigned absent_polls; /* polls the removed card stays away */
	unsigned long dex;     /* InDataExchange count */
	uint8_t in[4096];
	size_t in_len;
	uint8_t last[PN532_FRAME_MAX]; /* the last answer, for a NACK */
	size_t last_len;
	uint8_t regs[65536]; /* ReadRegister/WriteRegister: libnfc reads, masks and writes back */
	uint8_t apdu_resp[VCHIP_RESP_MAX + 1]; /* status byte + what the chip answers */
};

static void trace(struct sim *s, const char *what, unsigned v)
{
	if (!s->log)
		return;
	fprintf(s->log, "%s %u\n", what, v);
	fflush(s->log);
}

static int write_all(int fd, const uint8_t *b, size_t n)
{
	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* --- the pseudo-terminal and the stable link name --- */

static int pty_open(struct sim *s)
{
	char tmp[1100];
	struct termios t;
	const char *name;

	s->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s->master < 0 || grantpt(s->master) || unlockpt(s->master) ||
	    !(name = ptsname(s->master)))
		return -1;
	/* Hold the slave open: the master then never reads EIO between two libnfc sessions. */
	s->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s->slave < 0 || tcgetattr(s->slave, &t))
		return -1;
	cfmakeraw(&t);
	if (tcsetattr(s->slave, TCSANOW, &t))
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.new", s->o.link);
	unlink(tmp);
	if (symlink(name, tmp) || rename(tmp, s->o.link))
		return -1;
	printf("pn532-sim: %s -> %s\n", s->o.link, name);
	fflush(stdout);
	return 0;
}

static void pty_close(struct sim *s)
{
	unlink(s->o.link);
	if (s->slave >= 0)
		close(s->slave);
	if (s->master >= 0)
		close(s->master);
	s->slave = s->master = -1;
	s->in_len = 0;
	s->active = false;
}

/* --- answers --- */

static int send_answer(struct sim *s, uint8_t cmd, const uint8_t *d, size_t n)
{
	uint8_t body[RESP_MAX + 1];

	if (n > RESP_MAX)
		return -1;
	body[0] = (uint8_t)(cmd + 1);
	if (n)
		memcpy(body + 1, d, n);
	if (pn532_frame_build(PN532_TFI_CHIP, body, n + 1, s->last, sizeof(s->last), &s->last_len,
			      NULL))
		return -1;
	return write_all(s->master, s->last, s->last_len);
}

static int send_status(struct sim *s, uint8_t cmd, uint8_t st)
{
	return send_answer(s, cmd, &st, 1);
}

/* ISO 14443-3/-4 activation data (UM0701-02 §7.3.5): Tg ATQA SAK UIDlen UID ATS. */
static size_t target_a(uint8_t *d)
{
	static const uint8_t t[] = {
	    0x01, 0x01, 0x00, 0x44, 0x20, 0x07, 0x04, 0x56, 0x4E, 0x43, 0x43, 0x43, 0x44,
	    /* ATS: TL T0 (FSCI 8 = 256 bytes, TA TB TC follow) TA(1) 424+848 both ways, TB(1)
	     * FWI 8, TC(1) CID, historical bytes "CCCD" */
	    0x09, 0x78, 0x77, 0x80, 0x02, 0x43, 0x43, 0x43, 0x44};

	memcpy(d, t, sizeof(t));
	return sizeof(t);
}

/* Type B (UM0701-02 §7.3.5): Tg ATQB(50 PUPI AppData ProtInfo) ATTRIB_RES length, ATTRIB_RES. */
static size_t target_b(uint8_t *d)
{
	static const uint8_t t[] = {0x01, 0x01, 0x50, 0x56, 0x4E, 0x43, 0x44, 0x00,
				    0x00, 0x00, 0x00, 0x80, 0x81, 0x81, 0x01, 0x00};

	memcpy(d, t, sizeof(t));
	return sizeof(t);
}

static int in_list_passive(struct sim *s, const uint8_t *p, size_t n)
{
	uint8_t d[32] = {0};
	size_t len = 1;
	bool want_b = n >= 3 && p[2] == 0x03;

	s->active = false;
	if (s->absent_polls) {
		s->absent_polls--;
	} else if (!s->halted && n >= 3 && (p[2] == 0x00 || want_b) && want_b == s->o.type_b) {
		len = want_b ? target_b(d) : target_a(d);
		vchip_reset(s->chip); /* activation = a fresh power-up of the card */
		s->muted = false;
		s->active = true;
	}
	trace(s, "InListPassiveTarget", d[0]);
	return send_answer(s, 0x4A, d, len);
}

/* Faults keyed on the InDataExchange count; 1 when the fault consumed the command. */
static int dex_fault(struct sim *s, int *rc)
{
	if (s->o.gone_after && s->dex == s->o.gone_after + 1) {
		trace(s, "gone", (unsigned)s->dex);
		pty_close(s);
		cccd_sleep_ms((unsigned)s->o.back_ms);
		*rc = pty_open(s);
		return 1;
	}
	if (s->o.drop_after && s->dex == s->o.drop_after + 1) {
		trace(s, "card removed", (unsigned)s->dex);
		s->active = false;
		s->absent_polls = 2;
		*rc = send_status(s, 0x40, ST_TIMEOUT);
		return 1;
	}
	if (s->o.mute_after && s->dex == s->o.mute_after + 1) {
		trace(s, "muted", (unsigned)s->dex);
		s->muted = true;
	}
	if (s->muted) {
		*rc = 0;
		return 1;
	}
	return 0;
}

/* Send the answer to InDataExchange, damaged when a fault says so. */
static int dex_send(struct sim *s, const uint8_t *d, size_t n)
{
	static const uint8_t junk[] = {0x00, 0x00, 0xFF, 0x07, 0x13, 0xD5, 0x41, 0x66, 0x00};

	if (s->o.garbage_at == s->dex) {
		trace(s, "garbage", (unsigned)s->dex);
		return write_all(s->master, junk, sizeof(junk));
	}
	if (s->o.truncate_at == s->dex) {
		uint8_t body[RESP_MAX + 1];
		uint8_t fr[PN532_FRAME_MAX];
		size_t fl;

		trace(s, "truncated", (unsigned)s->dex);
		body[0] = 0x41;
		memcpy(body + 1, d, n);
		if (pn532_frame_build(PN532_TFI_CHIP, body, n + 1, fr, sizeof(fr), &fl, NULL))
			return -1;
		return write_all(s->master, fr, fl / 2);
	}
	return send_answer(s, 0x40, d, n);
}

static int in_data_exchange(struct sim *s, const uint8_t *p, size_t n)
{
	uint8_t *r = s->apdu_resp;
	size_t rl = 0;
	int rc;

	s->dex++;
	if (dex_fault(s, &rc))
		return rc;
	if (!s->active || n < 2 || p[1] != 0x01)
		return send_status(s, 0x40, s->active ? ST_TGREL : ST_TIMEOUT);
	if (vchip_process(s->chip, p + 2, n - 2, r + 1, sizeof(s->apdu_resp) - 1, &rl) ||
	    rl + 1 > RESP_MAX)
		return send_status(s, 0x40, 0x07); /* ESMALLBUF: no MI chaining here */
	r[0] = ST_OK;
	return dex_send(s, r, rl + 1);
}

/* InCommunicateThru: libnfc's ISO-DEP presence check sends an R(NAK) block (B2, or BA 01). */
static int in_communicate_thru(struct sim *s)
{
	const uint8_t ack[] = {ST_OK, 0xA2};

	if (!s->active || s->muted)
		return send_status(s, 0x42, ST_TIMEOUT);
	return send_answer(s, 0x42, ack, sizeof(ack));
}

static int read_register(struct sim *s, const uint8_t *p, size_t n)
{
	uint8_t d[RESP_MAX];
	size_t k = 0;

	for (size_t i = 1; i + 1 < n && k < sizeof(d); i += 2)
		d[k++] = s->regs[(unsigned)p[i] << 8 | p[i + 1]];
	return send_answer(s, 0x06, d, k);
}

static int write_register(struct sim *s, const uint8_t *p, size_t n)
{
	for (size_t i = 1; i + 2 < n; i += 3)
		s->regs[(unsigned)p[i] << 8 | p[i + 1]] = p[i + 2];
	return send_answer(s, 0x08, NULL, 0);
}

static int in_psl(struct sim *s, const uint8_t *p, size_t n)
{
	bool ok = s->active && !s->o.no_psl && n >= 4 && p[2] <= 3 && p[3] <= 3;

	trace(s, "InPSL", n >= 4 ? p[2] : 0xFF);
	return send_status(s, 0x4E, ok ? ST_OK : ST_TIMEOUT);
}

/* One host command (p[0] = command code); 0, or -1 when the pty failed. */
static int command(struct sim *s, const uint8_t *p, size_t n)
{
	static const uint8_t fw[] = {0x32, 0x01, 0x06, 0x07};
	static const uint8_t error_frame[] = {0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00};

	switch (p[0]) {
	case 0x00: /* Diagnose: NumTst 00 echoes its parameters */
		return send_answer(s, p[0], p + 1, n - 1);
	case 0x02:
		return send_answer(s, p[0], fw, sizeof(fw));
	case 0x06:
		return read_register(s, p, n);
	case 0x08:
		return write_register(s, p, n);
	case 0x4A:
		return in_list_passive(s, p, n);
	case 0x40:
		return in_data_exchange(s, p, n);
	case 0x42:
		return in_communicate_thru(s);
	case 0x4E:
		return in_psl(s, p, n);
	case 0x44: /* InDeselect */
	case 0x52: /* InRelease */
		s->halted = s->halted || s->active;
		s->active = false;
		/* fall through */
	case 0x16: /* PowerDown */
		return send_status(s, p[0], ST_OK);
	case 0x32: /* RFConfiguration; item 01 bit 0 off = field off: the card loses power */
		if (n >= 3 && p[1] == 0x01 && !(p[2] & 1))
			s->halted = s->active = false;
		return send_answer(s, p[0], NULL, 0);
	case 0x12: /* SetParameters */
	case 0x14: /* SAMConfiguration */
	case 0x0E: /* WriteGPIO */
		return send_answer(s, p[0], NULL, 0);
	default: /* syntax error: the application-level error frame (UM0701-02 §6.2.1.5) */
		trace(s, "unknown command", p[0]);
		return write_all(s->master, error_frame, sizeof(error_frame));
	}
}

static void consume(struct sim *s, size_t n)
{
	if (n > s->in_len)
		n = s->in_len;
	memmove(s->in, s->in + n, s->in_len - n);
	s->in_len -= n;
}

static int frame(struct sim *s, const struct pn532_frame *f)
{
	int rc;

	if (f->kind == PN532_FRAME_NACK)
		return write_all(s->master, s->last, s->last_len);
	if (f->kind != PN532_FRAME_INFO || f->tfi != PN532_TFI_HOST || !f->len)
		return 0; /* an ACK from the host aborts nothing here: answers are immediate */
	rc = write_all(s->master, pn532_frame_ack, sizeof(pn532_frame_ack));
	return rc ? rc : command(s, f->data, f->len);
}

/* Take every whole frame out of the input buffer; junk and bad frames are dropped. */
static int drain(struct sim *s)
{
	struct pn532_frame f;
	int rc;

	while (s->in_len) {
		if (pn532_frame_parse(s->in, s->in_len, &f, NULL)) {
			if (f.need > s->in_len && s->in_len < sizeof(s->in)) {
				consume(s, f.used);
				return 0;
			}
			trace(s, "bad frame dropped", (unsigned)f.used);
			consume(s, f.used ? f.used : 1);
			continue;
		}
		rc = frame(s, &f);
		if (rc || s->in_len < f.used) /* the pty failed, or was replaced by a fault */
			return rc;
		consume(s, f.used);
	}
	return 0;
}

/* Wait for host bytes or a signal; 1 to go on, 0 to stop, -1 on error. */
static int step(struct sim *s, uint64_t deadline)
{
	struct pollfd p[2] = {{.fd = s->master, .events = POLLIN},
			      {.fd = s->sigfd, .events = POLLIN}};
	uint64_t now = (uint64_t)cccd_clock_ms();
	ssize_t r;

	if (now >= deadline)
		return 0;
	if (poll(p, 2, (int)(deadline - now > 200 ? 200 : deadline - now)) < 0)
		return errno == EINTR ? 1 : -1;
	if (p[1].revents)
		return 0;
	if (!(p[0].revents & POLLIN))
		return 1;
	r = read(s->master, s->in + s->in_len, sizeof(s->in) - s->in_len);
	if (r < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -1;
	s->in_len += (size_t)r;
	return drain(s) ? -1 : 1;
}

static int opt_ulong(const char *v, unsigned long *out)
{
	char *end;

	if (!v || *v < '0' || *v > '9')
		return -1;
	*out = strtoul(v, &end, 10);
	return *end ? -1 : 0;
}

static int parse_opt(struct opts *o, const char *k, const char *v)
{
	unsigned long x = 0;

	if (!strcmp(k, "--link") && v)
		o->link = v;
	else if (!strcmp(k, "--log") && v)
		o->log = v;
	else if (!strcmp(k, "--type") && v && (!strcmp(v, "a") || !strcmp(v, "b")))
		o->type_b = v[0] == 'b';
	else if (opt_ulong(v, &x))
		return -1;
	else if (!strcmp(k, "--sm") && x <= 1)
		o->sm = (int)x;
	else if (!strcmp(k, "--pace") && x <= 1)
		o->pace = (int)x;
	else if (!strcmp(k, "--bac") && x <= 1)
		o->bac = (int)x;
	else if (!strcmp(k, "--drop-after"))
		o->drop_after = x;
	else if (!strcmp(k, "--gone-after"))
		o->gone_after = x;
	else if (!strcmp(k, "--garbage-at"))
		o->garbage_at = x;
	else if (!strcmp(k, "--truncate-at"))
		o->truncate_at = x;
	else if (!strcmp(k, "--mute-after"))
		o->mute_after = x;
	else if (!strcmp(k, "--back-ms") && x <= 60000)
		o->back_ms = (unsigned)x;
	else if (!strcmp(k, "--exit-after-ms") && x <= 3600000)
		o->exit_after_ms = (unsigned)x;
	else
		return -1;
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	*o =
	    (struct opts){.sm = -1, .pace = -1, .bac = -1, .back_ms = 300, .exit_after_ms = 120000};
	if (argc < 2)
		return -1;
	o->dataset = argv[1];
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--no-psl")) {
			o->no_psl = true;
			continue;
		}
		if (parse_opt(o, argv[i], i + 1 < argc ? argv[i + 1] : NULL))
			return -1;
		i++;
	}
	return o->link ? 0 : -1;
}

static int chip_open(struct sim *s)
{
	struct vchip_dataset ds;
	struct cccd_err e = {0};

	s->chip = calloc(1, sizeof(*s->chip));
	if (!s->chip || vchip_dataset_load(s->o.dataset, &ds, &e))
		goto fail;
	if (s->o.sm >= 0)
		ds.chip.sm_required = s->o.sm;
	if (s->o.pace >= 0)
		ds.chip.pace = s->o.pace;
	if (s->o.bac >= 0)
		ds.chip.bac = s->o.bac;
	if (vchip_open(s->chip, &ds, &e))
		goto fail;
	return 0;
fail:
	fprintf(stderr, "pn532-sim: %s: %s: %s\n", s->o.dataset, e.where, e.msg);
	free(s->chip);
	s->chip = NULL;
	return -1;
}

static int sig_open(void)
{
	sigset_t m;

	sigemptyset(&m);
	sigaddset(&m, SIGTERM);
	sigaddset(&m, SIGINT);
	sigaddset(&m, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &m, NULL))
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &m, SFD_CLOEXEC);
}

int main(int argc, char **argv)
{
	struct sim *s = calloc(1, sizeof(*s));
	int rc = 2;

	if (!s)
		return 2;
	s->master = s->slave = -1;
	if (parse_args(argc, argv, &s->o)) {
		fprintf(stderr,
			"usage: pn532-sim DATASET --link PATH [--sm 0|1] [--pace 0|1] [--bac 0|1] "
			"[--type a|b] "
			"[--no-psl] [--log FILE] [--drop-after N] [--gone-after N] "
			"[--back-ms MS] [--garbage-at N] [--truncate-at N] [--mute-after N] "
			"[--exit-after-ms MS]\n");
		goto out;
	}
	s->sigfd = sig_open();
	s->log = s->o.log ? fopen(s->o.log, "a") : NULL;
	if (s->sigfd < 0 || (s->o.log && !s->log) || chip_open(s) || pty_open(s)) {
		perror("pn532-sim");
		goto out;
	}
	for (uint64_t end = (uint64_t)cccd_clock_ms() + s->o.exit_after_ms;
	     (rc = step(s, end)) > 0;)
		;
	rc = rc < 0 ? 1 : 0;
out:
	pty_close(s);
	if (s->chip)
		vchip_close(s->chip);
	free(s->chip);
	if (s->log)
		fclose(s->log);
	free(s);
	return rc;
}
