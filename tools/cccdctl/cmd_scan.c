/* SPDX-License-Identifier: MIT */
/*
 * cmd_scan.c - `cccdctl scan [--decoder ours|zbar|zxing] [--zxing-first] [--gate] [--pretty]
 * IMAGE...`: the QR
 * codes in photos, one JSON object per frame (an IMAGE may also be a glob or a video):
 *   {"image":"card.jpg","width":1280,"height":720,
 *    "quality":{"sharpness":212.4,"glare":0.003,"ok":true},
 *    "qr":[{"kind":"cccd","decoder":"zbar","inverted":false,"cropped":false,
 *           "text":"0012...|...","document":{...},"person":{...},"access":{...}}]}
 * A CCCD QR carries the keys of `cccdctl parse qr`, a VietQR those of `parse vietqr`; a payload
 * that is not UTF-8 comes as "hex", one that fails its parser adds "error". Exit 0 when every
 * frame gave a code, 1 when some gave none (or was gated out), 2 for a file that cannot be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/utf8.h"
#include "frame_source.h"
#include "tools/cccdctl/cccdctl.h"
#include "vision/qrscan.h"

struct scan_args {
	struct qrscan_opts opts;
	bool pretty;
	int first; /* argv index of the first IMAGE */
};

static int add_text(cJSON *obj, const struct qrscan_code *c)
{
	char nfc[4 * QRSCAN_MAX_DATA + 1], hex[2 * QRSCAN_MAX_DATA + 1];

	if (!cccd_utf8_nfc(c->data, c->len, nfc, sizeof(nfc), NULL))
		return cccd_json_str(obj, "text", nfc);
	for (size_t i = 0; i < c->len; i++)
		snprintf(hex + 2 * i, 3, "%02x", c->data[i]);
	hex[2 * c->len] = '\0';
	return cccd_json_str(obj, "hex", hex);
}

/* The kind and the parsed keys; a parser's complaint goes into "error", not the exit code. */
static int add_parsed(cJSON *obj, const struct qrscan_code *c)
{
	struct qrscan_payload p; /* 5 KB on the stack: no state between calls */
	struct cccd_err e = {0};
	int rc = qrscan_payload_parse(c->data, c->len, &p, &e);
	const char *kind = qrscan_kind_name(p.kind);

	if (!rc && p.kind == QRSCAN_CCCD)
		rc = ctl_parse_qr(c->data, c->len, obj, &e);
	else if (!rc && p.kind == QRSCAN_VIETQR)
		rc = ctl_parse_vietqr(c->data, c->len, obj, &e);
	if (cccd_json_str(obj, "kind", kind))
		return -CCCD_ENOMEM;
	return rc ? cccd_json_str(obj, "error", e.msg) : 0;
}

static int add_code(cJSON *arr, const struct qrscan_code *c)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return -CCCD_ENOMEM;
	cJSON_AddItemToArray(arr, o);
	if (add_parsed(o, c) ||
	    cccd_json_str(o, "decoder", c->decoder == QRSCAN_DEC_ZBAR ? "zbar" : "zxing-cpp") ||
	    cccd_json_bool(o, "inverted", c->inverted) || cccd_json_bool(o, "cropped", c->cropped))
		return -CCCD_ENOMEM;
	return add_text(o, c);
}

static int add_frame(cJSON *root, const struct frame *f, const struct qrscan_result *r)
{
	cJSON *q, *arr;

	if (cccd_json_str(root, "image", f->name) || cccd_json_num(root, "width", f->width) ||
	    cccd_json_num(root, "height", f->height) || !(q = cccd_json_obj(root, "quality")) ||
	    cccd_json_num(q, "sharpness", (double)(long)(r->quality.sharpness * 10) / 10) ||
	    cccd_json_num(q, "glare", (double)(long)(r->quality.glare * 1000) / 1000) ||
	    cccd_json_bool(q, "ok", r->quality.ok) ||
	    (r->skipped && cccd_json_bool(root, "skipped", true)))
		return -CCCD_ENOMEM;
	arr = cJSON_AddArrayToObject(root, "qr");
	if (!arr)
		return -CCCD_ENOMEM;
	for (size_t i = 0; i < r->n; i++)
		if (add_code(arr, &r->code[i]))
			return -CCCD_ENOMEM;
	return 0;
}

/* Scan every frame of one IMAGE argument; returns the worst exit code seen. */
static int scan_one(struct qrscan *s, const char *arg, bool pretty)
{
	struct qrscan_result res; /* 12 KB on the stack */
	struct frame_source src;
	struct frame f;
	struct cccd_err e = {0};
	char uri[sizeof(src.uri)];
	int worst = CTL_OK, rc;

	snprintf(uri, sizeof(uri), "file:%s", arg);
	if (frame_source_open(&src, uri, &e))
		return ctl_print_err(&e), CTL_USAGE;
	while (!(rc = frame_source_grab(&src, &f, &e))) {
		cJSON *root = cJSON_CreateObject();
		if (!f.name[0])
			snprintf(f.name, sizeof(f.name), "%s#%lu", arg, f.seq);
		if (!root || qrscan_frame(s, f.gray, f.width, f.height, f.gray_stride, &res, &e) ||
		    add_frame(root, &f, &res)) {
			cJSON_Delete(root);
			worst = CTL_USAGE;
			break;
		}
		cccd_json_print(root, stdout, pretty);
		cJSON_Delete(root);
		if (!res.n && worst == CTL_OK)
			worst = CTL_REJECTED;
	}
	if (rc && rc != -CCCD_ENOENT) {
		ctl_print_err(&e);
		worst = CTL_USAGE;
	}
	frame_source_close(&src);
	return worst;
}

static int parse_args(int argc, char **argv, struct scan_args *a)
{
	memset(a, 0, sizeof(*a));
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--pretty"))
			a->pretty = true;
		else if (!strcmp(argv[i], "--gate"))
			a->opts.gate = true;
		else if (!strcmp(argv[i], "--zxing-first"))
			a->opts.zxing_first = true;
		else if (!strcmp(argv[i], "--decoder") && i + 1 < argc) {
			const char *d = argv[++i];
			if (!strcmp(d, "ours"))
				a->opts.mode = QRSCAN_OURS;
			else if (!strcmp(d, "zbar"))
				a->opts.mode = QRSCAN_ZBAR_ONLY;
			else if (!strcmp(d, "zxing"))
				a->opts.mode = QRSCAN_ZXING_ONLY;
			else
				return -1;
		} else if (argv[i][0] == '-' && argv[i][1])
			return -1;
		else {
			a->first = i;
			return 0;
		}
	}
	return -1;
}

int cmd_scan(int argc, char **argv)
{
	struct scan_args a;
	struct qrscan *s;
	struct cccd_err e = {0};
	int worst = CTL_OK, rc;

	if (parse_args(argc, argv, &a)) {
		fprintf(stderr, "usage: cccdctl scan [--decoder ours|zbar|zxing] [--zxing-first] "
				"[--gate] [--pretty] "
				"IMAGE...\n");
		return CTL_USAGE;
	}
	if (qrscan_new(&s, &a.opts, &e))
		return ctl_print_err(&e), CTL_USAGE;
	for (int i = a.first; i < argc; i++) {
		rc = scan_one(s, argv[i], a.pretty);
		worst = rc > worst ? rc : worst;
	}
	qrscan_free(s);
	return worst;
}
