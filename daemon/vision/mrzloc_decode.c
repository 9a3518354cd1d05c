/* SPDX-License-Identifier: MIT */
/*
 * mrzloc_decode.c - from per-class costs to MRZ lines (mrzloc.h), ICAO 9303-3/4/5.
 * 1. Layout: each position takes the cheapest class it may hold: digits in dates and check
 *    digits, letters and '<' in codes and names, M/F/< for sex; on a CCCD (line 1 reads IDVNM
 *    within a small cost) the 9+12 ID digits, the `<<` and the fixed `IDVNM` (FIELD-NOTES).
 * 2. Check digits (§4.9, mrz_check_digit): a failing field takes the cheapest single
 *    substitution (one of each position's two next-best allowed classes, never a filler turned
 *    into data) that makes it pass, if it costs at most REPAIR_MAX per frame more than the read
 *    (a plausible confusion; else a wrongly printed check digit would be "repaired" into changed
 *    data); the composite check only touches positions no passing field vouches for.
 * 3. mrz_parse on the result; if it fails, mrz_repair's look-alike table gets a try; a character
 *    it changes takes the classifier's confidence for its new class, unvouched.
 * Name fields: the name (a letter first, no `<<<`), then fillers only.
 * Confidence of a character: softmax of its allowed classes' summed costs (temperature 0.04, so
 * agreeing frames add up);
 * a character under a passing check digit keeps a tenth of its doubt (a check digit lets through
 * about 1 in 10 random errors). The read's confidence is its weakest character's.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vision/mrzloc_priv.h"

#define FIL	 (1ull << 0)
#define DIG	 (((1ull << 10) - 1) << 1)
#define LET	 (((1ull << 26) - 1) << 11)
#define CH(c)	 (1ull << ocrb_class_of(c))
#define TEMP	 0.04f
#define FIT_OK	 0.35f /* a glyph's cost (one frame) up to which it fits its class ... */
#define FIT_BAD	 0.7f  /* ... and from which it fits none (confidence 0) */
#define FPOS_MAX 64
/* A repair that turns a filler into a character or back pays extra: '<' is not a look-alike of
 * any character, so a check digit failing there more likely misread its own digit (stray ink at
 * the line's end made 'CC' out of '<<' to fit a misread composite digit). */
#define FILLER_SWAP 0.25f
/* The most a repair may cost above the class read, per frame voted (cf. 0.45, a band's mean). */
#define REPAIR_MAX 0.2f

struct field {
	int n;
	uint8_t pos[FPOS_MAX][2]; /* (line, col) of the characters, the check digit last */
};

struct dec {
	const struct mrzloc_costs *k;
	uint64_t mask[MRZ_LINES_MAX][MRZ_WIDTH_MAX];
	int cls[MRZ_LINES_MAX][MRZ_WIDTH_MAX];
	bool vouched[MRZ_LINES_MAX][MRZ_WIDTH_MAX];
	bool cccd;
	bool no_name; /* the name field came out all fillers */
};

static uint64_t td1_mask(int l, int i, bool cccd)
{
	static const char idvnm[] = "IDVNM";

	if (l == 0 && cccd)
		return i < 5 ? CH(idvnm[i]) : (i == 27 || i == 28) ? FIL : DIG;
	if (l == 0)
		return i < 5 ? LET | FIL : i == 14 ? DIG | FIL : DIG | LET | FIL;
	if (l == 1) {
		if (i < 7 || i == 29)
			return DIG;
		if (i == 7)
			return CH('M') | CH('F') | FIL;
		if (i < 15)
			return DIG | FIL; /* <<<<<< = no expiry (doc/mrz.h) */
		/* a CCCD is a Vietnamese citizen's and carries no optional data on line 2: stray
		 * marks there read as K, C or U, which the composite check cannot see (K and U
		 * weigh 0 mod 10, like '<') */
		if (cccd)
			return i < 18 ? CH("VNM"[i - 15]) : FIL;
		return i < 18 ? LET | FIL : DIG | LET | FIL;
	}
	return LET | FIL;
}

static uint64_t td3_mask(int l, int i)
{
	if (l == 0)
		return i == 0 ? CH('P') : LET | FIL;
	if (i == 9 || (i >= 13 && i <= 19) || (i >= 21 && i <= 27) || i == 43)
		return DIG;
	if (i == 20)
		return CH('M') | CH('F') | FIL;
	if (i >= 10 && i <= 12)
		return LET | FIL;
	return i == 42 ? DIG | FIL : DIG | LET | FIL;
}

