/* SPDX-License-Identifier: MIT */
/*
 * test_mrzloc_decode.c - from per-class costs to MRZ lines: the layout (digit-only positions,
 * fixed IDVNM on a CCCD), the check-digit repair (ICAO 9303-3 §4.9) taking the runner-up that
 * makes a field pass, and its negative twin where no runner-up can; the name field's structure
 * (name, then fillers only) and its twin; no optional data on a CCCD's line 2 (twin: ICAO's
 * Utopia specimen keeps it); a check digit vouches only against characters of another value mod
 * 10; a fillers-only name and a one-frame ill-fitting letter are not complete. Costs are made
 * here from a
 * known MRZ (FIELD-NOTES' CCCD layout): 0.1 for the true class, 0.6 for the others.
 * PII: synthetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vision/mrzloc_priv.h"

static const char mrz[] = "IDVNM1869609735079186960973<<5\n" /* mrzgen seed 20261128 doc 0 */
			  "8610049F5410042VNM<<<<<<<<<<<8\n"
			  "HUYNH<<NGOC<ANH<<<<<<<<<<<<<<<";
static const struct cccd_date today = {2026, 11, 28};

static void costs_of(const char *text, struct mrzloc_costs *k)
{
	memset(k, 0, sizeof(*k));
	k->nlines = 3, k->nchars = 30, k->frames = 1;
	for (int l = 0; l < 3; l++)
		for (int i = 0; i < 30; i++)
			for (int q = 0; q < OCRB_NCLASS; q++)
				k->c[l][i][q] = ocrb_char_of(q) == text[l * 31 + i] ? 0.1f : 0.6f;
}

static void set(struct mrzloc_costs *k, int l, int i, char c, float v)
{
	k->c[l][i][ocrb_class_of(c)] = v;
}

static void clean_costs_decode_exactly(void **state)
{
	struct mrzloc_costs k;
	struct mrzloc_result r = {0};

	(void)state;
	costs_of(mrz, &k);
	mrzloc_decode(&k, &today, &r);
	assert_true(r.valid);
	assert_true(r.complete);
	assert_string_equal(r.text, mrz);
	assert_int_equal(r.nfix, 0);
	assert_int_equal(r.checks, 5); /* doc number, ID, birth, expiry, composite */
	assert_int_equal(r.checks_read, 5);
	assert_string_equal(r.mrz.id_number, "079186960973");
}

/* 'O' read at a digit-only position (birth date) and 'O' for the D of IDVNM: the layout puts
 * back '0' and 'D' before any check digit is consulted. */
static void layout_fixes_letters_in_digit_fields(void **state)
{
	struct mrzloc_costs k;
	struct mrzloc_result r = {0};

	(void)state;
	costs_of(mrz, &k);
	set(&k, 1, 3, 'O', 0.05f);
	set(&k, 0, 1, 'O', 0.05f);
	mrzloc_decode(&k, &today, &r);
	assert_true(r.valid);
	assert_string_equal(r.text, mrz);
	assert_int_equal(r.nfix, 0);
}

/* Line 1 col 8: '8' read over the true '6' (runner-up): the document-number check digit fails
 * as read, and the repair takes the runner-up. */
static void check_digit_repairs_a_confusion(void **state)
{
	struct mrzloc_costs k;
	struct mrzloc_result r = {0};

	(void)state;
	costs_of(mrz, &k);
	set(&k, 0, 7, '8', 0.05f);
	mrzloc_decode(&k, &today, &r);
	assert_true(r.valid);
	assert_string_equal(r.text, mrz);
	assert_int_equal(r.nfix, 1);
	assert_true(r.checks_read < r.checks);
}

/* Negative twin: the true '6' is only the fourth choice; no runner-up of any position makes the
 * document-number check pass, so the cost-based repair changes nothing there. Only the CCCD's
 * own redundancy puts the '6' back (mrz_repair: the 9-digit number is the last 9 digits of the
 * 12-digit ID, whose check digit passes), and the doubtful glyph keeps the read from complete. */
static void check_digit_cannot_invent(void **state)
{
	struct mrzloc_costs k;
	struct mrzloc_result r = {0};

	(void)state;
	costs_of(mrz, &k);
	set(&k, 0, 7, '8', 0.05f);
	set(&k, 0, 7, '5', 0.07f);
	set(&k, 0, 7, '0', 0.08f);
	set(&k, 0, 7, '6', 0.5f);
	mrzloc_decode(&k, &today, &r);
	assert_true(r.valid);
	assert_false(r.complete);
	assert_true(r.confidence < MRZLOC_MIN_CONF);
	assert_string_equal(r.text, mrz);
	assert_int_equal(r.nfix, 1); /* the agreement's, not a check-digit repair's */
}

