/* SPDX-License-Identifier: MIT */
/*
 * cmd_trust.c - `cccdctl trust import FILE [--dir DIR]` and `cccdctl trust list [--dir DIR]
 * [--json]`: manage the CSCA trust directory (docs/verify.md). Import takes a CSCA certificate
 * (DER or PEM) or an ICAO master list (.ml) and writes one <sha256>.der per CA certificate; list
 * prints subject, serial, validity and fingerprint, sorted by subject.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "tools/cccdctl/cccdctl.h"
#include "verify/trust.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: cccdctl trust import FILE [--dir DIR]\n"
		"       cccdctl trust list [--dir DIR] [--json]\n"
		"default DIR: %s\n",
		TRUST_DEFAULT_DIR);
	return CTL_USAGE;
}

static int do_import(const char *file, const char *dir)
{
	struct trust_import_report rep;
	struct cccd_err err = {0};
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc = ctl_read_input(file, &buf, &len, &err);

	if (rc) {
		ctl_print_err(&err);
		return CTL_USAGE;
	}
	rc = trust_import(dir, buf, len, &rep, &err);
	free(buf);
	if (rep.masterlist)
		printf("master list signed by %s: signature %s (the signer is not chained)\n",
		       rep.ml_signer[0] ? rep.ml_signer : "(no signer certificate)",
		       rep.ml_signature == 0 ? "valid" : "NOT verified");
	if (rc) {
		ctl_print_err(&err);
		return ctl_exit_code(rc);
	}
	printf("%s: %zu added, %zu already present, %zu rejected\n", dir, rep.added, rep.existing,
	       rep.rejected);
	return CTL_OK;
}

static int by_subject(const void *a, const void *b)
{
	const struct trust_info *x = a, *y = b;
	int c = strcmp(x->subject, y->subject);

	return c ? c : strcmp(x->fingerprint, y->fingerprint);
}

static void print_infos(const struct trust_info *info, size_t n, bool json)
{
	cJSON *arr = json ? cJSON_CreateArray() : NULL;

	for (size_t i = 0; i < n; i++) {
		cJSON *o;

		if (!json) {
			printf("%s  %s..%s  serial %s  %s%s\n", info[i].fingerprint,
			       info[i].not_before, info[i].not_after, info[i].serial,
			       info[i].subject,
			       info[i].explicit_curve ? "  (explicit EC parameters)" : "");
			continue;
		}
		if (!arr || !(o = cJSON_CreateObject()))
			break;
		cccd_json_str(o, "subject", info[i].subject);
		cccd_json_str(o, "serial", info[i].serial);
		cccd_json_str(o, "not_before", info[i].not_before);
		cccd_json_str(o, "not_after", info[i].not_after);
		cccd_json_str(o, "fingerprint", info[i].fingerprint);
		cJSON_AddItemToArray(arr, o);
	}
	if (arr)
		cccd_json_print(arr, stdout, false);
	cJSON_Delete(arr);
}

static int do_list(const char *dir, bool json)
{
	struct trust_store ts;
	struct trust_info *info;
	struct cccd_err err = {0};
	int rc;

	trust_init(&ts);
	rc = trust_load_dir(&ts, dir, &err);
	if (rc) {
		ctl_print_err(&err);
		trust_free(&ts);
		return ctl_exit_code(rc);
	}
	info = calloc(ts.n + 1, sizeof(*info));
	if (!info) {
		trust_free(&ts);
		return CTL_USAGE;
	}
	for (size_t i = 0; i < ts.n; i++)
		trust_info(&ts.certs[i], &info[i]);
	qsort(info, ts.n, sizeof(*info), by_subject);
	print_infos(info, ts.n, json);
	if (!json)
		fprintf(stderr, "%zu certificates, %zu CRLs, %zu unreadable in %s\n", ts.n,
			ts.n_crls, ts.skipped, dir);
	free(info);
	trust_free(&ts);
	return CTL_OK;
}

int cmd_trust(int argc, char **argv)
{
	const char *dir = TRUST_DEFAULT_DIR, *file = NULL;
	bool json = false;

	if (argc < 2)
		return usage();
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!file && argv[i][0] != '-')
			file = argv[i];
		else
			return usage();
	}
	if (!strcmp(argv[1], "import") && file && !json)
		return do_import(file, dir);
	if (!strcmp(argv[1], "list") && !file)
		return do_list(dir, json);
	return usage();
}
