/* SPDX-License-Identifier: MIT */
/*
 * mrz_repair.c - undo OCR confusions in an MRZ read by a camera (contract in mrz.h). Passes:
 *  1. type: a letter where only a digit may stand (dates, check digits, the CCCD's numbers) becomes
 *     its look-alike digit (O Q D->0, I L->1, Z->2, S->5, G->6, B->8); a digit where only a letter
 *     may stand (states, names, document code) becomes its letter (0->O 1->I 2->Z 5->S 6->G 8->B);
 *  2. fillers: in a name after the first "<<<" (no name has an empty part) K X C E S L -> '<'; the
 *     CCCD's "<<" at line 1 cols 28-29 likewise;
 *  3. CCCD: a document number that differs from the ID's last 9 digits in one place, where one side
 *     passes its check digit and the other does not, takes the passing side's digit;
 *  4. check digits (ICAO 9303-3 §4.9): for a failing field, try each look-alike of each of its
 *     letter-or-digit characters alone; taken only when exactly one candidate passes. Optional
 *     data without a check digit of its own is searched under the composite. At most 26
 *     positions x 3 look-alikes = 78 tries per field.
 *   "P<UTOERIKSSON<<ANNA<MARIA<<<..." / "L898902C36UTO74O8122F1204159ZE184226B<<<<<1O"
 *   -> line 2 col 16 'O'->'0', col 44 'O'->'0' (type pass), then it parses.
 * Never: an input that parses is returned as is; framing (line count and width) is not repaired.
 */
#include <string.h>

#include "doc/mrz.h"
#include "doc/mrz_layout.h"

#define SEARCH_POS_MAX 26 /* TD1 optional data: 15 + 11 */

struct check {
	struct mrz_span data[4];
	int ndata;
	struct mrz_span cd;
};

struct cand {
	uint8_t line, col;
	char alt[3];
	int nalt;
};

static char *at(struct mrz_text *t, int line, int col)
{
	return &t->line[line - 1][col - 1];
}

static void change(struct mrz_text *t, struct mrz_repair *rep, int line, int col, char now)
{
	char *p = at(t, line, col);

	if (*p == now)
		return;
	for (unsigned i = 0; i < rep->nfix; i++)
		if (rep->fix[i].line == line && rep->fix[i].col == col) {
			rep->fix[i].now = now;
			*p = now;
			return;
		}
	if (rep->nfix < MRZ_FIX_MAX)
		rep->fix[rep->nfix++] = (struct mrz_fix){(uint8_t)line, (uint8_t)col, *p, now};
	*p = now;
}

static bool is_cccd(const struct mrz_text *t)
{
	return t->format == MRZ_TD1 && !memcmp(t->line[0], "IDVNM", 5);
}

static enum mrz_cls class_at(const struct mrz_text *t, int line, int col)
{
	enum mrz_field f = mrz_field_at(t->format, line, col);

	if (is_cccd(t) && line == 1 && col >= 6)
		return col == 28 || col == 29 ? MRZ_C_FILLER : MRZ_C_DIGIT;
	if (f == MRZ_F_COUNT)
		return MRZ_C_ALNUM;
	return (enum mrz_cls)mrz_layout_of(t->format)->f[f].cls;
}

static char to_digit(char c)
{
	static const char from[] = "OQDILZSGB", to[] = "000112568";
	const char *p = c ? strchr(from, c) : NULL;

	return p ? to[p - from] : c;
}

static char to_letter(char c)
{
	static const char from[] = "012568", to[] = "OIZSGB";
	const char *p = c ? strchr(from, c) : NULL;

	return p ? to[p - from] : c;
}

static bool filler_like(char c)
{
	return c && strchr("KXCESL", c);
}

/* Pass 1: by the character class each position allows. */
static void by_type(struct mrz_text *t, struct mrz_repair *rep)
{
	for (int line = 1; line <= t->nlines; line++)
		for (int col = 1; col <= t->width; col++) {
			char c = *at(t, line, col);

			switch (class_at(t, line, col)) {
			case MRZ_C_DIGIT:
			case MRZ_C_CD:
				change(t, rep, line, col, to_digit(c));
				break;
			case MRZ_C_ALPHA:
			case MRZ_C_KIND:
				change(t, rep, line, col, to_letter(c));
				break;
			case MRZ_C_FILLER:
				if (filler_like(c))
					change(t, rep, line, col, '<');
				break;
			default:
				break;
			}
		}
}

