/* SPDX-License-Identifier: MIT */
/*
 * parse_qr.c - `cccdctl parse qr`: a CCCD card QR payload as RESULT-shaped JSON (ARCHITECTURE.md
 * §5), plus the chip access keys it yields:
 *   {"document":{"number","issue_date"},
 *    "person":{"full_name","birth_date","sex","residence","old_id_number"},
 *    "access":{"doc_number","can","renew_age"|"no_expiry","expiry_candidates":[ISO dates],
 *              "mrz_expiry_candidates":[YYMMDD as the MRZ would carry them]},
 *    "extra_fields":[...] (2024 card only), "warnings":["id_inconsistent"] (only then)}
 * "<<<<<<" (a no-expiry guess) has no ISO date and appears only among the MRZ candidates.
 */
#include "core/json.h"
#include "doc/cccdqr.h"
#include "doc/cccdqr_keys.h"
#include "tools/cccdctl/cccdctl.h"

static int add_str_item(cJSON *arr, const char *s)
{
	cJSON *item = cJSON_CreateString(s);

	if (!item)
		return -CCCD_ENOMEM;
	cJSON_AddItemToArray(arr, item);
	return 0;
}

static int add_date(cJSON *obj, const char *key, const struct cccd_date *d)
{
	char iso[DATE_ISO_LEN];

	date_to_iso(d, iso);
	return cccd_json_str(obj, key, iso);
}

static int add_document_person(cJSON *root, const struct cccdqr *qr)
{
	cJSON *doc = cccd_json_obj(root, "document"), *person = cccd_json_obj(root, "person");

	if (!doc || !person)
		return -CCCD_ENOMEM;
	if (cccd_json_str(doc, "number", qr->id) || add_date(doc, "issue_date", &qr->issue_date) ||
	    cccd_json_str(person, "full_name", qr->full_name) ||
	    add_date(person, "birth_date", &qr->birth_date) ||
	    cccd_json_str(person, "sex", qr->sex == 'F' ? "F" : "M") ||
	    cccd_json_str(person, "residence", qr->address) ||
	    cccd_json_str(person, "old_id_number", qr->old_id))
		return -CCCD_ENOMEM;
	return 0;
}

static int add_candidates(cJSON *access, const struct cccdqr_access *a)
{
	cJSON *iso = cJSON_AddArrayToObject(access, "expiry_candidates");
	cJSON *mrz = cJSON_AddArrayToObject(access, "mrz_expiry_candidates");
	char d[DATE_ISO_LEN];

	if (!iso || !mrz)
		return -CCCD_ENOMEM;
	for (size_t i = 0; i < a->n; i++) {
		if (add_str_item(mrz, a->cand[i].yymmdd))
			return -CCCD_ENOMEM;
		if (!a->cand[i].has_date)
			continue;
		date_to_iso(&a->cand[i].date, d);
		if (add_str_item(iso, d))
			return -CCCD_ENOMEM;
	}
	return 0;
}

static int add_access(cJSON *root, const struct cccdqr_access *a)
{
	cJSON *access = cccd_json_obj(root, "access");

	if (!access || cccd_json_str(access, "doc_number", a->doc_number) ||
	    cccd_json_str(access, "can", a->can))
		return -CCCD_ENOMEM;
	if (a->renew_age ? cccd_json_num(access, "renew_age", a->renew_age)
			 : cccd_json_bool(access, "no_expiry", true))
		return -CCCD_ENOMEM;
	return add_candidates(access, a);
}

static int add_extras(cJSON *root, const struct cccdqr *qr)
{
	cJSON *arr, *warn;

	if (qr->n_extra) {
		arr = cJSON_AddArrayToObject(root, "extra_fields");
		if (!arr)
			return -CCCD_ENOMEM;
		for (unsigned i = 0; i < qr->n_extra; i++)
			if (add_str_item(arr, qr->extra[i]))
				return -CCCD_ENOMEM;
	}
	if (!qr->id_consistent) {
		warn = cJSON_AddArrayToObject(root, "warnings");
		if (!warn || add_str_item(warn, "id_inconsistent"))
			return -CCCD_ENOMEM;
	}
	return 0;
}

int ctl_parse_qr(const uint8_t *buf, size_t len, cJSON *root, struct cccd_err *err)
{
	struct cccdqr qr;
	struct cccdqr_access a;
	int rc;

	rc = cccdqr_parse(buf, len, &qr, err);
	if (!rc)
		rc = cccdqr_keys(&qr, &a, err);
	if (rc)
		return rc;
	if (add_document_person(root, &qr) || add_access(root, &a) || add_extras(root, &qr))
		return cccd_err_set(err, -CCCD_ENOMEM, "qr", "out of memory building JSON");
	return 0;
}
