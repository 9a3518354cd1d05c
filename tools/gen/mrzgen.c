/* SPDX-License-Identifier: MIT */
/*
 * mrzgen.c - synthetic card backs for the MRZ reader's tests and benchmark:
 *   mrzgen --out DIR [--count N] [--first I] [--takes T] [--seed S] [--quarter Q] [--mrz FILE]
 * Document i of seed S is one card back (OCR-B TD1 MRZ of a CCCD, ICAO 9303-5; line 1 `IDVNM` +
 * doc number + cd + 12-digit ID + `<<` + cd, FIELD-NOTES) photographed T times in a row:
 * DIR/mrz-<S>-<i>-<t>.jpg, with the ground truth in DIR/mrz-<S>-<i>.json ({"mrz":[3 lines],
 * "quarter":q,"takes":[camera of each take]}). The card is turned by a quarter turn q (0-3,
 * random unless --quarter) plus ±15° per take, placed anywhere, and spoiled as cardgen spoils
 * fronts (perspective ±5 %, defocus σ 0-1.3, motion blur 1-4 px on 30 %, noise σ 1-6, uneven
 * light, glare on 40 %, JPEG 60-95) through the same renderer (synth_shim.cpp). Every MRZ must
 * pass mrz_parse, except one given by --mrz FILE (3 lines of 30, newlines optional, as vchip-gen's
 * mrz.txt): drawn as it is on every document, so a test can show a chosen card or a wrong check
 * digit. Omits: the card's other text fields beyond the back's headings; TD3.
 * PII: synthetic.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "core/json.h"
#include "doc/mrz.h"
#include "tools/gen/synth_shim.h"

struct rng {
	uint64_t s;
};

static uint64_t rnd_u64(struct rng *r) /* splitmix64 */
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double uni(struct rng *r, double a, double b)
{
	return a + (b - a) * (double)(rnd_u64(r) >> 11) / (double)(1ull << 53);
}

static int rint_(struct rng *r, int a, int b)
{
	return a + (int)(rnd_u64(r) % (uint64_t)(b - a + 1));
}

#define PICK(r, a) (a[rint_(r, 0, (int)(sizeof(a) / sizeof(a[0])) - 1)])

static const char *const family[] = {"NGUYEN", "TRAN", "LE",	"PHAM", "HOANG", "HUYNH",
				     "PHAN",   "VU",   "VO",	"DANG", "BUI",	 "DO",
				     "HO",     "NGO",  "DUONG", "LY",	"DOAN",	 "TRINH"};
static const char *const middle[] = {"VAN", "HUU",  "DUC", "MINH", "QUOC", "THANH", "CONG", "XUAN",
				     "THI", "NGOC", "THU", "MY",   "BICH", "KIM",   "DIEU"};
static const char *const given[] = {"AN",   "BINH",  "CUONG", "DUNG",	 "DAT",	   "HIEU",  "KHANH",
				    "LONG", "NGHIA", "PHUC",  "QUAN",	 "SON",	   "THANG", "TUAN",
				    "VIET", "VY",    "ANH",   "CHAU",	 "GIANG",  "HA",    "HUONG",
				    "LAN",  "LINH",  "NGAN",  "NHUNG",	 "PHUONG", "QUYNH", "THAO",
				    "TRAM", "UYEN",  "YEN",   "NGOC<ANH"};
static const char *const provinces[] = {"001", "079", "048", "031", "092",
					"036", "038", "040", "046", "075"};

static char cd(const char *s, size_t n)
{
	return (char)('0' + mrz_check_digit(s, n));
}

static void name_line(struct rng *r, char out[31])
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s<<%s<%s", PICK(r, family), PICK(r, middle), PICK(r, given));
	snprintf(out, 31, "%-30.30s", buf);
	for (int i = 0; i < 30; i++)
		out[i] = out[i] == ' ' ? '<' : out[i];
}

