/* SPDX-License-Identifier: MIT */
/*
 * link_pcsc.c - the "pcsc:" card_link: CCID desk readers (ACR1252U, Omnikey, Identiv) through
 * pcsc-lite. URIs: "pcsc:" (first reader), "pcsc:<name>" (exact, else the first name it
 * prefixes), "pcsc:<name>?ext=0|1" (force extended length off/on).
 *
 * wait_card waits with SCardGetStatusChange, connects T=1 (else whatever the card offers) and
 * decides extended length from the ATR's card capabilities (ISO 7816-4 §8.1.1.2.7, third byte
 * b7) and the reader's SCARD_ATTR_MAXINPUT when it reports one. Each APDU has its own deadline
 * (link->timeout_ms): SCardTransmit runs in a worker thread, because a reader that never times out
 * (vpcd) blocks it until the card goes; a worker left behind owns and frees its own state. An
 * empty response is an error (a card lost mid-APDU comes back as success with 0 bytes).
 * pcscd restarts (SCARD_E_NO_SERVICE, or "Access denied." when a connection is reset by a
 * pcscd that is dying) re-establish the context within the wait; an unplugged reader is looked
 * up again by name.
 * Example ATR (the virtual chip on vpcd): 3B 85 80 01 80 73 00 00 C0 B7 -> T=1, extended Lc/Le.
 * Omitted: SCardControl/escape commands, PIN pads, sharing a reader with other applications.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <reader.h>
#include <winscard.h>

#include "card_link.h"
#include "core/clock.h"
#include "nfc/link_pcsc.h"
#include "nfc/readers.h"

#define SLICE_MS 250u /* longest single wait, so reader and service changes are seen */

struct xfer { /* one SCardTransmit, shared by the caller and its worker thread */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool done, orphan; /* orphan: the caller gave up; the worker frees everything */
	SCARDCONTEXT ctx;
	SCARDHANDLE card;
	DWORD proto;
	LONG rv;
	DWORD in_len, out_len;
	uint8_t in[CARD_LINK_EXT_APDU];
	uint8_t out[CARD_LINK_MAX_RESP];
};

struct pcsc {
	SCARDCONTEXT ctx;
	SCARDHANDLE card;
	bool have_ctx, connected, ext;
	int force_ext; /* -1 auto, 0 off, 1 on */
	DWORD proto;
	char want[200];	  /* "" = first reader */
	char reader[256]; /* the one in use */
	struct xfer *x;	  /* NULL after a worker was left behind */
};

static struct xfer *xfer_new(void)
{
	struct xfer *x = calloc(1, sizeof(*x));

	if (x && (pthread_mutex_init(&x->mu, NULL) || pthread_cond_init(&x->cv, NULL))) {
		free(x);
		return NULL;
	}
	return x;
}

static void xfer_free(struct xfer *x)
{
	pthread_mutex_destroy(&x->mu);
	pthread_cond_destroy(&x->cv);
	free(x);
}

/* The connection to pcscd is gone: drop the context and establish it again. pcsc-lite maps a
 * reset socket (ECONNRESET) to SCARD_W_SECURITY_VIOLATION, "Access denied.": a client that
 * connects while a killed pcscd is still closing its listening socket gets it from
 * SCardEstablishContext, as does any call whose request the dying pcscd never read. A polkit
 * refusal looks the same, so the wait's deadline bounds the retries and the final error names
 * the code. */
static bool is_service_error(LONG rv)
{
	return rv == SCARD_E_NO_SERVICE || rv == SCARD_E_SERVICE_STOPPED ||
	       rv == SCARD_E_INVALID_HANDLE || rv == SCARD_F_COMM_ERROR ||
	       rv == SCARD_W_SECURITY_VIOLATION;
}

static bool is_reader_error(LONG rv)
{
	return rv == SCARD_E_UNKNOWN_READER || rv == SCARD_E_READER_UNAVAILABLE ||
	       rv == SCARD_E_NO_READERS_AVAILABLE;
}

static void drop_card(struct pcsc *p)
{
	if (p->connected)
		SCardDisconnect(p->card, SCARD_RESET_CARD);
	p->connected = false;
}