/* Pass 2: a name field ends in fillers once three '<' have been seen. */
static void by_fillers(struct mrz_text *t, struct mrz_repair *rep)
{
	const struct mrz_span *s = &mrz_layout_of(t->format)->f[MRZ_F_NAME];
	const char *p = mrz_span_ptr(t, s);
	int run = 0, i = 0;

	for (; i < s->len && run < 3; i++)
		run = p[i] == '<' ? run + 1 : 0;
	for (; i < s->len; i++)
		if (filler_like(p[i]))
			change(t, rep, s->line, s->col + i, '<');
}

/* --- check digits --- */

static bool check_ok(const struct mrz_text *t, const struct check *c)
{
	char buf[64], got = t->line[c->cd.line - 1][c->cd.col - 1];
	size_t n = 0;

	for (int i = 0; i < c->ndata; i++) {
		memcpy(buf + n, &t->line[c->data[i].line - 1][c->data[i].col - 1], c->data[i].len);
		n += c->data[i].len;
	}
	return got - '0' == mrz_check_digit(buf, n);
}

static struct check span_check(const struct mrz_layout *l, enum mrz_field data, enum mrz_field cd)
{
	struct check c = {.ndata = 1, .data = {l->f[data]}, .cd = l->f[cd]};

	return c;
}

static struct check composite_check(const struct mrz_layout *l)
{
	struct check c = {.cd = l->f[MRZ_F_COMPOSITE]};

	while (c.ndata < 4 && l->comp[c.ndata].line) {
		c.data[c.ndata] = l->comp[c.ndata];
		c.ndata++;
	}
	return c;
}

/* The document number's check: in place, or long into the optional data (k characters + cd). */
static struct check docno_check(const struct mrz_text *t)
{
	const struct mrz_layout *l = mrz_layout_of(t->format);
	struct check c = span_check(l, MRZ_F_DOCNO, MRZ_F_DOCNO_CD);
	const struct mrz_span *o = t->format == MRZ_TD1	  ? &l->f[MRZ_F_OPT1]
				   : t->format == MRZ_TD2 ? &l->f[MRZ_F_OPT2]
							  : NULL;
	const char *p;
	int k = 0;

	if (!o || t->line[c.cd.line - 1][c.cd.col - 1] != '<')
		return c;
	p = &t->line[o->line - 1][o->col - 1];
	while (k < o->len && p[k] != '<')
		k++;
	if (k < 2)
		return c;
	c.data[c.ndata++] = (struct mrz_span){o->line, o->col, (uint8_t)(k - 1), MRZ_C_ALNUM};
	c.cd = (struct mrz_span){o->line, (uint8_t)(o->col + k - 1), 1, MRZ_C_CD};
	return c;
}

static int alternatives(char c, char alt[3])
{
	static const char *const table[] = {"0OQD", "O0", "Q0", "D0",  "1IL", "I1", "L1",
					    "2Z",   "Z2", "5S", "S5<", "6G",  "G6", "8B",
					    "B8",   "K<", "X<", "C<",  "E<"};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i][0] == c) {
			size_t n = strlen(table[i]) - 1;

			memcpy(alt, table[i] + 1, n);
			return (int)n;
		}
	return 0;
}

/* True when (line, col) is under a check digit of its own (document number, TD3 personal
 * number, a long number's overflow) rather than under the composite alone. */
static bool own_checked(const struct mrz_text *t, int line, int col)
{
	enum mrz_field f = mrz_field_at(t->format, line, col);
	struct check d = docno_check(t);

	if (f != MRZ_F_OPT1 && f != MRZ_F_OPT2)
		return true;
	if (t->format == MRZ_TD3)
		return true;
	return d.ndata == 2 && line == d.cd.line && col <= d.cd.col;
}

/* Letter-or-digit positions of c's data whose character has look-alikes; for the composite only
 * those no other check digit covers. */
static int candidates(const struct mrz_text *t, const struct check *c, bool composite,
		      struct cand out[SEARCH_POS_MAX])
{
	int n = 0;

	for (int i = 0; i < c->ndata; i++)
		for (int k = 0; k < c->data[i].len && n < SEARCH_POS_MAX; k++) {
			int line = c->data[i].line, col = c->data[i].col + k;
			struct cand *x = &out[n];

			if (class_at(t, line, col) != MRZ_C_ALNUM)
				continue;
			if (composite && own_checked(t, line, col))
				continue;
			x->nalt = alternatives(t->line[line - 1][col - 1], x->alt);
			x->line = (uint8_t)line;
			x->col = (uint8_t)col;
			n += x->nalt > 0;
		}
	return n;
}

