/* SPDX-License-Identifier: MIT */
/*
 * pres_card.c - the card thread: one presentation after another on the configured reader.
 *   no reader -> open (backoff 100 ms doubling to 5 s) -> waiting -> CARD present -> key? ->
 *   reading (PROGRESS access, verify) -> RESULT | ERROR -> (PHOTO) -> done -> CARD removed
 * A presentation is read once: the card must leave (wait_card says absent) before it is read
 * again, unless a read request or a typed key asks to retry it. A link error other than a card
 * that left is a lost reader: it is closed, reported and reopened with backoff.
 * Keys: typed/API key > QR (CAN, then expiry candidates) > MRZ read by the camera (MRZ key, then
 * the CAN of a CCCD). A card that leaves or is read makes the camera restart its MRZ vote.
 * Nothing secret or personal is logged: keys never, IDs masked by the RESULT's consumers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/base64.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/platform_util.h>

#include "card_link.h"
#include "core/json.h"
#include "core/log.h"
#include "doc/cccdqr_keys.h"
#include "pipeline/checks.h"
#include "pipeline/pres_int.h"
#include "pipeline/result.h"

#define PRES_EXT_LE 65472 /* extended-length chunk when the link carries it (docs/reading.md) */

struct keyset {
	struct emrtd_key keys[PRES_KEYS_MAX];
	size_t n;
	const char *source; /* "operator", "qr", "mrz" */
	struct cccdqr qr;
	struct mrz mrz;
	bool has_qr, has_mrz;
	uint64_t requester;
	bool photo;
	unsigned ms_key;
};

struct card_worker {
	struct pres_settings set;
	uint64_t set_gen;
	struct card_link link;
	bool open;
	int64_t retry_ms; /* next open attempt */
	bool present, done;
	int64_t present_ms;
	struct trust_store ts;
	char trust_dir[CCCD_CFG_STR];
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	struct keyset ks;
	struct emrtd_session s;
	struct pres_card card;
	struct pres_checks checks;
};

static unsigned since(int64_t t0)
{
	int64_t d = cccd_loop_now_ms() - t0;

	return d > 0 ? (unsigned)d : 0;
}

static void set_state(struct pres *p, const char *st)
{
	pthread_mutex_lock(&p->mu);
	p->state = st;
	pthread_mutex_unlock(&p->mu);
}

static void load_trust(struct card_worker *w)
{
	struct cccd_err err = {0};
	char s[200];

	trust_free(&w->ts);
	trust_init(&w->ts);
	snprintf(w->trust_dir, sizeof(w->trust_dir), "%s", w->set.trust);
	if (w->trust_dir[0] && trust_load_dir(&w->ts, w->trust_dir, &err))
		cccd_warn("trust: %s (passive authentication reports untrusted)",
			  cccd_err_str(&err, s, sizeof(s)));
}

/* Take new settings; the trust store is reloaded with them (SIGHUP after installing a CSCA). */
static void sync_settings(struct pres *p, struct card_worker *w)
{
	bool changed;

	pthread_mutex_lock(&p->mu);
	changed = w->set_gen != p->set_gen || !w->set.poll_ms;
	if (changed) {
		w->set = p->set;
		w->set_gen = p->set_gen;
	}
	pthread_mutex_unlock(&p->mu);
	if (changed)
		load_trust(w);
	if (changed && w->open)
		w->link.timeout_ms = w->set.timeout_ms;
}

static void dev_update(struct pres *p, bool open, const struct cccd_err *err)
{
	char s[160];

	pthread_mutex_lock(&p->mu);
	if (open && p->reader.failures)
		p->reader.reopened++;
	p->reader.open = open;
	p->reader.failures = open ? 0 : p->reader.failures + 1;
	snprintf(p->reader.error, sizeof(p->reader.error), "%s",
		 open ? "" : cccd_err_str(err, s, sizeof(s)));
	p->state = open ? "waiting" : "no reader";
	pthread_mutex_unlock(&p->mu);
	if (!open)
		(void)pres_out_state(p->out, MBUS_IDLE);
}

