/* SPDX-License-Identifier: MIT */
/*
 * cardgen.c - synthetic camera frames with ground truth, for the vision tests and benchmarks.
 *   cardgen --out DIR [--kind front|back|phone|all] [--count N] [--seed S] [--clean]
 *           [--qr PAYLOAD]   every card shows this CCCD QR (and its person): `make demo`
 * Each frame is DIR/<kind>-<seed>-<i>.jpg plus a sidecar .json holding what is in it: the QR
 * payload (CCCD QR: ID|old ID|name|ddmmyyyy|Nam/Nữ|address|ddmmyyyy, FIELD-NOTES; or a VietQR
 * from vietqr_build), the three TD1 MRZ lines, the person, and every camera parameter. Frame i of
 * seed S depends on (S, i) only, so any subset can be regenerated alone.
 * Fronts carry the QR (top right, as on the chip CCCD), backs the OCR-B MRZ; phones show a VietQR
 * or a URL. --clean renders a sharp, evenly lit, straight frame (the baseline).
 * MRZ check digits come from doc/mrz (ICAO 9303-3 §4.9) and every MRZ must pass mrz_parse, as
 * every QR payload must pass cccdqr_parse. Omits: cards with no expiry (their MRZ is unconfirmed),
 * DG2 faces.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <qrencode.h>
#include <utf8proc.h>

#include "core/json.h"
#include "core/utf8.h"
#include "doc/cccdqr.h"
#include "doc/cccdqr_keys.h"
#include "doc/mrz.h"
#include "doc/vietqr.h"
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

static double rnd_uni(struct rng *r, double a, double b)
{
	return a + (b - a) * (double)(rnd_u64(r) >> 11) / (double)(1ull << 53);
}

static int rnd_int(struct rng *r, int a, int b) /* a..b inclusive */
{
	return a + (int)(rnd_u64(r) % (uint64_t)(b - a + 1));
}

static bool rnd_p(struct rng *r, double p)
{
	return rnd_uni(r, 0, 1) < p;
}

#define PICK(r, arr) (arr[rnd_int(r, 0, (int)(sizeof(arr) / sizeof(arr[0])) - 1)])

static const char *const family[] = {"Nguyễn", "Trần", "Lê",	"Phạm", "Hoàng", "Huỳnh",
				     "Phan",   "Vũ",   "Võ",	"Đặng", "Bùi",	 "Đỗ",
				     "Hồ",     "Ngô",  "Dương", "Lý",	"Đoàn",	 "Trịnh"};
static const char *const middle_m[] = {"Văn",  "Hữu",	"Đức",	"Minh",
				       "Quốc", "Thành", "Công", "Xuân"};
static const char *const middle_f[] = {"Thị", "Ngọc", "Thu", "Thanh", "Mỹ", "Bích", "Kim", "Diệu"};
static const char *const given_m[] = {"An",    "Bình", "Cường", "Dũng", "Đạt",	"Hiếu",
				      "Khánh", "Long", "Nghĩa", "Phúc", "Quân", "Sơn",
				      "Thắng", "Tuấn", "Việt",	"Vỹ"};
static const char *const given_f[] = {"Anh",  "Châu", "Dung", "Giang", "Hà",	 "Hương",
				      "Lan",  "Linh", "Ngân", "Nhung", "Phương", "Quỳnh",
				      "Thảo", "Trâm", "Uyên", "Yến",   "Ánh",	 "Ngọc Ánh"};
static const char *const streets[] = {
    "Lê Lợi",	      "Trần Hưng Đạo", "Nguyễn Huệ", "Hai Bà Trưng", "Điện Biên Phủ",
    "Lý Thường Kiệt", "Hoàng Diệu",    "Phố Huế",    "Nguyễn Trãi",  "Võ Thị Sáu"};
static const char *const wards[] = {"Phường Bến Nghé",	  "Phường Tràng Tiền", "Xã Yên Sở",
				    "Phường Thạch Thang", "Xã Đông Hưng",      "Phường Hưng Lợi",
				    "Thị trấn Củ Chi",	  "Phường Ngọc Khánh"};
