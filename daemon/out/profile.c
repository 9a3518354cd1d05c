/* SPDX-License-Identifier: MIT */
/*
 * profile.c - built-in profiles, profile keys and the send condition (profile.h).
 * Example: clinic over a genuine RESULT renders
 * "001200012345\tNguyễn Văn An\t01/02/2000\tM\t<residence>\n"; over a suspect one, nothing.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/profile.h"

static const struct {
	const char *name;
	const char *fields;
} builtins[] = {
    {"clinic", "document.number,person.full_name,person.birth_date,person.sex,person.residence"},
    {"custom", ""},
    {"hotel", "person.full_name,document.number,person.birth_date,person.nationality,"
	      "document.expiry_date,person.residence"},
    {"school", "payment.bank,payment.account,payment.amount,payment.purpose"},
};

/* Sorted (strcmp): bsearch and a test depend on it. */
static const char *const keys[] = {
    "base",	 "condition", "date_format", "fields",	 "layout",     "prefix",
    "separator", "strategy",  "suffix",	     "template", "tone_style",
};

const char *const *out_profile_keys(size_t *n)
{
	*n = sizeof(keys) / sizeof(keys[0]);
	return keys;
}

static int compile(struct out_profile *p, char *msg, size_t msglen)
{
	char src[3 * OUT_TPL_MAX_SRC];
	struct cccd_err e;
	size_t n;

	n = (size_t)snprintf(src, sizeof(src), "%s", p->prefix);
	if (p->tpl_src[0]) {
		n += (size_t)snprintf(src + n, sizeof(src) - n, "%s", p->tpl_src);
	} else {
		char copy[OUT_TPL_MAX_SRC];
		char *save = NULL;
		bool first = true;

		snprintf(copy, sizeof(copy), "%s", p->fields);
		for (char *f = strtok_r(copy, ", ", &save); f && n < sizeof(src);
		     f = strtok_r(NULL, ", ", &save), first = false)
			n += (size_t)snprintf(src + n, sizeof(src) - n, "%s{%s}",
					      first ? "" : p->sep, f);
	}
	if (n < sizeof(src))
		n += (size_t)snprintf(src + n, sizeof(src) - n, "%s", p->suffix);
	if (n >= sizeof(src) || n >= OUT_TPL_MAX_SRC) {
		snprintf(msg, msglen, "template longer than %d bytes", OUT_TPL_MAX_SRC - 1);
		return -CCCD_ECONFIG;
	}
	if (out_template_parse((const uint8_t *)src, n, &p->tpl, &e)) {
		snprintf(msg, msglen, "%s", e.msg);
		return -CCCD_ECONFIG;
	}
	return 0;
}

int out_profile_builtin(const char *name, struct out_profile *p)
{
	char msg[8];

	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		if (strcmp(name, builtins[i].name))
			continue;
		memset(p, 0, sizeof(*p));
		snprintf(p->name, sizeof(p->name), "%s", name);
		snprintf(p->fields, sizeof(p->fields), "%s", builtins[i].fields);
		snprintf(p->sep, sizeof(p->sep), "\\t");
		snprintf(p->suffix, sizeof(p->suffix), "\\n");
		snprintf(p->date_fmt, sizeof(p->date_fmt), "%s", OUT_DATE_DEFAULT);
		p->kbd = (struct kbd_opts){KBD_ASCII, kbd_layout_find("us"), false};
		return compile(p, msg, sizeof(msg)) ? -CCCD_EINVAL : 0;
	}
	return -CCCD_ENOENT;
}

/* "dd/mm/yyyy" style → "%d/%m/%Y"; a value with '%' is taken as it is. */
static int date_format(struct out_profile *p, const char *v, char *msg, size_t msglen)
{
	static const char *const tok[][2] = {
	    {"yyyy", "%Y"}, {"yy", "%y"}, {"dd", "%d"}, {"mm", "%m"}};
	bool pct = strchr(v, '%') != NULL;
	char f[OUT_TPL_MAX_FMT];
	size_t n = 0, i = 0;

	while (v[i] && n + 2 < sizeof(f)) {
		size_t k = 0;

		while (!pct && k < 4 && strncmp(v + i, tok[k][0], strlen(tok[k][0])))
			k++;
		if (!pct && k < 4) {
			memcpy(f + n, tok[k][1], 2);
			n += 2;
			i += strlen(tok[k][0]);
		} else {
			f[n++] = v[i++];
		}
	}
	f[n] = '\0';
	if (v[i] || !n || out_date_format_check(f, NULL)) {
		snprintf(msg, msglen,
			 "date_format: bad format \"%.30s\" (e.g. dd/mm/yyyy or "
			 "%%d/%%m/%%Y)",
			 v);
		return -CCCD_ECONFIG;
	}
	snprintf(p->date_fmt, sizeof(p->date_fmt), "%s", f);
	return 0;
}

static int separator(struct out_profile *p, const char *v, char *msg, size_t msglen)
{
	static const char *const names[][2] = {{"tab", "\\t"},	   {"enter", "\\n"}, {"comma", ","},
					       {"semicolon", ";"}, {"space", " "},   {"none", ""},
					       {"pipe", "|"}};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(v, names[i][0])) {
			snprintf(p->sep, sizeof(p->sep), "%s", names[i][1]);
			return 0;
		}
	}
	if (strlen(v) >= sizeof(p->sep) || strpbrk(v, "{}")) {
		snprintf(msg, msglen,
			 "separator: expected tab, enter, comma, semicolon, space, pipe, "
			 "none or up to 15 bytes without braces");
		return -CCCD_ECONFIG;
	}
	snprintf(p->sep, sizeof(p->sep), "%s", v);
	return 0;
}