static void try_open(struct pres *p, struct card_worker *w)
{
	struct cccd_err err = {0};
	int64_t now = cccd_loop_now_ms();
	char s[200];

	if (now < w->retry_ms) {
		pres_sleep(p, (int)(w->retry_ms - now));
		return;
	}
	memset(&w->link, 0, sizeof(w->link));
	if (card_link_open(&w->link, w->set.reader, &err)) {
		dev_update(p, false, &err);
		w->retry_ms = cccd_loop_now_ms() + pres_backoff_ms(p->reader.failures);
		if (p->reader.failures == 1)
			cccd_warn("reader %s: %s (retrying with backoff)", w->set.reader,
				  cccd_err_str(&err, s, sizeof(s)));
		return;
	}
	w->link.timeout_ms = w->set.timeout_ms;
	w->open = true;
	cccd_info("reader %s open", w->set.reader);
	dev_update(p, true, NULL);
}

static void card_gone(struct pres *p, struct card_worker *w)
{
	cJSON *o = cJSON_CreateObject();

	w->present = false;
	w->done = false;
	pthread_mutex_lock(&p->mu);
	p->qr_told = false; /* the next presentation announces the QR it uses again */
	p->mrz_told = false;
	p->mrz_forget = true;
	pthread_mutex_unlock(&p->mu);
	if (o)
		cJSON_AddStringToObject(o, "state", "removed");
	pres_emit(p, "CARD", w->set.reader, o, 0);
	set_state(p, w->open ? "waiting" : "no reader");
	(void)pres_out_state(p->out, MBUS_IDLE);
}

static void reader_lost(struct pres *p, struct card_worker *w, const struct cccd_err *err)
{
	char s[200], msg[240];

	card_link_close(&w->link);
	w->open = false;
	dev_update(p, false, err);
	snprintf(msg, sizeof(msg), "reader lost: %s", cccd_err_str(err, s, sizeof(s)));
	cccd_warn("%s", msg);
	pres_emit_error(p, w->set.reader, msg, 0);
	if (w->present)
		card_gone(p, w);
	w->retry_ms = cccd_loop_now_ms() + pres_backoff_ms(1);
}

static void card_arrived(struct pres *p, struct card_worker *w)
{
	cJSON *o = cJSON_CreateObject();

	w->present = true;
	w->done = false;
	w->present_ms = cccd_loop_now_ms();
	pthread_mutex_lock(&p->mu);
	p->cards++;
	p->state = "card";
	pthread_mutex_unlock(&p->mu);
	if (o)
		cJSON_AddStringToObject(o, "state", "present");
	pres_emit(p, "CARD", w->set.reader, o, 0);
	(void)pres_out_state(p->out, MBUS_CARD);
}

/* ---- keys ---- */

/* Append the CAN (PACE only) to ks. */
static void add_can(struct keyset *ks, const char *can)
{
	struct emrtd_key *k = &ks->keys[ks->n++];

	k->is_can = true;
	snprintf(k->can, sizeof(k->can), "%s", can);
}

static int keys_from_qr(const struct cccdqr *qr, struct keyset *ks, struct cccd_err *err)
{
	struct cccdqr_access acc;
	int rc = cccdqr_keys(qr, &acc, err);

	if (rc)
		return rc;
	ks->qr = *qr;
	ks->has_qr = true;
	ks->n = 0;
	add_can(ks, acc.can);
	for (size_t i = 0; i < acc.n && ks->n < PRES_KEYS_MAX; i++) {
		struct emrtd_key *k = &ks->keys[ks->n];

		if (!acc.cand[i].has_date)
			continue; /* "<<<<<<": emrtd derives MRZ keys from digit dates only */
		ks->n++;
		snprintf(k->doc_number, sizeof(k->doc_number), "%s", acc.doc_number);
		snprintf(k->birth, sizeof(k->birth), "%s", acc.birth_yymmdd);
		snprintf(k->expiry, sizeof(k->expiry), "%s", acc.cand[i].yymmdd);
	}
	mbedtls_platform_zeroize(&acc, sizeof(acc));
	return 0;
}

/* The MRZ key of m and, with can, the CAN of a CCCD after it (the last 6 digits of the 12-digit
 * ID, FIELD-NOTES): the MRZ passed every check digit, so its key comes first. A card without
 * expiry prints <<<<<<, which emrtd cannot take (digit dates only): the CAN alone then. */