static const struct {
	const char *code;
	const char *name;
} provinces[] = {{"001", "Hà Nội"},    {"079", "TP. Hồ Chí Minh"}, {"048", "Đà Nẵng"},
		 {"031", "Hải Phòng"}, {"092", "Cần Thơ"},	   {"036", "Nam Định"},
		 {"038", "Thanh Hóa"}, {"040", "Nghệ An"},	   {"046", "Thừa Thiên Huế"},
		 {"075", "Đồng Nai"}};

struct person {
	char id[13], old_id[10], name[96], name_upper[128], origin[96], address[200];
	struct cccd_date birth, issue;
	char sex; /* 'M' or 'F' */
	char payload[512];
	char mrz[3][31];
	struct cccdqr_access keys;
};

static void rnd_date(struct rng *r, int y0, int y1, struct cccd_date *d)
{
	d->y = (int16_t)rnd_int(r, y0, y1);
	d->m = (int8_t)rnd_int(r, 1, 12);
	d->d = (int8_t)rnd_int(r, 1, date_days_in_month(d->y, d->m));
}

static void make_name(struct rng *r, struct person *p)
{
	bool f = p->sex == 'F';

	snprintf(p->name, sizeof(p->name), "%s %s %s", PICK(r, family),
		 f ? PICK(r, middle_f) : PICK(r, middle_m),
		 f ? PICK(r, given_f) : PICK(r, given_m));
}

/* Upper-case UTF-8 (as the card prints the name); src is our own valid text. */
static void utf8_upper(const char *src, char *out, size_t cap)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;
	size_t o = 0;
	uint8_t enc[4];

	for (const uint8_t *s = (const uint8_t *)src; *s; s += n) {
		n = utf8proc_iterate(s, -1, &cp);
		if (n <= 0)
			break;
		utf8proc_ssize_t k = utf8proc_encode_char(utf8proc_toupper(cp), enc);
		if (o + (size_t)k + 1 > cap)
			break;
		memcpy(out + o, enc, (size_t)k);
		o += (size_t)k;
	}
	out[o] = '\0';
}

/* Age at issue kept in 14..57: every card has an expiry date (see the header). */
static void make_dates(struct rng *r, struct person *p)
{
	do {
		rnd_date(r, 1955, 2011, &p->birth);
		rnd_date(r, 2021, 2025, &p->issue);
	} while (p->issue.y - p->birth.y < 15 || p->issue.y - p->birth.y > 56);
}

static void make_ids(struct rng *r, struct person *p, const char *prov)
{
	int century = p->birth.y >= 2000 ? 2 : 0;

	snprintf(p->id, sizeof(p->id), "%s%d%02d%06d", prov, century + (p->sex == 'F'),
		 p->birth.y % 100, rnd_int(r, 0, 999999));
	if (rnd_p(r, 0.5))
		snprintf(p->old_id, sizeof(p->old_id), "%09d", rnd_int(r, 10000000, 399999999));
	else
		p->old_id[0] = '\0';
}

static char mrz_cd(const char *s, size_t n)
{
	return (char)('0' + mrz_check_digit(s, n)); /* our own text: A-Z 0-9 '<' only */
}

/* "NGUYỄN VĂN AN" -> "NGUYEN<<VAN<AN<<<..." (30 characters, truncated if longer). */
static void mrz_name_field(const char *upper, char out[31])
{
	char ascii[128];
	size_t o = 0;
	bool first_gap = true;

	if (cccd_utf8_strip_marks((const uint8_t *)upper, strlen(upper), ascii, sizeof(ascii),
				  NULL))
		ascii[0] = '\0';
	for (const char *s = ascii; *s && o < 30; s++) {
		if (*s != ' ') {
			out[o++] = *s;
			continue;
		}
		out[o++] = '<';
		if (first_gap && o < 30)
			out[o++] = '<';
		first_gap = false;
	}
	while (o < 30)
		out[o++] = '<';
	out[30] = '\0';
}

static void make_mrz(struct person *p)
{
	char *l1 = p->mrz[0], *l2 = p->mrz[1], comp[64];
	const char *exp = p->keys.cand[0].yymmdd;

	snprintf(l1, 31, "IDVNM%s%c%s<<", p->keys.doc_number, mrz_cd(p->keys.doc_number, 9), p->id);
	l1[29] = mrz_cd(p->id, 12);
	l1[30] = '\0';
	snprintf(l2, 31, "%s%c%c%s%cVNM<<<<<<<<<<<", p->keys.birth_yymmdd,
		 mrz_cd(p->keys.birth_yymmdd, 6), p->sex, exp, mrz_cd(exp, 6));
	snprintf(comp, sizeof(comp), "%.25s%.7s%.7s%.11s", l1 + 5, l2, l2 + 8, l2 + 18);
	l2[29] = mrz_cd(comp, strlen(comp));
	mrz_name_field(p->name_upper, p->mrz[2]);
}

