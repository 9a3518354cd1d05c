/* SPDX-License-Identifier: MIT */
/* test_pace.c - PACE ECDH generic mapping on ICAO 9303-11 Appendix G.1 (brainpoolP256r1,
 * AES-128, MRZ password) byte for byte: each step's math, then the whole APDU exchange over a
 * scripted link; negative twins for each; and a 3DES cross-check on a recorded session. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "emrtd/bac.h"
#include "emrtd/pace.h"
#include "mocklink.h"
#include "testhex.h"

#define G1_OID	 "04007F00070202040202"
#define G1_KPI	 "89DED1B26624EC1E634C1989302849DD"
#define G1_Z	 "95A3A016522EE98D01E76CB6B98B42C3"
#define G1_S	 "3F00C4D39D153F2B2A214A078D899B22"
#define G1_D_MAP "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99"
#define G1_PK_MAP                                                                                  \
	"047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E"                       \
	"544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D"
#define G1_PK_MAP_IC                                                                               \
	"04824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57"                       \
	"30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54"
#define G1_H                                                                                       \
	"0460332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD5"                       \
	"0840CA7415BAF3E43BD414D35AA4608B93A2CAF3A4E3EA4E82C9C13D03EB7181"
#define G1_GMAP                                                                                    \
	"048CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E2"                       \
	"8C879506743F8611AC33645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522"
#define G1_D "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595"
#define G1_PK                                                                                      \
	"042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C"                       \
	"3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462"
#define G1_PK_IC                                                                                   \
	"049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB"                       \
	"7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094"
#define G1_K_X	 "28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925"
#define G1_KSENC "F5F0E35C0D7161EE6724EE513A0D9A7F"
#define G1_KSMAC "FE251C7858B356B24514B3BD5F4297D1"
#define G1_T_PCD "C2B0BD78D94BA866"
#define G1_T_IC	 "3ABB9674BCE93C08"

struct ecp {
	mbedtls_ecp_group grp;
	mbedtls_ecp_point a;
	mbedtls_ecp_point b;
	mbedtls_mpi d;
};

static void ecp_init(struct ecp *e)
{
	mbedtls_ecp_group_init(&e->grp);
	mbedtls_ecp_point_init(&e->a);
	mbedtls_ecp_point_init(&e->b);
	mbedtls_mpi_init(&e->d);
	assert_int_equal(mbedtls_ecp_group_load(&e->grp, MBEDTLS_ECP_DP_BP256R1), 0);
}

static void ecp_free(struct ecp *e)
{
	mbedtls_ecp_group_free(&e->grp);
	mbedtls_ecp_point_free(&e->a);
	mbedtls_ecp_point_free(&e->b);
	mbedtls_mpi_free(&e->d);
}

static void point_read(struct ecp *e, mbedtls_ecp_point *p, const char *h)
{
	uint8_t b[PACE_POINT_MAX];
	size_t n = hex(h, b, sizeof(b));

	assert_int_equal(mbedtls_ecp_point_read_binary(&e->grp, p, b, n), 0);
}

static void assert_point(struct ecp *e, const mbedtls_ecp_point *p, const char *want)
{
	uint8_t b[PACE_POINT_MAX];
	size_t n;

	assert_int_equal(mbedtls_ecp_point_write_binary(&e->grp, p, MBEDTLS_ECP_PF_UNCOMPRESSED, &n,
							b, sizeof(b)),
			 0);
	assert_hex_equal(b, n, want);
}

static void rng_load(struct script_rng *r, const char *h)
{
	memset(r, 0, sizeof(*r));
	r->len = hex(h, r->bytes, sizeof(r->bytes));
}

/* G.1: K_pi from the MRZ, s = D(K_pi, z), and the CAN as the negative twin. */
static void g1_password_and_nonce(void **state)
{
	char info[BAC_MRZ_INFO_MAX];
	uint8_t kpi[16], z[16], s[16];
	struct cccd_err e;

	(void)state;
	assert_int_equal(bac_mrz_info("T22000129", "640812", "101031", info, sizeof(info), NULL),
			 0);
	assert_int_equal(pace_password_key(EMRTD_CIPHER_AES128, PACE_PWD_MRZ, (const uint8_t *)info,
					   strlen(info), kpi, NULL),
			 0);
	assert_hex_equal(kpi, 16, G1_KPI);
	hex(G1_Z, z, sizeof(z));
	assert_int_equal(pace_nonce_decrypt(EMRTD_CIPHER_AES128, kpi, z, 16, s, NULL), 0);
	assert_hex_equal(s, 16, G1_S);
	assert_int_equal(pace_nonce_encrypt(EMRTD_CIPHER_AES128, kpi, s, 16, z, NULL), 0);
	assert_hex_equal(z, 16, G1_Z);
	/* negative: the same characters taken as a CAN give another K_pi; bad nonce lengths */
	assert_int_equal(pace_password_key(EMRTD_CIPHER_AES128, PACE_PWD_CAN, (const uint8_t *)info,
					   strlen(info), s, NULL),
			 0);
	assert_memory_not_equal(s, kpi, 16);
	assert_int_equal(pace_nonce_decrypt(EMRTD_CIPHER_AES128, kpi, z, 15, s, &e), -CCCD_EFORMAT);
	assert_int_equal(pace_nonce_decrypt(EMRTD_CIPHER_AES128, kpi, z, 0, s, &e), -CCCD_EFORMAT);
	assert_int_equal(pace_password_key(EMRTD_CIPHER_AES128, 7, z, 1, s, &e), -CCCD_ENOTSUP);
}

