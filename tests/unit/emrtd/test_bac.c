/* SPDX-License-Identifier: MIT */
/* test_bac.c - Basic Access Control on ICAO 9303-11 Appendix D.2 (keys from the MRZ) and D.3
 * (mutual authentication, session keys, SSC), byte for byte, each with a negative twin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "emrtd/bac.h"
#include "mocklink.h"
#include "testhex.h"

#define D_KENC	   "AB94FDECF2674FDFB9B391F85D7F76F2"
#define D_KMAC	   "7962D9ECE03D1ACD4C76089DCE131543"
#define D3_RND_ICC "4608F91988702212"
#define D3_RND_IFD "781723860C06C226"
#define D3_K_IFD   "0B795240CB7049B01C19B33E32804F0B"
#define D3_K_ICC   "0B4F80323EB3191CB04970CB4052790B"
#define D3_CMD	   "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7"
#define D3_RESP	   "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449"

/* Appendix D.2: MRZ information, K_seed, K_enc, K_mac. */
static void d2_keys_from_mrz(void **state)
{
	char info[BAC_MRZ_INFO_MAX];
	uint8_t seed[16], ke[16], km[16];

	(void)state;
	assert_int_equal(bac_mrz_info("L898902C", "690806", "940623", info, sizeof(info), NULL), 0);
	assert_string_equal(info, "L898902C<369080619406236");
	assert_int_equal(bac_key_seed(info, strlen(info), seed, NULL), 0);
	assert_hex_equal(seed, 16, "239AB9CB282DAF66231DC5A4DF6BFBAE");
	assert_int_equal(bac_keys(seed, ke, km, NULL), 0);
	assert_hex_equal(ke, 16, D_KENC);
	assert_hex_equal(km, 16, D_KMAC);
}

/* Negative twin of D.2: one digit of the birth date wrong changes its check digit and the seed;
 * characters outside the MRZ set are refused with the field named. */
static void d2_negative(void **state)
{
	char info[BAC_MRZ_INFO_MAX];
	uint8_t seed[16];
	struct cccd_err e;

	(void)state;
	assert_int_equal(bac_mrz_info("L898902C", "690807", "940623", info, sizeof(info), NULL), 0);
	assert_string_equal(info, "L898902C<369080729406236");
	assert_int_equal(bac_key_seed(info, strlen(info), seed, NULL), 0);
	assert_memory_not_equal(seed, "\x23\x9A\xB9\xCB", 4);
	assert_int_equal(bac_mrz_info("l898902c", "690806", "940623", info, sizeof(info), &e),
			 -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "document number char 1"));
	assert_int_equal(bac_mrz_info("L898902C", "6908O6", "940623", info, sizeof(info), &e),
			 -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "birth date char 5"));
	assert_int_equal(bac_mrz_info("L898902C", "69080", "940623", info, sizeof(info), &e),
			 -CCCD_EFORMAT);
	assert_int_equal(bac_mrz_info("", "690806", "940623", info, sizeof(info), &e),
			 -CCCD_EFORMAT);
	assert_int_equal(bac_mrz_info("L898902C", "690806", "940623", info, 20, &e), -CCCD_EFORMAT);
	/* a no-expiry card's <<<<<< expiry keys as is, its check digit 0 ('<' = 0) */
	assert_int_equal(bac_mrz_info("200012345", "000201", "<<<<<<", info, sizeof(info), &e), 0);
	assert_string_equal(info, "20001234570002015<<<<<<0");
	assert_int_equal(bac_mrz_info("200012345", "000201", "<<<A<<", info, sizeof(info), &e),
			 -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "expiry date char 4"));
}

/* Appendix D.3 steps 3-6 and the chip's side of it: the EXTERNAL AUTHENTICATE data, its
 * opening by the chip, and the chip's answer. */
static void d3_cryptograms(void **state)
{
	uint8_t ke[16], km[16], a[8], b[8], k[16], out[40], s[32], want[40];

	(void)state;
	hex(D_KENC, ke, sizeof(ke));
	hex(D_KMAC, km, sizeof(km));
	hex(D3_RND_IFD, a, sizeof(a));
	hex(D3_RND_ICC, b, sizeof(b));
	hex(D3_K_IFD, k, sizeof(k));
	assert_int_equal(bac_cryptogram_build(ke, km, a, b, k, out, NULL), 0);
	assert_hex_equal(out, 40, D3_CMD);
	assert_int_equal(bac_cryptogram_open(ke, km, out, 40, s, NULL), 0);
	assert_hex_equal(s, 32, D3_RND_IFD D3_RND_ICC D3_K_IFD);
	/* chip: a = RND.ICC, b = RND.IFD, k = K.ICC gives the spec's response */
	hex(D3_K_ICC, k, sizeof(k));
	assert_int_equal(bac_cryptogram_build(ke, km, b, a, k, out, NULL), 0);
	hex(D3_RESP, want, sizeof(want));
	assert_memory_equal(out, want, 40);
}

