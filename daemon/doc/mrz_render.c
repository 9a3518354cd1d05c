/* SPDX-License-Identifier: MIT */
/*
 * mrz_render.c - write an MRZ back from its parsed fields (the inverse of mrz_parse, which the fuzz
 * target checks): fields in their ICAO 9303-4/5/6 positions, fillers '<' elsewhere, check digits
 * recomputed (9303-3 §4.9). A long TD1/TD2 document number is written as 9 characters, '<', and
 * the rest plus its check digit at the start of the optional data:
 *   I<UTOD23145890<7349<<<<<<<<<<<   document number D23145890734, check digit 9
 * Omitted: nothing is validated here; a struct that mrz_parse did not fill renders as garbage.
 */
#include <string.h>

#include "doc/mrz.h"
#include "doc/mrz_layout.h"

/* Copy up to the span's length from src; the rest stays filler. */
static void put(struct mrz_text *t, const struct mrz_span *s, int skip, const char *src)
{
	char *p = mrz_span_ptr(t, s);
	size_t n = strlen(src);

	if (skip >= s->len)
		return;
	if (n > (size_t)(s->len - skip))
		n = (size_t)(s->len - skip);
	memcpy(p + skip, src, n);
}

static void put_cd(struct mrz_text *t, const struct mrz_span *data, const struct mrz_span *cd)
{
	*mrz_span_ptr(t, cd) = (char)('0' + mrz_check_digit(mrz_span_ptr(t, data), data->len));
}

static void put_name(struct mrz_text *t, const struct mrz_span *s, const struct mrz *m)
{
	char raw[2 * MRZ_NAME_MAX + 3];
	size_t n = 0;

	for (const char *p = m->primary; *p && n < MRZ_NAME_MAX; p++)
		raw[n++] = *p == ' ' ? '<' : *p;
	if (m->secondary[0]) {
		raw[n++] = '<';
		raw[n++] = '<';
		for (const char *p = m->secondary; *p && n < sizeof(raw) - 1; p++)
			raw[n++] = *p == ' ' ? '<' : *p;
	}
	raw[n] = '\0';
	put(t, s, 0, raw);
}

/* Document number in place, or long across the optional data; returns the overflow length. */
static int put_docno(struct mrz_text *t, const struct mrz_layout *l, const struct mrz_span *o,
		     const struct mrz *m)
{
	size_t n = strlen(m->doc_number);
	char *p;

	put(t, &l->f[MRZ_F_DOCNO], 0, m->doc_number);
	if (n <= 9 || !o) {
		put_cd(t, &l->f[MRZ_F_DOCNO], &l->f[MRZ_F_DOCNO_CD]);
		return 0;
	}
	put(t, o, 0, m->doc_number + 9);
	p = mrz_span_ptr(t, o);
	if (n - 9 < o->len)
		p[n - 9] = (char)('0' + mrz_check_digit(m->doc_number, n));
	return (int)(n - 9 + 1);
}

static void put_composite(struct mrz_text *t, const struct mrz_layout *l)
{
	char buf[64];
	size_t n = 0;

	for (int i = 0; i < 4 && l->comp[i].line; i++) {
		memcpy(buf + n, mrz_span_ptr(t, &l->comp[i]), l->comp[i].len);
		n += l->comp[i].len;
	}
	*mrz_span_ptr(t, &l->f[MRZ_F_COMPOSITE]) = (char)('0' + mrz_check_digit(buf, n));
}

static void put_fields(struct mrz_text *t, const struct mrz_layout *l, const struct mrz *m)
{
	const struct mrz_span *o = m->format == MRZ_TD1	  ? &l->f[MRZ_F_OPT1]
				   : m->format == MRZ_TD2 ? &l->f[MRZ_F_OPT2]
							  : NULL;
	char d[7];
	int k;

	*mrz_span_ptr(t, &l->f[MRZ_F_KIND]) = m->doc_code[0];
	*mrz_span_ptr(t, &l->f[MRZ_F_CODE2]) = m->doc_code[1];
	put(t, &l->f[MRZ_F_ISSUER], 0, m->issuer);
	put(t, &l->f[MRZ_F_NAT], 0, m->nationality);
	*mrz_span_ptr(t, &l->f[MRZ_F_SEX]) = m->sex;
	put_name(t, &l->f[MRZ_F_NAME], m);
	k = put_docno(t, l, o, m);
	if (l->f[MRZ_F_OPT1].line)
		put(t, &l->f[MRZ_F_OPT1], o == &l->f[MRZ_F_OPT1] ? k : 0, m->optional1);
	put(t, &l->f[MRZ_F_OPT2], o == &l->f[MRZ_F_OPT2] ? k : 0, m->optional2);
	if (l->f[MRZ_F_OPT2_CD].line)
		*mrz_span_ptr(t, &l->f[MRZ_F_OPT2_CD]) = m->optional2_cd;
	date_to_yymmdd(&m->birth, d);
	put(t, &l->f[MRZ_F_BIRTH], 0, d);
	put_cd(t, &l->f[MRZ_F_BIRTH], &l->f[MRZ_F_BIRTH_CD]);
	mrz_expiry_yymmdd(m, d);
	put(t, &l->f[MRZ_F_EXPIRY], 0, d);
	put_cd(t, &l->f[MRZ_F_EXPIRY], &l->f[MRZ_F_EXPIRY_CD]);
	put_composite(t, l);
}

int mrz_render(const struct mrz *m, char *out, size_t outlen)
{
	const struct mrz_layout *l;
	struct mrz_text t;
	size_t pos = 0;

	if (m->format < MRZ_TD1 || m->format > MRZ_TD3)
		return -CCCD_EINVAL;
	l = mrz_layout_of(m->format);
	if (outlen < (size_t)(l->width + 1) * l->nlines)
		return -CCCD_ENOSPC;
	memset(&t, 0, sizeof(t));
	for (int i = 0; i < l->nlines; i++)
		memset(t.line[i], '<', l->width);
	put_fields(&t, l, m);
	for (int i = 0; i < l->nlines; i++) {
		if (i)
			out[pos++] = '\n';
		memcpy(out + pos, t.line[i], l->width);
		pos += l->width;
	}
	out[pos] = '\0';
	return (int)pos;
}