/* The MRZ must be one our own parser accepts: it is the ground truth. */
static int check_mrz(const struct person *p, struct cccd_err *e)
{
	char text[100];
	struct mrz m;
	struct cccd_date today = {2026, 11, 28};

	snprintf(text, sizeof(text), "%s\n%s\n%s", p->mrz[0], p->mrz[1], p->mrz[2]);
	return mrz_parse((const uint8_t *)text, strlen(text), &today, &m, e);
}

static int make_person(struct rng *r, struct person *p)
{
	int pi = rnd_int(r, 0, (int)(sizeof(provinces) / sizeof(provinces[0])) - 1);
	struct cccdqr qr;
	struct cccd_err e;

	memset(p, 0, sizeof(*p));
	p->sex = rnd_p(r, 0.5) ? 'F' : 'M';
	make_name(r, p);
	utf8_upper(p->name, p->name_upper, sizeof(p->name_upper));
	make_dates(r, p);
	make_ids(r, p, provinces[pi].code);
	snprintf(p->origin, sizeof(p->origin), "%s, %s", PICK(r, wards),
		 provinces[rnd_int(r, 0, 9)].name);
	snprintf(p->address, sizeof(p->address), "Số %d, %s, %s, %s", rnd_int(r, 1, 299),
		 PICK(r, streets), PICK(r, wards), provinces[pi].name);
	snprintf(p->payload, sizeof(p->payload), "%s|%s|%s|%02d%02d%04d|%s|%s|%02d%02d%04d", p->id,
		 p->old_id, p->name, p->birth.d, p->birth.m, p->birth.y,
		 p->sex == 'F' ? "Nữ" : "Nam", p->address, p->issue.d, p->issue.m, p->issue.y);
	/* the payload must be one our own parser accepts: it is the ground truth */
	if (cccdqr_parse((const uint8_t *)p->payload, strlen(p->payload), &qr, &e) ||
	    cccdqr_keys(&qr, &p->keys, &e)) {
		fprintf(stderr, "cardgen: generated payload rejected: %s\n", e.msg);
		return -1;
	}
	make_mrz(p);
	if (check_mrz(p, &e)) {
		fprintf(stderr, "cardgen: generated MRZ rejected: %s\n", e.msg);
		return -1;
	}
	return 0;
}

struct qrbits {
	uint8_t dark[177 * 177];
	int n;
};

static int encode_qr(const char *payload, struct qrbits *q)
{
	QRcode *c = QRcode_encodeData((int)strlen(payload), (const unsigned char *)payload, 0,
				      QR_ECLEVEL_M);

	if (!c)
		return -1;
	q->n = c->width;
	for (int i = 0; i < c->width * c->width; i++)
		q->dark[i] = c->data[i] & 1;
	QRcode_free(c);
	return 0;
}

static void rnd_persp(struct rng *r, double amount, double p[8])
{
	for (int i = 0; i < 8; i++)
		p[i] = rnd_uni(r, -amount, amount);
}

/* The camera spoilage shared by all kinds; ranges are documented in docs/camera.md. */
static void rnd_spoil(struct rng *r, struct synth_cam *c, bool clean)
{
	c->light_gain = 1;
	c->jpeg_quality = 95;
	c->noise = 1;
	c->seed = (uint32_t)rnd_u64(r);
	if (clean)
		return;
	c->defocus = rnd_uni(r, 0, 1.3);
	c->motion_len = rnd_p(r, 0.3) ? rnd_uni(r, 1, 4) : 0;
	c->motion_deg = rnd_uni(r, 0, 180);
	c->noise = rnd_uni(r, 1, 6);
	c->light_gain = rnd_uni(r, 0.7, 1.15);
	c->light_dx = rnd_uni(r, -0.35, 0.35);
	c->light_dy = rnd_uni(r, -0.35, 0.35);
	if (rnd_p(r, 0.4)) {
		c->glare = rnd_uni(r, 60, 200);
		c->glare_x = rnd_uni(r, 0, 1);
		c->glare_y = rnd_uni(r, 0, 1);
		c->glare_r = rnd_uni(r, 0.04, 0.14);
	}
	c->jpeg_quality = rnd_int(r, 60, 95);
}

