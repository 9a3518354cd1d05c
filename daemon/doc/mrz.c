/* SPDX-License-Identifier: MIT */
/*
 * mrz.c - parse and check a machine readable zone (ICAO 9303-3 §4.9 check digits; layouts of
 * 9303-5 TD1, 9303-6 TD2, 9303-4 TD3) and the Vietnamese CCCD TD1 (see mrz.h).
 *
 * ICAO 9303-5 specimen (TD1), composite at line 2 col 30 over line 1 cols 6-30 and line 2 cols
 * 1-7, 9-15, 19-29:
 *   I<UTOD231458907<<<<<<<<<<<<<<<
 *   7408122F1204159UTO<<<<<<<<<<<6     born 1974-08-12, expires 2012-04-15
 *   ERIKSSON<<ANNA<MARIA<<<<<<<<<<     primary "ERIKSSON", secondary "ANNA MARIA"
 * A TD1/TD2 document number longer than 9 characters shows '<' in its check digit position and
 * continues in the optional data, followed by its check digit (9303-5 §4.2.2 note j).
 *
 * Order of checks: framing, character class per position, check digits field by field, composite,
 * dates, then the CCCD layout. Omitted: visas (MRV-A/B), dates with unknown parts ('<'), the
 * Vietnamese name with diacritics (only the chip and QR carry it).
 */
#include <string.h>

#include "doc/mrz.h"
#include "doc/mrz_layout.h"

#define FMT_ERR(err, ...) cccd_err_set(err, -CCCD_EFORMAT, "mrz", __VA_ARGS__)
#define CHK_ERR(err, ...) cccd_err_set(err, -CCCD_ECHECK, "mrz", __VA_ARGS__)

