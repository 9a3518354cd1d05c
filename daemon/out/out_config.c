/* SPDX-License-Identifier: MIT */
/*
 * out_config.c - loader of [profile.*] and [output.*] (out_config.h), on inih. As in
 * core/config.c, the handler keeps the first error's text and ini_parse*() gives its line;
 * checks that need the whole file (a profile that exists, a URI given) run after parsing and
 * report the line of the section's first key.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ini.h>

#include "key_sink.h"
#include "out/out_config.h"

#define K_KBD (1u << OUT_KEYBOARD)
#define K_SER (1u << OUT_SERIAL)
#define K_MB  (1u << OUT_MODBUS)
#define K_REL (1u << OUT_RELAY)
#define K_ALL (K_KBD | K_SER | K_MB | K_REL)

struct okey {
	const char *name;
	unsigned kinds; /* K_* where the key is valid */
	long min, max;	/* for integers; 0, 0 = not an integer */
	size_t offset;	/* of the int in struct out_output */
};

#define INT(f) offsetof(struct out_output, f)
/* Sorted by name (strcmp): bsearch depends on it and test_out_config.c checks it. */
static const struct okey okeys[] = {
    {"baud", K_SER | K_MB | K_REL, 0, 0, 0},
    {"coil", K_REL, 0, 65535, INT(coil)},
    {"flow", K_SER | K_MB | K_REL, 0, 0, 0},
    {"format", K_SER, 0, 0, 0},
    {"framing", K_SER | K_MB | K_REL, 0, 0, 0},
    {"key_delay_ms", K_KBD, 0, 1000, INT(key_delay_ms)},
    {"profile", K_KBD | K_SER, 0, 0, 0},
    {"pulse_ms", K_REL, 10, 60000, INT(pulse_ms)},
    {"timeout_ms", K_ALL, 10, 60000, INT(timeout_ms)},
    {"type", K_ALL, 0, 0, 0},
    {"unit_id", K_MB | K_REL, 1, 247, INT(unit_id)},
    {"uri", K_ALL, 0, 0, 0},
};
#define NOKEYS (sizeof(okeys) / sizeof(okeys[0]))

static const char *const kinds[] = {"", "keyboard", "serial", "modbus", "relay"};

const char *out_kind_name(enum out_kind k)
{
	return (unsigned)k < 5 ? kinds[k] : "?";
}

const char *const *out_config_output_keys(size_t *n)
{
	static const char *const names[] = {"baud",	  "coil",	  "flow",    "format",
					    "framing",	  "key_delay_ms", "profile", "pulse_ms",
					    "timeout_ms", "type",	  "unit_id", "uri"};

	_Static_assert(sizeof(names) / sizeof(names[0]) == NOKEYS, "names and okeys differ");
	*n = NOKEYS;
	return names;
}

bool out_config_owns_section(const char *s)
{
	return !strncmp(s, "profile.", 8) || !strncmp(s, "output.", 7);
}

#define OUT_CONFIG_MAX (256 * 1024) /* largest gateway.ini read */

struct lctx {
	struct out_config *c;
	const char *text; /* the whole file, to find lines for the checks after parsing */
	int line;	  /* of a late error */
	char msg[160];	  /* first error, without file:line */
	int rc;
};

static int cmp_okey(const void *a, const void *b)
{
	return strcmp((const char *)a, ((const struct okey *)b)->name);
}

const struct out_profile *out_config_profile(const struct out_config *c, const char *name)
{
	for (size_t i = 0; i < c->nprofiles; i++)
		if (!strcmp(c->profiles[i].name, name))
			return &c->profiles[i];
	return NULL;
}

/* Record the first error for inih's line; returns 0 so that inih stops there. */
__attribute__((format(printf, 2, 3))) static int fail(struct lctx *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->msg, sizeof(x->msg), fmt, ap);
	va_end(ap);
	x->rc = -CCCD_ECONFIG;
	return 0;
}

/* The profile being configured by [profile.NAME]; created from its built-in or custom. */
static struct out_profile *profile_for(struct lctx *x, const char *name)
{
	struct out_profile *p = (struct out_profile *)out_config_profile(x->c, name);

	if (p || x->c->nprofiles == OUT_MAX_PROFILES || strlen(name) >= OUT_NAME_MAX || !name[0])
		return p;
	p = &x->c->profiles[x->c->nprofiles++];
	if (out_profile_builtin(name, p))
		out_profile_builtin("custom", p);
	snprintf(p->name, sizeof(p->name), "%s", name);
	return p;
}

static int profile_key(struct lctx *x, const char *name, const char *key, const char *value)
{
	struct out_profile *p = profile_for(x, name);
	char m[150];
	int rc;

	if (!p)
		return fail(x, "[profile.%.40s]: too many profiles or bad name", name);
	rc = out_profile_set(p, key, value, m, sizeof(m));
	if (rc == -CCCD_ENOENT)
		return fail(x, "unknown key '%.40s' in [profile.%.40s]", key, name);
	if (rc)
		return fail(x, "[profile.%.20s] %.120s", name, m);
	return 1;
}

static struct out_output *output_for(struct lctx *x, const char *name)
{
	struct out_output *o;