static void drop_ctx(struct pcsc *p)
{
	drop_card(p);
	if (p->have_ctx)
		SCardReleaseContext(p->ctx);
	p->have_ctx = false;
	p->reader[0] = '\0';
}

/* Card capabilities in the ATR's historical bytes say "extended Lc and Le" (tag 7x, 3rd byte
 * b7). Historical bytes start after T0 and the TA/TB/TC/TD chain (ISO 7816-3 §8.2). */
bool link_pcsc_atr_extended(const uint8_t *atr, size_t len)
{
	size_t i = 2, k, end;
	uint8_t td;

	if (len < 2)
		return false;
	k = atr[1] & 0x0F;
	td = atr[1];
	for (;;) {
		uint8_t y = td >> 4;

		i += (size_t)(y & 1) + ((y >> 1) & 1) + ((y >> 2) & 1);
		if (!(y & 8))
			break;
		if (i >= len)
			return false;
		td = atr[i++];
	}
	if (k < 1 || i + k > len)
		return false;
	if (atr[i] == 0x80)
		end = i + k;
	else if (atr[i] == 0x00 && k >= 4)
		end = i + k - 3; /* category 00: three status bytes close it */
	else
		return false;
	for (size_t j = i + 1; j < end;) {
		size_t l = atr[j] & 0x0F;

		if (j + 1 + l > end)
			return false;
		if ((atr[j] >> 4) == 7 && l >= 3)
			return (atr[j + 3] & 0x40) != 0;
		j += 1 + l;
	}
	return false;
}

static int parse_arg(struct pcsc *p, const char *arg, struct cccd_err *err)
{
	const char *q = strrchr(arg, '?');
	size_t n = q ? (size_t)(q - arg) : strlen(arg);

	p->force_ext = -1;
	if (n >= sizeof(p->want))
		return cccd_err_set(err, -CCCD_EINVAL, "link_pcsc", "reader name too long");
	memcpy(p->want, arg, n);
	p->want[n] = '\0';
	if (!q)
		return 0;
	if (!strcmp(q, "?ext=0") || !strcmp(q, "?ext=1")) {
		p->force_ext = q[5] - '0';
		return 0;
	}
	return cccd_err_set(err, -CCCD_EINVAL, "link_pcsc", "unknown option '%.20s'", q + 1);
}

static int pcsc_open(struct card_link *link, const char *arg, struct cccd_err *err)
{
	struct pcsc *p = calloc(1, sizeof(*p));
	int rc;

	if (!p || !(p->x = xfer_new())) {
		free(p);
		return cccd_err_set(err, -CCCD_ENOMEM, "link_pcsc", "no memory");
	}
	rc = parse_arg(p, arg, err);
	if (rc) {
		xfer_free(p->x);
		free(p);
		return rc;
	}
	link->priv = p;
	return 0;
}

static LONG ensure_ctx(struct pcsc *p)
{
	LONG rv;

	if (p->have_ctx)
		return SCARD_S_SUCCESS;
	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &p->ctx);
	p->have_ctx = rv == SCARD_S_SUCCESS;
	return rv;
}

/* Pick the reader: exact name, else the first the wanted name prefixes, else (empty) the first. */
static LONG find_reader(struct pcsc *p)
{
	char names[4096];
	DWORD len = sizeof(names);
	const char *hit = NULL;
	LONG rv = SCardListReaders(p->ctx, NULL, names, &len);

	if (rv != SCARD_S_SUCCESS)
		return rv;
	if (len > sizeof(names))
		len = sizeof(names);
	names[len - 1 < sizeof(names) ? len - 1 : 0] = '\0';
	for (const char *r = names; *r && r < names + len; r += strlen(r) + 1) {
		if (!strcmp(r, p->want)) {
			hit = r;
			break;
		}
		if (!hit && !strncmp(r, p->want, strlen(p->want)))
			hit = r;
	}
	if (!hit)
		return SCARD_E_UNKNOWN_READER;
	snprintf(p->reader, sizeof(p->reader), "%.255s", hit);
	return SCARD_S_SUCCESS;
}