static const struct mrz_layout
    layouts[3] =
	{
	    [MRZ_TD1 - 1] =
		{
		    .nlines = 3,
		    .width = 30,
		    .f =
			{
			    [MRZ_F_KIND] = {1, 1, 1, MRZ_C_KIND},
			    [MRZ_F_CODE2] = {1, 2, 1, MRZ_C_ALPHA},
			    [MRZ_F_ISSUER] = {1, 3, 3, MRZ_C_ALPHA},
			    [MRZ_F_DOCNO] = {1, 6, 9, MRZ_C_ALNUM},
			    [MRZ_F_DOCNO_CD] = {1, 15, 1, MRZ_C_CD},
			    [MRZ_F_OPT1] = {1, 16, 15, MRZ_C_ALNUM},
			    [MRZ_F_BIRTH] = {2, 1, 6, MRZ_C_DIGIT},
			    [MRZ_F_BIRTH_CD] = {2, 7, 1, MRZ_C_CD},
			    [MRZ_F_SEX] = {2, 8, 1, MRZ_C_SEX},
			    [MRZ_F_EXPIRY] = {2, 9, 6, MRZ_C_DIGIT},
			    [MRZ_F_EXPIRY_CD] = {2, 15, 1, MRZ_C_CD},
			    [MRZ_F_NAT] = {2, 16, 3, MRZ_C_ALPHA},
			    [MRZ_F_OPT2] = {2, 19, 11, MRZ_C_ALNUM},
			    [MRZ_F_COMPOSITE] = {2, 30, 1, MRZ_C_CD},
			    [MRZ_F_NAME] = {3, 1, 30, MRZ_C_ALPHA},
			},
		    .comp = {{1, 6, 25, 0}, {2, 1, 7, 0}, {2, 9, 7, 0}, {2, 19, 11, 0}},
		},
	    [MRZ_TD2 - 1] =
		{
		    .nlines = 2,
		    .width = 36,
		    .f =
			{
			    [MRZ_F_KIND] = {1, 1, 1, MRZ_C_KIND},
			    [MRZ_F_CODE2] = {1, 2, 1, MRZ_C_ALPHA},
			    [MRZ_F_ISSUER] = {1, 3, 3, MRZ_C_ALPHA},
			    [MRZ_F_NAME] = {1, 6, 31, MRZ_C_ALPHA},
			    [MRZ_F_DOCNO] = {2, 1, 9, MRZ_C_ALNUM},
			    [MRZ_F_DOCNO_CD] = {2, 10, 1, MRZ_C_CD},
			    [MRZ_F_NAT] = {2, 11, 3, MRZ_C_ALPHA},
			    [MRZ_F_BIRTH] = {2, 14, 6, MRZ_C_DIGIT},
			    [MRZ_F_BIRTH_CD] = {2, 20, 1, MRZ_C_CD},
			    [MRZ_F_SEX] = {2, 21, 1, MRZ_C_SEX},
			    [MRZ_F_EXPIRY] = {2, 22, 6, MRZ_C_DIGIT},
			    [MRZ_F_EXPIRY_CD] = {2, 28, 1, MRZ_C_CD},
			    [MRZ_F_OPT2] = {2, 29, 7, MRZ_C_ALNUM},
			    [MRZ_F_COMPOSITE] = {2, 36, 1, MRZ_C_CD},
			},
		    .comp = {{2, 1, 10, 0}, {2, 14, 7, 0}, {2, 22, 14, 0}},
		},
	    [MRZ_TD3 - 1] =
		{
		    .nlines = 2,
		    .width = 44,
		    .f =
			{
			    [MRZ_F_KIND] = {1, 1, 1, MRZ_C_KIND},
			    [MRZ_F_CODE2] = {1, 2, 1, MRZ_C_ALPHA},
			    [MRZ_F_ISSUER] = {1, 3, 3, MRZ_C_ALPHA},
			    [MRZ_F_NAME] = {1, 6, 39, MRZ_C_ALPHA},
			    [MRZ_F_DOCNO] = {2, 1, 9, MRZ_C_ALNUM},
			    [MRZ_F_DOCNO_CD] = {2, 10, 1, MRZ_C_CD},
			    [MRZ_F_NAT] = {2, 11, 3, MRZ_C_ALPHA},
			    [MRZ_F_BIRTH] = {2, 14, 6, MRZ_C_DIGIT},
			    [MRZ_F_BIRTH_CD] = {2, 20, 1, MRZ_C_CD},
			    [MRZ_F_SEX] = {2, 21, 1, MRZ_C_SEX},
			    [MRZ_F_EXPIRY] = {2, 22, 6, MRZ_C_DIGIT},
			    [MRZ_F_EXPIRY_CD] = {2, 28, 1, MRZ_C_CD},
			    [MRZ_F_OPT2] = {2, 29, 14, MRZ_C_ALNUM},
			    [MRZ_F_OPT2_CD] = {2, 43, 1, MRZ_C_CD},
			    [MRZ_F_COMPOSITE] = {2, 44, 1, MRZ_C_CD},
			},
		    .comp = {{2, 1, 10, 0}, {2, 14, 7, 0}, {2, 22, 22, 0}},
		},
};

static const char *const field_names[MRZ_F_COUNT] = {
    [MRZ_F_KIND] = "document code",	 [MRZ_F_CODE2] = "document code",
    [MRZ_F_ISSUER] = "issuing state",	 [MRZ_F_NAME] = "name",
    [MRZ_F_DOCNO] = "document number",	 [MRZ_F_DOCNO_CD] = "document number",
    [MRZ_F_OPT1] = "optional data",	 [MRZ_F_BIRTH] = "birth date",
    [MRZ_F_BIRTH_CD] = "birth date",	 [MRZ_F_SEX] = "sex",
    [MRZ_F_EXPIRY] = "expiry date",	 [MRZ_F_EXPIRY_CD] = "expiry date",
    [MRZ_F_NAT] = "nationality",	 [MRZ_F_OPT2] = "optional data",
    [MRZ_F_OPT2_CD] = "personal number", [MRZ_F_COMPOSITE] = "composite",
};

const struct mrz_layout *mrz_layout_of(enum mrz_format f)
{
	return &layouts[(f >= MRZ_TD1 && f <= MRZ_TD3 ? f : MRZ_TD1) - 1];
}

const char *mrz_field_name(enum mrz_field fld)
{
	return fld < MRZ_F_COUNT ? field_names[fld] : "?";
}

enum mrz_field mrz_field_at(enum mrz_format f, int line, int col)
{
	const struct mrz_layout *l = mrz_layout_of(f);