static void rnd_card_cam(struct rng *r, struct synth_cam *c, bool clean)
{
	bool hd = rnd_p(r, 0.3);

	memset(c, 0, sizeof(*c));
	c->frame_w = hd ? 1920 : 1280;
	c->frame_h = hd ? 1080 : 720;
	c->width_px = c->frame_w * (hd ? rnd_uni(r, 0.42, 0.72) : rnd_uni(r, 0.5, 0.75));
	c->cx = rnd_uni(r, 0.4, 0.6);
	c->cy = rnd_uni(r, 0.42, 0.58);
	if (!clean) {
		c->rot_deg = rnd_uni(r, -15, 15) + (rnd_p(r, 0.1) ? 180 : 0);
		rnd_persp(r, 0.05, c->persp);
	}
	rnd_spoil(r, c, clean);
}

static void rnd_phone_cam(struct rng *r, struct synth_cam *c, struct synth_phone *ph, bool clean)
{
	memset(c, 0, sizeof(*c));
	c->frame_w = 1280;
	c->frame_h = 720;
	/* the QR spans ~60% of the phone width: 140..420 px in the frame */
	c->width_px = rnd_uni(r, 140, 420) / 0.6;
	c->cx = rnd_uni(r, 0.4, 0.6);
	c->cy = rnd_uni(r, 0.5, 0.6);
	if (!clean) {
		c->rot_deg = rnd_uni(r, -20, 20);
		rnd_persp(r, 0.06, c->persp);
		ph->pitch_gap = rnd_uni(r, 0.2, 0.6);
		ph->reflection = rnd_p(r, 0.6) ? rnd_uni(r, 0.2, 0.8) : 0;
		ph->reflection_pos = rnd_uni(r, -0.4, 0.4);
		ph->reflection_deg = rnd_uni(r, 0, 180);
	}
	rnd_spoil(r, c, clean);
	c->glare = 0; /* a screen has reflections (above), not a printed card's glare */
}

static bool quad_inside(const struct synth_out *o, const struct synth_cam *c, double margin)
{
	for (int i = 0; i < 4; i++)
		if (o->qr_quad[2 * i] < margin || o->qr_quad[2 * i] > c->frame_w - margin ||
		    o->qr_quad[2 * i + 1] < margin || o->qr_quad[2 * i + 1] > c->frame_h - margin)
			return false;
	return true;
}

#define BLACK                                                                                      \
	{                                                                                          \
		30, 30, 30                                                                         \
	}
#define TEXT(s, f, x, y, h)                                                                        \
	{                                                                                          \
		(s), (f), (x), (y), (h), BLACK                                                     \
	}

struct card_texts {
	char no[64], birth[80], sex[96], expiry[64], addr1[208], addr2[208], issue[80];
	struct synth_text t[20];
	size_t n;
};

/* Split the address at the last ", " before about 44 bytes, as the card wraps it. */
static void split_addr(const char *a, char *l1, char *l2, size_t cap)
{
	const char *cut = NULL;

	for (const char *s = strstr(a, ", "); s && s - a < 44; s = strstr(s + 1, ", "))
		cut = s;
	if (!cut || strlen(a) < 44) {
		snprintf(l1, cap, "%s", a);
		l2[0] = '\0';
		return;
	}
	snprintf(l1, cap, "%.*s,", (int)(cut - a), a);
	snprintf(l2, cap, "%s", cut + 2);
}