	for (size_t i = 0; i < x->c->noutputs; i++)
		if (!strcmp(x->c->outputs[i].name, name))
			return &x->c->outputs[i];
	if (x->c->noutputs == OUT_MAX_OUTPUTS || strlen(name) >= OUT_NAME_MAX || !name[0])
		return NULL;
	o = &x->c->outputs[x->c->noutputs++];
	*o = (struct out_output){.timeout_ms = 1000, .unit_id = 1, .pulse_ms = 1000};
	snprintf(o->name, sizeof(o->name), "%s", name);
	snprintf(o->profile, sizeof(o->profile), "clinic");
	out_line_defaults(&o->line);
	return o;
}

static int set_int(struct lctx *x, struct out_output *o, const struct okey *k, const char *v)
{
	char *end, range[48];
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < k->min || n > k->max) {
		snprintf(range, sizeof(range), "%ld..%ld", k->min, k->max);
		snprintf(x->msg, sizeof(x->msg), "[output.%.30s] %s: expected %s, got \"%.30s\"",
			 o->name, k->name, range, v);
		x->rc = -CCCD_ECONFIG;
		return 0;
	}
	*(int *)((char *)o + k->offset) = (int)n;
	return 1;
}

static int set_str(struct lctx *x, struct out_output *o, const char *key, const char *v)
{
	char m[120] = "";
	int rc = 0;

	if (!strcmp(key, "baud"))
		rc = out_line_baud(&o->line, v, m, sizeof(m));
	else if (!strcmp(key, "framing"))
		rc = out_line_framing(&o->line, v, m, sizeof(m));
	else if (!strcmp(key, "flow"))
		rc = out_line_flow(&o->line, v, m, sizeof(m));
	else if (!strcmp(key, "format") && (!strcmp(v, "template") || !strcmp(v, "json")))
		o->format = !strcmp(v, "json") ? OUT_FMT_JSON : OUT_FMT_TEMPLATE;
	else if (!strcmp(key, "format"))
		snprintf(m, sizeof(m), "format: expected template or json, got \"%.30s\"", v);
	else if (strlen(v) >= (!strcmp(key, "uri") ? sizeof(o->uri) : sizeof(o->profile)))
		snprintf(m, sizeof(m), "%s: too long", key);
	else
		snprintf(!strcmp(key, "uri") ? o->uri : o->profile,
			 !strcmp(key, "uri") ? sizeof(o->uri) : sizeof(o->profile), "%s", v);
	if (rc || m[0])
		return fail(x, "[output.%.30s] %.120s", o->name, m);
	return 1;
}

static int output_key(struct lctx *x, const char *name, const char *key, const char *value)
{
	struct out_output *o = output_for(x, name);
	const struct okey *k = bsearch(key, okeys, NOKEYS, sizeof(okeys[0]), cmp_okey);

	if (!o)
		return fail(x, "[output.%.40s]: too many outputs or bad name", name);
	if (!k)
		return fail(x, "unknown key '%.40s' in [output.%.40s]", key, name);
	if (!strcmp(key, "type")) {
		for (int i = OUT_KEYBOARD; i <= OUT_RELAY; i++)
			if (!strcmp(value, kinds[i]))
				o->kind = (enum out_kind)i;
		if (o->kind == OUT_NONE)
			return fail(x,
				    "[output.%.40s] type: expected keyboard, serial, modbus or "
				    "relay, got \"%.30s\"",
				    name, value);
		return 1;
	}
	if (o->kind == OUT_NONE)
		return fail(x, "[output.%.40s] %.30s: set type first", name, key);
	if (!(k->kinds & (1u << o->kind)))
		return fail(x, "key '%.30s' does not apply to a %s output", key, kinds[o->kind]);
	return k->max ? set_int(x, o, k, value) : set_str(x, o, key, value);
}

static int on_key(void *user, const char *section, const char *key, const char *value)
{
	struct lctx *x = user;

	if (x->rc)
		return 1; /* keep the first error only; inih reports its line */
	if (!key || !out_config_owns_section(section))
		return 1;
	if (!strncmp(section, "profile.", 8))
		return profile_key(x, section + 8, key, value);
	return output_key(x, section + 7, key, value);
}

/* Line (1-based) of "key =" inside "[section]" in text, or of the header when key is NULL or
 * absent; 0 when the section is not there. Same trimming rules as inih. */
static int find_line(const char *text, const char *section, const char *key)
{
	int line = 0, header = 0;
	size_t sl = strlen(section), kl = key ? strlen(key) : 0;

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *q = p + strspn(p, " \t");

		line++;
		if (*q == '[') {
			if (header)
				break;
			if (!strncmp(q + 1, section, sl) && q[1 + sl] == ']')
				header = line;
		} else if (header && key && !strncmp(q, key, kl) && strchr(" \t=:", q[kl])) {
			return line;
		}
	}
	return header;
}

