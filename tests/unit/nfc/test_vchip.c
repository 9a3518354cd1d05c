/* SPDX-License-Identifier: MIT */
/* test_vchip.c - the chip's command processing (drivers/nfc/vchip.c) without a link: status
 * words for malformed and unsupported commands, and active authentication (ICAO 9303-11 §6.1)
 * verified with the public key the chip publishes in DG15, for ECDSA and RSA, and its clone twin.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>

#include "nfc/vchip.h"

static uint8_t resp[VCHIP_RESP_MAX];

static struct vchip *chip(const char *file, unsigned faults)
{
	struct vchip_dataset ds;
	struct vchip *c = malloc(sizeof(*c));
	char path[128];

	snprintf(path, sizeof(path), "tests/fixtures/cards/%s", file);
	assert_int_equal(vchip_dataset_load(path, &ds, NULL), 0);
	ds.chip.sm_required = false;
	ds.chip.faults = faults;
	assert_int_equal(vchip_open(c, &ds, NULL), 0);
	return c;
}

static void done(struct vchip *c)
{
	vchip_close(c);
	free(c);
}

static unsigned run(struct vchip *c, const void *cmd, size_t len, size_t *n)
{
	assert_int_equal(vchip_process(c, cmd, len, resp, sizeof(resp), n), 0);
	return (unsigned)resp[*n - 2] << 8 | resp[*n - 1];
}

#define RUN(c, s, n) run(c, s, sizeof(s) - 1, n)

static void status_words_for_bad_commands(void **state)
{
	struct vchip *c = chip("an.ini", 0);
	size_t n;

	(void)state;
	assert_int_equal(vchip_process(c, (const uint8_t *)"\0\xa4\0\0", 4, resp, 100, &n),
			 -CCCD_EINVAL);
	assert_int_equal(RUN(c, "\x00\xa4\x04", &n), 0x6700);
	assert_int_equal(n, 2);
	assert_int_equal(RUN(c, "\x0c\xb0\x00\x00\x00", &n), 0x6882);
	assert_int_equal(RUN(c, "\x00\xb0\x00\x00\x04", &n), 0x6986); /* no current EF */
	assert_int_equal(RUN(c, "\x00\xb0\xe1\x00\x04", &n), 0x6a86);
	assert_int_equal(RUN(c, "\x00\xa4\x08\x0c\x02\x01\x1e", &n), 0x6a86);
	assert_int_equal(RUN(c, "\x00\xa4\x04\x01\x07\xa0\x00\x00\x02\x47\x10\x01", &n), 0x6a86);
	assert_int_equal(RUN(c, "\x00\xb0\x9e\x00", &n), 0x6700); /* no Le */
	assert_int_equal(c->commands, 7); /* the refused call does not count */
	done(c);
}

static void challenges_are_fresh(void **state)
{
	struct vchip *c = chip("an.ini", 0);
	uint8_t first[8];
	size_t n;

	(void)state;
	assert_int_equal(RUN(c, "\x00\x84\x00\x00\x08", &n), 0x9000);
	memcpy(first, resp, 8);
	assert_int_equal(RUN(c, "\x00\x84\x00\x00\x08", &n), 0x9000);
	assert_memory_not_equal(first, resp, 8);
	assert_memory_equal(c->challenge, resp, 8);
	done(c);
}

static const uint8_t aa_cmd[] = {0x00, 0x88, 0x00, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x00};

/* Verify the AA answer with DG15's key: 0 when it checks out. */
static int aa_verify(struct vchip *c, const uint8_t *sig, size_t len)
{
	const struct vchip_file *dg15 = vchip_files_by_sfi(&c->fs, 0x0f);
	mbedtls_pk_context pub;
	uint8_t h[32], f[512], m[512];
	int rc;

	mbedtls_pk_init(&pub);
	size_t hdr = dg15->data[1] == 0x82 ? 4 : dg15->data[1] == 0x81 ? 3 : 2; /* 6F L */

	assert_int_equal(mbedtls_pk_parse_public_key(&pub, dg15->data + hdr, dg15->len - hdr), 0);
	if (mbedtls_pk_get_type(&pub) == MBEDTLS_PK_ECKEY) {
		mbedtls_ecp_keypair *k = mbedtls_pk_ec(pub);
		mbedtls_mpi r, s;

		mbedtls_mpi_init(&r);
		mbedtls_mpi_init(&s);
		assert_int_equal(len, 64);
		mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), aa_cmd + 5, 8, h);
		mbedtls_mpi_read_binary(&r, sig, 32);
		mbedtls_mpi_read_binary(&s, sig + 32, 32);
		rc = mbedtls_ecdsa_verify(&k->grp, h, 32, &k->Q, &r, &s);
		mbedtls_mpi_free(&r);
		mbedtls_mpi_free(&s);
	} else {
		/* ISO/IEC 9796-2 scheme 1: F = 6A || M1 || SHA-1(M1 || M2) || BC */
		size_t k = mbedtls_pk_get_len(&pub);

		rc = mbedtls_rsa_public(mbedtls_pk_rsa(pub), sig, f);
		if (!rc && (f[0] != 0x6a || f[k - 1] != 0xbc))
			rc = -1;
		memcpy(m, f + 1, k - 22);
		memcpy(m + k - 22, aa_cmd + 5, 8);
		mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA1), m, k - 22 + 8, h);
		if (!rc && memcmp(h, f + k - 21, 20))
			rc = -1;
	}
	mbedtls_pk_free(&pub);
	return rc;
}

static void active_auth_ecdsa_and_rsa(void **state)
{
	static const char *const files[] = {"an.ini", "rsa-old-id.ini"};
	size_t n;

	(void)state;
	for (int i = 0; i < 2; i++) {
		struct vchip *c = chip(files[i], 0);

		assert_int_equal(run(c, aa_cmd, sizeof(aa_cmd), &n), 0x9000);
		assert_int_equal(n - 2, i ? 256 : 64);
		assert_int_equal(aa_verify(c, resp, n - 2), 0);
		done(c);
	}
}

/* Negative twin: a clone signs with a key other than the one in DG15. */
static void active_auth_of_a_clone_fails(void **state)
{
	static const char *const files[] = {"an.ini", "rsa-old-id.ini"};
	size_t n;

	(void)state;
	for (int i = 0; i < 2; i++) {
		struct vchip *c = chip(files[i], VCHIP_FAULT_AA_MISMATCH);

		assert_int_equal(run(c, aa_cmd, sizeof(aa_cmd), &n), 0x9000);
		assert_int_not_equal(aa_verify(c, resp, n - 2), 0);
		done(c);
	}
}

static void reset_forgets_the_selection(void **state)
{
	struct vchip *c = chip("an.ini", 0);
	size_t n;

	(void)state;
	assert_int_equal(RUN(c, "\x00\xa4\x04\x0c\x07\xa0\x00\x00\x02\x47\x10\x01", &n), 0x9000);
	assert_int_equal(RUN(c, "\x00\xb0\x81\x00\x05", &n), 0x9000);
	vchip_reset(c);
	assert_int_equal(RUN(c, "\x00\xb0\x81\x00\x05", &n), 0x6a82);
	assert_int_equal(RUN(c, "\x00\xb0\x00\x00\x05", &n), 0x6986);
	done(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(status_words_for_bad_commands),
	    cmocka_unit_test(challenges_are_fresh),
	    cmocka_unit_test(active_auth_ecdsa_and_rsa),
	    cmocka_unit_test(active_auth_of_a_clone_fails),
	    cmocka_unit_test(reset_forgets_the_selection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
