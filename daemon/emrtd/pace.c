/* SPDX-License-Identifier: MIT */
/*
 * pace.c - PACE v2, ECDH generic mapping (ICAO 9303-11 §4.4.3-4.4.4, §9.5.1), worked example
 * Appendix G.1 (brainpoolP256r1, AES-128, MRZ password):
 *   00 22 C1 A4 12 | 80 0A 04007F00070202040202 | 83 01 01 | 84 01 0D      MSE:Set AT
 *   10 86 00 00 02 7C 00 00            -> 7C 12 80 10 <z = E(K_pi, s)>      encrypted nonce
 *   10 86 00 00 45 7C 43 81 41 <PK_map,PCD> 00 -> 7C 43 82 41 <PK_map,IC>   G' = s*G + H
 *   10 86 00 00 45 7C 43 83 41 <PK_PCD> 00     -> 7C 43 84 41 <PK_IC>       K = d*PK_IC
 *   00 86 00 00 0C 7C 0A 85 08 <T_PCD> 00      -> 7C 0A 86 08 <T_IC>        tokens
 * Omitted: DH groups (IDs 0-2), integrated mapping, chip-authentication mapping, and the brainpool
 * 192/224/320 curves mbedTLS 2.28 lacks. Point blinding in mbedtls_ecp_mul uses mbedTLS's internal
 * DRBG, so the session RNG draws only private keys and tests can replay the spec's keys.
 */
#include <string.h>

#include <mbedtls/platform_util.h>
#include <mbedtls/sha1.h>

#include "doc/tlv.h"
#include "emrtd/pace.h"

/* 0.4.0.127.0.7.2.2.4.2 = id-PACE-ECDH-GM, then 1 3DES, 2/3/4 AES-128/192/256 */
static const uint8_t oid_ecdh_gm[9] = {0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02};

int pace_cipher_from_oid(const uint8_t *oid, size_t len, enum emrtd_cipher *c, struct cccd_err *err)
{
	static const enum emrtd_cipher by_last[5] = {
	    [1] = EMRTD_CIPHER_3DES,
	    [2] = EMRTD_CIPHER_AES128,
	    [3] = EMRTD_CIPHER_AES192,
	    [4] = EMRTD_CIPHER_AES256,
	};

	if (len != 10 || memcmp(oid, oid_ecdh_gm, 9) || oid[9] < 1 || oid[9] > 4)
		return cccd_err_set(err, -CCCD_ENOTSUP, "pace",
				    "protocol OID of %zu bytes is not "
				    "id-PACE-ECDH-GM-*",
				    len);
	*c = by_last[oid[9]];
	return 0;
}

int pace_curve(uint32_t param_id, mbedtls_ecp_group_id *gid, struct cccd_err *err)
{
	static const mbedtls_ecp_group_id by_id[19] = {
	    [8] = MBEDTLS_ECP_DP_SECP192R1,  [10] = MBEDTLS_ECP_DP_SECP224R1,
	    [12] = MBEDTLS_ECP_DP_SECP256R1, [13] = MBEDTLS_ECP_DP_BP256R1,
	    [15] = MBEDTLS_ECP_DP_SECP384R1, [16] = MBEDTLS_ECP_DP_BP384R1,
	    [17] = MBEDTLS_ECP_DP_BP512R1,   [18] = MBEDTLS_ECP_DP_SECP521R1,
	};

	if (param_id > 18 || by_id[param_id] == MBEDTLS_ECP_DP_NONE)
		return cccd_err_set(err, -CCCD_ENOTSUP, "pace",
				    "domain parameter ID %u not supported", (unsigned)param_id);
	*gid = by_id[param_id];
	return 0;
}

int pace_password_key(enum emrtd_cipher c, enum pace_pwd type, const uint8_t *pwd, size_t len,
		      uint8_t *kpi, struct cccd_err *err)
{
	uint8_t h[20];
	int rc;

	if (type == PACE_PWD_CAN)
		return emrtd_kdf(c, pwd, len, EMRTD_KDF_PI, kpi, err);
	if (type != PACE_PWD_MRZ)
		return cccd_err_set(err, -CCCD_ENOTSUP, "pace", "password type %d", (int)type);
	if (mbedtls_sha1_ret(pwd, len, h))
		return cccd_err_set(err, -CCCD_EINVAL, "pace", "SHA-1 failed");
	rc = emrtd_kdf(c, h, sizeof(h), EMRTD_KDF_PI, kpi, err);
	mbedtls_platform_zeroize(h, sizeof(h));
	return rc;
}

