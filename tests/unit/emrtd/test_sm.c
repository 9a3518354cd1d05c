/* SPDX-License-Identifier: MIT */
/* test_sm.c - secure messaging (ICAO 9303-11 §9.8): the Appendix D.4 exchange byte for byte from
 * both ends (terminal wraps/unwraps, chip unwraps/wraps), AES cross-checks, and hostile answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "emrtd/sm.h"
#include "testhex.h"

#define D4_KSENC "979EC13B1CBFE9DCD01AB0FED307EAE5"
#define D4_KSMAC "F1CB1F1FB5ADF208806B89DC579DC1F8"
#define D4_SSC	 "887022120C06C226"

/* Appendix D.4: the three commands, their protected forms and the chip's protected answers. */
static const struct {
	struct apdu plain;
	const char *fid;
	const char *cmd;
	const char *resp;
	const char *data;
} d4[] = {
    {{.ins = 0xA4, .p1 = 0x02, .p2 = 0x0C, .lc = 2},
     "011E",
     "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800",
     "990290008E08FA855A5D4C50A8ED9000",
     ""},
    {{.ins = 0xB0, .le = 4},
     NULL,
     "0CB000000D9701048E08ED6705417E96BA5500",
     "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000",
     "60145F01"},
    {{.ins = 0xB0, .p2 = 0x04, .le = 0x12},
     NULL,
     "0CB000040D9701128E082EA28A70F3C7B53500",
     "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000",
     "04303130365F36063034303030305C026175"},
};

static void d4_init(struct sm_ctx *sm)
{
	uint8_t ke[16], km[16], ssc[8];

	hex(D4_KSENC, ke, sizeof(ke));
	hex(D4_KSMAC, km, sizeof(km));
	hex(D4_SSC, ssc, sizeof(ssc));
	assert_int_equal(sm_init(sm, EMRTD_CIPHER_3DES, ke, km, ssc, NULL), 0);
}

/* Appendix D.4, terminal side: protected APDUs, response checks, SSC ends at ..2C. */
static void d4_terminal(void **state)
{
	struct sm_ctx sm;
	uint8_t fid[2], out[300], resp[300], data[64];
	size_t n, rn, dn;
	uint16_t sw;

	(void)state;
	d4_init(&sm);
	for (size_t i = 0; i < 3; i++) {
		struct apdu a = d4[i].plain;

		if (d4[i].fid) {
			hex(d4[i].fid, fid, sizeof(fid));
			a.data = fid;
		}
		assert_int_equal(sm_wrap_command(&sm, &a, out, sizeof(out), &n, NULL), 0);
		assert_hex_equal(out, n, d4[i].cmd);
		rn = hex(d4[i].resp, resp, sizeof(resp));
		assert_int_equal(
		    sm_unwrap_response(&sm, resp, rn, data, sizeof(data), &dn, &sw, NULL), 0);
		assert_int_equal(sw, 0x9000);
		assert_hex_equal(data, dn, d4[i].data);
	}
	assert_hex_equal(sm.ssc, 8, "887022120C06C22C");
}

/* Appendix D.4, chip side: the same bytes seen from the virtual chip's end. */
static void d4_chip(void **state)
{
	struct sm_ctx sm;
	struct apdu a;
	uint8_t cmd[300], plain[64], data[64], out[300], fid[2];
	size_t n, dn;

	(void)state;
	d4_init(&sm);
	for (size_t i = 0; i < 3; i++) {
		n = hex(d4[i].cmd, cmd, sizeof(cmd));
		assert_int_equal(sm_unwrap_command(&sm, cmd, n, &a, plain, sizeof(plain), NULL), 0);
		assert_int_equal(a.cla, 0x00);
		assert_int_equal(a.ins, d4[i].plain.ins);
		assert_int_equal(a.p2, d4[i].plain.p2);
		assert_int_equal(a.le, d4[i].plain.le);
		assert_int_equal(a.lc, d4[i].plain.lc);
		if (d4[i].fid) {
			hex(d4[i].fid, fid, sizeof(fid));
			assert_memory_equal(a.data, fid, 2);
		}
		dn = hex(d4[i].data, data, sizeof(data));
		assert_int_equal(
		    sm_wrap_response(&sm, a.ins, data, dn, 0x9000, out, sizeof(out), &n, NULL), 0);
		assert_hex_equal(out, n, d4[i].resp);
	}
}

