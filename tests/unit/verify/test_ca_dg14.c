/* SPDX-License-Identifier: MIT */
/* test_ca_dg14.c - the DG14 SecurityInfos parser (daemon/verify/ca_dg14.c, ICAO 9303-11 §9.2):
 * the virtual chip's DG14 (CA AES-128 + PK ECDH + TA, and ActiveAuthenticationInfo with
 * ecdsa-plain-SHA256 when the AA key is EC), keyIds and two infos, ecdsa-with-SHA384, and the
 * hostile inputs: truncated at every length, wrong outer tags, wrong OIDs, too many entries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "emrtd/testhex.h"
#include "sim_session.h"
#include "verify/ca.h"

/* Spec: ICAO 9303-11 §9.2.5/9.2.6; two CA infos with keyIds 1 (3DES) and 2 (AES-256), the
 * public keys in the other order, and a TA info (skipped). The EC point is the virtual chip's. */
#define SPKI                                                                                       \
	"305a301406072a8648ce3d020106092b24030302080101070342000490b61cd574d5ec238c2d2daaa421b90d" \
	"5fc8c5e7bf3f75361bb0a11fd23fff6b48331bf9391bf1399d081e405c7bbbb4927f3a298a75f20a215f37dc" \
	"6c"                                                                                       \
	"5a78d3"
static const char two_infos[] = "6e820113 3182010f"
				"3012 060a04007f00070202030201 020101 020101"
				"3012 060a04007f00070202030204 020101 020102"
				"306a 060904007f000702020102" SPKI "020102"
				"306a 060904007f000702020102" SPKI "020101"
				"300d 060804007f0007020202 020101";
static const char aa_x962[] =
    "6e8194 318191"
    "300f 060a04007f00070202030202 020101"
    "3067 060904007f000702020102" SPKI "3015 0606678108010105 020101 06082a8648ce3d040303";

static void chip_dg14(void **state)
{
	const char *uris[] = {"sim:tests/fixtures/cards/an.ini",
			      "sim:tests/fixtures/verify/an-rsa1024.ini"};
	struct ca_dg14 d;
	struct cccd_err e = {0};

	(void)state;
	for (int i = 0; i < 2; i++) {
		struct simt *t = simt_open(uris[i], &simt_an_key);

		assert_int_equal(ca_dg14_parse(t->dg14, t->n14, &d, &e), 0);
		assert_int_equal(d.n_info, 1);
		assert_int_equal(d.info[0].cipher, EMRTD_CIPHER_AES128);
		assert_false(d.info[0].dh);
		assert_int_equal(d.info[0].version, 1);
		assert_int_equal(d.n_key, 1);
		assert_int_equal(d.key[0].spki[0], 0x30);
		assert_int_equal(d.n_other, 1);	    /* TA */
		assert_int_equal(d.has_aa, i == 0); /* only EC AA keys need the info */
		if (i == 0)
			assert_int_equal(d.aa_md, MBEDTLS_MD_SHA256);
		simt_close(t);
	}
}

static void key_ids_and_x962(void **state)
{
	uint8_t buf[512];
	size_t n = hex(two_infos, buf, sizeof(buf));
	struct ca_dg14 d;

	(void)state;
	assert_int_equal(ca_dg14_parse(buf, n, &d, NULL), 0);
	assert_int_equal(d.n_info, 2);
	assert_int_equal(d.info[0].cipher, EMRTD_CIPHER_3DES);
	assert_int_equal(d.info[1].cipher, EMRTD_CIPHER_AES256);
	assert_true(d.info[1].has_key_id);
	assert_int_equal(d.info[1].key_id, 2);
	assert_int_equal(d.key[0].key_id, 2);
	assert_int_equal(d.key[1].key_id, 1);
	assert_int_equal(d.key[0].off, 8 + 20 + 20 + 2 + 11);
	assert_false(d.has_aa);
	n = hex(aa_x962, buf, sizeof(buf));
	assert_int_equal(ca_dg14_parse(buf, n, &d, NULL), 0);
	assert_true(d.has_aa);
	assert_int_equal(d.aa_md, MBEDTLS_MD_SHA384);
	/* negative twin: ecdsa-with-SHA384 -> an unknown 1.2.840.10045.4.3.9 */
	buf[n - 1] = 0x09;
	assert_int_equal(ca_dg14_parse(buf, n, &d, NULL), 0);
	assert_int_equal(d.aa_md, MBEDTLS_MD_NONE);
}

