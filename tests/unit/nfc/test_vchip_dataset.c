/* SPDX-License-Identifier: MIT */
/* test_vchip_dataset.c - the virtual chip's dataset files (drivers/nfc/vchip_dataset.c): the
 * shipped fixtures, defaults, every kind of bad line with its file:line, and no PII in errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "nfc/vchip_dataset.h"

#define MIN_PERSON                                                                                 \
	"[person]\n"                                                                               \
	"full_name = Nguyễn Văn An\n"                                                           \
	"birth_date = 2000-02-01\n"                                                                \
	"sex = M\n"                                                                                \
	"id_number = 001200012345\n"                                                               \
	"issue_date = 2025-03-01\n"                                                                \
	"expiry_date = 2040-02-01\n"

static struct vchip_dataset ds;

static int parse(const char *text, struct cccd_err *e)
{
	return vchip_dataset_parse((const uint8_t *)text, strlen(text), "t.ini", &ds, e);
}

static void key_table_is_sorted(void **state)
{
	(void)state;
	assert_non_null(vchip_dataset_key_name(0));
	for (size_t i = 1; vchip_dataset_key_name(i); i++)
		assert_true(strcmp(vchip_dataset_key_name(i - 1), vchip_dataset_key_name(i)) < 0);
}

static void minimal_dataset_gets_defaults(void **state)
{
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(parse(MIN_PERSON, &e), 0);
	assert_string_equal(ds.person.full_name, "Nguyễn Văn An");
	assert_int_equal(ds.person.birth_date.y, 2000);
	assert_int_equal(ds.person.sex, 'M');
	assert_false(ds.person.no_expiry);
	assert_int_equal(ds.person.expiry_date.y, 2040);
	assert_string_equal(ds.person.nationality, "Việt Nam");
	assert_string_equal(ds.person.religion, "Không");
	assert_true(ds.chip.pace && ds.chip.bac && ds.chip.sm_required && ds.chip.extended);
	assert_int_equal(ds.chip.max_le, 65536);
	assert_int_equal(ds.chip.photo_bytes, 15000);
	assert_int_equal(ds.chip.faults, 0);
	assert_string_equal(ds.chip.pki.seed, "cccd-gateway test pki 1");
}

static void shipped_fixtures_parse(void **state)
{
	static const char *const files[] = {"an.ini", "long-address.ini", "no-expiry.ini",
					    "rsa-old-id.ini"};
	char path[128];
	struct cccd_err e = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "tests/fixtures/cards/%s", files[i]);
		if (vchip_dataset_load(path, &ds, &e))
			fail_msg("%s: %s: %s", path, e.where, e.msg);
	}
	/* the last one: RSA everywhere, Tày, old ID */
	assert_int_equal(ds.chip.pki.csca_alg, VCHIP_KEY_RSA2048);
	assert_int_equal(ds.chip.aa_alg, VCHIP_KEY_RSA2048);
	assert_string_equal(ds.person.ethnicity, "Tày");
	assert_string_equal(ds.person.old_id_number, "011234567");
	assert_int_equal(vchip_dataset_load("tests/fixtures/cards/no-expiry.ini", &ds, &e), 0);
	assert_true(ds.person.no_expiry);
	assert_false(ds.chip.bac);
	assert_int_equal(ds.chip.eof, VCHIP_EOF_6CXX);
	assert_string_equal(ds.person.spouse, "");
	assert_int_equal(vchip_dataset_load("tests/fixtures/cards/long-address.ini", &ds, &e), 0);
	assert_true(strlen(ds.person.residence) > 127);
	assert_int_equal(ds.person.sex, 'F');
	assert_int_equal(ds.chip.max_le, 231);
}

