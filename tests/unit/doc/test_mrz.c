/* SPDX-License-Identifier: MIT */
/*
 * test_mrz.c - daemon/doc/mrz.c and mrz_render.c: ICAO 9303-3 check digits, the ICAO specimen
 * MRZs (9303-4 TD3, 9303-5 TD1, 9303-6 TD2), the CCCD TD1 layout, framing and boundaries.
 * Every accepted vector is also rendered back and must give the same lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "doc/mrz.h"

static const struct cccd_date today = {2026, 11, 28};

/* ICAO 9303-5 Appendix A specimen TD1 (also the shape of 9303-3 §4.9's examples). */
#define TD1_L1 "I<UTOD231458907<<<<<<<<<<<<<<<"
#define TD1_L2 "7408122F1204159UTO<<<<<<<<<<<6"
#define TD1_L3 "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
/* ICAO 9303-6 Appendix A specimen TD2. */
#define TD2_L1 "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<"
#define TD2_L2 "D231458907UTO7408122F1204159<<<<<<<6"
/* ICAO 9303-4 Appendix A specimen TD3 (passport). */
#define TD3_L1 "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
#define TD3_L2 "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
/* Synthetic CCCD: ID 001200012345, born 2000-02-01, expires 2025-02-01. Check digits worked by
 * hand (7-3-1): 200012345 -> 14+0+0+0+3+2+21+12+5 = 57 -> 7; 001200012345 -> 58 -> 8;
 * 000201 -> 15 -> 5; 250201 -> 44 -> 4. The composite 2 was computed by mrz_check_digit once the
 * ICAO vectors passed. */
#define VN_L1 "IDVNM2000123457001200012345<<8"
#define VN_L2 "0002015M2502014VNM<<<<<<<<<<<2"
#define VN_L3 "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"

static int parse_str(const char *s, struct mrz *m, struct cccd_err *e)
{
	return mrz_parse((const uint8_t *)s, strlen(s), &today, m, e);
}

/* Parse s, which must succeed, and check that rendering gives back its lines (\n-joined, as
 * canonical, with no trailing newline). */
static void parse_ok(const char *s, const char *canonical, struct mrz *m)
{
	struct cccd_err e = {0};
	char r[MRZ_TEXT_MAX];

	if (parse_str(s, m, &e))
		fail_msg("rejected: %s", e.msg);
	assert_int_equal(mrz_render(m, r, sizeof(r)), (int)strlen(canonical));
	assert_string_equal(r, canonical);
}

static void parse_fails(const char *s, int code, const char *msg)
{
	struct cccd_err e = {0};
	struct mrz m;

	assert_int_equal(parse_str(s, &m, &e), code);
	assert_int_equal(e.code, code);
	assert_string_equal(e.msg, msg);
}

/* Set the check digit at cd (0-based) over line[from, from+n). */
static void set_cd(char *line, int from, int n, int cd)
{
	line[cd] = (char)('0' + mrz_check_digit(line + from, (size_t)n));
}

static void td1_set_composite(char *l1, char *l2)
{
	char b[64];

	snprintf(b, sizeof(b), "%.25s%.7s%.7s%.11s", l1 + 5, l2, l2 + 8, l2 + 18);
	l2[29] = (char)('0' + mrz_check_digit(b, strlen(b)));
}

static void join3(char *out, size_t n, const char *a, const char *b, const char *c)
{
	snprintf(out, n, "%s\n%s\n%s", a, b, c);
}

/* ICAO 9303-3 §4.9.3 worked examples. */
static void check_digit_icao_examples(void **state)
{
	(void)state;
	assert_int_equal(mrz_check_digit("520727", 6), 3);    /* date 27 July 1952 */
	assert_int_equal(mrz_check_digit("AB2134<<<", 9), 5); /* document number */
	/* negative twins: one character changed changes the digit */
	assert_int_equal(mrz_check_digit("520728", 6), 4);
	assert_int_equal(mrz_check_digit("AB2135<<<", 9), 6);
	/* specimen fields */
	assert_int_equal(mrz_check_digit("L898902C3", 9), 6);
	assert_int_equal(mrz_check_digit("ZE184226B<<<<<", 14), 1);
	assert_int_equal(mrz_check_digit("", 0), 0);
	assert_int_equal(mrz_check_digit("AB<2b", 5), -1);
	assert_int_equal(mrz_check_digit("A B", 3), -1);
}