/* G.1 mapping: H = d_map * PK_map,IC, G' = s*G + H, and the terminal's mapping key. */
static void g1_mapping(void **state)
{
	struct ecp e;
	struct script_rng rng;
	uint8_t pk[PACE_POINT_MAX], peer[PACE_POINT_MAX], s[16];
	size_t n, pn;

	(void)state;
	ecp_init(&e);
	rng_load(&rng, G1_D_MAP);
	assert_int_equal(
	    pace_keypair(&e.grp, &e.grp.G, script_rng, &rng, &e.d, pk, sizeof(pk), &n, NULL), 0);
	assert_hex_equal(pk, n, G1_PK_MAP);
	pn = hex(G1_PK_MAP_IC, peer, sizeof(peer));
	assert_int_equal(pace_ecdh(&e.grp, &e.d, peer, pn, &e.a, NULL), 0);
	assert_point(&e, &e.a, G1_H);
	hex(G1_S, s, sizeof(s));
	assert_int_equal(pace_gm_map(&e.grp, s, 16, &e.a, &e.b, NULL), 0);
	assert_point(&e, &e.b, G1_GMAP);
	/* negative twin: another nonce maps elsewhere */
	s[15] ^= 1;
	assert_int_equal(pace_gm_map(&e.grp, s, 16, &e.a, &e.b, NULL), 0);
	point_read(&e, &e.a, G1_GMAP);
	assert_int_not_equal(mbedtls_ecp_point_cmp(&e.a, &e.b), 0);
	ecp_free(&e);
}

/* G.1 key agreement on G': PK_PCD, K = d * PK_IC, the session keys and both tokens. */
static void g1_agreement_and_tokens(void **state)
{
	struct ecp e;
	struct script_rng rng;
	uint8_t pk[PACE_POINT_MAX], peer[PACE_POINT_MAX], x[32], oid[10], t[8];
	size_t n, pn;
	struct sm_ctx sm;

	(void)state;
	ecp_init(&e);
	point_read(&e, &e.b, G1_GMAP);
	rng_load(&rng, G1_D);
	assert_int_equal(
	    pace_keypair(&e.grp, &e.b, script_rng, &rng, &e.d, pk, sizeof(pk), &n, NULL), 0);
	assert_hex_equal(pk, n, G1_PK);
	pn = hex(G1_PK_IC, peer, sizeof(peer));
	assert_int_equal(pace_ecdh(&e.grp, &e.d, peer, pn, &e.a, NULL), 0);
	assert_int_equal(mbedtls_mpi_write_binary(&e.a.X, x, 32), 0);
	assert_hex_equal(x, 32, G1_K_X);
	assert_int_equal(pace_session_keys(EMRTD_CIPHER_AES128, x, 32, &sm, NULL), 0);
	assert_hex_equal(sm.ks_enc, 16, G1_KSENC);
	assert_hex_equal(sm.ks_mac, 16, G1_KSMAC);
	hex(G1_OID, oid, sizeof(oid));
	assert_int_equal(
	    pace_auth_token(EMRTD_CIPHER_AES128, sm.ks_mac, oid, 10, peer, pn, t, NULL), 0);
	assert_hex_equal(t, 8, G1_T_PCD);
	assert_int_equal(pace_auth_token(EMRTD_CIPHER_AES128, sm.ks_mac, oid, 10, pk, n, t, NULL),
			 0);
	assert_hex_equal(t, 8, G1_T_IC);
	/* negative twins: a point off the curve is refused; a token over the wrong key differs */
	peer[pn - 1] ^= 1;
	assert_int_equal(pace_ecdh(&e.grp, &e.d, peer, pn, &e.a, NULL), -CCCD_ECHECK);
	assert_int_equal(pace_ecdh(&e.grp, &e.d, peer + 1, pn - 1, &e.a, NULL), -CCCD_EFORMAT);
	assert_int_equal(
	    pace_auth_token(EMRTD_CIPHER_AES128, sm.ks_mac, oid, 10, peer, pn, t, NULL), 0);
	assert_memory_not_equal(t, "\xC2\xB0\xBD\x78\xD9\x4B\xA8\x66", 8);
	ecp_free(&e);
}