static int nonce_crypt(enum emrtd_cipher c, const uint8_t *kpi, bool enc, const uint8_t *in,
		       size_t len, uint8_t *out, struct cccd_err *err)
{
	static const uint8_t iv[EMRTD_BLOCK_MAX];

	if (len == 0 || len > PACE_NONCE_MAX || len % emrtd_block_len(c))
		return cccd_err_set(err, -CCCD_EFORMAT, "pace", "nonce of %zu bytes", len);
	return emrtd_cbc(c, kpi, enc, iv, in, len, out, err);
}

int pace_nonce_decrypt(enum emrtd_cipher c, const uint8_t *kpi, const uint8_t *z, size_t len,
		       uint8_t *s, struct cccd_err *err)
{
	return nonce_crypt(c, kpi, false, z, len, s, err);
}

int pace_nonce_encrypt(enum emrtd_cipher c, const uint8_t *kpi, const uint8_t *s, size_t len,
		       uint8_t *z, struct cccd_err *err)
{
	return nonce_crypt(c, kpi, true, s, len, z, err);
}

static int ecp_err(struct cccd_err *err, const char *what, int mrc)
{
	return cccd_err_set(err, mrc == MBEDTLS_ERR_ECP_INVALID_KEY ? -CCCD_ECHECK : -CCCD_EINVAL,
			    "pace", "%s (mbedtls -0x%04X)", what, (unsigned)-mrc);
}

int pace_gm_map(mbedtls_ecp_group *grp, const uint8_t *s, size_t slen, const mbedtls_ecp_point *h,
		mbedtls_ecp_point *gmap, struct cccd_err *err)
{
	mbedtls_mpi sm;
	mbedtls_mpi one;
	int rc;

	mbedtls_mpi_init(&sm);
	mbedtls_mpi_init(&one);
	rc = mbedtls_mpi_read_binary(&sm, s, slen);
	if (!rc)
		rc = mbedtls_mpi_lset(&one, 1);
	if (!rc)
		rc = mbedtls_ecp_muladd(grp, gmap, &sm, &grp->G, &one, h);
	if (rc)
		rc = ecp_err(err, "generic mapping s*G + H", rc);
	mbedtls_mpi_free(&sm);
	mbedtls_mpi_free(&one);
	return rc;
}

/* d from rng: n's byte length, big-endian, accepted when 1 <= d < n (at most 32 draws). */
static int draw_scalar(const mbedtls_ecp_group *grp, emrtd_rng_fn rng, void *rng_ctx,
		       mbedtls_mpi *d, struct cccd_err *err)
{
	size_t n = mbedtls_mpi_size(&grp->N);
	uint8_t buf[66];

	for (int tries = 0; tries < 32; tries++) {
		if (rng(rng_ctx, buf, n))
			return cccd_err_set(err, -CCCD_EIO, "pace", "random source failed");
		if (mbedtls_mpi_read_binary(d, buf, n))
			break;
		if (mbedtls_mpi_cmp_int(d, 1) >= 0 && mbedtls_mpi_cmp_mpi(d, &grp->N) < 0) {
			mbedtls_platform_zeroize(buf, sizeof(buf));
			return 0;
		}
	}
	mbedtls_platform_zeroize(buf, sizeof(buf));
	return cccd_err_set(err, -CCCD_EIO, "pace", "no private key in range from the RNG");
}

int pace_keypair(mbedtls_ecp_group *grp, const mbedtls_ecp_point *base, emrtd_rng_fn rng,
		 void *rng_ctx, mbedtls_mpi *d, uint8_t *pub, size_t cap, size_t *pub_len,
		 struct cccd_err *err)
{
	mbedtls_ecp_point q;
	int rc;

	mbedtls_ecp_point_init(&q);
	rc = draw_scalar(grp, rng, rng_ctx, d, err);
	if (rc)
		goto out;
	rc = mbedtls_ecp_mul(grp, &q, d, base, NULL, NULL);
	if (!rc)
		rc = mbedtls_ecp_point_write_binary(grp, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, pub_len,
						    pub, cap);
	if (rc)
		rc = ecp_err(err, "public key", rc);
out:
	mbedtls_ecp_point_free(&q);
	return rc;
}