static bool reader_short_only(struct pcsc *p)
{
	uint8_t v[4] = {0};
	DWORD n = sizeof(v);
	unsigned long max;

	if (SCardGetAttrib(p->card, SCARD_ATTR_MAXINPUT, v, &n) != SCARD_S_SUCCESS || n != 4)
		return false; /* the reader does not say: trust the card */
	max = (unsigned long)v[0] | (unsigned long)v[1] << 8 | (unsigned long)v[2] << 16 |
	      (unsigned long)v[3] << 24;
	return max > 0 && max < CARD_LINK_SHORT_APDU + 10;
}

static LONG connect_card(struct pcsc *p)
{
	uint8_t atr[MAX_ATR_SIZE];
	DWORD atr_len = sizeof(atr), state, proto, rlen = 0;
	LONG rv = SCardConnect(p->ctx, p->reader, SCARD_SHARE_EXCLUSIVE, SCARD_PROTOCOL_T1,
			       &p->card, &p->proto);

	if (rv == SCARD_E_PROTO_MISMATCH)
		rv = SCardConnect(p->ctx, p->reader, SCARD_SHARE_EXCLUSIVE,
				  SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &p->card, &p->proto);
	if (rv != SCARD_S_SUCCESS)
		return rv;
	p->connected = true;
	rv = SCardStatus(p->card, NULL, &rlen, &state, &proto, atr, &atr_len);
	if (rv != SCARD_S_SUCCESS) {
		drop_card(p);
		return rv;
	}
	p->ext = p->force_ext >= 0 ? p->force_ext == 1
				   : link_pcsc_atr_extended(atr, atr_len) && !reader_short_only(p);
	return SCARD_S_SUCCESS;
}

/* One slice of waiting: a card connected (1), none yet (0), or a pcsc error (<0 as LONG). */
static LONG wait_slice(struct pcsc *p, unsigned ms)
{
	SCARD_READERSTATE rs = {.szReader = p->reader, .dwCurrentState = SCARD_STATE_UNAWARE};
	LONG rv = SCardGetStatusChange(p->ctx, 0, &rs, 1);

	if (rv == SCARD_S_SUCCESS && !(rs.dwEventState & SCARD_STATE_PRESENT)) {
		rs.dwCurrentState = rs.dwEventState;
		rv = SCardGetStatusChange(p->ctx, ms, &rs, 1);
		if (rv == SCARD_E_TIMEOUT)
			return 0;
	}
	if (rv != SCARD_S_SUCCESS)
		return rv;
	if (!(rs.dwEventState & SCARD_STATE_PRESENT) || (rs.dwEventState & SCARD_STATE_MUTE))
		return 0;
	rv = connect_card(p);
	/* not ready yet; unpowered: its power-up failed (just inserted), SCardConnect retries it */
	if (rv == SCARD_E_NO_SMARTCARD || rv == SCARD_W_REMOVED_CARD ||
	    rv == SCARD_W_UNRESPONSIVE_CARD || rv == SCARD_W_UNPOWERED_CARD ||
	    rv == SCARD_E_SHARING_VIOLATION)
		return 0;
	return rv == SCARD_S_SUCCESS ? 1 : rv;
}

static bool card_still_there(struct pcsc *p)
{
	DWORD state, proto, rlen = 0, alen = 0;

	return SCardStatus(p->card, NULL, &rlen, &state, &proto, NULL, &alen) == SCARD_S_SUCCESS &&
	       (state & SCARD_PRESENT);
}

static LONG wait_step(struct pcsc *p, unsigned ms)
{
	LONG rv = ensure_ctx(p);

	if (rv == SCARD_S_SUCCESS && !p->reader[0])
		rv = find_reader(p);
	if (rv == SCARD_S_SUCCESS)
		rv = wait_slice(p, ms);
	if (rv == 0 || rv == 1)
		return rv;
	/* a context whose pcscd died fails every call: wait_slice's errors end it too */
	if (is_service_error(rv))
		drop_ctx(p);
	else if (is_reader_error(rv))
		p->reader[0] = '\0';
	else
		return rv; /* not transient: the caller ends the wait */
	cccd_sleep_ms(ms < 100 ? ms : 100);
	return rv;
}

