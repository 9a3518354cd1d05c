/* SPDX-License-Identifier: MIT */
/*
 * result.c - RESULT (ARCHITECTURE.md §5) from DG1, DG13, DG2 and the checks:
 *   card.access          the access control that opened the chip (pace | bac)
 *   document.number      DG13 field 1 (DG1's 12-digit ID when DG13 lacks it)
 *   document.doc_number  DG1 document number (last 9 digits of the ID)
 *   document.issue_date  DG13 field 11;  expiry_date: DG13 field 12, else DG1 (omitted for a
 *                        DG13 "no expiry" text)
 *   person.*             DG13 (full_name, birth_date, sex, ethnicity, religion, place_of_origin,
 *                        residence, old_id_number, father, mother, spouse); mrz_name and
 *                        nationality ("VNM") from DG1; birth_date and sex fall back to DG1
 *   photo                DG2's image format and size;  checks  pres_verify + reasons
 * Omitted on purpose: DG13's identifying marks and field 16 (not in §5).
 */
#include <string.h>

#include "core/json.h"
#include "pipeline/result.h"

#define TRY(x)                                                                                     \
	do {                                                                                       \
		if ((x) < 0)                                                                       \
			return -CCCD_ENOMEM;                                                       \
	} while (0)

const char *pres_access_str(enum emrtd_access a)
{
	return a == EMRTD_ACCESS_PACE ? "pace" : a == EMRTD_ACCESS_BAC ? "bac" : NULL;
}

static int add_date(cJSON *o, const char *key, const struct cccd_date *d)
{
	char iso[DATE_ISO_LEN];

	date_to_iso(d, iso);
	return cccd_json_str(o, key, iso);
}

static int add_card(cJSON *root, const struct pres_result_in *in)
{
	const struct pres_checks *k = in->checks;
	bool cccd = k->has_dg13 || (k->has_mrz && mrz_is_vietnamese(&k->mrz));
	cJSON *card = cccd_json_obj(root, "card");

	if (!card)
		return -CCCD_ENOMEM;
	TRY(cccd_json_str(card, "type", cccd ? "cccd" : "emrtd"));
	return cccd_json_str(card, "access", pres_access_str(in->card->access));
}

static int add_document(cJSON *root, const struct pres_checks *k)
{
	const struct dg13 *d = k->has_dg13 ? &k->dg13 : NULL;
	const struct mrz *m = k->has_mrz ? &k->mrz : NULL;
	cJSON *doc = cccd_json_obj(root, "document");

	if (!doc)
		return -CCCD_ENOMEM;
	if (d && dg13_has(d, DG13_ID))
		TRY(cccd_json_str(doc, "number", d->id));
	else if (m)
		TRY(cccd_json_str(doc, "number", m->id_number));
	if (m)
		TRY(cccd_json_str(doc, "doc_number", m->doc_number));
	if (d && dg13_has(d, DG13_ISSUE_DATE))
		TRY(add_date(doc, "issue_date", &d->issue_date));
	if (d && dg13_has(d, DG13_EXPIRY))
		return d->expiry_is_date ? add_date(doc, "expiry_date", &d->expiry_date) : 0;
	return m ? add_date(doc, "expiry_date", &m->expiry) : 0;
}

static int add_dg13_text(cJSON *p, const struct dg13 *d)
{
	const struct {
		const char *key;
		const char *val;
	} s[] = {
	    {"ethnicity", d->ethnicity},
	    {"religion", d->religion},
	    {"place_of_origin", d->place_of_origin},
	    {"residence", d->residence},
	    {"old_id_number", d->old_id},
	    {"father", d->father},
	    {"mother", d->mother},
	    {"spouse", d->spouse},
	};

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		TRY(cccd_json_str(p, s[i].key, s[i].val));
	return 0;
}

static int add_person(cJSON *root, const struct pres_checks *k)
{
	const struct dg13 *d = k->has_dg13 ? &k->dg13 : NULL;
	const struct mrz *m = k->has_mrz ? &k->mrz : NULL;
	const char *sex = d ? pres_dg13_sex(d->sex) : NULL;
	char name[2 * MRZ_NAME_MAX + 2], msex[2] = {m ? mrz_sex(m) : 0, 0}, nat[4] = "";
	cJSON *p = cccd_json_obj(root, "person");

	if (!p)
		return -CCCD_ENOMEM;
	if (d)
		TRY(cccd_json_str(p, "full_name", d->full_name));
	if (m) {
		mrz_name(m, name, sizeof(name));
		TRY(cccd_json_str(p, "mrz_name", name));
		memcpy(nat, m->nationality, 3);
		nat[strcspn(nat, "<")] = '\0';
	}
	if (d && dg13_has(d, DG13_BIRTH_DATE))
		TRY(add_date(p, "birth_date", &d->birth_date));
	else if (m)
		TRY(add_date(p, "birth_date", &m->birth));
	TRY(cccd_json_str(p, "sex", sex ? sex : msex));
	TRY(cccd_json_str(p, "nationality", nat));
	return d ? add_dg13_text(p, d) : 0;
}

