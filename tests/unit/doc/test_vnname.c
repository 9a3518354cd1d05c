/* SPDX-License-Identifier: MIT */
/*
 * test_vnname.c - daemon/doc/vnname.c: names of the national script pass word by word (onsets
 * NGH/NG/N, GI/G, QU; 3-vowel nuclei; every coda), misreads the camera made (HLK, VUK, NLO, BUZ,
 * PHFM) and words without a vowel or with F/J/W/Z do not; empty and filler-only names do not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "doc/vnname.h"

static bool ok(const char *s)
{
	return vnname_plausible(s, strlen(s));
}

static void vietnamese_names(void **state)
{
	(void)state;
	assert_true(ok("NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"));
	assert_true(ok("TRAN<<THI<NGHIA"));
	assert_true(ok("HUYNH<<NGOC<GIANG"));
	assert_true(ok("DUONG<<QUOC<KHANH"));
	assert_true(ok("PHAN<<XUAN<LONG"));
	assert_true(ok("LY<<MY<UYEN"));
	assert_true(ok("GIN<<GHE<NGHE"));     /* G + IN, GH, NGH */
	assert_true(ok("NGOAI<<TUYET<OANH")); /* 3 vowels, coda T, no onset */
	assert_true(ok("HOC<<MACH<HAP"));     /* codas C, CH, P */
	assert_true(ok("A"));
}

static void misreads_and_others(void **state)
{
	(void)state;
	assert_false(ok("HLK<MY<CHAU"));     /* HO<< read HLK< */
	assert_false(ok("VUK<NGOC<LONG"));   /* coda K */
	assert_false(ok("NLO<<THU<CHAU"));   /* onset NL */
	assert_false(ok("BUZ<<MY<NGOC"));    /* Z */
	assert_false(ok("PHFM<<CONG<THAO")); /* no vowel after PH */
	assert_false(ok("KSOR<<H<HEN"));     /* an Ede name: a second frame is asked for */
	assert_false(ok("NGUYENN<<AN"));     /* NN */
	assert_false(ok("TRAN<<AAAA"));	     /* 4 vowels */
	assert_false(ok(""));
	assert_false(ok("<<<<<<<<<<"));
	assert_false(vnname_plausible("NGUYEN", 0));
	assert_true(vnname_plausible("ANX", 2)); /* n bounds the read */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(vietnamese_names),
	    cmocka_unit_test(misreads_and_others),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