static const struct mock_step g1_apdus[] = {
    {"0022C1A412800A" G1_OID "830101 84010D", "9000"},
    {"10860000027C0000", "7C128010" G1_Z "9000"},
    {"10860000457C438141" G1_PK_MAP "00", "7C438241" G1_PK_MAP_IC "9000"},
    {"10860000457C438341" G1_PK "00", "7C438441" G1_PK_IC "9000"},
    {"008600000C7C0A8508" G1_T_PCD "00", "7C0A8608" G1_T_IC "9000"},
};

static void g1_config(struct pace_config *cfg, char *info)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->oid_len = hex(G1_OID, cfg->oid, sizeof(cfg->oid));
	cfg->param_id = 13;
	cfg->pwd_type = PACE_PWD_MRZ;
	assert_int_equal(
	    bac_mrz_info("T22000129", "640812", "101031", info, BAC_MRZ_INFO_MAX, NULL), 0);
	cfg->pwd = (const uint8_t *)info;
	cfg->pwd_len = strlen(info);
}

/* G.1 end to end: the spec's five APDU pairs byte for byte, session keys, SSC 0. */
static void g1_authenticate(void **state)
{
	struct card_link link;
	struct mock_link m;
	struct script_rng rng;
	struct pace_config cfg;
	char info[BAC_MRZ_INFO_MAX];
	struct sm_ctx sm;
	struct cccd_err e;
	const uint8_t zero[16] = {0};

	(void)state;
	g1_config(&cfg, info);
	rng_load(&rng, G1_D_MAP G1_D);
	mock_link_init(&link, &m, g1_apdus, 5);
	if (pace_authenticate(&link, &cfg, script_rng, &rng, &sm, &e))
		fail_msg("%s: %s", e.where, e.msg);
	assert_int_equal(m.next, 5);
	assert_int_equal(sm.cipher, EMRTD_CIPHER_AES128);
	assert_hex_equal(sm.ks_enc, 16, G1_KSENC);
	assert_hex_equal(sm.ks_mac, 16, G1_KSMAC);
	assert_memory_equal(sm.ssc, zero, 16);
}

/* Run G.1 with step `bad` answered by resp instead; returns the error code. */
static int g1_with(size_t bad, const char *resp, struct cccd_err *e)
{
	struct mock_step steps[5];
	struct card_link link;
	struct mock_link m;
	struct script_rng rng;
	struct pace_config cfg;
	char info[BAC_MRZ_INFO_MAX];
	struct sm_ctx sm;

	memcpy(steps, g1_apdus, sizeof(steps));
	steps[bad].resp = resp;
	g1_config(&cfg, info);
	rng_load(&rng, G1_D_MAP G1_D);
	mock_link_init(&link, &m, steps, 5);
	return pace_authenticate(&link, &cfg, script_rng, &rng, &sm, e);
}

/* Negative twins of G.1: a forged T_IC, a reflected PK_PCD, a map key off the curve, a refused
 * MSE, a wrong password (6300 at the last step), a 7C without the expected tag. */
