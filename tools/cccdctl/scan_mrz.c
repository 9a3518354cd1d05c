/* SPDX-License-Identifier: MIT */
/*
 * scan_mrz.c - the "mrz" object of `cccdctl scan` (cmd_scan.c), from vision/mrzloc:
 *   "mrz":{"found":true,"valid":true,"complete":true,"confidence":0.97,"frames":1,"fixed":0,
 *          "lines":["IDVNM2000123457001200012345<<8","0002011M2502014VNM<<<<<<<<<<<6",
 *                   "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"],
 *          "card":{...},"document":{...},"person":{...},"mrz":{"format":"TD1",...,"key":...},
 *          "access":{"mrz_key":"200012345700020152502014","can":"012345"}}
 * The parsed keys are those of `cccdctl parse mrz` (only when every check digit passes);
 * "access" gives the chip's keys: the BAC/PACE MRZ key and, on a CCCD, the CAN (last 6 digits of
 * the 12-digit ID, FIELD-NOTES). Frames of one IMAGE argument (a glob or video) are voted
 * together; "frames" says how many. Nothing found: {"found":false}.
 */
#include <string.h>

#include "core/json.h"
#include "tools/cccdctl/cccdctl.h"
#include "tools/cccdctl/scan_mrz.h"

static int add_lines(cJSON *o, const struct mrzloc_result *r)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "lines");
	const char *p = r->text;

	for (int l = 0; arr && l < r->nlines; l++) {
		char line[MRZ_WIDTH_MAX + 1];
		size_t n = strcspn(p, "\n");
		if (n > MRZ_WIDTH_MAX)
			return -CCCD_ENOMEM;
		memcpy(line, p, n);
		line[n] = '\0';
		cJSON_AddItemToArray(arr, cJSON_CreateString(line));
		p += n + (p[n] == '\n');
	}
	return arr ? 0 : -CCCD_ENOMEM;
}

static int add_access(cJSON *o, const struct mrzloc_result *r)
{
	char key[MRZ_KEY_MAX + 1];
	cJSON *a = cccd_json_obj(o, "access");

	if (!a || mrz_key(&r->mrz, key, sizeof(key)) < 0 || cccd_json_str(a, "mrz_key", key))
		return -CCCD_ENOMEM;
	if (strlen(r->mrz.id_number) == 12 && cccd_json_str(a, "can", r->mrz.id_number + 6))
		return -CCCD_ENOMEM;
	return 0;
}

int ctl_scan_mrz(cJSON *root, struct mrzloc *m, const struct frame *f)
{
	struct mrzloc_result r;
	struct cccd_date today;
	struct cccd_err e = {0};
	cJSON *o = cccd_json_obj(root, "mrz");

	date_today(&today);
	if (!o || mrzloc_frame(m, f->gray, f->width, f->height, f->gray_stride, &today, &r, &e))
		return -CCCD_ENOMEM;
	if (cccd_json_bool(o, "found", r.found))
		return -CCCD_ENOMEM;
	if (!r.found)
		return 0;
	if (cccd_json_bool(o, "valid", r.valid) || cccd_json_bool(o, "complete", r.complete) ||
	    cccd_json_num(o, "confidence", (double)(long)(r.confidence * 1000) / 1000) ||
	    cccd_json_num(o, "frames", r.frames) || cccd_json_num(o, "fixed", r.nfix) ||
	    add_lines(o, &r))
		return -CCCD_ENOMEM;
	if (!r.valid)
		return 0;
	if (ctl_parse_mrz((const uint8_t *)r.text, strlen(r.text), o, &e))
		return cccd_json_str(o, "error", e.msg);
	return add_access(o, &r);
}
