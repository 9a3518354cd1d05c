/* SPDX-License-Identifier: MIT */
/*
 * ca.c - chip authentication v1, terminal side (ICAO 9303-11 §6.2, §9.2.5; BSI TR-03110-1 3.4):
 *
 *   AES:  0C 22 41 A4 {80 id-CA-ECDH-AES-CBC-CMAC-128 [, 84 keyId]}          MSE:Set AT
 *         0C 86 00 00 {7C {80 PK_IFD}} 00   ->  7C 00 9000                    GENERAL AUTHENTICATE
 *   3DES: 0C 22 41 A6 {91 PK_IFD [, 84 keyId]}                               MSE:Set KAT
 *   then  K = x(SK_IFD * PK_ICC), KSenc = KDF(K, 1), KSmac = KDF(K, 2), SSC = 0 (§9.7.1), and
 *         EF.COM is read under the new keys: a chip without PK_ICC's private key cannot MAC it.
 *
 * DG14 without ChipAuthenticationInfo means the 3DES variant of the key's family (TR-03110 v1.11).
 * The DG14 parser is ca_dg14.c. Omitted: CA with DH keys and EC keys with explicit domain
 * parameters (reported absent: "not supported", so the verdict says suspect, not failed), CA v2/v3.
 */
#include <string.h>

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>

#include "emrtd/pace.h"
#include "verify/aa.h"
#include "verify/ca.h"

#define CA_NOT_RUN 1 /* positive: nothing the chip did wrong, just not checkable */

const char *ca_status_str(enum ca_status st)
{
	return st == CA_OK ? "ok" : st == CA_FAILED ? "failed" : "absent";
}

/* The CA info and key to use: first ECDH info with a matching key (keyId, or the only key).
 * No info at all: the 3DES variant for the first ECDH key. */
static int choose(const struct ca_dg14 *d, struct ca_info *ci, const struct ca_pubkey **pk,
		  struct cccd_err *err)
{
	static const uint8_t ecdh_3des[] = {0x04, 0x00, 0x7f, 0x00, 0x07,
					    0x02, 0x02, 0x03, 0x02, 0x01};

	for (size_t i = 0; i < d->n_info; i++)
		for (size_t j = 0; j < d->n_key; j++) {
			const struct ca_info *c = &d->info[i];
			const struct ca_pubkey *k = &d->key[j];

			if (c->dh || k->dh || c->version != 1 ||
			    (c->has_key_id && k->has_key_id && c->key_id != k->key_id) ||
			    (c->has_key_id != k->has_key_id && d->n_key > 1))
				continue;
			*ci = *c;
			*pk = k;
			return 0;
		}
	for (size_t j = 0; !d->n_info && j < d->n_key; j++)
		if (!d->key[j].dh) {
			memset(ci, 0, sizeof(*ci));
			memcpy(ci->oid, ecdh_3des, sizeof(ecdh_3des));
			ci->oid_len = sizeof(ecdh_3des);
			ci->cipher = EMRTD_CIPHER_3DES;
			ci->version = 1;
			*pk = &d->key[j];
			return 0;
		}
	cccd_err_set(err, -CCCD_ENOTSUP, "ca",
		     "no ECDH chip authentication v1 in DG14 (%zu infos, "
		     "%zu keys)",
		     d->n_info, d->n_key);
	return CA_NOT_RUN;
}

