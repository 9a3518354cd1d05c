/* SPDX-License-Identifier: MIT */
/* test_crypto.c - ICAO 9303-11 KDF (§9.7.1), parity, ISO 9797-1 padding method 2, retail MAC,
 * AES-CMAC and CBC, on the worked examples of Appendices D and G. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "emrtd/crypto.h"
#include "testhex.h"

static void kdf_check(enum emrtd_cipher c, const char *secret, uint32_t ctr, const char *want)
{
	uint8_t s[80], key[EMRTD_KEY_MAX];
	size_t n = hex(secret, s, sizeof(s));

	assert_int_equal(emrtd_kdf(c, s, n, ctr, key, NULL), 0);
	assert_hex_equal(key, emrtd_key_len(c), want);
}

/* Appendix D.2 (Kenc, Kmac from the MRZ key seed) and D.3 (session keys from K.IFD xor K.IC). */
static void kdf_appendix_d(void **state)
{
	(void)state;
	kdf_check(EMRTD_CIPHER_3DES, "239AB9CB282DAF66231DC5A4DF6BFBAE", EMRTD_KDF_ENC,
		  "AB94FDECF2674FDFB9B391F85D7F76F2");
	kdf_check(EMRTD_CIPHER_3DES, "239AB9CB282DAF66231DC5A4DF6BFBAE", EMRTD_KDF_MAC,
		  "7962D9ECE03D1ACD4C76089DCE131543");
	kdf_check(EMRTD_CIPHER_3DES, "0036D272F5C350ACAC50C3F572D23600", EMRTD_KDF_ENC,
		  "979EC13B1CBFE9DCD01AB0FED307EAE5");
	kdf_check(EMRTD_CIPHER_3DES, "0036D272F5C350ACAC50C3F572D23600", EMRTD_KDF_MAC,
		  "F1CB1F1FB5ADF208806B89DC579DC1F8");
}

/* Negative twin: one bit of the seed changed gives a different Kenc. */
static void kdf_appendix_d_negative(void **state)
{
	uint8_t s[16], key[16], want[16];

	(void)state;
	hex("239AB9CB282DAF66231DC5A4DF6BFBAF", s, sizeof(s));
	hex("AB94FDECF2674FDFB9B391F85D7F76F2", want, sizeof(want));
	assert_int_equal(emrtd_kdf(EMRTD_CIPHER_3DES, s, 16, EMRTD_KDF_ENC, key, NULL), 0);
	assert_memory_not_equal(key, want, 16);
}

/* Appendix G.1: K_pi from SHA-1 of the MRZ information, session keys from the ECDH secret. The
 * AES-192/256 values are SHA-256(secret || counter) computed with Python's hashlib. */
static void kdf_appendix_g_and_sha256(void **state)
{
	const char *k = "28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925";

	(void)state;
	kdf_check(EMRTD_CIPHER_AES128, "7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD", EMRTD_KDF_PI,
		  "89DED1B26624EC1E634C1989302849DD");
	kdf_check(EMRTD_CIPHER_AES128, k, EMRTD_KDF_ENC, "F5F0E35C0D7161EE6724EE513A0D9A7F");
	kdf_check(EMRTD_CIPHER_AES128, k, EMRTD_KDF_MAC, "FE251C7858B356B24514B3BD5F4297D1");
	kdf_check(EMRTD_CIPHER_AES256, k, EMRTD_KDF_ENC,
		  "8419651A9932A555FE20D96406746A82F750F4CCB3D6BE786D4630BCC681BF0E");
	kdf_check(EMRTD_CIPHER_AES192, k, EMRTD_KDF_ENC,
		  "8419651A9932A555FE20D96406746A82F750F4CCB3D6BE78");
}

static void parity_is_odd(void **state)
{
	uint8_t k[8] = {0x00, 0x01, 0xFE, 0xFF, 0xAB, 0x94};

	(void)state;
	emrtd_des_parity(k, 6);
	assert_hex_equal(k, 6, "0101FEFEAB94");
	hex("AB94FCEDF2664EDF", k, sizeof(k)); /* D.2 Ka before parity */
	emrtd_des_parity(k, 8);
	assert_hex_equal(k, 8, "AB94FDECF2674FDF");
}

