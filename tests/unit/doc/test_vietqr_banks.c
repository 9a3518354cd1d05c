/* SPDX-License-Identifier: MIT */
/* test_vietqr_banks.c - the generated bank table and its bsearch lookup
 * (daemon/doc/vietqr_banks.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "doc/vietqr_banks.h"

static bool six_digits(const char *s)
{
	if (strlen(s) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* bsearch needs strictly ascending BINs; tools/tsv2c-banks.sh enforces it, this proves it held. */
static void table_is_sorted_and_well_formed(void **state)
{
	size_t n;
	const struct vietqr_bank *t = vietqr_bank_table(&n);

	(void)state;
	assert_true(n >= 60);
	for (size_t i = 0; i < n; i++) {
		assert_true(six_digits(t[i].bin));
		assert_true(t[i].short_name[0] && t[i].name[0]);
		if (i)
			assert_true(strcmp(t[i - 1].bin, t[i].bin) < 0);
	}
}

static void every_entry_is_found(void **state)
{
	size_t n;
	const struct vietqr_bank *t = vietqr_bank_table(&n);

	(void)state;
	for (size_t i = 0; i < n; i++)
		assert_ptr_equal(vietqr_bank_find(t[i].bin), &t[i]);
}

static void known_bins(void **state)
{
	static const struct {
		const char *bin, *name;
	} want[] = {
	    {"970436", "Vietcombank"}, {"970415", "VietinBank"}, {"970418", "BIDV"},
	    {"970405", "Agribank"},    {"970422", "MBBank"},	 {"970407", "Techcombank"},
	    {"970416", "ACB"},	       {"970432", "VPBank"},	 {"970423", "TPBank"},
	    {"970403", "Sacombank"},   {"970437", "HDBank"},	 {"970441", "VIB"},
	    {"970443", "SHB"},	       {"970426", "MSB"},	 {"970448", "OCB"},
	    {"970440", "SeABank"},     {"970431", "Eximbank"},	 {"970449", "LPBank"},
	    {"546034", "CAKE"},	       {"971025", "MoMo"},	 {"963388", "Timo"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct vietqr_bank *b = vietqr_bank_find(want[i].bin);

		assert_non_null(b);
		assert_string_equal(b->short_name, want[i].name);
	}
}

static void unknown_and_malformed_bins(void **state)
{
	(void)state;
	assert_null(vietqr_bank_find("123456"));
	assert_null(vietqr_bank_find("000000"));
	assert_null(vietqr_bank_find("99999"));
	assert_null(vietqr_bank_find("9704360")); /* a known BIN with one digit more */
	assert_null(vietqr_bank_find("97043"));
	assert_null(vietqr_bank_find(""));
	assert_null(vietqr_bank_find(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(table_is_sorted_and_well_formed),
	    cmocka_unit_test(every_entry_is_found),
	    cmocka_unit_test(known_bins),
	    cmocka_unit_test(unknown_and_malformed_bins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
