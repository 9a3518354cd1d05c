/* SPDX-License-Identifier: MIT */
/*
 * config.h - gateway.ini into typed structs, with range checks and file:line errors.
 *
 * Every key lives in one table (config.c), sorted by "section.key" and searched with bsearch; a
 * unit test asserts the order and that docs/config.md documents every key. Errors read like
 * `gateway.ini:12: [reader] timeout_ms: expected 10..60000, got "abc"` or
 * `gateway.ini:12: unknown key 'baud' in [serial]`.
 */
#ifndef CCCD_CORE_CONFIG_H
#define CCCD_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/log.h"

#define CCCD_CFG_STR 256

struct cccd_config {
	struct {
		enum cccd_log_level level; /* threshold */
		bool debug_pii;            /* print ID numbers and names unmasked */
	} log;
	struct {
		char uri[CCCD_CFG_STR]; /* libnfc:…, pcsc:…, sim:… */
		int timeout_ms;         /* per-APDU deadline */
		int poll_ms;            /* card presence polling period */
	} reader;
	struct {
		char uri[CCCD_CFG_STR]; /* v4l2:…, file:…; empty = no camera */
		bool mrz;               /* read MRZs as well as QR codes */
	} camera;
	struct {
		int client_buffer;            /* bytes queued for one client before it is dropped */
		int max_clients;              /* connections beyond this are refused */
		int max_line;                 /* longest request line in bytes, newline excluded */
		char socket[108];             /* sun_path of the local socket */
		char socket_group[64];        /* group owning the socket; missing group = warning */
		int socket_mode;              /* permission bits of the socket file */
		char tcp_listen[64];          /* "host:port"; empty = no TCP listener */
		char tcp_token[CCCD_CFG_STR]; /* shared secret the first TCP line must carry */
	} api;
	struct {
		bool allow_root; /* run as uid 0 anyway (containers, CI); refused otherwise */
	} daemon;
	struct {
		char dir[CCCD_CFG_STR]; /* CSCA certificates and master lists */
	} trust;
};

/* CCCD_CFG_OCTAL is an int written in octal ("0660"), for permission bits. */
enum cccd_cfg_type {
	CCCD_CFG_INT,
	CCCD_CFG_BOOL,
	CCCD_CFG_STRING,
	CCCD_CFG_LOGLEVEL,
	CCCD_CFG_OCTAL,
};

struct cccd_cfg_key {
	const char *name; /* "section.key" */
	enum cccd_cfg_type type;
	size_t offset; /* into struct cccd_config */
	size_t size;   /* of the field */
	long min, max; /* for CCCD_CFG_INT */
	const char *def;
	bool reloadable; /* may change on SIGHUP / API config set without reopening devices */
	bool secret;     /* never shown or set through the API (tokens) */
};

/* Fill cfg with every key's default. */
void cccd_config_defaults(struct cccd_config *cfg);

/* Load an INI file over cfg (call cccd_config_defaults first). On error cfg may be partly
 * updated; errors carry "file:line: …" in err->msg. -CCCD_ECONFIG or -CCCD_EIO. */
int cccd_config_load_file(const char *path, struct cccd_config *cfg, struct cccd_err *err);

/* As cccd_config_load_file, from a NUL-terminated string; name stands for the file in errors. */
int cccd_config_load_string(const char *text, const char *name, struct cccd_config *cfg,
			    struct cccd_err *err);

/* Set one key from text ("reader", "timeout_ms", "5000"); -CCCD_ENOENT or -CCCD_ECONFIG. */
int cccd_config_set(struct cccd_config *cfg, const char *section, const char *key,
		    const char *value, struct cccd_err *err);

/* Format one key's current value as text into out; -CCCD_ENOENT for an unknown key. */
int cccd_config_get(const struct cccd_config *cfg, const char *section, const char *key, char *out,
		    size_t outlen);

/* The table entry of "section.key", or NULL. */
const struct cccd_cfg_key *cccd_config_find(const char *name);

/* The key table and its length (for documentation checks and `cccdctl config`). */
const struct cccd_cfg_key *cccd_config_keys(size_t *count);

#endif
