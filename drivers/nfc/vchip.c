/* SPDX-License-Identifier: MIT */
/*
 * vchip.c - the virtual CCCD's command processing (ISO/IEC 7816-4 §7.1-7.2, §7.5; ICAO 9303-11
 * §6.1), the way CCCD chips behave (FIELD-NOTES):
 *
 *   00 A4 04 0C 07 A0 00 00 02 47 10 01  -> 90 00   SELECT the LDS1 application
 *   00 A4 00 0C 02 3F 00                 -> 6D 00   SELECT MF is not supported
 *   00 A4 02 0C 02 01 1E                 -> 90 00   SELECT EF.COM (6982 until access control)
 *   00 B0 9E 00 00                       -> 60 18 ... 62 82   READ BINARY by SFI 1E, Le 256
 *   00 B1 00 00 04 54 02 80 00 00        -> 53 L <bytes from 32768> 90 00   odd INS, DO54 offset
 *
 * READ BINARY: Le above max_le, or any extended APDU when extended length is off -> 6700; fewer
 * bytes left than Le -> what remains + 6282 (or 6Cxx / 9000, per the dataset's eof); offset past
 * the end -> 6B00. DG3 -> 6982. Protected commands (CLA 0C, §9.8) are opened with emrtd's
 * sm_unwrap_command, run as plain ones, and answered with sm_wrap_response; an SM error (6987,
 * 6988) or any plain command ends the session. INTERNAL AUTHENTICATE: ECDSA over SHA-256, plain
 * r||s, or RSA ISO/IEC 9796-2 scheme 1 with SHA-1. Omitted: record files, WRITE/UPDATE, GET DATA.
 */
#include <string.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/md.h>
#include <mbedtls/rsa.h>

#include "emrtd/apdu.h"
#include "emrtd/sm.h"
#include "nfc/vchip.h"

static const uint8_t lds1_aid[VCHIP_AID_LEN] = {0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01};

/* A response being built: data, then SW1 SW2 appended last. */
struct rsp {
	uint8_t *buf;
	size_t cap;
	size_t len;
};

static void put(struct rsp *r, const uint8_t *p, size_t n)
{
	if (n <= r->cap - 2 - r->len) {
		memcpy(r->buf + r->len, p, n);
		r->len += n;
	}
}

int vchip_open(struct vchip *c, const struct vchip_dataset *ds, struct cccd_err *err)
{
	char seed[64];
	int rc;

	memset(c, 0, sizeof(*c));
	c->ds = *ds;
	mbedtls_hmac_drbg_init(&c->rng);
	snprintf(seed, sizeof(seed), "chip rng|%s", ds->person.id_number);
	rc = mbedtls_hmac_drbg_seed_buf(&c->rng, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
					(const unsigned char *)seed, strlen(seed));
	if (rc) {
		mbedtls_hmac_drbg_free(&c->rng);
		return cccd_err_set(err, -CCCD_EINVAL, "vchip", "rng: mbedTLS -0x%04x",
				    (unsigned)-rc);
	}
	rc = vchip_files_build(&c->fs, &c->ds, err);
	if (!rc) {
		rc = vchip_auth_init(c, err);
		if (rc)
			vchip_files_free(&c->fs);
	}
	if (rc)
		mbedtls_hmac_drbg_free(&c->rng);
	return rc;
}

void vchip_close(struct vchip *c)
{
	vchip_auth_free(c);
	vchip_files_free(&c->fs);
	mbedtls_hmac_drbg_free(&c->rng);
}

void vchip_reset(struct vchip *c)
{
	c->app_selected = false;
	c->cur = NULL;
	c->challenge_valid = false;
	vchip_auth_end(c);
}

/* May the terminal touch f now? sm: the command came under secure messaging. */
static uint16_t ef_access(const struct vchip *c, const struct vchip_file *f, bool sm)
{
	if (f->in_mf)
		return 0x9000;
	if (!c->app_selected)
		return 0x6a82;
	if (c->ds.chip.sm_required && !sm)
		return 0x6982;
	return 0x9000;
}

static void put_fcp(struct rsp *r, const struct vchip_file *f)
{
	uint8_t fcp[] = {0x62, 0x0b, 0x80, 0x02, (uint8_t)(f->len >> 8), (uint8_t)f->len, 0x82,
			 0x01, 0x01, 0x83, 0x02, (uint8_t)(f->fid >> 8), (uint8_t)f->fid};

	if (f->len > 0xffff)
		fcp[4] = fcp[5] = 0xff;
	put(r, fcp, sizeof(fcp));
}

