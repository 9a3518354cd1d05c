/* SPDX-License-Identifier: MIT */
/*
 * parse_dg13.c - `cccdctl parse dg13 [FILE|-]`: the raw DG13 file as read from the chip, or the
 * same bytes as hex text. An input made only of hex digits and whitespace is decoded first (a
 * binary DG13 starts with 6D, 'm', so the two never collide). Prints document.* and person.* keys
 * of the RESULT (ARCHITECTURE.md §5); a text expiry ("Không thời hạn") goes to
 * document.expiry_text.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "doc/dg13.h"
#include "tools/cccdctl/cccdctl.h"

static bool is_hex_text(const uint8_t *buf, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isxdigit(buf[i]) && !isspace(buf[i]))
			return false;
	return true;
}

static int hexval(uint8_t c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

/* Decode hex text (whitespace ignored) into a malloc'ed buffer. */
static int unhex(const uint8_t *buf, size_t len, uint8_t **out, size_t *n, struct cccd_err *err)
{
	uint8_t *b = malloc(len / 2 + 1);
	size_t digits = 0;

	if (!b)
		return cccd_err_set(err, -CCCD_ENOMEM, "dg13", "out of memory");
	*n = 0;
	for (size_t i = 0; i < len; i++) {
		if (isspace(buf[i]))
			continue;
		if (digits++ % 2 == 0)
			b[*n] = (uint8_t)(hexval(buf[i]) << 4);
		else
			b[(*n)++] |= (uint8_t)hexval(buf[i]);
	}
	if (digits % 2) {
		free(b);
		return cccd_err_set(err, -CCCD_EFORMAT, "dg13", "hex input: odd number of digits");
	}
	*out = b;
	return 0;
}

static const char *sex_code(const char *s)
{
	if (!strcmp(s, "Nam"))
		return "M";
	if (!strcmp(s, "Nữ"))
		return "F";
	return NULL; /* unknown wording: omitted rather than guessed */
}

static int add_date(cJSON *obj, const char *key, const struct dg13 *d, enum dg13_field f,
		    const struct cccd_date *date)
{
	char iso[DATE_ISO_LEN];

	if (!dg13_has(d, f))
		return 0;
	date_to_iso(date, iso);
	return cccd_json_str(obj, key, iso);
}

static int fill_document(cJSON *doc, const struct dg13 *d)
{
	int rc = cccd_json_str(doc, "number", d->id);

	rc = rc ? rc : add_date(doc, "issue_date", d, DG13_ISSUE_DATE, &d->issue_date);
	if (rc || !dg13_has(d, DG13_EXPIRY))
		return rc;
	if (d->expiry_is_date)
		return add_date(doc, "expiry_date", d, DG13_EXPIRY, &d->expiry_date);
	return cccd_json_str(doc, "expiry_text", d->expiry_text);
}

static int fill_person(cJSON *p, const struct dg13 *d)
{
	const struct {
		const char *key;
		const char *val;
	} s[] = {
	    {"nationality", d->nationality}, {"ethnicity", d->ethnicity},
	    {"religion", d->religion},	     {"place_of_origin", d->place_of_origin},
	    {"residence", d->residence},     {"old_id_number", d->old_id},
	    {"father", d->father},	     {"mother", d->mother},
	    {"spouse", d->spouse},	     {"identifying_marks", d->identifying_marks},
	};
	int rc = cccd_json_str(p, "full_name", d->full_name);

	rc = rc ? rc : add_date(p, "birth_date", d, DG13_BIRTH_DATE, &d->birth_date);
	rc = rc ? rc : cccd_json_str(p, "sex", sex_code(d->sex));
	for (size_t i = 0; !rc && i < sizeof(s) / sizeof(s[0]); i++)
		rc = cccd_json_str(p, s[i].key, s[i].val);
	return rc;
}

int ctl_parse_dg13(const uint8_t *buf, size_t len, cJSON *root, struct cccd_err *err)
{
	uint8_t *bin = NULL;
	struct dg13 d;
	cJSON *doc, *person;
	int rc;

	if (is_hex_text(buf, len)) {
		rc = unhex(buf, len, &bin, &len, err);
		if (rc)
			return rc;
		buf = bin;
	}
	rc = dg13_parse(buf, len, &d, err);
	free(bin);
	if (rc)
		return rc;
	doc = cccd_json_obj(root, "document");
	person = cccd_json_obj(root, "person");
	if (!doc || !person)
		return cccd_err_set(err, -CCCD_ENOMEM, "dg13", "out of memory");
	rc = fill_document(doc, &d);
	rc = rc ? rc : fill_person(person, &d);
	if (rc)
		return cccd_err_set(err, rc, "dg13", "out of memory");
	return 0;
}
