/* SPDX-License-Identifier: MIT */
/* test_vchip_sod.c - the LDSSecurityObject and EF.SOD writer (drivers/nfc/vchip_sod.c). The CMS
 * signature itself is verified by OpenSSL in tests/cli/test_vchip_gen.sh; here the DER layout,
 * the hash values, determinism and the error paths. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <mbedtls/asn1.h>

#include "nfc/vchip_pki.h"
#include "nfc/vchip_sod.h"

/* FIPS 180-2 Appendix B.1: SHA-256("abc") */
static const uint8_t sha256_abc[32] = {
    0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
    0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};

/* ICAO 9303-10 §4.6.2.2: LDSSecurityObject v0, SHA-256, one DataGroupHash for DG1 = "abc". */
static void lds_security_object_layout(void **state)
{
	static const uint8_t head[] = {0x30, 0x3b, 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x60,
				       0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
				       0x30, 0x27, 0x30, 0x25, 0x02, 0x01, 0x01, 0x04, 0x20};
	struct vchip_dg_ref dg = {1, (const uint8_t *)"abc", 3};
	struct vchip_dg_ref dg_other = {1, (const uint8_t *)"abd", 3};
	uint8_t out[256];
	size_t len;

	(void)state;
	assert_int_equal(vchip_lds_so_write(&dg, 1, out, sizeof(out), &len, NULL), 0);
	assert_int_equal(len, sizeof(head) + 32);
	assert_memory_equal(out, head, sizeof(head));
	assert_memory_equal(out + sizeof(head), sha256_abc, 32);
	/* negative twin: one byte of input changed, the hash no longer matches */
	assert_int_equal(vchip_lds_so_write(&dg_other, 1, out, sizeof(out), &len, NULL), 0);
	assert_memory_not_equal(out + sizeof(head), sha256_abc, 32);
}

static void data_group_list_is_checked(void **state)
{
	struct vchip_dg_ref dgs[2] = {{2, (const uint8_t *)"x", 1}, {1, (const uint8_t *)"y", 1}};
	struct vchip_dg_ref d17 = {17, (const uint8_t *)"x", 1};
	uint8_t out[256];
	size_t len;
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(vchip_lds_so_write(dgs, 2, out, sizeof(out), &len, &e), -CCCD_EINVAL);
	assert_non_null(strstr(e.msg, "ascending"));
	assert_int_equal(vchip_lds_so_write(&d17, 1, out, sizeof(out), &len, &e), -CCCD_EINVAL);
	assert_int_equal(vchip_lds_so_write(dgs, 0, out, sizeof(out), &len, &e), -CCCD_EINVAL);
	assert_int_equal(vchip_lds_so_write(dgs, 1, out, 40, &len, &e), -CCCD_ENOSPC);
}

/* Walk 77 { 30 { 06 signedData, A0 { 30 { 02 03, ... } } } } with mbedTLS's ASN.1 reader. */
static void sod_layout_and_determinism(void **state)
{
	static const uint8_t oid_signed_data[] = {0x2a, 0x86, 0x48, 0x86, 0xf7,
						  0x0d, 0x01, 0x07, 0x02};
	static const uint8_t oid_lds_so[] = {0x06, 0x06, 0x67, 0x81, 0x08, 0x01, 0x01, 0x01};
	struct vchip_pki_cfg cfg;
	struct vchip_pki pki;
	struct vchip_dg_ref dgs[2] = {{1, (const uint8_t *)"abc", 3},
				      {15, (const uint8_t *)"k", 1}};
	static uint8_t a[VCHIP_SOD_MAX], b[VCHIP_SOD_MAX];
	size_t la, lb, n;
	unsigned char *p = a, *end;
	struct vchip_signer s;

	(void)state;
	vchip_pki_cfg_defaults(&cfg);
	assert_int_equal(vchip_pki_build(&pki, &cfg, NULL), 0);
	s = (struct vchip_signer){&pki.ds_key, pki.ds_cert, pki.ds_cert_len, "t"};
	assert_int_equal(vchip_sod_build(dgs, 2, &s, a, sizeof(a), &la, NULL), 0);
	assert_int_equal(vchip_sod_build(dgs, 2, &s, b, sizeof(b), &lb, NULL), 0);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	end = a + la;
	assert_int_equal(mbedtls_asn1_get_tag(&p, end, &n, 0x77), 0);
	assert_ptr_equal(p + n, end);
	assert_int_equal(mbedtls_asn1_get_tag(&p, end, &n, 0x30), 0);
	assert_int_equal(mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_OID), 0);
	assert_int_equal(n, sizeof(oid_signed_data));
	assert_memory_equal(p, oid_signed_data, n);
	p += n;
	assert_int_equal(mbedtls_asn1_get_tag(&p, end, &n, 0xa0), 0);
	assert_int_equal(mbedtls_asn1_get_tag(&p, end, &n, 0x30), 0);
	assert_memory_equal(p, "\x02\x01\x03", 3); /* SignedData version 3 */
	assert_non_null(memmem(a, la, oid_lds_so, sizeof(oid_lds_so)));
	assert_non_null(memmem(a, la, pki.ds_cert, pki.ds_cert_len)); /* DS embedded */
	assert_non_null(memmem(a, la, sha256_abc, 32));
	/* no room */
	assert_int_equal(vchip_sod_build(dgs, 2, &s, b, 300, &lb, NULL), -CCCD_ENOSPC);
	/* a certificate that does not parse */
	s.cert_len = 10;
	assert_int_equal(vchip_sod_build(dgs, 2, &s, b, sizeof(b), &lb, NULL), -CCCD_EINVAL);
	vchip_pki_free(&pki);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(lds_security_object_layout),
	    cmocka_unit_test(data_group_list_is_checked),
	    cmocka_unit_test(sod_layout_and_determinism),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