static uint16_t select_ef(struct vchip *c, const struct apdu *a, struct rsp *r, bool sm)
{
	const struct vchip_file *f;
	uint16_t sw;

	if (a->lc != 2)
		return 0x6700;
	f = vchip_files_by_fid(&c->fs, (uint16_t)(a->data[0] << 8 | a->data[1]));
	if (!f)
		return 0x6a82;
	sw = ef_access(c, f, sm);
	if (sw != 0x9000)
		return sw;
	c->cur = f;
	if (a->p2 != 0x0c)
		put_fcp(r, f);
	return 0x9000;
}

static uint16_t cmd_select(struct vchip *c, const struct apdu *a, struct rsp *r, bool sm)
{
	if (a->p2 != 0x0c && a->p2 != 0x00 && a->p2 != 0x04)
		return 0x6a86;
	switch (a->p1) {
	case 0x04:
		if (a->lc != VCHIP_AID_LEN || memcmp(a->data, lds1_aid, VCHIP_AID_LEN))
			return 0x6a82;
		c->app_selected = true;
		c->cur = NULL;
		return 0x9000;
	case 0x00:
		if (a->lc == 0 || (a->lc == 2 && a->data[0] == 0x3f && a->data[1] == 0x00))
			return 0x6d00; /* CCCD chips refuse SELECT MF */
		return select_ef(c, a, r, sm);
	case 0x02:
		return select_ef(c, a, r, sm);
	default:
		return 0x6a86;
	}
}

/* Odd INS answers in a DO 53: the largest n with 53 + length(n) + n <= le (le >= 3). */
static size_t do53_room(size_t le)
{
	if (le <= 129)
		return le - 2;
	return le <= 258 ? le - 3 : le - 4;
}

static void put_do53_hdr(struct rsp *r, size_t n)
{
	uint8_t h[4] = {0x53, 0x82, (uint8_t)(n >> 8), (uint8_t)n};

	if (n <= 127) {
		h[1] = (uint8_t)n;
		put(r, h, 2);
	} else if (n <= 255) {
		h[1] = 0x81;
		h[2] = (uint8_t)n;
		put(r, h, 3);
	} else {
		put(r, h, 4);
	}
}

/* Send up to le bytes (odd: a DO 53 of at most le bytes) of f from off. */
static uint16_t read_out(const struct vchip *c, const struct vchip_file *f, size_t off, size_t le,
			 struct rsp *r, bool odd)
{
	size_t room = odd ? do53_room(le) : le;
	size_t avail;
	size_t n;

	if (f->needs_ta)
		return 0x6982;
	if (off > f->len)
		return 0x6b00;
	avail = f->len - off;
	n = avail < room ? avail : room;
	if (n < room && !odd && c->ds.chip.eof == VCHIP_EOF_6CXX && avail > 0 && avail < 256)
		return (uint16_t)(0x6c00 | avail);
	if (odd)
		put_do53_hdr(r, n);
	put(r, f->data + off, n);
	if (n < room && c->ds.chip.eof != VCHIP_EOF_9000)
		return 0x6282;
	return 0x9000;
}

static uint16_t check_le(const struct vchip *c, const struct apdu *a)
{
	if (!a->le || a->le > c->ds.chip.max_le)
		return 0x6700;
	return 0x9000;
}

static uint16_t cmd_read(struct vchip *c, const struct apdu *a, struct rsp *r, bool sm)
{
	const struct vchip_file *f = c->cur;
	size_t off;
	uint16_t sw = check_le(c, a);

	if (sw != 0x9000)
		return sw;
	if (a->lc)
		return 0x6700;
	if (a->p1 & 0x80) {
		if (a->p1 & 0x60)
			return 0x6a86;
		f = vchip_files_by_sfi(&c->fs, a->p1 & 0x1f);
		if (!f)
			return 0x6a82;
		if ((sw = ef_access(c, f, sm)) != 0x9000)
			return sw;
		c->cur = f;
		off = a->p2;
	} else {
		off = (size_t)(a->p1 & 0x7f) << 8 | a->p2;
	}
	if (!f)
		return 0x6986;
	if ((sw = ef_access(c, f, sm)) != 0x9000)
		return sw;
	return read_out(c, f, off, a->le, r, false);
}