static void front_texts(const struct person *p, struct card_texts *ct)
{
	struct synth_text *t = ct->t;
	size_t n = 0;

	snprintf(ct->no, sizeof(ct->no), "Số / No.:  %s", p->id);
	snprintf(ct->birth, sizeof(ct->birth), "Ngày sinh / Date of birth: %02d/%02d/%04d",
		 p->birth.d, p->birth.m, p->birth.y);
	snprintf(ct->sex, sizeof(ct->sex),
		 "Giới tính / Sex: %s     Quốc tịch / Nationality: Việt Nam",
		 p->sex == 'F' ? "Nữ" : "Nam");
	snprintf(ct->expiry, sizeof(ct->expiry), "Có giá trị đến: %c%c/%c%c/20%c%c",
		 p->keys.cand[0].yymmdd[4], p->keys.cand[0].yymmdd[5], p->keys.cand[0].yymmdd[2],
		 p->keys.cand[0].yymmdd[3], p->keys.cand[0].yymmdd[0], p->keys.cand[0].yymmdd[1]);
	split_addr(p->address, ct->addr1, ct->addr2, sizeof(ct->addr1));
	t[n++] = (struct synth_text)TEXT("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", SYNTH_SANS_BOLD, 10,
					 5.5, 2.0);
	t[n++] =
	    (struct synth_text)TEXT("Độc lập - Tự do - Hạnh phúc", SYNTH_SANS_BOLD, 19, 9, 1.9);
	t[n++] =
	    (struct synth_text){"CĂN CƯỚC CÔNG DÂN", SYNTH_SANS_BOLD, 18, 14.5, 3.0, {40, 30, 190}};
	t[n++] = (struct synth_text)TEXT(ct->no, SYNTH_SANS_BOLD, 27, 21, 2.6);
	t[n++] = (struct synth_text)TEXT("Họ và tên / Full name:", SYNTH_SANS, 27, 24, 1.9);
	t[n++] = (struct synth_text)TEXT(p->name_upper, SYNTH_SANS_BOLD, 27, 28, 2.8);
	t[n++] = (struct synth_text)TEXT(ct->birth, SYNTH_SANS, 27, 32, 2.0);
	t[n++] = (struct synth_text)TEXT(ct->sex, SYNTH_SANS, 27, 35.5, 2.0);
	t[n++] = (struct synth_text)TEXT("Quê quán / Place of origin:", SYNTH_SANS, 27, 39, 1.9);
	t[n++] = (struct synth_text)TEXT(p->origin, SYNTH_SANS, 27, 42, 2.2);
	t[n++] = (struct synth_text)TEXT("Nơi thường trú / Place of residence:", SYNTH_SANS, 27,
					 45.5, 1.9);
	t[n++] = (struct synth_text)TEXT(ct->addr1, SYNTH_SANS, 27, 48.5, 2.2);
	t[n++] = (struct synth_text)TEXT(ct->addr2, SYNTH_SANS, 27, 51.5, 2.2);
	t[n++] = (struct synth_text)TEXT(ct->expiry, SYNTH_SANS, 3, 48, 1.7);
	ct->n = n;
}

static void back_texts(const struct person *p, struct card_texts *ct)
{
	struct synth_text *t = ct->t;
	size_t n = 0;

	snprintf(ct->issue, sizeof(ct->issue),
		 "Ngày, tháng, năm / Date, month, year: %02d/%02d/%04d", p->issue.d, p->issue.m,
		 p->issue.y);
	t[n++] = (struct synth_text)TEXT(
	    "Đặc điểm nhân dạng / Personal identification:", SYNTH_SANS, 4, 6, 1.9);
	t[n++] = (struct synth_text)TEXT("Nốt ruồi C:2cm trên sau đuôi mắt trái", SYNTH_SANS, 4,
					 9.5, 2.0);
	t[n++] = (struct synth_text)TEXT(ct->issue, SYNTH_SANS, 4, 15, 1.9);
	t[n++] = (struct synth_text)TEXT("CỤC TRƯỞNG CỤC CẢNH SÁT", SYNTH_SANS_BOLD, 4, 19, 1.9);
	t[n++] = (struct synth_text)TEXT("QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", SYNTH_SANS_BOLD, 4,
					 22, 1.9);
	/* TD1: 30 characters at 2.54 mm pitch; OCR-B's advance is 0.711 em (measured) */
	for (int i = 0; i < 3; i++)
		t[n++] =
		    (struct synth_text)TEXT(p->mrz[i], SYNTH_OCRB, 4.5, 42 + 4.4 * i, 2.54 / 0.711);
	ct->n = n;
}