static void truncated_at_every_length(void **state)
{
	uint8_t buf[512];
	size_t n = hex(two_infos, buf, sizeof(buf));
	struct ca_dg14 d;

	(void)state;
	for (size_t i = 0; i < n; i++)
		assert_int_not_equal(ca_dg14_parse(buf, i, &d, NULL), 0);
	n = hex(aa_x962, buf, sizeof(buf));
	for (size_t i = 0; i < n; i++)
		assert_int_not_equal(ca_dg14_parse(buf, i, &d, NULL), 0);
}

static void wrong_tags_and_oids(void **state)
{
	uint8_t buf[512];
	size_t n = hex(aa_x962, buf, sizeof(buf));
	struct ca_dg14 d;
	struct cccd_err e = {0};

	(void)state;
	buf[0] = 0x6f; /* DG15's tag */
	assert_int_equal(ca_dg14_parse(buf, n, &d, &e), -CCCD_EFORMAT);
	buf[0] = 0x6e;
	buf[3] = 0x30; /* SEQUENCE instead of SET */
	assert_int_equal(ca_dg14_parse(buf, n, &d, &e), -CCCD_EFORMAT);
	buf[3] = 0x31;
	buf[8] = 0x04; /* the CA info's OID tag becomes OCTET STRING */
	assert_int_equal(ca_dg14_parse(buf, n, &d, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "SecurityInfo at byte 6: no protocol OID");
	buf[8] = 0x06;
	buf[19] = 0x09; /* id-CA-ECDH-<9>: unknown variant, skipped */
	assert_int_equal(ca_dg14_parse(buf, n, &d, &e), 0);
	assert_int_equal(d.n_info, 0);
	assert_int_equal(d.n_other, 1);
	buf[19] = 0x02;
	buf[20] = 0x04; /* CA version as OCTET STRING */
	assert_int_equal(ca_dg14_parse(buf, n, &d, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "CA version at byte 6: not an INTEGER");
	buf[20] = 0x02;
	buf[n - 13] = 0x04; /* AA version as OCTET STRING */
	assert_int_equal(ca_dg14_parse(buf, n, &d, &e), -CCCD_EFORMAT);
	buf[n - 13] = 0x02;
	assert_int_equal(ca_dg14_parse(buf, n, &d, &e), 0);
	buf[n] = 0; /* a trailing byte after the DG */
	assert_int_equal(ca_dg14_parse(buf, n + 1, &d, &e), -CCCD_EFORMAT);
}

static void too_many_infos(void **state)
{
	static const char info[] = "300f060a04007f00070202030202020101";
	uint8_t buf[256];
	struct ca_dg14 d;
	size_t n = 4;
	struct cccd_err e = {0};

	(void)state;
	for (int i = 0; i <= CA_MAX_INFOS; i++)
		n += hex(info, buf + n, sizeof(buf) - n);
	buf[0] = 0x6e;
	buf[1] = (uint8_t)(n - 2);
	buf[2] = 0x31;
	buf[3] = (uint8_t)(n - 4);
	assert_int_equal(ca_dg14_parse(buf, n, &d, &e), -CCCD_ERANGE);
	/* negative twin: one fewer fits */
	buf[1] = (uint8_t)(n - 2 - 17);
	buf[3] = (uint8_t)(n - 4 - 17);
	assert_int_equal(ca_dg14_parse(buf, n - 17, &d, &e), 0);
	assert_int_equal(d.n_info, CA_MAX_INFOS);
}

/* A SecurityInfo of five fields (a fuzz find: the fifth was written past the field array). */
static void five_fields(void **state)
{
	uint8_t buf[32];
	size_t n = hex("6e13 3111 300f 060100 020101 020101 020101 020101", buf, sizeof(buf));
	struct ca_dg14 d;
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(ca_dg14_parse(buf, n, &d, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "SecurityInfo at byte 4: more than 4 fields");
	/* negative twin: four fields of an unknown protocol are skipped */
	n = hex("6e10 310e 300c 060100 020101 020101 020101", buf, sizeof(buf));
	assert_int_equal(ca_dg14_parse(buf, n, &d, &e), 0);
	assert_int_equal(d.n_other, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(chip_dg14),
	    cmocka_unit_test(key_ids_and_x962),
	    cmocka_unit_test(truncated_at_every_length),
	    cmocka_unit_test(wrong_tags_and_oids),
	    cmocka_unit_test(too_many_infos),
	    cmocka_unit_test(five_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
