/* SPDX-License-Identifier: MIT */
/*
 * fuzz_api_request.c - libFuzzer target for api_request_parse (daemon/api/request.c).
 * Invariants: on failure the request is all zero and the message is non-empty; on success the
 * strings are NUL-terminated within their fields, a key kind matches its filled fields, and
 * format → parse gives the same request back, whose format is the same line (a fixed point).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/request.h"

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

static void check_fields(const struct api_request *r)
{
	CHECK(memchr(r->name, 0, sizeof(r->name)) && memchr(r->value, 0, sizeof(r->value)));
	CHECK(memchr(r->token, 0, sizeof(r->token)) && memchr(r->key.mrz, 0, sizeof(r->key.mrz)));
	CHECK(r->cmd <= API_CMD_WATCH && r->key.kind <= API_KEY_BAC);
	if (r->key.kind == API_KEY_CAN)
		CHECK(strlen(r->key.can) == API_CAN_LEN);
	if (r->key.kind == API_KEY_BAC)
		CHECK(strlen(r->key.birth) == 6 && strlen(r->key.expiry) == 6 &&
		      r->key.doc_number[0]);
	if (r->has_value)
		CHECK(r->name[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct api_request zero;
	struct api_request r, back;
	struct cccd_err err = {0};
	char line[2048], again[2048];

	if (api_request_parse(data, size, &r, &err)) {
		CHECK(err.msg[0] && !memcmp(&r, &zero, sizeof(r)));
		return 0;
	}
	check_fields(&r);
	CHECK(api_request_format(&r, line, sizeof(line)) == 0);
	CHECK(api_request_parse((const uint8_t *)line, strlen(line), &back, NULL) == 0);
	CHECK(!memcmp(&r, &back, sizeof(r)));
	CHECK(api_request_format(&back, again, sizeof(again)) == 0 && !strcmp(line, again));
	return 0;
}