static int pcsc_wait_card(struct card_link *link, int timeout_ms, struct cccd_err *err)
{
	struct pcsc *p = link->priv;
	unsigned long now = cccd_clock_ms();
	unsigned long end = now + (unsigned long)(timeout_ms > 0 ? timeout_ms : 0);
	LONG rv, last = SCARD_S_SUCCESS;

	if (p->connected && card_still_there(p))
		return 1;
	drop_card(p);
	do {
		unsigned long left = end > now ? end - now : 0;

		rv = wait_step(p, (unsigned)(left < SLICE_MS ? left : SLICE_MS));
		if (rv == 1)
			return 1;
		if (rv != 0 && !is_service_error(rv) && !is_reader_error(rv))
			return cccd_err_set(err, -CCCD_EIO, "link_pcsc", "%.80s",
					    pcsc_stringify_error(rv));
		if (rv != 0)
			last = rv;
		now = cccd_clock_ms();
	} while (now < end);
	if (!p->have_ctx && last != SCARD_E_NO_SERVICE && is_service_error(last))
		return cccd_err_set(err, -CCCD_EIO, "link_pcsc", "pcscd: %.80s (0x%08lX)",
				    pcsc_stringify_error(last), (unsigned long)last);
	if (!p->have_ctx)
		return cccd_err_set(err, -CCCD_EIO, "link_pcsc", "pcscd not running");
	if (!p->reader[0])
		return cccd_err_set(err, -CCCD_EIO, "link_pcsc", "no reader '%.60s'",
				    p->want[0] ? p->want : "(any)");
	return 0;
}

static void *xfer_run(void *arg)
{
	struct xfer *x = arg;
	const SCARD_IO_REQUEST *pci = x->proto == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
	DWORD n = sizeof(x->out);
	LONG rv = SCardTransmit(x->card, pci, x->in, x->in_len, NULL, x->out, &n);
	bool orphan;

	pthread_mutex_lock(&x->mu);
	x->rv = rv;
	x->out_len = n;
	x->done = true;
	orphan = x->orphan;
	pthread_cond_signal(&x->cv);
	pthread_mutex_unlock(&x->mu);
	if (orphan) { /* the caller moved on: the card handle and context are ours to end */
		SCardDisconnect(x->card, SCARD_RESET_CARD);
		SCardReleaseContext(x->ctx);
		xfer_free(x);
	}
	return NULL;
}

/* Wait for the worker until the deadline; false when it is still blocked (then orphaned). */
static bool xfer_wait(struct xfer *x, int timeout_ms)
{
	struct timespec ts;
	bool done;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&x->mu);
	while (!x->done && pthread_cond_timedwait(&x->cv, &x->mu, &ts) == 0)
		;
	done = x->done;
	x->orphan = !done;
	pthread_mutex_unlock(&x->mu);
	return done;
}

/* Run one SCardTransmit under the link's deadline. */
static int xfer_do(struct pcsc *p, int timeout_ms, struct cccd_err *err)
{
	struct xfer *x = p->x;
	pthread_t th;

	x->done = x->orphan = false;
	x->ctx = p->ctx;
	x->card = p->card;
	x->proto = p->proto;
	if (pthread_create(&th, NULL, xfer_run, x))
		return cccd_err_set(err, -CCCD_ENOMEM, "link_pcsc", "cannot start the transmit");
	if (xfer_wait(x, timeout_ms)) {
		pthread_join(th, NULL);
		return 0;
	}
	pthread_detach(th); /* it owns x, the card handle and the context now */
	p->x = NULL;
	p->connected = p->have_ctx = false;
	p->reader[0] = '\0';
	return cccd_err_set(err, -CCCD_ETIMEOUT, "link_pcsc", "no answer in %d ms", timeout_ms);
}

static int map_rv(struct pcsc *p, LONG rv, struct cccd_err *err)
{
	if (rv == SCARD_W_REMOVED_CARD || rv == SCARD_E_NO_SMARTCARD || rv == SCARD_W_RESET_CARD ||
	    rv == SCARD_W_UNPOWERED_CARD) {
		drop_card(p);
		return cccd_err_set(err, -CCCD_ENOCARD, "link_pcsc", "card left the reader");
	}
	if (is_service_error(rv))
		drop_ctx(p);
	else
		drop_card(p);
	return cccd_err_set(err, -CCCD_EIO, "link_pcsc", "transmit: %.80s",
			    pcsc_stringify_error(rv));
}