/* Copy a template piece, checked on its own first so that columns are the value's own. */
static int copy(char *dst, size_t cap, const char *v, const char *key, char *msg, size_t msglen)
{
	struct out_template t;
	struct cccd_err e;

	if (strlen(v) >= cap) {
		snprintf(msg, msglen, "%s: longer than %zu bytes", key, cap - 1);
		return -CCCD_ECONFIG;
	}
	if (strcmp(key, "fields") && out_template_parse((const uint8_t *)v, strlen(v), &t, &e)) {
		snprintf(msg, msglen, "%s: %s", key, e.msg);
		return -CCCD_ECONFIG;
	}
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int set_base(struct out_profile *p, const char *v, char *msg, size_t msglen)
{
	char name[OUT_NAME_MAX];

	snprintf(name, sizeof(name), "%s", p->name);
	if (out_profile_builtin(v, p)) {
		snprintf(msg, msglen,
			 "base: expected clinic, hotel, school or custom, got \"%.40s\"", v);
		return -CCCD_ECONFIG;
	}
	snprintf(p->name, sizeof(p->name), "%s", name);
	return 0;
}

static int set_kbd(struct out_profile *p, const char *key, const char *v, char *msg, size_t msglen)
{
	if (!strcmp(key, "strategy") && kbd_strategy_from_name(v, &p->kbd.strategy) == 0)
		return 0;
	if (!strcmp(key, "layout") && kbd_layout_find(v)) {
		p->kbd.layout = kbd_layout_find(v);
		return 0;
	}
	if (!strcmp(key, "tone_style") && (!strcmp(v, "old") || !strcmp(v, "modern"))) {
		p->kbd.modern_tones = !strcmp(v, "modern");
		return 0;
	}
	snprintf(msg, msglen, "%s: %s, got \"%.40s\"", key,
		 !strcmp(key, "strategy") ? "expected ascii, unicode-windows, unicode-linux, telex "
					    "or vni"
		 : !strcmp(key, "layout") ? "expected us"
					  : "expected old or modern",
		 v);
	return -CCCD_ECONFIG;
}

static int set_one(struct out_profile *p, const char *key, const char *v, char *msg, size_t msglen)
{
	if (!strcmp(key, "base"))
		return set_base(p, v, msg, msglen);
	if (!strcmp(key, "condition")) {
		if (strcmp(v, "genuine") && strcmp(v, "suspect")) {
			snprintf(msg, msglen,
				 "condition: expected genuine or suspect, got \"%.40s\"", v);
			return -CCCD_ECONFIG;
		}
		p->when = !strcmp(v, "suspect") ? OUT_IF_SUSPECT : OUT_IF_GENUINE;
		return 0;
	}
	if (!strcmp(key, "date_format"))
		return date_format(p, v, msg, msglen);
	if (!strcmp(key, "separator"))
		return separator(p, v, msg, msglen);
	if (!strcmp(key, "template")) {
		p->fields[0] = '\0';
		return copy(p->tpl_src, sizeof(p->tpl_src), v, key, msg, msglen);
	}
	if (!strcmp(key, "fields")) {
		p->tpl_src[0] = '\0';
		return copy(p->fields, sizeof(p->fields), v, key, msg, msglen);
	}
	if (!strcmp(key, "prefix"))
		return copy(p->prefix, sizeof(p->prefix), v, key, msg, msglen);
	if (!strcmp(key, "suffix"))
		return copy(p->suffix, sizeof(p->suffix), v, key, msg, msglen);
	return set_kbd(p, key, v, msg, msglen);
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp((const char *)a, *(const char *const *)b);
}

int out_profile_set(struct out_profile *p, const char *key, const char *value, char *msg,
		    size_t msglen)
{
	char tmp[160];
	int rc;

	if (!bsearch(key, keys, sizeof(keys) / sizeof(keys[0]), sizeof(keys[0]), cmp_key))
		return -CCCD_ENOENT;
	rc = set_one(p, key, value, msg, msglen);
	if (rc)
		return rc;
	if (compile(p, tmp, sizeof(tmp))) {
		snprintf(msg, msglen, "%s: %s", key, tmp);
		return -CCCD_ECONFIG;
	}
	return 0;
}

bool out_profile_accepts(const struct out_profile *p, const cJSON *result)
{
	const cJSON *v;

	if (p->tpl.payment && !p->tpl.person)
		return cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(result, "payment"));
	v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(result, "checks"),
					     "verdict");
	if (!cJSON_IsString(v) || !v->valuestring)
		return false;
	return !strcmp(v->valuestring, "genuine") ||
	       (p->when == OUT_IF_SUSPECT && !strcmp(v->valuestring, "suspect"));
}

int out_profile_render(const struct out_profile *p, const cJSON *result, char *out, size_t cap,
		       struct cccd_err *err)
{
	if (!out_profile_accepts(p, result))
		return 1;
	return out_template_render(&p->tpl, result, p->date_fmt, out, cap, err);
}

int out_profile_line(const struct out_profile *p, bool json, const cJSON *result, char *out,
		     size_t cap, struct cccd_err *err)
{
	if (!out_profile_accepts(p, result))
		return 1;
	if (!json)
		return out_template_render(&p->tpl, result, p->date_fmt, out, cap, err);
	if (cap < 2 || !cJSON_PrintPreallocated((cJSON *)result, out,
						(int)(cap > INT_MAX ? INT_MAX : cap - 1), false))
		return cccd_err_set(err, -CCCD_ENOSPC, "profile", "JSON longer than %zu bytes",
				    cap > 1 ? cap - 2 : 0);
	if (strlen(out) + 2 > cap)
		return cccd_err_set(err, -CCCD_ENOSPC, "profile", "JSON longer than %zu bytes",
				    cap - 2);
	strcat(out, "\n");
	return 0;
}
