/* SPDX-License-Identifier: MIT */
/*
 * test_mrz_repair.c - daemon/doc/mrz_repair.c: the type, filler, CCCD and check-digit passes, the
 * report of what changed, refusal when ambiguous, and the promise that a valid MRZ is never
 * changed (checked over every single-character variant of the ICAO and CCCD vectors).
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

#define TD1                                                                                        \
	"I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<" \
	"<<<<<<"
#define TD3                                                                                        \
	"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<" \
	"10"
#define VN                                                                                         \
	"IDVNM2000123457001200012345<<8\n0002015M2502014VNM<<<<<<<<<<<2\nNGUYEN<<VAN<AN<<<<<<<<<<" \
	"<<<<<<"

static int repair(const char *s, struct mrz_repair *rep, struct cccd_err *e)
{
	return mrz_repair((const uint8_t *)s, strlen(s), &today, rep, e);
}

static void assert_fix(const struct mrz_repair *rep, unsigned i, int line, int col, char was,
		       char now)
{
	assert_true(i < rep->nfix);
	assert_int_equal(rep->fix[i].line, line);
	assert_int_equal(rep->fix[i].col, col);
	assert_int_equal(rep->fix[i].was, was);
	assert_int_equal(rep->fix[i].now, now);
}

static void valid_input_unchanged(void **state)
{
	static const char *const v[] = {TD1, TD3, VN, VN "\r\n"};
	struct mrz_repair rep;
	struct cccd_err e = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(repair(v[i], &rep, &e), 0);
		assert_int_equal(rep.nfix, 0);
		assert_int_equal(strncmp(rep.text, v[i], strlen(rep.text)), 0);
	}
	/* 'K' = 20 weighs 0 mod 10 like '<': a K in TD1 optional data is valid and stays */
	assert_int_equal(repair("I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<K<<<6\n"
				"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
				&rep, &e),
			 0);
	assert_int_equal(rep.nfix, 0);
	assert_non_null(strstr(rep.text, "UTO<<<<<<<K<<<6"));
}

/* Every single-character variant that is itself a valid MRZ comes back exactly as given. */
static void never_rewrites_a_valid_variant(void **state)
{
	static const char *const base[] = {TD1, TD3, VN};
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
	struct mrz_repair rep;
	struct mrz m;
	int valid = 0;

	(void)state;
	for (size_t b = 0; b < 3; b++) {
		size_t n = strlen(base[b]);

		for (size_t pos = 0; pos < n; pos++) {
			for (const char *a = alphabet; *a && base[b][pos] != '\n'; a++) {
				char s[100];

				memcpy(s, base[b], n + 1);
				s[pos] = *a;
				if (mrz_parse((const uint8_t *)s, n, &today, &m, NULL))
					continue;
				valid++;
				assert_int_equal(repair(s, &rep, NULL), 0);
				assert_int_equal(rep.nfix, 0);
				assert_string_equal(rep.text, s);
			}
		}
	}
	assert_true(valid > 1000); /* names, sex and fillers carry no check digit */
}

/* Digit-only positions: the letter look-alikes of 0 1 2 5 6 8 come back to the digit, in every
 * date and check digit of the specimen TD3. */
static void type_pass_restores_digits(void **state)
{
	static const char from[] = "012568", to[] = "OIZSGB";
	static const int cols[] = {10, 14, 15, 16, 17, 18, 19, 20, 22,
				   23, 24, 25, 26, 27, 28, 43, 44};
	struct mrz_repair rep;
	int tried = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		char s[] = TD3;
		char *p = strchr(s, '\n') + cols[i];
		const char *k = strchr(from, *p);

		if (!k)
			continue;
		*p = to[k - from];
		assert_int_equal(repair(s, &rep, NULL), 0);
		assert_string_equal(rep.text, TD3);
		assert_int_equal(rep.nfix, 1);
		assert_fix(&rep, 0, 2, cols[i], to[k - from], *k);
		tried++;
	}
	assert_true(tried >= 10);
}

static void type_pass_letters_and_fillers(void **state)
{
	struct mrz_repair rep;

	(void)state;
	/* 1 for I in the document code, 0 for O in the name, K after "<<<" in the name */
	assert_int_equal(repair("1<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\n"
				"ERIKSS0N<<ANNA<MARIA<<<<KK<<<<",
				&rep, NULL),
			 0);
	assert_string_equal(rep.text, TD1);
	assert_int_equal(rep.nfix, 4);
	assert_fix(&rep, 0, 1, 1, '1', 'I');
	assert_fix(&rep, 1, 3, 7, '0', 'O');
	assert_fix(&rep, 2, 3, 25, 'K', '<');
	assert_fix(&rep, 3, 3, 26, 'K', '<');
	/* a single K between name parts is a name (an initial), not a filler */
	assert_int_equal(repair("I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\n"
				"ERIKSSON<<ANNA<K<<<<<<<<<<<<<<",
				&rep, NULL),
			 0);
	assert_int_equal(rep.nfix, 0);
}