int pace_ecdh(mbedtls_ecp_group *grp, const mbedtls_mpi *d, const uint8_t *peer, size_t len,
	      mbedtls_ecp_point *out, struct cccd_err *err)
{
	mbedtls_ecp_point p;
	int rc;

	mbedtls_ecp_point_init(&p);
	if (len == 0 || peer[0] != 0x04) {
		rc = cccd_err_set(err, -CCCD_EFORMAT, "pace", "peer key not an uncompressed point");
		goto out;
	}
	rc = mbedtls_ecp_point_read_binary(grp, &p, peer, len);
	if (!rc)
		rc = mbedtls_ecp_check_pubkey(grp, &p);
	if (rc) {
		rc = cccd_err_set(err, -CCCD_ECHECK, "pace",
				  "peer key of %zu bytes not on the curve", len);
		goto out;
	}
	rc = mbedtls_ecp_mul(grp, out, d, &p, NULL, NULL);
	if (rc)
		rc = ecp_err(err, "ECDH", rc);
out:
	mbedtls_ecp_point_free(&p);
	return rc;
}

int pace_session_keys(enum emrtd_cipher c, const uint8_t *x, size_t xlen, struct sm_ctx *sm,
		      struct cccd_err *err)
{
	uint8_t ke[EMRTD_KEY_MAX], km[EMRTD_KEY_MAX];
	int rc = emrtd_kdf(c, x, xlen, EMRTD_KDF_ENC, ke, err);

	if (!rc)
		rc = emrtd_kdf(c, x, xlen, EMRTD_KDF_MAC, km, err);
	if (!rc)
		rc = sm_init(sm, c, ke, km, NULL, err);
	mbedtls_platform_zeroize(ke, sizeof(ke));
	mbedtls_platform_zeroize(km, sizeof(km));
	return rc;
}

int pace_auth_token(enum emrtd_cipher c, const uint8_t *ks_mac, const uint8_t *oid, size_t oid_len,
		    const uint8_t *point, size_t point_len, uint8_t token[8], struct cccd_err *err)
{
	uint8_t obj[8 + PACE_OID_MAX + PACE_POINT_MAX];
	struct tlv_writer w;
	struct emrtd_mac m;
	size_t mark, n;
	int rc;

	tlv_writer_init(&w, obj, sizeof(obj));
	mark = tlv_open(&w, 0x7F49);
	tlv_put(&w, 0x06, oid, oid_len);
	tlv_put(&w, 0x86, point, point_len);
	tlv_close(&w, mark);
	rc = tlv_writer_done(&w, &n);
	if (rc)
		return cccd_err_set(err, rc, "pace", "token input too long (%zu + %zu bytes)",
				    oid_len, point_len);
	rc = emrtd_mac_start(&m, c, ks_mac, err);
	if (!rc)
		rc = emrtd_mac_update(&m, obj, n, err);
	if (!rc)
		rc = emrtd_mac_finish(&m, c == EMRTD_CIPHER_3DES, token, err);
	emrtd_mac_free(&m);
	return rc;
}

int pace_mse_data(const struct pace_config *cfg, uint8_t *out, size_t cap, size_t *len,
		  struct cccd_err *err)
{
	const uint8_t pwd = (uint8_t)cfg->pwd_type, pid = (uint8_t)cfg->param_id;
	size_t p = 0;
	int rc = apdu_do_put(out, cap, &p, 0x80, cfg->oid, cfg->oid_len, err);

	if (!rc)
		rc = apdu_do_put(out, cap, &p, 0x83, &pwd, 1, err);
	if (!rc && cfg->param_id > 0 && cfg->param_id <= 31)
		rc = apdu_do_put(out, cap, &p, 0x84, &pid, 1, err);
	*len = p;
	return rc;
}

int pace_ga_parse(const uint8_t *buf, size_t len, uint8_t tag, struct apdu_do *out,
		  struct cccd_err *err)
{
	struct apdu_do outer;
	size_t off = 0, in = 0;
	int rc = apdu_do_next(buf, len, &off, &outer, err);

	if (rc < 0)
		return rc;
	if (rc == 0 || outer.tag != 0x7C || off != len)
		return cccd_err_set(err, -CCCD_EFORMAT, "pace",
				    "data of %zu bytes is not one 7C "
				    "object",
				    len);
	while ((rc = apdu_do_next(outer.value, outer.len, &in, out, err)) == 1)
		if (out->tag == tag)
			return 0;
	if (rc < 0)
		return rc;
	return cccd_err_set(err, -CCCD_ENOENT, "pace", "7C without tag %02X", tag);
}