/* The chip's static key as an EC key pair on a named curve; its point as uncompressed bytes. */
static int chip_key(const struct ca_pubkey *k, mbedtls_pk_context *pk, uint8_t *pt, size_t cap,
		    size_t *pt_len, struct cccd_err *err)
{
	bool explicit_ec = aa_spki_explicit_ec(k->spki, k->spki_len);
	int rc = explicit_ec ? 0 : mbedtls_pk_parse_public_key(pk, k->spki, k->spki_len);
	mbedtls_ecp_keypair *ec;

	if (explicit_ec || rc == MBEDTLS_ERR_PK_UNKNOWN_NAMED_CURVE ||
	    rc == MBEDTLS_ERR_PK_UNKNOWN_PK_ALG) {
		cccd_err_set(err, -CCCD_ENOTSUP, "ca",
			     "DG14 key at byte %zu: curve, parameters or algorithm not supported",
			     k->off);
		return CA_NOT_RUN;
	}
	if (rc || mbedtls_pk_get_type(pk) != MBEDTLS_PK_ECKEY)
		return cccd_err_set(err, -CCCD_EFORMAT, "ca",
				    "DG14 key at byte %zu: not an EC "
				    "SubjectPublicKeyInfo (mbedTLS -0x%04x)",
				    k->off, (unsigned)-rc);
	ec = mbedtls_pk_ec(*pk);
	if (mbedtls_ecp_point_write_binary(&ec->grp, &ec->Q, MBEDTLS_ECP_PF_UNCOMPRESSED, pt_len,
					   pt, cap))
		return cccd_err_set(err, -CCCD_EFORMAT, "ca", "DG14 key at byte %zu: bad point",
				    k->off);
	return 0;
}

/* One command under SM; anything but 9000 is an error naming what. */
static int ca_send(struct emrtd_session *s, const struct apdu *a, uint8_t *resp, size_t cap,
		   size_t *got, const char *what, struct cccd_err *err)
{
	uint16_t sw = 0;
	int rc = emrtd_transmit(s, a, resp, cap, got, &sw, err);

	if (!rc && !apdu_sw_ok(sw))
		rc = cccd_err_set(err, apdu_sw_code(sw), "ca", "%s: %04X %s", what, sw,
				  apdu_sw_str(sw));
	return rc;
}

/* MSE:Set AT + GENERAL AUTHENTICATE (AES) or MSE:Set KAT (3DES), under the current SM. */
static int ca_commands(struct emrtd_session *s, const struct ca_info *ci, const uint8_t *pub,
		       size_t pub_len, struct cccd_err *err)
{
	uint8_t body[PACE_POINT_MAX + 32], inner[PACE_POINT_MAX + 8], resp[64];
	uint8_t kid = (uint8_t)ci->key_id;
	struct apdu a = {.ins = 0x22, .p1 = 0x41, .data = body};
	bool aes = ci->cipher != EMRTD_CIPHER_3DES;
	size_t n = 0, m = 0, got;
	int rc;

	rc = aes ? apdu_do_put(body, sizeof(body), &n, 0x80, ci->oid, ci->oid_len, err)
		 : apdu_do_put(body, sizeof(body), &n, 0x91, pub, pub_len, err);
	if (!rc && ci->has_key_id)
		rc = ci->key_id > 0xff
			 ? cccd_err_set(err, -CCCD_ERANGE, "ca", "keyId %u too large", ci->key_id)
			 : apdu_do_put(body, sizeof(body), &n, 0x84, &kid, 1, err);
	a.p2 = aes ? 0xA4 : 0xA6;
	a.lc = n;
	if (!rc)
		rc = ca_send(s, &a, resp, sizeof(resp), &got, aes ? "MSE:Set AT" : "MSE:Set KAT",
			     err);
	if (rc || !aes)
		return rc;
	rc = apdu_do_put(inner, sizeof(inner), &m, 0x80, pub, pub_len, err);
	n = 0;
	if (!rc)
		rc = apdu_do_put(body, sizeof(body), &n, 0x7C, inner, m, err);
	a = (struct apdu){.ins = 0x86, .data = body, .lc = n, .le = 256};
	if (!rc)
		rc = ca_send(s, &a, resp, sizeof(resp), &got, "GENERAL AUTHENTICATE", err);
	if (!rc && (got < 2 || resp[0] != 0x7C))
		rc = cccd_err_set(err, -CCCD_EFORMAT, "ca", "GENERAL AUTHENTICATE: no 7C object");
	return rc;
}

