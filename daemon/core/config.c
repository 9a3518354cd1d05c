/* SPDX-License-Identifier: MIT */
/*
 * config.c - see config.h. inih does the lexing; this file owns the meaning of every key.
 * Debian's inih is built without INI_HANDLER_LINENO, so the handler records the first error's text
 * and ini_parse*() gives back its line number.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ini.h>

#include "core/config.h"

#define KEY(sec, fld, typ, lo, hi, dflt, rel)                                                      \
	{ #sec "." #fld, typ, offsetof(struct cccd_config, sec.fld),                               \
	  sizeof(((struct cccd_config *)0)->sec.fld), lo, hi, dflt, rel, false }
#define KEY_SECRET(sec, fld, dflt)                                                                 \
	{ #sec "." #fld, CCCD_CFG_STRING, offsetof(struct cccd_config, sec.fld),                   \
	  sizeof(((struct cccd_config *)0)->sec.fld), 0, 0, dflt, false, true }

/* Sorted by name (strcmp order): bsearch depends on it and test_config.c checks it. */
static const struct cccd_cfg_key keys[] = {
	KEY(api, client_buffer, CCCD_CFG_INT, 4096, 16777216, "262144", true),
	KEY(api, max_clients, CCCD_CFG_INT, 1, 1024, "128", false),
	KEY(api, max_line, CCCD_CFG_INT, 256, 65536, "4096", true),
	KEY(api, socket, CCCD_CFG_STRING, 0, 0, "/run/cccd-gateway/api.sock", false),
	KEY(api, socket_group, CCCD_CFG_STRING, 0, 0, "cccd", false),
	KEY(api, socket_mode, CCCD_CFG_OCTAL, 0600, 0777, "0660", false),
	KEY(api, tcp_listen, CCCD_CFG_STRING, 0, 0, "", false),
	KEY_SECRET(api, tcp_token, ""),
	KEY(camera, mrz, CCCD_CFG_BOOL, 0, 1, "true", false),
	KEY(camera, uri, CCCD_CFG_STRING, 0, 0, "", false),
	KEY(daemon, allow_root, CCCD_CFG_BOOL, 0, 1, "false", false),
	KEY(log, debug_pii, CCCD_CFG_BOOL, 0, 1, "false", true),
	KEY(log, level, CCCD_CFG_LOGLEVEL, 0, 0, "info", true),
	KEY(reader, poll_ms, CCCD_CFG_INT, 10, 5000, "100", true),
	KEY(reader, timeout_ms, CCCD_CFG_INT, 10, 60000, "3000", true),
	KEY(reader, uri, CCCD_CFG_STRING, 0, 0, "pcsc:", false),
	KEY(trust, dir, CCCD_CFG_STRING, 0, 0, "/etc/cccd-gateway/trust", true),
};

const struct cccd_cfg_key *cccd_config_keys(size_t *count)
{
	*count = sizeof(keys) / sizeof(keys[0]);
	return keys;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp((const char *)a, ((const struct cccd_cfg_key *)b)->name);
}

static const struct cccd_cfg_key *find_key(const char *section, const char *key)
{
	char name[96];

	if (snprintf(name, sizeof(name), "%s.%s", section, key) >= (int)sizeof(name))
		return NULL;
	return bsearch(name, keys, sizeof(keys) / sizeof(keys[0]), sizeof(keys[0]), cmp_key);
}

const struct cccd_cfg_key *cccd_config_find(const char *name)
{
	return bsearch(name, keys, sizeof(keys) / sizeof(keys[0]), sizeof(keys[0]), cmp_key);
}

static bool section_exists(const char *section)
{
	size_t sl = strlen(section);

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strncmp(keys[i].name, section, sl) == 0 && keys[i].name[sl] == '.')
			return true;
	return false;
}

/* Parse value per k into cfg; on error write the reason (without file:line) into msg. */
static int apply(struct cccd_config *cfg, const struct cccd_cfg_key *k, const char *value,
		 char *msg, size_t msglen)
{
	char *field = (char *)cfg + k->offset;
	const char *dot = strchr(k->name, '.');
	int sl = (int)(dot - k->name);

	switch (k->type) {
	case CCCD_CFG_OCTAL:
	case CCCD_CFG_INT: {
		int base = k->type == CCCD_CFG_OCTAL ? 8 : 10;
		char *end;
		long v;

		errno = 0;
		v = strtol(value, &end, base);
		if (errno || end == value || *end || v < k->min || v > k->max) {
			if (base == 8)
				snprintf(msg, msglen, "[%.*s] %s: expected octal %04lo..%04lo, got \"%.40s\"",
					 sl, k->name, dot + 1, k->min, k->max, value);
			else
				snprintf(msg, msglen, "[%.*s] %s: expected %ld..%ld, got \"%.40s\"", sl,
					 k->name, dot + 1, k->min, k->max, value);
			return -CCCD_ECONFIG;
		}
		*(int *)field = (int)v;
		return 0;
	}
	case CCCD_CFG_BOOL:
		if (!strcasecmp(value, "true") || !strcasecmp(value, "yes") || !strcmp(value, "1") ||
		    !strcasecmp(value, "on")) {
			*(bool *)field = true;
		} else if (!strcasecmp(value, "false") || !strcasecmp(value, "no") ||
			   !strcmp(value, "0") || !strcasecmp(value, "off")) {
			*(bool *)field = false;
		} else {
			snprintf(msg, msglen, "[%.*s] %s: expected true or false, got \"%.40s\"", sl,
				 k->name, dot + 1, value);
			return -CCCD_ECONFIG;
		}
		return 0;
	case CCCD_CFG_STRING:
		if (strlen(value) >= k->size) {
			snprintf(msg, msglen, "[%.*s] %s: longer than %zu bytes", sl, k->name, dot + 1,
				 k->size - 1);
			return -CCCD_ECONFIG;
		}
		memcpy(field, value, strlen(value) + 1);
		return 0;
	case CCCD_CFG_LOGLEVEL:
		if (cccd_log_level_parse(value, (enum cccd_log_level *)field)) {
			snprintf(msg, msglen,
				 "[%.*s] %s: expected error, warning, info or debug, got \"%.40s\"", sl,
				 k->name, dot + 1, value);
			return -CCCD_ECONFIG;
		}
		return 0;
	}
	snprintf(msg, msglen, "internal: bad key type");
	return -CCCD_EINVAL;
}

