/* SPDX-License-Identifier: MIT */
/* test_ca.c - chip authentication (daemon/verify/ca.c, ICAO 9303-11 §6.2):
 *   - against the virtual chip over sim: (id-CA-ECDH-AES-CBC-CMAC-128 on brainpoolP256r1): ok, the
 *     session goes on under the new keys; the ca_wrong_key fault is the negative twin (failed);
 *   - against a small chip written here (test_chip below) for what the virtual chip does not offer:
 *     3DES via MSE:Set KAT with a keyId, AES-256 on secp256r1, a DG14 with only a public key
 *     (3DES implied), a chip that refuses MSE (6A80), DH only (absent, not supported).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>

#include "emrtd/pace.h"
#include "emrtd/sm.h"
#include "sim_session.h"
#include "verify/ca.h"

#define AN "sim:tests/fixtures/cards/an.ini"

static void sim_chip_ok_then_reads_go_on(void **state)
{
	struct simt *t = simt_open(AN, &simt_an_key);
	struct ca_result r;
	struct cccd_err e = {0};
	uint8_t buf[128];
	size_t n;

	(void)state;
	assert_int_equal(ca_run(&t->s, t->dg14, t->n14, &r), CA_OK);
	assert_string_equal(r.reason, "");
	assert_string_equal(ca_status_str(r.status), "ok");
	/* the new keys carry the rest of the session: DG1 again, same bytes */
	assert_int_equal(emrtd_read_file(&t->s, EMRTD_FID_DG(1), 1, buf, sizeof(buf), &n, &e), 0);
	assert_int_equal(n, t->n1);
	assert_memory_equal(buf, t->dg1, n);
	simt_close(t);
}

static void sim_chip_with_the_wrong_key_fails(void **state)
{
	struct simt *t = simt_open(AN "?faults=ca_wrong_key", &simt_an_key);
	struct ca_result r;

	(void)state;
	assert_int_equal(ca_run(&t->s, t->dg14, t->n14, &r), CA_FAILED);
	assert_non_null(strstr(r.reason, "does not hold DG14's key"));
	simt_close(t);
}

static void no_dg14_or_no_sm(void **state)
{
	struct simt *t = simt_open(AN, &simt_an_key);
	struct ca_result r;

	(void)state;
	assert_int_equal(ca_run(&t->s, NULL, 0, &r), CA_ABSENT);
	assert_string_equal(r.reason, "no DG14");
	t->s.sm_on = false;
	assert_int_equal(ca_run(&t->s, t->dg14, t->n14, &r), CA_FAILED);
	simt_close(t);
}

/* --- a chip written here: SM with known keys, CA by MSE:Set KAT or MSE:Set AT + GA ---------- */

struct test_chip {
	struct sm_ctx sm, next;
	enum emrtd_cipher cipher; /* of the CA protocol it runs */
	mbedtls_ecp_keypair key;  /* its CA key */
	bool hold_key;		  /* false: agree with another key than DG14 publishes */
	uint16_t mse_sw;	  /* 9000, or a refusal */
	bool switch_pending;
	int kid; /* keyId expected in 84, or -1 */
};

static int drbg(void *ctx, unsigned char *buf, size_t len)
{
	return mbedtls_hmac_drbg_random(ctx, buf, len);
}

static uint16_t chip_agree(struct test_chip *c, const uint8_t *pt, size_t len)
{
	mbedtls_ecp_point k;
	mbedtls_mpi other;
	uint8_t x[32];
	int rc;

	mbedtls_ecp_point_init(&k);
	mbedtls_mpi_init(&other);
	mbedtls_mpi_lset(&other, 12345); /* a key that is not DG14's */
	rc = pace_ecdh(&c->key.grp, c->hold_key ? &c->key.d : &other, pt, len, &k, NULL);
	rc = rc ? rc : mbedtls_mpi_write_binary(&k.X, x, sizeof(x));
	rc = rc ? rc : pace_session_keys(c->cipher, x, sizeof(x), &c->next, NULL);
	mbedtls_ecp_point_free(&k);
	mbedtls_mpi_free(&other);
	c->switch_pending = rc == 0;
	return rc ? 0x6a80 : 0x9000;
}