/* The look-alike repair's change is scored by the classifier: '8' read cleanly at line 1 col 8
 * (0.05), the true '6' no closer than any other class (0.6). No runner-up is plausible, so only
 * mrz_repair's CCCD agreement (the ID's last 9 digits, whose check passes) puts the '6' back. The
 * classifier all but rules '6' out there, so the read is valid but not complete: before
 * 2026-11-28 it kept the confidence of the '8' it no longer holds, and was complete. */
static void lookalike_repair_takes_new_class_confidence(void **state)
{
	struct mrzloc_costs k;
	struct mrzloc_result r = {0};

	(void)state;
	costs_of(mrz, &k);
	set(&k, 0, 7, '8', 0.05f);
	set(&k, 0, 7, '6', 0.6f);
	mrzloc_decode(&k, &today, &r);
	assert_true(r.valid);
	assert_string_equal(r.text, mrz);
	assert_int_equal(r.nfix, 1);
	assert_int_equal(r.checks_read, 3); /* document number and composite fail as read */
	assert_true(r.confidence < MRZLOC_MIN_CONF);
	assert_false(r.complete);
}

/* Negative twin of the repair: the card itself prints a wrong birth check digit (line 2 col 7,
 * '9' -> '1'), every glyph read cleanly. No single plausible confusion explains it (each
 * runner-up costs 0.5 more than what was read), so nothing is changed to make the birth and
 * composite checks pass (no birth digit turned, no filler turned into data): the read is what
 * is printed, invalid, not complete. */
static void wrong_printed_check_digit_stays(void **state)
{
	char bad[sizeof(mrz)];
	struct mrzloc_costs k;
	struct mrzloc_result r = {0};

	(void)state;
	memcpy(bad, mrz, sizeof(mrz));
	bad[31 + 6] = '1';
	costs_of(bad, &k);
	mrzloc_decode(&k, &today, &r);
	assert_false(r.valid);
	assert_false(r.complete);
	assert_string_equal(r.text, bad);
	assert_int_equal(r.nfix, 0);
	assert_int_equal(r.checks_read, 3); /* birth and composite fail */
}

/* Names carry no check digit: a near tie in line 3 keeps the read valid but not complete. */
static void weak_name_is_not_complete(void **state)
{
	struct mrzloc_costs k;
	struct mrzloc_result r = {0};

	(void)state;
	costs_of(mrz, &k);
	set(&k, 2, 12, 'B', 0.1f); /* ANH: 'A' and 'B' tie */
	mrzloc_decode(&k, &today, &r);
	assert_true(r.valid);
	assert_false(r.complete);
	assert_true(r.confidence < MRZLOC_MIN_CONF);
}

/* Stray ink past the name (a card edge at the line's end) reads as a cheap 'C' at col 28: the
 * name field is the name then fillers only, so it decodes as '<'. */
static void name_tail_is_fillers(void **state)
{
	struct mrzloc_costs k;
	struct mrzloc_result r = {0};

	(void)state;
	costs_of(mrz, &k);
	set(&k, 2, 28, 'C', 0.05f);
	mrzloc_decode(&k, &today, &r);
	assert_true(r.valid);
	assert_string_equal(r.text, mrz);
}

/* Its twin: the same 'C' right after a single '<' inside the name (col 12, the A of ANH) is a
 * name letter and stays. */
static void name_letter_after_one_filler_stays(void **state)
{
	struct mrzloc_costs k;
	struct mrzloc_result r = {0};

	(void)state;
	costs_of(mrz, &k);
	set(&k, 2, 12, 'C', 0.05f);
	mrzloc_decode(&k, &today, &r);
	assert_true(r.valid);
	assert_int_equal(r.text[2 * 31 + 12], 'C');
}

/* ICAO 9303-5 Appendix A's TD1 specimen (Utopia): not a CCCD. */
static const char utopia[] = "I<UTOD231458907<<<<<<<<<<<<<<<\n"
			     "7408122F1204159UTO<<<<<<<<<<<6\n"
			     "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";

/* A CCCD carries no optional data on line 2: a stray mark read as a cheap K at col 18 (K weighs
 * 0 mod 10 like '<', so the composite check cannot catch it) decodes as '<'. */