static void pad_unpad_method2(void **state)
{
	uint8_t b[32] = {1, 2, 3};
	size_t n, d;
	struct cccd_err e;

	(void)state;
	assert_int_equal(emrtd_pad(b, 3, sizeof(b), 8, &n, NULL), 0);
	assert_hex_equal(b, n, "0102038000000000");
	assert_int_equal(emrtd_unpad(b, n, 8, &d, NULL), 0);
	assert_int_equal(d, 3);
	memset(b, 0x11, 16);
	assert_int_equal(emrtd_pad(b, 16, sizeof(b), 16, &n, NULL), 0); /* full block: one more */
	assert_int_equal(n, 32);
	assert_int_equal(b[16], 0x80);
	assert_int_equal(emrtd_unpad(b, 32, 16, &d, NULL), 0);
	assert_int_equal(d, 16);
	assert_int_equal(emrtd_pad(b, 16, 31, 16, &n, &e), -CCCD_ENOSPC);
	/* negative: no 80, 80 outside the last block, wrong multiple */
	hex("0102030000000000", b, sizeof(b));
	assert_int_equal(emrtd_unpad(b, 8, 8, &d, &e), -CCCD_EFORMAT);
	hex("8000000000000000 0000000000000000", b, sizeof(b));
	assert_int_equal(emrtd_unpad(b, 16, 8, &d, &e), -CCCD_EFORMAT);
	assert_int_equal(emrtd_unpad(b, 7, 8, &d, &e), -CCCD_EFORMAT);
	assert_int_equal(emrtd_unpad(b, 0, 8, &d, &e), -CCCD_EFORMAT);
}

/* Appendix D.3 steps 4-5: E.IFD = 3DES-CBC(Kenc, S), M.IFD = retail MAC(Kmac, pad(E.IFD)). */
static void des3_and_retail_mac_appendix_d3(void **state)
{
	uint8_t k[16], km[16], s[48], e[48], mac[8];
	size_t n;
	const uint8_t iv[8] = {0};

	(void)state;
	hex("AB94FDECF2674FDFB9B391F85D7F76F2", k, sizeof(k));
	hex("7962D9ECE03D1ACD4C76089DCE131543", km, sizeof(km));
	hex("781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B", s, sizeof(s));
	assert_int_equal(emrtd_cbc(EMRTD_CIPHER_3DES, k, true, iv, s, 32, e, NULL), 0);
	assert_hex_equal(e, 32, "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2");
	assert_int_equal(emrtd_pad(e, 32, sizeof(e), 8, &n, NULL), 0);
	assert_int_equal(emrtd_mac8(EMRTD_CIPHER_3DES, km, e, n, mac, NULL), 0);
	assert_hex_equal(mac, 8, "5F1448EEA8AD90A7");
	/* negative twin: one flipped bit of the cryptogram changes the MAC */
	e[0] ^= 0x01;
	assert_int_equal(emrtd_retail_mac(km, e, n, mac, NULL), 0);
	assert_false(emrtd_mac_equal(mac, (const uint8_t *)"\x5F\x14\x48\xEE\xA8\xAD\x90\xA7", 8));
	/* decrypt back */
	e[0] ^= 0x01;
	assert_int_equal(emrtd_cbc(EMRTD_CIPHER_3DES, k, false, iv, e, 32, e, NULL), 0);
	assert_memory_equal(e, s, 32);
	assert_int_equal(emrtd_retail_mac(km, e, 5, mac, NULL), -CCCD_EINVAL);
	assert_int_equal(emrtd_cbc(EMRTD_CIPHER_3DES, k, true, iv, s, 12, e, NULL), -CCCD_EINVAL);
}

/* RFC 4493 §4 examples 1 and 2 (AES-128 CMAC). */
static void aes_cmac_rfc4493(void **state)
{
	uint8_t k[16], m[16] = {0}, mac[16];

	(void)state;
	hex("2b7e151628aed2a6abf7158809cf4f3c", k, sizeof(k));
	assert_int_equal(emrtd_aes_cmac(k, 16, m, 0, mac, NULL), 0);
	assert_hex_equal(mac, 16, "bb1d6929e95937287fa37d129b756746");
	hex("6bc1bee22e409f96e93d7e117393172a", m, sizeof(m));
	assert_int_equal(emrtd_aes_cmac(k, 16, m, 16, mac, NULL), 0);
	assert_hex_equal(mac, 16, "070a16b46b4d4144f79bdd9dd04a287c");
	assert_int_equal(emrtd_mac8(EMRTD_CIPHER_AES128, k, m, 16, mac, NULL), 0);
	assert_hex_equal(mac, 8, "070a16b46b4d4144");
	assert_int_equal(emrtd_aes_cmac(k, 15, m, 16, mac, NULL), -CCCD_EINVAL);
}