	for (int i = 0; i < MRZ_F_COUNT; i++) {
		const struct mrz_span *s = &l->f[i];

		if (s->line == line && col >= s->col && col < s->col + s->len)
			return (enum mrz_field)i;
	}
	return MRZ_F_COUNT;
}

char *mrz_span_ptr(struct mrz_text *t, const struct mrz_span *s)
{
	return &t->line[s->line - 1][s->col - 1];
}

static const char *cspan(const struct mrz_text *t, const struct mrz_span *s)
{
	return &t->line[s->line - 1][s->col - 1];
}

static int char_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return c == '<' ? 0 : -1;
}

int mrz_check_digit(const char *s, size_t n)
{
	static const int weight[3] = {7, 3, 1};
	int sum = 0;

	for (size_t i = 0; i < n; i++) {
		int v = char_value(s[i]);

		if (v < 0)
			return -1;
		sum = (sum + v * weight[i % 3]) % 10;
	}
	return sum;
}

/* --- framing --- */

static bool mrz_char(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<';
}

static int bad_char(uint8_t c, int line, int col, struct cccd_err *err)
{
	if (c >= 0x21 && c < 0x7F)
		return FMT_ERR(err, "line %d col %d: invalid character '%c' (MRZ uses A-Z 0-9 <)",
			       line, col, c);
	return FMT_ERR(err, "line %d col %d: invalid byte 0x%02X (MRZ uses A-Z 0-9 <)", line, col,
		       c);
}

/* Copy the lines into t, stopping at the first byte that is neither an MRZ character nor a line
 * end; widths land in w[]. */
static int split_lines(const uint8_t *buf, size_t len, struct mrz_text *t, int w[MRZ_LINES_MAX],
		       struct cccd_err *err)
{
	int line = 0;

	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n')
			continue;
		if (buf[i] == '\n') {
			if (i + 1 == len)
				break;
			if (++line == MRZ_LINES_MAX)
				return FMT_ERR(err, "line %d: more than %d lines", line + 1,
					       MRZ_LINES_MAX);
			continue;
		}
		if (!mrz_char(buf[i]))
			return bad_char(buf[i], line + 1, w[line] + 1, err);
		if (w[line] == MRZ_WIDTH_MAX)
			return FMT_ERR(err, "line %d: longer than %d characters", line + 1,
				       MRZ_WIDTH_MAX);
		t->line[line][w[line]++] = (char)buf[i];
	}
	t->nlines = line + 1;
	return 0;
}

static int pick_format(struct mrz_text *t, const int w[MRZ_LINES_MAX], struct cccd_err *err)
{
	const struct mrz_layout *l;

	if (w[0] == 30)
		t->format = MRZ_TD1;
	else if (w[0] == 36)
		t->format = MRZ_TD2;
	else if (w[0] == 44)
		t->format = MRZ_TD3;
	else
		return FMT_ERR(
		    err, "line 1: %d characters, expected 30 (TD1), 36 (TD2) or 44 (TD3)", w[0]);
	l = mrz_layout_of(t->format);
	t->width = l->width;
	for (int i = 1; i < t->nlines; i++)
		if (w[i] != l->width)
			return FMT_ERR(err, "line %d: %d characters, expected %d (%s)", i + 1, w[i],
				       l->width, mrz_format_name(t->format));
	if (t->nlines != l->nlines)
		return FMT_ERR(err, "%d lines, expected %d (%s)", t->nlines, l->nlines,
			       mrz_format_name(t->format));
	return 0;
}

int mrz_split(const uint8_t *buf, size_t len, struct mrz_text *out, struct cccd_err *err)
{
	int w[MRZ_LINES_MAX] = {0};
	int rc;

	memset(out, 0, sizeof(*out));
	if (!buf || len == 0)
		return FMT_ERR(err, "empty input");
	rc = split_lines(buf, len, out, w, err);
	if (rc)
		return rc;
	return pick_format(out, w, err);
}

/* --- character classes --- */