static uint16_t chip_mse(struct test_chip *c, const struct apdu *a)
{
	struct apdu_do d, pk = {0};
	size_t off = 0;
	int kid = -1;

	while (apdu_do_next(a->data, a->lc, &off, &d, NULL) == 1)
		if (d.tag == 0x91)
			pk = d;
		else if (d.tag == 0x84 && d.len == 1)
			kid = d.value[0];
	if (c->mse_sw != 0x9000 || kid != c->kid)
		return c->mse_sw != 0x9000 ? c->mse_sw : 0x6a80;
	if (a->p2 == 0xa6)
		return c->cipher == EMRTD_CIPHER_3DES ? chip_agree(c, pk.value, pk.len) : 0x6a80;
	return c->cipher == EMRTD_CIPHER_3DES ? 0x6a80 : 0x9000;
}

static uint16_t chip_cmd(struct test_chip *c, const struct apdu *a, uint8_t *out, size_t *n)
{
	static const uint8_t com[] = {0x60, 0x06, 0x5c, 0x04, 0x61, 0x75, 0x6d, 0x6e};
	struct apdu_do pk;

	*n = 0;
	if (a->ins == 0x22)
		return chip_mse(c, a);
	if (a->ins == 0x86) {
		if (pace_ga_parse(a->data, a->lc, 0x80, &pk, NULL))
			return 0x6a80;
		memcpy(out, "\x7c\x00", 2);
		*n = 2;
		return chip_agree(c, pk.value, pk.len);
	}
	if (a->ins == 0xa4) /* SELECT: only EF.COM is ever asked for */
		return 0x9000;
	if (a->ins == 0xb0) { /* EF.COM, by SFI (9E) or selected */
		size_t off = a->p1 & 0x80 ? a->p2 : (size_t)(a->p1 << 8 | a->p2);
		size_t want = off > sizeof(com) ? 0 : sizeof(com) - off;

		want = a->le < want ? a->le : want;
		memcpy(out, com + off, want);
		*n = want;
		return 0x9000;
	}
	return 0x6d00;
}

static int chip_transceive(struct card_link *link, const uint8_t *apdu, size_t len, uint8_t *resp,
			   size_t cap, size_t *resp_len, struct cccd_err *err)
{
	struct test_chip *c = link->priv;
	uint8_t data[300], out[300];
	struct apdu a;
	size_t n;
	uint16_t sw;

	if (sm_unwrap_command(&c->sm, apdu, len, &a, data, sizeof(data), err)) {
		memcpy(resp, "\x69\x88", 2);
		*resp_len = 2;
		return 0;
	}
	sw = chip_cmd(c, &a, out, &n);
	if (sm_wrap_response(&c->sm, a.ins, out, n, sw, resp, cap, resp_len, err))
		return -CCCD_EIO;
	if (c->switch_pending)
		c->sm = c->next;
	c->switch_pending = false;
	return 0;
}

static const struct card_link_ops chip_ops = {.scheme = "test", .transceive = chip_transceive};

struct rig {
	struct card_link link;
	struct test_chip chip;
	mbedtls_hmac_drbg_context rng;
	struct emrtd_session s;
	uint8_t dg14[1024];
	size_t dg14_len;
};

/* DER helpers for a DG14 made here. */
static size_t put(uint8_t *out, uint8_t tag, const uint8_t *v, size_t n)
{
	size_t h = n < 128 ? 2 : 3;

	out[0] = tag;
	if (n < 128)
		out[1] = (uint8_t)n;
	else {
		out[1] = 0x81;
		out[2] = (uint8_t)n;
	}
	memmove(out + h, v, n);
	return h + n;
}

/* DG14 with (when ca_last != 0) ChipAuthenticationInfo id-CA-ECDH-<ca_last>, version 1 and keyId
 * kid (>= 0), and the chip key as ChipAuthenticationPublicKeyInfo with the same keyId. */