/* State of one terminal run; every mbedTLS object is initialised in run_init, freed in run_free. */
struct pace_run {
	enum emrtd_cipher c;
	mbedtls_ecp_group grp;
	mbedtls_ecp_point gmap; /* G' */
	mbedtls_ecp_point pt;	/* H, then K */
	mbedtls_mpi d;		/* current private key */
	uint8_t kpi[EMRTD_KEY_MAX];
	uint8_t s[PACE_NONCE_MAX];
	size_t slen;
	uint8_t pub[PACE_POINT_MAX]; /* our key of the current step */
	size_t pub_len;
	uint8_t chip[PACE_POINT_MAX]; /* the chip's ephemeral key */
	size_t chip_len;
	uint8_t resp[300];
};

static void run_init(struct pace_run *r)
{
	memset(r, 0, sizeof(*r));
	mbedtls_ecp_group_init(&r->grp);
	mbedtls_ecp_point_init(&r->gmap);
	mbedtls_ecp_point_init(&r->pt);
	mbedtls_mpi_init(&r->d);
}

static void run_free(struct pace_run *r)
{
	mbedtls_ecp_group_free(&r->grp);
	mbedtls_ecp_point_free(&r->gmap);
	mbedtls_ecp_point_free(&r->pt);
	mbedtls_mpi_free(&r->d);
	mbedtls_platform_zeroize(r, sizeof(*r));
}

static int sw_fail(struct cccd_err *err, const char *step, uint16_t sw)
{
	int code = apdu_sw_code(sw);

	return cccd_err_set(err, code ? code : -CCCD_ESW, "pace", "%s: SW %04X (%s)", step, sw,
			    apdu_sw_str(sw));
}

/* Send a plain command, demand 9000, return the response data. */
static int xfer(struct card_link *link, const struct apdu *a, const char *step, struct pace_run *r,
		struct apdu_resp *res, struct cccd_err *err)
{
	uint8_t cmd[300];
	size_t n, rn;
	int rc = apdu_encode(a, cmd, sizeof(cmd), &n, err);

	if (!rc)
		rc = card_link_transceive(link, cmd, n, r->resp, sizeof(r->resp), &rn, err);
	if (!rc)
		rc = apdu_resp_parse(r->resp, rn, res, err);
	if (!rc && !apdu_sw_ok(res->sw))
		rc = sw_fail(err, step, res->sw);
	return rc;
}

/* One GENERAL AUTHENTICATE step: send 7C { tag val } (7C 00 when vlen is 0), get 7C { rtag }. */
static int ga(struct card_link *link, struct pace_run *r, bool last, uint8_t tag,
	      const uint8_t *val, size_t vlen, uint8_t rtag, struct apdu_do *got,
	      struct cccd_err *err)
{
	uint8_t data[PACE_POINT_MAX + 8];
	struct apdu a = {.cla = last ? 0x00 : 0x10, .ins = 0x86, .le = 256, .data = data};
	struct apdu_resp res;
	size_t inner = vlen ? apdu_do_hdr_len(vlen) + vlen : 0, p = 0;
	int rc = apdu_do_put(data, sizeof(data), &p, 0x7C, NULL, inner, err);

	if (!rc)
		p -= inner; /* header written; the inner DO fills the value */
	if (!rc && vlen)
		rc = apdu_do_put(data, sizeof(data), &p, tag, val, vlen, err);
	a.lc = p;
	if (!rc)
		rc = xfer(link, &a, "GENERAL AUTHENTICATE", r, &res, err);
	return rc ? rc : pace_ga_parse(res.data, res.len, rtag, got, err);
}

static int step_nonce(struct card_link *link, struct pace_run *r, struct cccd_err *err)
{
	struct apdu_do z;
	int rc = ga(link, r, false, 0, NULL, 0, 0x80, &z, err);

	if (!rc)
		rc = pace_nonce_decrypt(r->c, r->kpi, z.value, z.len, r->s, err);
	r->slen = z.len;
	return rc;
}

static int step_map(struct card_link *link, struct pace_run *r, emrtd_rng_fn rng, void *rng_ctx,
		    struct cccd_err *err)
{
	struct apdu_do chip;
	int rc = pace_keypair(&r->grp, &r->grp.G, rng, rng_ctx, &r->d, r->pub, sizeof(r->pub),
			      &r->pub_len, err);

	if (!rc)
		rc = ga(link, r, false, 0x81, r->pub, r->pub_len, 0x82, &chip, err);
	if (!rc)
		rc = pace_ecdh(&r->grp, &r->d, chip.value, chip.len, &r->pt, err);
	if (!rc)
		rc = pace_gm_map(&r->grp, r->s, r->slen, &r->pt, &r->gmap, err);
	return rc;
}