static int keys_from_mrz(const struct mrz *m, bool can, struct keyset *ks, struct cccd_err *err)
{
	struct emrtd_key *k = &ks->keys[0];

	if (strlen(m->doc_number) >= sizeof(k->doc_number))
		return cccd_err_set(err, -CCCD_EFORMAT, "pipeline", "MRZ document number too long");
	ks->mrz = *m;
	ks->has_mrz = true;
	ks->n = 0;
	if (!m->no_expiry) {
		memcpy(k->doc_number, m->doc_number, strlen(m->doc_number) + 1);
		date_to_yymmdd(&m->birth, k->birth);
		date_to_yymmdd(&m->expiry, k->expiry);
		ks->n++;
	}
	if (can && strlen(m->id_number) == 12)
		add_can(ks, m->id_number + 6);
	if (!ks->n)
		return cccd_err_set(err, -CCCD_EFORMAT, "pipeline",
				    "the MRZ has no expiry date: type the CAN");
	return 0;
}

static int keys_from_mrz_text(const char *text, struct keyset *ks, struct cccd_err *err)
{
	struct cccd_date today;
	struct mrz m;
	int rc;

	date_today(&today);
	rc = mrz_parse((const uint8_t *)text, strlen(text), &today, &m, err);
	if (!rc)
		rc = keys_from_mrz(&m, false, ks, err);
	mbedtls_platform_zeroize(&m, sizeof(m));
	return rc;
}

static int keys_from_api(const struct api_key *a, struct keyset *ks, struct cccd_err *err)
{
	struct emrtd_key *k = &ks->keys[0];

	ks->n = 1;
	switch (a->kind) {
	case API_KEY_CAN:
		k->is_can = true;
		snprintf(k->can, sizeof(k->can), "%s", a->can);
		return 0;
	case API_KEY_BAC:
		snprintf(k->doc_number, sizeof(k->doc_number), "%s", a->doc_number);
		snprintf(k->birth, sizeof(k->birth), "%s", a->birth);
		snprintf(k->expiry, sizeof(k->expiry), "%s", a->expiry);
		return 0;
	case API_KEY_MRZ:
		return keys_from_mrz_text(a->mrz, ks, err);
	default:
		ks->n = 0;
		return cccd_err_set(err, -CCCD_EINVAL, "pipeline", "no key");
	}
}

/* Under mu: the best key for this presentation into ks, consuming a typed one. 1 = keys,
 * 0 = none yet, < 0 = the typed key is unusable (err says why). */
static int take_keys_locked(struct pres *p, struct card_worker *w, struct cccd_err *err)
{
	struct keyset *ks = &w->ks;
	int64_t t0 = cccd_loop_now_ms();
	int rc = 0;

	memset(ks, 0, sizeof(*ks));
	if (p->op_set) {
		ks->source = "operator";
		rc = keys_from_api(&p->op, ks, err);
		p->op_set = false;
		mbedtls_platform_zeroize(&p->op, sizeof(p->op));
	} else if (p->qr_set && t0 - p->qr_ms < PRES_QR_TTL_MS) {
		ks->source = "qr";
		rc = keys_from_qr(&p->qr, ks, err);
	} else if (p->mrz_set && t0 - p->mrz_ms < PRES_MRZ_TTL_MS) {
		ks->source = "mrz";
		rc = keys_from_mrz(&p->mrz, true, ks, err);
	} else {
		return 0;
	}
	ks->requester = p->requester;
	ks->photo = p->want_photo;
	p->requester = 0;
	p->want_photo = false;
	p->reread = false;
	ks->ms_key = since(t0);
	return rc ? rc : 1;
}

/* ---- one read ---- */

static int drbg(void *ctx, unsigned char *buf, size_t len)
{
	return mbedtls_ctr_drbg_random(ctx, buf, len) ? -1 : 0;
}

static void progress(struct pres *p, struct card_worker *w, const char *step)
{
	cJSON *o = cJSON_CreateObject();

	if (o) {
		cJSON_AddStringToObject(o, "step", step);
		if (!strcmp(step, "access"))
			cJSON_AddStringToObject(o, "key", w->ks.source);
	}
	pres_emit(p, "PROGRESS", w->set.reader, o, 0);
}