static void td1_specimen(void **state)
{
	struct mrz m;
	char key[MRZ_KEY_MAX + 1], iso[DATE_ISO_LEN], name[80];

	(void)state;
	parse_ok(TD1_L1 "\n" TD1_L2 "\n" TD1_L3, TD1_L1 "\n" TD1_L2 "\n" TD1_L3, &m);
	assert_int_equal(m.format, MRZ_TD1);
	assert_string_equal(m.doc_code, "I<");
	assert_string_equal(m.issuer, "UTO");
	assert_string_equal(m.doc_number, "D23145890");
	assert_false(mrz_has_long_number(&m));
	date_to_iso(&m.birth, iso);
	assert_string_equal(iso, "1974-08-12");
	date_to_iso(&m.expiry, iso); /* expired cards keep their real date: 20YY */
	assert_string_equal(iso, "2012-04-15");
	assert_int_equal(mrz_sex(&m), 'F');
	assert_string_equal(m.nationality, "UTO");
	assert_string_equal(m.primary, "ERIKSSON");
	assert_string_equal(m.secondary, "ANNA MARIA");
	mrz_name(&m, name, sizeof(name));
	assert_string_equal(name, "ERIKSSON ANNA MARIA");
	assert_string_equal(m.id_number, "");
	assert_false(mrz_is_vietnamese(&m));
	assert_int_equal(mrz_key(&m, key, sizeof(key)), 24);
	assert_string_equal(key, "D23145890774081221204159");
}

static void td1_specimen_negative(void **state)
{
	(void)state;
	parse_fails("I<UTOD231458908<<<<<<<<<<<<<<<\n" TD1_L2 "\n" TD1_L3, -CCCD_ECHECK,
		    "line 1 col 15: check digit '8', computed 7 (document number)");
	parse_fails(TD1_L1 "\n7408123F1204159UTO<<<<<<<<<<<6\n" TD1_L3, -CCCD_ECHECK,
		    "line 2 col 7: check digit '3', computed 2 (birth date)");
	parse_fails(TD1_L1 "\n7408122F1204158UTO<<<<<<<<<<<6\n" TD1_L3, -CCCD_ECHECK,
		    "line 2 col 15: check digit '8', computed 9 (expiry date)");
	/* bad composite: every field digit right, the composite wrong */
	parse_fails(TD1_L1 "\n7408122F1204159UTO<<<<<<<<<<<7\n" TD1_L3, -CCCD_ECHECK,
		    "line 2 col 30: check digit '7', computed 6 (composite)");
	/* optional data is covered only by the composite: 'B' (11) at weight 7 adds 77 */
	parse_fails("I<UTOD231458907<<<<<<<<<<<<<<B\n" TD1_L2 "\n" TD1_L3, -CCCD_ECHECK,
		    "line 2 col 30: check digit '6', computed 3 (composite)");
	/* ... while 'A' (10) adds a multiple of 10: the 7-3-1 scheme cannot see it */
	struct mrz m;
	parse_ok("I<UTOD231458907<<<<<<<<<<<<<<A\n" TD1_L2 "\n" TD1_L3,
		 "I<UTOD231458907<<<<<<<<<<<<<<A\n" TD1_L2 "\n" TD1_L3, &m);
	assert_string_equal(m.optional1, "<<<<<<<<<<<<<<A");
}

static void td2_specimen(void **state)
{
	struct mrz m;
	char key[MRZ_KEY_MAX + 1], iso[DATE_ISO_LEN];

	(void)state;
	parse_ok(TD2_L1 "\n" TD2_L2 "\n", TD2_L1 "\n" TD2_L2, &m);
	assert_int_equal(m.format, MRZ_TD2);
	assert_string_equal(m.doc_number, "D23145890");
	assert_string_equal(m.primary, "ERIKSSON");
	assert_string_equal(m.secondary, "ANNA MARIA");
	date_to_iso(&m.expiry, iso);
	assert_string_equal(iso, "2012-04-15");
	assert_int_equal(mrz_key(&m, key, sizeof(key)), 24);
	assert_string_equal(key, "D23145890774081221204159");
	assert_string_equal(mrz_format_name(m.format), "TD2");
}