static void g1_authenticate_negative(void **state)
{
	struct cccd_err e;

	(void)state;
	assert_int_equal(g1_with(4, "7C0A86083ABB9674BCE93C099000", &e), -CCCD_ECHECK);
	assert_non_null(strstr(e.msg, "T_IC"));
	assert_int_equal(g1_with(3, "7C438441" G1_PK "9000", &e), -CCCD_ECHECK);
	assert_int_equal(g1_with(2, "7C438241" G1_PK_MAP_IC "9000", &e), 0); /* control */
	assert_int_equal(
	    g1_with(2,
		    "7C43824104824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA"
		    "3F5730D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C55"
		    "9000",
		    &e),
	    -CCCD_ECHECK);
	assert_int_equal(g1_with(0, "6A80", &e), -CCCD_ESW);
	assert_non_null(strstr(e.msg, "MSE:Set AT: SW 6A80"));
	assert_int_equal(g1_with(4, "6300", &e), -CCCD_EAUTH);
	assert_int_equal(g1_with(1, "7C0281009000", &e), -CCCD_ENOENT);
	assert_int_equal(g1_with(1, "7C1280109000", &e), -CCCD_EFORMAT);
	assert_int_equal(g1_with(1, "7C0280009000", &e), -CCCD_EFORMAT); /* empty nonce */
}

static void algorithms_and_curves(void **state)
{
	uint8_t oid[10];
	enum emrtd_cipher c;
	mbedtls_ecp_group_id g;
	struct cccd_err e;
	struct pace_config cfg = {.pwd_type = PACE_PWD_CAN, .param_id = 13};
	uint8_t out[32];
	size_t n;

	(void)state;
	hex(G1_OID, oid, sizeof(oid));
	assert_int_equal(pace_cipher_from_oid(oid, 10, &c, NULL), 0);
	assert_int_equal(c, EMRTD_CIPHER_AES128);
	oid[9] = 1;
	assert_int_equal(pace_cipher_from_oid(oid, 10, &c, NULL), 0);
	assert_int_equal(c, EMRTD_CIPHER_3DES);
	oid[9] = 4;
	assert_int_equal(pace_cipher_from_oid(oid, 10, &c, NULL), 0);
	assert_int_equal(c, EMRTD_CIPHER_AES256);
	oid[9] = 5;
	assert_int_equal(pace_cipher_from_oid(oid, 10, &c, &e), -CCCD_ENOTSUP);
	oid[8] = 0x01; /* id-PACE-DH-GM */
	oid[9] = 2;
	assert_int_equal(pace_cipher_from_oid(oid, 10, &c, &e), -CCCD_ENOTSUP);
	assert_int_equal(pace_curve(13, &g, NULL), 0);
	assert_int_equal(g, MBEDTLS_ECP_DP_BP256R1);
	assert_int_equal(pace_curve(18, &g, NULL), 0);
	assert_int_equal(g, MBEDTLS_ECP_DP_SECP521R1);
	assert_int_equal(pace_curve(9, &g, &e), -CCCD_ENOTSUP);
	assert_int_equal(pace_curve(2, &g, &e), -CCCD_ENOTSUP);
	assert_int_equal(pace_curve(19, &g, &e), -CCCD_ENOTSUP);
	cfg.oid_len = hex(G1_OID, cfg.oid, sizeof(cfg.oid));
	assert_int_equal(pace_mse_data(&cfg, out, sizeof(out), &n, NULL), 0);
	assert_hex_equal(out, n, "800A" G1_OID "830102 84010D");
	cfg.param_id = 0;
	assert_int_equal(pace_mse_data(&cfg, out, sizeof(out), &n, NULL), 0);
	assert_hex_equal(out, n, "800A" G1_OID "830102");
	assert_int_equal(pace_mse_data(&cfg, out, 10, &n, &e), -CCCD_ENOSPC);
}

/* 3DES variant (id-PACE-ECDH-GM-3DES-CBC-CBC), cross-checked on a recorded session of a real
 * chip (APDUs and keys from gmrtd's pace tests; synthetic test MRZ of that chip's specimen). */
