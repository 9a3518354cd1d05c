/* SPDX-License-Identifier: MIT */
/*
 * bench_kbd.c - how fast the keyboard wedge can type a realistic Vietnamese RESULT line (the
 * clinic profile over tests/fixtures/out/result_genuine.json: ID, name, birth date, sex,
 * address) under each strategy: encode + send through the file: sink at zero inter-key delay,
 * in characters per second (median of 15 runs). Its peer is the ceiling of the real host link:
 * a full-speed USB keyboard delivers one report per 1 ms poll, so it types 1000 / (reports per
 * character) characters per second whatever the box does. The gap says how much headroom the
 * encoder leaves; the peer figure is what an operator waits for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "key_sink.h"
#include "out/kbd.h"
#include "out/profile.h"

#define RUNS 15
#define REPS 40

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static size_t chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* One typing of text: encode, then every report into the sink. */
static int type_once(struct key_sink *s, const struct kbd_opts *o, const char *text,
		     struct kbd_reports *r)
{
	r->n = 0;
	if (kbd_encode(o, (const uint8_t *)text, strlen(text), 0, r, NULL))
		return -1;
	return key_sink_send(s, &r->r[0][0], r->n, 0, NULL);
}

static int bench(enum kbd_strategy st, const char *text, const char *path)
{
	struct kbd_opts o = {.strategy = st};
	static uint8_t buf[16 * KBD_MAX_TEXT][KBD_REPORT_LEN];
	struct kbd_reports r = {buf, sizeof(buf) / sizeof(buf[0]), 0};
	double t[RUNS], per_char, cps;
	char uri[128];
	struct key_sink s;

	snprintf(uri, sizeof(uri), "file:%s", path);
	for (int run = 0; run < RUNS; run++) {
		double t0;

		if (truncate(path, 0) || key_sink_open(&s, uri, NULL))
			return -1;
		t0 = now_s();
		for (int i = 0; i < REPS; i++)
			if (type_once(&s, &o, text, &r))
				return -1;
		t[run] = now_s() - t0;
		key_sink_close(&s);
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	per_char = (double)r.n / (double)chars(text);
	cps = REPS * (double)chars(text) / t[RUNS / 2];
	printf("kbd %s: %.0f chars/s through the file: sink, %.2f reports/char  (peer full-speed "
	       "USB keyboard, 1 report/ms: %.1f chars/s)\n",
	       kbd_strategy_name(st), cps, per_char, 1000.0 / per_char);
	return 0;
}

int main(void)
{
	FILE *f = fopen("tests/fixtures/out/result_genuine.json", "r");
	char json[4096], text[KBD_MAX_TEXT], path[] = "/tmp/bench_kbd_XXXXXX";
	struct out_profile p;
	cJSON *res;
	size_t n;
	int fd, rc = 0;

	if (!f)
		return 1;
	n = fread(json, 1, sizeof(json) - 1, f);
	fclose(f);
	json[n] = '\0';
	res = cJSON_Parse(json);
	if (!res || out_profile_builtin("clinic", &p) ||
	    out_profile_render(&p, res, text, sizeof(text), NULL))
		return 1;
	cJSON_Delete(res);
	fd = mkstemp(path);
	if (fd < 0)
		return 1;
	close(fd);
	printf("kbd line: %zu characters (clinic profile, fixture RESULT)\n", chars(text));
	for (int st = KBD_ASCII; st <= KBD_VNI && !rc; st++)
		rc = bench((enum kbd_strategy)st, text, path);
	unlink(path);
	return rc ? 1 : 0;
}