/* Odd INS B1: P1-P2 = 0000 current EF, 00 0x SFI, else a file identifier; DO54 = offset. */
static uint16_t cmd_read_odd(struct vchip *c, const struct apdu *a, struct rsp *r, bool sm)
{
	uint16_t p = (uint16_t)(a->p1 << 8 | a->p2);
	const struct vchip_file *f = c->cur;
	size_t off = 0;
	uint16_t sw = check_le(c, a);

	if (sw != 0x9000)
		return sw;
	if (a->lc < 3 || a->data[0] != 0x54 || a->data[1] < 1 || a->data[1] > 3 ||
	    (size_t)a->data[1] + 2 != a->lc || a->le < 3)
		return 0x6a80;
	for (size_t i = 0; i < a->data[1]; i++)
		off = off << 8 | a->data[2 + i];
	if (p != 0)
		f = (p & 0xffe0) == 0 ? vchip_files_by_sfi(&c->fs, (uint8_t)p)
				      : vchip_files_by_fid(&c->fs, p);
	if (!f)
		return p ? 0x6a82 : 0x6986;
	if ((sw = ef_access(c, f, sm)) != 0x9000)
		return sw;
	c->cur = f;
	return read_out(c, f, off, a->le, r, true);
}

static uint16_t cmd_get_challenge(struct vchip *c, const struct apdu *a, struct rsp *r)
{
	if (a->lc || a->le != 8)
		return 0x6700;
	if (mbedtls_hmac_drbg_random(&c->rng, c->challenge, 8))
		return 0x6f00;
	c->challenge_valid = true;
	put(r, c->challenge, 8);
	return 0x9000;
}

/* ICAO 9303-11 §6.1: ECDSA (SHA-256, plain r||s) or ISO/IEC 9796-2 scheme 1 with SHA-1:
 * F = 6A || M1 || SHA-1(M1 || M2) || BC, M2 = the 8-byte challenge, then the RSA private op. */
static uint16_t aa_sign(struct vchip *c, const uint8_t m2[8], struct rsp *r)
{
	uint8_t f[512];
	uint8_t s[512];
	int rc;

	if (mbedtls_pk_get_type(&c->fs.aa_key) == MBEDTLS_PK_ECKEY) {
		mbedtls_ecp_keypair *k = mbedtls_pk_ec(c->fs.aa_key);
		mbedtls_mpi sr, ss;

		mbedtls_mpi_init(&sr);
		mbedtls_mpi_init(&ss);
		rc = mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), m2, 8, f);
		if (!rc)
			rc = mbedtls_ecdsa_sign(&k->grp, &sr, &ss, &k->d, f, 32,
						mbedtls_hmac_drbg_random, &c->rng);
		if (!rc)
			rc = mbedtls_mpi_write_binary(&sr, s, 32);
		if (!rc)
			rc = mbedtls_mpi_write_binary(&ss, s + 32, 32);
		mbedtls_mpi_free(&sr);
		mbedtls_mpi_free(&ss);
		if (!rc)
			put(r, s, 64);
		return rc ? 0x6f00 : 0x9000;
	}
	mbedtls_rsa_context *rsa = mbedtls_pk_rsa(c->fs.aa_key);
	size_t k = mbedtls_rsa_get_len(rsa);
	size_t m1 = k - 22;
	uint8_t m[512 + 8];

	f[0] = 0x6a;
	rc = mbedtls_hmac_drbg_random(&c->rng, f + 1, m1);
	memcpy(m, f + 1, m1);
	memcpy(m + m1, m2, 8);
	if (!rc)
		rc = mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA1), m, m1 + 8, f + 1 + m1);
	f[k - 1] = 0xbc;
	if (!rc)
		rc = mbedtls_rsa_private(rsa, mbedtls_hmac_drbg_random, &c->rng, f, s);
	if (!rc)
		put(r, s, k);
	return rc ? 0x6f00 : 0x9000;
}

static uint16_t cmd_internal_auth(struct vchip *c, const struct apdu *a, struct rsp *r, bool sm)
{
	if (c->ds.chip.sm_required && !sm)
		return 0x6982;
	if (a->p1 || a->p2)
		return 0x6a86;
	if (a->lc != 8 || !a->le)
		return 0x6700;
	return aa_sign(c, a->data, r);
}

