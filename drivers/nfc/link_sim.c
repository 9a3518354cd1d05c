/* SPDX-License-Identifier: MIT */
/*
 * link_sim.c - the "sim:" card_link: a virtual CCCD chip (vchip.c) built from a dataset file,
 * in process, with knobs for tests (docs/virtual-chip.md):
 *
 *   sim:tests/fixtures/cards/an.ini?max_le=231&ext=0&latency_us=5000&bitrate=424000&drop_after=7
 *
 *   max_le=N ext=0|1 eof=6282|6cxx|9000 photo=N sm=0|1 pace=0|1 bac=0|1   override [chip]
 *   faults=a,b           add dataset faults (tamper_dg13, wrong_mac, ...)
 *   latency_us=N bitrate=N sleep=0|1   model time per APDU = latency + 8 x bytes / bitrate
 *                                      (counted, slept only with sleep=1; default 0 / 424000)
 *   drop_after=N         the card leaves after N APDUs: transceive -> -CCCD_ENOCARD, the next
 *                        wait_card reports it absent, the one after presents it again, fresh
 *   corrupt=N            flip the last byte before SW1 SW2 of response N (SW2 if no data)
 *   watch=1              the dataset file is the card in the field: no file = no card, another
 *                        file (inode, size or mtime changed) = the card left and a new one came
 *                        (the daemon's tests and `make demo` present cards with ln -sf / rm)
 *   device=PATH          the reader is plugged in while PATH exists: without it open and every
 *                        call fail with -CCCD_EIO (device loss and return, for the daemon's tests)
 *
 * Omitted: ATR/ATS, ISO 14443-4 chaining and frame sizes (the model time counts bytes only).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "card_link.h"
#include "nfc/link_sim.h"
#include "nfc/vchip.h"

struct sim_knobs {
	unsigned latency_us;
	unsigned bitrate;
	bool sleep;
	unsigned long drop_after; /* 0: never */
	unsigned long corrupt;	  /* 0: never; 1-based APDU number */
	bool watch;		  /* the dataset file's presence is the card's */
	char device[128];	  /* "": always plugged in */
};

struct sim {
	struct vchip chip;
	struct sim_knobs k;
	struct link_sim_stats st;
	bool reported_absent;
	bool chip_open;		    /* watch mode: a chip is loaded */
	char path[256], query[256]; /* watch mode: the dataset file and the knobs */
	struct stat file;	    /* watch mode: identity of the file the chip came from */
	uint8_t resp[VCHIP_RESP_MAX];
};

static int knob_uint(const char *v, unsigned long lo, unsigned long hi, unsigned long *out)
{
	char *end;
	unsigned long x;

	if (*v < '0' || *v > '9')
		return -1;
	x = strtoul(v, &end, 10);
	if (*end || x < lo || x > hi)
		return -1;
	*out = x;
	return 0;
}

/* One knob "key=value" into the dataset or the link knobs. */
static int knob(struct vchip_dataset *ds, struct sim_knobs *k, char *kv)
{
	char *v = strchr(kv, '=');
	unsigned long x = 0;
	unsigned bits;

	if (!v)
		return -1;
	*v++ = '\0';
	if (!strcmp(kv, "faults")) {
		if (vchip_faults_parse_list(v, strlen(v), &bits))
			return -1;
		ds->chip.faults |= bits;
		return 0;
	}
	if (!strcmp(kv, "eof")) {
		static const char *const names[] = {"6282", "6cxx", "9000"};

		for (unsigned i = 0; i < 3; i++)
			if (!strcmp(v, names[i])) {
				ds->chip.eof = (enum vchip_eof)i;
				return 0;
			}
		return -1;
	}
	if (!strcmp(kv, "max_le") && !knob_uint(v, 1, 65536, &x))
		ds->chip.max_le = (unsigned)x;
	else if (!strcmp(kv, "ext") && !knob_uint(v, 0, 1, &x))
		ds->chip.extended = x;
	else if (!strcmp(kv, "sm") && !knob_uint(v, 0, 1, &x))
		ds->chip.sm_required = x;
	else if (!strcmp(kv, "pace") && !knob_uint(v, 0, 1, &x))
		ds->chip.pace = x;
	else if (!strcmp(kv, "bac") && !knob_uint(v, 0, 1, &x))
		ds->chip.bac = x;
	else if (!strcmp(kv, "photo") && !knob_uint(v, 1000, 60000, &x))
		ds->chip.photo_bytes = (unsigned)x;
	else if (!strcmp(kv, "latency_us") && !knob_uint(v, 0, 10000000, &x))
		k->latency_us = (unsigned)x;
	else if (!strcmp(kv, "bitrate") && !knob_uint(v, 1000, 100000000, &x))
		k->bitrate = (unsigned)x;
	else if (!strcmp(kv, "sleep") && !knob_uint(v, 0, 1, &x))
		k->sleep = x;
	else if (!strcmp(kv, "drop_after") && !knob_uint(v, 1, 1000000, &x))
		k->drop_after = x;
	else if (!strcmp(kv, "corrupt") && !knob_uint(v, 1, 1000000, &x))
		k->corrupt = x;
	else if (!strcmp(kv, "watch") && !knob_uint(v, 0, 1, &x))
		k->watch = x;
	else if (!strcmp(kv, "device") && *v && strlen(v) < sizeof(k->device))
		memcpy(k->device, v, strlen(v) + 1);
	else
		return -1;
	return 0;
}

