/* SPDX-License-Identifier: MIT */
/*
 * cccdctl.h - shared pieces of the one CLI. Exit codes (ARCHITECTURE.md §4):
 * 0 ok, 1 rejected input or failed check, 2 usage or system error.
 */
#ifndef CCCDCTL_H
#define CCCDCTL_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "core/err.h"

enum { CTL_OK = 0, CTL_REJECTED = 1, CTL_USAGE = 2 };

#define CTL_MAX_INPUT (1u << 20) /* largest FILE or stdin accepted: 1 MiB */

/* Read FILE ("-" = stdin) into a malloc'ed buffer (NUL-terminated, not counted in *len).
 * 0 or a negative CCCD_E* code with the reason in err. */
int ctl_read_input(const char *path, uint8_t **buf, size_t *len, struct cccd_err *err);

/* Print "cccdctl: where: msg" to stderr. */
void ctl_print_err(const struct cccd_err *err);

/* Map an error code to the exit code: input errors 1, the rest 2. */
int ctl_exit_code(int rc);

/* One converter per `cccdctl parse <kind>`: parse buf and fill root with RESULT-shaped keys. */
typedef int (*ctl_parse_fn)(const uint8_t *buf, size_t len, cJSON *root, struct cccd_err *err);
int ctl_parse_mrz(const uint8_t *buf, size_t len, cJSON *root, struct cccd_err *err);
int ctl_parse_qr(const uint8_t *buf, size_t len, cJSON *root, struct cccd_err *err);
int ctl_parse_vietqr(const uint8_t *buf, size_t len, cJSON *root, struct cccd_err *err);
int ctl_parse_dg13(const uint8_t *buf, size_t len, cJSON *root, struct cccd_err *err);

/* Subcommands: argc/argv start at the subcommand's own name. */
int cmd_parse(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_trust(int argc, char **argv);
int cmd_verify_sod(int argc, char **argv);
/* `read`: with --reader a direct read (cmd_read.c), without it the daemon's (cmd_read_daemon). */
int cmd_read(int argc, char **argv);
int cmd_kbd(int argc, char **argv);

/* Daemon subcommands (cmd_daemon.c), over the API socket (--socket PATH or $CCCD_SOCKET). */
int cmd_status(int argc, char **argv);
int cmd_devices(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_read_daemon(int argc, char **argv); /* `read` without --reader */
int cmd_config(int argc, char **argv);

/* Reader discovery over both stacks, no daemon needed (cmd_readers.c). */
int cmd_readers(int argc, char **argv);

#endif
