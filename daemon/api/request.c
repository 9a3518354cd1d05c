/* SPDX-License-Identifier: MIT */
/*
 * request.c - see request.h. The line is checked for UTF-8 first (cJSON does not), then parsed
 * by cJSON within its length, then each member is typed and bounded here.
 *
 * Worked example: `{"cmd":"read","key":{"bac":"200012345,000201,400201"}}` gives
 * cmd = API_CMD_READ, key.kind = API_KEY_BAC, doc_number "200012345", birth "000201",
 * expiry "400201"; `{"cmd":"read"` gives "invalid JSON: line ends at byte 13 inside a value".
 * Not checked here: MRZ check digits and dates (the pipeline's MRZ parser owns them).
 */
#include <stdio.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "api/request.h"
#include "core/utf8.h"

static const char *const cmd_names[] = {
    [API_CMD_AUTH] = "auth", [API_CMD_CONFIG] = "config", [API_CMD_DEVICES] = "devices",
    [API_CMD_READ] = "read", [API_CMD_STATUS] = "status", [API_CMD_WATCH] = "watch",
};

const char *api_cmd_name(enum api_cmd cmd)
{
	if ((size_t)cmd >= sizeof(cmd_names) / sizeof(cmd_names[0]))
		return "?";
	return cmd_names[cmd];
}

#define fmt_err(err, ...) cccd_err_set(err, -CCCD_EFORMAT, "api", __VA_ARGS__)

/* Offset of the first byte in p[0..n) that is not a blank, or n. */
static size_t skip_blanks(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
		i++;
	return i;
}

/* Copy a short printable excerpt of s (for error messages naming what the client sent). */
static const char *excerpt(const char *s, char *out, size_t outlen)
{
	size_t o = 0;

	for (; *s && o + 1 < outlen; s++)
		out[o++] = (*s >= 0x20 && *s < 0x7f && *s != '\'') ? *s : '?';
	out[o] = '\0';
	return out;
}

static bool all_in(const char *s, const char *set, size_t min, size_t max)
{
	size_t n = strlen(s);

	return n >= min && n <= max && strspn(s, set) == n;
}

#define DIGITS	  "0123456789"
#define MRZ_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

