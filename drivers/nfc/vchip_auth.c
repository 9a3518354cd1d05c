/* SPDX-License-Identifier: MIT */
/*
 * vchip_auth.c - access control on the chip side, from ICAO 9303-11, with emrtd's primitives:
 *
 *   BAC (§4.3.4, Appendix D.3)   GET CHALLENGE -> RND.ICC; EXTERNAL AUTHENTICATE with
 *       E(RND.IFD||RND.ICC||K.IFD)||MAC -> check MAC and RND.ICC (else 6300), answer
 *       E(RND.ICC||RND.IFD||K.ICC)||MAC, session keys from K.IFD xor K.ICC, 3DES SM.
 *   PACE GM (§4.4.3)  MSE:Set AT 00 22 C1 A4 {80 oid, 83 01|02, 84 0D} then GENERAL
 *       AUTHENTICATE 10 86: 7C00 -> 7C{80 E(Kpi,s)}; 7C{81 PKmap,IFD} -> 7C{82 PKmap,IC};
 *       7C{83 PK,IFD} -> 7C{84 PK,IC}; 00 86 7C{85 T,IFD} -> 7C{86 T,IC} (wrong password: 6300).
 *   CA (§6.2, AES)  under SM: 0C 22 41 A4 {80 id-CA-ECDH-AES-CBC-CMAC-128} then 0C 86
 *       7C{80 PK,IFD} -> 7C00 under the old keys; new keys KDF(x(ca_d * PK,IFD), 1/2), SSC 0.
 *
 * Only what EF.CardAccess offers: PACE id-PACE-ECDH-GM-AES-CBC-CMAC-128 on parameter 13
 * (brainpoolP256r1). Any step out of order answers 6985 and forgets the run. Omitted: PACE IM/CAM,
 * CA with 3DES (MSE:Set KAT), terminal authentication.
 */
#include <string.h>

#include <mbedtls/hmac_drbg.h>
#include <mbedtls/platform_util.h>

#include "nfc/vchip.h"
#include "nfc/vchip_auth.h"

static const uint8_t oid_pace[] = {0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02, 0x02};
static const uint8_t oid_ca[] = {0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02, 0x02};

#define SW_OK	0x9000
#define SW_AUTH 0x6300
#define SW_LEN	0x6700
#define SW_COND 0x6985
#define SW_DATA 0x6a80
#define SW_P1P2 0x6a86
#define SW_INS	0x6d00
#define SW_FAIL 0x6f00

static int rng(void *ctx, unsigned char *buf, size_t len)
{
	return mbedtls_hmac_drbg_random(ctx, buf, len);
}

int vchip_auth_init(struct vchip *c, struct cccd_err *err)
{
	struct vchip_auth *a = &c->auth;
	const char *m = c->fs.mrz;
	char doc[10], birth[7], exp[7];
	uint8_t seed[16];
	int rc;

	memset(a, 0, sizeof(*a));
	mbedtls_ecp_group_init(&a->pace.grp);
	mbedtls_ecp_point_init(&a->pace.gmap);
	mbedtls_mpi_init(&a->pace.d);
	memcpy(doc, m + 5, 9);
	doc[9] = '\0';
	memcpy(birth, m + 30, 6);
	birth[6] = '\0';
	memcpy(exp, m + 38, 6);
	exp[6] = '\0';
	memcpy(a->can, c->ds.person.id_number + 6, 7);
	rc = bac_mrz_info(doc, birth, exp, a->mrz_info, sizeof(a->mrz_info), err);
	if (!rc)
		rc = bac_key_seed(a->mrz_info, strlen(a->mrz_info), seed, err);
	if (!rc)
		rc = bac_keys(seed, a->kenc, a->kmac, err);
	mbedtls_platform_zeroize(seed, sizeof(seed));
	return rc;
}

static void pace_forget(struct vchip_pace *p)
{
	p->step = 0;
	mbedtls_ecp_group_free(&p->grp);
	mbedtls_ecp_point_free(&p->gmap);
	mbedtls_mpi_free(&p->d);
	mbedtls_ecp_group_init(&p->grp);
	mbedtls_ecp_point_init(&p->gmap);
	mbedtls_mpi_init(&p->d);
	sm_clear(&p->sm);
	mbedtls_platform_zeroize(p->kpi, sizeof(p->kpi));
}

