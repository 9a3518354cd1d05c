/* SPDX-License-Identifier: MIT */
/* main.c - cccdctl: git-style dispatch to one function per subcommand. */
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "tools/cccdctl/cccdctl.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} cmds[] = {
	{ "parse", cmd_parse, "parse mrz|qr|vietqr|dg13 [FILE|-]   decode one document format" },
	{ "scan", cmd_scan, "scan [--decoder ours|zbar|zxing] IMAGE...  QR codes in photos" },
	{ "trust", cmd_trust, "trust import FILE | list [--dir DIR]   manage the CSCA trust store" },
	{ "verify-sod", cmd_verify_sod, "verify-sod SOD DGFILE... [--trust DIR]   passive authentication" },
	{ "readers", cmd_readers, "readers [--json]                    NFC readers of both stacks, no daemon" },
	{ "kbd", cmd_kbd, "kbd encode|decode|type ...           keyboard wedge reports offline" },
	{ "status", cmd_status, "status                              the daemon's state" },
	{ "devices", cmd_devices, "devices                             readers and cameras" },
	{ "watch", cmd_watch, "watch [--json] [--count N]          stream events, one a line" },
	{ "read", cmd_read, "read [--mrz T|--can N|--bac D,B,E]  read a card through the daemon\n"
	  "  read --reader URI (--mrz T|--bac D,B,E|--can N|--qr T) [--photo F] [--trust DIR]\n"
	  "                                      read a card directly, offline" },
	{ "config", cmd_config, "config [get KEY | set KEY VALUE]    the daemon's configuration" },
};

static int usage(FILE *f)
{
	fprintf(f, "usage: cccdctl <command> [args]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %s\n", cmds[i].usage);
	fprintf(f, "\ndaemon commands take --socket PATH (default /run/cccd-gateway/api.sock, or "
		   "$CCCD_SOCKET)\n");
	fprintf(f, "\nexit status: 0 ok, 1 rejected input or failed check, 2 usage or system error\n");
	return CTL_USAGE;
}

int main(int argc, char **argv)
{
	cccd_log_setup(CCCD_LOG_WARN, false, "cccdctl");
	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return CTL_OK;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "cccdctl: unknown command '%s'\n", argv[1]);
	return usage(stderr);
}
