/* SPDX-License-Identifier: MIT */
/*
 * cmd_parse.c - `cccdctl parse <kind> [FILE|-] [--pretty]`: decode one document format offline and
 * print it as RESULT-shaped JSON (ARCHITECTURE.md §5), or a precise error and exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "tools/cccdctl/cccdctl.h"

static const struct {
	const char *kind;
	ctl_parse_fn fn;
} kinds[] = {
	{ "dg13", ctl_parse_dg13 },
	{ "mrz", ctl_parse_mrz },
	{ "qr", ctl_parse_qr },
	{ "vietqr", ctl_parse_vietqr },
};

int cmd_parse(int argc, char **argv)
{
	const char *kind = NULL, *path = "-";
	int pretty = 0, rc, npos = 0;
	struct cccd_err err = { 0 };
	uint8_t *buf = NULL;
	size_t len = 0;
	ctl_parse_fn fn = NULL;
	cJSON *root;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--pretty"))
			pretty = 1;
		else if (npos == 0 && ++npos)
			kind = argv[i];
		else if (npos == 1 && ++npos)
			path = argv[i];
		else
			goto usage;
	}
	if (!kind)
		goto usage;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i].kind))
			fn = kinds[i].fn;
	if (!fn)
		goto usage;
	rc = ctl_read_input(path, &buf, &len, &err);
	if (rc) {
		ctl_print_err(&err);
		return CTL_USAGE;
	}
	root = cJSON_CreateObject();
	if (!root) {
		free(buf);
		return CTL_USAGE;
	}
	rc = fn(buf, len, root, &err);
	if (rc)
		ctl_print_err(&err);
	else
		cccd_json_print(root, stdout, pretty);
	cJSON_Delete(root);
	free(buf);
	return ctl_exit_code(rc);
usage:
	fprintf(stderr, "usage: cccdctl parse mrz|qr|vietqr|dg13 [FILE|-] [--pretty]\n");
	return CTL_USAGE;
}
