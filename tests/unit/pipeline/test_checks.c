/* SPDX-License-Identifier: MIT */
/* test_checks.c - pres_verify on real reads of the virtual chip: passive authentication with and
 * without the test CSCA, the chip's fault modes (tampered DG1/DG2/DG13, unknown CSCA), the
 * cross-checks (DG1 vs DG13, QR vs chip, typed MRZ vs DG1) and the verdict with its reasons. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "helpers/simread.h"
#include "pipeline/checks.h"

static struct emrtd_session sess;
static struct pres_card card;
static struct pres_checks chk;

static void read_ok(const char *name, const char *knobs, bool dg2)
{
	struct vchip_dataset ds;
	struct card_link link;
	struct emrtd_key k;
	struct cccd_err e = {0};

	simread_dataset(name, &ds);
	if (strstr(knobs, "pace=0")) /* BAC: the MRZ key */
		simread_key_mrz(&ds, &k);
	else
		simread_key_can(&ds, &k);
	simread_open(&link, name, knobs);
	if (simread_read(&link, &sess, &k, 1, dg2, true, &card, &e))
		fail_msg("%s%s: %s: %s", name, knobs, e.where, e.msg);
	card_link_close(&link);
}

static void verify_ocr(const struct trust_store *ts, const struct cccdqr *qr, const struct mrz *m,
		       bool ocr)
{
	struct pres_verify_in in = {
	    .trust = ts, .now = (long long)time(NULL), .qr = qr, .mrz = m, .mrz_ocr = ocr};
	struct cccd_err e = {0};

	date_today(&in.today);
	if (pres_verify(&card, &in, &chk, &e))
		fail_msg("verify: %s", e.msg);
}

static void verify(const struct trust_store *ts, const struct cccdqr *qr, const struct mrz *m)
{
	verify_ocr(ts, qr, m, false);
}

static bool has_reason(const char *what)
{
	for (size_t i = 0; i < chk.verdict.n; i++)
		if (strstr(chk.verdict.reasons[i], what))
			return true;
	return false;
}

/* Without a trust anchor the SOD can only be untrusted; with the test CSCA it is ok. */
static void passive_needs_the_csca(void **state)
{
	struct vchip_dataset ds;
	struct trust_store ts;

	(void)state;
	simread_dataset("an.ini", &ds);
	read_ok("an.ini", "", true);
	verify(NULL, NULL, NULL);
	assert_int_equal(chk.pa.status, PA_UNTRUSTED);
	assert_int_equal(chk.verdict.verdict, VERDICT_SUSPECT);
	assert_true(has_reason("untrusted"));
	assert_true(chk.has_mrz && chk.has_dg13 && chk.has_photo);
	assert_int_equal(chk.n_xfail, 0);
	assert_int_equal(chk.qr_match, PRES_MATCH_UNCHECKED);
	simread_trust(&ds, &ts);
	verify(&ts, NULL, NULL);
	assert_int_equal(chk.pa.status, PA_OK);
	assert_int_equal(chk.pa.dgs_ok,
			 (1u << 1) | (1u << 2) | (1u << 13) | (1u << 14) | (1u << 15));
	/* the read ran AA and CA: passive ok + the chip holds its keys -> genuine, no reasons */
	assert_int_equal(chk.active, VERDICT_AUTH_OK);
	assert_int_equal(chk.chip, VERDICT_AUTH_OK);
	assert_int_equal(chk.verdict.verdict, VERDICT_GENUINE);
	assert_int_equal(chk.verdict.n, 0);
	read_ok("rsa-old-id.ini", "", false);
	simread_dataset("rsa-old-id.ini", &ds);
	trust_free(&ts);
	simread_trust(&ds, &ts);
	verify(&ts, NULL, NULL);
	assert_int_equal(chk.pa.status, PA_OK);
	trust_free(&ts);
}

/* Issue 4's fault modes as the chip plays them: a DG changed after signing fails passive
 * authentication (and the verdict); DG2 only counts when it was read; an unknown CSCA. */