/* Negative twin of D.3: a flipped MAC bit or a wrong length is refused before decryption. */
static void d3_cryptogram_negative(void **state)
{
	uint8_t ke[16], km[16], in[41], s[32];
	struct cccd_err e;

	(void)state;
	hex(D_KENC, ke, sizeof(ke));
	hex(D_KMAC, km, sizeof(km));
	hex(D3_RESP, in, sizeof(in));
	in[39] ^= 0x01;
	memset(s, 0xEE, sizeof(s));
	assert_int_equal(bac_cryptogram_open(ke, km, in, 40, s, &e), -CCCD_ECHECK);
	assert_int_equal(s[0], 0xEE);
	assert_int_equal(bac_cryptogram_open(ke, km, in, 39, s, &e), -CCCD_EFORMAT);
	/* the MRZ key of another document: MAC fails */
	km[0] ^= 0x02;
	in[39] ^= 0x01;
	assert_int_equal(bac_cryptogram_open(ke, km, in, 40, s, &e), -CCCD_ECHECK);
}

static const struct mock_step d3_ok[] = {
    {"0084000008", D3_RND_ICC "9000"},
    {"0082000028" D3_CMD "28", D3_RESP "9000"},
};

static void d3_rng(struct script_rng *r)
{
	memset(r, 0, sizeof(*r));
	r->len = hex(D3_RND_IFD D3_K_IFD, r->bytes, sizeof(r->bytes));
}

/* Appendix D.3 end to end over a scripted link: APDUs byte for byte, session keys and SSC. */
static void d3_authenticate(void **state)
{
	struct card_link link;
	struct mock_link m;
	struct script_rng rng;
	struct sm_ctx sm;
	uint8_t ke[16], km[16];
	struct cccd_err e;

	(void)state;
	hex(D_KENC, ke, sizeof(ke));
	hex(D_KMAC, km, sizeof(km));
	d3_rng(&rng);
	mock_link_init(&link, &m, d3_ok, 2);
	assert_int_equal(bac_authenticate(&link, ke, km, script_rng, &rng, &sm, &e), 0);
	assert_int_equal(m.next, 2);
	assert_int_equal(link.apdus, 2);
	assert_int_equal(sm.cipher, EMRTD_CIPHER_3DES);
	assert_hex_equal(sm.ks_enc, 16, "979EC13B1CBFE9DCD01AB0FED307EAE5");
	assert_hex_equal(sm.ks_mac, 16, "F1CB1F1FB5ADF208806B89DC579DC1F8");
	assert_hex_equal(sm.ssc, 8, "887022120C06C226");
}

/* Negative twins of D.3 end to end: wrong key (6300), a response MACed with another key, a
 * response that echoes the wrong RND.IFD, a short challenge, a failing RNG. */
static void d3_authenticate_negative(void **state)
{
	static const struct mock_step refused[] = {
	    {"0084000008", D3_RND_ICC "9000"},
	    {"*", "6300"},
	};
	static const struct mock_step bad_mac[] = {
	    {"0084000008", D3_RND_ICC "9000"},
	    {"*", "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7448"
		  "9000"},
	};
	/* a chip replaying a session recorded for another RND.IFD: valid MAC, wrong echo */
	static const struct mock_step replay[] = {
	    {"0084000008", D3_RND_ICC "9000"},
	    {"*", D3_RESP "9000"},
	};
	static const struct mock_step short_chal[] = {{"0084000008", "46089000"}};
	struct card_link link;
	struct mock_link m;
	struct script_rng rng;
	struct sm_ctx sm;
	uint8_t ke[16], km[16];
	struct cccd_err e;

	(void)state;
	hex(D_KENC, ke, sizeof(ke));
	hex(D_KMAC, km, sizeof(km));
	d3_rng(&rng);
	mock_link_init(&link, &m, refused, 2);
	assert_int_equal(bac_authenticate(&link, ke, km, script_rng, &rng, &sm, &e), -CCCD_EAUTH);
	assert_non_null(strstr(e.msg, "EXTERNAL AUTHENTICATE: SW 6300"));
	d3_rng(&rng);
	mock_link_init(&link, &m, bad_mac, 2);
	assert_int_equal(bac_authenticate(&link, ke, km, script_rng, &rng, &sm, &e), -CCCD_ECHECK);
	d3_rng(&rng);
	rng.bytes[7] ^= 0x01; /* our RND.IFD differs from the one the recorded answer echoes */
	mock_link_init(&link, &m, replay, 2);
	assert_int_equal(bac_authenticate(&link, ke, km, script_rng, &rng, &sm, &e), -CCCD_ECHECK);
	assert_non_null(strstr(e.msg, "echo"));
	mock_link_init(&link, &m, short_chal, 1);
	assert_int_equal(bac_authenticate(&link, ke, km, script_rng, &rng, &sm, &e), -CCCD_EFORMAT);
	rng.off = rng.len; /* exhausted */
	mock_link_init(&link, &m, d3_ok, 2);
	assert_int_equal(bac_authenticate(&link, ke, km, script_rng, &rng, &sm, &e), -CCCD_EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(d2_keys_from_mrz), cmocka_unit_test(d2_negative),
	    cmocka_unit_test(d3_cryptograms),	cmocka_unit_test(d3_cryptogram_negative),
	    cmocka_unit_test(d3_authenticate),	cmocka_unit_test(d3_authenticate_negative),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
