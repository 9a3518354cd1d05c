/* SPDX-License-Identifier: MIT */
/* test_result.c - the RESULT (ARCHITECTURE.md §5) of real reads of every fixture card with every
 * access path, each value compared with the card's dataset file; absent values omitted (never
 * null); nothing built from an incomplete read. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "core/utf8.h"
#include "helpers/simread.h"
#include "pipeline/result.h"

static struct emrtd_session sess;
static struct pres_card card;
static struct pres_checks chk;

static const char *str_at(const cJSON *root, const char *obj, const char *key)
{
	const cJSON *o = obj ? cJSON_GetObjectItemCaseSensitive(root, obj) : root;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void assert_str(const cJSON *root, const char *obj, const char *key, const char *want)
{
	const char *got = str_at(root, obj, key);

	if (!want || !want[0]) {
		if (got)
			fail_msg("%s.%s present (\"%s\"), want absent", obj, key, got);
		return;
	}
	if (!got || strcmp(got, want))
		fail_msg("%s.%s: \"%s\", want \"%s\"", obj, key, got ? got : "(absent)", want);
}

static void assert_no_null(const cJSON *o)
{
	for (const cJSON *it = o->child; it; it = it->next) {
		assert_false(cJSON_IsNull(it));
		if (cJSON_IsObject(it) || cJSON_IsArray(it))
			assert_no_null(it);
	}
}

/* The MRZ spelling of a dataset name: marks removed, Đ -> D, upper case. */
static void mrz_spelling(const char *name, char *out, size_t cap)
{
	assert_int_equal(cccd_utf8_strip_marks((const uint8_t *)name, strlen(name), out, cap, NULL),
			 0);
	for (char *p = out; *p; p++)
		*p = (char)toupper((unsigned char)*p);
}

static cJSON *build(const char *device)
{
	struct pres_verify_in vi = {.now = (long long)time(NULL)};
	struct pres_result_in ri = {device, &card, &chk, false, false, 1, 42};
	cJSON *res = NULL;

	date_today(&vi.today);
	assert_int_equal(pres_verify(&card, &vi, &chk, NULL), 0);
	assert_int_equal(pres_result_build(&ri, &res, NULL), 0);
	assert_non_null(res);
	return res;
}

static void check_person(const cJSON *r, const struct vchip_person *p)
{
	char iso[DATE_ISO_LEN], name[256], sex[2] = {p->sex, 0};

	assert_str(r, "person", "full_name", p->full_name);
	mrz_spelling(p->full_name, name, sizeof(name));
	assert_str(r, "person", "mrz_name", name);
	date_to_iso(&p->birth_date, iso);
	assert_str(r, "person", "birth_date", iso);
	assert_str(r, "person", "sex", sex);
	assert_str(r, "person", "nationality", "VNM");
	assert_str(r, "person", "ethnicity", p->ethnicity);
	assert_str(r, "person", "religion", p->religion);
	assert_str(r, "person", "place_of_origin", p->place_of_origin);
	assert_str(r, "person", "residence", p->residence);
	assert_str(r, "person", "old_id_number", p->old_id_number);
	assert_str(r, "person", "father", p->father);
	assert_str(r, "person", "mother", p->mother);
	assert_str(r, "person", "spouse", p->spouse);
	assert_null(str_at(r, "person", "identifying_marks")); /* not in §5 */
}

