/* SPDX-License-Identifier: MIT */
/* io.c - bounded input reading and error printing shared by cccdctl's subcommands. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/cccdctl/cccdctl.h"

int ctl_read_input(const char *path, uint8_t **buf, size_t *len, struct cccd_err *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	const char *name = strcmp(path, "-") ? path : "stdin";
	uint8_t *b;
	size_t n;

	if (!f)
		return cccd_err_set(err, -CCCD_EIO, "input", "%s: %s", name, strerror(errno));
	b = malloc(CTL_MAX_INPUT + 1);
	if (!b) {
		if (f != stdin)
			fclose(f);
		return cccd_err_set(err, -CCCD_ENOMEM, "input", "out of memory");
	}
	n = fread(b, 1, CTL_MAX_INPUT + 1, f);
	int bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad) {
		free(b);
		return cccd_err_set(err, -CCCD_EIO, "input", "%s: read error", name);
	}
	if (n > CTL_MAX_INPUT) {
		free(b);
		return cccd_err_set(err, -CCCD_ERANGE, "input", "%s: larger than %u bytes", name,
				    CTL_MAX_INPUT);
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

void ctl_print_err(const struct cccd_err *err)
{
	char s[256];

	fprintf(stderr, "cccdctl: %s\n", cccd_err_str(err, s, sizeof(s)));
}

int ctl_exit_code(int rc)
{
	switch (-rc) {
	case CCCD_EFORMAT:
	case CCCD_ECHECK:
	case CCCD_ERANGE:
	case CCCD_ENOENT:
	case CCCD_EAUTH:
		return CTL_REJECTED;
	default:
		return rc ? CTL_USAGE : CTL_OK;
	}
}