static void chip_faults(void **state)
{
	struct vchip_dataset ds;
	struct trust_store ts;

	(void)state;
	simread_dataset("an.ini", &ds);
	simread_trust(&ds, &ts);
	read_ok("an.ini", "?faults=tamper_dg13", false);
	verify(&ts, NULL, NULL);
	assert_int_equal(chk.pa.status, PA_FAILED);
	assert_int_equal(chk.verdict.verdict, VERDICT_FAILED);
	assert_true(has_reason("DG13"));
	read_ok("an.ini", "?faults=tamper_dg1", false);
	verify(&ts, NULL, NULL);
	assert_int_equal(chk.pa.status, PA_FAILED);
	assert_true(has_reason("DG1"));
	read_ok("an.ini", "?faults=tamper_dg2", true);
	verify(&ts, NULL, NULL);
	assert_int_equal(chk.pa.status, PA_FAILED);
	read_ok("an.ini", "?faults=tamper_dg2", false);
	verify(&ts, NULL, NULL);
	assert_int_equal(chk.pa.status, PA_OK);
	read_ok("an.ini", "?faults=unknown_csca", false);
	verify(&ts, NULL, NULL);
	assert_int_equal(chk.pa.status, PA_UNTRUSTED);
	assert_int_equal(chk.verdict.verdict, VERDICT_SUSPECT);
	trust_free(&ts);
}

/* Issue 4 end to end over sim: (read with AA and CA, pres_verify with the test CSCA): every fault
 * mode gives its checks and verdict. Cards: brainpoolP256r1 ECDSA AA (an), secp256r1 AA and
 * signer, RSA-1024 AA, RSA-2048 AA and signer (rsa-old-id); PACE (AES) and BAC (3DES) access. */
struct auth_case {
	const char *card, *knobs;
	enum pa_status pa;
	enum verdict_auth aa, ca;
	enum verdict v;
	const char *why; /* a reason the verdict must list, or NULL for none at all */
};