static bool class_ok(enum mrz_cls cls, enum mrz_format f, char c)
{
	switch (cls) {
	case MRZ_C_ALPHA:
		return (c >= 'A' && c <= 'Z') || c == '<';
	case MRZ_C_DIGIT:
		return c >= '0' && c <= '9';
	case MRZ_C_CD:
		return (c >= '0' && c <= '9') || c == '<';
	case MRZ_C_SEX:
		return c == 'M' || c == 'F' || c == 'X' || c == '<';
	case MRZ_C_KIND:
		return f == MRZ_TD3 ? c == 'P' : (c == 'A' || c == 'C' || c == 'I');
	case MRZ_C_FILLER:
		return c == '<';
	default:
		return true;
	}
}

static const char *class_desc(enum mrz_cls cls, enum mrz_format f)
{
	static const char *const desc[] = {
	    [MRZ_C_ALPHA] = "A-Z or <",	  [MRZ_C_ALNUM] = "A-Z 0-9 or <", [MRZ_C_DIGIT] = "0-9",
	    [MRZ_C_CD] = "a check digit", [MRZ_C_SEX] = "M, F, X or <",
	};

	if (cls == MRZ_C_KIND)
		return f == MRZ_TD3 ? "P (passport)" : "A, C or I";
	return desc[cls];
}

/* A date field of fillers only: the expiry of a document without one. FIELD-NOTES marks what
 * CCCDs issued at 58 or later print there as unconfirmed; ICAO fills unknown date parts with '<',
 * so all-filler is accepted as "no expiry" and a partly filled date is still an error. */
static bool all_fillers(const char *p, int len)
{
	for (int k = 0; k < len; k++)
		if (p[k] != '<')
			return false;
	return true;
}

void mrz_expiry_yymmdd(const struct mrz *m, char out[7])
{
	if (m->no_expiry) {
		memcpy(out, "<<<<<<", 7);
		return;
	}
	date_to_yymmdd(&m->expiry, out);
}

static int check_classes(const struct mrz_text *t, struct cccd_err *err)
{
	const struct mrz_layout *l = mrz_layout_of(t->format);

	for (int i = 0; i < MRZ_F_COUNT; i++) {
		const struct mrz_span *s = &l->f[i];
		const char *p;

		if (!s->line)
			continue;
		p = cspan(t, s);
		if (i == MRZ_F_EXPIRY && all_fillers(p, s->len))
			continue;
		for (int k = 0; k < s->len; k++)
			if (!class_ok((enum mrz_cls)s->cls, t->format, p[k]))
				return FMT_ERR(err, "line %d col %d: '%c' in %s, expected %s",
					       s->line, s->col + k, p[k], field_names[i],
					       class_desc((enum mrz_cls)s->cls, t->format));
	}
	return 0;
}

/* --- check digits --- */

static int cd_mismatch(int line, int col, char got, int want, const char *what,
		       struct cccd_err *err)
{
	return CHK_ERR(err, "line %d col %d: check digit '%c', computed %d (%s)", line, col, got,
		       want, what);
}

/* Verify the check digit at cd over data[0..n). */
static int verify(const char *data, size_t n, const struct mrz_span *cd, char got,
		  enum mrz_field fld, struct cccd_err *err)
{
	int want = mrz_check_digit(data, n);

	if (got - '0' == want)
		return 0;
	return cd_mismatch(cd->line, cd->col, got, want, field_names[fld], err);
}

static int verify_span(const struct mrz_text *t, enum mrz_field data, enum mrz_field cd,
		       struct cccd_err *err)
{
	const struct mrz_layout *l = mrz_layout_of(t->format);

	return verify(cspan(t, &l->f[data]), l->f[data].len, &l->f[cd], *cspan(t, &l->f[cd]), cd,
		      err);
}

/* The optional data field a long document number continues into (9303-5/6), or NULL. */
static const struct mrz_span *overflow_field(enum mrz_format f)
{
	const struct mrz_layout *l = mrz_layout_of(f);

	if (f == MRZ_TD1)
		return &l->f[MRZ_F_OPT1];
	return f == MRZ_TD2 ? &l->f[MRZ_F_OPT2] : NULL;
}

/* Length k of a number overflow in the optional data (characters + its check digit); 0 when the
 * document number fits in its 9 positions. */