/* Appendix G.1: s = D(K_pi, z) with AES-128-CBC and a zero IV. */
static void aes_nonce_decrypt_appendix_g1(void **state)
{
	uint8_t k[16], z[16], s[16];
	const uint8_t iv[16] = {0};

	(void)state;
	hex("89DED1B26624EC1E634C1989302849DD", k, sizeof(k));
	hex("95A3A016522EE98D01E76CB6B98B42C3", z, sizeof(z));
	assert_int_equal(emrtd_cbc(EMRTD_CIPHER_AES128, k, false, iv, z, 16, s, NULL), 0);
	assert_hex_equal(s, 16, "3F00C4D39D153F2B2A214A078D899B22");
	assert_int_equal(emrtd_ecb_encrypt(EMRTD_CIPHER_AES128, k, s, z, NULL), 0);
	assert_hex_equal(z, 16, "95A3A016522EE98D01E76CB6B98B42C3");
	k[15] ^= 1; /* negative twin: wrong password key, wrong nonce */
	assert_int_equal(emrtd_cbc(EMRTD_CIPHER_AES128, k, false, iv, z, 16, s, NULL), 0);
	assert_false(emrtd_mac_equal(s, (const uint8_t *)"\x3F\x00\xC4\xD3", 4));
}

/* The incremental MAC over odd-sized pieces, padded at finish, equals the one-shot MAC over the
 * padded message (Appendix D.4 response MAC input K = SSC || DO99 || padding). */
static void mac_incremental_matches_one_shot(void **state)
{
	uint8_t k[16], msg[16], one[8], inc[8];
	struct emrtd_mac m;
	size_t n;
	enum emrtd_cipher cs[] = {EMRTD_CIPHER_3DES, EMRTD_CIPHER_AES128};

	(void)state;
	hex("F1CB1F1FB5ADF208806B89DC579DC1F8", k, sizeof(k));
	n = hex("887022120C06C228 99029000", msg, sizeof(msg));
	assert_int_equal(emrtd_mac_start(&m, EMRTD_CIPHER_3DES, k, NULL), 0);
	assert_int_equal(emrtd_mac_update(&m, msg, 3, NULL), 0);
	assert_int_equal(emrtd_mac_update(&m, msg + 3, n - 3, NULL), 0);
	assert_int_equal(emrtd_mac_finish(&m, true, inc, NULL), 0);
	emrtd_mac_free(&m);
	assert_hex_equal(inc, 8, "FA855A5D4C50A8ED");
	for (size_t i = 0; i < 2; i++) {
		uint8_t p[32];
		size_t pn;

		memcpy(p, msg, n);
		assert_int_equal(emrtd_pad(p, n, sizeof(p), emrtd_block_len(cs[i]), &pn, NULL), 0);
		assert_int_equal(emrtd_mac8(cs[i], k, p, pn, one, NULL), 0);
		assert_int_equal(emrtd_mac_start(&m, cs[i], k, NULL), 0);
		assert_int_equal(emrtd_mac_update(&m, msg, 5, NULL), 0);
		assert_int_equal(emrtd_mac_update(&m, msg + 5, n - 5, NULL), 0);
		assert_int_equal(emrtd_mac_finish(&m, true, inc, NULL), 0);
		emrtd_mac_free(&m);
		assert_memory_equal(one, inc, 8);
	}
	/* negative: 3DES without padding over a partial block is refused */
	assert_int_equal(emrtd_mac_start(&m, EMRTD_CIPHER_3DES, k, NULL), 0);
	assert_int_equal(emrtd_mac_update(&m, msg, 5, NULL), 0);
	assert_int_equal(emrtd_mac_finish(&m, false, inc, NULL), -CCCD_EINVAL);
	emrtd_mac_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(kdf_appendix_d),
	    cmocka_unit_test(kdf_appendix_d_negative),
	    cmocka_unit_test(kdf_appendix_g_and_sha256),
	    cmocka_unit_test(parity_is_odd),
	    cmocka_unit_test(pad_unpad_method2),
	    cmocka_unit_test(des3_and_retail_mac_appendix_d3),
	    cmocka_unit_test(aes_cmac_rfc4493),
	    cmocka_unit_test(aes_nonce_decrypt_appendix_g1),
	    cmocka_unit_test(mac_incremental_matches_one_shot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