static int add_photo(cJSON *root, const struct pres_checks *k)
{
	cJSON *ph;

	if (!k->has_photo)
		return 0;
	ph = cccd_json_obj(root, "photo");
	if (!ph)
		return -CCCD_ENOMEM;
	TRY(cccd_json_str(ph, "format", dg2_format_name(k->photo.format)));
	return cccd_json_num(ph, "bytes", (double)k->photo.image_len);
}

static int add_reasons(cJSON *checks, const struct verdict_out *v)
{
	cJSON *arr;

	if (!v->n)
		return 0;
	arr = cJSON_AddArrayToObject(checks, "reasons");
	if (!arr)
		return -CCCD_ENOMEM;
	for (size_t i = 0; i < v->n; i++) {
		cJSON *s = cJSON_CreateString(v->reasons[i]);

		if (!s || !cJSON_AddItemToArray(arr, s)) {
			cJSON_Delete(s);
			return -CCCD_ENOMEM;
		}
	}
	return 0;
}

static int add_checks(cJSON *root, const struct pres_checks *k)
{
	cJSON *c = cccd_json_obj(root, "checks");

	if (!c)
		return -CCCD_ENOMEM;
	TRY(cccd_json_str(c, "passive", pa_status_str(k->pa.status)));
	TRY(cccd_json_str(c, "active", verdict_auth_str(k->active)));
	TRY(cccd_json_str(c, "chip", verdict_auth_str(k->chip)));
	if (k->qr_match != PRES_MATCH_UNCHECKED)
		TRY(cccd_json_bool(c, "qr_match", k->qr_match == PRES_MATCH_YES));
	if (k->mrz_match != PRES_MATCH_UNCHECKED)
		TRY(cccd_json_bool(c, "mrz_match", k->mrz_match == PRES_MATCH_YES));
	TRY(cccd_json_str(c, "verdict", verdict_str(k->verdict.verdict)));
	return add_reasons(c, &k->verdict);
}

static int add_sources(cJSON *root, const struct pres_result_in *in)
{
	const char *src[3] = {"chip", in->from_qr ? "qr" : NULL, in->from_mrz ? "mrz" : NULL};
	cJSON *arr = cJSON_AddArrayToObject(root, "sources");

	if (!arr)
		return -CCCD_ENOMEM;
	for (size_t i = 0; i < 3; i++) {
		cJSON *s = src[i] ? cJSON_CreateString(src[i]) : NULL;

		if (src[i] && (!s || !cJSON_AddItemToArray(arr, s))) {
			cJSON_Delete(s);
			return -CCCD_ENOMEM;
		}
	}
	return 0;
}

static int add_timing(cJSON *root, const struct pres_result_in *in)
{
	const struct pres_stats *st = &in->card->stats;
	cJSON *t = cccd_json_obj(root, "timing_ms");

	if (!t)
		return -CCCD_ENOMEM;
	TRY(cccd_json_num(t, "key", in->ms_key));
	TRY(cccd_json_num(t, "access", st->ms_access));
	TRY(cccd_json_num(t, "read", st->ms_read));
	TRY(cccd_json_num(t, "verify", in->checks->ms_verify));
	TRY(cccd_json_num(t, "total", in->ms_total));
	return cccd_json_num(root, "apdus", (double)st->apdus);
}

static int fill(cJSON *root, const struct pres_result_in *in)
{
	TRY(cccd_json_str(root, "class", "RESULT"));
	TRY(cccd_json_str(root, "device", in->device));
	TRY(add_card(root, in));
	TRY(add_document(root, in->checks));
	TRY(add_person(root, in->checks));
	TRY(add_photo(root, in->checks));
	TRY(add_checks(root, in->checks));
	TRY(add_sources(root, in));
	return add_timing(root, in);
}

int pres_result_build(const struct pres_result_in *in, cJSON **out, struct cccd_err *err)
{
	cJSON *root;

	*out = NULL;
	if (!in->card->complete)
		return cccd_err_set(err, -CCCD_ESTATE, "result", "the card read is not complete");
	root = cJSON_CreateObject();
	if (!root || fill(root, in)) {
		cJSON_Delete(root);
		return cccd_err_set(err, -CCCD_ENOMEM, "result", "out of memory");
	}
	*out = root;
	return 0;
}