static int overflow_len(const struct mrz_text *t)
{
	const struct mrz_layout *l = mrz_layout_of(t->format);
	const struct mrz_span *o = overflow_field(t->format);
	const char *p;
	int k = 0;

	if (!o || *cspan(t, &l->f[MRZ_F_DOCNO_CD]) != '<')
		return 0;
	p = cspan(t, o);
	while (k < o->len && p[k] != '<')
		k++;
	return k;
}

/* A long document number: 9 characters in place, k - 1 more and a check digit in the optional
 * data o. Appends to m->doc_number. */
static int check_long_docno(const struct mrz_text *t, const struct mrz_span *o, int k,
			    struct mrz *m, struct cccd_err *err)
{
	const struct mrz_span ocd = {o->line, (uint8_t)(o->col + k - 1), 1, MRZ_C_CD};
	char got = cspan(t, o)[k - 1];

	memcpy(m->doc_number + 9, cspan(t, o), (size_t)k - 1);
	m->doc_number[9 + k - 1] = '\0';
	if (got < '0' || got > '9')
		return FMT_ERR(err,
			       "line %d col %d: '%c' in document number, expected a check digit",
			       ocd.line, ocd.col, got);
	return verify(m->doc_number, (size_t)(9 + k - 1), &ocd, got, MRZ_F_DOCNO_CD, err);
}

/* Document number: 9 positions + check digit, or the long form. Fills m->doc_number. */
static int check_docno(const struct mrz_text *t, struct mrz *m, struct cccd_err *err)
{
	const struct mrz_layout *l = mrz_layout_of(t->format);
	const struct mrz_span *cd = &l->f[MRZ_F_DOCNO_CD];
	int k = overflow_len(t), n = 9;

	memcpy(m->doc_number, cspan(t, &l->f[MRZ_F_DOCNO]), 9);
	if (*cspan(t, cd) == '<') {
		if (k < 2)
			return CHK_ERR(
			    err,
			    "line %d col %d: check digit '<' but no long document number "
			    "and check digit follow",
			    cd->line, cd->col);
		return check_long_docno(t, overflow_field(t->format), k, m, err);
	}
	while (n > 0 && m->doc_number[n - 1] == '<')
		n--;
	m->doc_number[n] = '\0';
	return verify_span(t, MRZ_F_DOCNO, MRZ_F_DOCNO_CD, err);
}

/* TD3 personal number: its check digit may be '<' when the number is all fillers (9303-4). */
static int check_opt2(const struct mrz_text *t, struct cccd_err *err)
{
	const struct mrz_layout *l = mrz_layout_of(t->format);
	const struct mrz_span *s = &l->f[MRZ_F_OPT2];
	const char *p = cspan(t, s);
	int k = 0;

	if (!l->f[MRZ_F_OPT2_CD].line)
		return 0;
	while (k < s->len && p[k] == '<')
		k++;
	if (k == s->len && *cspan(t, &l->f[MRZ_F_OPT2_CD]) == '<')
		return 0;
	return verify_span(t, MRZ_F_OPT2, MRZ_F_OPT2_CD, err);
}

static int check_composite(const struct mrz_text *t, struct cccd_err *err)
{
	const struct mrz_layout *l = mrz_layout_of(t->format);
	const struct mrz_span *cd = &l->f[MRZ_F_COMPOSITE];
	char buf[64];
	size_t n = 0;

	for (int i = 0; i < 4 && l->comp[i].line; i++) {
		memcpy(buf + n, cspan(t, &l->comp[i]), l->comp[i].len);
		n += l->comp[i].len;
	}
	return verify(buf, n, cd, *cspan(t, cd), MRZ_F_COMPOSITE, err);
}

static int check_digits(const struct mrz_text *t, struct mrz *m, struct cccd_err *err)
{
	int rc = check_docno(t, m, err);

	if (!rc)
		rc = verify_span(t, MRZ_F_BIRTH, MRZ_F_BIRTH_CD, err);
	if (!rc)
		rc = verify_span(t, MRZ_F_EXPIRY, MRZ_F_EXPIRY_CD, err);
	if (!rc)
		rc = check_opt2(t, err);
	if (!rc)
		rc = check_composite(t, err);
	return rc;
}