static int step_agree(struct card_link *link, struct pace_run *r, emrtd_rng_fn rng, void *rng_ctx,
		      struct sm_ctx *sm, struct cccd_err *err)
{
	uint8_t x[66];
	size_t xlen = (r->grp.pbits + 7) / 8;
	struct apdu_do chip;
	int rc = pace_keypair(&r->grp, &r->gmap, rng, rng_ctx, &r->d, r->pub, sizeof(r->pub),
			      &r->pub_len, err);

	if (!rc)
		rc = ga(link, r, false, 0x83, r->pub, r->pub_len, 0x84, &chip, err);
	if (rc)
		return rc;
	if (chip.len > sizeof(r->chip) ||
	    (chip.len == r->pub_len && !memcmp(chip.value, r->pub, chip.len)))
		return cccd_err_set(err, -CCCD_ECHECK, "pace",
				    "chip key refused (reflected or long)");
	memcpy(r->chip, chip.value, chip.len);
	r->chip_len = chip.len;
	rc = pace_ecdh(&r->grp, &r->d, r->chip, r->chip_len, &r->pt, err);
	if (!rc && mbedtls_mpi_write_binary(&r->pt.X, x, xlen))
		rc = cccd_err_set(err, -CCCD_EINVAL, "pace", "shared secret encoding");
	if (!rc)
		rc = pace_session_keys(r->c, x, xlen, sm, err);
	mbedtls_platform_zeroize(x, sizeof(x));
	return rc;
}

static int step_tokens(struct card_link *link, struct pace_run *r, const struct pace_config *cfg,
		       const struct sm_ctx *sm, struct cccd_err *err)
{
	uint8_t t_pcd[8], t_ic[8];
	struct apdu_do got;
	int rc = pace_auth_token(r->c, sm->ks_mac, cfg->oid, cfg->oid_len, r->chip, r->chip_len,
				 t_pcd, err);

	if (!rc)
		rc = ga(link, r, true, 0x85, t_pcd, 8, 0x86, &got, err);
	if (!rc)
		rc = pace_auth_token(r->c, sm->ks_mac, cfg->oid, cfg->oid_len, r->pub, r->pub_len,
				     t_ic, err);
	if (!rc && (got.len != 8 || !emrtd_mac_equal(got.value, t_ic, 8)))
		rc = cccd_err_set(err, -CCCD_ECHECK, "pace", "chip token T_IC does not verify");
	return rc;
}

static int setup(struct card_link *link, struct pace_run *r, const struct pace_config *cfg,
		 struct cccd_err *err)
{
	mbedtls_ecp_group_id gid = MBEDTLS_ECP_DP_NONE;
	uint8_t data[64];
	struct apdu a = {.ins = 0x22, .p1 = 0xC1, .p2 = 0xA4, .data = data};
	struct apdu_resp res;
	int rc = pace_cipher_from_oid(cfg->oid, cfg->oid_len, &r->c, err);

	if (!rc)
		rc = pace_curve(cfg->param_id, &gid, err);
	if (!rc && mbedtls_ecp_group_load(&r->grp, gid))
		rc = cccd_err_set(err, -CCCD_ENOTSUP, "pace", "curve %u", (unsigned)cfg->param_id);
	if (!rc)
		rc = pace_password_key(r->c, cfg->pwd_type, cfg->pwd, cfg->pwd_len, r->kpi, err);
	if (!rc)
		rc = pace_mse_data(cfg, data, sizeof(data), &a.lc, err);
	return rc ? rc : xfer(link, &a, "MSE:Set AT", r, &res, err);
}

int pace_authenticate(struct card_link *link, const struct pace_config *cfg, emrtd_rng_fn rng,
		      void *rng_ctx, struct sm_ctx *sm, struct cccd_err *err)
{
	struct pace_run r;
	int rc;

	run_init(&r);
	rc = setup(link, &r, cfg, err);
	if (!rc)
		rc = step_nonce(link, &r, err);
	if (!rc)
		rc = step_map(link, &r, rng, rng_ctx, err);
	if (!rc)
		rc = step_agree(link, &r, rng, rng_ctx, sm, err);
	if (!rc)
		rc = step_tokens(link, &r, cfg, sm, err);
	if (rc)
		sm_clear(sm);
	run_free(&r);
	return rc;
}