static void tdes_recorded_session(void **state)
{
	static const struct mock_step steps[] = {
	    {"0022C1A412800A04007F0007020204020183010184010D", "9000"},
	    {"10860000027c0000", "7c128010b88382812290017af1cc906ff00e7f4d9000"},
	    {"10860000457c438141047706b2b6246ab4612229b8a11212ddba7fea0568c9c0975dee22c0e3dd3a3f03"
	     "21e8afee836e373b570d24000d56fb195104d486e63321ff8c819dd5ee018dcb00",
	     "7c43824104780b4edec9b926f9f964fad826d9990a667608d96ba7b397ae8609b6533e0d036d148365dd"
	     "f4e5ff6611c2b62aa17fc9899f327bc929db543e7abd0ee724e4be9000"},
	    {"10860000457c43834104507a0156efae8fb8acc519036c0b2fe0393c878744c7f91878ee4e07a41412ba"
	     "5c0753d68a44a91e9f57f3f992ab689e6c2065d3b2a27c3658a4fd632931ee3800",
	     "7c438441042dbaf62e6fdfb31eb66f206493b9e7721586f0e5c93754d7bd5a884ca251ee4d720ab539a6"
	     "0561bc46812fa289b58ac69f0c6e32adbaf7241049a31211f80f5b9000"},
	    {"008600000c7c0a85088d7c617d43efe09e00", "7c0a8608cb57047c809079f69000"},
	};
	struct card_link link;
	struct mock_link m;
	struct script_rng rng;
	struct pace_config cfg = {.param_id = 13, .pwd_type = PACE_PWD_MRZ};
	char info[BAC_MRZ_INFO_MAX];
	struct sm_ctx sm;
	struct cccd_err e;

	(void)state;
	cfg.oid_len = hex("04007F00070202040201", cfg.oid, sizeof(cfg.oid));
	assert_int_equal(bac_mrz_info("LM277954", "781214", "271115", info, sizeof(info), NULL), 0);
	cfg.pwd = (const uint8_t *)info;
	cfg.pwd_len = strlen(info);
	rng_load(&rng, "2808272c0ec20e01a3450030ef32855e9feb5cb17719e985389b1cf47609e69f"
		       "8f89449052df6c7983750c7b042c3cea12b36819174424c7cd28153f7b70b402");
	mock_link_init(&link, &m, steps, 5);
	assert_int_equal(pace_authenticate(&link, &cfg, script_rng, &rng, &sm, &e), 0);
	assert_int_equal(sm.cipher, EMRTD_CIPHER_3DES);
	assert_hex_equal(sm.ks_enc, 16, "430e4c8c38dfefaed92067b919a897f8");
	assert_hex_equal(sm.ks_mac, 16, "c1bc1f075797b970b5a45e64a764b0cb");
}

static void ga_parse_cases(void **state)
{
	uint8_t b[64];
	struct apdu_do d;
	struct cccd_err e;
	size_t n;

	(void)state;
	n = hex("7C0A86083ABB9674BCE93C08", b, sizeof(b));
	assert_int_equal(pace_ga_parse(b, n, 0x86, &d, NULL), 0);
	assert_int_equal(d.len, 8);
	assert_int_equal(pace_ga_parse(b, n, 0x80, &d, &e), -CCCD_ENOENT);
	assert_int_equal(pace_ga_parse(b, n - 1, 0x86, &d, &e), -CCCD_EFORMAT);
	n = hex("7C0A86083ABB9674BCE93C0800", b, sizeof(b)); /* trailing byte */
	assert_int_equal(pace_ga_parse(b, n, 0x86, &d, &e), -CCCD_EFORMAT);
	n = hex("7D0A86083ABB9674BCE93C08", b, sizeof(b));
	assert_int_equal(pace_ga_parse(b, n, 0x86, &d, &e), -CCCD_EFORMAT);
	n = hex("7C0B86093ABB9674BCE93C08", b, sizeof(b)); /* inner runs past the outer */
	assert_int_equal(pace_ga_parse(b, n, 0x86, &d, &e), -CCCD_EFORMAT);
	assert_int_equal(pace_ga_parse(b, 0, 0x86, &d, &e), -CCCD_EFORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(g1_password_and_nonce),	cmocka_unit_test(g1_mapping),
	    cmocka_unit_test(g1_agreement_and_tokens),	cmocka_unit_test(g1_authenticate),
	    cmocka_unit_test(g1_authenticate_negative), cmocka_unit_test(algorithms_and_curves),
	    cmocka_unit_test(tdes_recorded_session),	cmocka_unit_test(ga_parse_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
