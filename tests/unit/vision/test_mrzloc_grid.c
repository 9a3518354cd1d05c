/* SPDX-License-Identifier: MIT */
/*
 * test_mrzloc_grid.c - grid segmentation on hand-drawn ink maps: 3 lines of 30 blocks at a
 * 16.4 px pitch (TD1) come out as 3 x 30 cells whose borders fall between the blocks; 2 lines
 * of 44 (TD3) as 2 x 44; a stray mark beyond a gap is not taken for a character; a line split by
 * a few washed-out blocks (glare) is bridged; a pitch drifting ±6 % along the lines is followed;
 * a mark touching a line's start shifts it by whole cells only; proportional print, a blank map
 * and one line alone are not a grid.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vision/mrzloc.h"

#define W 800
#define H 120

static uint8_t ink[W * H];

/* n blocks 11 px wide, 18 tall, pitch p, from x0, on the given lines (line l at y 10 + 30 l). */
static void draw(int lines, int n, double x0, double p)
{
	memset(ink, 0, sizeof(ink));
	for (int l = 0; l < lines; l++)
		for (int i = 0; i < n; i++) {
			int xa = (int)(x0 + i * p + (p - 11) / 2);
			for (int y = 10 + 30 * l; y < 28 + 30 * l; y++)
				for (int x = xa; x < xa + 11; x++)
					ink[y * W + x] = 200;
		}
}

static void td1_cells_between_blocks(void **state)
{
	struct mrzloc_grid g;

	(void)state;
	draw(3, 30, 20, 16.4);
	ink[20 * W + 700] = 255; /* a stray dot 150 px past the line */
	assert_int_equal(mrzloc_grid_find(ink, W, H, &g), 0);
	assert_int_equal(g.nlines, 3);
	assert_int_equal(g.nchars, 30);
	for (int l = 0; l < 3; l++) {
		assert_true(g.top[l] >= 8 + 30 * l && g.top[l] <= 12 + 30 * l);
		for (int i = 0; i <= 30; i++) {
			double want = 20 + i * 16.4; /* the middle of the gap before block i */
			assert_true(g.xb[l][i] > want - 2.8 && g.xb[l][i] < want + 2.8);
		}
	}
}

/* Glare washed blocks 10-12 out of every line (a gap of 3.3 pitches): the runs either side are
 * one line, bridged to the full 30 cells at the true pitch; the stray dot 188 px past the line's
 * end (beyond the bridge) is still not taken for a character. */
static void td1_split_by_glare_is_bridged(void **state)
{
	struct mrzloc_grid g;

	(void)state;
	draw(3, 30, 20, 16.4);
	for (int y = 0; y < H; y++)
		for (int x = (int)(20 + 10 * 16.4); x < (int)(20 + 13 * 16.4); x++)
			ink[y * W + x] = 0;
	ink[20 * W + 700] = 255;
	assert_int_equal(mrzloc_grid_find(ink, W, H, &g), 0);
	assert_int_equal(g.nlines, 3);
	assert_int_equal(g.nchars, 30);
	for (int l = 0; l < 3; l++) {
		assert_true(g.pitch[l] > 16.0 && g.pitch[l] < 16.8);
		for (int i = 0; i <= 30; i++) {
			double want = 20 + i * 16.4;
			assert_true(g.xb[l][i] > want - 2.8 && g.xb[l][i] < want + 2.8);
		}
	}
}

static void td3_two_lines_of_44(void **state)
{
	struct mrzloc_grid g;

	(void)state;
	draw(2, 44, 12, 16.0);
	assert_int_equal(mrzloc_grid_find(ink, W, H, &g), 0);
	assert_int_equal(g.nlines, 2);
	assert_int_equal(g.nchars, 44);
	assert_true(g.pitch[0] > 15.5 && g.pitch[0] < 16.5);
}

/* Block i of a line whose pitch drifts from p0 - d at the start to p0 + d at the end (a card
 * tilted away: perspective left after the affine rectification), left edge of its cell. */
static double chirped(int i, double x0, double p0, double d)
{
	double t = i / 29.0;
	return x0 + i * (p0 - d) + d * 29.0 * t * t;
}