void vchip_auth_end(struct vchip *c)
{
	c->access = VCHIP_PLAIN;
	sm_clear(&c->auth.sm);
	sm_clear(&c->auth.next_sm);
	c->auth.ca_ready = false;
	c->auth.switch_pending = false;
	pace_forget(&c->auth.pace);
}

void vchip_auth_free(struct vchip *c)
{
	vchip_auth_end(c);
	mbedtls_ecp_group_free(&c->auth.pace.grp);
	mbedtls_ecp_point_free(&c->auth.pace.gmap);
	mbedtls_mpi_free(&c->auth.pace.d);
	mbedtls_platform_zeroize(&c->auth, sizeof(c->auth));
}

/* --- BAC ---------------------------------------------------------------------------------- */

uint16_t vchip_bac_ext_auth(struct vchip *c, const struct apdu *a, uint8_t *out, size_t cap,
			    size_t *len)
{
	uint8_t s[32], k_icc[16];
	int rc;

	if (!c->ds.chip.bac)
		return SW_INS;
	if (a->lc != BAC_CRYPTOGRAM_LEN || !a->le || cap < BAC_CRYPTOGRAM_LEN)
		return SW_LEN;
	if (!c->challenge_valid)
		return SW_COND;
	c->challenge_valid = false; /* one try per challenge */
	vchip_auth_end(c);
	if (bac_cryptogram_open(c->auth.kenc, c->auth.kmac, a->data, a->lc, s, NULL) ||
	    memcmp(s + 8, c->challenge, 8))
		return SW_AUTH;
	rc = rng(&c->rng, k_icc, sizeof(k_icc));
	if (!rc)
		rc = bac_cryptogram_build(c->auth.kenc, c->auth.kmac, c->challenge, s, k_icc, out,
					  NULL);
	if (!rc)
		rc = bac_session(s + 16, k_icc, c->challenge, s, &c->auth.sm, NULL);
	mbedtls_platform_zeroize(s, sizeof(s));
	mbedtls_platform_zeroize(k_icc, sizeof(k_icc));
	if (rc)
		return SW_FAIL;
	*len = BAC_CRYPTOGRAM_LEN;
	c->access = VCHIP_BAC;
	return SW_OK;
}

/* --- MSE:Set AT -------------------------------------------------------------------------- */

/* Read 80 oid, 83 password reference, 84 parameter/key ID from an MSE:Set AT body. */
struct mse {
	struct apdu_do oid;
	int pwd;   /* -1 absent */
	int param; /* -1 absent */
};

static int mse_parse(const struct apdu *a, struct mse *m)
{
	struct apdu_do d;
	size_t off = 0;
	int rc;

	memset(m, 0, sizeof(*m));
	m->pwd = m->param = -1;
	while ((rc = apdu_do_next(a->data, a->lc, &off, &d, NULL)) == 1) {
		if (d.tag == 0x80)
			m->oid = d;
		else if ((d.tag == 0x83 || d.tag == 0x84) && d.len == 1)
			*(d.tag == 0x83 ? &m->pwd : &m->param) = d.value[0];
		else
			return -1;
	}
	return rc;
}

static bool oid_is(const struct apdu_do *d, const uint8_t *oid, size_t len)
{
	return d->value && d->len == len && !memcmp(d->value, oid, len);
}

static uint16_t pace_setup(struct vchip *c, const struct mse *m)
{
	struct vchip_pace *p = &c->auth.pace;
	const char *pwd = m->pwd == PACE_PWD_CAN ? c->auth.can : c->auth.mrz_info;
	mbedtls_ecp_group_id gid;

	pace_forget(p);
	if (!c->ds.chip.pace || !oid_is(&m->oid, oid_pace, sizeof(oid_pace)) ||
	    (m->pwd != PACE_PWD_MRZ && m->pwd != PACE_PWD_CAN) || (m->param >= 0 && m->param != 13))
		return SW_DATA;
	if (pace_cipher_from_oid(oid_pace, sizeof(oid_pace), &p->c, NULL) ||
	    pace_curve(13, &gid, NULL) || mbedtls_ecp_group_load(&p->grp, gid) ||
	    pace_password_key(p->c, (enum pace_pwd)m->pwd, (const uint8_t *)pwd, strlen(pwd),
			      p->kpi, NULL))
		return SW_FAIL;
	p->step = 1;
	return SW_OK;
}