/* "DOCNO,YYMMDD,YYMMDD" into key. */
static int parse_bac(const char *s, struct api_key *key, struct cccd_err *err)
{
	char doc[API_DOCNO_MAX + 2] = "", birth[8] = "", expiry[8] = ""; /* zeroed: copied whole */
	const char *c1 = strchr(s, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;

	if (!c1 || !c2 || strchr(c2 + 1, ',') || (size_t)(c1 - s) > API_DOCNO_MAX ||
	    (size_t)(c2 - c1 - 1) > 6 || strlen(c2 + 1) > 6)
		return fmt_err(err, "read: key.bac: expected DOCNO,YYMMDD,YYMMDD");
	snprintf(doc, sizeof(doc), "%.*s", (int)(c1 - s), s);
	snprintf(birth, sizeof(birth), "%.*s", (int)(c2 - c1 - 1), c1 + 1);
	snprintf(expiry, sizeof(expiry), "%s", c2 + 1);
	if (!all_in(doc, MRZ_CHARS, 1, API_DOCNO_MAX))
		return fmt_err(err, "read: key.bac: document number: expected 1..9 of A-Z 0-9 <");
	if (!all_in(birth, DIGITS, 6, 6) || !all_in(expiry, DIGITS, 6, 6))
		return fmt_err(err, "read: key.bac: dates: expected YYMMDD");
	key->kind = API_KEY_BAC;
	memcpy(key->doc_number, doc, sizeof(key->doc_number));
	memcpy(key->birth, birth, sizeof(key->birth));
	memcpy(key->expiry, expiry, sizeof(key->expiry));
	return 0;
}

static int parse_key(const cJSON *k, struct api_key *key, struct cccd_err *err)
{
	const cJSON *v;

	if (!cJSON_IsObject(k) || cJSON_GetArraySize(k) != 1)
		return fmt_err(err, "read: key: expected an object with one of mrz, can, bac");
	v = k->child;
	if (!cJSON_IsString(v))
		return fmt_err(err, "read: key.%.20s: expected a string",
			       v->string ? v->string : "");
	if (!strcmp(v->string, "can")) {
		if (!all_in(v->valuestring, DIGITS, API_CAN_LEN, API_CAN_LEN))
			return fmt_err(err, "read: key.can: expected 6 digits");
		key->kind = API_KEY_CAN;
		memcpy(key->can, v->valuestring, API_CAN_LEN + 1);
		return 0;
	}
	if (!strcmp(v->string, "mrz")) {
		if (!all_in(v->valuestring, MRZ_CHARS "\n", 1, API_MRZ_MAX))
			return fmt_err(err,
				       "read: key.mrz: expected 1..134 of A-Z 0-9 < and newlines");
		key->kind = API_KEY_MRZ;
		memcpy(key->mrz, v->valuestring, strlen(v->valuestring) + 1);
		return 0;
	}
	if (!strcmp(v->string, "bac"))
		return parse_bac(v->valuestring, key, err);
	char ex[24];
	return fmt_err(err, "read: key: unknown kind '%s' (expected mrz, can or bac)",
		       excerpt(v->string, ex, sizeof(ex)));
}

/* A config value may be sent as a string, an integer or a boolean; keep it as text. */
static int parse_value(const cJSON *v, struct api_request *req, struct cccd_err *err)
{
	int n = 0;

	if (cJSON_IsString(v))
		n = snprintf(req->value, sizeof(req->value), "%s", v->valuestring);
	else if (cJSON_IsBool(v))
		n = snprintf(req->value, sizeof(req->value), "%s",
			     cJSON_IsTrue(v) ? "true" : "false");
	else if (cJSON_IsNumber(v) && v->valuedouble > -1e15 && v->valuedouble < 1e15 &&
		 v->valuedouble == (double)(long long)v->valuedouble) /* range first: no UB cast */
		n = snprintf(req->value, sizeof(req->value), "%lld", (long long)v->valuedouble);
	else
		return fmt_err(err, "config: value: expected a string, an integer or a boolean");
	if (n < 0 || (size_t)n >= sizeof(req->value))
		return fmt_err(err, "config: value: longer than 255 bytes");
	req->has_value = true;
	return 0;
}

static int parse_config(const cJSON *obj, struct api_request *req, struct cccd_err *err)
{
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(obj, "key");
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "value");

	if (!k)
		return v ? fmt_err(err, "config: value without key") : 0;
	if (!cJSON_IsString(k) ||
	    !all_in(k->valuestring, "abcdefghijklmnopqrstuvwxyz0123456789_.", 3,
		    API_CFG_NAME_MAX) ||
	    !strchr(k->valuestring, '.'))
		return fmt_err(err, "config: key: expected \"section.key\" such as \"log.level\"");
	memcpy(req->name, k->valuestring, strlen(k->valuestring) + 1);
	return v ? parse_value(v, req, err) : 0;
}

/* {"cmd":"read"[,"key":{...}][,"photo":true]} */
static int parse_read(const cJSON *obj, struct api_request *req, struct cccd_err *err)
{
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(obj, "key");
	const cJSON *ph = cJSON_GetObjectItemCaseSensitive(obj, "photo");
	int rc;

	if (ph && !cJSON_IsBool(ph))
		return fmt_err(err, "read: photo: expected true or false");
	rc = k ? parse_key(k, &req->key, err) : 0;
	req->key.photo = ph && cJSON_IsTrue(ph);
	return rc;
}

static int parse_args(const cJSON *obj, struct api_request *req, struct cccd_err *err)
{
	const cJSON *a;

	switch (req->cmd) {
	case API_CMD_WATCH:
		a = cJSON_GetObjectItemCaseSensitive(obj, "enable");
		if (a && !cJSON_IsBool(a))
			return fmt_err(err, "watch: enable: expected true or false");
		req->enable = !a || cJSON_IsTrue(a);
		return 0;
	case API_CMD_READ:
		return parse_read(obj, req, err);
	case API_CMD_CONFIG:
		return parse_config(obj, req, err);
	case API_CMD_AUTH:
		a = cJSON_GetObjectItemCaseSensitive(obj, "token");
		if (!cJSON_IsString(a) || strlen(a->valuestring) > API_TOKEN_MAX)
			return fmt_err(err, "auth: token: expected a string of at most 255 bytes");
		memcpy(req->token, a->valuestring, strlen(a->valuestring) + 1);
		return 0;
	case API_CMD_STATUS:
	case API_CMD_DEVICES:
		return 0;
	}
	return fmt_err(err, "internal: command %s", "?");
}

