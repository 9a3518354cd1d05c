/* SPDX-License-Identifier: MIT */
/*
 * template.h - output templates: literal text with RESULT fields, compiled once at load.
 *
 *   {document.number}\t{person.full_name}\t{person.birth_date:%d/%m/%Y}\n
 *
 * A field is a RESULT path of ARCHITECTURE.md §5 (or payment.* of a decoded VietQR); dates take
 * an optional format of %d %m %Y %y %% and literal characters. Escapes: \t \n \\ \{ \}. Unknown
 * fields, a format on a non-date field, a bad conversion and unbalanced braces are errors that
 * name the column ("col 22: unknown field 'person.nmae'"). Rendering omits absent fields (empty
 * text) and turns control characters inside values into spaces, so a value can never press Tab
 * or Enter on the host.
 */
#ifndef CCCD_OUT_TEMPLATE_H
#define CCCD_OUT_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "core/err.h"

#define OUT_TPL_MAX_SRC	  512 /* bytes of template text */
#define OUT_TPL_MAX_ITEMS 64
#define OUT_TPL_MAX_FMT	  24
#define OUT_DATE_DEFAULT  "%d/%m/%Y"

enum out_field_type { OUT_F_TEXT, OUT_F_DATE, OUT_F_BOOL, OUT_F_NUM };

struct out_field {
	const char *path; /* "person.birth_date" */
	enum out_field_type type;
};

struct out_tpl_item {
	int field;		   /* index into out_fields(), or -1 for literal text */
	uint16_t off, len;	   /* literal: bytes in lit[] */
	char fmt[OUT_TPL_MAX_FMT]; /* date format; "" = the caller's default */
};

struct out_template {
	struct out_tpl_item items[OUT_TPL_MAX_ITEMS];
	size_t n;
	char lit[OUT_TPL_MAX_SRC]; /* unescaped literal text of all items */
	size_t lit_len;
	bool payment; /* uses payment.* fields */
	bool person;  /* uses any other field */
};

/* The known fields, sorted by path; *n gets their count. */
const struct out_field *out_fields(size_t *n);

/* Index of path in out_fields(), or -1. */
int out_field_find(const char *path, size_t len);

/* Compile template text buf[0..len). -CCCD_EFORMAT with "col N: ..." in err, -CCCD_ENOSPC
 * when it has more than OUT_TPL_MAX_ITEMS parts. */
int out_template_parse(const uint8_t *buf, size_t len, struct out_template *t,
		       struct cccd_err *err);

/* Write t back as template text (escaped), NUL-terminated; -CCCD_ENOSPC. */
int out_template_format(const struct out_template *t, char *out, size_t cap);

/* Check a date format (strftime subset above); 0 or -CCCD_EFORMAT with the offending offset. */
int out_date_format_check(const char *fmt, struct cccd_err *err);

/* Render t over result (RESULT or {"payment":{...}}); date_fmt is the default date format.
 * NUL-terminated into out[0..cap); -CCCD_ENOSPC. */
int out_template_render(const struct out_template *t, const cJSON *result, const char *date_fmt,
			char *out, size_t cap, struct cccd_err *err);

#endif