static void json_cam(cJSON *root, const struct synth_cam *c, const struct synth_out *o)
{
	cJSON *cam = cccd_json_obj(root, "camera");

	cccd_json_num(cam, "width", c->frame_w);
	cccd_json_num(cam, "height", c->frame_h);
	cccd_json_num(cam, "object_px", c->width_px);
	cccd_json_num(cam, "rotation_deg", c->rot_deg);
	cccd_json_num(cam, "defocus_sigma", c->defocus);
	cccd_json_num(cam, "motion_px", c->motion_len);
	cccd_json_num(cam, "noise_sigma", c->noise);
	cccd_json_num(cam, "light_gain", c->light_gain);
	cccd_json_num(cam, "glare", c->glare);
	cccd_json_num(cam, "jpeg_quality", c->jpeg_quality);
	if (o->px_per_module > 0) {
		cJSON *q = cJSON_AddArrayToObject(cam, "qr_quad");
		cccd_json_num(cam, "qr_px_per_module", o->px_per_module);
		for (int i = 0; q && i < 8; i++)
			cJSON_AddItemToArray(
			    q, cJSON_CreateNumber((double)(long)(o->qr_quad[i] * 10) / 10));
	}
}

static void json_person(cJSON *root, const struct person *p)
{
	cJSON *per = cccd_json_obj(root, "person"), *mrz = cJSON_AddArrayToObject(root, "mrz");
	char d[DATE_ISO_LEN];

	cccd_json_str(per, "number", p->id);
	cccd_json_str(per, "full_name", p->name);
	date_to_iso(&p->birth, d);
	cccd_json_str(per, "birth_date", d);
	cccd_json_str(per, "sex", p->sex == 'F' ? "F" : "M");
	for (int i = 0; i < 3; i++)
		cJSON_AddItemToArray(mrz, cJSON_CreateString(p->mrz[i]));
}

static int write_json(const char *path, cJSON *root)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f)
		return -1;
	rc = cccd_json_print(root, f, true);
	return fclose(f) || rc ? -1 : 0;
}

static void json_qr(cJSON *root, const char *kind, const char *payload, bool inverted)
{
	cJSON *qr = cccd_json_obj(root, "qr");

	cccd_json_str(qr, "kind", kind);
	cccd_json_str(qr, "payload", payload);
	cccd_json_bool(qr, "inverted", inverted);
}

/* --qr: the person of a given card QR (the demo's virtual chip), camera still random. */
static int person_from_qr(struct person *p, const char *payload)
{
	struct cccdqr qr;
	struct cccd_err e = {0};

	if (cccdqr_parse((const uint8_t *)payload, strlen(payload), &qr, &e) ||
	    cccdqr_keys(&qr, &p->keys, &e)) {
		fprintf(stderr, "cardgen: --qr: %s\n", e.msg);
		return -1;
	}
	if (strlen(qr.full_name) >= sizeof(p->name) || strlen(qr.address) >= sizeof(p->address))
		return fprintf(stderr, "cardgen: --qr: name or address too long to draw\n"), -1;
	snprintf(p->id, sizeof(p->id), "%s", qr.id);
	snprintf(p->old_id, sizeof(p->old_id), "%s", qr.old_id);
	memcpy(p->name, qr.full_name, strlen(qr.full_name) + 1);
	utf8_upper(p->name, p->name_upper, sizeof(p->name_upper));
	memcpy(p->address, qr.address, strlen(qr.address) + 1);
	snprintf(p->payload, sizeof(p->payload), "%s", payload);
	p->birth = qr.birth_date;
	p->issue = qr.issue_date;
	p->sex = qr.sex;
	make_mrz(p);
	return check_mrz(p, &e) ? fprintf(stderr, "cardgen: --qr: MRZ: %s\n", e.msg), -1 : 0;
}

struct job {
	const char *qr; /* --qr, or NULL */
	struct synth_ctx *ctx;
	const char *dir;
	const char *kind;
	uint64_t seed;
	int index;
	bool clean;
	char base[512]; /* DIR/<kind>-<seed>-<i> */
};