static void td2_specimen_negative(void **state)
{
	(void)state;
	parse_fails(TD2_L1 "\nD231458907UTO7408122F1204159<<<<<<<5", -CCCD_ECHECK,
		    "line 2 col 36: check digit '5', computed 6 (composite)");
	parse_fails(TD2_L1 "\nD231458906UTO7408122F1204159<<<<<<<6", -CCCD_ECHECK,
		    "line 2 col 10: check digit '6', computed 7 (document number)");
}

static void td3_specimen(void **state)
{
	struct mrz m;
	char iso[DATE_ISO_LEN];

	(void)state;
	parse_ok(TD3_L1 "\r\n" TD3_L2 "\r\n", TD3_L1 "\n" TD3_L2, &m);
	assert_int_equal(m.format, MRZ_TD3);
	assert_string_equal(m.doc_code, "P<");
	assert_string_equal(m.doc_number, "L898902C3");
	assert_string_equal(m.optional2, "ZE184226B<<<<<");
	assert_int_equal(m.optional2_cd, '1');
	date_to_iso(&m.birth, iso);
	assert_string_equal(iso, "1974-08-12");
	assert_string_equal(m.primary, "ERIKSSON");
	assert_string_equal(m.secondary, "ANNA MARIA");
}

static void td3_specimen_negative(void **state)
{
	(void)state;
	parse_fails(TD3_L1 "\nL898902C36UTO7408122F1204159ZE184226B<<<<<20", -CCCD_ECHECK,
		    "line 2 col 43: check digit '2', computed 1 (personal number)");
	parse_fails(TD3_L1 "\nL898902C36UTO7408122F1204159ZE184226B<<<<<11", -CCCD_ECHECK,
		    "line 2 col 44: check digit '1', computed 0 (composite)");
	/* a visa (MRV-A) has the TD3 size but is not a passport */
	parse_fails("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" TD3_L2, -CCCD_EFORMAT,
		    "line 1 col 1: 'V' in document code, expected P (passport)");
}

/* An empty personal number may carry '<' or '0' as its check digit (9303-4 §4.2.2). */
static void td3_empty_personal_number(void **state)
{
	char l2[] = "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<X";
	char buf[100];
	struct mrz m;

	(void)state;
	for (int i = 0; i < 2; i++) {
		l2[42] = i ? '0' : '<';
		char c[64];

		snprintf(c, sizeof(c), "%.10s%.7s%.22s", l2, l2 + 13, l2 + 21);
		l2[43] = (char)('0' + mrz_check_digit(c, strlen(c)));
		snprintf(buf, sizeof(buf), "%s\n%s", TD3_L1, l2);
		parse_ok(buf, buf, &m);
		assert_int_equal(m.optional2_cd, l2[42]);
	}
	/* '<' is not allowed once the personal number has content */
	snprintf(buf, sizeof(buf), "%s\n%s", TD3_L1,
		 "L898902C36UTO7408122F1204159ZE184226B<<<<<<0");
	parse_fails(buf, -CCCD_ECHECK,
		    "line 2 col 43: check digit '<', computed 1 (personal number)");
}

/* TD1 long document number D23145890734: '<' at col 15, "734" + check digit 9 in the optional
 * data (9303-5 §4.2.2 note j). */
static void td1_long_number(void **state)
{
	const char *l1 = "I<UTOD23145890<7349<<<<<<<<<<<";
	char buf[100], key[MRZ_KEY_MAX + 1];
	struct mrz m;

	(void)state;
	join3(buf, sizeof(buf), l1, TD1_L2, TD1_L3);
	parse_ok(buf, buf, &m);
	assert_string_equal(m.doc_number, "D23145890734");
	assert_true(mrz_has_long_number(&m));
	assert_int_equal(mrz_check_digit("D23145890734", 12), 9);
	assert_string_equal(m.optional1, "<<<<<<<<<<<");
	assert_int_equal(mrz_key(&m, key, sizeof(key)), 27);
	assert_string_equal(key, "D23145890734974081221204159");
	/* negative twins: wrong overflow check digit; '<' with nothing following */
	join3(buf, sizeof(buf), "I<UTOD23145890<7348<<<<<<<<<<<", TD1_L2, TD1_L3);
	parse_fails(buf, -CCCD_ECHECK,
		    "line 1 col 19: check digit '8', computed 9 (document number)");
	join3(buf, sizeof(buf), "I<UTOD23145890<<<<<<<<<<<<<<<<", TD1_L2, TD1_L3);
	parse_fails(buf, -CCCD_ECHECK,
		    "line 1 col 15: check digit '<' but no long document number and check digit "
		    "follow");
	join3(buf, sizeof(buf), "I<UTOD23145890<734A<<<<<<<<<<<", TD1_L2, TD1_L3);
	parse_fails(buf, -CCCD_EFORMAT,
		    "line 1 col 19: 'A' in document number, expected a check digit");
}

