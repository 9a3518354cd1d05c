/* SPDX-License-Identifier: MIT */
/*
 * cmd_daemon.c - cccdctl subcommands that talk to cccd-gatewayd over its socket (docs/api.md):
 *   status | devices | watch [--json] [--count N] | read [--mrz T|--can N|--bac D,B,E]
 *   | config [get KEY | set KEY VALUE]           all with [--socket PATH] [--json]
 * Exit: 0 ok, 1 the daemon refused the request (ERROR), 2 usage, daemon not running, no
 * permission on the socket, or a broken connection.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "api/api.h"
#include "tools/cccdctl/cccdctl.h"

#define DEFAULT_SOCKET "/run/cccd-gateway/api.sock"
#define MAX_LINE       (1u << 20)

struct conn {
	int fd;
	FILE *in;
	const char *path;
};

struct opts {
	const char *socket;
	bool json;
	long count;	    /* watch: stop after this many events (-1 = never) */
	const char *key[3]; /* read: --mrz/--can/--bac value; config: get/set args */
	int nargs;
	const char *kind; /* read: "mrz" | "can" | "bac" */
};

static int connect_daemon(struct conn *c, const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};

	c->path = path;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "cccdctl: socket path too long: %s\n", path);
		return CTL_USAGE;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd >= 0 && connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		c->in = fdopen(c->fd, "r");
		return c->in ? CTL_OK : CTL_USAGE;
	}
	if (errno == ENOENT || errno == ECONNREFUSED)
		fprintf(stderr, "cccdctl: the daemon is not running (%s: %s)\n", path,
			errno == ENOENT ? "no such socket" : "nobody listening");
	else if (errno == EACCES || errno == EPERM)
		fprintf(stderr,
			"cccdctl: no permission to use %s: add your user to group cccd "
			"and log in again\n",
			path);
	else
		fprintf(stderr, "cccdctl: %s: %s\n", path, strerror(errno));
	if (c->fd >= 0)
		close(c->fd);
	return CTL_USAGE;
}

static void disconnect(struct conn *c)
{
	if (c->in)
		fclose(c->in); /* closes fd */
	else if (c->fd >= 0)
		close(c->fd);
}

/* Next object from the daemon; NULL at end of stream or on garbage (reported). */
static cJSON *next_obj(struct conn *c, char **raw)
{
	static char *line;
	static size_t cap;
	ssize_t n = getline(&line, &cap, c->in);
	cJSON *o;

	if (n <= 0) {
		free(line);
		line = NULL;
		cap = 0;
		return NULL;
	}
	if ((size_t)n > MAX_LINE || !(o = cJSON_Parse(line))) {
		fprintf(stderr, "cccdctl: the daemon sent something that is not JSON\n");
		return NULL;
	}
	if (line[n - 1] == '\n')
		line[n - 1] = '\0';
	if (raw)
		*raw = line;
	return o;
}

static const char *cls(const cJSON *o)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "class");

	return cJSON_IsString(c) ? c->valuestring : "";
}

/* Read the greeting and send one request; CTL_OK or an exit code. */
static int start(struct conn *c, const char *socket_path, const cJSON *req)
{
	char *text;
	cJSON *v;
	int rc = connect_daemon(c, socket_path);

	if (rc)
		return rc;
	v = next_obj(c, NULL);
	const cJSON *major = cJSON_GetObjectItemCaseSensitive(v, "proto_major");
	if (!v || strcmp(cls(v), "VERSION") || !cJSON_IsNumber(major) ||
	    major->valuedouble != API_PROTO_MAJOR) {
		fprintf(stderr, "cccdctl: %s: no VERSION greeting from a protocol %d daemon\n",
			c->path, API_PROTO_MAJOR);
		cJSON_Delete(v);
		return CTL_USAGE;
	}
	cJSON_Delete(v);
	text = cJSON_PrintUnformatted(req);
	rc = text && dprintf(c->fd, "%s\n", text) > 0 ? CTL_OK : CTL_USAGE;
	cJSON_free(text);
	if (rc)
		fprintf(stderr, "cccdctl: %s: cannot send the request\n", c->path);
	return rc;
}

/* ---- human-readable output ---- */

/* Print the scalar members of o as " key=value", nested objects as " a.b=value". */
static void print_flat(const cJSON *o, const char *prefix)
{
	for (const cJSON *m = o ? o->child : NULL; m; m = m->next) {
		char key[128];

		if (!prefix[0] && !strcmp(m->string, "class"))
			continue;
		snprintf(key, sizeof(key), "%s%s%s", prefix, prefix[0] ? "." : "", m->string);
		if (cJSON_IsObject(m))
			print_flat(m, key);
		else if (cJSON_IsString(m))
			printf(strchr(m->valuestring, ' ') ? " %s=\"%s\"" : " %s=%s", key,
			       m->valuestring);
		else if (cJSON_IsNumber(m))
			printf(" %s=%g", key, m->valuedouble);
		else if (cJSON_IsBool(m))
			printf(" %s=%s", key, cJSON_IsTrue(m) ? "true" : "false");
		else if (cJSON_IsArray(m))
			printf(" %s=[%d]", key, cJSON_GetArraySize(m));
	}
}