/* Pass 4 for one check: the one look-alike that makes it pass, or nothing when none or several
 * do. One character at a time: a check digit is one decimal digit of evidence, and every further
 * candidate is a 1-in-10 chance of a false pass. The composite cannot break ties for a field that
 * starts it (document number, personal number): the weights line up, so it adds no evidence. */
static void by_check(struct mrz_text *t, const struct check *c, bool composite,
		     struct mrz_repair *rep)
{
	struct cand cand[SEARCH_POS_MAX];
	int n, hits = 0, hit = 0;
	char hit_c = 0;

	if (check_ok(t, c))
		return;
	n = candidates(t, c, composite, cand);
	for (int i = 0; i < n; i++) {
		char *p = at(t, cand[i].line, cand[i].col), was = *p;

		for (int a = 0; a < cand[i].nalt; a++) {
			*p = cand[i].alt[a];
			if (check_ok(t, c) && hits++ == 0)
				hit = i, hit_c = *p;
		}
		*p = was;
	}
	if (hits == 1)
		change(t, rep, cand[hit].line, cand[hit].col, hit_c);
}

static void by_check_digits(struct mrz_text *t, struct mrz_repair *rep)
{
	const struct mrz_layout *l = mrz_layout_of(t->format);
	struct check comp = composite_check(l), c = docno_check(t);

	by_check(t, &c, false, rep);
	if (l->f[MRZ_F_OPT2_CD].line && t->line[1][42] != '<') {
		c = span_check(l, MRZ_F_OPT2, MRZ_F_OPT2_CD);
		by_check(t, &c, false, rep);
	}
	by_check(t, &comp, true, rep);
}

/* Pass 3: the CCCD's document number is the ID's last 9 digits; one differing digit is taken
 * from the side whose check digit passes when that makes the other side pass too. */
static void by_cccd(struct mrz_text *t, struct mrz_repair *rep)
{
	const struct check doc = {.data = {{1, 6, 9, 0}}, .ndata = 1, .cd = {1, 15, 1, 0}};
	const struct check id = {.data = {{1, 16, 12, 0}}, .ndata = 1, .cd = {1, 30, 1, 0}};
	const char *d = t->line[0] + 5, *n = t->line[0] + 18;
	int diff = -1, ndiff = 0, col;
	char *p, was, now;
	bool iok, fixed;

	if (!is_cccd(t))
		return;
	for (int i = 0; i < 9; i++)
		if (d[i] != n[i])
			diff = i, ndiff++;
	iok = check_ok(t, &id);
	if (ndiff != 1 || check_ok(t, &doc) == iok)
		return;
	col = iok ? 6 + diff : 19 + diff;
	p = at(t, 1, col);
	was = *p;
	now = iok ? n[diff] : d[diff];
	*p = now;
	fixed = check_ok(t, iok ? &doc : &id);
	*p = was;
	if (fixed)
		change(t, rep, 1, col, now);
}

static void join(const struct mrz_text *t, char *out)
{
	size_t pos = 0;

	for (int i = 0; i < t->nlines; i++) {
		if (i)
			out[pos++] = '\n';
		memcpy(out + pos, t->line[i], (size_t)t->width);
		pos += (size_t)t->width;
	}
	out[pos] = '\0';
}

int mrz_repair(const uint8_t *buf, size_t len, const struct cccd_date *today,
	       struct mrz_repair *rep, struct cccd_err *err)
{
	struct mrz_text t;
	struct mrz m;
	int rc;

	if (!rep || !today)
		return cccd_err_set(err, -CCCD_EINVAL, "mrz", "today and rep are required");
	memset(rep, 0, sizeof(*rep));
	rc = mrz_split(buf, len, &t, err);
	if (rc)
		return rc;
	join(&t, rep->text);
	if (!mrz_parse((const uint8_t *)rep->text, strlen(rep->text), today, &m, NULL))
		return 0;
	by_type(&t, rep);
	by_fillers(&t, rep);
	by_cccd(&t, rep);
	by_check_digits(&t, rep);
	join(&t, rep->text);
	return mrz_parse((const uint8_t *)rep->text, strlen(rep->text), today, &m, err);
}
