/* SPDX-License-Identifier: MIT */
/*
 * request.h - one request line of the local API (docs/api.md) into a typed struct.
 *
 * A request is one JSON object per line with a "cmd" member, gpsd style:
 *   {"cmd":"watch","enable":true}   {"cmd":"status"}   {"cmd":"devices"}
 *   {"cmd":"read","key":{"can":"123456"}}   {"cmd":"config","key":"log.level","value":"debug"}
 *   {"cmd":"auth","token":"..."}   (first line on TCP only)
 * Members this version does not know are ignored, so newer clients can talk to older daemons.
 */
#ifndef CCCD_API_REQUEST_H
#define CCCD_API_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define API_MRZ_MAX	  134 /* three TD1 lines of 30 or two TD3 lines of 44, with '\n' between */
#define API_CAN_LEN	  6
#define API_DOCNO_MAX	  9
#define API_TOKEN_MAX	  255
#define API_CFG_NAME_MAX  63
#define API_CFG_VALUE_MAX 255

enum api_cmd {
	API_CMD_AUTH,
	API_CMD_CONFIG,
	API_CMD_DEVICES,
	API_CMD_READ,
	API_CMD_STATUS,
	API_CMD_WATCH,
};

enum api_key_kind { API_KEY_NONE, API_KEY_MRZ, API_KEY_CAN, API_KEY_BAC };

/* An access key typed by an operator or sent by an application. Secret: never logged. */
struct api_key {
	enum api_key_kind kind;
	char mrz[API_MRZ_MAX + 1];	    /* API_KEY_MRZ: [A-Z0-9<] lines joined by '\n' */
	char can[API_CAN_LEN + 1];	    /* API_KEY_CAN: six digits */
	char doc_number[API_DOCNO_MAX + 1]; /* API_KEY_BAC: [A-Z0-9<]{1,9} */
	char birth[7];			    /* API_KEY_BAC: YYMMDD */
	char expiry[7];			    /* API_KEY_BAC: YYMMDD */
	bool photo;			    /* read: also read the portrait (DG2, a PHOTO event) */
};

struct api_request {
	enum api_cmd cmd;
	bool enable;			   /* watch: true unless "enable":false */
	struct api_key key;		   /* read */
	char name[API_CFG_NAME_MAX + 1];   /* config: "section.key", empty = all keys */
	bool has_value;			   /* config: a set, not a get */
	char value[API_CFG_VALUE_MAX + 1]; /* config: the new value as text */
	char token[API_TOKEN_MAX + 1];	   /* auth */
};

/* Parse one request line (without its newline) into req (zeroed first). 0, or -CCCD_EFORMAT with
 * what and where in err->msg: "invalid JSON at byte 12", "unknown cmd 'foo'", "read: key.can:
 * expected 6 digits". Never reads past len; buf need not be NUL-terminated. */
int api_request_parse(const uint8_t *buf, size_t len, struct api_request *req,
		      struct cccd_err *err);

/* Write req as its canonical request line (no newline, NUL-terminated) into out.
 * 0, -CCCD_ENOSPC or -CCCD_ENOMEM. api_request_parse() of the result gives req back. */
int api_request_format(const struct api_request *req, char *out, size_t outlen);

/* The name of a command as it appears in "cmd" ("watch"...). */
const char *api_cmd_name(enum api_cmd cmd);

#endif