static const char *sget(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);

	if (b)
		v = cJSON_GetObjectItemCaseSensitive(v, b);
	return cJSON_IsString(v) ? v->valuestring : "-";
}

/* One line per event: RESULT gets a summary, the rest their members. */
static void print_event(const cJSON *o)
{
	if (!strcmp(cls(o), "RESULT")) {
		printf("RESULT %s %s \"%s\" %s", sget(o, "checks", "verdict"),
		       sget(o, "document", "number"), sget(o, "person", "full_name"),
		       sget(o, "person", "birth_date"));
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(o, "timing_ms"), "total");

		printf(" passive=%s access=%s", sget(o, "checks", "passive"),
		       sget(o, "card", "access"));
		if (cJSON_IsNumber(t))
			printf(" total=%.0fms", t->valuedouble);
		printf("\n");
		return;
	}
	if (!strcmp(cls(o), "PHOTO")) { /* the portrait itself is for --json clients */
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "bytes");

		printf("PHOTO %s %.0f bytes passive=%s\n", sget(o, "format", NULL),
		       cJSON_IsNumber(n) ? n->valuedouble : 0.0, sget(o, "passive", NULL));
		return;
	}
	printf("%s", cls(o));
	print_flat(o, "");
	printf("\n");
}

static int print_error(const cJSON *o)
{
	fprintf(stderr, "cccdctl: daemon: %s\n", sget(o, "message", NULL));
	return CTL_REJECTED;
}

/* ---- option parsing shared by the subcommands ---- */

static int parse_opts(int argc, char **argv, struct opts *o, bool with_keys)
{
	*o = (struct opts){.socket = DEFAULT_SOCKET, .count = -1};
	if (getenv("CCCD_SOCKET"))
		o->socket = getenv("CCCD_SOCKET");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has_val = i + 1 < argc;

		if (!strcmp(a, "--json"))
			o->json = true;
		else if (!strcmp(a, "--socket") && has_val)
			o->socket = argv[++i];
		else if (!strcmp(a, "--count") && has_val)
			o->count = strtol(argv[++i], NULL, 10);
		else if (with_keys && has_val && !o->kind &&
			 (!strcmp(a, "--mrz") || !strcmp(a, "--can") || !strcmp(a, "--bac"))) {
			o->kind = a + 2;
			o->key[0] = argv[++i];
		} else if (a[0] != '-' && o->nargs < 3)
			o->key[o->nargs++] = a;
		else
			return -1;
	}
	return 0;
}

/* Send req, wait for the answer of class want, print it; returns the exit code. */
static int ask(const struct opts *o, cJSON *req, const char *want, void (*human)(const cJSON *))
{
	struct conn c = {.fd = -1};
	char *raw = NULL;
	cJSON *a;
	int rc = start(&c, o->socket, req);

	cJSON_Delete(req);
	if (rc) {
		disconnect(&c);
		return rc;
	}
	a = next_obj(&c, &raw);
	if (!a)
		rc = CTL_USAGE;
	else if (!strcmp(cls(a), "ERROR"))
		rc = print_error(a);
	else if (strcmp(cls(a), want))
		rc = (fprintf(stderr, "cccdctl: expected %s, got %s\n", want, cls(a)), CTL_USAGE);
	else if (o->json)
		printf("%s\n", raw);
	else
		human(a);
	if (!a)
		fprintf(stderr, "cccdctl: the daemon closed the connection\n");
	cJSON_Delete(a);
	disconnect(&c);
	return rc;
}

static cJSON *request(const char *cmd)
{
	cJSON *r = cJSON_CreateObject();

	cJSON_AddStringToObject(r, "cmd", cmd);
	return r;
}

/* ---- the subcommands ---- */

static void human_status(const cJSON *a)
{
	for (const cJSON *m = a->child; m; m = m->next) {
		if (!strcmp(m->string, "class"))
			continue;
		if (cJSON_IsString(m))
			printf("%-18s %s\n", m->string, m->valuestring);
		else if (cJSON_IsNumber(m))
			printf("%-18s %g\n", m->string, m->valuedouble);
		else if (cJSON_IsBool(m))
			printf("%-18s %s\n", m->string, cJSON_IsTrue(m) ? "yes" : "no");
	}
}

static void human_devices(const cJSON *a)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(a, "devices");
	const cJSON *d;

	if (!cJSON_GetArraySize(arr))
		printf("no devices\n");
	cJSON_ArrayForEach(d, arr)
	{
		printf("%-7s %s", sget(d, "kind", NULL), sget(d, "path", NULL));
		print_flat(d, "");
		printf("\n");
	}
}

static void human_config(const cJSON *a)
{
	const cJSON *vals = cJSON_GetObjectItemCaseSensitive(a, "values");

	for (const cJSON *m = vals ? vals->child : NULL; m; m = m->next) {
		if (cJSON_IsString(m))
			printf("%s = %s\n", m->string, m->valuestring);
		else if (cJSON_IsNumber(m))
			printf("%s = %g\n", m->string, m->valuedouble);
		else if (cJSON_IsBool(m))
			printf("%s = %s\n", m->string, cJSON_IsTrue(m) ? "true" : "false");
	}
}