static int parse_knobs(char *q, struct vchip_dataset *ds, struct sim_knobs *k, struct cccd_err *err)
{
	char *save = NULL;

	for (char *kv = strtok_r(q, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
		char name[24];

		snprintf(name, sizeof(name), "%s", kv);
		name[strcspn(name, "=")] = '\0';
		if (knob(ds, k, kv))
			return cccd_err_set(err, -CCCD_EINVAL, "link_sim",
					    "knob '%s': unknown or out of range", name);
	}
	return 0;
}

static bool unplugged(const struct sim_knobs *k)
{
	return k->device[0] && access(k->device, F_OK) != 0;
}

/* Load the dataset at path with the knobs in query (which may be NULL) into a fresh chip. */
static int load_chip(struct sim *s, const char *path, const char *query, struct sim_knobs *k,
		     struct cccd_err *err)
{
	struct vchip_dataset ds;
	char q[256];
	int rc;

	snprintf(q, sizeof(q), "%s", query ? query : "");
	rc = vchip_dataset_load(path, &ds, err);
	if (!rc && q[0])
		rc = parse_knobs(q, &ds, k, err);
	if (!rc)
		rc = vchip_open(&s->chip, &ds, err);
	if (!rc) {
		s->chip_open = true;
		s->st.card_present = true;
		s->reported_absent = false;
	}
	return rc;
}

static int sim_open(struct card_link *link, const char *arg, struct cccd_err *err)
{
	struct sim_knobs k = {.bitrate = 424000};
	struct vchip_dataset scratch;
	char buf[sizeof(link->uri)];
	char *q;
	struct sim *s;
	int rc = 0;

	snprintf(buf, sizeof(buf), "%s", arg);
	q = strchr(buf, '?');
	if (q)
		*q++ = '\0';
	s = calloc(1, sizeof(*s));
	if (!s)
		return cccd_err_set(err, -CCCD_ENOMEM, "link_sim", "no memory for the chip");
	snprintf(s->path, sizeof(s->path), "%s", buf);
	snprintf(s->query, sizeof(s->query), "%s", q ? q : "");
	if (q) { /* the link's own knobs, once; the dataset's are applied per chip */
		char tmp[256];

		memset(&scratch, 0, sizeof(scratch));
		snprintf(tmp, sizeof(tmp), "%s", q);
		rc = parse_knobs(tmp, &scratch, &k, err);
	}
	if (!rc && unplugged(&k))
		rc = cccd_err_set(err, -CCCD_EIO, "link_sim", "reader unplugged (no %s)", k.device);
	s->k = k;
	if (!rc && !(k.watch && access(s->path, F_OK) != 0))
		rc = load_chip(s, s->path, q, &s->k, err);
	if (rc) {
		free(s);
		return rc;
	}
	if (k.watch)
		stat(s->path, &s->file);
	link->priv = s;
	return 0;
}

/* watch=1: the card leaves (its chip is dropped); it reports absent once. */
static void card_leave(struct sim *s)
{
	if (s->chip_open)
		vchip_close(&s->chip);
	s->chip_open = false;
	s->st.card_present = false;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static int wait_watch(struct sim *s, struct cccd_err *err)
{
	struct stat st;
	struct sim_knobs k = s->k;
	int rc;

	if (stat(s->path, &st)) {
		card_leave(s);
		return 0;
	}
	if (s->chip_open && s->st.card_present && same_file(&st, &s->file))
		return 1;
	if (s->chip_open) { /* another card, or the same one after a drop: this one left first */
		card_leave(s);
		return 0;
	}
	rc = load_chip(s, s->path, s->query, &k, err);
	s->file = st;
	return rc ? rc : 1;
}

static int sim_wait_card(struct card_link *link, int timeout_ms, struct cccd_err *err)
{
	struct sim *s = link->priv;

	(void)timeout_ms;
	if (unplugged(&s->k))
		return cccd_err_set(err, -CCCD_EIO, "link_sim", "reader unplugged (no %s)",
				    s->k.device);
	if (s->k.watch)
		return wait_watch(s, err);
	if (s->st.card_present)
		return 1;
	if (!s->reported_absent) {
		s->reported_absent = true;
		return 0;
	}
	vchip_reset(&s->chip);
	s->k.drop_after = 0;
	s->reported_absent = false;
	s->st.card_present = true;
	return 1;
}

static void model_time(struct sim *s, size_t bytes)
{
	uint64_t bits = 8 * (uint64_t)bytes;
	uint64_t us = s->k.latency_us + (bits * 1000000 + s->k.bitrate - 1) / s->k.bitrate;

	s->st.payload_bits += bits;
	s->st.model_us += us;
	if (s->k.sleep) {
		struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000};

		nanosleep(&ts, NULL);
	}
}

static int sim_transceive(struct card_link *link, const uint8_t *apdu, size_t apdu_len,
			  uint8_t *resp, size_t resp_cap, size_t *resp_len, struct cccd_err *err)
{
	struct sim *s = link->priv;
	size_t n;

	if (unplugged(&s->k))
		return cccd_err_set(err, -CCCD_EIO, "link_sim", "reader unplugged (no %s)",
				    s->k.device);
	if (!s->st.card_present || !s->chip_open)
		return cccd_err_set(err, -CCCD_ENOCARD, "link_sim", "no card in the field");
	if (s->k.drop_after && s->st.apdus >= s->k.drop_after) {
		s->st.card_present = false;
		s->k.drop_after = s->k.watch ? 0 : s->k.drop_after;
		vchip_reset(&s->chip);
		return cccd_err_set(err, -CCCD_ENOCARD, "link_sim", "card left after %lu APDUs",
				    s->st.apdus);
	}
	s->st.apdus++;
	if (vchip_process(&s->chip, apdu, apdu_len, s->resp, sizeof(s->resp), &n))
		return cccd_err_set(err, -CCCD_EIO, "link_sim", "chip failed");
	if (s->k.corrupt == s->st.apdus)
		s->resp[n > 2 ? n - 3 : n - 1] ^= 0x01;
	model_time(s, apdu_len + n);
	if (n > resp_cap)
		return cccd_err_set(err, -CCCD_ENOSPC, "link_sim",
				    "response of %zu bytes, room for %zu", n, resp_cap);
	memcpy(resp, s->resp, n);
	*resp_len = n;
	return 0;
}

static size_t sim_max_apdu(struct card_link *link)
{
	const struct sim *s = link->priv;

	return s->chip.ds.chip.extended ? CARD_LINK_EXT_APDU : CARD_LINK_SHORT_APDU;
}

static void sim_close(struct card_link *link)
{
	struct sim *s = link->priv;

	if (!s)
		return;
	if (s->chip_open)
		vchip_close(&s->chip);
	free(s);
	link->priv = NULL;
}

const struct card_link_ops link_sim_ops = {
    .scheme = "sim",
    .open = sim_open,
    .wait_card = sim_wait_card,
    .transceive = sim_transceive,
    .max_apdu = sim_max_apdu,
    .close = sim_close,
};

int link_sim_stats(const struct card_link *link, struct link_sim_stats *st)
{
	if (link->ops != &link_sim_ops || !link->priv)
		return -CCCD_EINVAL;
	*st = ((const struct sim *)link->priv)->st;
	return 0;
}
