/* SPDX-License-Identifier: MIT */
/* test_config.c - gateway.ini loading: types, ranges, file:line errors, key table hygiene. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/config.h"

static void defaults_are_in_range(void **state)
{
	struct cccd_config c;

	(void)state;
	cccd_config_defaults(&c);
	assert_int_equal(c.reader.timeout_ms, 3000);
	assert_string_equal(c.reader.uri, "pcsc:");
	assert_string_equal(c.api.socket, "/run/cccd-gateway/api.sock");
	assert_int_equal(c.log.level, CCCD_LOG_INFO);
	assert_false(c.log.debug_pii);
	/* every default must itself pass the key's own check */
	size_t n;
	const struct cccd_cfg_key *k = cccd_config_keys(&n);
	for (size_t i = 0; i < n; i++) {
		char sec[32], key[64];
		const char *dot = strchr(k[i].name, '.');
		snprintf(sec, sizeof(sec), "%.*s", (int)(dot - k[i].name), k[i].name);
		snprintf(key, sizeof(key), "%s", dot + 1);
		assert_int_equal(cccd_config_set(&c, sec, key, k[i].def, NULL), 0);
	}
}

static void loads_typed_values(void **state)
{
	struct cccd_config c;
	struct cccd_err e = { 0 };
	const char *ini = "; clinic box\n"
			  "[reader]\n"
			  "uri = libnfc:pn532_uart:/dev/ttyS0\n"
			  "timeout_ms = 5000\n"
			  "[log]\n"
			  "level = debug\n"
			  "debug_pii = yes\n";

	(void)state;
	cccd_config_defaults(&c);
	assert_int_equal(cccd_config_load_string(ini, "gateway.ini", &c, &e), 0);
	assert_string_equal(c.reader.uri, "libnfc:pn532_uart:/dev/ttyS0");
	assert_int_equal(c.reader.timeout_ms, 5000);
	assert_int_equal(c.log.level, CCCD_LOG_DEBUG);
	assert_true(c.log.debug_pii);
	assert_int_equal(c.reader.poll_ms, 100); /* untouched keys keep defaults */
}

static void range_error_names_file_line_section_key(void **state)
{
	struct cccd_config c;
	struct cccd_err e = { 0 };
	char s[256];

	(void)state;
	cccd_config_defaults(&c);
	assert_int_equal(cccd_config_load_string("[reader]\nuri = sim:x\n\n\n\n\n\n\n\n\n\n"
						 "timeout_ms = abc\n",
						 "gateway.ini", &c, &e),
			 -CCCD_ECONFIG);
	assert_string_equal(cccd_err_str(&e, s, sizeof(s)),
			    "gateway.ini:12: [reader] timeout_ms: expected 10..60000, got \"abc\"");
	assert_int_equal(cccd_config_load_string("[reader]\ntimeout_ms = 9\n", "g.ini", &c, &e),
			 -CCCD_ECONFIG);
	assert_string_equal(e.where, "g.ini:2");
	assert_int_equal(cccd_config_load_string("[reader]\ntimeout_ms = 60001\n", "g.ini", &c, &e),
			 -CCCD_ECONFIG);
	assert_int_equal(cccd_config_load_string("[reader]\ntimeout_ms = 12x\n", "g.ini", &c, &e),
			 -CCCD_ECONFIG);
	assert_int_equal(cccd_config_load_string("[reader]\ntimeout_ms = 99999999999999999999\n",
						 "g.ini", &c, &e),
			 -CCCD_ECONFIG);
}