/* --- fields --- */

static void copy_field(char *dst, const struct mrz_text *t, const struct mrz_span *s, int skip)
{
	int n = s->len - skip;

	memcpy(dst, cspan(t, s) + skip, (size_t)n);
	dst[n] = '\0';
}

/* Copy n name characters, '<' -> ' ', dropping trailing fillers. */
static void name_part(char *dst, const char *src, int n)
{
	while (n > 0 && src[n - 1] == '<')
		n--;
	for (int i = 0; i < n; i++)
		dst[i] = src[i] == '<' ? ' ' : src[i];
	dst[n] = '\0';
}

/* Primary and secondary identifiers split on the first "<<" (9303-3 §4.6). */
static void split_name(const struct mrz_text *t, struct mrz *m)
{
	const struct mrz_span *s = &mrz_layout_of(t->format)->f[MRZ_F_NAME];
	const char *p = cspan(t, s);
	int i = 0;

	while (i + 1 < s->len && !(p[i] == '<' && p[i + 1] == '<'))
		i++;
	if (i + 1 >= s->len) {
		name_part(m->primary, p, s->len);
		m->secondary[0] = '\0';
		return;
	}
	name_part(m->primary, p, i);
	name_part(m->secondary, p + i + 2, s->len - i - 2);
}

static int read_dates(const struct mrz_text *t, const struct cccd_date *today, struct mrz *m,
		      struct cccd_err *err)
{
	const struct mrz_layout *l = mrz_layout_of(t->format);
	const struct mrz_span *b = &l->f[MRZ_F_BIRTH], *e = &l->f[MRZ_F_EXPIRY];

	if (date_parse_yymmdd_birth(cspan(t, b), 6, today, &m->birth, NULL))
		return FMT_ERR(err, "line %d col %d: birth date is not a calendar date", b->line,
			       b->col);
	m->no_expiry = all_fillers(cspan(t, e), 6);
	if (m->no_expiry)
		return 0;
	if (date_parse_yymmdd_expiry(cspan(t, e), 6, &m->expiry, NULL))
		return FMT_ERR(err, "line %d col %d: expiry date is not a calendar date", e->line,
			       e->col);
	return 0;
}

static void read_fields(const struct mrz_text *t, struct mrz *m)
{
	const struct mrz_layout *l = mrz_layout_of(t->format);
	const struct mrz_span *o = overflow_field(t->format);
	int k = overflow_len(t);

	m->format = t->format;
	m->doc_code[0] = *cspan(t, &l->f[MRZ_F_KIND]);
	m->doc_code[1] = *cspan(t, &l->f[MRZ_F_CODE2]);
	copy_field(m->issuer, t, &l->f[MRZ_F_ISSUER], 0);
	copy_field(m->nationality, t, &l->f[MRZ_F_NAT], 0);
	copy_field(m->optional2, t, &l->f[MRZ_F_OPT2], o == &l->f[MRZ_F_OPT2] ? k : 0);
	if (l->f[MRZ_F_OPT1].line)
		copy_field(m->optional1, t, &l->f[MRZ_F_OPT1], k);
	if (l->f[MRZ_F_OPT2_CD].line)
		m->optional2_cd = *cspan(t, &l->f[MRZ_F_OPT2_CD]);
	m->sex = *cspan(t, &l->f[MRZ_F_SEX]);
	split_name(t, m);
}

/* --- CCCD --- */

static int cccd_digits(const char *p, int from, int to, struct cccd_err *err)
{
	for (int c = from; c <= to; c++)
		if (p[c - 1] < '0' || p[c - 1] > '9')
			return FMT_ERR(err, "line 1 col %d: CCCD %s must be digits", c,
				       c < 16 ? "document number" : "ID number");
	return 0;
}