static int render_card(struct job *j, struct rng *r, bool back, cJSON *root)
{
	struct person p;
	struct qrbits q;
	struct card_texts ct = {0};
	struct synth_qr sq;
	struct synth_card card = {.back = back, .tint = {232, 240, 236}};
	struct synth_cam cam;
	struct synth_out out;
	struct cccd_err e = {0};
	char img[600];

	if (make_person(r, &p) || (j->qr && person_from_qr(&p, j->qr)) || encode_qr(p.payload, &q))
		return -1;
	sq = (struct synth_qr){q.dark, q.n, 67.5, 2.5, 15.0, false};
	if (back)
		back_texts(&p, &ct);
	else
		front_texts(&p, &ct);
	card.texts = ct.t, card.n_texts = ct.n, card.qr = back ? NULL : &sq;
	snprintf(img, sizeof(img), "%s.jpg", j->base);
	for (int tries = 0; tries < 50; tries++) {
		rnd_card_cam(r, &cam, j->clean);
		if (synth_render_card(j->ctx, &card, &cam, img, &out, &e))
			return fprintf(stderr, "cardgen: %s\n", e.msg), -1;
		if (back || quad_inside(&out, &cam, 8))
			break;
	}
	json_person(root, &p);
	if (!back)
		json_qr(root, "cccd", p.payload, false);
	json_cam(root, &cam, &out);
	return 0;
}

struct phone_pay {
	char payload[VIETQR_MAX_LEN + 1], account[20], amount[16], holder[64], amount_text[32];
	const char *bank;
	const char *kind;
};

static const char *const purposes[] = {"HOC PHI THANG 9", "TIEN AN BAN TRU", "QUY LOP 5A",
				       "DONG PHUC", ""};

static int make_vietqr(struct rng *r, struct phone_pay *pp)
{
	size_t nb;
	const struct vietqr_bank *banks = vietqr_bank_table(&nb),
				 *b = &banks[rnd_int(r, 0, (int)nb - 1)];
	struct person p;
	char ascii[128];
	struct vietqr_req q = {0};

	if (make_person(r, &p) ||
	    cccd_utf8_strip_marks((const uint8_t *)p.name_upper, strlen(p.name_upper), ascii,
				  sizeof(ascii), NULL))
		return -1;
	snprintf(pp->holder, sizeof(pp->holder), "%.60s", ascii);
	snprintf(pp->account, sizeof(pp->account), "%d%09d", rnd_int(r, 1, 99999),
		 rnd_int(r, 0, 999999999));
	pp->amount[0] = pp->amount_text[0] = '\0';
	if (rnd_p(r, 0.6)) {
		int k = rnd_int(r, 1, 500) * 5;
		snprintf(pp->amount, sizeof(pp->amount), "%d000", k);
		snprintf(pp->amount_text, sizeof(pp->amount_text), "%d.000 VND", k);
	}
	q = (struct vietqr_req){.bank_bin = b->bin,
				.account = pp->account,
				.service = VIETQR_TO_ACCOUNT,
				.dynamic = pp->amount[0] != '\0',
				.amount = pp->amount,
				.purpose = PICK(r, purposes)};
	pp->bank = b->short_name;
	pp->kind = "vietqr";
	return vietqr_build(&q, pp->payload, sizeof(pp->payload), NULL);
}

static int make_phone_payload(struct rng *r, struct phone_pay *pp)
{
	if (rnd_p(r, 0.8))
		return make_vietqr(r, pp);
	memset(pp, 0, sizeof(*pp));
	snprintf(pp->payload, sizeof(pp->payload),
		 "https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html?ma=%08d%04d",
		 rnd_int(r, 0, 99999999), rnd_int(r, 0, 9999));
	pp->bank = "Dịch vụ công";
	snprintf(pp->holder, sizeof(pp->holder), "Mã hồ sơ");
	pp->kind = "other";
	return 0;
}

static void phone_texts(const struct phone_pay *pp, bool dark, int qr_end, struct synth_text *t,
			size_t *n)
{
	uint8_t fg = dark ? 225 : 35;

	t[0] = (struct synth_text){pp->bank, SYNTH_SANS_BOLD, 60, 110, 64, {250, 250, 250}};
	t[1] = (struct synth_text){pp->holder, SYNTH_SANS_BOLD, 90, qr_end + 110, 50, {fg, fg, fg}};
	t[2] = (struct synth_text){pp->account, SYNTH_SANS, 90, qr_end + 180, 46, {fg, fg, fg}};
	t[3] = (struct synth_text){pp->amount_text, SYNTH_SANS_BOLD, 90, qr_end + 250, 50,
				   {20, 120, 20}};
	*n = 4;
}

