/* SPDX-License-Identifier: MIT */
/* test_template.c - template compile errors with columns, rendering, format round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "out/template.h"

static int parse(const char *s, struct out_template *t, struct cccd_err *e)
{
	return out_template_parse((const uint8_t *)s, strlen(s), t, e);
}

static void field_table_sorted_and_found(void **state)
{
	size_t n;
	const struct out_field *f = out_fields(&n);

	(void)state;
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(f[i - 1].path, f[i].path) < 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(out_field_find(f[i].path, strlen(f[i].path)), (int)i);
	assert_int_equal(out_field_find("person", 6), -1);
	assert_int_equal(out_field_find("person.full_name_x", 18), -1);
	assert_int_equal(out_field_find("", 0), -1);
	/* a NUL inside the name must not match a prefix (found by fuzz_out_template) */
	assert_int_equal(out_field_find("apdus\0xx", 8), -1);
	assert_int_equal(out_field_find("apdus\0", 6), -1);
}

/* The template of issue 8, rendered over a RESULT. */
static void issue_example_renders(void **state)
{
	struct out_template t;
	char out[256];
	cJSON *r =
	    cJSON_Parse("{\"document\":{\"number\":\"001200012345\"},\"person\":{\"full_name\":"
			"\"Nguy\xe1\xbb\x85n V\xc4\x83n An\",\"birth_date\":\"2000-02-01\"}}");

	(void)state;
	assert_non_null(r);
	assert_int_equal(
	    parse("{document.number}\\t{person.full_name}\\t{person.birth_date:%d/%m/%Y}"
		  "\\n",
		  &t, NULL),
	    0);
	assert_int_equal(t.n, 6);
	assert_true(t.person);
	assert_false(t.payment);
	assert_int_equal(out_template_render(&t, r, NULL, out, sizeof(out), NULL), 0);
	assert_string_equal(out, "001200012345\tNguy\xe1\xbb\x85n V\xc4\x83n An\t01/02/2000\n");
	/* default date format from the caller; %y and %% */
	assert_int_equal(parse("{person.birth_date}|{person.birth_date:%y%%}", &t, NULL), 0);
	assert_int_equal(out_template_render(&t, r, "%Y-%m", out, sizeof(out), NULL), 0);
	assert_string_equal(out, "2000-02|00%");
	/* absent fields render empty; control characters in values become spaces */
	cJSON_AddStringToObject(cJSON_GetObjectItem(r, "person"), "residence", "a\tb\nc");
	assert_int_equal(parse("[{person.sex}][{person.residence}]", &t, NULL), 0);
	assert_int_equal(out_template_render(&t, r, NULL, out, sizeof(out), NULL), 0);
	assert_string_equal(out, "[][a b c]");
	assert_int_equal(out_template_render(&t, r, NULL, out, 5, NULL), -CCCD_ENOSPC);
	cJSON_Delete(r);
}

static void types_bool_number_payment(void **state)
{
	struct out_template t;
	char out[128];
	cJSON *r = cJSON_Parse("{\"checks\":{\"qr_match\":true,\"mrz_match\":false},\"apdus\":23,"
			       "\"payment\":{\"amount\":\"150000\"}}");

	(void)state;
	assert_int_equal(
	    parse("{checks.qr_match},{checks.mrz_match},{apdus},{payment.amount}", &t, NULL), 0);
	assert_true(t.payment && t.person);
	assert_int_equal(out_template_render(&t, r, NULL, out, sizeof(out), NULL), 0);
	assert_string_equal(out, "true,false,23,150000");
	cJSON_Delete(r);
}

static void errors_name_the_column(void **state)
{
	static const struct {
		const char *tpl, *msg;
	} bad[] = {
	    {"{document.number}\\t{person.nmae}", "col 21: unknown field 'person.nmae'"},
	    {"ab{person.full_name", "col 3: '{' not closed"},
	    {"ab{person.{full_name}", "col 3: '{' not closed"},
	    {"x}", "col 2: '}' without '{'"},
	    {"{}", "col 2: unknown field ''"},
	    {"{person.full_name:%d}", "col 18: field 'person.full_name' takes no format"},
	    {"{person.birth_date:%Q}", "col 20: bad date format (use %d %m %Y %y %%)"},
	    {"{person.birth_date:}", "col 20: bad date format"},
	    {"{person.birth_date:%}", "col 20: bad date format (use %d %m %Y %y %%)"},
	    {"\\q", "col 1: unknown escape"},
	    {"ab\\", "col 3: unknown escape"},
	    {"\xc4\x90\xc3\xb4ng }", "col 6: '}' without '{'"}, /* columns count characters */
	};
	struct out_template t;
	struct cccd_err e;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i].tpl, &t, &e), -CCCD_EFORMAT);
		assert_string_equal(e.msg, bad[i].msg);
	}
	assert_int_equal(out_template_parse((const uint8_t *)"a\0b", 3, &t, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "col 2: NUL byte");
	/* inside a date format too (found by fuzz_out_template) */
	assert_int_equal(
	    out_template_parse((const uint8_t *)"{person.birth_date:%d\0}", 24, &t, &e),
	    -CCCD_EFORMAT);
	assert_string_equal(e.msg, "col 22: NUL byte");
}

static void limits(void **state)
{
	struct out_template t;
	struct cccd_err e;
	char big[OUT_TPL_MAX_SRC + 8];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(parse(big, &t, &e), -CCCD_ENOSPC);
	big[0] = '\0';
	for (int i = 0; i < 40; i++)
		strcat(big, "{apdus},");
	assert_true(strlen(big) < OUT_TPL_MAX_SRC);
	assert_int_equal(parse(big, &t, &e), -CCCD_ENOSPC); /* 40 fields + 40 literals... */
	assert_string_equal(e.msg, "more than 64 parts");
	big[0] = '\0';
	for (int i = 0; i < OUT_TPL_MAX_ITEMS; i++)
		strcat(big, "{apdus}");
	assert_int_equal(parse(big, &t, &e), 0); /* ... but 64 fields alone fit */
	assert_int_equal(parse("", &t, &e), 0);
	assert_int_equal(t.n, 0);
}

static void format_round_trip(void **state)
{
	const char *src = "a\\{b\\}\\\\{person.birth_date:%d.%m.%Y}\\t{document.number}\\n";
	struct out_template t, u;
	char out[256];

	(void)state;
	assert_int_equal(parse(src, &t, NULL), 0);
	assert_int_equal(out_template_format(&t, out, sizeof(out)), 0);
	assert_string_equal(out, src);
	assert_int_equal(parse(out, &u, NULL), 0);
	assert_memory_equal(&t, &u, sizeof(t));
	assert_int_equal(out_template_format(&t, out, 10), -CCCD_ENOSPC);
}

static void date_format_check(void **state)
{
	(void)state;
	assert_int_equal(out_date_format_check("%d/%m/%Y", NULL), 0);
	assert_int_equal(out_date_format_check("%Y%m%d", NULL), 0);
	assert_int_equal(out_date_format_check("%H", NULL), -CCCD_EFORMAT);
	assert_int_equal(out_date_format_check("{%d}", NULL), -CCCD_EFORMAT);
	assert_int_equal(out_date_format_check("%d\t", NULL), -CCCD_EFORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(field_table_sorted_and_found),
	    cmocka_unit_test(issue_example_renders),
	    cmocka_unit_test(types_bool_number_payment),
	    cmocka_unit_test(errors_name_the_column),
	    cmocka_unit_test(limits),
	    cmocka_unit_test(format_round_trip),
	    cmocka_unit_test(date_format_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
