/* SPDX-License-Identifier: MIT */
/*
 * template.c - template compiler and renderer (template.h).
 * Example: "{person.birth_date:%d/%m/%Y}\n" over {"person":{"birth_date":"2000-02-01"}} renders
 * "01/02/2000\n"; the compiled form is two items: field 27 with fmt "%d/%m/%Y", literal "\n".
 * Values are looked up by path with cJSON; numbers print as integers when integral.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/template.h"

/* Sorted by path (strcmp): out_field_find() bsearches it and a test checks the order. */
static const struct out_field fields[] = {
    {"apdus", OUT_F_NUM},
    {"card.access", OUT_F_TEXT},
    {"card.type", OUT_F_TEXT},
    {"checks.active", OUT_F_TEXT},
    {"checks.chip", OUT_F_TEXT},
    {"checks.mrz_match", OUT_F_BOOL},
    {"checks.passive", OUT_F_TEXT},
    {"checks.qr_match", OUT_F_BOOL},
    {"checks.verdict", OUT_F_TEXT},
    {"device", OUT_F_TEXT},
    {"document.doc_number", OUT_F_TEXT},
    {"document.expiry_date", OUT_F_DATE},
    {"document.issue_date", OUT_F_DATE},
    {"document.number", OUT_F_TEXT},
    {"payment.account", OUT_F_TEXT},
    {"payment.amount", OUT_F_TEXT},
    {"payment.bank", OUT_F_TEXT},
    {"payment.bank_bin", OUT_F_TEXT},
    {"payment.bank_name", OUT_F_TEXT},
    {"payment.country", OUT_F_TEXT},
    {"payment.currency", OUT_F_TEXT},
    {"payment.merchant_city", OUT_F_TEXT},
    {"payment.merchant_name", OUT_F_TEXT},
    {"payment.purpose", OUT_F_TEXT},
    {"payment.service", OUT_F_TEXT},
    {"person.birth_date", OUT_F_DATE},
    {"person.ethnicity", OUT_F_TEXT},
    {"person.father", OUT_F_TEXT},
    {"person.full_name", OUT_F_TEXT},
    {"person.mother", OUT_F_TEXT},
    {"person.mrz_name", OUT_F_TEXT},
    {"person.nationality", OUT_F_TEXT},
    {"person.old_id_number", OUT_F_TEXT},
    {"person.place_of_origin", OUT_F_TEXT},
    {"person.religion", OUT_F_TEXT},
    {"person.residence", OUT_F_TEXT},
    {"person.sex", OUT_F_TEXT},
    {"person.spouse", OUT_F_TEXT},
    {"photo.bytes", OUT_F_NUM},
    {"photo.format", OUT_F_TEXT},
    {"timing_ms.total", OUT_F_NUM},
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

const struct out_field *out_fields(size_t *n)
{
	*n = NFIELDS;
	return fields;
}

int out_field_find(const char *path, size_t len)
{
	size_t lo = 0, hi = NFIELDS;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2, fl = strlen(fields[mid].path);
		int c =
		    memcmp(fields[mid].path, path, fl < len ? fl : len); /* path may hold NULs */

		if (c == 0)
			c = (fl > len) - (fl < len);
		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* 1-based column (in characters) of byte offset off. */
static size_t col(const uint8_t *buf, size_t off)
{
	size_t c = 1;

	for (size_t i = 0; i < off; i++)
		if ((buf[i] & 0xC0) != 0x80)
			c++;
	return c;
}

int out_date_format_check(const char *fmt, struct cccd_err *err)
{
	for (size_t i = 0; fmt[i]; i++) {
		if (fmt[i] == '{' || fmt[i] == '}' || (unsigned char)fmt[i] < 0x20)
			return cccd_err_set(
			    err, -CCCD_EFORMAT, "template",
			    "offset %zu: character 0x%02X not allowed in a date format", i,
			    (unsigned char)fmt[i]);
		if (fmt[i] != '%')
			continue;
		if (!fmt[i + 1] || !strchr("dmYy%", fmt[i + 1]))
			return cccd_err_set(
			    err, -CCCD_EFORMAT, "template",
			    "offset %zu: date conversion '%%%.1s' (use %%d %%m %%Y %%y %%%%)", i,
			    fmt + i + 1);
		i++;
	}
	return 0;
}

struct cc {
	const uint8_t *buf;
	size_t len;
	struct out_template *t;
	struct cccd_err *err;
};

static int add_lit(struct cc *c, char ch)
{
	struct out_tpl_item *last = c->t->n ? &c->t->items[c->t->n - 1] : NULL;

	if (c->t->lit_len >= sizeof(c->t->lit) - 1)
		return cccd_err_set(c->err, -CCCD_ENOSPC, "template", "literal text over %zu bytes",
				    sizeof(c->t->lit) - 1);
	if (!last || last->field >= 0) {
		if (c->t->n == OUT_TPL_MAX_ITEMS)
			return cccd_err_set(c->err, -CCCD_ENOSPC, "template", "more than %d parts",
					    OUT_TPL_MAX_ITEMS);
		last = &c->t->items[c->t->n++];
		*last = (struct out_tpl_item){.field = -1, .off = (uint16_t)c->t->lit_len};
	}
	c->t->lit[c->t->lit_len++] = ch;
	last->len++;
	return 0;
}

static int escape(struct cc *c, size_t i)
{
	static const char from[] = "tn\\{}", to[] = "\t\n\\{}";
	const char *p = i + 1 < c->len ? strchr(from, c->buf[i + 1]) : NULL;

	if (!p || !c->buf[i + 1])
		return cccd_err_set(c->err, -CCCD_EFORMAT, "template", "col %zu: unknown escape",
				    col(c->buf, i));
	return add_lit(c, to[p - from]);
}

static int field_fmt(struct cc *c, struct out_tpl_item *it, size_t at, size_t end)
{
	struct cccd_err e;

	if (end - at >= sizeof(it->fmt))
		return cccd_err_set(c->err, -CCCD_EFORMAT, "template",
				    "col %zu: date format longer than %zu bytes", col(c->buf, at),
				    sizeof(it->fmt) - 1);
	memcpy(it->fmt, c->buf + at, end - at);
	it->fmt[end - at] = '\0';
	if (fields[it->field].type != OUT_F_DATE)
		return cccd_err_set(c->err, -CCCD_EFORMAT, "template",
				    "col %zu: field '%s' takes no format", col(c->buf, at - 1),
				    fields[it->field].path);
	if (!it->fmt[0] || out_date_format_check(it->fmt, &e))
		return cccd_err_set(c->err, -CCCD_EFORMAT, "template", "col %zu: bad date format%s",
				    col(c->buf, at), it->fmt[0] ? " (use %d %m %Y %y %%)" : "");
	return 0;
}

/* "{path[:fmt]}" at buf[i]; returns the index after '}' or a negative error. */
static long field(struct cc *c, size_t i)
{
	const uint8_t *close = memchr(c->buf + i, '}', c->len - i);
	const uint8_t *open = memchr(c->buf + i + 1, '{', c->len - i - 1);
	size_t end, name_end;
	const uint8_t *colon;
	struct out_tpl_item *it;
	int rc;

	if (!close || (open && open < close))
		return cccd_err_set(c->err, -CCCD_EFORMAT, "template", "col %zu: '{' not closed",
				    col(c->buf, i));
	end = (size_t)(close - c->buf);
	colon = memchr(c->buf + i, ':', end - i);
	name_end = colon ? (size_t)(colon - c->buf) : end;
	if (c->t->n == OUT_TPL_MAX_ITEMS)
		return cccd_err_set(c->err, -CCCD_ENOSPC, "template", "more than %d parts",
				    OUT_TPL_MAX_ITEMS);
	it = &c->t->items[c->t->n];
	*it = (struct out_tpl_item){
	    .field = out_field_find((const char *)c->buf + i + 1, name_end - i - 1)};
	if (it->field < 0)
		return cccd_err_set(c->err, -CCCD_EFORMAT, "template",
				    "col %zu: unknown field '%.*s'", col(c->buf, i + 1),
				    (int)(name_end - i - 1 > 40 ? 40 : name_end - i - 1),
				    c->buf + i + 1);
	if (colon && (rc = field_fmt(c, it, name_end + 1, end)))
		return rc;
	c->t->n++;
	if (!strncmp(fields[it->field].path, "payment.", 8))
		c->t->payment = true;
	else
		c->t->person = true;
	return (long)end + 1;
}

int out_template_parse(const uint8_t *buf, size_t len, struct out_template *t, struct cccd_err *err)
{
	struct cc c = {buf, len, t, err};
	int rc = 0;

	memset(t, 0, sizeof(*t));
	if (len >= OUT_TPL_MAX_SRC)
		return cccd_err_set(err, -CCCD_ENOSPC, "template", "longer than %d bytes",
				    OUT_TPL_MAX_SRC - 1);
	if (memchr(buf, '\0', len)) /* anywhere, also inside a field or a date format */
		return cccd_err_set(
		    err, -CCCD_EFORMAT, "template", "col %zu: NUL byte",
		    col(buf, (size_t)((const uint8_t *)memchr(buf, '\0', len) - buf)));
	for (size_t i = 0; i < len && !rc;) {
		long next;

		if (buf[i] == '}')
			return cccd_err_set(err, -CCCD_EFORMAT, "template",
					    "col %zu: '}' without '{'", col(buf, i));
		if (buf[i] == '\\') {
			rc = escape(&c, i);
			i += 2;
		} else if (buf[i] == '{') {
			next = field(&c, i);
			if (next < 0)
				return (int)next;
			i = (size_t)next;
		} else {
			rc = add_lit(&c, (char)buf[i++]);
		}
	}
	return rc;
}

static int put(char *out, size_t cap, size_t *n, const char *s, size_t len)
{
	if (len >= cap - *n)
		return -CCCD_ENOSPC;
	memcpy(out + *n, s, len);
	*n += len;
	out[*n] = '\0';
	return 0;
}

int out_template_format(const struct out_template *t, char *out, size_t cap)
{
	size_t n = 0;
	int rc = 0;

	if (!cap)
		return -CCCD_ENOSPC;
	out[0] = '\0';
	for (size_t i = 0; i < t->n && !rc; i++) {
		const struct out_tpl_item *it = &t->items[i];

		if (it->field >= 0) {
			char f[96];

			snprintf(f, sizeof(f), "{%s%s%s}", fields[it->field].path,
				 it->fmt[0] ? ":" : "", it->fmt);
			rc = put(out, cap, &n, f, strlen(f));
			continue;
		}
		for (size_t k = 0; k < it->len && !rc; k++) {
			char ch = t->lit[it->off + k];
			const char *esc = ch == '\t'   ? "\\t"
					  : ch == '\n' ? "\\n"
					  : ch == '\\' ? "\\\\"
					  : ch == '{'  ? "\\{"
					  : ch == '}'  ? "\\}"
						       : NULL;

			rc = esc ? put(out, cap, &n, esc, 2) : put(out, cap, &n, &ch, 1);
		}
	}
	return rc;
}

/* "YYYY-MM-DD" through fmt; anything else is copied as it is. */
static int put_date(char *out, size_t cap, size_t *n, const char *v, const char *fmt)
{
	int rc = 0;

	if (strlen(v) != 10 || v[4] != '-' || v[7] != '-')
		return put(out, cap, n, v, strlen(v));
	for (size_t i = 0; fmt[i] && !rc; i++) {
		if (fmt[i] != '%' || !fmt[i + 1]) {
			rc = put(out, cap, n, fmt + i, 1);
			continue;
		}
		i++;
		rc = fmt[i] == 'd'   ? put(out, cap, n, v + 8, 2)
		     : fmt[i] == 'm' ? put(out, cap, n, v + 5, 2)
		     : fmt[i] == 'Y' ? put(out, cap, n, v, 4)
		     : fmt[i] == 'y' ? put(out, cap, n, v + 2, 2)
				     : put(out, cap, n, "%", 1);
	}
	return rc;
}

static const cJSON *lookup(const cJSON *root, const char *path)
{
	const char *dot = strchr(path, '.');
	char head[32];

	if (!dot)
		return cJSON_GetObjectItemCaseSensitive(root, path);
	snprintf(head, sizeof(head), "%.*s", (int)(dot - path), path);
	return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, head),
						dot + 1);
}