static int cheapest(const float *c, uint64_t mask)
{
	int b = -1;

	for (int q = 0; q < OCRB_NCLASS; q++)
		if ((mask >> q & 1) && (b < 0 || c[q] < c[b]))
			b = q;
	return b;
}

/* A name field (cols a..b of line l) is the name, then fillers to the end: the name starts with
 * a letter and holds no run of three fillers (names are split by `<` and `<<` only). The end
 * whose name plus filler tail is cheapest wins; the tail may hold fillers only. */
static void name_field(struct dec *d, int l, int a, int b, bool letter_first)
{
	float best = 1e30f, tail[MRZ_WIDTH_MAX + 1], head = 0;
	int e_best = a, run = 0;

	tail[b] = 0;
	for (int i = b - 1; i >= a; i--)
		tail[i] = tail[i + 1] + d->k->c[l][i][0];
	for (int e = a; e <= b; e++) {
		/* the name is cols a..e-1 at their cheapest */
		if (e > a) {
			int q = d->cls[l][e - 1];
			if ((letter_first && e - 1 == a && q == 0) ||
			    (run = q == 0 ? run + 1 : 0) >= 3)
				break;
			head += d->k->c[l][e - 1][q];
		}
		if (head + tail[e] < best)
			best = head + tail[e], e_best = e;
	}
	for (int i = e_best; i < b; i++)
		d->mask[l][i] = FIL, d->cls[l][i] = 0;
	d->no_name |= letter_first && e_best == a;
}

static void choose(struct dec *d)
{
	for (int l = 0; l < d->k->nlines; l++)
		for (int i = 0; i < d->k->nchars; i++) {
			d->mask[l][i] =
			    d->k->nchars == 30 ? td1_mask(l, i, d->cccd) : td3_mask(l, i);
			d->cls[l][i] = cheapest(d->k->c[l][i], d->mask[l][i]);
		}
	if (d->k->nchars == 30) {
		name_field(d, 2, 0, 30, true);
		name_field(d, 1, 18, 29, false); /* optional data: data, then fillers */
	} else
		name_field(d, 0, 5, 44, true);
}

/* CCCD when forcing IDVNM costs little more than the free choice (per frame voted). */
static bool looks_cccd(const struct mrzloc_costs *k, int frames)
{
	static const char idvnm[] = "IDVNM";
	float forced = 0, free_ = 0;

	if (k->nchars != 30)
		return false;
	for (int i = 0; i < 5; i++) {
		const float *c = k->c[0][i];
		forced += c[ocrb_class_of(idvnm[i])];
		free_ += c[cheapest(c, LET | FIL)];
	}
	return forced - free_ <= 0.4f * (float)frames;
}

static void add_span(struct field *f, int l, int a, int b)
{
	for (int i = a; i < b && f->n < FPOS_MAX; i++)
		f->pos[f->n][0] = (uint8_t)l, f->pos[f->n][1] = (uint8_t)i, f->n++;
}

/* The check-digit fields of the format, composite last; returns their count. */
static int fields(const struct dec *d, struct field *f)
{
	int n = 0;

	memset(f, 0, sizeof(struct field) * 6);
	if (d->k->nchars == 30) {
		add_span(&f[n], 0, 5, 15), n++;
		if (d->cccd)
			add_span(&f[n], 0, 15, 27), add_span(&f[n], 0, 29, 30), n++;
		add_span(&f[n], 1, 0, 7), n++;
		add_span(&f[n], 1, 8, 15), n++;
		add_span(&f[n], 0, 5, 30), add_span(&f[n], 1, 0, 7), add_span(&f[n], 1, 8, 15);
		add_span(&f[n], 1, 18, 30), n++;
		return n;
	}
	add_span(&f[n], 1, 0, 10), n++;
	add_span(&f[n], 1, 13, 20), n++;
	add_span(&f[n], 1, 21, 28), n++;
	add_span(&f[n], 1, 28, 43), n++;
	add_span(&f[n], 1, 0, 10), add_span(&f[n], 1, 13, 20), add_span(&f[n], 1, 21, 43), n++;
	return n;
}