/* Negative twin of D.4 step 2: one bit of the response MAC flipped -> error, no data written,
 * and the SW inside the unauthenticated DO99 is not reported. */
static void d4_bad_mac_gives_no_data(void **state)
{
	struct sm_ctx sm;
	uint8_t out[64], resp[64], data[16];
	size_t n, rn, dn = 99;
	uint16_t sw = 0;
	struct cccd_err e;
	struct apdu rb = d4[1].plain;
	uint8_t fid[2] = {0x01, 0x1E};
	struct apdu sel = d4[0].plain;

	(void)state;
	d4_init(&sm);
	sel.data = fid;
	assert_int_equal(sm_wrap_command(&sm, &sel, out, sizeof(out), &n, NULL), 0);
	rn = hex(d4[0].resp, resp, sizeof(resp));
	assert_int_equal(sm_unwrap_response(&sm, resp, rn, data, sizeof(data), &dn, &sw, NULL), 0);
	assert_int_equal(sm_wrap_command(&sm, &rb, out, sizeof(out), &n, NULL), 0);
	rn = hex(d4[1].resp, resp, sizeof(resp));
	resp[rn - 3] ^= 0x01;
	memset(data, 0xEE, sizeof(data));
	assert_int_equal(sm_unwrap_response(&sm, resp, rn, data, sizeof(data), &dn, &sw, &e),
			 -CCCD_ECHECK);
	assert_int_equal(dn, 0);
	assert_int_equal(data[0], 0xEE);
	assert_non_null(strstr(e.msg, "MAC mismatch"));
	/* a flipped cryptogram byte is also caught by the MAC, before decryption */
	resp[rn - 3] ^= 0x01;
	resp[4] ^= 0x80;
	d4_init(&sm);
	sm_ssc_inc(&sm);
	sm_ssc_inc(&sm);
	sm_ssc_inc(&sm);
	assert_int_equal(sm_unwrap_response(&sm, resp, rn, data, sizeof(data), &dn, &sw, &e),
			 -CCCD_ECHECK);
	assert_int_equal(data[0], 0xEE);
}

static int unwrap_hex(const char *rhex, struct cccd_err *e)
{
	struct sm_ctx sm;
	uint8_t resp[64], data[32];
	size_t rn = hex(rhex, resp, sizeof(resp)), dn;
	uint16_t sw;

	d4_init(&sm);
	return sm_unwrap_response(&sm, resp, rn, data, sizeof(data), &dn, &sw, e);
}

/* Negative twins: missing DO99, truncated DO87, unprotected SW, junk, wrong order, DO97. */
static void hostile_responses(void **state)
{
	struct cccd_err e;

	(void)state;
	assert_int_equal(unwrap_hex("8E08FA855A5D4C50A8ED9000", &e), -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "DO99"));
	assert_int_equal(unwrap_hex("8709019FF0EC34F9929000", &e), -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "value of 9 bytes, only 7 left"));
	assert_int_equal(unwrap_hex("6982", &e), -CCCD_ECHECK);
	assert_non_null(strstr(e.msg, "unprotected"));
	assert_int_equal(unwrap_hex("90", &e), -CCCD_EFORMAT);
	assert_int_equal(unwrap_hex("8E08FA855A5D4C50A8ED990290009000", &e), -CCCD_EFORMAT);
	assert_int_equal(unwrap_hex("990290009701008E08FA855A5D4C50A8ED9000", &e), -CCCD_EFORMAT);
	assert_int_equal(unwrap_hex("990290008E07FA855A5D4C50A89000", &e), -CCCD_EFORMAT);
	assert_int_equal(unwrap_hex("5301009000", &e), -CCCD_EFORMAT);
	assert_int_equal(unwrap_hex("99029000", &e), -CCCD_EFORMAT); /* no DO8E */
}

/* Re-MAC a 3DES response body after tampering, as a hostile chip holding the keys would. */
static void remac(struct sm_ctx *chip_before, uint8_t *resp, size_t body)
{
	struct emrtd_mac m;
	uint8_t ssc[8];

	memcpy(ssc, chip_before->ssc, 8);
	sm_ssc_inc(chip_before);
	assert_int_equal(emrtd_mac_start(&m, EMRTD_CIPHER_3DES, chip_before->ks_mac, NULL), 0);
	assert_int_equal(emrtd_mac_update(&m, chip_before->ssc, 8, NULL), 0);
	assert_int_equal(emrtd_mac_update(&m, resp, body - 10, NULL), 0);
	assert_int_equal(emrtd_mac_finish(&m, true, resp + body - 8, NULL), 0);
	emrtd_mac_free(&m);
	memcpy(chip_before->ssc, ssc, 8);
}

