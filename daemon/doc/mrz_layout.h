/* SPDX-License-Identifier: MIT */
/*
 * mrz_layout.h - private to mrz.c and mrz_repair.c: where each field of TD1/TD2/TD3 sits
 * (ICAO 9303-5 §4.2.2 TD1, 9303-6 §4.2.2 TD2, 9303-4 §4.2.2 TD3) and what characters it takes.
 */
#ifndef CCCD_DOC_MRZ_LAYOUT_H
#define CCCD_DOC_MRZ_LAYOUT_H

#include <stdint.h>

#include "doc/mrz.h"

enum mrz_cls {
	MRZ_C_ALPHA,  /* A-Z or '<' (states, names, second letter of the document code) */
	MRZ_C_ALNUM,  /* A-Z, 0-9 or '<' (document number, optional data) */
	MRZ_C_DIGIT,  /* 0-9 (dates) */
	MRZ_C_CD,     /* a check digit: 0-9, '<' only where the layout allows it */
	MRZ_C_SEX,    /* M, F, X or '<' */
	MRZ_C_KIND,   /* first letter of the document code: A C I (TD1/TD2) or P (TD3) */
	MRZ_C_FILLER, /* '<' only (used by the repair for the CCCD's "<<" after the ID) */
};

/* The fields of all three formats; a format lacks some (span line 0). */
enum mrz_field {
	MRZ_F_KIND,	/* document code, first letter */
	MRZ_F_CODE2,	/* document code, second letter */
	MRZ_F_ISSUER,	/* issuing state or organisation */
	MRZ_F_NAME,	/* primary<<secondary */
	MRZ_F_DOCNO,	/* document number (first 9 characters) */
	MRZ_F_DOCNO_CD, /* its check digit, or '<' when it continues in the optional data */
	MRZ_F_OPT1,	/* TD1 line 1 optional data */
	MRZ_F_BIRTH,	/* YYMMDD */
	MRZ_F_BIRTH_CD,
	MRZ_F_SEX,
	MRZ_F_EXPIRY, /* YYMMDD */
	MRZ_F_EXPIRY_CD,
	MRZ_F_NAT,	 /* nationality */
	MRZ_F_OPT2,	 /* line 2 optional data (TD3: personal number) */
	MRZ_F_OPT2_CD,	 /* TD3 personal number check digit */
	MRZ_F_COMPOSITE, /* composite check digit */
	MRZ_F_COUNT
};

struct mrz_span {
	uint8_t line; /* 1-based; 0 = the field does not exist in this format */
	uint8_t col;  /* 1-based */
	uint8_t len;
	uint8_t cls; /* enum mrz_cls */
};

struct mrz_layout {
	uint8_t nlines;
	uint8_t width;
	struct mrz_span f[MRZ_F_COUNT];
	struct mrz_span comp[4]; /* what the composite check digit covers, in order */
};

/* The layout of format f (never NULL for a valid enum value). */
const struct mrz_layout *mrz_layout_of(enum mrz_format f);

/* The field at line/col (1-based) of format f; MRZ_F_COUNT when outside the MRZ. */
enum mrz_field mrz_field_at(enum mrz_format f, int line, int col);

/* Name of a field for messages ("birth date"). */
const char *mrz_field_name(enum mrz_field fld);

/* Pointer to the first character of span s in t (s must exist in t's format). */
char *mrz_span_ptr(struct mrz_text *t, const struct mrz_span *s);

#endif
