/* SPDX-License-Identifier: MIT */
/* test_request.c - request lines of docs/api.md: each command, each key kind, their limits, and
 * the error texts (what and where) for what is rejected; format → parse gives the request back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "api/request.h"

static int parse(const char *s, struct api_request *r, struct cccd_err *e)
{
	return api_request_parse((const uint8_t *)s, strlen(s), r, e);
}

/* parse(s) must fail with exactly msg. */
static void rejects(const char *s, const char *msg)
{
	struct api_request r;
	struct cccd_err e = {0};

	assert_int_equal(parse(s, &r, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, msg);
}

static void roundtrip(const struct api_request *r)
{
	char line[1024];
	struct api_request back;

	assert_int_equal(api_request_format(r, line, sizeof(line)), 0);
	assert_int_equal(parse(line, &back, NULL), 0);
	assert_memory_equal(r, &back, sizeof(back));
}

static void each_command(void **state)
{
	struct api_request r;

	(void)state;
	assert_int_equal(parse("{\"cmd\":\"watch\",\"enable\":true}", &r, NULL), 0);
	assert_int_equal(r.cmd, API_CMD_WATCH);
	assert_true(r.enable);
	roundtrip(&r);
	assert_int_equal(parse("{\"cmd\":\"watch\"}", &r, NULL), 0); /* enable defaults to true */
	assert_true(r.enable);
	assert_int_equal(parse(" {\"cmd\":\"watch\",\"enable\":false}\t\r", &r, NULL), 0);
	assert_false(r.enable);
	roundtrip(&r);
	assert_int_equal(parse("{\"cmd\":\"status\",\"future\":[1,{}]}", &r, NULL), 0);
	assert_int_equal(r.cmd, API_CMD_STATUS); /* unknown members are ignored */
	roundtrip(&r);
	assert_int_equal(parse("{\"cmd\":\"devices\"}", &r, NULL), 0);
	assert_int_equal(r.cmd, API_CMD_DEVICES);
	assert_int_equal(parse("{\"cmd\":\"read\"}", &r, NULL), 0);
	assert_int_equal(r.key.kind, API_KEY_NONE);
	roundtrip(&r);
	assert_int_equal(parse("{\"cmd\":\"auth\",\"token\":\"s3cret-token-0123\"}", &r, NULL), 0);
	assert_string_equal(r.token, "s3cret-token-0123");
	roundtrip(&r);
}

/* BAC key = document number, birth date, expiry date (ICAO 9303-11 §9.7.1 key seed inputs). */
static void read_keys(void **state)
{
	struct api_request r;

	(void)state;
	assert_int_equal(
	    parse("{\"cmd\":\"read\",\"key\":{\"bac\":\"200012345,000201,400201\"}}", &r, NULL), 0);
	assert_int_equal(r.key.kind, API_KEY_BAC);
	assert_string_equal(r.key.doc_number, "200012345");
	assert_string_equal(r.key.birth, "000201");
	assert_string_equal(r.key.expiry, "400201");
	roundtrip(&r);
	/* a short document number: the key fields hold nothing after the NUL (fuzz find) */
	assert_int_equal(
	    parse("{\"cmd\":\"read\",\"key\":{\"bac\":\"20005,000201,400201\"}}", &r, NULL), 0);
	assert_string_equal(r.key.doc_number, "20005");
	for (size_t i = 5; i < sizeof(r.key.doc_number); i++)
		assert_int_equal(r.key.doc_number[i], 0);
	roundtrip(&r);
	assert_int_equal(parse("{\"cmd\":\"read\",\"key\":{\"can\":\"012345\"}}", &r, NULL), 0);
	assert_int_equal(r.key.kind, API_KEY_CAN);
	assert_string_equal(r.key.can, "012345");
	roundtrip(&r);
	assert_int_equal(
	    parse("{\"cmd\":\"read\",\"key\":{\"mrz\":\"IDVNM2000123451001200012345<<4\\n"
		  "0002014M4002014VNM<<<<<<<<<<<8\\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<\"}}",
		  &r, NULL),
	    0);
	assert_int_equal(r.key.kind, API_KEY_MRZ);
	assert_int_equal(strlen(r.key.mrz), 92);
	roundtrip(&r);
	/* "photo":true asks for DG2 after the RESULT (docs/pipeline.md), with or without a key */
	assert_int_equal(
	    parse("{\"cmd\":\"read\",\"key\":{\"can\":\"012345\"},\"photo\":true}", &r, NULL), 0);
	assert_true(r.key.photo);
	assert_int_equal(r.key.kind, API_KEY_CAN);
	roundtrip(&r);
	assert_int_equal(parse("{\"cmd\":\"read\",\"photo\":false}", &r, NULL), 0);
	assert_false(r.key.photo);
	roundtrip(&r);
	rejects("{\"cmd\":\"read\",\"photo\":1}", "read: photo: expected true or false");
}

static void read_key_errors(void **state)
{
	char mrz[200];

	(void)state;
	rejects("{\"cmd\":\"read\",\"key\":{\"can\":\"12345\"}}",
		"read: key.can: expected 6 digits");
	rejects("{\"cmd\":\"read\",\"key\":{\"can\":\"1234567\"}}",
		"read: key.can: expected 6 digits");
	rejects("{\"cmd\":\"read\",\"key\":{\"can\":123456}}", "read: key.can: expected a string");
	rejects("{\"cmd\":\"read\",\"key\":{\"bac\":\"200012345,000201\"}}",
		"read: key.bac: expected DOCNO,YYMMDD,YYMMDD");
	rejects("{\"cmd\":\"read\",\"key\":{\"bac\":\"2000123456,000201,400201\"}}",
		"read: key.bac: expected DOCNO,YYMMDD,YYMMDD");
	rejects("{\"cmd\":\"read\",\"key\":{\"bac\":\"20001234a,000201,400201\"}}",
		"read: key.bac: document number: expected 1..9 of A-Z 0-9 <");
	rejects("{\"cmd\":\"read\",\"key\":{\"bac\":\"200012345,00020X,400201\"}}",
		"read: key.bac: dates: expected YYMMDD");
	rejects("{\"cmd\":\"read\",\"key\":{\"bac\":\"200012345,000201,400201,\"}}",
		"read: key.bac: expected DOCNO,YYMMDD,YYMMDD");
	rejects("{\"cmd\":\"read\",\"key\":{\"pin\":\"1234\"}}",
		"read: key: unknown kind 'pin' (expected mrz, can or bac)");
	rejects("{\"cmd\":\"read\",\"key\":{\"can\":\"123456\",\"mrz\":\"X\"}}",
		"read: key: expected an object with one of mrz, can, bac");
	rejects("{\"cmd\":\"read\",\"key\":\"123456\"}",
		"read: key: expected an object with one of mrz, can, bac");
	rejects("{\"cmd\":\"read\",\"key\":{\"mrz\":\"idvnm\"}}",
		"read: key.mrz: expected 1..134 of A-Z 0-9 < and newlines");
	memset(mrz, 'A', sizeof(mrz));
	snprintf(mrz, sizeof(mrz), "{\"cmd\":\"read\",\"key\":{\"mrz\":\"%0135d\"}}", 0);
	rejects(mrz, "read: key.mrz: expected 1..134 of A-Z 0-9 < and newlines");
	snprintf(mrz, sizeof(mrz), "{\"cmd\":\"read\",\"key\":{\"mrz\":\"%0134d\"}}", 0);
	struct api_request r;
	assert_int_equal(parse(mrz, &r, NULL), 0); /* 134 is the limit itself */
}

static void config_requests(void **state)
{
	struct api_request r;

	(void)state;
	assert_int_equal(parse("{\"cmd\":\"config\"}", &r, NULL), 0);
	assert_string_equal(r.name, "");
	assert_false(r.has_value);
	roundtrip(&r);
	assert_int_equal(parse("{\"cmd\":\"config\",\"key\":\"log.level\"}", &r, NULL), 0);
	assert_string_equal(r.name, "log.level");
	roundtrip(&r);
	assert_int_equal(
	    parse("{\"cmd\":\"config\",\"key\":\"reader.timeout_ms\",\"value\":5000}", &r, NULL),
	    0);
	assert_true(r.has_value);
	assert_string_equal(r.value, "5000");
	roundtrip(&r);
	assert_int_equal(
	    parse("{\"cmd\":\"config\",\"key\":\"log.debug_pii\",\"value\":false}", &r, NULL), 0);
	assert_string_equal(r.value, "false");
	rejects("{\"cmd\":\"config\",\"value\":1}", "config: value without key");
	rejects("{\"cmd\":\"config\",\"key\":\"level\"}",
		"config: key: expected \"section.key\" such as \"log.level\"");
	rejects("{\"cmd\":\"config\",\"key\":\"Log.Level\"}",
		"config: key: expected \"section.key\" such as \"log.level\"");
	rejects("{\"cmd\":\"config\",\"key\":\"log.level\",\"value\":1.5}",
		"config: value: expected a string, an integer or a boolean");
	/* fuzz find: a number past long long range must be rejected before any cast */
	rejects("{\"cmd\":\"config\",\"key\":\"re.to\",\"value\":4444444444444444444444444444}",
		"config: value: expected a string, an integer or a boolean");
	rejects("{\"cmd\":\"config\",\"key\":\"log.level\",\"value\":null}",
		"config: value: expected a string, an integer or a boolean");
}

static void line_errors_say_where(void **state)
{
	char nul[] = "{\"cmd\":\"status\"}";
	struct api_request r;
	struct cccd_err e = {0};

	(void)state;
	rejects("{\"cmd\":\"foo\"}", "unknown cmd 'foo'");
	rejects("{\"cmd\":\"it's\\n\"}", "unknown cmd 'it?s?'");
	rejects("{\"cmd\":1}", "\"cmd\" is not a string");
	rejects("{\"command\":\"status\"}", "missing \"cmd\"");
	rejects("[\"status\"]", "expected a JSON object {\"cmd\":...}");
	rejects("{\"cmd\":\"status\"} x", "invalid JSON at byte 17 (after the object)");
	rejects("{\"cmd\" \"status\"}", "invalid JSON at byte 7"); /* the second quote */
	rejects("{\"cmd\":\"status\"", "invalid JSON: line ends at byte 15 inside a value");
	rejects("{\"cmd\":\"watch\",\"enable\":1}", "watch: enable: expected true or false");
	rejects("{\"cmd\":\"auth\"}", "auth: token: expected a string of at most 255 bytes");
	rejects("", "empty line");
	/* bytes, not C strings: a NUL inside the line and bad UTF-8 are caught with their offset */
	nul[3] = '\0';
	assert_int_equal(api_request_parse((const uint8_t *)nul, sizeof(nul) - 1, &r, &e),
			 -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "3"));
	assert_int_equal(api_request_parse((const uint8_t *)"{\"cmd\":\"\xc3\x28\"}", 12, &r, &e),
			 -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "8"));
	/* the parser stops at len: the same bytes with a longer tail are not looked at */
	assert_int_equal(
	    api_request_parse((const uint8_t *)"{\"cmd\":\"devices\"}garbage", 17, &r, NULL), 0);
	assert_int_equal(r.cmd, API_CMD_DEVICES);
}

static void format_limits(void **state)
{
	struct api_request r;
	char small[8];

	(void)state;
	assert_int_equal(parse("{\"cmd\":\"status\"}", &r, NULL), 0);
	assert_int_equal(api_request_format(&r, small, sizeof(small)), -CCCD_ENOSPC);
	assert_string_equal(api_cmd_name(API_CMD_CONFIG), "config");
	assert_string_equal(api_cmd_name((enum api_cmd)99), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(each_command),	     cmocka_unit_test(read_keys),
	    cmocka_unit_test(read_key_errors),	     cmocka_unit_test(config_requests),
	    cmocka_unit_test(line_errors_say_where), cmocka_unit_test(format_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