static void cccd_noisy_read(void **state)
{
	struct mrz_repair rep;

	(void)state;
	assert_int_equal(repair("1DVNM2OOO12345700120OO12345<K8\nOOO2O15M25O2O14VNM<<<<<<<<<<<2\n"
				"NGUYEN<<VAN<AN<<<<KK<<<<<<<<<<\n",
				&rep, NULL),
			 0);
	assert_string_equal(rep.text, VN);
	assert_int_equal(rep.nfix, 15);
	assert_fix(&rep, 0, 1, 1, '1', 'I');
	assert_fix(&rep, 6, 1, 29, 'K', '<');
	assert_fix(&rep, 14, 3, 20, 'K', '<');
}

/* A misread digit (8 for 5) in the document number: the ID passes its check digit, the number
 * does not, and they differ in one place - the ID's digit is taken. And the mirror case. */
static void cccd_number_from_id(void **state)
{
	struct mrz_repair rep;

	(void)state;
	assert_int_equal(repair("IDVNM2000123487001200012345<<8\n0002015M2502014VNM<<<<<<<<<<<2\n"
				"NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<",
				&rep, NULL),
			 0);
	assert_string_equal(rep.text, VN);
	assert_int_equal(rep.nfix, 1);
	assert_fix(&rep, 0, 1, 14, '8', '5');
	assert_int_equal(repair("IDVNM2000123457001200012348<<8\n0002015M2502014VNM<<<<<<<<<<<2\n"
				"NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<",
				&rep, NULL),
			 0);
	assert_string_equal(rep.text, VN);
	assert_int_equal(rep.nfix, 1);
	assert_fix(&rep, 0, 1, 27, '8', '5');
	/* two differing digits: not a single misread, left alone */
	assert_int_equal(repair("IDVNM2000123887001200012345<<8\n0002015M2502014VNM<<<<<<<<<<<2\n"
				"NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<",
				&rep, NULL),
			 -CCCD_ECHECK);
	assert_int_equal(rep.nfix, 0);
}

static void check_digit_search(void **state)
{
	struct mrz_repair rep;

	(void)state;
	/* TD3 number L8989O2C3: O for 0; of all look-alikes in the number only 0 passes */
	assert_int_equal(repair("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
				"L8989O2C36UTO7408122F1204159ZE184226B<<<<<10",
				&rep, NULL),
			 0);
	assert_string_equal(rep.text, TD3);
	assert_int_equal(rep.nfix, 1);
	assert_fix(&rep, 0, 2, 6, 'O', '0');
}

/* Two look-alikes both satisfy the number's check digit: refuse, leave the number as read. */
static void ambiguous_refused(void **state)
{
	static const char in[] = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
				 "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
	char s[sizeof(in)];
	char num[10];
	struct mrz_repair rep;
	struct cccd_err e = {0};
	int refused = 0;

	(void)state;
	/* Misread each 8, 0, 2 of the number as its look-alike letter, count independently how many
	 * single look-alike changes restore check digit 6, and expect a repair exactly when one
	 * does (then it is the true one: the restoration is always among them). */
	for (int pos = 0; pos < 9; pos++) {
		static const char pairs[][2] = {{'8', 'B'}, {'0', 'O'}, {'2', 'Z'}};

		for (size_t k = 0; k < 3; k++) {
			int passes = 0;

			memcpy(s, in, sizeof(in));
			if (s[45 + pos] != pairs[k][0])
				continue;
			s[45 + pos] = pairs[k][1];
			memcpy(num, s + 45, 9);
			num[9] = '\0';
			if (mrz_check_digit(num, 9) == 6)
				continue; /* still valid */
			/* count how many ways restore check digit 6 with one look-alike */
			for (int q = 0; q < 9; q++) {
				static const char *const alt[] = {
				    "0OQD", "O0", "Q0", "D0", "1IL", "I1", "L1", "2Z", "Z2", "5S",
				    "S5<",  "6G", "G6", "8B", "B8",  "K<", "X<", "C<", "E<"};
				for (size_t r = 0; r < sizeof(alt) / sizeof(alt[0]); r++) {
					if (alt[r][0] != num[q])
						continue;
					for (const char *c = alt[r] + 1; *c; c++) {
						char t[10];

						memcpy(t, num, 10);
						t[q] = *c;
						passes += mrz_check_digit(t, 9) == 6;
					}
				}
			}
			int rc = repair(s, &rep, &e);
			if (passes > 1) {
				refused++;
				assert_int_equal(rc, -CCCD_ECHECK);
				assert_non_null(strstr(e.msg, "line 2 col 10: check digit '6'"));
				assert_int_equal(memcmp(rep.text + 45, num, 9), 0);
			} else {
				assert_int_equal(passes, 1);
				assert_int_equal(rc, 0);
				assert_string_equal(rep.text, in);
			}
		}
	}
	assert_true(refused >= 1);
}