static void unknown_key_and_section(void **state)
{
	struct cccd_config c;
	struct cccd_err e = { 0 };
	char s[256];

	(void)state;
	cccd_config_defaults(&c);
	assert_int_equal(cccd_config_load_string("[reader]\nbaud = 9600\n", "gateway.ini", &c, &e),
			 -CCCD_ECONFIG);
	assert_string_equal(cccd_err_str(&e, s, sizeof(s)),
			    "gateway.ini:2: unknown key 'baud' in [reader]");
	assert_int_equal(cccd_config_load_string("[nope]\nx = 1\n", "gateway.ini", &c, &e),
			 -CCCD_ECONFIG);
	assert_string_equal(cccd_err_str(&e, s, sizeof(s)), "gateway.ini:2: unknown section [nope]");
	assert_int_equal(cccd_config_load_string("x = 1\n", "gateway.ini", &c, &e), -CCCD_ECONFIG);
	assert_non_null(strstr(e.msg, "outside any [section]"));
	assert_int_equal(cccd_config_load_string("[reader\n", "gateway.ini", &c, &e), -CCCD_ECONFIG);
	assert_non_null(strstr(e.msg, "syntax error"));
	assert_int_equal(cccd_config_load_string("[log]\nlevel = loud\n", "gateway.ini", &c, &e),
			 -CCCD_ECONFIG);
	assert_int_equal(cccd_config_load_string("[log]\ndebug_pii = maybe\n", "gateway.ini", &c, &e),
			 -CCCD_ECONFIG);
}

static void output_sections_are_left_to_their_parser(void **state)
{
	struct cccd_config c;
	struct cccd_err e = { 0 };

	(void)state;
	cccd_config_defaults(&c);
	assert_int_equal(cccd_config_load_string("[profile.clinic]\ntemplate = x\n"
						 "[output.lcd]\nbaud = 9600\n[reader]\npoll_ms = 50\n",
						 "g.ini", &c, &e),
			 0);
	assert_int_equal(c.reader.poll_ms, 50);
	/* only named sections are delegated: a bare prefix is still unknown */
	assert_int_equal(cccd_config_load_string("[output.]\nx = 1\n", "g.ini", &c, &e),
			 -CCCD_ECONFIG);
	assert_int_equal(cccd_config_load_string("[outputs]\nx = 1\n", "g.ini", &c, &e),
			 -CCCD_ECONFIG);
}

static void first_error_is_reported(void **state)
{
	struct cccd_config c;
	struct cccd_err e = { 0 };

	(void)state;
	cccd_config_defaults(&c);
	assert_int_equal(cccd_config_load_string("[reader]\nbad = 1\ntimeout_ms = 0\n", "g.ini", &c,
						 &e),
			 -CCCD_ECONFIG);
	assert_string_equal(e.where, "g.ini:2");
}

static void overlong_string_rejected(void **state)
{
	struct cccd_config c;
	struct cccd_err e = { 0 };
	char ini[400];

	(void)state;
	cccd_config_defaults(&c);
	snprintf(ini, sizeof(ini), "[api]\nsocket = /%0150d\n", 0);
	assert_int_equal(cccd_config_load_string(ini, "g.ini", &c, &e), -CCCD_ECONFIG);
	assert_non_null(strstr(e.msg, "longer than 107 bytes"));
	assert_string_equal(c.api.socket, "/run/cccd-gateway/api.sock");
}

static void missing_file_is_io_error(void **state)
{
	struct cccd_config c;
	struct cccd_err e = { 0 };

	(void)state;
	cccd_config_defaults(&c);
	assert_int_equal(cccd_config_load_file("/nonexistent/gateway.ini", &c, &e), -CCCD_EIO);
	assert_string_equal(e.where, "gateway.ini");
}

static void get_and_set(void **state)
{
	struct cccd_config c;
	char v[64];

	(void)state;
	cccd_config_defaults(&c);
	assert_int_equal(cccd_config_set(&c, "reader", "poll_ms", "250", NULL), 0);
	assert_int_equal(cccd_config_get(&c, "reader", "poll_ms", v, sizeof(v)), 0);
	assert_string_equal(v, "250");
	assert_int_equal(cccd_config_get(&c, "log", "level", v, sizeof(v)), 0);
	assert_string_equal(v, "info");
	assert_int_equal(cccd_config_get(&c, "log", "debug_pii", v, sizeof(v)), 0);
	assert_string_equal(v, "false");
	assert_int_equal(cccd_config_set(&c, "reader", "nope", "1", NULL), -CCCD_ENOENT);
	assert_int_equal(cccd_config_get(&c, "reader", "nope", v, sizeof(v)), -CCCD_ENOENT);
}