static void chip_and_pki_keys(void **state)
{
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(parse(MIN_PERSON "[chip]\nmax_le = 223\nextended_length = no\n"
					  "eof = 9000\nphoto_bytes = 40000\nsm_required = no\n"
					  "faults = tamper_dg13 , wrong_mac,unknown_csca\n"
					  "[pki]\nds_alg = rsa2048\nds_not_before = 2015-01-01\n"
					  "ds_not_after = 2020-01-01\nseed = other\n",
			       &e),
			 0);
	assert_int_equal(ds.chip.max_le, 223);
	assert_false(ds.chip.extended);
	assert_int_equal(ds.chip.eof, VCHIP_EOF_9000);
	assert_int_equal(ds.chip.photo_bytes, 40000);
	assert_int_equal(ds.chip.faults, VCHIP_FAULT_TAMPER_DG13 | VCHIP_FAULT_WRONG_MAC |
					     VCHIP_FAULT_UNKNOWN_CSCA);
	assert_int_equal(ds.chip.pki.ds_alg, VCHIP_KEY_RSA2048);
	assert_string_equal(ds.chip.pki.ds_not_before, "20150101000000");
	assert_string_equal(ds.chip.pki.ds_not_after, "20200101000000");
	assert_string_equal(ds.chip.pki.seed, "other");
}

static void sex_words_and_comments(void **state)
{
	struct cccd_err e = {0};
	const char *t = "\xef\xbb\xbf# comment\n; another\n\n[person]\r\n"
			"full_name=Trần Thị Bích Ngọc\r\nbirth_date=1985-07-15\nsex = Nữ\n"
			"id_number = 079185004321\nissue_date = 2021-06-20\nexpiry_date = none\n";

	(void)state;
	assert_int_equal(parse(t, &e), 0);
	assert_string_equal(ds.person.mrz_expiry, "");
	assert_int_equal(ds.person.sex, 'F');
	assert_true(ds.person.no_expiry);
	assert_string_equal(ds.person.full_name, "Trần Thị Bích Ngọc");
}

/* Each bad line: the code, "t.ini:<line>" and the key in the message, never the value. */
static void expect_bad(const char *text, int code, const char *where, const char *what)
{
	struct cccd_err e = {0};

	assert_int_equal(parse(text, &e), code);
	assert_string_equal(e.where, where);
	if (!strstr(e.msg, what))
		fail_msg("'%s' not in '%s'", what, e.msg);
	assert_null(strstr(e.msg, "001200012345"));
	assert_null(strstr(e.msg, "Nguy"));
}

static void bad_lines_name_file_and_line(void **state)
{
	(void)state;
	expect_bad("[person]\nfull_name Nguyễn\n", -CCCD_EFORMAT, "t.ini:2", "key = value");
	expect_bad("full_name = x\n", -CCCD_EFORMAT, "t.ini:1", "before any [section]");
	expect_bad("[persona]\n", -CCCD_EFORMAT, "t.ini:1", "unknown section [persona]");
	expect_bad("[person\n", -CCCD_EFORMAT, "t.ini:1", "bad section header");
	expect_bad(MIN_PERSON "colour = red\n", -CCCD_EFORMAT, "t.ini:8",
		   "unknown key 'person.colour'");
	expect_bad(MIN_PERSON "sex = F\n", -CCCD_EFORMAT, "t.ini:8", "duplicate key 'person.sex'");
	expect_bad("[person]\nbirth_date = 2001-02-29\n", -CCCD_EFORMAT, "t.ini:2",
		   "person.birth_date: expected a real date");
	expect_bad("[person]\nid_number = 00120001234\n", -CCCD_EFORMAT, "t.ini:2",
		   "expected 12 digits");
	expect_bad("[person]\nid_number = 00120001234X\n", -CCCD_EFORMAT, "t.ini:2",
		   "expected 12 digits");
	expect_bad("[person]\nold_id_number = 12345678\n", -CCCD_EFORMAT, "t.ini:2",
		   "9 digits or nothing");
	expect_bad("[person]\nsex = X\n", -CCCD_EFORMAT, "t.ini:2", "expected M, F");
	expect_bad("[person]\nfull_name = \xc3\x28\n", -CCCD_EFORMAT, "t.ini:2", "not valid UTF-8");
	expect_bad("[person]\nmrz_expiry = 99123\n", -CCCD_EFORMAT, "t.ini:2", "YYMMDD or <<<<<<");
	expect_bad("[person]\nmrz_expiry = 9912<<\n", -CCCD_EFORMAT, "t.ini:2", "YYMMDD or <<<<<<");
	expect_bad("[chip]\nmax_le = 0\n", -CCCD_EFORMAT, "t.ini:2", "expected 1..65536");
	expect_bad("[chip]\nmax_le = 65537\n", -CCCD_EFORMAT, "t.ini:2", "expected 1..65536");
	expect_bad("[chip]\npace = true\n", -CCCD_EFORMAT, "t.ini:2", "yes or no");
	expect_bad("[chip]\neof = 6a82\n", -CCCD_EFORMAT, "t.ini:2", "6282, 6cxx or 9000");
	expect_bad("[chip]\nphoto_bytes = 999\n", -CCCD_EFORMAT, "t.ini:2", "1000..60000");
	expect_bad("[chip]\nfaults = melt\n", -CCCD_EFORMAT, "t.ini:2", "unknown fault");
	expect_bad("[chip]\naa_key = dsa\n", -CCCD_EFORMAT, "t.ini:2", "rsa2048");
	expect_bad("[pki]\nseed =\n", -CCCD_EFORMAT, "t.ini:2", "1..63 characters");
}

