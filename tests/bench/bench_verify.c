/* SPDX-License-Identifier: MIT */
/*
 * bench_verify.c - CPU cost of verifying one card (issue 4): passive authentication (pa_verify),
 * active authentication (aa_check) and the terminal's half of chip authentication (ephemeral key,
 * ECDH, KDF), on inputs captured once from the virtual chip; beside the same hashes and signature
 * checks done by the openssl CLI on the same bytes, in the same run:
 *   passive  openssl cms -verify (signed attributes, signature, DS -> CSCA) + dgst -sha256 of the
 * DGs active   EC: openssl dgst -sha256 -verify (hash of the challenge + ECDSA) RSA: openssl
 * pkeyutl -verifyrecover (raw RSA) + dgst -sha1 of M1 || M2 chip     openssl genpkey (ephemeral key
 * on the chip's curve) + pkeyutl -derive (ECDH) Fairness: ours is process CPU time
 * (CLOCK_PROCESS_CPUTIME_ID) per call; openssl's is its children's CPU time (getrusage) per command
 * line, median of RUNS, also shown net of the CPU one `openssl version` start costs (times the
 * processes used): the crypto itself vs ours. Process starts still weigh on openssl's figures
 * (config, PEM, file reads), so the primitives are also set beside `openssl speed` (the library
 * alone, no process per operation): ECDSA and ECDH on brainpoolP256r1, RSA-2048 verify. Also
 * printed: the whole of PA + AA + CA in-process against the sim (terminal and virtual chip CPU,
 * with secure messaging), median of SIM_RUNS sessions.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/asn1write.h>
#include <mbedtls/hmac_drbg.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/rsa.h>

#include "card_link.h"
#include "emrtd/emrtd.h"
#include "emrtd/pace.h"
#include "nfc/vchip_dataset.h"
#include "nfc/vchip_files.h"
#include "verify/aa.h"
#include "verify/ca.h"
#include "verify/pa.h"
#include "verify/trust.h"

#define RUNS	 101 /* our calls, per figure */
#define SH_RUNS	 15  /* openssl command lines, per figure */
#define SIM_RUNS 25  /* whole PA + AA + CA against the sim */

extern char **environ;

struct card {
	const char *name, *path;
	struct emrtd_key key;
	struct vchip_files *fs;
	struct trust_store ts;
	struct pa_dg dgs[5];
	size_t n_dgs;
	uint8_t challenge[AA_CHALLENGE_LEN], sig[AA_SIG_MAX];
	size_t sig_len;
	mbedtls_pk_context aa;
	mbedtls_md_type_t aa_md;
	mbedtls_pk_context ca; /* the chip's CA public key */
	char dir[64];	       /* the inputs as files, for openssl */
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static double children_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_CHILDREN, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 + ru.ru_utime.tv_usec +
	       ru.ru_stime.tv_usec;
}

static double median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof(t[0]), cmp_double);
	return t[n / 2];
}

static int rng(void *ctx, unsigned char *buf, size_t len)
{
	return mbedtls_hmac_drbg_random(ctx, buf, len);
}