static int pcsc_transceive(struct card_link *link, const uint8_t *apdu, size_t apdu_len,
			   uint8_t *resp, size_t resp_cap, size_t *resp_len, struct cccd_err *err)
{
	struct pcsc *p = link->priv;
	int to = link->timeout_ms > 0 ? link->timeout_ms : 3000;
	int rc;

	if (!p->connected)
		return cccd_err_set(err, -CCCD_ENOCARD, "link_pcsc", "no card connected");
	if (apdu_len > (p->ext ? CARD_LINK_EXT_APDU : CARD_LINK_SHORT_APDU) || !apdu_len)
		return cccd_err_set(err, -CCCD_ERANGE, "link_pcsc", "APDU of %zu bytes: at most %u",
				    apdu_len, p->ext ? CARD_LINK_EXT_APDU : CARD_LINK_SHORT_APDU);
	if (!p->x && !(p->x = xfer_new()))
		return cccd_err_set(err, -CCCD_ENOMEM, "link_pcsc", "no memory");
	memcpy(p->x->in, apdu, apdu_len);
	p->x->in_len = (DWORD)apdu_len;
	rc = xfer_do(p, to, err);
	if (rc)
		return rc;
	if (p->x->rv != SCARD_S_SUCCESS)
		return map_rv(p, p->x->rv, err);
	if (p->x->out_len < 2) {
		drop_card(p);
		return cccd_err_set(err, -CCCD_EIO, "link_pcsc",
				    "response of %lu bytes: the card went away mid-APDU",
				    (unsigned long)p->x->out_len);
	}
	if (p->x->out_len > resp_cap)
		return cccd_err_set(err, -CCCD_ENOSPC, "link_pcsc",
				    "response of %lu bytes, room for %zu",
				    (unsigned long)p->x->out_len, resp_cap);
	memcpy(resp, p->x->out, p->x->out_len);
	*resp_len = p->x->out_len;
	return 0;
}

static size_t pcsc_max_apdu(struct card_link *link)
{
	const struct pcsc *p = link->priv;

	return p->ext ? CARD_LINK_EXT_APDU : CARD_LINK_SHORT_APDU;
}

static void pcsc_close(struct card_link *link)
{
	struct pcsc *p = link->priv;

	if (!p)
		return;
	drop_ctx(p);
	if (p->x)
		xfer_free(p->x);
	free(p);
	link->priv = NULL;
}

const struct card_link_ops link_pcsc_ops = {
    .scheme = "pcsc",
    .open = pcsc_open,
    .wait_card = pcsc_wait_card,
    .transceive = pcsc_transceive,
    .max_apdu = pcsc_max_apdu,
    .close = pcsc_close,
};

static void list_one(struct reader_entry *e, SCARDCONTEXT ctx, const char *name)
{
	SCARD_READERSTATE rs = {.szReader = name, .dwCurrentState = SCARD_STATE_UNAWARE};

	memset(e, 0, sizeof(*e));
	snprintf(e->uri, sizeof(e->uri), "pcsc:%.200s", name);
	snprintf(e->stack, sizeof(e->stack), "pcsc");
	snprintf(e->name, sizeof(e->name), "%.120s", name);
	if (SCardGetStatusChange(ctx, 0, &rs, 1) == SCARD_S_SUCCESS)
		e->card = (rs.dwEventState & SCARD_STATE_PRESENT) != 0;
}

int link_pcsc_list(struct reader_entry *out, size_t cap, size_t *n, struct cccd_err *err)
{
	SCARDCONTEXT ctx;
	char names[4096];
	DWORD len = sizeof(names);
	LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);

	if (rv != SCARD_S_SUCCESS)
		return cccd_err_set(err, -CCCD_EIO, "link_pcsc", "pcscd: %.80s",
				    pcsc_stringify_error(rv));
	rv = SCardListReaders(ctx, NULL, names, &len);
	if (rv == SCARD_S_SUCCESS && len > 0 && len <= sizeof(names)) {
		names[len - 1] = '\0';
		for (const char *r = names; *r && *n < cap; r += strlen(r) + 1)
			list_one(&out[(*n)++], ctx, r);
	}
	SCardReleaseContext(ctx);
	return 0;
}