static void auth_faults_and_verdict(void **state)
{
	static const struct auth_case cases[] = {
	    {"an.ini", "", PA_OK, VERDICT_AUTH_OK, VERDICT_AUTH_OK, VERDICT_GENUINE, NULL},
	    {"an.ini", "?pace=0", PA_OK, VERDICT_AUTH_OK, VERDICT_AUTH_OK, VERDICT_GENUINE, NULL},
	    {"../verify/an-p256.ini", "", PA_OK, VERDICT_AUTH_OK, VERDICT_AUTH_OK, VERDICT_GENUINE,
	     NULL},
	    {"../verify/an-rsa1024.ini", "?pace=0", PA_OK, VERDICT_AUTH_OK, VERDICT_AUTH_OK,
	     VERDICT_GENUINE, NULL},
	    {"rsa-old-id.ini", "", PA_OK, VERDICT_AUTH_OK, VERDICT_AUTH_OK, VERDICT_GENUINE, NULL},
	    {"an.ini", "?faults=aa_mismatch", PA_OK, VERDICT_AUTH_FAILED, VERDICT_AUTH_OK,
	     VERDICT_FAILED, "active authentication failed: ECDSA: signature does not verify"},
	    {"rsa-old-id.ini", "?faults=aa_mismatch", PA_OK, VERDICT_AUTH_FAILED, VERDICT_AUTH_OK,
	     VERDICT_FAILED, "active authentication failed: RSA"},
	    {"an.ini", "?faults=ca_wrong_key", PA_OK, VERDICT_AUTH_OK, VERDICT_AUTH_FAILED,
	     VERDICT_FAILED, "chip authentication failed: the chip's answer under the new keys"},
	    {"an.ini", "?faults=tamper_dg13", PA_FAILED, VERDICT_AUTH_OK, VERDICT_AUTH_OK,
	     VERDICT_FAILED, "DG13 hash mismatch"},
	    {"an.ini", "?faults=unknown_csca", PA_UNTRUSTED, VERDICT_AUTH_OK, VERDICT_AUTH_OK,
	     VERDICT_SUSPECT, "untrusted"},
	    {"an.ini", "?faults=expired_ds", PA_FAILED, VERDICT_AUTH_OK, VERDICT_AUTH_OK,
	     VERDICT_FAILED, "DS certificate"},
	    {"an.ini", "?faults=aa_mismatch,unknown_csca", PA_UNTRUSTED, VERDICT_AUTH_FAILED,
	     VERDICT_AUTH_OK, VERDICT_FAILED, "untrusted"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct auth_case *c = &cases[i];
		struct vchip_dataset ds;
		struct trust_store ts;

		simread_dataset(c->card, &ds);
		simread_trust(&ds, &ts);
		read_ok(c->card, c->knobs, false);
		verify(&ts, NULL, NULL);
		if (chk.pa.status != c->pa || chk.active != c->aa || chk.chip != c->ca ||
		    chk.verdict.verdict != c->v)
			fail_msg("%s%s: passive %d active %d chip %d verdict %d (%s)", c->card,
				 c->knobs, chk.pa.status, chk.active, chk.chip, chk.verdict.verdict,
				 chk.verdict.n ? chk.verdict.reasons[0] : "");
		if (c->why ? !has_reason(c->why) : chk.verdict.n != 0)
			fail_msg("%s%s: reason '%s' missing", c->card, c->knobs, c->why);
		trust_free(&ts);
	}
}

/* The QR printed on the card against the chip: equal, then one field changed at a time. */
static void qr_cross_check(void **state)
{
	static const char good[] = "001200012345||Nguyễn Văn An|01022000|Nam|Số 12 Ngõ 34 Phố Huế, "
				   "Phường Hàng Bài, Quận Hoàn Kiếm, Hà Nội|01032025";
	static const char *const bad[][2] = {
	    {"001200012346||Nguyễn Văn An|01022000|Nam||01032025", "ID number"},
	    {"001200012345||Nguyễn Văn Anh|01022000|Nam||01032025", "full name"},
	    {"001200012345||Nguyễn Văn An|02022000|Nam||01032025", "birth date"},
	    {"001200012345||Nguyễn Văn An|01022000|Nam||01032024", "issue date"},
	    {"001200012345|123456789|Nguyễn Văn An|01022000|Nam||01032025", "old ID"},
	};
	struct cccdqr qr;

	(void)state;
	read_ok("an.ini", "", false);
	assert_int_equal(cccdqr_parse((const uint8_t *)good, strlen(good), &qr, NULL), 0);
	verify(NULL, &qr, NULL);
	assert_int_equal(chk.qr_match, PRES_MATCH_YES);
	assert_int_equal(chk.n_xfail, 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(
		    cccdqr_parse((const uint8_t *)bad[i][0], strlen(bad[i][0]), &qr, NULL), 0);
		verify(NULL, &qr, NULL);
		assert_int_equal(chk.qr_match, PRES_MATCH_NO);
		assert_int_equal(chk.n_xfail, 1);
		assert_non_null(strstr(chk.xfail[0], bad[i][1]));
		assert_int_equal(chk.verdict.verdict, VERDICT_FAILED);
		assert_true(has_reason(bad[i][1]));
	}
}

/* The MRZ the operator typed against DG1: equal, then another name and another sex. */
static void mrz_cross_check(void **state)
{
	static const char good[] =
	    "IDVNM2000123457001200012345<<8\n0002015M4002013VNM<<<<<<<<<<<8\n"
	    "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<";
	struct cccd_date today;
	struct mrz m;

	(void)state;
	date_today(&today);
	read_ok("an.ini", "", false);
	assert_int_equal(mrz_parse((const uint8_t *)good, strlen(good), &today, &m, NULL), 0);
	verify(NULL, NULL, &m);
	assert_int_equal(chk.mrz_match, PRES_MATCH_YES);
	strcpy(m.secondary, "VAN ANH");
	verify(NULL, NULL, &m);
	assert_int_equal(chk.mrz_match, PRES_MATCH_NO);
	assert_non_null(strstr(chk.xfail[0], "name"));
	m.sex = 'F';
	verify(NULL, NULL, &m);
	assert_int_equal(chk.n_xfail, 2);
	assert_int_equal(chk.verdict.verdict, VERDICT_FAILED);
}

/* A camera's MRZ against DG1: the name and sex (no check digit covers them, ICAO 9303-5) misread
 * are not held against the card; a document number or date that differs still fails it. */
static void mrz_ocr_cross_check(void **state)
{
	static const char good[] =
	    "IDVNM2000123457001200012345<<8\n0002015M4002013VNM<<<<<<<<<<<8\n"
	    "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<";
	struct cccd_date today;
	struct mrz m;

	(void)state;
	date_today(&today);
	read_ok("an.ini", "", false);
	assert_int_equal(mrz_parse((const uint8_t *)good, strlen(good), &today, &m, NULL), 0);
	strcpy(m.secondary, "VAN RN"); /* A read as R */
	m.sex = 'F';
	verify_ocr(NULL, NULL, &m, true);
	assert_int_equal(chk.mrz_match, PRES_MATCH_YES);
	assert_int_equal(chk.n_xfail, 0);
	m.birth.y = 1980; /* a repaired digit that passes its check digit: still a mismatch */
	verify_ocr(NULL, NULL, &m, true);
	assert_int_equal(chk.mrz_match, PRES_MATCH_NO);
	assert_int_equal(chk.n_xfail, 1);
	assert_non_null(strstr(chk.xfail[0], "date"));
	assert_int_equal(chk.verdict.verdict, VERDICT_FAILED);
}

/* DG1 and DG13 of one chip disagree (DG13 rebuilt with another ID and birth date): failed, with
 * the reasons, and no number in them. */
static void dg1_dg13_disagree(void **state)
{
	struct dg13 d;
	size_t n;

	(void)state;
	read_ok("an.ini", "", false);
	assert_int_equal(dg13_parse(card.dg13, card.len[PRES_DG13], &d, NULL), 0);
	d.id[11] = d.id[11] == '9' ? '0' : (char)(d.id[11] + 1);
	d.birth_date.d++; /* 2000-02-01 -> 2000-02-02 */
	assert_int_equal(dg13_build(&d, card.dg13, sizeof(card.dg13), &n, NULL), 0);
	card.len[PRES_DG13] = n;
	verify(NULL, NULL, NULL);
	assert_int_equal(chk.n_xfail, 2);
	assert_string_equal(chk.xfail[0], "chip: DG1 and DG13 disagree on the ID number");
	assert_string_equal(chk.xfail[1], "chip: DG1 and DG13 disagree on the birth date");
	assert_int_equal(chk.pa.status, PA_FAILED); /* DG13 no longer matches its hash */
	assert_int_equal(chk.verdict.verdict, VERDICT_FAILED);
	assert_null(strstr(chk.xfail[0], "0012"));
	/* a DG1 that does not parse is a failed check, not an error */
	card.dg1[10] = '*';
	verify(NULL, NULL, NULL);
	assert_false(chk.has_mrz);
	assert_non_null(strstr(chk.xfail[0], "DG1 does not parse"));
}

static void incomplete_read_is_refused(void **state)
{
	struct pres_verify_in in = {0};
	struct cccd_err e = {0};

	(void)state;
	read_ok("an.ini", "", false);
	card.complete = false;
	assert_int_equal(pres_verify(&card, &in, &chk, &e), -CCCD_ESTATE);
	assert_string_equal(pres_dg13_sex("Nữ"), "F");
	assert_null(pres_dg13_sex("nam"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(passive_needs_the_csca),  cmocka_unit_test(chip_faults),
	    cmocka_unit_test(auth_faults_and_verdict), cmocka_unit_test(qr_cross_check),
	    cmocka_unit_test(mrz_cross_check),	       cmocka_unit_test(mrz_ocr_cross_check),
	    cmocka_unit_test(dg1_dg13_disagree),       cmocka_unit_test(incomplete_read_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