/* TD2 long number: the overflow goes into line 2's optional data. */
static void td2_long_number(void **state)
{
	char l2[] = "D23145890<UTO7408122F1204159734X<<<X";
	char buf[100], c[64];
	struct mrz m;

	(void)state;
	l2[31] = (char)('0' + mrz_check_digit("D23145890734", 12));
	snprintf(c, sizeof(c), "%.10s%.7s%.14s", l2, l2 + 13, l2 + 21);
	l2[35] = (char)('0' + mrz_check_digit(c, strlen(c)));
	snprintf(buf, sizeof(buf), "%s\n%s", TD2_L1, l2);
	parse_ok(buf, buf, &m);
	assert_string_equal(m.doc_number, "D23145890734");
	assert_string_equal(m.optional2, "<<<");
}

static void cccd_td1(void **state)
{
	struct mrz m;
	char key[MRZ_KEY_MAX + 1], iso[DATE_ISO_LEN], name[80];

	(void)state;
	parse_ok(VN_L1 "\n" VN_L2 "\n" VN_L3 "\n", VN_L1 "\n" VN_L2 "\n" VN_L3, &m);
	assert_true(mrz_is_vietnamese(&m));
	assert_string_equal(m.doc_number, "200012345");
	assert_string_equal(m.id_number, "001200012345");
	date_to_iso(&m.birth, iso);
	assert_string_equal(iso, "2000-02-01");
	date_to_iso(&m.expiry, iso);
	assert_string_equal(iso, "2025-02-01");
	assert_int_equal(mrz_sex(&m), 'M');
	mrz_name(&m, name, sizeof(name));
	assert_string_equal(name, "NGUYEN VAN AN");
	/* BAC key seed input: docno + cd + dob + cd + exp + cd, hand-computed digits above */
	assert_int_equal(mrz_key(&m, key, sizeof(key)), 24);
	assert_string_equal(key, "200012345700020152502014");
	assert_int_equal(mrz_key(&m, key, 24), -CCCD_ENOSPC);
}

static void cccd_td1_negative(void **state)
{
	char l1[] = VN_L1, l2[] = VN_L2, buf[100];

	(void)state;
	/* document number not the last 9 of the ID, all check digits made right */
	memcpy(l1 + 5, "200012346", 9);
	set_cd(l1, 5, 9, 14);
	td1_set_composite(l1, l2);
	join3(buf, sizeof(buf), l1, l2, VN_L3);
	parse_fails(buf, -CCCD_ECHECK,
		    "line 1 col 14: document number differs from the last 9 digits of the ID "
		    "number (col 27)");
	/* ID check digit wrong, composite made right */
	strcpy(l1, VN_L1);
	strcpy(l2, VN_L2);
	l1[29] = '9';
	td1_set_composite(l1, l2);
	join3(buf, sizeof(buf), l1, l2, VN_L3);
	parse_fails(buf, -CCCD_ECHECK, "line 1 col 30: check digit '9', computed 8 (ID number)");
	/* no "<<" after the ID */
	strcpy(l1, VN_L1);
	strcpy(l2, VN_L2);
	l1[28] = '1';
	td1_set_composite(l1, l2);
	join3(buf, sizeof(buf), l1, l2, VN_L3);
	parse_fails(buf, -CCCD_EFORMAT, "line 1 col 29: CCCD expects '<<' after the ID number");
	/* a letter in the ID */
	strcpy(l1, VN_L1);
	strcpy(l2, VN_L2);
	l1[17] = 'A';
	td1_set_composite(l1, l2);
	join3(buf, sizeof(buf), l1, l2, VN_L3);
	parse_fails(buf, -CCCD_EFORMAT, "line 1 col 18: CCCD ID number must be digits");
	/* the plain composite failure of the good vector */
	parse_fails(VN_L1 "\n0002015M2502014VNM<<<<<<<<<<<3\n" VN_L3, -CCCD_ECHECK,
		    "line 2 col 30: check digit '3', computed 2 (composite)");
}