static bool passes(const struct dec *d, const struct field *f)
{
	char s[FPOS_MAX];
	int cd;

	for (int j = 0; j < f->n; j++)
		s[j] = ocrb_char_of(d->cls[f->pos[j][0]][f->pos[j][1]]);
	cd = mrz_check_digit(s, (size_t)f->n - 1);
	return cd >= 0 && (s[f->n - 1] == '0' + cd || (s[f->n - 1] == '<' && cd == 0));
}

/* The next-best allowed class at a position and its extra cost. */
static int runner_up(const struct dec *d, int l, int i, int skip, float *extra)
{
	const float *c = d->k->c[l][i];
	int b = -1;

	for (int q = 0; q < OCRB_NCLASS; q++)
		if ((d->mask[l][i] >> q & 1) && q != d->cls[l][i] && q != skip &&
		    (b < 0 || c[q] < c[b]))
			b = q;
	if (b >= 0)
		*extra =
		    c[b] - c[d->cls[l][i]] + ((b == 0) != (d->cls[l][i] == 0) ? FILLER_SWAP : 0);
	return b;
}

/* Take the cheapest single substitution, among the two runner-ups of each free position, that
 * makes the field pass, if it is a plausible misread: one costing at most REPAIR_MAX per frame
 * more than what was read. A printed check digit that disagrees with its data (no single
 * plausible confusion explains it) stays failing, so the read is not complete. */
static bool repair(struct dec *d, const struct field *f)
{
	float best = REPAIR_MAX * (float)(d->k->frames > 0 ? d->k->frames : 1);
	int bj = -1, bq = -1;

	for (int j = 0; j < f->n; j++) {
		int l = f->pos[j][0], i = f->pos[j][1], *p = &d->cls[l][i], was = *p, skip = -1;
		if (d->vouched[l][i] || was == 0)
			continue; /* a filler never turns into data to make a check pass */
		for (int a = 0; a < 2; a++) {
			float ex;
			int q = runner_up(d, l, i, skip, &ex);
			if (q < 0)
				break;
			skip = q;
			*p = q;
			if (ex <= best && passes(d, f))
				best = ex, bj = j, bq = q;
			*p = was;
		}
	}
	if (bj < 0)
		return false;
	d->cls[f->pos[bj][0]][f->pos[bj][1]] = bq;
	return true;
}

/* Check every field, repairing the failing ones; positions of passing fields are vouched for. */
static int check_fields(struct dec *d, struct mrzloc_result *res)
{
	struct field f[6];
	int n = fields(d, f), changed = 0;

	res->checks = n, res->checks_read = 0;
	memset(d->vouched, 0, sizeof(d->vouched));
	for (int j = 0; j < n; j++) {
		int before[FPOS_MAX];
		for (int p = 0; p < f[j].n; p++)
			before[p] = d->cls[f[j].pos[p][0]][f[j].pos[p][1]];
		bool ok = passes(d, &f[j]);
		res->checks_read += ok;
		if (!ok && !repair(d, &f[j]))
			continue;
		for (int p = 0; p < f[j].n; p++) {
			int l = f[j].pos[p][0], i = f[j].pos[p][1];
			changed += before[p] != d->cls[l][i];
			d->vouched[l][i] = true;
		}
	}
	return changed;
}

/* ICAO 9303-3 §4.9 value of class q ('<' 0, digits, A = 10 .. Z = 35) modulo 10: a check digit
 * cannot tell apart two characters with the same value mod 10 ('<', A, K and U all weigh 0). */
static int val10(int q)
{
	return q == 0 ? 0 : q <= 10 ? q - 1 : (q - 11 + 10) % 10;
}