/* One command with its protection already removed. */
static uint16_t dispatch(struct vchip *c, const struct apdu *a, struct rsp *r, bool sm)
{
	switch (a->ins) {
	case 0xa4:
		return cmd_select(c, a, r, sm);
	case 0xb0:
		return cmd_read(c, a, r, sm);
	case 0xb1:
		return cmd_read_odd(c, a, r, sm);
	case 0x84:
		return cmd_get_challenge(c, a, r);
	case 0x88:
		return cmd_internal_auth(c, a, r, sm);
	case 0x82:
		return sm ? 0x6985 : vchip_bac_ext_auth(c, a, r->buf, r->cap - 2, &r->len);
	case 0x22:
		return vchip_mse(c, a, sm);
	case 0x86:
		return vchip_ga(c, a, sm, r->buf, r->cap - 2, &r->len);
	default:
		return 0x6d00;
	}
}

/* Finish an answer: SW1 SW2 after the data; an error carries no data. */
static void finish(struct rsp *r, uint16_t sw)
{
	if (sw != 0x9000 && (sw & 0xff00) != 0x6200)
		r->len = 0;
	r->buf[r->len++] = (uint8_t)(sw >> 8);
	r->buf[r->len++] = (uint8_t)sw;
}

/* A protected command (ICAO 9303-11 §9.8): check and open it, run it, protect the answer. An SM
 * error ends the session and is answered in plain (6987 objects missing, 6988 wrong MAC). */
static void process_sm(struct vchip *c, const uint8_t *cmd, size_t len, struct rsp *out)
{
	struct rsp r = {c->resp_plain, sizeof(c->resp_plain), 0};
	struct apdu a;
	uint16_t sw;
	int rc;

	if (c->access == VCHIP_PLAIN) {
		finish(out, 0x6882);
		return;
	}
	rc = sm_unwrap_command(&c->auth.sm, cmd, len, &a, c->cmd_plain, sizeof(c->cmd_plain), NULL);
	if (rc) {
		vchip_auth_end(c);
		finish(out, rc == -CCCD_ECHECK ? 0x6988 : 0x6987);
		return;
	}
	/* a strict chip: a protected READ must fit the short response the terminal asked for */
	if ((a.ins & 0xfe) == 0xb0 && !a.extended && a.le > sm_max_le(&c->auth.sm))
		sw = 0x6700;
	else
		sw = dispatch(c, &a, &r, true);
	if (sw != 0x9000 && (sw & 0xff00) != 0x6200)
		r.len = 0;
	if (sm_wrap_response(&c->auth.sm, a.ins, r.buf, r.len, sw, out->buf, out->cap, &out->len,
			     NULL)) {
		vchip_auth_end(c);
		out->len = 0;
		finish(out, 0x6f00);
		return;
	}
	if (c->ds.chip.faults & VCHIP_FAULT_WRONG_MAC)
		out->buf[out->len - 3] ^= 0x01; /* last byte of DO8E */
	if (c->auth.switch_pending) {
		c->auth.sm =
		    c->auth.next_sm; /* chip authentication: new keys from the next command */
		sm_clear(&c->auth.next_sm);
		c->auth.switch_pending = false;
	}
}

static void process(struct vchip *c, const uint8_t *cmd, size_t len, struct rsp *r)
{
	struct apdu a;

	if (apdu_cmd_parse(cmd, len, &a, NULL) || (a.extended && !c->ds.chip.extended)) {
		finish(r, 0x6700);
		return;
	}
	if ((a.cla & 0x0c) == 0x0c) {
		process_sm(c, cmd, len, r);
		return;
	}
	if ((a.cla & ~0x10) != 0x00) {
		finish(r, 0x6e00);
		return;
	}
	if ((a.cla & 0x10) && a.ins != 0x86) {
		finish(r, 0x6884); /* command chaining only for GENERAL AUTHENTICATE */
		return;
	}
	if (c->access != VCHIP_PLAIN)
		vchip_auth_end(c); /* a plain command ends any secure session */
	finish(r, dispatch(c, &a, r, false));
}

int vchip_process(struct vchip *c, const uint8_t *cmd, size_t len, uint8_t *resp, size_t cap,
		  size_t *resp_len)
{
	struct rsp r = {resp, cap, 0};

	*resp_len = 0;
	if (cap < VCHIP_RESP_MAX)
		return -CCCD_EINVAL;
	c->commands++;
	process(c, cmd, len, &r);
	*resp_len = r.len;
	return 0;
}