static int parse_cmd(const cJSON *obj, struct api_request *req, struct cccd_err *err)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(obj, "cmd");
	char ex[40];

	if (!c)
		return fmt_err(err, "missing \"cmd\"");
	if (!cJSON_IsString(c))
		return fmt_err(err, "\"cmd\" is not a string");
	for (size_t i = 0; i < sizeof(cmd_names) / sizeof(cmd_names[0]); i++) {
		if (!strcmp(c->valuestring, cmd_names[i])) {
			req->cmd = (enum api_cmd)i;
			return parse_args(obj, req, err);
		}
	}
	return fmt_err(err, "unknown cmd '%s'", excerpt(c->valuestring, ex, sizeof(ex)));
}

int api_request_parse(const uint8_t *buf, size_t len, struct api_request *req, struct cccd_err *err)
{
	const char *end = NULL;
	cJSON *obj;
	int rc;

	memset(req, 0, sizeof(*req));
	if (len == 0)
		return fmt_err(err, "empty line");
	rc = cccd_utf8_validate(buf, len, err);
	if (rc)
		return rc;
	obj = cJSON_ParseWithLengthOpts((const char *)buf, len, &end, false);
	if (!obj) {
		size_t at =
		    end && end >= (const char *)buf ? (size_t)(end - (const char *)buf) : len;

		if (at + 1 >= len) /* cJSON points at the last byte it read */
			return fmt_err(err, "invalid JSON: line ends at byte %zu inside a value",
				       len);
		return fmt_err(err, "invalid JSON at byte %zu", at);
	}
	size_t used = end ? (size_t)(end - (const char *)buf) : len;
	size_t extra = used + skip_blanks(end, len - used);

	if (extra < len)
		rc = fmt_err(err, "invalid JSON at byte %zu (after the object)", extra);
	else if (!cJSON_IsObject(obj))
		rc = fmt_err(err, "expected a JSON object {\"cmd\":...}");
	else
		rc = parse_cmd(obj, req, err);
	cJSON_Delete(obj);
	if (rc)
		memset(req, 0, sizeof(*req));
	return rc;
}

static cJSON *key_json(const struct api_key *key)
{
	cJSON *k = cJSON_CreateObject();
	char bac[API_DOCNO_MAX + 16];

	if (!k)
		return NULL;
	switch (key->kind) {
	case API_KEY_MRZ:
		cJSON_AddStringToObject(k, "mrz", key->mrz);
		break;
	case API_KEY_CAN:
		cJSON_AddStringToObject(k, "can", key->can);
		break;
	case API_KEY_BAC:
		snprintf(bac, sizeof(bac), "%s,%s,%s", key->doc_number, key->birth, key->expiry);
		cJSON_AddStringToObject(k, "bac", bac);
		break;
	case API_KEY_NONE:
		break;
	}
	return k;
}

static void add_args(cJSON *o, const struct api_request *req)
{
	switch (req->cmd) {
	case API_CMD_WATCH:
		cJSON_AddBoolToObject(o, "enable", req->enable);
		break;
	case API_CMD_READ:
		if (req->key.kind != API_KEY_NONE)
			cJSON_AddItemToObject(o, "key", key_json(&req->key));
		if (req->key.photo)
			cJSON_AddBoolToObject(o, "photo", true);
		break;
	case API_CMD_CONFIG:
		if (req->name[0])
			cJSON_AddStringToObject(o, "key", req->name);
		if (req->has_value)
			cJSON_AddStringToObject(o, "value", req->value);
		break;
	case API_CMD_AUTH:
		cJSON_AddStringToObject(o, "token", req->token);
		break;
	case API_CMD_STATUS:
	case API_CMD_DEVICES:
		break;
	}
}

int api_request_format(const struct api_request *req, char *out, size_t outlen)
{
	cJSON *o = cJSON_CreateObject();
	int rc = 0;

	if (!o || !cJSON_AddStringToObject(o, "cmd", api_cmd_name(req->cmd))) {
		cJSON_Delete(o);
		return -CCCD_ENOMEM;
	}
	add_args(o, req);
	if (outlen > (size_t)INT32_MAX || !cJSON_PrintPreallocated(o, out, (int)outlen, false))
		rc = -CCCD_ENOSPC;
	cJSON_Delete(o);
	return rc;
}