uint16_t vchip_mse(struct vchip *c, const struct apdu *a, bool sm)
{
	struct mse m;

	if (mse_parse(a, &m))
		return SW_DATA;
	if (a->p1 == 0xc1 && a->p2 == 0xa4) {
		vchip_auth_end(c); /* PACE restarts access control */
		return pace_setup(c, &m);
	}
	if (a->p1 == 0x41 && a->p2 == 0xa4) {
		if (!sm)
			return 0x6982;
		if (!oid_is(&m.oid, oid_ca, sizeof(oid_ca)))
			return SW_DATA;
		c->auth.ca_ready = true;
		return SW_OK;
	}
	return SW_P1P2;
}

/* --- GENERAL AUTHENTICATE ------------------------------------------------------------------ */

/* out = 7C L { tag L value } */
static uint16_t put_7c(uint8_t tag, const uint8_t *v, size_t vlen, uint8_t *out, size_t cap,
		       size_t *len)
{
	size_t inner = apdu_do_hdr_len(vlen) + vlen;
	size_t p = 0;

	if (apdu_do_put(out, cap, &p, 0x7c, NULL, inner, NULL))
		return SW_FAIL;
	p -= inner; /* header written; the inner DO fills the value */
	if (apdu_do_put(out, cap, &p, tag, v, vlen, NULL))
		return SW_FAIL;
	*len = p;
	return SW_OK;
}

static uint16_t pace_nonce(struct vchip *c, const struct apdu *a, uint8_t *out, size_t cap,
			   size_t *len)
{
	struct vchip_pace *p = &c->auth.pace;
	uint8_t z[16];

	if (a->lc != 2 || a->data[0] != 0x7c || a->data[1] != 0)
		return SW_DATA;
	if (rng(&c->rng, p->s, sizeof(p->s)) ||
	    pace_nonce_encrypt(p->c, p->kpi, p->s, sizeof(p->s), z, NULL))
		return SW_FAIL;
	p->step = 2;
	return put_7c(0x80, z, sizeof(z), out, cap, len);
}

static uint16_t pace_map(struct vchip *c, const struct apdu_do *pk, uint8_t *out, size_t cap,
			 size_t *len)
{
	struct vchip_pace *p = &c->auth.pace;
	mbedtls_ecp_point h;
	int rc;

	mbedtls_ecp_point_init(&h);
	rc = pace_keypair(&p->grp, &p->grp.G, rng, &c->rng, &p->d, p->pub_icc, sizeof(p->pub_icc),
			  &p->pub_icc_len, NULL);
	if (!rc)
		rc = pace_ecdh(&p->grp, &p->d, pk->value, pk->len, &h, NULL);
	if (!rc)
		rc = pace_gm_map(&p->grp, p->s, sizeof(p->s), &h, &p->gmap, NULL);
	mbedtls_ecp_point_free(&h);
	if (rc)
		return SW_DATA; /* not a point of the curve */
	p->step = 3;
	return put_7c(0x82, p->pub_icc, p->pub_icc_len, out, cap, len);
}

static uint16_t pace_agree(struct vchip *c, const struct apdu_do *pk, uint8_t *out, size_t cap,
			   size_t *len)
{
	struct vchip_pace *p = &c->auth.pace;
	size_t xlen = (p->grp.pbits + 7) / 8;
	mbedtls_ecp_point k;
	uint8_t x[66];
	int rc;

	if (pk->len > sizeof(p->pub_ifd))
		return SW_DATA;
	mbedtls_ecp_point_init(&k);
	rc = pace_keypair(&p->grp, &p->gmap, rng, &c->rng, &p->d, p->pub_icc, sizeof(p->pub_icc),
			  &p->pub_icc_len, NULL);
	if (!rc && pk->len == p->pub_icc_len && !memcmp(pk->value, p->pub_icc, pk->len))
		rc = -1; /* a reflected key */
	if (!rc)
		rc = pace_ecdh(&p->grp, &p->d, pk->value, pk->len, &k, NULL);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&k.X, x, xlen);
	if (!rc)
		rc = pace_session_keys(p->c, x, xlen, &p->sm, NULL);
	mbedtls_ecp_point_free(&k);
	mbedtls_platform_zeroize(x, sizeof(x));
	if (rc)
		return SW_DATA;
	memcpy(p->pub_ifd, pk->value, pk->len);
	p->pub_ifd_len = pk->len;
	p->step = 4;
	return put_7c(0x84, p->pub_icc, p->pub_icc_len, out, cap, len);
}