static void read_failed(struct pres *p, struct card_worker *w, int rc, const struct cccd_err *e)
{
	char s[200], msg[320];
	bool refused = !w->card.stats.access_ok && (rc == -CCCD_EAUTH || rc == -CCCD_ENOTSUP);

	if (rc == -CCCD_ENOCARD)
		snprintf(msg, sizeof(msg), "card removed during the read: %s",
			 cccd_err_str(e, s, sizeof(s)));
	else if (refused)
		snprintf(
		    msg, sizeof(msg),
		    "the chip refused the %s key%s (%u tried): type the CAN or the MRZ to retry",
		    w->ks.source, w->ks.n > 1 ? "s" : "", w->card.stats.key_attempts);
	else
		snprintf(msg, sizeof(msg), "read failed: %s", cccd_err_str(e, s, sizeof(s)));
	cccd_warn("card on %s: %s", w->set.reader, msg);
	pthread_mutex_lock(&p->mu);
	p->errors++;
	pthread_mutex_unlock(&p->mu);
	(void)pres_out_state(p->out, MBUS_ERROR);
	pres_emit_error(p, w->set.reader, msg, w->ks.requester);
}

static int verify(struct card_worker *w, struct cccd_err *err)
{
	struct pres_verify_in vi = {.trust = &w->ts, .now = (long long)time(NULL)};

	date_today(&vi.today);
	vi.qr = w->ks.has_qr ? &w->ks.qr : NULL;
	vi.mrz = w->ks.has_mrz ? &w->ks.mrz : NULL;
	vi.mrz_ocr = w->ks.has_mrz && !strcmp(w->ks.source, "mrz"); /* the camera's, not typed */
	return pres_verify(&w->card, &vi, &w->checks, err);
}

static void add_timing(cJSON *res, unsigned wait_key, unsigned present_to_result)
{
	cJSON *t = cJSON_GetObjectItemCaseSensitive(res, "timing_ms");

	if (!t)
		return;
	cJSON_AddNumberToObject(t, "wait_key", wait_key);
	cJSON_AddNumberToObject(t, "present_to_result", present_to_result);
}

static void emit_result(struct pres *p, struct card_worker *w, int64_t t0, unsigned wait_key)
{
	struct pres_result_in ri = {w->set.reader, &w->card,	 &w->checks, w->ks.has_qr,
				    w->ks.has_mrz, w->ks.ms_key, 0};
	struct cccd_err err = {0};
	cJSON *res;

	ri.ms_total = since(t0) + w->ks.ms_key;
	if (pres_result_build(&ri, &res, &err)) {
		read_failed(p, w, err.code, &err);
		return;
	}
	add_timing(res, wait_key, since(w->present_ms));
	pthread_mutex_lock(&p->mu);
	p->results++;
	p->last_total_ms = ri.ms_total;
	p->mrz_forget = true;
	pthread_mutex_unlock(&p->mu);
	(void)pres_out_push(p->out, res);
	pres_emit(p, "RESULT", w->set.reader, res, w->ks.requester);
}

static void emit_photo(struct pres *p, struct card_worker *w)
{
	const struct dg2 *ph = &w->checks.photo;
	size_t n = 0, cap = 4 * ((ph->image_len + 2) / 3) + 1;
	unsigned char *b64 = malloc(cap); /* after RESULT: off the fast path */
	cJSON *o = cJSON_CreateObject();

	if (b64 && o && !mbedtls_base64_encode(b64, cap, &n, ph->image, ph->image_len)) {
		cJSON_AddStringToObject(o, "format", dg2_format_name(ph->format));
		cJSON_AddNumberToObject(o, "bytes", (double)ph->image_len);
		cJSON_AddStringToObject(o, "passive", pa_status_str(w->checks.pa.status));
		cJSON_AddStringToObject(o, "data", (const char *)b64);
		pres_emit(p, "PHOTO", w->set.reader, o, w->ks.requester);
		o = NULL;
	}
	cJSON_Delete(o);
	free(b64);
}

/* DG2 after the RESULT, verified again with it (its hash is in EF.SOD). */
static void read_photo(struct pres *p, struct card_worker *w)
{
	struct cccd_err err = {0};
	char s[200], msg[240];

	progress(p, w, "photo");
	if (pres_read_photo(&w->s, &w->card, &err) || verify(w, &err)) {
		snprintf(msg, sizeof(msg), "photo: %s", cccd_err_str(&err, s, sizeof(s)));
		pres_emit_error(p, w->set.reader, msg, w->ks.requester);
		return;
	}
	if (w->checks.has_photo)
		emit_photo(p, w);
	else
		pres_emit_error(p, w->set.reader, "photo: the card has no portrait",
				w->ks.requester);
}