static void framing(void **state)
{
	struct mrz m;
	const char *canon = VN_L1 "\n" VN_L2 "\n" VN_L3;

	(void)state;
	parse_ok(VN_L1 "\r\n" VN_L2 "\n" VN_L3 "\r\n", canon, &m);
	parse_fails(VN_L1 "\n" VN_L2 "\n" VN_L3 "\n\n", -CCCD_EFORMAT, "line 4: more than 3 lines");
	parse_fails(VN_L1 "\n" VN_L2 "\n" VN_L3 "\n" VN_L3, -CCCD_EFORMAT,
		    "line 4: more than 3 lines");
	parse_fails(VN_L1 "\n" VN_L2, -CCCD_EFORMAT, "2 lines, expected 3 (TD1)");
	parse_fails(TD3_L1 "\n" TD3_L2 "\n" TD3_L2, -CCCD_EFORMAT, "3 lines, expected 2 (TD3)");
	parse_fails("", -CCCD_EFORMAT, "empty input");
	parse_fails("\n", -CCCD_EFORMAT,
		    "line 1: 0 characters, expected 30 (TD1), 36 (TD2) or 44 (TD3)");
	parse_fails("IDVNM200012345700120001234<<8\n" VN_L2 "\n" VN_L3, -CCCD_EFORMAT,
		    "line 1: 29 characters, expected 30 (TD1), 36 (TD2) or 44 (TD3)");
	parse_fails(VN_L1 "\n" VN_L2 "<\n" VN_L3, -CCCD_EFORMAT,
		    "line 2: 31 characters, expected 30 (TD1)");
	parse_fails(VN_L1 "\n" VN_L2 "\n" VN_L3 "<<<<<<<<<<<<<<<", -CCCD_EFORMAT,
		    "line 3: longer than 44 characters");
	parse_fails("IDvNM2000123457001200012345<<8\n" VN_L2 "\n" VN_L3, -CCCD_EFORMAT,
		    "line 1 col 3: invalid character 'v' (MRZ uses A-Z 0-9 <)");
	parse_fails(VN_L1 "\n" VN_L2 "\nNGUYEN<<VAN AN<<<<<<<<<<<<<<<<", -CCCD_EFORMAT,
		    "line 3 col 12: invalid byte 0x20 (MRZ uses A-Z 0-9 <)");
	parse_fails(VN_L1 "\r" VN_L2, -CCCD_EFORMAT,
		    "line 1 col 31: invalid byte 0x0D (MRZ uses A-Z 0-9 <)");
	parse_fails(VN_L1 "\n\n" VN_L2, -CCCD_EFORMAT, "line 2: 0 characters, expected 30 (TD1)");
}

