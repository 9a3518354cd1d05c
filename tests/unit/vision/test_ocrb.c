/* SPDX-License-Identifier: MIT */
/*
 * test_ocrb.c - the OCR-B classifier: the 37 classes of ICAO 9303-3 §4.2 ('<', 0-9, A-Z) and
 * their negative twins, the model's bounds (a full class, a class out of range, a class without
 * samples), features of empty and out-of-map cells, and nearest-neighbour costs on hand-made
 * features (a sample is its own nearest, at cost 0).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vision/ocrb.h"

static void classes_round_trip(void **state)
{
	const char all[] = "<0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

	(void)state;
	for (int k = 0; k < OCRB_NCLASS; k++) {
		assert_int_equal(ocrb_char_of(k), all[k]);
		assert_int_equal(ocrb_class_of(all[k]), k);
	}
	assert_int_equal(ocrb_class_of('a'), -1);
	assert_int_equal(ocrb_class_of(' '), -1);
	assert_int_equal(ocrb_class_of('\0'), -1);
	assert_int_equal(ocrb_char_of(-1), '?');
	assert_int_equal(ocrb_char_of(OCRB_NCLASS), '?');
}

/* Feature k: a unit vector along axis k (distinct classes, orthogonal). */
static void axis(float *f, int k)
{
	memset(f, 0, sizeof(float) * OCRB_DIM);
	f[k] = 1;
}

static void model_bounds(void **state)
{
	struct ocrb_model *m = malloc(sizeof(*m));
	float f[OCRB_DIM];
	struct cccd_err e = {0};

	(void)state;
	assert_non_null(m);
	ocrb_model_init(m);
	axis(f, 0);
	assert_int_equal(ocrb_model_add(m, OCRB_NCLASS, f, &e), -CCCD_EINVAL);
	assert_int_equal(ocrb_model_add(m, -1, f, NULL), -CCCD_EINVAL);
	for (int i = 0; i < OCRB_PER_CLASS; i++)
		assert_int_equal(ocrb_model_add(m, 5, f, NULL), 0);
	assert_int_equal(ocrb_model_add(m, 5, f, &e), -CCCD_ENOSPC);
	assert_non_null(strstr(e.msg, "'4'"));
	assert_int_equal(ocrb_model_finish(m, &e), -CCCD_ESTATE); /* class '<' is empty */
	assert_non_null(strstr(e.msg, "'<'"));
	free(m);
}

static void nearest_sample_wins(void **state)
{
	struct ocrb_model *m = malloc(sizeof(*m));
	float f[OCRB_DIM], cost[OCRB_NCLASS];

	(void)state;
	assert_non_null(m);
	ocrb_model_init(m);
	for (int k = 0; k < OCRB_NCLASS; k++) {
		axis(f, k);
		assert_int_equal(ocrb_model_add(m, k, f, NULL), 0);
		axis(f, 100 + k); /* a second, different sample per class */
		assert_int_equal(ocrb_model_add(m, k, f, NULL), 0);
	}
	assert_int_equal(ocrb_model_finish(m, NULL), 0);
	axis(f, 100 + 7);
	ocrb_classify(m, f, cost);
	assert_true(cost[7] < 1e-6f); /* its own sample */
	for (int k = 0; k < OCRB_NCLASS; k++)
		if (k != 7)
			assert_true(cost[k] > 1.9f); /* orthogonal: 2 - 2 * 0 */
	free(m);
}

static void empty_and_outside_cells(void **state)
{
	static uint8_t ink[40 * 40];
	float f[OCRB_DIM];
	struct ocrb_cell in = {10, 26, 10, 28}, out = {100, 116, 10, 28}, thin = {10, 11, 10, 28};

	(void)state;
	assert_int_equal(ocrb_feature(ink, 40, 40, &in, f), -CCCD_ERANGE); /* no ink */
	for (int y = 12; y < 26; y++)
		ink[y * 40 + 18] = 200; /* an 'I' stem */
	assert_int_equal(ocrb_feature(ink, 40, 40, &in, f), 0);
	double s = 0;
	for (int d = 0; d < OCRB_DIM; d++)
		s += (double)f[d] * f[d];
	assert_true(s > 0.999 && s < 1.001); /* unit length */
	assert_int_equal(ocrb_feature(ink, 40, 40, &out, f), -CCCD_ERANGE);
	assert_int_equal(ocrb_feature(ink, 40, 40, &thin, f), -CCCD_ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(classes_round_trip),
	    cmocka_unit_test(model_bounds),
	    cmocka_unit_test(nearest_sample_wins),
	    cmocka_unit_test(empty_and_outside_cells),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
