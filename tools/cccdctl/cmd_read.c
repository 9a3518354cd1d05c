/* SPDX-License-Identifier: MIT */
/*
 * cmd_read.c - `cccdctl read --reader URI KEY [--photo FILE] [--trust DIR] [--json]`: read a card
 * directly (offline, no daemon) and print the RESULT (ARCHITECTURE.md §4-5, docs/reading.md).
 *   KEY: --mrz TEXT (lines joined by \n or spaces) | --bac DOCNO,YYMMDD,YYMMDD | --can NNNNNN |
 *        --qr TEXT (CAN first, then BAC/PACE-MRZ with each expiry candidate, in order)
 * Exit 0 when a RESULT was printed, whatever its verdict; 1 when the chip refused every key or a
 * check stopped the read (bad MAC, malformed file); 2 for usage and system errors (no card, I/O).
 * Without --reader, `read` is the daemon's (issue 7): cmd_read_daemon() in cmd_daemon.c.
 * Nothing personal is written to stderr: errors name steps, files and offsets only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/platform_util.h>

#include "core/clock.h"
#include "core/json.h"
#include "doc/cccdqr_keys.h"
#include "pipeline/result.h"
#include "tools/cccdctl/cccdctl.h"

#define CTL_EXT_LE	 65472 /* extended-length chunk asked for when the link carries it */
#define CTL_WAIT_CARD_MS 10000

struct read_args {
	const char *reader, *mrz, *bac, *can, *qr, *photo, *trust;
	bool json;
};

/* Everything one read needs; large, so on the heap of the CLI (the card path never allocates). */
struct read_ctx {
	struct card_link link;
	struct emrtd_session s;
	struct pres_card card;
	struct pres_checks checks;
	struct trust_store ts;
	struct emrtd_key keys[PRES_KEYS_MAX];
	size_t n_keys;
	struct mrz mrz; /* --mrz, parsed */
	struct cccdqr qr;
	bool has_mrz, has_qr;
	unsigned ms_key;
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
};

static int usage(void)
{
	fprintf(stderr,
		"usage: cccdctl read --reader URI (--mrz TEXT | --bac DOCNO,YYMMDD,YYMMDD | "
		"--can NNNNNN | --qr TEXT) [--photo FILE] [--trust DIR] [--json]\n");
	return CTL_USAGE;
}

static int parse_args(int argc, char **argv, struct read_args *a)
{
	const struct {
		const char *opt;
		const char **dst;
	} o[] = {{"--reader", &a->reader}, {"--mrz", &a->mrz}, {"--bac", &a->bac},
		 {"--can", &a->can},	   {"--qr", &a->qr},   {"--photo", &a->photo},
		 {"--trust", &a->trust}};
	int nkeys;

	for (int i = 1; i < argc; i++) {
		size_t k = 0;

		if (!strcmp(argv[i], "--json")) {
			a->json = true;
			continue;
		}
		while (k < sizeof(o) / sizeof(o[0]) && strcmp(argv[i], o[k].opt))
			k++;
		if (k == sizeof(o) / sizeof(o[0]) || i + 1 >= argc || *o[k].dst)
			return -1;
		*o[k].dst = argv[++i];
	}
	nkeys = !!a->mrz + !!a->bac + !!a->can + !!a->qr;
	return nkeys == 1 ? 0 : -1;
}