void cccd_config_defaults(struct cccd_config *cfg)
{
	char msg[160];

	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		(void)apply(cfg, &keys[i], keys[i].def, msg, sizeof(msg)); /* defaults are tested */
}

struct load_ctx {
	struct cccd_config *cfg;
	char msg[160]; /* first error, without file:line */
	int rc;
};

/* Named, repeatable sections belong to their module's own parser (daemon/out/out_config.c reads
 * [profile.NAME] and [output.NAME] from the same file); the fixed key table cannot express them. */
static bool delegated(const char *section)
{
	static const char *const prefixes[] = { "profile.", "output." };

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(section, prefixes[i], strlen(prefixes[i])) && section[strlen(prefixes[i])])
			return true;
	return false;
}

static int on_ini_key(void *user, const char *section, const char *name, const char *value)
{
	struct load_ctx *ctx = user;
	const struct cccd_cfg_key *k;

	if (ctx->rc)
		return 1; /* keep the first error only; inih reports its line */
	if (!name) /* a section header alone (INI_CALL_HANDLER_ON_NEW_SECTION builds) */
		return 1;
	if (delegated(section))
		return 1;
	k = find_key(section, name);
	if (!k) {
		if (!section[0])
			snprintf(ctx->msg, sizeof(ctx->msg), "key '%.40s' outside any [section]", name);
		else if (!section_exists(section))
			snprintf(ctx->msg, sizeof(ctx->msg), "unknown section [%.40s]", section);
		else
			snprintf(ctx->msg, sizeof(ctx->msg), "unknown key '%.40s' in [%.40s]", name,
				 section);
		ctx->rc = -CCCD_ECONFIG;
		return 0;
	}
	ctx->rc = apply(ctx->cfg, k, value, ctx->msg, sizeof(ctx->msg));
	return ctx->rc == 0;
}

static int finish(int line, const char *name, struct load_ctx *ctx, struct cccd_err *err)
{
	if (line == 0)
		return 0;
	if (line == -1)
		return cccd_err_set(err, -CCCD_EIO, name, "cannot open");
	if (line == -2)
		return cccd_err_set(err, -CCCD_ENOMEM, name, "out of memory");
	if (!ctx->rc) /* inih's own syntax error: no '=' or ']' on the line */
		snprintf(ctx->msg, sizeof(ctx->msg), "syntax error (expected [section] or key = value)");
	char where[24];
	snprintf(where, sizeof(where), "%.16s:%d", name, line);
	return cccd_err_set(err, -CCCD_ECONFIG, where, "%s", ctx->msg);
}

int cccd_config_load_file(const char *path, struct cccd_config *cfg, struct cccd_err *err)
{
	struct load_ctx ctx = { .cfg = cfg };
	const char *base = strrchr(path, '/');

	return finish(ini_parse(path, on_ini_key, &ctx), base ? base + 1 : path, &ctx, err);
}

int cccd_config_load_string(const char *text, const char *name, struct cccd_config *cfg,
			    struct cccd_err *err)
{
	struct load_ctx ctx = { .cfg = cfg };

	return finish(ini_parse_string(text, on_ini_key, &ctx), name, &ctx, err);
}

int cccd_config_set(struct cccd_config *cfg, const char *section, const char *key,
		    const char *value, struct cccd_err *err)
{
	const struct cccd_cfg_key *k = find_key(section, key);
	char msg[160];

	if (!k)
		return cccd_err_set(err, -CCCD_ENOENT, "config", "unknown key '%.40s' in [%.40s]", key,
				    section);
	if (apply(cfg, k, value, msg, sizeof(msg)))
		return cccd_err_set(err, -CCCD_ECONFIG, "config", "%s", msg);
	return 0;
}

int cccd_config_get(const struct cccd_config *cfg, const char *section, const char *key, char *out,
		    size_t outlen)
{
	const struct cccd_cfg_key *k = find_key(section, key);
	const char *field;

	if (!k)
		return -CCCD_ENOENT;
	field = (const char *)cfg + k->offset;
	switch (k->type) {
	case CCCD_CFG_INT:
		snprintf(out, outlen, "%d", *(const int *)field);
		break;
	case CCCD_CFG_OCTAL:
		snprintf(out, outlen, "%04o", (unsigned)*(const int *)field);
		break;
	case CCCD_CFG_BOOL:
		snprintf(out, outlen, "%s", *(const bool *)field ? "true" : "false");
		break;
	case CCCD_CFG_STRING:
		snprintf(out, outlen, "%s", field);
		break;
	case CCCD_CFG_LOGLEVEL: {
		enum cccd_log_level l = *(const enum cccd_log_level *)field;
		snprintf(out, outlen, "%s",
			 l == CCCD_LOG_ERR    ? "error"
			 : l == CCCD_LOG_WARN ? "warning"
			 : l == CCCD_LOG_INFO ? "info"
					      : "debug");
		break;
	}
	}
	return 0;
}
