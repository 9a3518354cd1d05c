/* SPDX-License-Identifier: MIT */
/* err.c - see err.h. Messages are truncated, never overflowed. */
#include <stdio.h>
#include <string.h>

#include "core/err.h"

static const char *const names[CCCD_ECODE_MAX] = {
	[CCCD_OK] = "ok",          [CCCD_EINVAL] = "invalid argument",
	[CCCD_EFORMAT] = "format",  [CCCD_ECHECK] = "check failed",
	[CCCD_ERANGE] = "range",    [CCCD_ENOSPC] = "buffer too small",
	[CCCD_ENOMEM] = "no memory", [CCCD_EIO] = "i/o",
	[CCCD_ETIMEOUT] = "timeout", [CCCD_ENOTSUP] = "not supported",
	[CCCD_ENOCARD] = "no card",  [CCCD_EAUTH] = "access denied",
	[CCCD_ESW] = "status word",  [CCCD_ECONFIG] = "config",
	[CCCD_ENOENT] = "not found", [CCCD_ESTATE] = "bad state",
};

int cccd_err_vset(struct cccd_err *err, int code, const char *where, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	snprintf(err->where, sizeof(err->where), "%s", where ? where : "");
	if (fmt)
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	else
		err->msg[0] = '\0';
	return code;
}

int cccd_err_set(struct cccd_err *err, int code, const char *where, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cccd_err_vset(err, code, where, fmt, ap);
	va_end(ap);
	return code;
}

void cccd_err_clear(struct cccd_err *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

const char *cccd_strerror(int code)
{
	if (code < 0)
		code = -code;
	if (code >= CCCD_ECODE_MAX)
		return "unknown error";
	return names[code];
}

const char *cccd_err_str(const struct cccd_err *err, char *buf, size_t len)
{
	if (!err) {
		snprintf(buf, len, "unknown error");
		return buf;
	}
	const char *msg = err->msg[0] ? err->msg : cccd_strerror(err->code);
	if (err->where[0])
		snprintf(buf, len, "%s: %s", err->where, msg);
	else
		snprintf(buf, len, "%s", msg);
	return buf;
}