static void cccd_line2_has_no_optional_data(void **state)
{
	struct mrzloc_costs k;
	struct mrzloc_result r = {0};

	(void)state;
	costs_of(mrz, &k);
	set(&k, 1, 18, 'K', 0.05f);
	mrzloc_decode(&k, &today, &r);
	assert_true(r.complete);
	assert_string_equal(r.text, mrz);
}

/* Its twin: the same K on another state's card is optional data, read as such, and the check
 * digits pass with it (which is why they cannot vouch for it: next test). */
static void other_td1_keeps_optional_data(void **state)
{
	struct mrzloc_costs k;
	struct mrzloc_result r = {0};

	(void)state;
	costs_of(utopia, &k);
	set(&k, 1, 18, 'K', 0.05f);
	mrzloc_decode(&k, &today, &r);
	assert_true(r.valid);
	assert_int_equal(r.text[31 + 18], 'K');
}

/* ICAO 9303-3 §4.9: D weighs 13 and N 23, the same mod 10, so the document-number check digit
 * passes either way and cannot vouch for the D against a near-tie N: not complete. Twin: a
 * near-tie E (14) would fail the check, which vouches for the D: complete. */
static void check_digit_blind_to_same_value_mod_10(void **state)
{
	struct mrzloc_costs k;
	struct mrzloc_result r = {0};

	(void)state;
	costs_of(utopia, &k);
	set(&k, 0, 5, 'N', 0.11f);
	mrzloc_decode(&k, &today, &r);
	assert_true(r.valid);
	assert_int_equal(r.text[5], 'D');
	assert_false(r.complete);
	costs_of(utopia, &k);
	set(&k, 0, 5, 'E', 0.11f);
	mrzloc_decode(&k, &today, &r);
	assert_true(r.complete);
	assert_int_equal(r.text[5], 'D');
}

/* A name line of fillers only (misplaced line, washed-out name) is never complete: every holder
 * has a primary identifier. */
static void no_name_is_not_complete(void **state)
{
	struct mrzloc_costs k;
	struct mrzloc_result r = {0};
	char text[sizeof(mrz)];

	(void)state;
	memcpy(text, mrz, sizeof(mrz));
	memset(text + 62, '<', 30);
	costs_of(text, &k);
	mrzloc_decode(&k, &today, &r);
	assert_true(r.valid);
	assert_false(r.complete);
	assert_true(r.confidence == 0);
}

/* One frame, a name letter that fits no class well (cost 0.5, every other class 0.9: far from
 * its runner-up, yet no clean glyph): doubtful. Twin: two frames agreeing on it (costs summed)
 * are evidence enough. */
static void ill_fitting_letter_needs_a_second_frame(void **state)
{
	struct mrzloc_costs k;
	struct mrzloc_result r = {0};

	(void)state;
	costs_of(mrz, &k);
	for (int q = 0; q < OCRB_NCLASS; q++)
		k.c[2][0][q] = 0.9f;
	set(&k, 2, 0, 'H', 0.5f);
	mrzloc_decode(&k, &today, &r);
	assert_true(r.valid);
	assert_string_equal(r.text, mrz);
	assert_false(r.complete);
	for (int l = 0; l < 3; l++)
		for (int i = 0; i < 30; i++)
			for (int q = 0; q < OCRB_NCLASS; q++)
				k.c[l][i][q] *= 2;
	k.frames = 2;
	mrzloc_decode(&k, &today, &r);
	assert_true(r.complete);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(clean_costs_decode_exactly),
	    cmocka_unit_test(layout_fixes_letters_in_digit_fields),
	    cmocka_unit_test(check_digit_repairs_a_confusion),
	    cmocka_unit_test(check_digit_cannot_invent),
	    cmocka_unit_test(lookalike_repair_takes_new_class_confidence),
	    cmocka_unit_test(wrong_printed_check_digit_stays),
	    cmocka_unit_test(weak_name_is_not_complete),
	    cmocka_unit_test(name_tail_is_fillers),
	    cmocka_unit_test(name_letter_after_one_filler_stays),
	    cmocka_unit_test(cccd_line2_has_no_optional_data),
	    cmocka_unit_test(other_td1_keeps_optional_data),
	    cmocka_unit_test(check_digit_blind_to_same_value_mod_10),
	    cmocka_unit_test(no_name_is_not_complete),
	    cmocka_unit_test(ill_fitting_letter_needs_a_second_frame),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