int cmd_status(int argc, char **argv)
{
	struct opts o;

	if (parse_opts(argc, argv, &o, false) || o.nargs) {
		fprintf(stderr, "usage: cccdctl status [--json] [--socket PATH]\n");
		return CTL_USAGE;
	}
	return ask(&o, request("status"), "STATUS", human_status);
}

int cmd_devices(int argc, char **argv)
{
	struct opts o;

	if (parse_opts(argc, argv, &o, false) || o.nargs) {
		fprintf(stderr, "usage: cccdctl devices [--json] [--socket PATH]\n");
		return CTL_USAGE;
	}
	return ask(&o, request("devices"), "DEVICES", human_devices);
}

int cmd_config(int argc, char **argv)
{
	struct opts o;
	cJSON *r;

	if (parse_opts(argc, argv, &o, false) ||
	    !(o.nargs == 0 || (o.nargs == 2 && !strcmp(o.key[0], "get")) ||
	      (o.nargs == 3 && !strcmp(o.key[0], "set")))) {
		fprintf(stderr, "usage: cccdctl config [get KEY | set KEY VALUE] [--json] "
				"[--socket PATH]\n       KEY is section.key, e.g. log.level\n");
		return CTL_USAGE;
	}
	r = request("config");
	if (o.nargs >= 2)
		cJSON_AddStringToObject(r, "key", o.key[1]);
	if (o.nargs == 3)
		cJSON_AddStringToObject(r, "value", o.key[2]);
	return ask(&o, r, "CONFIG", human_config);
}

/* Print events until count is reached or the daemon closes. */
static int stream(struct conn *c, const struct opts *o)
{
	long seen = 0;
	char *raw = NULL;
	cJSON *e;

	while ((o->count < 0 || seen < o->count) && (e = next_obj(c, &raw)) != NULL) {
		if (o->json)
			printf("%s\n", raw);
		else
			print_event(e);
		fflush(stdout);
		cJSON_Delete(e);
		seen++;
	}
	if (o->count >= 0 && seen >= o->count)
		return CTL_OK;
	fprintf(stderr, "cccdctl: the daemon closed the connection\n");
	return CTL_USAGE;
}

int cmd_watch(int argc, char **argv)
{
	struct conn c = {.fd = -1};
	struct opts o;
	cJSON *r, *a;
	int rc;

	if (parse_opts(argc, argv, &o, false) || o.nargs) {
		fprintf(stderr, "usage: cccdctl watch [--json] [--count N] [--socket PATH]\n");
		return CTL_USAGE;
	}
	r = request("watch");
	cJSON_AddBoolToObject(r, "enable", true);
	rc = start(&c, o.socket, r);
	cJSON_Delete(r);
	if (!rc) {
		a = next_obj(&c, NULL);
		rc = a && !strcmp(cls(a), "WATCH") ? CTL_OK : CTL_USAGE;
		if (!rc && !o.json)
			fprintf(stderr, "cccdctl: watching %s (Ctrl-C to stop)\n", o.socket);
		cJSON_Delete(a);
	}
	if (!rc)
		rc = stream(&c, &o);
	disconnect(&c);
	return rc;
}

/* After READ: wait for this request's RESULT or ERROR (anything else is progress). */
static int await_result(struct conn *c, const struct opts *o)
{
	char *raw = NULL;
	cJSON *e;
	int rc;

	while ((e = next_obj(c, &raw)) != NULL) {
		bool result = !strcmp(cls(e), "RESULT"), error = !strcmp(cls(e), "ERROR");

		if (result && o->json)
			printf("%s\n", raw);
		else if (result)
			print_event(e);
		else if (!error && !o->json)
			fprintf(stderr, "%s\n", cls(e));
		rc = error ? print_error(e) : CTL_OK;
		cJSON_Delete(e);
		if (result || error)
			return rc;
	}
	fprintf(stderr, "cccdctl: the daemon closed the connection before a RESULT\n");
	return CTL_USAGE;
}

int cmd_read_daemon(int argc, char **argv)
{
	struct conn c = {.fd = -1};
	struct opts o;
	cJSON *r, *a;
	int rc;

	if (parse_opts(argc, argv, &o, true) || o.nargs) {
		fprintf(stderr, "usage: cccdctl read [--mrz TEXT | --can NNNNNN | --bac "
				"DOCNO,YYMMDD,YYMMDD] [--json] [--socket PATH]\n");
		return CTL_USAGE;
	}
	r = request("read");
	if (o.kind)
		cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "key"), o.kind, o.key[0]);
	rc = start(&c, o.socket, r);
	cJSON_Delete(r);
	if (!rc) {
		a = next_obj(&c, NULL);
		if (!a)
			rc = CTL_USAGE;
		else if (!strcmp(cls(a), "ERROR"))
			rc = print_error(a);
		else if (!o.json)
			fprintf(stderr, "cccdctl: present the card to the reader\n");
		cJSON_Delete(a);
		if (!rc)
			rc = await_result(&c, &o);
	}
	disconnect(&c);
	return rc;
}