static void nul_byte_and_null_args(void **state)
{
	static const uint8_t nul[] = {'I', 'D', 0, 'N'};
	struct cccd_err e = {0};
	struct mrz m;

	(void)state;
	assert_int_equal(mrz_parse(nul, sizeof(nul), &today, &m, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "line 1 col 3: invalid byte 0x00 (MRZ uses A-Z 0-9 <)");
	assert_int_equal(mrz_parse(nul, sizeof(nul), NULL, &m, &e), -CCCD_EINVAL);
	assert_int_equal(mrz_parse(NULL, 0, &today, &m, NULL), -CCCD_EFORMAT);
}

static void field_classes(void **state)
{
	(void)state;
	parse_fails("I<UTOD231458907<<<<<<<<<<<<<<<\n7408122Q1204159UTO<<<<<<<<<<<6\n" TD1_L3,
		    -CCCD_EFORMAT, "line 2 col 8: 'Q' in sex, expected M, F, X or <");
	parse_fails(TD1_L1 "\n74O8122F1204159UTO<<<<<<<<<<<6\n" TD1_L3, -CCCD_EFORMAT,
		    "line 2 col 3: 'O' in birth date, expected 0-9");
	parse_fails(TD1_L1 "\n" TD1_L2 "\nERIKSS0N<<ANNA<MARIA<<<<<<<<<<", -CCCD_EFORMAT,
		    "line 3 col 7: '0' in name, expected A-Z or <");
	parse_fails("I<UT0D231458907<<<<<<<<<<<<<<<\n" TD1_L2 "\n" TD1_L3, -CCCD_EFORMAT,
		    "line 1 col 5: '0' in issuing state, expected A-Z or <");
	parse_fails("P<UTOD231458907<<<<<<<<<<<<<<<\n" TD1_L2 "\n" TD1_L3, -CCCD_EFORMAT,
		    "line 1 col 1: 'P' in document code, expected A, C or I");
	parse_fails(TD1_L1 "\n7408122F120415AUTO<<<<<<<<<<<6\n" TD1_L3, -CCCD_EFORMAT,
		    "line 2 col 15: 'A' in expiry date, expected a check digit");
}

/* Birth: the latest date not after today; expiry: 20YY. */
static void dates_and_centuries(void **state)
{
	char l1[] = VN_L1, l2[] = VN_L2, buf[100], iso[DATE_ISO_LEN];
	static const struct {
		const char *birth, *expiry, *want_birth, *want_expiry;
	} v[] = {
	    {"261128", "991231", "2026-11-28", "2099-12-31"}, /* born today */
	    {"261129", "000101", "1926-11-29", "2000-01-01"}, /* tomorrow -> last century */
	    {"000229", "280229", "2000-02-29", "2028-02-29"}, /* leap days */
	};
	struct mrz m;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memcpy(l2, v[i].birth, 6);
		memcpy(l2 + 8, v[i].expiry, 6);
		set_cd(l2, 0, 6, 6);
		set_cd(l2, 8, 6, 14);
		td1_set_composite(l1, l2);
		join3(buf, sizeof(buf), l1, l2, VN_L3);
		parse_ok(buf, buf, &m);
		date_to_iso(&m.birth, iso);
		assert_string_equal(iso, v[i].want_birth);
		date_to_iso(&m.expiry, iso);
		assert_string_equal(iso, v[i].want_expiry);
	}
	/* 29 Feb in a common year, with its check digits right */
	memcpy(l2, "010229", 6);
	set_cd(l2, 0, 6, 6);
	td1_set_composite(l1, l2);
	join3(buf, sizeof(buf), l1, l2, VN_L3);
	parse_fails(buf, -CCCD_EFORMAT, "line 2 col 1: birth date is not a calendar date");
	memcpy(l2, "000201", 6);
	memcpy(l2 + 8, "251301", 6);
	set_cd(l2, 0, 6, 6);
	set_cd(l2, 8, 6, 14);
	td1_set_composite(l1, l2);
	join3(buf, sizeof(buf), l1, l2, VN_L3);
	parse_fails(buf, -CCCD_EFORMAT, "line 2 col 9: expiry date is not a calendar date");
}

static void names(void **state)
{
	static const struct {
		const char *l3, *primary, *secondary, *joined;
	} v[] = {
	    {"NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<", "NGUYEN", "VAN AN", "NGUYEN VAN AN"},
	    {"NGUYENVANANXXXXXXXXXXXXXXXXXXX", "NGUYENVANANXXXXXXXXXXXXXXXXXXX", "",
	     "NGUYENVANANXXXXXXXXXXXXXXXXXXX"},
	    {"<<AN<<<<<<<<<<<<<<<<<<<<<<<<<<", "", "AN", "AN"},
	    {"TRAN<THI<<<<<<<<<<<<<<<<<<<<<<", "TRAN THI", "", "TRAN THI"},
	    {"LE<<<B<<<<<<<<<<<<<<<<<<<<<<<<", "LE", " B", "LE  B"},
	};
	char buf[100], joined[80];
	struct mrz m;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		join3(buf, sizeof(buf), VN_L1, VN_L2, v[i].l3);
		parse_ok(buf, buf, &m);
		assert_string_equal(m.primary, v[i].primary);
		assert_string_equal(m.secondary, v[i].secondary);
		mrz_name(&m, joined, sizeof(joined));
		assert_string_equal(joined, v[i].joined);
	}
	mrz_name(&m, joined, 3);
	assert_string_equal(joined, "LE");
}

