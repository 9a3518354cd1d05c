/* SPDX-License-Identifier: MIT */
/*
 * test_mrzloc.c - the MRZ reader on a small fixed subset of synthetic card backs, made here at
 * test time by <build>/tools/mrzgen (seed 20261128; ICAO 9303-5 TD1, CCCD layout): exact decodes
 * of single frames in all 4 orientations (quarter turns plus -12..+10° of rotation, defocus
 * σ 0.1-1.0, motion blur 1 px, glare, JPEG 79-92), a three-frame vote, a name not spelled as
 * Vietnamese completed only by a second agreeing frame, frames with no MRZ (a
 * card front, a flat grey frame) reported as not found, and bad geometry. No timing asserts.
 * PII: synthetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "frame_source.h"
#include "vision/mrzloc.h"

struct fixture {
	char tools[512]; /* <build>/tools */
	char dir[64];
	struct mrzloc *m;
};

static char argv0[512];
static const struct cccd_date today = {2026, 11, 28};

static int run(const char *cmd)
{
	int rc = system(cmd);
	return rc == 0 ? 0 : -1;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char *s;

	if (!f)
		return -1;
	snprintf(f->tools, sizeof(f->tools), "%s", argv0);
	s = strstr(f->tools, "/tests/unit/");
	if (!s)
		return -1;
	strcpy(s, "/tools");
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_mrzloc.XXXXXX");
	if (!mkdtemp(f->dir) || mrzloc_new(&f->m, NULL, NULL))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	(void)run(cmd);
	mrzloc_free(f->m);
	free(f);
	return 0;
}

/* Generate document doc turned by quarter q (3 takes) into the fixture's directory. */
static void gen(struct fixture *f, int doc, int q)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "%s/mrzgen --out %s/q%d --first %d --count 1 --takes 3 --quarter %d "
		 "--seed 20261128",
		 f->tools, f->dir, q, doc, q);
	assert_int_equal(run(cmd), 0);
}

static void truth(struct fixture *f, int doc, int q, char *out, size_t cap)
{
	char path[256], buf[4096];
	FILE *fp;
	size_t n;
	cJSON *root, *arr;

	snprintf(path, sizeof(path), "%s/q%d/mrz-20261128-%04d.json", f->dir, q, doc);
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	root = cJSON_Parse(buf);
	arr = cJSON_GetObjectItem(root, "mrz");
	assert_int_equal(cJSON_GetArraySize(arr), 3);
	snprintf(out, cap, "%s\n%s\n%s", cJSON_GetArrayItem(arr, 0)->valuestring,
		 cJSON_GetArrayItem(arr, 1)->valuestring, cJSON_GetArrayItem(arr, 2)->valuestring);
	cJSON_Delete(root);
}

static void read_file(struct fixture *f, const char *path, struct mrzloc_result *r)
{
	struct frame_source src;
	struct frame fr;
	char uri[300];
	struct cccd_err e = {0};

	snprintf(uri, sizeof(uri), "file:%s", path);
	assert_int_equal(frame_source_open(&src, uri, &e), 0);
	assert_int_equal(frame_source_grab(&src, &fr, &e), 0);
	assert_int_equal(
	    mrzloc_frame(f->m, fr.gray, fr.width, fr.height, fr.gray_stride, &today, r, &e), 0);
	frame_source_close(&src);
}

static void read_take(struct fixture *f, int doc, int q, int take, struct mrzloc_result *r)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/q%d/mrz-20261128-%04d-%d.jpg", f->dir, q, doc, take);
	read_file(f, path, r);
}

/* Takes 1 and 2 of document 3, each alone, in every orientation: exactly the ground truth. */
static void single_frames_all_orientations(void **state)
{
	struct fixture *f = *state;
	char want[MRZ_TEXT_MAX];
	struct mrzloc_result r;

	for (int q = 0; q < 4; q++) {
		gen(f, 3, q);
		truth(f, 3, q, want, sizeof(want));
		for (int take = 1; take <= 2; take++) {
			mrzloc_reset(f->m);
			read_take(f, 3, q, take, &r);
			assert_true(r.found);
			assert_true(r.valid);
			assert_string_equal(r.text, want);
			assert_int_equal(r.nlines, 3);
			assert_int_equal(r.width, 30);
			assert_int_equal(r.frames, 1);
			/* the CCCD keys come out of the parse: ID = line 1 cols 16-27 */
			assert_memory_equal(r.mrz.id_number, want + 15, 12);
			assert_true(mrz_is_vietnamese(&r.mrz));
		}
	}
}

/* Document 0, take 1: 1 px motion blur, defocus 0.8, JPEG 79, upright and upside down. */
static void blurred_frame(void **state)
{
	struct fixture *f = *state;
	char want[MRZ_TEXT_MAX];
	struct mrzloc_result r;

	for (int q = 0; q < 4; q += 2) {
		gen(f, 0, q);
		truth(f, 0, q, want, sizeof(want));
		mrzloc_reset(f->m);
		read_take(f, 0, q, 1, &r);
		assert_true(r.valid);
		assert_string_equal(r.text, want);
	}
}

