/* SPDX-License-Identifier: MIT */
/* test_cam_file.c - `file:` frames: one image, a sorted glob, the end of a list, bad files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "frame_source.h"

struct dir {
	char path[64];
};

/* A w x h binary PGM whose pixel (x, y) is (x + 7 * y + seed) & 0xff. */
static void write_pgm(const char *path, int w, int h, int seed)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	fprintf(f, "P5\n%d %d\n255\n", w, h);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			fputc((x + 7 * y + seed) & 0xff, f);
	fclose(f);
}

static void write_junk(const char *dir, const char *name)
{
	char p[128];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "wb");
	assert_non_null(f);
	fputs("not an image", f);
	fclose(f);
}

static int setup(void **state)
{
	struct dir *d = calloc(1, sizeof(*d));
	char p[128];

	snprintf(d->path, sizeof(d->path), "/tmp/cccd-camfile-XXXXXX");
	if (!mkdtemp(d->path))
		return -1;
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/img%d.pgm", d->path, 2 - i);
		write_pgm(p, 33 + i, 17, i);
	}
	write_junk(d->path, "bad.pgx");
	write_junk(d->path, "bad.avi");
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	struct dir *d = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->path);
	if (system(cmd))
		return -1;
	free(d);
	return 0;
}

static void glob_gives_sorted_frames_then_end(void **state)
{
	struct dir *d = *state;
	struct frame_source src;
	struct frame f;
	struct cccd_err e;
	char uri[128];

	snprintf(uri, sizeof(uri), "file:%s/img*.pgm", d->path);
	assert_int_equal(frame_source_open(&src, uri, &e), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(frame_source_grab(&src, &f, &e), 0);
		assert_int_equal(f.seq, (unsigned long)i);
		/* img0 was written last with width 35: sorted order is img0, img1, img2 */
		assert_int_equal(f.width, 35 - i);
		assert_int_equal(f.height, 17);
		assert_true(f.gray_stride >= (size_t)f.width);
		assert_true(f.bgr_stride >= 3 * (size_t)f.width);
		assert_int_equal(f.gray[f.gray_stride * 2 + 5], (5 + 14 + 2 - i) & 0xff);
		assert_int_equal(f.bgr[f.bgr_stride * 2 + 3 * 5 + 1],
				 f.gray[f.gray_stride * 2 + 5]);
		assert_non_null(strstr(f.name, "img"));
	}
	assert_int_equal(frame_source_grab(&src, &f, &e), -CCCD_ENOENT);
	frame_source_close(&src);
}

static void missing_and_undecodable_files_fail(void **state)
{
	struct dir *d = *state;
	struct frame_source src;
	struct frame f;
	struct cccd_err e;
	char uri[128];

	snprintf(uri, sizeof(uri), "file:%s/none*.png", d->path);
	assert_int_equal(frame_source_open(&src, uri, &e), -CCCD_ENOENT);
	assert_non_null(strstr(e.msg, "no file matches"));
	snprintf(uri, sizeof(uri), "file:%s/bad.pgx", d->path);
	assert_int_equal(frame_source_open(&src, uri, &e), 0);
	assert_int_equal(frame_source_grab(&src, &f, &e), -CCCD_EIO);
	assert_non_null(strstr(e.msg, "cannot decode image"));
	frame_source_close(&src);
	snprintf(uri, sizeof(uri), "file:%s/none.mp4", d->path);
	assert_int_equal(frame_source_open(&src, uri, &e), -CCCD_ENOENT);
	snprintf(uri, sizeof(uri), "file:%s/bad.avi", d->path);
	assert_int_equal(frame_source_open(&src, uri, &e), -CCCD_EIO);
	assert_non_null(strstr(e.msg, "cannot open video"));
	assert_int_equal(frame_source_open(&src, "file:", &e), -CCCD_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(glob_gives_sorted_frames_then_end),
	    cmocka_unit_test(missing_and_undecodable_files_fail),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
