/* SPDX-License-Identifier: MIT */
/*
 * cmd_kbd.c - `cccdctl kbd`: the keyboard wedge offline.
 *   kbd encode --strategy S [--leds N] [--modern] TEXT     reports, one per line in hex
 *   kbd decode --strategy S [--leds N] [--modern] [FILE|-] what a host would see
 *   kbd type --profile P [--strategy S] [--sink URI] [RESULT.json|-]
 *                                       a RESULT through a profile, to a sink or as hex
 * decode reads raw 8-byte reports (a file: sink) or the hex lines encode prints.
 * Example: `cccdctl kbd encode --strategy ascii A` prints "02 00 04 00 00 00 00 00" and
 * "00 00 00 00 00 00 00 00".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "key_sink.h"
#include "out/kbd.h"
#include "out/wedge.h"
#include "tools/cccdctl/cccdctl.h"

struct kopts {
	struct kbd_opts o;
	unsigned leds;
	const char *profile, *sink, *arg;
	bool strategy_set;
};

static int usage(void)
{
	fprintf(stderr,
		"usage: cccdctl kbd encode --strategy S [--leds N] [--modern] TEXT\n"
		"       cccdctl kbd decode --strategy S [--leds N] [--modern] [FILE|-]\n"
		"       cccdctl kbd type --profile P [--strategy S] [--sink URI] [RESULT.json|-]\n"
		"strategies: ascii unicode-windows unicode-linux telex vni; leds: 1 Num, 2 Caps\n");
	return CTL_USAGE;
}

static int parse_args(int argc, char **argv, struct kopts *k)
{
	memset(k, 0, sizeof(*k));
	k->o.layout = kbd_layout_find("us");
	for (int i = 2; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--modern")) {
			k->o.modern_tones = true;
		} else if (!strcmp(argv[i], "--strategy") && v && ++i) {
			if (kbd_strategy_from_name(v, &k->o.strategy))
				return -1;
			k->strategy_set = true;
		} else if (!strcmp(argv[i], "--leds") && v && ++i) {
			char *end;

			k->leds = (unsigned)strtoul(v, &end, 0);
			if (*end || k->leds > 31)
				return -1;
		} else if (!strcmp(argv[i], "--profile") && v && ++i) {
			k->profile = v;
		} else if (!strcmp(argv[i], "--sink") && v && ++i) {
			k->sink = v;
		} else if (!k->arg && !strcmp(argv[i], "--") && v && ++i) {
			k->arg = v; /* TEXT that starts with '-' */
		} else if (!k->arg && (argv[i][0] != '-' || !strcmp(argv[i], "-"))) {
			k->arg = argv[i];
		} else {
			return -1;
		}
	}
	return 0;
}

static void print_hex(const uint8_t (*r)[KBD_REPORT_LEN], size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < KBD_REPORT_LEN; j++)
			printf("%02X%c", r[i][j], j == KBD_REPORT_LEN - 1 ? '\n' : ' ');
}

static int encode(struct kopts *k)
{
	struct cccd_err err = {0};
	struct kbd_reports r = {0};
	size_t len = strlen(k->arg);
	int rc;

	r.cap = 16 * len + 8;
	r.r = calloc(r.cap, KBD_REPORT_LEN);
	if (!r.r)
		return CTL_USAGE;
	rc = kbd_encode(&k->o, (const uint8_t *)k->arg, len, (uint8_t)k->leds, &r, &err);
	if (rc)
		ctl_print_err(&err);
	else
		print_hex((const uint8_t(*)[KBD_REPORT_LEN])r.r, r.n);
	free(r.r);
	return ctl_exit_code(rc);
}