/* Three takes of document 5 voted: complete, exact, three frames counted. */
static void three_frame_vote(void **state)
{
	struct fixture *f = *state;
	char want[MRZ_TEXT_MAX];
	struct mrzloc_result r;

	gen(f, 5, 1);
	truth(f, 5, 1, want, sizeof(want));
	mrzloc_reset(f->m);
	for (int take = 0; take < 3; take++)
		read_take(f, 5, 1, take, &r);
	assert_int_equal(r.frames, 3);
	assert_true(r.complete);
	assert_true(r.confidence >= MRZLOC_MIN_CONF);
	assert_string_equal(r.text, want);
}

/* An Ede holder (KSOR, not spelled as a Vietnamese syllable; names carry no check digit): one
 * clean frame reads it exactly but does not complete it, a second frame reading it the same
 * does (doc/vnname.h). The MRZ is document 0's with another name line. */
static void unusual_name_needs_two_frames(void **state)
{
	struct fixture *f = *state;
	static const char want[] = "IDVNM1869609735079186960973<<5\n"
				   "8610049F5410042VNM<<<<<<<<<<<8\n"
				   "KSOR<<THI<HEN<<<<<<<<<<<<<<<<<";
	char cmd[1024], path[256];
	struct mrzloc_result r;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/ede.txt", f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(want, fp);
	fclose(fp);
	snprintf(cmd, sizeof(cmd),
		 "%s/mrzgen --out %s/ede --first 3 --count 1 --takes 3 --quarter 0 --seed 20261128 "
		 "--mrz %s >/dev/null",
		 f->tools, f->dir, path);
	assert_int_equal(run(cmd), 0);
	mrzloc_reset(f->m);
	snprintf(path, sizeof(path), "%s/ede/mrz-20261128-0003-1.jpg", f->dir);
	read_file(f, path, &r);
	assert_true(r.valid);
	assert_string_equal(r.text, want);
	assert_false(r.complete);
	assert_true(r.confidence < MRZLOC_MIN_CONF);
	snprintf(path, sizeof(path), "%s/ede/mrz-20261128-0003-2.jpg", f->dir);
	read_file(f, path, &r);
	assert_int_equal(r.frames, 2);
	assert_string_equal(r.text, want);
	assert_true(r.complete);
}

/* A card front (text, portrait, QR, no MRZ) and a flat frame: cleanly not found. */
static void no_mrz_not_found(void **state)
{
	struct fixture *f = *state;
	char cmd[1024], path[256];
	struct mrzloc_result r;
	static uint8_t flat[640 * 480];
	int w, h;
	uint8_t crop[64];

	snprintf(cmd, sizeof(cmd),
		 "%s/cardgen --out %s/front --kind front --count 1 --seed 20261128 >/dev/null",
		 f->tools, f->dir);
	assert_int_equal(run(cmd), 0);
	snprintf(path, sizeof(path), "%s/front/front-20261128-0000.jpg", f->dir);
	mrzloc_reset(f->m);
	read_file(f, path, &r);
	assert_false(r.found);
	assert_false(r.valid);
	assert_int_equal(r.frames, 0);
	assert_int_equal(mrzloc_crop(f->m, crop, sizeof(crop), &w, &h), -CCCD_ENOENT);
	memset(flat, 128, sizeof(flat));
	assert_int_equal(mrzloc_frame(f->m, flat, 640, 480, 640, &today, &r, NULL), 0);
	assert_false(r.found);
}

static void bad_geometry(void **state)
{
	struct fixture *f = *state;
	struct mrzloc_result r;
	static uint8_t px[64 * 64];
	struct cccd_err e = {0};

	assert_int_equal(mrzloc_frame(f->m, px, 64, 64, 32, &today, &r, &e), -CCCD_EINVAL);
	assert_non_null(strstr(e.msg, "stride 32"));
	assert_int_equal(mrzloc_frame(f->m, px, 16, 64, 64, &today, &r, NULL), -CCCD_EINVAL);
	assert_int_equal(mrzloc_frame(f->m, NULL, 64, 64, 64, &today, &r, NULL), -CCCD_EINVAL);
}

static void missing_font(void **state)
{
	struct mrzloc *m;
	struct mrzloc_opts o = {.font = "/nonexistent/OCRB.otf"};
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(mrzloc_new(&m, &o, &e), -CCCD_ENOENT);
	assert_null(m);
	assert_non_null(strstr(e.msg, "/nonexistent/OCRB.otf"));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(single_frames_all_orientations),
	    cmocka_unit_test(blurred_frame),
	    cmocka_unit_test(three_frame_vote),
	    cmocka_unit_test(unusual_name_needs_two_frames),
	    cmocka_unit_test(no_mrz_not_found),
	    cmocka_unit_test(bad_geometry),
	    cmocka_unit_test(missing_font),
	};

	(void)argc;
	snprintf(argv0, sizeof(argv0), "%s", argv[0]);
	return cmocka_run_group_tests(tests, setup, teardown);
}
