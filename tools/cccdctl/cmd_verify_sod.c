/* SPDX-License-Identifier: MIT */
/*
 * cmd_verify_sod.c - `cccdctl verify-sod SOD DGFILE... [--trust DIR] [--json]`: passive
 * authentication of files read from a chip (docs/verify.md). Each DG file is identified by its
 * first byte, the LDS tag (ICAO 9303-10 §4.6.1: 61 DG1, 75 DG2, 63..70 DG3..DG16), or given as
 * N=FILE. Prints "passive: ok" or the status and reason; exit 0 only for ok.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/json.h"
#include "tools/cccdctl/cccdctl.h"
#include "verify/pa.h"

#define MAX_DG 16

/* DG number from the LDS application tag of the file's first byte, 0 if none. */
static unsigned dg_of_tag(uint8_t tag)
{
	static const uint8_t tags[MAX_DG] = {0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68,
					     0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70};

	for (unsigned i = 0; i < MAX_DG; i++)
		if (tags[i] == tag)
			return i + 1;
	return 0;
}

static void print_result(const struct pa_result *r, bool json)
{
	cJSON *root, *checks, *pa;

	if (!json) {
		printf("passive: %s%s%s%s\n", pa_status_str(r->status), r->reason[0] ? " (" : "",
		       r->reason, r->reason[0] ? ")" : "");
		return;
	}
	root = cJSON_CreateObject();
	checks = root ? cccd_json_obj(root, "checks") : NULL;
	pa = root ? cccd_json_obj(root, "passive") : NULL;
	if (checks && pa) {
		cccd_json_str(checks, "passive", pa_status_str(r->status));
		cccd_json_str(pa, "reason", r->reason);
		cccd_json_str(pa, "document_signer", r->ds_subject);
		cccd_json_str(pa, "csca", r->csca_subject);
		cccd_json_print(root, stdout, false);
	}
	cJSON_Delete(root);
}

static int load_dg(const char *arg, struct pa_dg *dg, struct cccd_err *err)
{
	const char *eq = strchr(arg, '=');
	uint8_t *buf;
	size_t len;
	int rc = ctl_read_input(eq ? eq + 1 : arg, &buf, &len, err);

	if (rc)
		return rc;
	dg->dg = eq ? (unsigned)atoi(arg) : len ? dg_of_tag(buf[0]) : 0;
	dg->buf = buf;
	dg->len = len;
	if (dg->dg < 1 || dg->dg > MAX_DG)
		return cccd_err_set(err, -CCCD_EFORMAT, "verify-sod",
				    "%s: not a data group (first "
				    "byte is no LDS tag; name it N=FILE)",
				    arg);
	return 0;
}

int cmd_verify_sod(int argc, char **argv)
{
	struct pa_dg dgs[MAX_DG] = {{0}};
	struct trust_store ts;
	struct pa_result res;
	struct cccd_err err = {0};
	const char *dir = NULL, *sod_path = NULL;
	uint8_t *sod = NULL;
	size_t n = 0, sod_len = 0;
	bool json = false;
	int rc = CTL_USAGE;

	trust_init(&ts);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--trust") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--json"))
			json = true;
		else if (argv[i][0] == '-' && argv[i][1])
			goto usage;
		else if (!sod_path)
			sod_path = argv[i];
		else if (n == MAX_DG)
			goto usage;
		else if ((rc = load_dg(argv[i], &dgs[n++], &err)))
			goto fail;
	}
	if (!sod_path)
		goto usage;
	if ((rc = ctl_read_input(sod_path, &sod, &sod_len, &err)) ||
	    (dir && (rc = trust_load_dir(&ts, dir, &err))))
		goto fail;
	pa_verify(sod, sod_len, dgs, n, &ts, (long long)time(NULL), &res);
	print_result(&res, json);
	rc = res.status == PA_OK ? CTL_OK : CTL_REJECTED;
	goto out;
usage:
	fprintf(stderr, "usage: cccdctl verify-sod SOD DGFILE|N=FILE... [--trust DIR] [--json]\n");
	rc = CTL_USAGE;
	goto out;
fail:
	ctl_print_err(&err);
	rc = ctl_exit_code(rc);
out:
	for (size_t i = 0; i < n; i++)
		free((void *)dgs[i].buf);
	free(sod);
	trust_free(&ts);
	return rc;
}