/* A CCCD MRZ (TD1) that mrz_parse accepts. */
static int make_mrz(struct rng *r, char l[3][31])
{
	int by = rint_(r, 1955, 2008), bm = rint_(r, 1, 12), bd = rint_(r, 1, 28);
	int ey = rint_(r, 2027, 2060);
	char sex = rnd_u64(r) & 1 ? 'F' : 'M', id[16], b[16], e[16], comp[100];
	struct mrz m;
	struct cccd_date today = {2026, 11, 28};

	snprintf(id, sizeof(id), "%s%d%02d%06d", PICK(r, provinces),
		 (by >= 2000 ? 2 : 0) + (sex == 'F'), by % 100, rint_(r, 0, 999999));
	snprintf(b, sizeof(b), "%02d%02d%02d", by % 100, bm, bd);
	snprintf(e, sizeof(e), "%02d%02d%02d", ey % 100, bm, bd);
	snprintf(l[0], 31, "IDVNM%.9s%c%.12s<<", id + 3, cd(id + 3, 9), id);
	l[0][29] = cd(id, 12);
	l[0][30] = '\0';
	snprintf(l[1], 31, "%.6s%c%c%.6s%cVNM<<<<<<<<<<<", b, cd(b, 6), sex, e, cd(e, 6));
	snprintf(comp, sizeof(comp), "%.25s%.7s%.7s%.11s", l[0] + 5, l[1], l[1] + 8, l[1] + 18);
	l[1][29] = cd(comp, strlen(comp));
	l[1][30] = '\0';
	name_line(r, l[2]);
	snprintf(comp, sizeof(comp), "%s\n%s\n%s", l[0], l[1], l[2]);
	struct cccd_err err = {0};
	if (mrz_parse((const uint8_t *)comp, strlen(comp), &today, &m, &err))
		return fprintf(stderr, "mrzgen: generated MRZ rejected: %s\n", err.msg), -1;
	return 0;
}

static void spoil(struct rng *r, struct synth_cam *c)
{
	c->defocus = uni(r, 0, 1.3);
	c->motion_len = uni(r, 0, 1) < 0.3 ? uni(r, 1, 4) : 0;
	c->motion_deg = uni(r, 0, 180);
	c->noise = uni(r, 1, 6);
	c->light_gain = uni(r, 0.7, 1.15);
	c->light_dx = uni(r, -0.35, 0.35);
	c->light_dy = uni(r, -0.35, 0.35);
	if (uni(r, 0, 1) < 0.4) {
		c->glare = uni(r, 60, 200);
		c->glare_x = uni(r, 0, 1);
		c->glare_y = uni(r, 0, 1);
		c->glare_r = uni(r, 0.04, 0.14);
	}
	c->jpeg_quality = rint_(r, 60, 95);
	c->seed = (uint32_t)rnd_u64(r);
}

/* One take: the card turned by q quarters, ±15°, anywhere it fits. */
static void camera(struct rng *r, int q, bool hd, struct synth_cam *c)
{
	memset(c, 0, sizeof(*c));
	c->frame_w = hd ? 1920 : 1280;
	c->frame_h = hd ? 1080 : 720;
	c->width_px = q & 1 ? c->frame_h * uni(r, 0.62, 0.8) : c->frame_w * uni(r, 0.42, 0.72);
	double half_w = (q & 1 ? 0.35 : 0.58) * c->width_px,
	       half_h = (q & 1 ? 0.58 : 0.35) * c->width_px;
	c->cx = uni(r, half_w, c->frame_w - half_w) / c->frame_w;
	c->cy = uni(r, half_h, c->frame_h - half_h) / c->frame_h;
	c->rot_deg = 90.0 * q + uni(r, -15, 15);
	for (int i = 0; i < 8; i++)
		c->persp[i] = uni(r, -0.05, 0.05);
	spoil(r, c);
}

static const struct synth_text heading[] = {
    {"Đặc điểm nhân dạng / Personal identification:", SYNTH_SANS, 4, 6, 1.9, {30, 30, 30}},
    {"Nốt ruồi C:2cm trên sau đuôi mắt trái", SYNTH_SANS, 4, 9.5, 2.0, {30, 30, 30}},
    {"Ngày, tháng, năm / Date, month, year: 01/07/2024", SYNTH_SANS, 4, 15, 1.9, {30, 30, 30}},
    {"CỤC TRƯỞNG CỤC CẢNH SÁT", SYNTH_SANS_BOLD, 4, 19, 1.9, {30, 30, 30}},
    {"QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", SYNTH_SANS_BOLD, 4, 22, 1.9, {30, 30, 30}},
};

struct job {
	struct synth_ctx *ctx;
	const char *dir;
	uint64_t seed;
	int takes, quarter;
	bool fixed; /* --mrz: draw mrz[] on every document */
	char mrz[3][31];
};