/* An error found after parsing, at key's line in [sec] (or the header's). */
__attribute__((format(printf, 4, 5))) static int late(struct lctx *x, const char *sec,
						      const char *key, const char *fmt, ...)
{
	va_list ap;

	x->line = find_line(x->text, sec, key);
	va_start(ap, fmt);
	vsnprintf(x->msg, sizeof(x->msg), fmt, ap);
	va_end(ap);
	return -CCCD_ECONFIG;
}

static bool modbus_uri_ok(const char *u)
{
	const char *colon = strrchr(u, ':');
	char *end;
	long port;

	if (!strncmp(u, "rtu:/", 5))
		return true;
	if (strncmp(u, "tcp:", 4) || !colon || colon < u + 5)
		return false;
	port = strtol(colon + 1, &end, 10);
	return !*end && end != colon + 1 && port > 0 && port < 65536;
}

static int check_uri(struct lctx *x, const struct out_output *o, const char *sec)
{
	if (!o->uri[0])
		return late(x, sec, NULL, "[%s] uri: missing", sec);
	if (o->kind == OUT_KEYBOARD && !key_sink_scheme_known(o->uri))
		return late(x, sec, "uri", "[%s] uri: no key sink for \"%.60s\" (gadget:, file:)",
			    sec, o->uri);
	if (o->kind == OUT_SERIAL && o->uri[0] != '/')
		return late(x, sec, "uri", "[%s] uri: expected a tty path, got \"%.60s\"", sec,
			    o->uri);
	if ((o->kind == OUT_MODBUS || o->kind == OUT_RELAY) && !modbus_uri_ok(o->uri))
		return late(x, sec, "uri",
			    "[%s] uri: expected tcp:HOST:PORT or rtu:/dev/TTY, got \"%.60s\"", sec,
			    o->uri);
	return 0;
}

static int check_output(struct lctx *x, struct out_output *o)
{
	char sec[48];
	struct out_profile *p;
	int rc;

	snprintf(sec, sizeof(sec), "output.%s", o->name);
	if (o->kind == OUT_NONE)
		return late(x, sec, NULL, "[%s] type: missing", sec);
	o->uri_line = find_line(x->text, sec, "uri");
	rc = check_uri(x, o, sec);
	if (rc || (o->kind != OUT_KEYBOARD && o->kind != OUT_SERIAL))
		return rc;
	if (out_config_profile(x->c, o->profile))
		return 0;
	if (x->c->nprofiles == OUT_MAX_PROFILES)
		return late(x, sec, "profile", "[%s] profile: too many profiles", sec);
	p = &x->c->profiles[x->c->nprofiles];
	if (out_profile_builtin(o->profile, p) || !strcmp(o->profile, "custom"))
		return late(x, sec, "profile",
			    "[%s] profile: no [profile.%.30s] and no such built-in", sec,
			    o->profile);
	x->c->nprofiles++;
	return 0;
}

static int check_all(struct lctx *x)
{
	int rc = 0;

	for (size_t i = 0; i < x->c->nprofiles && !rc; i++) {
		const struct out_profile *p = &x->c->profiles[i];
		char sec[48];

		snprintf(sec, sizeof(sec), "profile.%s", p->name);
		if (!p->tpl_src[0] && !p->fields[0])
			rc = late(x, sec, NULL, "[%s]: no template or fields", sec);
	}
	for (size_t i = 0; i < x->c->noutputs && !rc; i++)
		rc = check_output(x, &x->c->outputs[i]);
	return rc;
}

int out_config_load_string(const char *text, const char *name, struct out_config *c,
			   struct cccd_err *err)
{
	struct lctx x = {.c = c, .text = text};
	char where[24];
	int line;

	memset(c, 0, sizeof(*c));
	line = ini_parse_string(text, on_key, &x);
	if (line == -2)
		return cccd_err_set(err, -CCCD_ENOMEM, name, "out of memory");
	if (line > 0 && !x.rc) /* inih's own: no '=' or ']' on the line */
		snprintf(x.msg, sizeof(x.msg), "syntax error (expected [section] or key = value)");
	if (line == 0 && check_all(&x) == 0)
		return 0;
	snprintf(where, sizeof(where), "%.16s:%d", name, line > 0 ? line : x.line);
	return cccd_err_set(err, -CCCD_ECONFIG, where, "%s", x.msg);
}

int out_config_load_file(const char *path, struct out_config *c, struct cccd_err *err)
{
	const char *base = strrchr(path, '/');
	FILE *f = fopen(path, "r");
	char *text;
	size_t n;
	int rc;

	base = base ? base + 1 : path;
	if (!f)
		return cccd_err_set(err, -CCCD_EIO, base, "cannot open");
	text = malloc(OUT_CONFIG_MAX + 1);
	if (!text) {
		fclose(f);
		return cccd_err_set(err, -CCCD_ENOMEM, base, "out of memory");
	}
	n = fread(text, 1, OUT_CONFIG_MAX + 1, f);
	fclose(f);
	text[n > OUT_CONFIG_MAX ? OUT_CONFIG_MAX : n] = '\0';
	rc = n > OUT_CONFIG_MAX
		 ? cccd_err_set(err, -CCCD_ECONFIG, base, "larger than %d bytes", OUT_CONFIG_MAX)
		 : out_config_load_string(text, base, c, err);
	free(text);
	return rc;
}