/* Chip-built answers: round trip, a buffer too small (nothing partial), and a correctly MACed
 * DO87 whose padding indicator is not 01 (content refused after the MAC passes). */
static void chip_built_and_bad_indicator(void **state)
{
	struct sm_ctx chip, term;
	uint8_t out[64], data[32] = {1, 2, 3};
	size_t n, dn;
	uint16_t sw;
	struct cccd_err e;

	(void)state;
	d4_init(&chip);
	d4_init(&term);
	assert_int_equal(sm_wrap_response(&chip, 0xB0, data, 3, 0x9000, out, sizeof(out), &n, NULL),
			 0);
	assert_int_equal(sm_unwrap_response(&term, out, n, data, sizeof(data), &dn, &sw, NULL), 0);
	assert_hex_equal(data, dn, "010203");
	/* the buffer is too small for the plaintext: refused, nothing partial */
	assert_int_equal(sm_wrap_response(&chip, 0xB0, data, 3, 0x9000, out, sizeof(out), &n, NULL),
			 0);
	assert_int_equal(sm_unwrap_response(&term, out, n, data, 2, &dn, &sw, &e), -CCCD_ENOSPC);
	assert_int_equal(dn, 0);
	{
		struct sm_ctx before = chip;

		assert_int_equal(
		    sm_wrap_response(&chip, 0xB0, data, 3, 0x9000, out, sizeof(out), &n, NULL), 0);
		out[2] = 0x02; /* 87 09 [02] ... */
		remac(&before, out, n - 2);
		assert_int_equal(
		    sm_unwrap_response(&term, out, n, data, sizeof(data), &dn, &sw, &e),
		    -CCCD_EFORMAT);
		assert_non_null(strstr(e.msg, "indicator 02"));
	}
}

/* The SSC carries across bytes, and AES uses 16 bytes of it. */
static void ssc_increment_carries(void **state)
{
	struct sm_ctx sm;
	uint8_t k[16] = {0}, ssc[16];

	(void)state;
	hex("00000000000000000000000000FFFFFF", ssc, sizeof(ssc));
	assert_int_equal(sm_init(&sm, EMRTD_CIPHER_AES128, k, k, ssc, NULL), 0);
	sm_ssc_inc(&sm);
	assert_hex_equal(sm.ssc, 16, "00000000000000000000000001000000");
	assert_int_equal(sm_max_le(&sm), 223);
	d4_init(&sm);
	assert_int_equal(sm_max_le(&sm), 231);
	sm_clear(&sm);
	assert_int_equal(sm.ks_enc[0], 0);
}

/* AES SM cross-check on a recorded session (values from gmrtd's iso7816 tests, a real chip):
 * MSE:Set AT protected with SSC ..BA, and a READ BINARY answer opened with SSC ..0B. */