/* Pitch 15.4 at the start, 17.4 at the end: one pitch for the whole line would be a cell off
 * at one end; the comb's chirp puts every border in its gap. */
static void td1_pitch_drift_followed(void **state)
{
	struct mrzloc_grid g;

	(void)state;
	memset(ink, 0, sizeof(ink));
	for (int l = 0; l < 3; l++)
		for (int i = 0; i < 30; i++) {
			double cell = chirped(i + 1, 20, 16.4, 1.0) - chirped(i, 20, 16.4, 1.0);
			int xa = (int)(chirped(i, 20, 16.4, 1.0) + (cell - 11) / 2);
			for (int y = 10 + 30 * l; y < 28 + 30 * l; y++)
				for (int x = xa; x < xa + 11; x++)
					ink[y * W + x] = 200;
		}
	assert_int_equal(mrzloc_grid_find(ink, W, H, &g), 0);
	assert_int_equal(g.nchars, 30);
	for (int l = 0; l < 3; l++)
		for (int i = 0; i <= 30; i++) {
			double want = chirped(i, 20, 16.4, 1.0);
			assert_true(g.xb[l][i] > want - 2.8 && g.xb[l][i] < want + 2.8);
		}
	assert_true(g.xb[0][1] - g.xb[0][0] < g.xb[0][30] - g.xb[0][29] - 1.0);
}

/* A mark right before line 2 (no gap to tell it from a glyph) shifts that line by a whole cell,
 * never by a fraction: every border still falls in a gap, the placement by decoding undoes the
 * shift (test_mrzloc). */
static void stray_mark_shifts_whole_cells(void **state)
{
	struct mrzloc_grid g;

	(void)state;
	draw(3, 30, 40, 16.4);
	for (int y = 70; y < 88; y++)
		for (int x = 30; x < 35; x++)
			ink[y * W + x] = 200;
	assert_int_equal(mrzloc_grid_find(ink, W, H, &g), 0);
	for (int i = 0; i <= 30; i++) {
		double off = g.xb[2][i] - (40 + i * 16.4), cells = off / 16.4;
		assert_true(fabs(cells - lround(cells)) * 16.4 < 2.8);
		assert_true(fabs(cells) < 1.5);
	}
}

/* Print in a proportional face: blocks of uneven width and spacing have no strong comb. */
static void proportional_print_is_no_grid(void **state)
{
	struct mrzloc_grid g;
	uint32_t r = 12345;

	(void)state;
	memset(ink, 0, sizeof(ink));
	for (int l = 0; l < 3; l++)
		for (double x = 20; x < 560;) {
			r = r * 1103515245u + 12345u;
			int wdt = 4 + (int)(r >> 16) % 14, gap = 2 + (int)(r >> 8) % 6;
			for (int y = 10 + 30 * l; y < 28 + 30 * l; y++)
				for (int xx = (int)x; xx < (int)x + wdt; xx++)
					ink[y * W + xx] = 200;
			x += wdt + gap;
		}
	assert_int_equal(mrzloc_grid_find(ink, W, H, &g), -CCCD_ENOENT);
}

static void not_a_grid(void **state)
{
	struct mrzloc_grid g;

	(void)state;
	memset(ink, 0, sizeof(ink));
	assert_int_equal(mrzloc_grid_find(ink, W, H, &g), -CCCD_ENOENT);
	draw(1, 30, 20, 16.4);
	assert_int_equal(mrzloc_grid_find(ink, W, H, &g), -CCCD_ENOENT);
	assert_int_equal(mrzloc_grid_find(ink, 8, H, &g), -CCCD_ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(td1_cells_between_blocks),
	    cmocka_unit_test(td1_split_by_glare_is_bridged),
	    cmocka_unit_test(td3_two_lines_of_44),
	    cmocka_unit_test(td1_pitch_drift_followed),
	    cmocka_unit_test(stray_mark_shifts_whole_cells),
	    cmocka_unit_test(proportional_print_is_no_grid),
	    cmocka_unit_test(not_a_grid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