static void make_dg14(struct rig *r, uint8_t ca_last, int kid)
{
	uint8_t set[600], seq[400], spki[200], tmp[400];
	mbedtls_pk_context pk;
	size_t n = 0, m, sl;
	int len;

	mbedtls_pk_init(&pk);
	assert_int_equal(mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), 0);
	assert_int_equal(mbedtls_ecp_copy(&mbedtls_pk_ec(pk)->Q, &r->chip.key.Q), 0);
	assert_int_equal(mbedtls_ecp_group_copy(&mbedtls_pk_ec(pk)->grp, &r->chip.key.grp), 0);
	len = mbedtls_pk_write_pubkey_der(&pk, spki, sizeof(spki));
	assert_true(len > 0);
	sl = (size_t)len;
	memmove(spki, spki + sizeof(spki) - sl, sl);
	mbedtls_pk_free(&pk);
	if (ca_last) {
		m = put(tmp, 0x06, (const uint8_t[]){4, 0, 0x7f, 0, 7, 2, 2, 3, 2, ca_last}, 10);
		m += put(tmp + m, 0x02, (const uint8_t[]){1}, 1);
		if (kid >= 0)
			m += put(tmp + m, 0x02, (const uint8_t[]){(uint8_t)kid}, 1);
		n += put(set + n, 0x30, tmp, m);
	}
	m = put(seq, 0x06, (const uint8_t[]){4, 0, 0x7f, 0, 7, 2, 2, 1, 2}, 9);
	memcpy(seq + m, spki, sl);
	m += sl;
	if (kid >= 0)
		m += put(seq + m, 0x02, (const uint8_t[]){(uint8_t)kid}, 1);
	n += put(set + n, 0x30, seq, m);
	m = put(tmp, 0x31, set, n);
	r->dg14_len = put(r->dg14, 0x6e, tmp, m);
}

/* A session already under SM (keys shared with the chip), the chip's CA key on curve gid. */
static struct rig *rig(enum emrtd_cipher sm_c, enum emrtd_cipher ca_c, mbedtls_ecp_group_id gid,
		       uint8_t ca_last, int kid)
{
	static const uint8_t k[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
				      12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
				      23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
	struct rig *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	mbedtls_hmac_drbg_init(&r->rng);
	mbedtls_hmac_drbg_seed_buf(&r->rng, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), k, 32);
	mbedtls_ecp_keypair_init(&r->chip.key);
	assert_int_equal(mbedtls_ecp_gen_key(gid, &r->chip.key, drbg, &r->rng), 0);
	r->chip.cipher = ca_c;
	r->chip.hold_key = true;
	r->chip.mse_sw = 0x9000;
	r->chip.kid = kid;
	assert_int_equal(sm_init(&r->chip.sm, sm_c, k, k + 16, NULL, NULL), 0);
	r->link.ops = &chip_ops;
	r->link.priv = &r->chip;
	emrtd_init(&r->s, &r->link, drbg, &r->rng, 0);
	assert_int_equal(sm_init(&r->s.sm, sm_c, k, k + 16, NULL, NULL), 0);
	r->s.sm_on = true;
	r->s.max_le = sm_max_le(&r->s.sm);
	r->s.access = EMRTD_ACCESS_BAC;
	make_dg14(r, ca_last, kid);
	return r;
}

static void rig_free(struct rig *r)
{
	mbedtls_ecp_keypair_free(&r->chip.key);
	mbedtls_hmac_drbg_free(&r->rng);
	free(r);
}

static enum ca_status rig_run(struct rig *r, struct ca_result *res)
{
	return ca_run(&r->s, r->dg14, r->dg14_len, res);
}

/* 3DES: MSE:Set KAT with 91 PK_IFD and 84 keyId, then 3DES SM with SSC 0; wrong-key twin. */
static void tdes_set_kat_with_key_id(void **state)
{
	struct ca_result res;
	struct rig *r = rig(EMRTD_CIPHER_3DES, EMRTD_CIPHER_3DES, MBEDTLS_ECP_DP_BP256R1, 1, 5);

	(void)state;
	if (rig_run(r, &res) != CA_OK)
		fail_msg("%s", res.reason);
	assert_int_equal(r->s.sm.cipher, EMRTD_CIPHER_3DES);
	rig_free(r);
	r = rig(EMRTD_CIPHER_3DES, EMRTD_CIPHER_3DES, MBEDTLS_ECP_DP_BP256R1, 1, 5);
	r->chip.hold_key = false;
	assert_int_equal(rig_run(r, &res), CA_FAILED);
	rig_free(r);
}

/* No ChipAuthenticationInfo at all: TR-03110 says assume the 3DES variant (MSE:Set KAT). */
static void public_key_only_means_3des(void **state)
{
	struct ca_result res;
	struct rig *r = rig(EMRTD_CIPHER_3DES, EMRTD_CIPHER_3DES, MBEDTLS_ECP_DP_SECP256R1, 0, -1);

	(void)state;
	if (rig_run(r, &res) != CA_OK)
		fail_msg("%s", res.reason);
	rig_free(r);
}