static int copy_field(char *dst, size_t cap, const char *src, size_t n, const char *what,
		      struct cccd_err *err)
{
	if (n == 0 || n >= cap)
		return cccd_err_set(err, -CCCD_EFORMAT, "read", "--bac: %s of %zu characters", what,
				    n);
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

/* "DOCNO,YYMMDD,YYMMDD"; the characters are checked by emrtd (bac_mrz_info). */
static int key_bac(const char *arg, struct emrtd_key *k, struct cccd_err *err)
{
	const char *c1 = strchr(arg, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
	int rc;

	if (!c2 || strchr(c2 + 1, ','))
		return cccd_err_set(err, -CCCD_EFORMAT, "read",
				    "--bac wants DOCNO,YYMMDD,YYMMDD (three fields)");
	rc = copy_field(k->doc_number, sizeof(k->doc_number), arg, (size_t)(c1 - arg),
			"document number", err);
	rc = rc ? rc
		: copy_field(k->birth, sizeof(k->birth), c1 + 1, (size_t)(c2 - c1 - 1),
			     "birth date", err);
	return rc ? rc
		  : copy_field(k->expiry, sizeof(k->expiry), c2 + 1, strlen(c2 + 1), "expiry date",
			       err);
}

static int key_can(const char *arg, struct emrtd_key *k, struct cccd_err *err)
{
	size_t n = strlen(arg);

	if (n < 6 || n >= sizeof(k->can) || strspn(arg, "0123456789") != n)
		return cccd_err_set(err, -CCCD_EFORMAT, "read", "--can wants 6 to 12 digits");
	k->is_can = true;
	memcpy(k->can, arg, n + 1);
	return 0;
}

/* MRZ lines as typed: spaces between lines become newlines (an MRZ has no spaces); the 90, 72 or
 * 88 characters of a TD1, TD2 or TD3 without separators (as in DG1) are split into lines. */
static int mrz_lines(const char *arg, char *text, size_t cap, size_t *len, struct cccd_err *err)
{
	size_t n = strlen(arg), w = 0, k = 0;

	if (!strpbrk(arg, " \n"))
		w = n == 90 ? 30 : n == 72 ? 36 : n == 88 ? 44 : 0;
	if (n + 2 >= cap)
		return cccd_err_set(err, -CCCD_EFORMAT, "read", "--mrz: %zu characters", n);
	for (size_t i = 0; i < n; i++) {
		if (w && i && i % w == 0)
			text[k++] = '\n';
		text[k++] = arg[i] == ' ' ? '\n' : arg[i];
	}
	text[k] = '\0';
	*len = k;
	return 0;
}

static int key_mrz(struct read_ctx *c, const char *arg, struct cccd_err *err)
{
	char text[MRZ_TEXT_MAX + 8];
	struct cccd_date today;
	size_t n = 0;
	int rc = mrz_lines(arg, text, sizeof(text), &n, err);

	if (rc)
		return rc;
	date_today(&today);
	rc = mrz_parse((const uint8_t *)text, n, &today, &c->mrz, err);
	if (rc)
		return rc;
	c->has_mrz = true;
	n = strlen(c->mrz.doc_number);
	if (n >= sizeof(c->keys[0].doc_number))
		return cccd_err_set(err, -CCCD_EFORMAT, "read", "--mrz: document number of %zu", n);
	memcpy(c->keys[0].doc_number, c->mrz.doc_number, n + 1);
	date_to_yymmdd(&c->mrz.birth, c->keys[0].birth);
	date_to_yymmdd(&c->mrz.expiry, c->keys[0].expiry);
	return 0;
}

/* The CAN, then the MRZ key with each expiry candidate, most likely first. */
static int key_qr(struct read_ctx *c, const char *arg, struct cccd_err *err)
{
	struct cccdqr_access acc;
	int rc = cccdqr_parse((const uint8_t *)arg, strlen(arg), &c->qr, err);

	rc = rc ? rc : cccdqr_keys(&c->qr, &acc, err);
	if (rc)
		return rc;
	c->has_qr = true;
	c->keys[0].is_can = true;
	snprintf(c->keys[0].can, sizeof(c->keys[0].can), "%s", acc.can);
	c->n_keys = 1;
	for (size_t i = 0; i < acc.n && c->n_keys < PRES_KEYS_MAX; i++) {
		struct emrtd_key *k = &c->keys[c->n_keys];

		if (!acc.cand[i].has_date)
			continue; /* "<<<<<<": emrtd derives MRZ keys from digit dates only */
		c->n_keys++;
		snprintf(k->doc_number, sizeof(k->doc_number), "%s", acc.doc_number);
		snprintf(k->birth, sizeof(k->birth), "%s", acc.birth_yymmdd);
		snprintf(k->expiry, sizeof(k->expiry), "%s", acc.cand[i].yymmdd);
	}
	return 0;
}

static int make_keys(struct read_ctx *c, const struct read_args *a, struct cccd_err *err)
{
	unsigned t0 = (unsigned)cccd_clock_ms();
	int rc;

	c->n_keys = 1;
	if (a->qr)
		rc = key_qr(c, a->qr, err);
	else if (a->mrz)
		rc = key_mrz(c, a->mrz, err);
	else if (a->bac)
		rc = key_bac(a->bac, &c->keys[0], err);
	else
		rc = key_can(a->can, &c->keys[0], err);
	c->ms_key = (unsigned)cccd_clock_ms() - t0;
	return rc;
}

static int drbg(void *ctx, unsigned char *buf, size_t len)
{
	return mbedtls_ctr_drbg_random(ctx, buf, len) ? -1 : 0;
}

static int open_reader(struct read_ctx *c, const char *uri, struct cccd_err *err)
{
	static const unsigned char pers[] = "cccdctl read";
	int rc;

	if (mbedtls_ctr_drbg_seed(&c->drbg, mbedtls_entropy_func, &c->entropy, pers, sizeof(pers)))
		return cccd_err_set(err, -CCCD_EIO, "read", "no entropy for the random generator");
	rc = card_link_open(&c->link, uri, err);
	if (rc)
		return rc;
	rc = card_link_wait_card(&c->link, CTL_WAIT_CARD_MS, err);
	if (rc == 0)
		rc = cccd_err_set(err, -CCCD_ENOCARD, "read", "no card on %s", uri);
	if (rc < 0)
		return rc;
	emrtd_init(&c->s, &c->link, drbg, &c->drbg, CTL_EXT_LE);
	return 0;
}

static int write_photo(const struct pres_checks *k, const char *path, struct cccd_err *err)
{
	FILE *f;
	bool ok;

	if (!k->has_photo)
		return cccd_err_set(err, -CCCD_ENOENT, "read", "--photo: the card has no portrait");
	f = fopen(path, "wb");
	if (!f)
		return cccd_err_set(err, -CCCD_EIO, "read", "--photo: cannot create %s", path);
	ok = fwrite(k->photo.image, 1, k->photo.image_len, f) == k->photo.image_len;
	ok = (fclose(f) == 0) && ok;
	return ok ? 0 : cccd_err_set(err, -CCCD_EIO, "read", "--photo: cannot write %s", path);
}

/* One line per RESULT value, keys as in the JSON ("person.full_name: ..."). */
static void print_human(const cJSON *o, const char *prefix)
{
	for (const cJSON *it = o->child; it; it = it->next) {
		char key[64];

		snprintf(key, sizeof(key), "%s%s%s", prefix, prefix[0] ? "." : "", it->string);
		if (cJSON_IsObject(it)) {
			print_human(it, key);
		} else if (cJSON_IsArray(it)) {
			for (const cJSON *e = it->child; e; e = e->next)
				printf("%s: %s\n", key, e->valuestring);
		} else if (cJSON_IsString(it)) {
			printf("%s: %s\n", key, it->valuestring);
		} else if (cJSON_IsBool(it)) {
			printf("%s: %s\n", key, cJSON_IsTrue(it) ? "yes" : "no");
		} else {
			printf("%s: %.0f\n", key, it->valuedouble);
		}
	}
}

static int verify_and_print(struct read_ctx *c, const struct read_args *a, unsigned t0,
			    struct cccd_err *err)
{
	struct pres_verify_in vi = {.trust = &c->ts, .now = (long long)time(NULL)};
	struct pres_result_in ri;
	cJSON *res;
	int rc;

	date_today(&vi.today);
	vi.qr = c->has_qr ? &c->qr : NULL;
	vi.mrz = c->has_mrz ? &c->mrz : NULL;
	rc = pres_verify(&c->card, &vi, &c->checks, err);
	if (!rc && a->photo)
		rc = write_photo(&c->checks, a->photo, err);
	if (rc)
		return rc;
	ri = (struct pres_result_in){c->link.uri,
				     &c->card,
				     &c->checks,
				     c->has_qr,
				     c->has_mrz,
				     c->ms_key,
				     (unsigned)cccd_clock_ms() - t0 + c->ms_key};
	rc = pres_result_build(&ri, &res, err);
	if (rc)
		return rc;
	if (a->json)
		rc = cccd_json_print(res, stdout, false);
	else
		print_human(res, "");
	cJSON_Delete(res);
	return rc;
}

static int read_direct(struct read_ctx *c, const struct read_args *a, struct cccd_err *err)
{
	struct pres_read_opts opts = {.want_dg2 = a->photo != NULL};
	unsigned t0;
	int rc = make_keys(c, a, err);

	if (!rc && a->trust)
		rc = trust_load_dir(&c->ts, a->trust, err);
	if (!rc)
		rc = open_reader(c, a->reader, err);
	if (rc)
		return rc;
	t0 = (unsigned)cccd_clock_ms();
	rc = pres_read(&c->s, c->keys, c->n_keys, &opts, &c->card, err);
	if (rc && !c->card.stats.access_ok && c->card.stats.key_attempts &&
	    (rc == -CCCD_EAUTH || rc == -CCCD_ENOTSUP)) {
		fprintf(stderr, "cccdctl: the chip refused %s after %u attempt%s\n",
			c->n_keys > 1 ? "every key" : "the key", c->card.stats.key_attempts,
			c->card.stats.key_attempts == 1 ? "" : "s");
		rc = -CCCD_EAUTH; /* a refused key is rejected input: exit 1 */
	}
	return rc ? rc : verify_and_print(c, a, t0, err);
}

static bool has_reader(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--reader"))
			return true;
	return false;
}

int cmd_read(int argc, char **argv)
{
	struct read_args a = {0};
	struct cccd_err err = {0};
	struct read_ctx *c;
	int rc;

	if (!has_reader(argc, argv))
		return cmd_read_daemon(argc, argv); /* the daemon's read (cmd_daemon.c) */
	if (parse_args(argc, argv, &a) || !a.reader)
		return usage();
	c = calloc(1, sizeof(*c));
	if (!c) {
		fprintf(stderr, "cccdctl: out of memory\n");
		return CTL_USAGE;
	}
	trust_init(&c->ts);
	mbedtls_entropy_init(&c->entropy);
	mbedtls_ctr_drbg_init(&c->drbg);
	rc = read_direct(c, &a, &err);
	if (rc)
		ctl_print_err(&err);
	if (c->link.ops)
		card_link_close(&c->link);
	pres_card_wipe(&c->card);
	mbedtls_ctr_drbg_free(&c->drbg);
	mbedtls_entropy_free(&c->entropy);
	trust_free(&c->ts);
	mbedtls_platform_zeroize(c, sizeof(*c));
	free(c);
	return rc ? ctl_exit_code(rc) : CTL_OK;
}