static void read_card(struct pres *p, struct card_worker *w)
{
	struct pres_read_opts opts = {.keep_open = true};
	struct cccd_err err = {0};
	int64_t t0 = cccd_loop_now_ms();
	unsigned wait_key = since(w->present_ms);
	int rc;

	set_state(p, "reading");
	(void)pres_out_state(p->out, MBUS_READING);
	progress(p, w, "access");
	emrtd_init(&w->s, &w->link, drbg, &w->drbg, PRES_EXT_LE);
	rc = pres_read(&w->s, w->ks.keys, w->ks.n, &opts, &w->card, &err);
	if (!rc) {
		progress(p, w, "verify");
		rc = verify(w, &err);
	}
	if (rc) {
		emrtd_close(&w->s);
		read_failed(p, w, rc, &err);
	} else {
		emit_result(p, w, t0, wait_key);
		if (w->ks.photo)
			read_photo(p, w);
		else
			emrtd_close(&w->s);
	}
	pres_card_wipe(&w->card);
	mbedtls_platform_zeroize(&w->ks, sizeof(w->ks));
	set_state(p, "card");
}

/* ---- the state machine ---- */

static void expire_request(struct pres *p, const char *device)
{
	uint64_t who = 0;

	pthread_mutex_lock(&p->mu);
	if (p->requester && cccd_loop_now_ms() - p->requested_ms > PRES_READ_WAIT_MS) {
		who = p->requester;
		p->requester = 0;
		p->op_set = false;
		mbedtls_platform_zeroize(&p->op, sizeof(p->op));
	}
	pthread_mutex_unlock(&p->mu);
	if (who)
		pres_emit_error(p, device, "read: no card was presented in time", who);
}

/* With a card present: read it when a key is there and it was not read yet (or a read or a
 * typed key asks again); else wait a poll period for one. */
static void with_card(struct pres *p, struct card_worker *w)
{
	struct cccd_err err = {0};
	char s[200], msg[240];
	int rc = 0;

	pthread_mutex_lock(&p->mu);
	if (!w->done || p->op_set || p->reread)
		rc = take_keys_locked(p, w, &err);
	if (rc == 0)
		pres_wait_locked(p, w->set.poll_ms);
	pthread_mutex_unlock(&p->mu);
	if (rc < 0) {
		snprintf(msg, sizeof(msg), "key: %s", cccd_err_str(&err, s, sizeof(s)));
		pres_emit_error(p, w->set.reader, msg, w->ks.requester);
		mbedtls_platform_zeroize(&w->ks, sizeof(w->ks));
	} else if (rc > 0) {
		read_card(p, w);
	}
	w->done = w->done || rc != 0;
}

static void step(struct pres *p, struct card_worker *w)
{
	struct cccd_err err = {0};
	int rc;

	expire_request(p, w->set.reader);
	if (!w->open) {
		try_open(p, w);
		return;
	}
	rc = card_link_wait_card(&w->link, w->set.poll_ms, &err);
	if (rc < 0) {
		reader_lost(p, w, &err);
	} else if (rc == 0) {
		if (w->present)
			card_gone(p, w);
		pres_sleep(p, w->set.poll_ms);
	} else {
		if (!w->present)
			card_arrived(p, w);
		with_card(p, w);
	}
}

static int worker_init(struct card_worker *w)
{
	static const unsigned char pers[] = "cccd-gatewayd card";

	trust_init(&w->ts);
	mbedtls_entropy_init(&w->entropy);
	mbedtls_ctr_drbg_init(&w->drbg);
	return mbedtls_ctr_drbg_seed(&w->drbg, mbedtls_entropy_func, &w->entropy, pers,
				     sizeof(pers));
}

static void worker_free(struct card_worker *w)
{
	if (w->open)
		card_link_close(&w->link);
	trust_free(&w->ts);
	mbedtls_ctr_drbg_free(&w->drbg);
	mbedtls_entropy_free(&w->entropy);
	mbedtls_platform_zeroize(w, sizeof(*w));
	free(w);
}

void *pres_card_main(void *arg)
{
	struct pres *p = arg;
	struct card_worker *w = calloc(1, sizeof(*w)); /* large: fixed card buffers */

	if (!w || worker_init(w)) {
		cccd_err_log("pipeline: cannot start the card thread (memory or entropy)");
		if (w)
			worker_free(w);
		return NULL;
	}
	while (!pres_stopping(p)) {
		sync_settings(p, w);
		if (!w->set.reader[0])
			pres_sleep(p, 1000);
		else
			step(p, w);
	}
	worker_free(w);
	return NULL;
}