/* AES-256 on secp256r1 after AES-128 SM, and the wrong-key twin. */
static void aes256_on_p256(void **state)
{
	struct ca_result res;
	struct rig *r =
	    rig(EMRTD_CIPHER_AES128, EMRTD_CIPHER_AES256, MBEDTLS_ECP_DP_SECP256R1, 4, -1);

	(void)state;
	if (rig_run(r, &res) != CA_OK)
		fail_msg("%s", res.reason);
	assert_int_equal(r->s.sm.cipher, EMRTD_CIPHER_AES256);
	rig_free(r);
	r = rig(EMRTD_CIPHER_AES128, EMRTD_CIPHER_AES256, MBEDTLS_ECP_DP_SECP256R1, 4, -1);
	r->chip.hold_key = false;
	assert_int_equal(rig_run(r, &res), CA_FAILED);
	rig_free(r);
}

static void chip_refuses_mse(void **state)
{
	struct ca_result res;
	struct rig *r =
	    rig(EMRTD_CIPHER_AES128, EMRTD_CIPHER_AES128, MBEDTLS_ECP_DP_BP256R1, 2, -1);

	(void)state;
	r->chip.mse_sw = 0x6a80;
	assert_int_equal(rig_run(r, &res), CA_FAILED);
	assert_non_null(strstr(res.reason, "MSE:Set AT: 6A80"));
	rig_free(r);
}

/* DG14 offering only DH: this build cannot run it -> absent with the reason, not failed. */
static void dh_only_is_absent(void **state)
{
	static const uint8_t dg14[] = {
	    0x6e, 0x27, 0x31, 0x25, 0x30, 0x0f, 0x06, 0x0a, 0x04, 0x00, 0x7f, 0x00, 0x07, 0x02,
	    0x02, 0x03, 0x01, 0x02, 0x02, 0x01, 0x01, 0x30, 0x12, 0x06, 0x09, 0x04, 0x00, 0x7f,
	    0x00, 0x07, 0x02, 0x02, 0x01, 0x01, 0x30, 0x05, 0x30, 0x00, 0x03, 0x01, 0x00};
	struct rig *r =
	    rig(EMRTD_CIPHER_AES128, EMRTD_CIPHER_AES128, MBEDTLS_ECP_DP_BP256R1, 2, -1);
	struct ca_result res;

	(void)state;
	assert_int_equal(ca_run(&r->s, dg14, sizeof(dg14), &res), CA_ABSENT);
	assert_non_null(strstr(res.reason, "no ECDH chip authentication"));
	rig_free(r);
}

/* A DG14 key with explicit EC parameters: absent (this build cannot run it), not failed. */
static void explicit_parameters_are_absent(void **state)
{
	static const uint8_t dg14[] = {
	    0x6e, 0x36, 0x31, 0x34, 0x30, 0x0f, 0x06, 0x0a, 0x04, 0x00, 0x7f, 0x00, 0x07, 0x02,
	    0x02, 0x03, 0x02, 0x02, 0x02, 0x01, 0x01, 0x30, 0x21, 0x06, 0x09, 0x04, 0x00, 0x7f,
	    0x00, 0x07, 0x02, 0x02, 0x01, 0x02, 0x30, 0x14, 0x30, 0x0e, 0x06, 0x07, 0x2a, 0x86,
	    0x48, 0xce, 0x3d, 0x02, 0x01, 0x30, 0x03, 0x02, 0x01, 0x01, 0x03, 0x02, 0x00, 0x04};
	struct rig *r =
	    rig(EMRTD_CIPHER_AES128, EMRTD_CIPHER_AES128, MBEDTLS_ECP_DP_BP256R1, 2, -1);
	struct ca_result res;

	(void)state;
	assert_int_equal(ca_run(&r->s, dg14, sizeof(dg14), &res), CA_ABSENT);
	assert_non_null(strstr(res.reason, "parameters or algorithm not supported"));
	assert_int_equal(r->s.sm.cipher, EMRTD_CIPHER_AES128); /* nothing was sent */
	rig_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sim_chip_ok_then_reads_go_on),
	    cmocka_unit_test(sim_chip_with_the_wrong_key_fails),
	    cmocka_unit_test(no_dg14_or_no_sm),
	    cmocka_unit_test(tdes_set_kat_with_key_id),
	    cmocka_unit_test(public_key_only_means_3des),
	    cmocka_unit_test(aes256_on_p256),
	    cmocka_unit_test(chip_refuses_mse),
	    cmocka_unit_test(dh_only_is_absent),
	    cmocka_unit_test(explicit_parameters_are_absent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