static void check_result(const cJSON *r, const struct vchip_dataset *ds, const char *access,
			 const char *device)
{
	const struct vchip_person *p = &ds->person;
	const cJSON *photo = cJSON_GetObjectItemCaseSensitive(r, "photo");
	const cJSON *src = cJSON_GetObjectItemCaseSensitive(r, "sources");
	char iso[DATE_ISO_LEN];

	assert_no_null(r);
	assert_str(r, NULL, "class", "RESULT");
	assert_str(r, NULL, "device", device);
	assert_str(r, "card", "type", "cccd");
	assert_str(r, "card", "access", access);
	assert_str(r, "document", "number", p->id_number);
	assert_str(r, "document", "doc_number", p->id_number + 3);
	date_to_iso(&p->issue_date, iso);
	assert_str(r, "document", "issue_date", iso);
	date_to_iso(&p->expiry_date, iso);
	assert_str(r, "document", "expiry_date", p->no_expiry ? NULL : iso);
	check_person(r, p);
	assert_non_null(photo);
	assert_str(r, "photo", "format", "jpeg");
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(photo, "bytes")->valueint,
			 ds->chip.photo_bytes);
	assert_str(r, "checks", "passive", "untrusted");
	assert_str(r, "checks", "active", "ok"); /* every shipped card offers AA and CA */
	assert_str(r, "checks", "chip", "ok");
	assert_str(r, "checks", "verdict", "suspect");
	assert_int_equal(cJSON_GetArraySize(src), 1);
	assert_string_equal(cJSON_GetArrayItem(src, 0)->valuestring, "chip");
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(r, "apdus")->valueint, card.stats.apdus);
	assert_int_equal(
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(r, "timing_ms"), "total")
		->valueint,
	    42);
}

static void one(const char *name, bool can, bool bac)
{
	struct vchip_dataset ds;
	struct card_link link;
	struct emrtd_key k;
	struct cccd_err e = {0};
	cJSON *r;

	simread_dataset(name, &ds);
	if (can)
		simread_key_can(&ds, &k);
	else
		simread_key_mrz(&ds, &k);
	simread_open(&link, name, bac ? "?pace=0" : "");
	if (simread_read(&link, &sess, &k, 1, true, true, &card, &e))
		fail_msg("%s: %s: %s", name, e.where, e.msg);
	r = build(link.uri);
	check_result(r, &ds, bac ? "bac" : "pace", link.uri);
	cJSON_Delete(r);
	card_link_close(&link);
}

static void every_card_every_path(void **state)
{
	(void)state;
	one("an.ini", true, false);
	one("an.ini", false, false);
	one("an.ini", false, true);
	one("long-address.ini", true, false);
	one("long-address.ini", false, true);
	one("no-expiry-mrz991231.ini", true, false);
	one("no-expiry-mrz991231.ini", false, false);
	one("rsa-old-id.ini", false, false);
	one("rsa-old-id.ini", false, true);
}

/* The sources and the match flags follow what the caller had; reasons are listed. */
static void sources_and_matches(void **state)
{
	struct pres_result_in ri = {"sim:x", &card, &chk, true, true, 0, 0};
	const cJSON *checks, *src;
	cJSON *r;

	(void)state;
	one("an.ini", true, false);
	chk.qr_match = PRES_MATCH_YES;
	chk.mrz_match = PRES_MATCH_NO;
	assert_int_equal(pres_result_build(&ri, &r, NULL), 0);
	checks = cJSON_GetObjectItemCaseSensitive(r, "checks");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(checks, "qr_match")));
	assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(checks, "mrz_match")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(checks, "reasons")),
			 1); /* passive untrusted; AA and CA are ok */
	src = cJSON_GetObjectItemCaseSensitive(r, "sources");
	assert_int_equal(cJSON_GetArraySize(src), 3);
	assert_string_equal(cJSON_GetArrayItem(src, 2)->valuestring, "mrz");
	cJSON_Delete(r);
}

/* Nothing is built from a read that did not complete. */
static void incomplete_read_gives_no_result(void **state)
{
	struct pres_result_in ri = {"sim:x", &card, &chk, false, false, 0, 0};
	struct cccd_err e = {0};
	cJSON *r = (cJSON *)&ri;

	(void)state;
	pres_card_wipe(&card);
	assert_int_equal(pres_result_build(&ri, &r, &e), -CCCD_ESTATE);
	assert_null(r);
	assert_string_equal(pres_access_str(EMRTD_ACCESS_BAC), "bac");
	assert_null(pres_access_str(EMRTD_ACCESS_NONE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_card_every_path),
	    cmocka_unit_test(sources_and_matches),
	    cmocka_unit_test(incomplete_read_gives_no_result),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