static float char_conf(const struct dec *d, int l, int i)
{
	const float *c = d->k->c[l][i];
	int cls = d->cls[l][i];
	float lo = c[cheapest(c, d->mask[l][i])], s = 0, same = 0;

	for (int q = 0; q < OCRB_NCLASS; q++)
		if (d->mask[l][i] >> q & 1) {
			float e = expf(-(c[q] - lo) / TEMP);
			s += e;
			same += q != cls && val10(q) == val10(cls) ? e : 0;
		}
	float p = expf(-(c[cls] - lo) / TEMP) / s;
	/* a passing check digit vouches against the other values only: the doubt it cannot see
	 * (a '<' read for a K, an 8 ... no digit shares a value) stays whole */
	if (d->vouched[l][i]) {
		float blind = same / s;
		return 1 - (1 - p - blind) / 10 - blind;
	}
	/* a glyph read in one frame that fits no class well (a name's first letter cut by the
	 * cell: L read as U at cost 0.45, where clean glyphs cost under 0.1) is doubtful however
	 * far its runner-up is; a filler's place is set by the layout, and a vote's agreement
	 * speaks for itself */
	if (cls == 0 || d->k->frames > 1)
		return p;
	return p * fminf(1, fmaxf(0, (FIT_BAD - c[cls]) / (FIT_BAD - FIT_OK)));
}

/* The weakest character's confidence. */
static float read_conf(const struct dec *d)
{
	float m = 1;

	for (int l = 0; l < d->k->nlines; l++)
		for (int i = 0; i < d->k->nchars; i++) {
			float p = char_conf(d, l, i);
			m = p < m ? p : m;
		}
	return m;
}

static void render(const struct dec *d, struct mrzloc_result *res)
{
	size_t o = 0;

	for (int l = 0; l < d->k->nlines; l++) {
		for (int i = 0; i < d->k->nchars; i++)
			res->text[o++] = ocrb_char_of(d->cls[l][i]);
		res->text[o++] = l + 1 < d->k->nlines ? '\n' : '\0';
	}
	res->confidence = read_conf(d);
}

/* mrz_repair's changes, into d: a changed character's confidence is the classifier's for what
 * it now holds (else a glyph read cleanly as '8' and rewritten to '6' kept the '8''s confidence
 * and the read was complete). It is not vouched for: the check it now passes was made to pass
 * by this change, no independent evidence. False when a change is not one of our classes. */
static bool take_repair(struct dec *d, const struct mrz_repair *rep)
{
	for (unsigned j = 0; j < rep->nfix; j++) {
		int l = rep->fix[j].line - 1, i = rep->fix[j].col - 1;
		int q = ocrb_class_of(rep->fix[j].now);
		if (l < 0 || l >= d->k->nlines || i < 0 || i >= d->k->nchars || q < 0)
			return false;
		d->cls[l][i] = q;
		d->mask[l][i] |= 1ull << q;
		d->vouched[l][i] = false;
	}
	return true;
}

float mrzloc_layout_cost(const struct mrzloc_costs *k)
{
	struct dec d = {.k = k};
	float s = 0;

	/* the generic layout: a placement that lets IDVNM be recognised must not pay for the
	 * CCCD's extra constraints against one that does not (its passing checks count instead) */
	d.cccd = false;
	choose(&d);
	for (int l = 0; l < k->nlines; l++)
		for (int i = 0; i < k->nchars; i++)
			s += k->c[l][i][d.cls[l][i]];
	return s;
}

void mrzloc_decode(const struct mrzloc_costs *k, const struct cccd_date *today,
		   struct mrzloc_result *res)
{
	struct dec d = {.k = k};
	struct cccd_err e;
	d.cccd = looks_cccd(k, k->frames);
	choose(&d);
	res->nfix = check_fields(&d, res);
	res->nlines = k->nlines, res->width = k->nchars;
	render(&d, res);
	res->valid =
	    !mrz_parse((const uint8_t *)res->text, strlen(res->text), today, &res->mrz, &e);
	if (!res->valid) {
		struct mrz_repair rep;
		if (!mrz_repair((const uint8_t *)res->text, strlen(res->text), today, &rep, &e) &&
		    strlen(rep.text) < sizeof(res->text)) {
			snprintf(res->text, sizeof(res->text), "%s", rep.text);
			res->nfix += (int)rep.nfix;
			res->confidence = take_repair(&d, &rep) ? read_conf(&d) : 0;
			res->valid = !mrz_parse((const uint8_t *)res->text, strlen(res->text),
						today, &res->mrz, &e);
		}
	}
	/* every holder has a name (ICAO 9303-3: the primary identifier is mandatory): a name line
	 * of fillers only is a line misplaced, or the name washed out, however clean it looks */
	if (d.no_name)
		res->confidence = 0;
	res->complete = res->valid && res->confidence >= MRZLOC_MIN_CONF;
}