/* A text value with control characters turned into spaces. */
static int put_text(char *out, size_t cap, size_t *n, const char *v)
{
	size_t start = *n;
	int rc = put(out, cap, n, v, strlen(v));

	for (size_t i = start; !rc && i < *n; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7F)
			out[i] = ' ';
	return rc;
}

static int put_value(char *out, size_t cap, size_t *n, const cJSON *v,
		     const struct out_tpl_item *it, const char *date_fmt)
{
	char num[32];

	if (!v)
		return 0; /* absent = unknown: nothing typed */
	if (cJSON_IsBool(v))
		return put(out, cap, n, cJSON_IsTrue(v) ? "true" : "false",
			   cJSON_IsTrue(v) ? 4 : 5);
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;

		if (d == (double)(long long)d)
			snprintf(num, sizeof(num), "%lld", (long long)d);
		else
			snprintf(num, sizeof(num), "%g", d);
		return put(out, cap, n, num, strlen(num));
	}
	if (!cJSON_IsString(v) || !v->valuestring)
		return 0;
	if (fields[it->field].type == OUT_F_DATE)
		return put_date(out, cap, n, v->valuestring, it->fmt[0] ? it->fmt : date_fmt);
	return put_text(out, cap, n, v->valuestring);
}

int out_template_render(const struct out_template *t, const cJSON *result, const char *date_fmt,
			char *out, size_t cap, struct cccd_err *err)
{
	size_t n = 0;
	int rc = 0;

	if (!cap)
		return cccd_err_set(err, -CCCD_ENOSPC, "template", "no room");
	out[0] = '\0';
	for (size_t i = 0; i < t->n && !rc; i++) {
		const struct out_tpl_item *it = &t->items[i];

		if (it->field < 0)
			rc = put(out, cap, &n, t->lit + it->off, it->len);
		else
			rc = put_value(out, cap, &n, lookup(result, fields[it->field].path), it,
				       date_fmt ? date_fmt : OUT_DATE_DEFAULT);
	}
	if (rc)
		return cccd_err_set(err, rc, "template", "rendered text longer than %zu bytes",
				    cap - 1);
	return 0;
}