/* IDVNM + doc number (cols 6-14) + cd + ID (cols 16-27) + "<<" + cd(ID) at col 30. */
static int check_cccd(const struct mrz_text *t, struct mrz *m, struct cccd_err *err)
{
	const char *p = t->line[0];
	int rc = cccd_digits(p, 6, 15, err);

	if (!rc)
		rc = cccd_digits(p, 16, 27, err);
	if (rc)
		return rc;
	if (p[27] != '<' || p[28] != '<')
		return FMT_ERR(err, "line 1 col %d: CCCD expects '<<' after the ID number",
			       p[27] != '<' ? 28 : 29);
	if (p[29] < '0' || p[29] > '9')
		return FMT_ERR(err, "line 1 col 30: '%c' in ID number, expected a check digit",
			       p[29]);
	if (p[29] - '0' != mrz_check_digit(p + 15, 12))
		return cd_mismatch(1, 30, p[29], mrz_check_digit(p + 15, 12), "ID number", err);
	for (int i = 0; i < 9; i++)
		if (p[5 + i] != p[18 + i])
			return CHK_ERR(
			    err,
			    "line 1 col %d: document number differs from the last 9 digits "
			    "of the ID number (col %d)",
			    6 + i, 19 + i);
	memcpy(m->id_number, p + 15, 12);
	m->id_number[12] = '\0';
	return 0;
}

int mrz_parse(const uint8_t *buf, size_t len, const struct cccd_date *today, struct mrz *out,
	      struct cccd_err *err)
{
	struct mrz_text t;
	int rc;

	if (!today || !out)
		return cccd_err_set(err, -CCCD_EINVAL, "mrz", "today and out are required");
	memset(out, 0, sizeof(*out));
	rc = mrz_split(buf, len, &t, err);
	if (!rc)
		rc = check_classes(&t, err);
	if (!rc)
		rc = check_digits(&t, out, err);
	if (!rc)
		rc = read_dates(&t, today, out, err);
	if (rc)
		return rc;
	read_fields(&t, out);
	if (mrz_is_vietnamese(out))
		return check_cccd(&t, out, err);
	return 0;
}

/* --- accessors --- */

bool mrz_is_vietnamese(const struct mrz *m)
{
	return m->format == MRZ_TD1 && !strcmp(m->doc_code, "ID") && !strcmp(m->issuer, "VNM");
}

bool mrz_has_long_number(const struct mrz *m)
{
	return strlen(m->doc_number) > 9;
}

const char *mrz_format_name(enum mrz_format f)
{
	static const char *const names[] = {"?", "TD1", "TD2", "TD3"};

	return f >= MRZ_TD1 && f <= MRZ_TD3 ? names[f] : names[0];
}

char mrz_sex(const struct mrz *m)
{
	return m->sex == 'M' || m->sex == 'F' ? m->sex : 'X';
}

void mrz_name(const struct mrz *m, char *out, size_t outlen)
{
	size_t n = 0;

	if (!outlen)
		return;
	for (const char *p = m->primary; *p && n + 1 < outlen; p++)
		out[n++] = *p;
	if (m->secondary[0] && m->primary[0] && n + 1 < outlen)
		out[n++] = ' ';
	for (const char *p = m->secondary; *p && n + 1 < outlen; p++)
		out[n++] = *p;
	out[n] = '\0';
}

/* Append s[0..n) and its check digit to out at *pos; false when it does not fit. */
static bool key_part(char *out, size_t outlen, size_t *pos, const char *s, size_t n)
{
	if (*pos + n + 1 >= outlen)
		return false;
	memcpy(out + *pos, s, n);
	out[*pos + n] = (char)('0' + mrz_check_digit(s, n));
	*pos += n + 1;
	out[*pos] = '\0';
	return true;
}

int mrz_key(const struct mrz *m, char *out, size_t outlen)
{
	char num[MRZ_DOCNO_MAX + 1], d[7];
	size_t n = strlen(m->doc_number), pos = 0;

	memcpy(num, m->doc_number, n + 1);
	while (n < 9)
		num[n++] = '<';
	if (!key_part(out, outlen, &pos, num, n))
		return -CCCD_ENOSPC;
	date_to_yymmdd(&m->birth, d);
	if (!key_part(out, outlen, &pos, d, 6))
		return -CCCD_ENOSPC;
	mrz_expiry_yymmdd(m, d);
	if (!key_part(out, outlen, &pos, d, 6))
		return -CCCD_ENOSPC;
	return (int)pos;
}