/* Hex text ("02 00 04 ...", any whitespace) into bytes in place; false if it is not hex. */
static bool unhex(uint8_t *buf, size_t *len)
{
	size_t n = 0;
	int hi = -1;

	for (size_t i = 0; i < *len; i++) {
		int c = buf[i];

		if (isspace(c))
			continue;
		if (!isxdigit(c))
			return false;
		c = isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
		if (hi < 0) {
			hi = c;
		} else {
			buf[n++] = (uint8_t)(hi << 4 | c);
			hi = -1;
		}
	}
	if (hi >= 0)
		return false;
	*len = n;
	return true;
}

static int decode(struct kopts *k)
{
	struct cccd_err err = {0};
	uint8_t *buf = NULL;
	size_t len = 0;
	char *text;
	int rc = ctl_read_input(k->arg ? k->arg : "-", &buf, &len, &err);

	if (rc) {
		ctl_print_err(&err);
		return CTL_USAGE;
	}
	(void)unhex(buf, &len); /* binary reports always hold 00 bytes: never all hex digits */
	text = malloc(len + 1);
	rc = text ? kbd_reports_parse(buf, len, &k->o, (uint8_t)k->leds, text, len + 1, &err)
		  : -CCCD_ENOMEM;
	if (rc)
		ctl_print_err(&err);
	else
		fputs(text, stdout);
	free(text);
	free(buf);
	return ctl_exit_code(rc);
}

static int type_to(struct kopts *k, const struct out_profile *p, const cJSON *res)
{
	struct cccd_err err = {0};
	char path[] = "/tmp/cccdctl-kbd-XXXXXX", uri[64];
	struct key_sink s;
	int rc, fd = -1;

	if (!k->sink) { /* no sink: type into a scratch file, print it as hex */
		fd = mkstemp(path);
		if (fd < 0)
			return CTL_USAGE;
		snprintf(uri, sizeof(uri), "file:%s?leds=%u", path, k->leds);
	}
	rc = key_sink_open(&s, k->sink ? k->sink : uri, &err);
	if (!rc) {
		rc = out_wedge_type(&s, p, res, 0, &err);
		key_sink_close(&s);
	}
	if (rc == 1)
		fprintf(stderr, "cccdctl: profile %s does not send this result\n", p->name);
	else if (rc)
		ctl_print_err(&err);
	if (fd >= 0) {
		uint8_t r[KBD_REPORT_LEN];

		while (rc == 0 && read(fd, r, sizeof(r)) == (ssize_t)sizeof(r))
			print_hex((const uint8_t(*)[KBD_REPORT_LEN])r, 1);
		close(fd);
		unlink(path);
	}
	return rc == 1 ? CTL_REJECTED : ctl_exit_code(rc);
}

static int type(struct kopts *k)
{
	struct cccd_err err = {0};
	struct out_profile *p = calloc(1, sizeof(*p));
	uint8_t *buf = NULL;
	size_t len = 0;
	cJSON *res = NULL;
	int rc = CTL_USAGE;

	if (!p || !k->profile || out_profile_builtin(k->profile, p)) {
		free(p);
		return usage();
	}
	if (k->strategy_set)
		p->kbd = k->o;
	if (ctl_read_input(k->arg ? k->arg : "-", &buf, &len, &err)) {
		ctl_print_err(&err);
		goto out;
	}
	res = cJSON_ParseWithLength((const char *)buf, len);
	if (!res) {
		fprintf(stderr, "cccdctl: input is not a JSON RESULT\n");
		rc = CTL_REJECTED;
		goto out;
	}
	rc = type_to(k, p, res);
out:
	cJSON_Delete(res);
	free(buf);
	free(p);
	return rc;
}

int cmd_kbd(int argc, char **argv)
{
	struct kopts k;

	if (argc < 2 || parse_args(argc, argv, &k))
		return usage();
	if (!strcmp(argv[1], "encode") && k.arg && k.strategy_set)
		return encode(&k);
	if (!strcmp(argv[1], "decode") && k.strategy_set)
		return decode(&k);
	if (!strcmp(argv[1], "type"))
		return type(&k);
	return usage();
}