static int render_phone(struct job *j, struct rng *r, cJSON *root)
{
	struct phone_pay pp;
	struct qrbits q;
	struct synth_text t[4];
	struct synth_phone ph = {.screen_w = 1080, .screen_h = 1500};
	struct synth_qr sq;
	struct synth_cam cam;
	struct synth_out out;
	struct cccd_err e = {0};
	char img[600];
	int side;

	if (make_phone_payload(r, &pp) || encode_qr(pp.payload, &q))
		return -1;
	ph.dark = rnd_p(r, 0.25) && !j->clean;
	side = q.n * (rnd_int(r, 600, 760) / q.n); /* whole screen pixels per module */
	sq = (struct synth_qr){q.dark, q.n, (1080 - side) / 2.0, 260, side, ph.dark};
	phone_texts(&pp, ph.dark, 260 + side, t, &ph.n_texts);
	ph.texts = t, ph.qr = &sq;
	snprintf(img, sizeof(img), "%s.jpg", j->base);
	for (int tries = 0; tries < 50; tries++) {
		rnd_phone_cam(r, &cam, &ph, j->clean);
		if (synth_render_phone(j->ctx, &ph, &cam, img, &out, &e))
			return fprintf(stderr, "cardgen: %s\n", e.msg), -1;
		if (quad_inside(&out, &cam, 8))
			break;
	}
	json_qr(root, pp.kind, pp.payload, ph.dark);
	json_cam(root, &cam, &out);
	return 0;
}

static int render_one(struct job *j)
{
	struct rng mix = {(uint64_t)j->index}, r;
	cJSON *root = cJSON_CreateObject();
	char js[600];
	int rc;

	if (!root)
		return -1;
	/* one independent stream per (seed, index): splitmix streams of nearby states overlap */
	r.s = j->seed ^ rnd_u64(&mix);
	r.s = rnd_u64(&r);
	snprintf(j->base, sizeof(j->base), "%s/%s-%llu-%04d", j->dir, j->kind,
		 (unsigned long long)j->seed, j->index);
	cccd_json_str(root, "kind", j->kind);
	cccd_json_num(root, "seed", (double)j->seed);
	cccd_json_num(root, "index", j->index);
	cccd_json_bool(root, "clean", j->clean);
	if (!strcmp(j->kind, "phone"))
		rc = render_phone(j, &r, root);
	else
		rc = render_card(j, &r, !strcmp(j->kind, "back"), root);
	snprintf(js, sizeof(js), "%s.json", j->base);
	if (!rc)
		rc = write_json(js, root);
	cJSON_Delete(root);
	return rc;
}

static int usage(void)
{
	fprintf(stderr, "usage: cardgen --out DIR [--kind front|back|phone|all] [--count N] "
			"[--seed S] [--first I] [--clean] [--qr PAYLOAD]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const char *const all[] = {"front", "back", "phone"};
	struct job j = {.kind = "all", .seed = 1};
	int count = 10, first = 0, rc = 0;
	struct cccd_err e = {0};

	for (int i = 1; i < argc; i++) {
		bool has = i + 1 < argc;
		if (!strcmp(argv[i], "--out") && has)
			j.dir = argv[++i];
		else if (!strcmp(argv[i], "--kind") && has)
			j.kind = argv[++i];
		else if (!strcmp(argv[i], "--count") && has)
			count = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--first") && has)
			first = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seed") && has)
			j.seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--clean"))
			j.clean = true;
		else if (!strcmp(argv[i], "--qr") && has)
			j.qr = argv[++i];
		else
			return usage();
	}
	if (!j.dir || count < 1 || count > 100000 || first < 0)
		return usage();
	if (mkdir(j.dir, 0755) && errno != EEXIST)
		return perror(j.dir), 2;
	if (synth_new(&j.ctx, &e))
		return fprintf(stderr, "cardgen: %s\n", e.msg), 2;
	const char *want = j.kind;
	for (size_t k = 0; k < 3 && !rc; k++) {
		if (strcmp(want, "all") && strcmp(want, all[k]))
			continue;
		j.kind = all[k];
		for (j.index = first; j.index < first + count && !rc; j.index++)
			rc = render_one(&j);
	}
	synth_free(j.ctx);
	if (strcmp(want, "all") && strcmp(want, "front") && strcmp(want, "back") &&
	    strcmp(want, "phone"))
		return usage();
	return rc ? 1 : 0;
}