/* Ephemeral key, the commands, ECDH, new SM keys with SSC 0. */
static int agree(struct emrtd_session *s, const struct ca_info *ci, mbedtls_ecp_keypair *ec,
		 const uint8_t *chip_pt, size_t chip_len, struct cccd_err *err)
{
	uint8_t pub[PACE_POINT_MAX], x[66];
	size_t pub_len, xlen = (ec->grp.pbits + 7) / 8;
	mbedtls_ecp_point k;
	mbedtls_mpi d;
	int rc;

	mbedtls_ecp_point_init(&k);
	mbedtls_mpi_init(&d);
	rc = pace_keypair(&ec->grp, &ec->grp.G, s->rng, s->rng_ctx, &d, pub, sizeof(pub), &pub_len,
			  err);
	if (!rc)
		rc = pace_ecdh(&ec->grp, &d, chip_pt, chip_len, &k, err);
	if (!rc && (xlen > sizeof(x) || mbedtls_mpi_write_binary(&k.X, x, xlen)))
		rc = cccd_err_set(err, -CCCD_ERANGE, "ca", "shared secret of %zu bytes", xlen);
	if (!rc)
		rc = ca_commands(s, ci, pub, pub_len, err);
	if (!rc)
		rc = pace_session_keys(ci->cipher, x, xlen, &s->sm, err);
	mbedtls_platform_zeroize(x, sizeof(x));
	mbedtls_ecp_point_free(&k);
	mbedtls_mpi_free(&d);
	return rc;
}

/* The proof: EF.COM read and MAC-verified under the new keys. */
static int prove(struct emrtd_session *s, struct cccd_err *err)
{
	uint8_t com[256];
	size_t n;
	int rc = emrtd_read_file(s, EMRTD_FID_COM, 0x1E, com, sizeof(com), &n, err);

	if (rc == -CCCD_ECHECK)
		cccd_err_set(err, rc, "ca",
			     "the chip's answer under the new keys fails its MAC "
			     "(it does not hold DG14's key)");
	return rc;
}

static enum ca_status ca_set(struct ca_result *res, int rc, const struct cccd_err *e)
{
	res->status = rc == CA_NOT_RUN ? CA_ABSENT : rc ? CA_FAILED : CA_OK;
	res->code = res->status == CA_FAILED ? rc : 0;
	snprintf(res->reason, sizeof(res->reason), "%s", rc ? e->msg : "");
	return res->status;
}

enum ca_status ca_run(struct emrtd_session *s, const uint8_t *dg14, size_t dg14_len,
		      struct ca_result *res)
{
	uint8_t pt[PACE_POINT_MAX];
	const struct ca_pubkey *k = NULL;
	struct cccd_err e = {0};
	struct ca_dg14 d;
	struct ca_info ci;
	mbedtls_pk_context pk;
	size_t pt_len = 0;
	int rc;

	mbedtls_pk_init(&pk);
	if (!dg14 || !dg14_len) {
		snprintf(e.msg, sizeof(e.msg), "no DG14");
		rc = CA_NOT_RUN;
		goto out;
	}
	rc = ca_dg14_parse(dg14, dg14_len, &d, &e);
	if (!rc && !s->sm_on)
		rc = cccd_err_set(&e, -CCCD_ESTATE, "ca", "no secure messaging to run CA under");
	if (!rc)
		rc = choose(&d, &ci, &k, &e);
	if (!rc)
		rc = chip_key(k, &pk, pt, sizeof(pt), &pt_len, &e);
	if (!rc)
		rc = agree(s, &ci, mbedtls_pk_ec(pk), pt, pt_len, &e);
	if (!rc)
		rc = prove(s, &e);
out:
	mbedtls_pk_free(&pk);
	return ca_set(res, rc, &e);
}