static void sex_unspecified(void **state)
{
	char l2[] = VN_L2, buf[100];
	struct mrz m;

	(void)state;
	l2[7] = '<';
	join3(buf, sizeof(buf), VN_L1, l2, VN_L3);
	parse_ok(buf, buf, &m); /* sex is not under the composite */
	assert_int_equal(m.sex, '<');
	assert_int_equal(mrz_sex(&m), 'X');
}

/* ICAO 9303-11 Appendix D.2: MRZ information "L898902C<369080619406236". */
static void key_icao_appendix_d(void **state)
{
	struct mrz m = {.format = MRZ_TD3, .doc_number = "L898902C"};
	char key[MRZ_KEY_MAX + 1];

	(void)state;
	m.birth = (struct cccd_date){1969, 8, 6};
	m.expiry = (struct cccd_date){1994, 6, 23};
	assert_int_equal(mrz_key(&m, key, sizeof(key)), 24);
	assert_string_equal(key, "L898902C<369080619406236");
	/* negative twin: a 9-character number has no filler and another check digit */
	strcpy(m.doc_number, "L898902C3");
	mrz_key(&m, key, sizeof(key));
	assert_string_equal(key, "L898902C3669080619406236");
}

/* A card without expiry prints <<<<<< (check digit 0, computed independently in Python); the
 * key keeps the fillers, the render gives the same lines; a partly filled date stays an error. */
static void no_expiry_fillers(void **state)
{
	const char *l1 = "IDVNM2000123457001200012345<<8";
	const char *l3 = "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<";
	char text[128], key[64];
	struct mrz m;

	(void)state;
	join3(text, sizeof(text), l1, "0002015M<<<<<<0VNM<<<<<<<<<<<6", l3);
	parse_ok(text, text, &m);
	assert_true(m.no_expiry);
	assert_int_equal(mrz_key(&m, key, sizeof(key)), 24);
	assert_string_equal(key, "20001234570002015<<<<<<0");
	join3(text, sizeof(text), l1, "0002015M25<<<<0VNM<<<<<<<<<<<6", l3);
	parse_fails(text, -CCCD_EFORMAT, "line 2 col 11: '<' in expiry date, expected 0-9");
	join3(text, sizeof(text), l1, "0002015M2502014VNM<<<<<<<<<<<2", l3);
	parse_ok(text, text, &m);
	assert_false(m.no_expiry);
}

static void render_bounds(void **state)
{
	struct mrz m;
	char r[MRZ_TEXT_MAX];

	(void)state;
	parse_ok(TD3_L1 "\n" TD3_L2, TD3_L1 "\n" TD3_L2, &m);
	assert_int_equal(mrz_render(&m, r, 89), -CCCD_ENOSPC);
	assert_int_equal(mrz_render(&m, r, 90), 89);
	m.format = (enum mrz_format)0;
	assert_int_equal(mrz_render(&m, r, sizeof(r)), -CCCD_EINVAL);
	assert_string_equal(mrz_format_name((enum mrz_format)7), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(check_digit_icao_examples),
	    cmocka_unit_test(td1_specimen),
	    cmocka_unit_test(td1_specimen_negative),
	    cmocka_unit_test(td2_specimen),
	    cmocka_unit_test(td2_specimen_negative),
	    cmocka_unit_test(td3_specimen),
	    cmocka_unit_test(td3_specimen_negative),
	    cmocka_unit_test(td3_empty_personal_number),
	    cmocka_unit_test(td1_long_number),
	    cmocka_unit_test(td2_long_number),
	    cmocka_unit_test(cccd_td1),
	    cmocka_unit_test(cccd_td1_negative),
	    cmocka_unit_test(framing),
	    cmocka_unit_test(nul_byte_and_null_args),
	    cmocka_unit_test(field_classes),
	    cmocka_unit_test(dates_and_centuries),
	    cmocka_unit_test(names),
	    cmocka_unit_test(sex_unspecified),
	    cmocka_unit_test(key_icao_appendix_d),
	    cmocka_unit_test(no_expiry_fillers),
	    cmocka_unit_test(render_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