static uint16_t pace_tokens(struct vchip *c, const struct apdu_do *t, uint8_t *out, size_t cap,
			    size_t *len)
{
	struct vchip_pace *p = &c->auth.pace;
	uint8_t want[8], mine[8];

	if (pace_auth_token(p->c, p->sm.ks_mac, oid_pace, sizeof(oid_pace), p->pub_icc,
			    p->pub_icc_len, want, NULL) ||
	    pace_auth_token(p->c, p->sm.ks_mac, oid_pace, sizeof(oid_pace), p->pub_ifd,
			    p->pub_ifd_len, mine, NULL))
		return SW_FAIL;
	if (t->len != 8 || !emrtd_mac_equal(t->value, want, 8))
		return SW_AUTH; /* wrong password (or key) */
	c->auth.sm = p->sm;
	c->access = VCHIP_PACE;
	pace_forget(p);
	return put_7c(0x86, mine, sizeof(mine), out, cap, len);
}

static uint16_t pace_step(struct vchip *c, const struct apdu *a, uint8_t *out, size_t cap,
			  size_t *len)
{
	static const uint8_t want_tag[5] = {0, 0, 0x81, 0x83, 0x85};
	struct vchip_pace *p = &c->auth.pace;
	bool last = p->step == 4;
	struct apdu_do d;
	uint16_t sw;

	if (p->step < 1 || p->step > 4 || ((a->cla & 0x10) != 0) == last)
		sw = SW_COND;
	else if (p->step == 1)
		sw = pace_nonce(c, a, out, cap, len);
	else if (pace_ga_parse(a->data, a->lc, want_tag[p->step], &d, NULL))
		sw = SW_DATA;
	else if (p->step == 2)
		sw = pace_map(c, &d, out, cap, len);
	else if (p->step == 3)
		sw = pace_agree(c, &d, out, cap, len);
	else
		sw = pace_tokens(c, &d, out, cap, len);
	if (sw != SW_OK)
		pace_forget(p);
	return sw;
}

/* Chip authentication: agree with the terminal's ephemeral key, new AES-128 keys, SSC 0. */
static uint16_t ca_step(struct vchip *c, const struct apdu *a, uint8_t *out, size_t cap,
			size_t *len)
{
	mbedtls_ecp_keypair *ca = mbedtls_pk_ec(c->fs.ca_key);
	struct apdu_do pk;
	mbedtls_ecp_point k;
	uint8_t x[32], kenc[16], kmac[16];
	int rc;

	if (!c->auth.ca_ready)
		return SW_COND;
	c->auth.ca_ready = false;
	if (pace_ga_parse(a->data, a->lc, 0x80, &pk, NULL))
		return SW_DATA;
	mbedtls_ecp_point_init(&k);
	rc = pace_ecdh(&ca->grp, &ca->d, pk.value, pk.len, &k, NULL);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&k.X, x, sizeof(x));
	if (!rc)
		rc = emrtd_kdf(EMRTD_CIPHER_AES128, x, sizeof(x), EMRTD_KDF_ENC, kenc, NULL);
	if (!rc)
		rc = emrtd_kdf(EMRTD_CIPHER_AES128, x, sizeof(x), EMRTD_KDF_MAC, kmac, NULL);
	if (!rc)
		rc = sm_init(&c->auth.next_sm, EMRTD_CIPHER_AES128, kenc, kmac, NULL, NULL);
	mbedtls_ecp_point_free(&k);
	mbedtls_platform_zeroize(x, sizeof(x));
	mbedtls_platform_zeroize(kenc, sizeof(kenc));
	mbedtls_platform_zeroize(kmac, sizeof(kmac));
	if (rc)
		return SW_DATA;
	c->auth.switch_pending = true;
	if (cap < 2)
		return SW_FAIL;
	out[0] = 0x7c;
	out[1] = 0x00;
	*len = 2;
	return SW_OK;
}

uint16_t vchip_ga(struct vchip *c, const struct apdu *a, bool sm, uint8_t *out, size_t cap,
		  size_t *len)
{
	if (a->p1 || a->p2)
		return SW_P1P2;
	if (sm)
		return ca_step(c, a, out, cap, len);
	return pace_step(c, a, out, cap, len);
}