static int render_doc(const struct job *j, int i, cJSON *root)
{
	struct rng mix = {(uint64_t)i}, r;
	char l[3][31], path[600];
	struct synth_text t[8];
	struct synth_card card = {.back = true, .texts = t, .n_texts = 8, .tint = {232, 240, 236}};
	cJSON *arr = cJSON_AddArrayToObject(root, "mrz"),
	      *takes = cJSON_AddArrayToObject(root, "takes");

	r.s = j->seed ^ rnd_u64(&mix);
	r.s = rnd_u64(&r);
	if (j->fixed)
		memcpy(l, j->mrz, sizeof(l));
	if (!arr || !takes || (!j->fixed && make_mrz(&r, l)))
		return -1;
	memcpy(t, heading, sizeof(heading));
	for (int k = 0; k < 3; k++) {
		t[5 + k] = (struct synth_text){l[k],	     SYNTH_OCRB,   4.5,
					       42 + 4.4 * k, 2.54 / 0.711, {30, 30, 30}};
		cJSON_AddItemToArray(arr, cJSON_CreateString(l[k]));
	}
	int q = j->quarter >= 0 ? j->quarter : rint_(&r, 0, 3);
	bool hd = uni(&r, 0, 1) < 0.3;
	cccd_json_num(root, "quarter", q);
	for (int k = 0; k < j->takes; k++) {
		struct synth_cam c;
		struct synth_out o;
		struct cccd_err e = {0};
		camera(&r, q, hd, &c);
		snprintf(path, sizeof(path), "%s/mrz-%llu-%04d-%d.jpg", j->dir,
			 (unsigned long long)j->seed, i, k);
		if (synth_render_card(j->ctx, &card, &c, path, &o, &e))
			return fprintf(stderr, "mrzgen: %s\n", e.msg), -1;
		cJSON *tk = cJSON_CreateObject();
		cJSON_AddItemToArray(takes, tk);
		cccd_json_num(tk, "width", c.frame_w);
		cccd_json_num(tk, "rotation_deg", c.rot_deg);
		cccd_json_num(tk, "object_px", c.width_px);
		cccd_json_num(tk, "defocus_sigma", c.defocus);
		cccd_json_num(tk, "motion_px", c.motion_len);
		cccd_json_num(tk, "noise_sigma", c.noise);
		cccd_json_num(tk, "glare", c.glare);
		cccd_json_num(tk, "jpeg_quality", c.jpeg_quality);
	}
	return 0;
}

static int write_doc(const struct job *j, int i)
{
	cJSON *root = cJSON_CreateObject();
	char path[600];
	FILE *f;
	int rc = -1;

	if (root && !render_doc(j, i, root)) {
		snprintf(path, sizeof(path), "%s/mrz-%llu-%04d.json", j->dir,
			 (unsigned long long)j->seed, i);
		if ((f = fopen(path, "w"))) {
			rc = cccd_json_print(root, f, true);
			rc = fclose(f) || rc ? -1 : 0;
		}
	}
	cJSON_Delete(root);
	return rc;
}

/* --mrz FILE: 90 characters of A-Z 0-9 '<' (line breaks skipped) into 3 lines of 30. */
static int load_mrz(const char *path, struct job *j)
{
	FILE *f = fopen(path, "r");
	int c, n = 0;

	if (!f)
		return perror(path), -1;
	while ((c = fgetc(f)) != EOF) {
		if (c == '\n' || c == '\r')
			continue;
		if (n == 90 || !((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<'))
			break;
		j->mrz[n / 30][n % 30] = (char)c;
		n++;
	}
	fclose(f);
	if (n != 90 || c != EOF)
		return fprintf(stderr, "mrzgen: %s: character %d: expected 90 of A-Z 0-9 <\n", path,
			       n + 1),
		       -1;
	for (int l = 0; l < 3; l++)
		j->mrz[l][30] = '\0';
	j->fixed = true;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: mrzgen --out DIR [--count N] [--first I] [--takes T] [--seed S] "
			"[--quarter 0-3] [--mrz FILE]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct job j = {.seed = 1, .takes = 3, .quarter = -1};
	int count = 10, first = 0, rc = 0;
	struct cccd_err e = {0};

	for (int i = 1; i < argc; i++) {
		bool has = i + 1 < argc;
		if (!strcmp(argv[i], "--out") && has)
			j.dir = argv[++i];
		else if (!strcmp(argv[i], "--count") && has)
			count = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--first") && has)
			first = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--takes") && has)
			j.takes = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--quarter") && has)
			j.quarter = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seed") && has)
			j.seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--mrz") && has) {
			if (load_mrz(argv[++i], &j))
				return 2;
		} else
			return usage();
	}
	if (!j.dir || count < 1 || count > 100000 || first < 0 || j.takes < 1 || j.takes > 10 ||
	    j.quarter > 3)
		return usage();
	if (mkdir(j.dir, 0755) && errno != EEXIST)
		return perror(j.dir), 2;
	if (synth_new(&j.ctx, &e))
		return fprintf(stderr, "mrzgen: %s\n", e.msg), 2;
	for (int i = first; i < first + count && !rc; i++)
		rc = write_doc(&j, i);
	synth_free(j.ctx);
	return rc ? 1 : 0;
}
