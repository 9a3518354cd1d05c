/* SPDX-License-Identifier: MIT */
/*
 * mrz.h - machine readable zones (ICAO 9303-3/4/5/6): TD1 (3x30), TD2 (2x36), TD3 (2x44), check
 * digits, field extraction, the Vietnamese CCCD TD1 layout and the BAC key seed input; plus the
 * OCR repair helper (mrz_repair.c).
 *
 * Input is the lines alone, separated by \n or \r\n, with at most one trailing newline; characters
 * are A-Z, 0-9 and the filler '<'. Errors name the line and column (1-based):
 *   "line 1 col 15: check digit '3', computed 7 (document number)".
 *
 * CCCD (TD1, `IDVNM`): line 1 = IDVNM + doc number (last 9 digits of the 12-digit ID) + cd +
 * the 12-digit ID + `<<` + cd(ID), e.g. `IDVNM2000123457001200012345<<8` (FIELD-NOTES.md).
 */
#ifndef CCCD_DOC_MRZ_H
#define CCCD_DOC_MRZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "doc/date.h"

enum mrz_format { MRZ_TD1 = 1, MRZ_TD2, MRZ_TD3 };

#define MRZ_LINES_MAX 3
#define MRZ_WIDTH_MAX 44
#define MRZ_DOCNO_MAX 23 /* TD1: 9 in place + 14 overflowing into the optional data */
#define MRZ_NAME_MAX  39 /* TD3 name field */
#define MRZ_KEY_MAX   (MRZ_DOCNO_MAX + 1 + 7 + 7)
#define MRZ_TEXT_MAX  96 /* rendered lines joined by '\n', plus NUL */

/* The lines of a candidate MRZ, split and sized but not yet checked field by field. */
struct mrz_text {
	enum mrz_format format;
	int nlines;
	int width;
	char line[MRZ_LINES_MAX][MRZ_WIDTH_MAX + 1]; /* NUL-terminated */
};

struct mrz {
	enum mrz_format format;
	char doc_code[3];		    /* "ID", "I<", "P<" */
	char issuer[4];			    /* as printed, fillers kept ("D<<") */
	char doc_number[MRZ_DOCNO_MAX + 1]; /* trailing fillers removed, long numbers joined */
	char optional1[16]; /* TD1 line 1 optional data after any number overflow, as printed */
	char optional2[15]; /* line 2 optional data (TD3: personal number), as printed */
	char optional2_cd;  /* TD3 personal number check digit as printed ('<' when empty) */
	struct cccd_date birth;
	struct cccd_date expiry;	  /* zero when no_expiry */
	bool no_expiry; /* expiry printed as <<<<<< (a card without expiry; see docs/formats/mrz.md) */
	char sex;			  /* as printed: 'M', 'F', 'X' or '<' */
	char nationality[4];		  /* as printed */
	char primary[MRZ_NAME_MAX + 1];	  /* primary identifier, '<' -> ' ' */
	char secondary[MRZ_NAME_MAX + 1]; /* secondary identifier, '<' -> ' ' */
	char id_number[13];		  /* CCCD: the 12-digit ID; empty for other documents */
};

/* Write the expiry as the MRZ prints it: YYMMDD, or <<<<<< for a card without expiry. */
void mrz_expiry_yymmdd(const struct mrz *m, char out[7]);

/* ICAO 9303-3 §4.9 check digit (weights 7-3-1, '<' = 0, A = 10 .. Z = 35) of s[0..n); 0..9, or -1
 * when s holds a character outside A-Z 0-9 '<'. */
int mrz_check_digit(const char *s, size_t n);

/* Split buf into lines and pick the format by their count and width; no field checks.
 * 0 or -CCCD_EFORMAT naming the line (and column for a bad character). */
int mrz_split(const uint8_t *buf, size_t len, struct mrz_text *out, struct cccd_err *err);

/* Parse and check one MRZ; today resolves the birth century. 0, or -CCCD_EFORMAT (syntax, date) /
 * -CCCD_ECHECK (check digit, CCCD consistency) with line and column; *out is unspecified then. */
int mrz_parse(const uint8_t *buf, size_t len, const struct cccd_date *today, struct mrz *out,
	      struct cccd_err *err);

/* Write the MRZ lines back from the fields ('\n' between lines, no trailing newline, NUL).
 * Length written, or -CCCD_ENOSPC. */
int mrz_render(const struct mrz *m, char *out, size_t outlen);

/* BAC key seed input (ICAO 9303-11 §9.7.1): document number (padded to 9 with '<') + cd + birth
 * YYMMDD + cd + expiry YYMMDD + cd. Length written, or -CCCD_ENOSPC. */
int mrz_key(const struct mrz *m, char *out, size_t outlen);

/* "PRIMARY SECONDARY" (single spaces as in the MRZ), NUL-terminated; truncated to outlen. */
void mrz_name(const struct mrz *m, char *out, size_t outlen);

/* Sex for the RESULT: 'M', 'F' or 'X' (unspecified '<'). */
char mrz_sex(const struct mrz *m);

/* "TD1", "TD2", "TD3" or "?". */
const char *mrz_format_name(enum mrz_format f);

/* True for a Vietnamese CCCD: TD1 with document code "ID" issued by "VNM". */
bool mrz_is_vietnamese(const struct mrz *m);

/* True when the document number continued into the optional data (TD1/TD2, ICAO 9303-5 note j). */
bool mrz_has_long_number(const struct mrz *m);

/* --- repair (mrz_repair.c) --- */

#define MRZ_FIX_MAX (MRZ_LINES_MAX * 30) /* every position of the largest MRZ (TD1: 90) */

struct mrz_fix {
	uint8_t line; /* 1-based */
	uint8_t col;  /* 1-based */
	char was;     /* character read */
	char now;     /* character written */
};

struct mrz_repair {
	char text[MRZ_TEXT_MAX]; /* the lines after repair, '\n'-separated, NUL-terminated */
	unsigned nfix;		 /* characters changed */
	struct mrz_fix fix[MRZ_FIX_MAX];
};

/* Correct OCR confusions (O/0, I/1, B/8, S/5, Z/2, G/6; K X C E S L -> '<' in trailing name fillers)
 * in an MRZ read by a camera: by field type (digit-only and letter-only positions), then the CCCD
 * number/ID agreement, then check digits (one look-alike at a time in a failing field, taken only
 * when exactly one candidate passes). Framing is not repaired. An input that already parses is
 * returned unchanged with nfix = 0. 0 when rep->text parses; else the mrz_parse error of the best
 * effort, which is left in rep (rep->text is empty when the framing itself was rejected). */
int mrz_repair(const uint8_t *buf, size_t len, const struct cccd_date *today,
	       struct mrz_repair *rep, struct cccd_err *err);

#endif