/* Permission bits are written and shown in octal; 0660 is 432 decimal, not 660. */
static void octal_mode_key(void **state)
{
	struct cccd_config c;
	struct cccd_err e = { 0 };
	char v[16];

	(void)state;
	cccd_config_defaults(&c);
	assert_int_equal(c.api.socket_mode, 0660);
	assert_int_equal(cccd_config_load_string("[api]\nsocket_mode = 0640\n", "g.ini", &c, &e), 0);
	assert_int_equal(c.api.socket_mode, 0640);
	assert_int_equal(cccd_config_get(&c, "api", "socket_mode", v, sizeof(v)), 0);
	assert_string_equal(v, "0640");
	assert_int_equal(cccd_config_load_string("[api]\nsocket_mode = 0680\n", "g.ini", &c, &e),
			 -CCCD_ECONFIG);
	assert_non_null(strstr(e.msg, "expected octal 0600..0777"));
	assert_int_equal(cccd_config_load_string("[api]\nsocket_mode = 0500\n", "g.ini", &c, &e),
			 -CCCD_ECONFIG);
	assert_int_equal(c.api.socket_mode, 0640);
}

static void find_and_secret_flag(void **state)
{
	const struct cccd_cfg_key *k;

	(void)state;
	k = cccd_config_find("api.tcp_token");
	assert_non_null(k);
	assert_true(k->secret);
	assert_false(k->reloadable);
	k = cccd_config_find("log.level");
	assert_non_null(k);
	assert_false(k->secret);
	assert_true(k->reloadable);
	assert_null(cccd_config_find("log.lvl"));
	assert_null(cccd_config_find(""));
}

static void key_table_is_sorted(void **state)
{
	size_t n;
	const struct cccd_cfg_key *k = cccd_config_keys(&n);

	(void)state;
	assert_true(n > 0);
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(k[i - 1].name, k[i].name) < 0);
}

/* docs/config.md must document every key as "### [section] key" (the tests run from the top). */
static void every_key_is_documented(void **state)
{
	size_t n;
	const struct cccd_cfg_key *k = cccd_config_keys(&n);
	FILE *f = fopen("docs/config.md", "r");
	char *doc;
	long sz;

	(void)state;
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	sz = ftell(f);
	rewind(f);
	doc = calloc(1, (size_t)sz + 1);
	assert_non_null(doc);
	assert_int_equal(fread(doc, 1, (size_t)sz, f), (size_t)sz);
	fclose(f);
	for (size_t i = 0; i < n; i++) {
		char head[96];
		const char *dot = strchr(k[i].name, '.');

		snprintf(head, sizeof(head), "### [%.*s] %s", (int)(dot - k[i].name), k[i].name,
			 dot + 1);
		if (!strstr(doc, head))
			fail_msg("docs/config.md lacks \"%s\"", head);
	}
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_in_range),
		cmocka_unit_test(loads_typed_values),
		cmocka_unit_test(range_error_names_file_line_section_key),
		cmocka_unit_test(unknown_key_and_section),
		cmocka_unit_test(output_sections_are_left_to_their_parser),
		cmocka_unit_test(first_error_is_reported),
		cmocka_unit_test(overlong_string_rejected),
		cmocka_unit_test(missing_file_is_io_error),
		cmocka_unit_test(get_and_set),
		cmocka_unit_test(octal_mode_key),
		cmocka_unit_test(find_and_secret_flag),
		cmocka_unit_test(key_table_is_sorted),
		cmocka_unit_test(every_key_is_documented),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