/* Run "openssl <args>" (space-separated, no quoting) in dir; its CPU time, or -1. */
static double openssl_run(const char *dir, const char *args)
{
	char line[1024], *argv[24];
	posix_spawn_file_actions_t fa;
	double t0 = children_us();
	int argc = 0, st;
	pid_t pid;

	snprintf(line, sizeof(line), "openssl %s", args);
	for (char *p = strtok(line, " "); p && argc < 23; p = strtok(NULL, " "))
		argv[argc++] = p;
	argv[argc] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (chdir(dir) || posix_spawnp(&pid, "openssl", &fa, NULL, argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return -1;
	return children_us() - t0;
}

/* Median CPU of the command lines cmds[0..n) run one after another; -1 if any fails. */
static double openssl_median(const char *dir, const char *const *cmds, int n)
{
	double t[SH_RUNS];
	char cwd[512];

	if (!getcwd(cwd, sizeof(cwd)))
		return -1;
	for (int r = 0; r < SH_RUNS; r++) {
		t[r] = 0;
		for (int i = 0; i < n; i++) {
			double c = openssl_run(dir, cmds[i]);

			if (c < 0) {
				fprintf(stderr, "openssl %s: failed in %s\n", cmds[i], dir);
				return chdir(cwd), -1;
			}
			t[r] += c;
		}
	}
	if (chdir(cwd))
		return -1;
	return median(t, SH_RUNS);
}

static int write_file(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[128];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	n = fwrite(buf, 1, len, f);
	return fclose(f) || n != len ? -1 : 0;
}

/* --- capture: the chip's files, one INTERNAL AUTHENTICATE, DG14's key ---------------------- */

static int session_open(struct card *c, struct card_link *link, mbedtls_hmac_drbg_context *drbg,
			struct emrtd_session *s, int seed)
{
	char uri[128];
	struct cccd_err e = {0};

	snprintf(uri, sizeof(uri), "sim:%s", c->path);
	mbedtls_hmac_drbg_init(drbg);
	mbedtls_hmac_drbg_seed_buf(drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
				   (const unsigned char *)&seed, sizeof(seed));
	if (card_link_open(link, uri, &e))
		return fprintf(stderr, "%s: %s\n", uri, e.msg), -1;
	emrtd_init(s, link, rng, drbg, 0);
	if (emrtd_open(s, &c->key, &e))
		return fprintf(stderr, "%s: %s\n", uri, e.msg), -1;
	return 0;
}

static void session_close(struct card_link *link, mbedtls_hmac_drbg_context *drbg,
			  struct emrtd_session *s)
{
	emrtd_close(s);
	card_link_close(link);
	mbedtls_hmac_drbg_free(drbg);
}

static int capture_aa(struct card *c)
{
	struct apdu a = {.ins = 0x88, .data = c->challenge, .lc = 8, .le = 256};
	mbedtls_hmac_drbg_context drbg;
	struct card_link link;
	struct emrtd_session *s = calloc(1, sizeof(*s));
	uint16_t sw = 0;
	int rc = s ? session_open(c, &link, &drbg, s, 1) : -1;

	if (!rc)
		rc = rng(&drbg, c->challenge, 8);
	if (!rc)
		rc = emrtd_transmit(s, &a, c->sig, sizeof(c->sig), &c->sig_len, &sw, NULL);
	if (!rc && sw != 0x9000)
		rc = -1;
	if (s)
		session_close(&link, &drbg, s);
	free(s);
	return rc;
}

static int load(struct card *c)
{
	static const enum vchip_ef efs[] = {VCHIP_EF_DG1, VCHIP_EF_DG2, VCHIP_EF_DG13,
					    VCHIP_EF_DG14, VCHIP_EF_DG15};
	static const unsigned dgn[] = {1, 2, 13, 14, 15};
	const struct vchip_file *dg14, *dg15;
	struct vchip_dataset ds;
	struct ca_dg14 d;

	c->fs = calloc(1, sizeof(*c->fs));
	trust_init(&c->ts);
	mbedtls_pk_init(&c->aa);
	mbedtls_pk_init(&c->ca);
	if (!c->fs || vchip_dataset_load(c->path, &ds, NULL) || vchip_files_build(c->fs, &ds, NULL))
		return fprintf(stderr, "%s: cannot build the chip\n", c->path), -1;
	if (trust_add_der(&c->ts, c->fs->pki.csca_cert, c->fs->pki.csca_cert_len, NULL))
		return -1;
	for (size_t i = 0; i < 5; i++)
		c->dgs[c->n_dgs++] =
		    (struct pa_dg){dgn[i], c->fs->ef[efs[i]].data, c->fs->ef[efs[i]].len};
	dg14 = &c->fs->ef[VCHIP_EF_DG14];
	dg15 = &c->fs->ef[VCHIP_EF_DG15];
	if (aa_dg15_parse(dg15->data, dg15->len, &c->aa, NULL) ||
	    ca_dg14_parse(dg14->data, dg14->len, &d, NULL) || d.n_key < 1 ||
	    mbedtls_pk_parse_public_key(&c->ca, d.key[0].spki, d.key[0].spki_len))
		return fprintf(stderr, "%s: DG14/DG15 keys\n", c->path), -1;
	c->aa_md = d.has_aa ? d.aa_md : MBEDTLS_MD_NONE;
	return capture_aa(c);
}

/* --- ours ---------------------------------------------------------------------------------- */

static int our_pa(struct card *c)
{
	const struct vchip_file *sod = &c->fs->ef[VCHIP_EF_SOD];
	struct pa_result res;

	return pa_verify(sod->data, sod->len, c->dgs, c->n_dgs, &c->ts, (long long)time(NULL),
			 &res) != PA_OK;
}

static int our_aa(struct card *c)
{
	return aa_check(&c->aa, c->aa_md, c->challenge, c->sig, c->sig_len, NULL);
}

/* The terminal's chip authentication arithmetic: ephemeral key, ECDH, KSenc/KSmac. */
static int our_ca(struct card *c)
{
	mbedtls_ecp_keypair *ec = mbedtls_pk_ec(c->ca);
	mbedtls_hmac_drbg_context drbg;
	uint8_t pub[PACE_POINT_MAX], chip[PACE_POINT_MAX], x[66];
	size_t pub_len, chip_len, xlen = (ec->grp.pbits + 7) / 8;
	struct sm_ctx sm;
	mbedtls_ecp_point k;
	mbedtls_mpi d;
	int rc;

	mbedtls_hmac_drbg_init(&drbg);
	mbedtls_ecp_point_init(&k);
	mbedtls_mpi_init(&d);
	rc = mbedtls_hmac_drbg_seed_buf(&drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
					c->challenge, 8);
	rc = rc ? rc
		: mbedtls_ecp_point_write_binary(&ec->grp, &ec->Q, MBEDTLS_ECP_PF_UNCOMPRESSED,
						 &chip_len, chip, sizeof(chip));
	rc = rc ? rc
		: pace_keypair(&ec->grp, &ec->grp.G, rng, &drbg, &d, pub, sizeof(pub), &pub_len,
			       NULL);
	rc = rc ? rc : pace_ecdh(&ec->grp, &d, chip, chip_len, &k, NULL);
	rc = rc ? rc : mbedtls_mpi_write_binary(&k.X, x, xlen);
	rc = rc ? rc : pace_session_keys(EMRTD_CIPHER_AES128, x, xlen, &sm, NULL);
	mbedtls_hmac_drbg_free(&drbg);
	mbedtls_ecp_point_free(&k);
	mbedtls_mpi_free(&d);
	return rc;
}

/* ECDH alone: one scalar multiplication of the chip's key (what `openssl speed ecdh` times). */
static int our_ecdh(struct card *c)
{
	mbedtls_ecp_keypair *ec = mbedtls_pk_ec(c->ca);
	uint8_t chip[PACE_POINT_MAX];
	mbedtls_ecp_point k;
	mbedtls_mpi d;
	size_t n;
	int rc;

	mbedtls_ecp_point_init(&k);
	mbedtls_mpi_init(&d);
	rc = mbedtls_mpi_read_binary(&d, c->challenge, 8); /* any scalar below n */
	rc = rc ? rc
		: mbedtls_ecp_point_write_binary(&ec->grp, &ec->Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &n,
						 chip, sizeof(chip));
	rc = rc ? rc : pace_ecdh(&ec->grp, &d, chip, n, &k, NULL);
	mbedtls_ecp_point_free(&k);
	mbedtls_mpi_free(&d);
	return rc;
}

static double our_median(int (*fn)(struct card *), struct card *c)
{
	double t[RUNS];

	for (int r = 0; r < RUNS; r++) {
		double t0 = cpu_us();

		if (fn(c))
			return -1;
		t[r] = cpu_us() - t0;
	}
	return median(t, RUNS);
}

/* PA + AA + CA as the card read runs them, over fresh sim sessions (chip CPU included). */
static double sim_median(struct card *c)
{
	const struct vchip_file *sod = &c->fs->ef[VCHIP_EF_SOD];
	const struct vchip_file *dg14 = &c->fs->ef[VCHIP_EF_DG14];
	const struct vchip_file *dg15 = &c->fs->ef[VCHIP_EF_DG15];
	struct emrtd_session *s = calloc(1, sizeof(*s));
	double t[SIM_RUNS];

	for (int r = 0; s && r < SIM_RUNS; r++) {
		mbedtls_hmac_drbg_context drbg;
		struct card_link link;
		struct pa_result pa;
		struct aa_result aa;
		struct ca_result ca;
		double t0;
		int bad;

		if (session_open(c, &link, &drbg, s, r + 2))
			break;
		t0 = cpu_us();
		bad = pa_verify(sod->data, sod->len, c->dgs, c->n_dgs, &c->ts,
				(long long)time(NULL), &pa) != PA_OK;
		bad |= aa_run(s, dg15->data, dg15->len, c->aa_md, &aa) != AA_OK;
		bad |= ca_run(s, dg14->data, dg14->len, &ca) != CA_OK;
		t[r] = cpu_us() - t0;
		session_close(&link, &drbg, s);
		if (bad) {
			free(s);
			return -1;
		}
	}
	free(s);
	return s ? median(t, SIM_RUNS) : -1;
}

/* --- openssl's inputs ---------------------------------------------------------------------- */

/* Plain r||s to a DER ECDSA-Sig-Value. */
static int plain_to_der(const uint8_t *sig, size_t len, uint8_t *out, size_t cap, size_t *n)
{
	unsigned char *p = out + cap;
	mbedtls_mpi r, s;
	size_t l = 0;
	int ret;

	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	ret = mbedtls_mpi_read_binary(&r, sig, len / 2) ||
	      mbedtls_mpi_read_binary(&s, sig + len / 2, len / 2);
	if (!ret) {
		MBEDTLS_ASN1_CHK_ADD(l, mbedtls_asn1_write_mpi(&p, out, &s));
		MBEDTLS_ASN1_CHK_ADD(l, mbedtls_asn1_write_mpi(&p, out, &r));
		MBEDTLS_ASN1_CHK_ADD(l, mbedtls_asn1_write_len(&p, out, l));
		MBEDTLS_ASN1_CHK_ADD(l, mbedtls_asn1_write_tag(&p, out, 0x30));
		memmove(out, p, l);
		*n = l;
		ret = 0;
	}
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	return ret;
}

/* M1 || M2 of an ISO/IEC 9796-2 answer (trailer BC), what openssl dgst hashes. */
static int rsa_message(struct card *c, uint8_t *m, size_t *n)
{
	mbedtls_rsa_context *rsa = mbedtls_pk_rsa(c->aa);
	size_t k = mbedtls_rsa_get_len(rsa);
	uint8_t f[AA_SIG_MAX];

	if (c->sig_len != k || mbedtls_rsa_public(rsa, c->sig, f))
		return -1;
	memcpy(m, f + 1, k - 22);
	memcpy(m + k - 22, c->challenge, 8);
	*n = k - 14;
	return 0;
}

static int write_inputs(struct card *c)
{
	const struct vchip_file *sod = &c->fs->ef[VCHIP_EF_SOD];
	static const char *const names[] = {"dg1.bin", "dg2.bin", "dg13.bin", "dg14.bin",
					    "dg15.bin"};
	unsigned char pem[4096];
	uint8_t buf[AA_SIG_MAX + 16];
	size_t n;
	int rc = 0;

	snprintf(c->dir, sizeof(c->dir), "/tmp/bench_verify.XXXXXX");
	if (!mkdtemp(c->dir))
		return -1;
	for (size_t i = 0; i < c->n_dgs; i++)
		rc |= write_file(c->dir, names[i], c->dgs[i].buf, c->dgs[i].len);
	rc |= write_file(c->dir, "cms.der", sod->data + 4, sod->len - 4); /* drop 77 82 LL LL */
	rc |= vchip_cert_pem(c->fs->pki.csca_cert, c->fs->pki.csca_cert_len, (char *)pem,
			     sizeof(pem), NULL);
	rc |= write_file(c->dir, "csca.pem", pem, strlen((char *)pem));
	rc |= mbedtls_pk_write_pubkey_pem(&c->aa, pem, sizeof(pem));
	rc |= write_file(c->dir, "aa.pem", pem, strlen((char *)pem));
	rc |= mbedtls_pk_write_pubkey_pem(&c->ca, pem, sizeof(pem));
	rc |= write_file(c->dir, "chip.pem", pem, strlen((char *)pem));
	rc |= write_file(c->dir, "challenge.bin", c->challenge, 8);
	rc |= write_file(c->dir, "sig.bin", c->sig, c->sig_len);
	if (mbedtls_pk_get_type(&c->aa) == MBEDTLS_PK_ECKEY)
		rc |= plain_to_der(c->sig, c->sig_len, buf, sizeof(buf), &n) ||
		      write_file(c->dir, "sig.der", buf, n);
	else
		rc |= rsa_message(c, buf, &n) || write_file(c->dir, "m.bin", buf, n);
	return rc ? -1 : 0;
}

static void remove_inputs(const struct card *c)
{
	static const char *const files[] = {"dg1.bin",	"dg2.bin",	 "dg13.bin", "dg14.bin",
					    "dg15.bin", "cms.der",	 "csca.pem", "aa.pem",
					    "chip.pem", "challenge.bin", "sig.bin",  "sig.der",
					    "m.bin",	"eph.pem",	 "z.bin",    "f.bin"};
	char path[128];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", c->dir, files[i]);
		unlink(path);
	}
	rmdir(c->dir);
}

/* --- report -------------------------------------------------------------------------------- */

static void line(const char *card, const char *what, double ours, const char *peer, double theirs,
		 int procs, double start)
{
	if (theirs < 0) {
		printf("verify %s %s: %.0f us CPU  (peer %s: unavailable)\n", card, what, ours,
		       peer);
		return;
	}
	printf("verify %s %s: %.0f us CPU  (peer %s: %.0f us CPU, %.0f us net of %d process "
	       "start%s)\n",
	       card, what, ours, peer, theirs,
	       theirs - procs * start > 0 ? theirs - procs * start : 0, procs,
	       procs > 1 ? "s" : "");
}

static void bench_card(struct card *c, double start)
{
	static const char *const pa_cmds[] = {
	    "cms -verify -inform DER -in cms.der -CAfile csca.pem -binary -out /dev/null",
	    "dgst -sha256 dg1.bin dg2.bin dg13.bin dg14.bin dg15.bin"};
	static const char *const aa_ec[] = {
	    "dgst -sha256 -verify aa.pem -signature sig.der challenge.bin"};
	static const char *const aa_rsa[] = {"pkeyutl -verifyrecover -pubin -inkey aa.pem -pkeyopt "
					     "rsa_padding_mode:none -in sig.bin "
					     "-out f.bin",
					     "dgst -sha1 m.bin"};
	char ca_gen[160];
	const char *ca_cmds[2] = {ca_gen,
				  "pkeyutl -derive -inkey eph.pem -peerkey chip.pem -out z.bin"};
	bool ec = mbedtls_pk_get_type(&c->aa) == MBEDTLS_PK_ECKEY;
	double pa = our_median(our_pa, c), aa = our_median(our_aa, c), ca = our_median(our_ca, c);
	double opa = openssl_median(c->dir, pa_cmds, 2);
	double oaa = openssl_median(c->dir, ec ? aa_ec : aa_rsa, ec ? 1 : 2);
	double oca;

	snprintf(ca_gen, sizeof(ca_gen),
		 "genpkey -algorithm EC -pkeyopt ec_paramgen_curve:%s "
		 "-out eph.pem",
		 mbedtls_pk_ec(c->ca)->grp.id == MBEDTLS_ECP_DP_BP256R1 ? "brainpoolP256r1"
									: "prime256v1");
	oca = openssl_median(c->dir, ca_cmds, 2);
	line(c->name, "passive", pa, "openssl cms -verify + dgst -sha256", opa, 2, start);
	line(c->name, ec ? "active (ECDSA)" : "active (RSA ISO 9796-2)", aa,
	     ec ? "openssl dgst -sha256 -verify" : "openssl pkeyutl -verifyrecover + dgst -sha1",
	     oaa, ec ? 1 : 2, start);
	line(c->name, "chip (terminal ECDH + KDF)", ca, "openssl genpkey + pkeyutl -derive", oca, 2,
	     start);
	line(c->name, "passive+active+chip", pa + aa + ca, "openssl, same steps",
	     opa < 0 || oaa < 0 || oca < 0 ? -1 : opa + oaa + oca, ec ? 5 : 6, start);
	printf(
	    "verify %s passive+active+chip in-process against the sim (terminal + chip CPU, SM): "
	    "%.0f us CPU\n",
	    c->name, sim_median(c));
}

/* Microseconds per operation from `openssl speed -seconds 1 ecdsabrp256r1 ecdhbrp256r1 rsa2048`. */
struct speed {
	double ecdsa_verify, ecdh, rsa_verify; /* us, or -1 */
};

static void openssl_speed(struct speed *sp)
{
	FILE *f =
	    popen("openssl speed -seconds 1 ecdsabrp256r1 ecdhbrp256r1 rsa2048 2>/dev/null", "r");
	char buf[256];
	double a, b, c, d;

	sp->ecdsa_verify = sp->ecdh = sp->rsa_verify = -1;
	while (f && fgets(buf, sizeof(buf), f)) {
		const char *p = strchr(buf, ')');

		/* the operations per second: the seconds columns have 4-6 digits only */
		if (strstr(buf, "ecdsa (brainpoolP256r1)") &&
		    sscanf(p + 1, "%lfs %lfs %lf %lf", &a, &b, &c, &d) == 4 && d > 0)
			sp->ecdsa_verify = 1e6 / d;
		else if (strstr(buf, "ecdh (brainpoolP256r1)") &&
			 sscanf(p + 1, "%lfs %lf", &a, &c) == 2 && c > 0)
			sp->ecdh = 1e6 / c;
		else if (sscanf(buf, "rsa 2048 bits %lfs %lfs %lf %lf", &a, &b, &c, &d) == 4 &&
			 d > 0)
			sp->rsa_verify = 1e6 / d;
	}
	if (f)
		pclose(f);
}

static void primitive(const char *what, double ours, const char *peer, double theirs)
{
	if (theirs < 0)
		printf("verify primitive %s: %.1f us CPU  (peer %s: unavailable)\n", what, ours,
		       peer);
	else
		printf("verify primitive %s: %.1f us CPU  (peer %s: %.1f us)\n", what, ours, peer,
		       theirs);
}

static void card_free(struct card *c)
{
	if (c->fs)
		vchip_files_free(c->fs);
	free(c->fs);
	trust_free(&c->ts);
	mbedtls_pk_free(&c->aa);
	mbedtls_pk_free(&c->ca);
}

int main(void)
{
	struct card cards[] = {
	    {.name = "an (brainpoolP256r1 signer, ECDSA AA)",
	     .path = "tests/fixtures/cards/an.ini",
	     .key = {.is_can = true, .can = "012345"}},
	    {.name = "rsa-old-id (RSA-2048 signer and AA)",
	     .path = "tests/fixtures/cards/rsa-old-id.ini",
	     .key = {.is_can = true, .can = "009876"}},
	};
	static const char *const version[] = {"version"};
	double start = -1, prim[3] = {-1, -1, -1};
	struct speed sp;
	int rc = 0;

	for (size_t i = 0; i < sizeof(cards) / sizeof(cards[0]); i++) {
		struct card *c = &cards[i];

		if (load(c) || write_inputs(c)) {
			fprintf(stderr, "bench_verify: cannot prepare %s\n", c->path);
			rc = 1;
		} else {
			if (start < 0) {
				start = openssl_median(c->dir, version, 1);
				printf("openssl process start (openssl version): %.0f us CPU\n",
				       start < 0 ? 0 : start);
			}
			bench_card(c, start < 0 ? 0 : start);
			if (i == 0) {
				prim[0] = our_median(our_aa, c);
				prim[1] = our_median(our_ecdh, c);
			} else {
				prim[2] = our_median(our_aa, c);
			}
			remove_inputs(c);
		}
		card_free(c);
	}
	openssl_speed(&sp);
	primitive("ECDSA brainpoolP256r1 verify (aa_check)", prim[0],
		  "openssl speed ecdsabrp256r1 verify", sp.ecdsa_verify);
	primitive("ECDH brainpoolP256r1 (pace_ecdh)", prim[1], "openssl speed ecdhbrp256r1",
		  sp.ecdh);
	primitive("RSA-2048 verify + ISO 9796-2 (aa_check)", prim[2],
		  "openssl speed rsa2048 verify", sp.rsa_verify);
	return rc;
}