static void whole_file_checks(void **state)
{
	struct cccd_err e = {0};
	char big[1100];

	(void)state;
	expect_bad("[person]\nfull_name = A\n", -CCCD_EFORMAT, "t.ini:2",
		   "missing person.birth_date");
	/* ID digit 4 = 2 (male, 20xx) but the person is female */
	expect_bad("[person]\nfull_name = A\nbirth_date = 2000-02-01\nsex = F\n"
		   "id_number = 001200012345\nissue_date = 2025-03-01\nexpiry_date = none\n",
		   -CCCD_ECHECK, "t.ini:7", "digits 4-6 disagree");
	/* ... and the birth year 1999 does not match 00 */
	expect_bad("[person]\nfull_name = A\nbirth_date = 1999-02-01\nsex = M\n"
		   "id_number = 001200012345\nissue_date = 2025-03-01\nexpiry_date = none\n",
		   -CCCD_ECHECK, "t.ini:7", "digits 4-6 disagree");
	expect_bad("[person]\nfull_name =\nbirth_date = 2000-02-01\nsex = M\n"
		   "id_number = 001200012345\nissue_date = 2025-03-01\nexpiry_date = none\n",
		   -CCCD_EFORMAT, "t.ini:7", "full_name is empty");
	expect_bad(MIN_PERSON "[chip]\npace = no\nbac = no\n", -CCCD_ERANGE, "t.ini:10",
		   "needs pace or bac");
	assert_int_equal(parse(MIN_PERSON "[chip]\npace = no\nbac = no\nsm_required = no\n", &e),
			 0);
	memset(big, 'a', sizeof(big));
	memcpy(big, "[person]\nfull_name = ", 21);
	big[sizeof(big) - 1] = '\0';
	expect_bad(big, -CCCD_EFORMAT, "t.ini:2", "longer than 1024");
	assert_int_equal(vchip_dataset_parse((const uint8_t *)"[person]\n\0", 10, "t.ini", &ds, &e),
			 -CCCD_EFORMAT);
	assert_int_equal(vchip_dataset_load("tests/fixtures/cards/none.ini", &ds, &e), -CCCD_EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(key_table_is_sorted),
	    cmocka_unit_test(minimal_dataset_gets_defaults),
	    cmocka_unit_test(shipped_fixtures_parse),
	    cmocka_unit_test(chip_and_pki_keys),
	    cmocka_unit_test(sex_words_and_comments),
	    cmocka_unit_test(bad_lines_name_file_and_line),
	    cmocka_unit_test(whole_file_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