static void framing_not_repaired(void **state)
{
	struct mrz_repair rep;
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(repair("IDVNM2000123457001200012345<<\n", &rep, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg,
			    "line 1: 29 characters, expected 30 (TD1), 36 (TD2) or 44 (TD3)");
	assert_string_equal(rep.text, "");
	assert_int_equal(repair("IDVNM200012345700120001234S<<8\n0002015M2502014VNM<<<<<<<<<<<2\n"
				"nGUYEN<<VAN<AN<<<<<<<<<<<<<<<<",
				&rep, &e),
			 -CCCD_EFORMAT);
	assert_string_equal(e.msg, "line 3 col 1: invalid character 'n' (MRZ uses A-Z 0-9 <)");
	assert_int_equal(mrz_repair((const uint8_t *)TD1, strlen(TD1), NULL, &rep, &e),
			 -CCCD_EINVAL);
}

/* An error no pass can mend: the best effort and the remaining error are reported. */
static void unrepairable_reports_rest(void **state)
{
	struct mrz_repair rep;
	struct cccd_err e = {0};

	(void)state;
	/* birth date 740812 read as 74O8I3: O and I mended, 3 for 2 is not a look-alike */
	assert_int_equal(repair("I<UTOD231458907<<<<<<<<<<<<<<<\n74O8I32F1204159UTO<<<<<<<<<<<6\n"
				"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
				&rep, &e),
			 -CCCD_ECHECK);
	assert_string_equal(e.msg, "line 2 col 7: check digit '2', computed 3 (birth date)");
	assert_int_equal(rep.nfix, 2);
	assert_fix(&rep, 0, 2, 3, 'O', '0');
	assert_fix(&rep, 1, 2, 5, 'I', '1');
	assert_non_null(strstr(rep.text, "\n7408132F"));
}

/* The figures docs/formats/mrz.md quotes: every single-character substitution of the TD3, CCCD
 * and TD1 vectors, split by whether it is a modelled look-alike. Deterministic; if a change to the
 * repair moves them, update the doc with the new figures. */
static bool modelled(char a, char b)
{
	static const char *const pairs[] = {"0O", "0Q", "0D", "1I", "1L", "2Z", "5S",
					    "6G", "8B", "<K", "<X", "<C", "<E", "<S"};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if ((pairs[i][0] == a && pairs[i][1] == b) ||
		    (pairs[i][0] == b && pairs[i][1] == a))
			return true;
	return false;
}

static void substitution_figures(void **state)
{
	static const char *const base[] = {TD3, VN, TD1};
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
	int n[2][4] = {{0}}; /* [modelled][restored, refused, wrong, still valid] */
	struct mrz_repair rep;
	struct mrz m;

	(void)state;
	for (size_t b = 0; b < 3; b++) {
		size_t len = strlen(base[b]);

		for (size_t pos = 0; pos < len; pos++) {
			for (const char *a = alphabet; *a && base[b][pos] != '\n'; a++) {
				char s[100];
				int *k;

				if (base[b][pos] == *a)
					continue;
				memcpy(s, base[b], len + 1);
				s[pos] = *a;
				k = n[modelled(base[b][pos], *a)];
				if (!mrz_parse((const uint8_t *)s, len, &today, &m, NULL))
					k[3]++;
				else if (repair(s, &rep, NULL))
					k[1]++;
				else
					k[strcmp(rep.text, base[b]) ? 2 : 0]++;
			}
		}
	}
	print_message("modelled: restored %d, refused %d, wrong %d, still valid %d\n", n[1][0],
		      n[1][1], n[1][2], n[1][3]);
	print_message("other: restored %d, refused %d, wrong %d, still valid %d\n", n[0][0],
		      n[0][1], n[0][2], n[0][3]);
	assert_int_equal(n[1][0], 299);
	assert_int_equal(n[1][1], 23);
	assert_int_equal(n[1][2], 2);
	assert_int_equal(n[1][3], 335);
	assert_int_equal(n[0][0], 608);
	assert_int_equal(n[0][1], 4213);
	assert_int_equal(n[0][2], 1127);
	assert_int_equal(n[0][3], 3041);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(valid_input_unchanged),
	    cmocka_unit_test(never_rewrites_a_valid_variant),
	    cmocka_unit_test(type_pass_restores_digits),
	    cmocka_unit_test(type_pass_letters_and_fillers),
	    cmocka_unit_test(cccd_noisy_read),
	    cmocka_unit_test(cccd_number_from_id),
	    cmocka_unit_test(check_digit_search),
	    cmocka_unit_test(ambiguous_refused),
	    cmocka_unit_test(framing_not_repaired),
	    cmocka_unit_test(unrepairable_reports_rest),
	    cmocka_unit_test(substitution_figures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
