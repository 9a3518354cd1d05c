/* SPDX-License-Identifier: MIT */
/* test_verdict.c - issue 4's verdict rule, case by case: genuine needs passive ok AND (active OR
 * chip ok) AND no failed cross-check; any failure is failed; the rest is suspect; reasons. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "verify/verdict.h"

static enum verdict decide(enum pa_status pa, enum verdict_auth aa, enum verdict_auth ca, size_t nx,
			   struct verdict_out *o)
{
	static const char *const x[] = {"QR and chip disagree on the birth date"};
	struct verdict_in in = {pa, "DG13 hash mismatch", aa, ca, nx, x, NULL, NULL};

	return verdict_decide(&in, o);
}

static void genuine_needs_all(void **state)
{
	struct verdict_out o;

	(void)state;
	assert_int_equal(decide(PA_OK, VERDICT_AUTH_OK, VERDICT_AUTH_ABSENT, 0, &o),
			 VERDICT_GENUINE);
	assert_int_equal(o.n, 0);
	assert_int_equal(decide(PA_OK, VERDICT_AUTH_ABSENT, VERDICT_AUTH_OK, 0, &o),
			 VERDICT_GENUINE);
	assert_int_equal(decide(PA_OK, VERDICT_AUTH_OK, VERDICT_AUTH_OK, 0, &o), VERDICT_GENUINE);
	assert_string_equal(verdict_str(o.verdict), "genuine");
}

static void unchecked_is_suspect(void **state)
{
	struct verdict_out o;

	(void)state;
	assert_int_equal(decide(PA_OK, VERDICT_AUTH_ABSENT, VERDICT_AUTH_ABSENT, 0, &o),
			 VERDICT_SUSPECT);
	assert_int_equal(o.n, 1);
	assert_non_null(strstr(o.reasons[0], "neither active nor chip"));
	assert_int_equal(decide(PA_UNTRUSTED, VERDICT_AUTH_OK, VERDICT_AUTH_ABSENT, 0, &o),
			 VERDICT_SUSPECT);
	assert_int_equal(o.n, 1);
	assert_non_null(strstr(o.reasons[0], "untrusted"));
	assert_int_equal(decide(PA_ABSENT, VERDICT_AUTH_OK, VERDICT_AUTH_ABSENT, 0, &o),
			 VERDICT_SUSPECT);
	assert_non_null(strstr(o.reasons[0], "absent"));
	assert_int_equal(decide(PA_UNTRUSTED, VERDICT_AUTH_ABSENT, VERDICT_AUTH_ABSENT, 0, &o),
			 VERDICT_SUSPECT);
	assert_int_equal(o.n, 2);
	assert_string_equal(verdict_str(o.verdict), "suspect");
}

/* A failure outranks anything unchecked. */
static void any_failure_is_failed(void **state)
{
	struct verdict_out o;

	(void)state;
	assert_int_equal(decide(PA_FAILED, VERDICT_AUTH_OK, VERDICT_AUTH_OK, 0, &o),
			 VERDICT_FAILED);
	assert_string_equal(o.reasons[0], "passive authentication failed: DG13 hash mismatch");
	assert_int_equal(decide(PA_UNTRUSTED, VERDICT_AUTH_FAILED, VERDICT_AUTH_ABSENT, 0, &o),
			 VERDICT_FAILED);
	assert_int_equal(o.n, 2);
	assert_non_null(strstr(o.reasons[1], "active authentication failed"));
	assert_int_equal(decide(PA_OK, VERDICT_AUTH_OK, VERDICT_AUTH_FAILED, 0, &o),
			 VERDICT_FAILED);
	assert_non_null(strstr(o.reasons[0], "chip authentication failed"));
	assert_int_equal(decide(PA_OK, VERDICT_AUTH_OK, VERDICT_AUTH_ABSENT, 1, &o),
			 VERDICT_FAILED);
	assert_int_equal(o.n, 1);
	assert_string_equal(o.reasons[0], "QR and chip disagree on the birth date");
	assert_string_equal(verdict_str(o.verdict), "failed");
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(verdict_auth_str(VERDICT_AUTH_OK), "ok");
	assert_string_equal(verdict_auth_str(VERDICT_AUTH_FAILED), "failed");
	assert_string_equal(verdict_auth_str(VERDICT_AUTH_ABSENT), "absent");
}

/* More reasons than fit are dropped, never overflowed. */
static void reasons_bounded(void **state)
{
	const char *x[VERDICT_REASONS_MAX + 3];
	struct verdict_in in = {
	    PA_FAILED, NULL, VERDICT_AUTH_FAILED, VERDICT_AUTH_FAILED, VERDICT_REASONS_MAX + 3, x,
	    NULL,      NULL};
	struct verdict_out o;

	(void)state;
	for (size_t i = 0; i < VERDICT_REASONS_MAX + 3; i++)
		x[i] = "cross-check";
	assert_int_equal(verdict_decide(&in, &o), VERDICT_FAILED);
	assert_int_equal(o.n, VERDICT_REASONS_MAX);
	assert_string_equal(o.reasons[0], "passive authentication failed: no reason given");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(genuine_needs_all),     cmocka_unit_test(unchecked_is_suspect),
	    cmocka_unit_test(any_failure_is_failed), cmocka_unit_test(names),
	    cmocka_unit_test(reasons_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
