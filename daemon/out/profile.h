/* SPDX-License-Identifier: MIT */
/*
 * profile.h - named output profiles: what a RESULT becomes on a keyboard, a serial line or a
 * display, and when it goes out at all.
 *
 * Built in: clinic (ID, name, birth date, sex, address), hotel (name, ID, birth date,
 * nationality, expiry, address), school (bank, account, amount, purpose of a VietQR) and custom
 * (nothing until a template or fields are given). A profile's text is one template (template.h)
 * composed from prefix + (template | fields joined by separator) + suffix; dates default to
 * dd/mm/yyyy. A person profile sends only `genuine` results (or also `suspect`); a payment
 * profile sends decoded VietQR payments, which carry no verdict.
 */
#ifndef CCCD_OUT_PROFILE_H
#define CCCD_OUT_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

#include "core/err.h"
#include "out/kbd.h"
#include "out/template.h"

#define OUT_NAME_MAX 32

enum out_condition { OUT_IF_GENUINE, OUT_IF_SUSPECT /* genuine or suspect */ };

struct out_profile {
	char name[OUT_NAME_MAX];
	char tpl_src[OUT_TPL_MAX_SRC]; /* template as configured, "" when fields are used */
	char fields[OUT_TPL_MAX_SRC];  /* "document.number,person.full_name" */
	char sep[16];		       /* between fields, unescaped */
	char prefix[64], suffix[64];   /* template text (escapes allowed) */
	char date_fmt[OUT_TPL_MAX_FMT];
	enum out_condition when;
	struct kbd_opts kbd;	 /* strategy, layout, tone style for keyboard outputs */
	struct out_template tpl; /* compiled from the above */
};

/* Start p as the built-in profile name ("clinic", "hotel", "school", "custom");
 * -CCCD_ENOENT for another name. */
int out_profile_builtin(const char *name, struct out_profile *p);

/* Set one key (base, condition, date_format, fields, layout, prefix, separator, strategy,
 * suffix, template, tone_style) and recompile; on error msg gets the reason (no file:line).
 * -CCCD_ENOENT (unknown key) or -CCCD_ECONFIG. */
int out_profile_set(struct out_profile *p, const char *key, const char *value, char *msg,
		    size_t msglen);

/* The keys out_profile_set() knows, sorted; *n gets their count. */
const char *const *out_profile_keys(size_t *n);

/* Whether result goes out under p: verdict genuine (or suspect when allowed) for person
 * profiles, a "payment" object for payment profiles. */
bool out_profile_accepts(const struct out_profile *p, const cJSON *result);

/* Render result under p into out; 1 when p does not accept result (nothing written), 0 when
 * rendered, or a negative error. */
int out_profile_render(const struct out_profile *p, const cJSON *result, char *out, size_t cap,
		       struct cccd_err *err);

/* One line for a serial or TCP peer: the rendered template, or (json) the whole result as one
 * JSON object and '\n'. Same return values as out_profile_render(). */
int out_profile_line(const struct out_profile *p, bool json, const cJSON *result, char *out,
		     size_t cap, struct cccd_err *err);

#endif
