/* SPDX-License-Identifier: MIT */
/*
 * parse_mrz.c - `cccdctl parse mrz [FILE|-]`: one MRZ (TD1/TD2/TD3, lines only) as RESULT-shaped
 * JSON (ARCHITECTURE.md §5) plus an "mrz" object with the format, document code, issuer and the
 * BAC key seed input. The birth century is resolved against today's date (date_today()).
 *   {"card":{"type":"cccd"},"document":{"number":"001200012345","doc_number":"200012345",
 *    "expiry_date":"2025-02-01"},"person":{"mrz_name":"NGUYEN VAN AN","birth_date":"2000-02-01","sex":"M",
 *    "nationality":"VNM"},"mrz":{"format":"TD1","document_code":"ID","issuer":"VNM",
 *    "key":"200012345700020152502014"}}
 * Fillers are dropped from codes ("I<" -> "I", "D<<" -> "D"). No OCR repair here: input is taken
 * as typed or scanned, and a bad character or check digit is an error naming line and column.
 */
#include <ctype.h>
#include <string.h>

#include "core/json.h"
#include "doc/mrz.h"
#include "tools/cccdctl/cccdctl.h"

/* Copy src without its trailing fillers into out[n]. */
static const char *trim(const char *src, char *out, size_t n)
{
	size_t k = strlen(src);

	while (k && src[k - 1] == '<')
		k--;
	if (k >= n)
		k = n - 1;
	memcpy(out, src, k);
	out[k] = '\0';
	return out;
}

static int add_document(cJSON *root, const struct mrz *m)
{
	cJSON *doc = cccd_json_obj(root, "document");
	char iso[DATE_ISO_LEN];
	int rc;

	if (!doc)
		return -CCCD_ENOMEM;
	date_to_iso(&m->expiry, iso);
	rc = cccd_json_str(doc, "number", m->id_number[0] ? m->id_number : m->doc_number);
	rc = rc ? rc : cccd_json_str(doc, "doc_number", m->doc_number);
	if (!m->no_expiry) /* absent = none printed: the RESULT has no nulls */
		rc = rc ? rc : cccd_json_str(doc, "expiry_date", iso);
	return rc;
}

/* The RESULT keeps the document kind under card.type (ARCHITECTURE.md §5). */
static int add_card(cJSON *root, const struct mrz *m)
{
	cJSON *card = cccd_json_obj(root, "card");
	char type[4];

	if (!card)
		return -CCCD_ENOMEM;
	for (size_t i = 0; i < 4; i++)
		type[i] = (char)tolower((unsigned char)mrz_format_name(m->format)[i]);
	return cccd_json_str(card, "type", mrz_is_vietnamese(m) ? "cccd" : type);
}

static int add_person(cJSON *root, const struct mrz *m)
{
	cJSON *p = cccd_json_obj(root, "person");
	char name[2 * MRZ_NAME_MAX + 2], iso[DATE_ISO_LEN], sex[2] = {mrz_sex(m), '\0'}, nat[4];
	int rc;

	if (!p)
		return -CCCD_ENOMEM;
	mrz_name(m, name, sizeof(name));
	date_to_iso(&m->birth, iso);
	rc = cccd_json_str(p, "mrz_name", name);
	rc = rc ? rc : cccd_json_str(p, "birth_date", iso);
	rc = rc ? rc : cccd_json_str(p, "sex", sex);
	return rc ? rc : cccd_json_str(p, "nationality", trim(m->nationality, nat, sizeof(nat)));
}

static int add_mrz(cJSON *root, const struct mrz *m)
{
	cJSON *o = cccd_json_obj(root, "mrz");
	char key[MRZ_KEY_MAX + 1], code[3], issuer[4];
	int rc;

	if (!o)
		return -CCCD_ENOMEM;
	if (mrz_key(m, key, sizeof(key)) < 0)
		return -CCCD_ENOSPC;
	rc = cccd_json_str(o, "format", mrz_format_name(m->format));
	rc = rc ? rc : cccd_json_str(o, "document_code", trim(m->doc_code, code, sizeof(code)));
	rc = rc ? rc : cccd_json_str(o, "issuer", trim(m->issuer, issuer, sizeof(issuer)));
	return rc ? rc : cccd_json_str(o, "key", key);
}

int ctl_parse_mrz(const uint8_t *buf, size_t len, cJSON *root, struct cccd_err *err)
{
	struct cccd_date today;
	struct mrz m;
	int rc;

	date_today(&today);
	rc = mrz_parse(buf, len, &today, &m, err);
	if (rc)
		return rc;
	rc = add_card(root, &m);
	rc = rc ? rc : add_document(root, &m);
	rc = rc ? rc : add_person(root, &m);
	rc = rc ? rc : add_mrz(root, &m);
	if (rc)
		return cccd_err_set(err, rc, "mrz", "out of memory building JSON");
	return 0;
}
