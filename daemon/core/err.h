/* SPDX-License-Identifier: MIT */
/*
 * err.h - the one error type of cccd-gateway.
 *
 * Every function that can fail returns 0 or a negative CCCD_E* code and, when the caller passes a
 * struct cccd_err, fills it with the code, the module that failed and a human-readable reason that
 * says what and where ("line 2 col 14: check digit 7, computed 3"). Reasons never carry unmasked
 * personal data. `err` may be NULL everywhere.
 */
#ifndef CCCD_CORE_ERR_H
#define CCCD_CORE_ERR_H

#include <stdarg.h>

enum cccd_errcode {
	CCCD_OK = 0,
	CCCD_EINVAL,   /* bad argument from the caller (a bug, not bad input) */
	CCCD_EFORMAT,  /* malformed outside input: syntax, length, encoding */
	CCCD_ECHECK,   /* well-formed but a check failed: check digit, CRC, MAC, hash, signature */
	CCCD_ERANGE,   /* value out of its allowed range */
	CCCD_ENOSPC,   /* caller's buffer too small */
	CCCD_ENOMEM,   /* allocation failed */
	CCCD_EIO,      /* device or file I/O failed */
	CCCD_ETIMEOUT, /* a deadline passed */
	CCCD_ENOTSUP,  /* not supported by this device, build or card */
	CCCD_ENOCARD,  /* no card, or the card went away */
	CCCD_EAUTH,    /* access control refused (wrong key, security status not satisfied) */
	CCCD_ESW,      /* unexpected ISO 7816 status word */
	CCCD_ECONFIG,  /* configuration rejected */
	CCCD_ENOENT,   /* no such file, record or field */
	CCCD_ESTATE,   /* operation not valid in the current state */
	CCCD_ECODE_MAX
};

struct cccd_err {
	int code;       /* -CCCD_E*, 0 when no error */
	char where[24]; /* module or file that failed, e.g. "mrz", "gateway.ini:12" */
	char msg[160];  /* what went wrong and where in the input */
};

/* Fill err (if not NULL) and return code, so `return cccd_err_set(err, -CCCD_EFORMAT, "mrz", ...)`
 * is one line. code must be negative. */
int cccd_err_set(struct cccd_err *err, int code, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* As cccd_err_set with a va_list. */
int cccd_err_vset(struct cccd_err *err, int code, const char *where, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

/* Reset err to "no error". */
void cccd_err_clear(struct cccd_err *err);

/* Short name of a code ("format", "check", ...), accepting positive or negative codes. */
const char *cccd_strerror(int code);

/* Format "where: msg" (or the code's name when msg is empty) into buf; returns buf. */
const char *cccd_err_str(const struct cccd_err *err, char *buf, size_t len);

#endif