static void aes_recorded_session(void **state)
{
	struct sm_ctx sm;
	uint8_t ke[16], km[16], ssc[16], d[64], out[128], resp[300], data[240];
	size_t dn, n, rn;
	uint16_t sw;
	struct apdu mse = {.ins = 0x22, .p1 = 0x41, .p2 = 0xA4};

	(void)state;
	hex("cc86415f2ed7e8fd663b754265695ae1", ke, sizeof(ke));
	hex("581e84b8ee06c4d3eee30461498d7fb3", km, sizeof(km));
	hex("000000000000000000000000000000ba", ssc, sizeof(ssc));
	assert_int_equal(sm_init(&sm, EMRTD_CIPHER_AES128, ke, km, ssc, NULL), 0);
	mse.lc = hex("800a04007f000702020302028401c3", d, sizeof(d));
	mse.data = d;
	assert_int_equal(sm_wrap_command(&sm, &mse, out, sizeof(out), &n, NULL), 0);
	assert_hex_equal(out, n,
			 "0c2241a41d871101980953d37f67558690045d78a853b18a8e08929767a2cef172e200");

	hex("a8e85e938514ec67ae33cda3d43d3c48", ke, sizeof(ke));
	hex("27f1adeb705a049a305b0c619b14b9b3", km, sizeof(km));
	hex("0000000000000000000000000000000b", ssc, sizeof(ssc));
	assert_int_equal(sm_init(&sm, EMRTD_CIPHER_AES128, ke, km, ssc, NULL), 0);
	rn = hex(
	    "8781e1012fabf9e0655d7e987fd28a8aeb19c9cadd990d49399799ed1fe465bcea56da9ba3024291d40d"
	    "23d7f1e00485d71faddc6d8c1382e8028dd22efdcc72ed47663d56d20dd6c4b867956fe0507313083a"
	    "e7fc54fb46133f184febbe13ad6fd3e2616a1f4a829e75ada1a0e443ca738288f6014be8a7745d8259"
	    "b089e6bee35bcc4bf5b63db5fdd84244f67eca099213b70a861b4487225aa68af684278fceb4cb809d"
	    "e42be3ee95b0e0d72bcdb0ed47cb56efc264e04a9397a90e81ad1d81efa2d14b2ca8ec7bd997f4b1c1"
	    "fd344d5dee8589c38b227ca4cb35810060a7cc76403e990290008e083eb47ef4fa82afc99000",
	    resp, sizeof(resp));
	assert_int_equal(sm_unwrap_response(&sm, resp, rn, data, sizeof(data), &dn, &sw, NULL), 0);
	assert_int_equal(dn, 223); /* a full AES-limit chunk */
	assert_hex_equal(data, 16, "a729901d1a71874700133107ec533064");
	assert_hex_equal(data + 206, 17, "1142820341263c53150231008cb91e82a3");
	assert_hex_equal(sm.ssc + 14, 2, "000c");
}

/* Extended-length protection and chip-side round trip for odd INS (DO85) and a big Le. */
static void extended_and_odd_ins_roundtrip(void **state)
{
	struct sm_ctx t, c;
	uint8_t k[32], d[300], out[400], plain[320], resp[400], got[320];
	struct apdu a = {.ins = 0xB1, .p1 = 0x00, .p2 = 0x00, .le = 1000}, b;
	size_t n, cn, gn;
	uint16_t sw;

	(void)state;
	memset(k, 0x5A, sizeof(k));
	memset(d, 0x33, sizeof(d));
	assert_int_equal(sm_init(&t, EMRTD_CIPHER_AES256, k, k, NULL, NULL), 0);
	assert_int_equal(sm_init(&c, EMRTD_CIPHER_AES256, k, k, NULL, NULL), 0);
	a.data = (const uint8_t *)"\x54\x02\x80\x00";
	a.lc = 4;
	assert_int_equal(sm_wrap_command(&t, &a, out, sizeof(out), &n, NULL), 0);
	assert_int_equal(out[4], 0x00); /* extended: Le 1000 needs it */
	assert_int_equal(out[7], 0x85);
	cn = n;
	assert_int_equal(sm_unwrap_command(&c, out, n, &b, plain, sizeof(plain), NULL), 0);
	assert_int_equal(b.ins, 0xB1);
	assert_int_equal(b.le, 1000);
	assert_int_equal(b.lc, 4);
	assert_memory_equal(b.data, "\x54\x02\x80\x00", 4);
	assert_int_equal(sm_wrap_response(&c, b.ins, d, 300, 0x9000, resp, sizeof(resp), &n, NULL),
			 0);
	assert_int_equal(resp[0], 0x85);
	assert_int_equal(sm_unwrap_response(&t, resp, n, got, sizeof(got), &gn, &sw, NULL), 0);
	assert_int_equal(gn, 300);
	assert_memory_equal(got, d, 300);
	/* chip side: a replayed command (its SSC is gone) fails the MAC; an unprotected one is
	 * refused as such */
	assert_int_equal(sm_unwrap_command(&c, out, cn, &b, plain, sizeof(plain), NULL),
			 -CCCD_ECHECK);
	assert_int_equal(sm_unwrap_command(&c, (const uint8_t *)"\x00\xB0\x00\x00\x04", 5, &b,
					   plain, sizeof(plain), NULL),
			 -CCCD_EFORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(d4_terminal),
	    cmocka_unit_test(d4_chip),
	    cmocka_unit_test(d4_bad_mac_gives_no_data),
	    cmocka_unit_test(hostile_responses),
	    cmocka_unit_test(chip_built_and_bad_indicator),
	    cmocka_unit_test(ssc_increment_carries),
	    cmocka_unit_test(aes_recorded_session),
	    cmocka_unit_test(extended_and_odd_ins_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
