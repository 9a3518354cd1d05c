/* SPDX-License-Identifier: MIT */
/* test_out_config.c - [profile.*] and [output.*]: values, file:line errors, key tables, docs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "out/out_config.h"

static struct out_config cfg; /* 40 KB: off the stack */

static const char *load(const char *ini)
{
	static char s[300];
	struct cccd_err e = {0};

	if (out_config_load_string(ini, "gateway.ini", &cfg, &e) == 0)
		return "ok";
	return cccd_err_str(&e, s, sizeof(s));
}

static void full_example(void **state)
{
	const char *ini =
	    "[reader]\nuri = sim:x\n"
	    "[profile.front]\nbase = hotel\nstrategy = telex\ncondition = suspect\n"
	    "[output.desk]\ntype = keyboard\nprofile = front\nuri = gadget:/dev/hidg0\n"
	    "key_delay_ms = 2\n"
	    "[output.lcd]\ntype = serial\nuri = /dev/ttyGS0\nbaud = 115200\n"
	    "framing = 7E1\nflow = rtscts\nformat = json\n"
	    "[output.plc]\ntype = modbus\nuri = tcp:0.0.0.0:1502\nunit_id = 7\n"
	    "[output.gate]\ntype = relay\nuri = rtu:/dev/ttyUSB0\nbaud = 9600\n"
	    "coil = 3\npulse_ms = 800\n";
	const struct out_profile *p;

	(void)state;
	assert_string_equal(load(ini), "ok");
	assert_int_equal(cfg.noutputs, 4);
	assert_int_equal(cfg.nprofiles, 2); /* front + the built-in clinic the serial one uses */
	p = out_config_profile(&cfg, "front");
	assert_non_null(p);
	assert_int_equal(p->kbd.strategy, KBD_TELEX);
	assert_int_equal(p->when, OUT_IF_SUSPECT);
	assert_non_null(out_config_profile(&cfg, "clinic"));
	assert_int_equal(cfg.outputs[0].kind, OUT_KEYBOARD);
	assert_int_equal(cfg.outputs[0].key_delay_ms, 2);
	assert_int_equal(cfg.outputs[0].uri_line, 10);
	assert_int_equal(cfg.outputs[1].line.baud, 115200);
	assert_int_equal(cfg.outputs[1].line.data_bits, 7);
	assert_int_equal(cfg.outputs[1].line.parity, 'E');
	assert_int_equal(cfg.outputs[1].line.flow, OUT_FLOW_RTSCTS);
	assert_int_equal(cfg.outputs[1].format, OUT_FMT_JSON);
	assert_int_equal(cfg.outputs[2].unit_id, 7);
	assert_int_equal(cfg.outputs[3].coil, 3);
	assert_int_equal(cfg.outputs[3].pulse_ms, 800);
	assert_string_equal(out_kind_name(cfg.outputs[3].kind), "relay");
}

static void errors_have_file_and_line(void **state)
{
	static const struct {
		const char *ini, *err;
	} bad[] = {
	    {"[output.lcd]\ntype = serial\nuri = /dev/ttyS0\nbaud = 115201\n",
	     "gateway.ini:4: [output.lcd] baud: \"115201\" is not a termios rate (e.g. 9600, "
	     "115200)"},
	    {"[output.lcd]\ntype = serial\nframing = 9N1\n",
	     "gateway.ini:3: [output.lcd] framing: expected data bits 5-8, parity N/E/O, stop "
	     "bits 1-2 (e.g. 8N1, 7E1), got \"9N1\""},
	    {"[output.d]\nuri = gadget:/dev/hidg0\n",
	     "gateway.ini:2: [output.d] uri: set type first"},
	    {"[output.d]\ntype = printer\n",
	     "gateway.ini:2: [output.d] type: expected keyboard, serial, modbus or relay, got "
	     "\"printer\""},
	    {"[output.d]\ntype = keyboard\nbaud = 9600\n",
	     "gateway.ini:3: key 'baud' does not apply to a keyboard output"},
	    {"[output.d]\ntype = keyboard\ncolor = red\n",
	     "gateway.ini:3: unknown key 'color' in [output.d]"},
	    {"[output.d]\ntype = keyboard\nkey_delay_ms = 5000\n",
	     "gateway.ini:3: [output.d] key_delay_ms: expected 0..1000, got \"5000\""},
	    {"[profile.p]\ntemplate = {document.number}\\t{person.nmae}\n",
	     "gateway.ini:2: [profile.p] template: col 21: unknown field 'person.nmae'"},
	    {"[profile.p]\nstrategy = unikey\n",
	     "gateway.ini:2: [profile.p] strategy: expected ascii, unicode-windows, "
	     "unicode-linux, telex or vni, got \"unikey\""},
	    {"[profile.p]\nfont = 12\n", "gateway.ini:2: unknown key 'font' in [profile.p]"},
	    /* found after parsing: the line of the key, or of the section */
	    {"[output.d]\ntype = keyboard\nuri = usb:/dev/hidg0\n",
	     "gateway.ini:3: [output.d] uri: no key sink for \"usb:/dev/hidg0\" (gadget:, file:)"},
	    {"[output.d]\ntype = keyboard\n", "gateway.ini:1: [output.d] uri: missing"},
	    {"[output.d]\ntype = keyboard\nuri = file:/tmp/x\nprofile = bank\n",
	     "gateway.ini:4: [output.d] profile: no [profile.bank] and no such built-in"},
	    {"\n[output.g]\ntype = relay\nuri = tcp:host\n",
	     "gateway.ini:4: [output.g] uri: expected tcp:HOST:PORT or rtu:/dev/TTY, got "
	     "\"tcp:host\""},
	    {"[profile.mine]\nstrategy = vni\n",
	     "gateway.ini:1: [profile.mine]: no template or fields"},
	    {"[output.s]\ntype = serial\nuri = ttyS0\n",
	     "gateway.ini:3: [output.s] uri: expected a tty path, got \"ttyS0\""},
	    {"[output.s]\ntype = serial\nuri = /dev/ttyS0\n[output.x\n",
	     "gateway.ini:4: syntax error (expected [section] or key = value)"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_string_equal(load(bad[i].ini), bad[i].err);
}

static void other_sections_are_not_ours(void **state)
{
	(void)state;
	assert_string_equal(load("[reader]\nnonsense = 1\n[log]\nlevel = x\n"), "ok");
	assert_int_equal(cfg.noutputs, 0);
	assert_true(out_config_owns_section("output.desk"));
	assert_true(out_config_owns_section("profile.x"));
	assert_false(out_config_owns_section("outputs"));
	assert_false(out_config_owns_section("serial"));
}

static void limits(void **state)
{
	char ini[4096] = "";

	(void)state;
	for (int i = 0; i <= OUT_MAX_OUTPUTS; i++) {
		char s[128];

		snprintf(s, sizeof(s), "[output.o%d]\ntype = keyboard\nuri = file:/tmp/x\n", i);
		strcat(ini, s);
	}
	assert_string_equal(load(ini), "gateway.ini:26: [output.o8]: too many outputs or bad name");
	assert_string_equal(load("[output.a2345678901234567890123456789012]\ntype = serial\n"),
			    "gateway.ini:2: [output.a2345678901234567890123456789012]: too many "
			    "outputs or bad name");
}

static void file_loading(void **state)
{
	struct cccd_err e = {0};
	char path[] = "/tmp/test_out_config_XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	(void)state;
	fputs("[output.k]\ntype = keyboard\nuri = file:/tmp/k\nprofile = hotel\n", f);
	fclose(f);
	assert_int_equal(out_config_load_file(path, &cfg, &e), 0);
	assert_non_null(out_config_profile(&cfg, "hotel"));
	unlink(path);
	assert_int_equal(out_config_load_file(path, &cfg, &e), -CCCD_EIO);
	assert_string_equal(e.where, path + 5);
}

static void key_table_sorted_and_documented(void **state)
{
	size_t n, np;
	const char *const *k = out_config_output_keys(&n);
	const char *const *pk = out_profile_keys(&np);
	FILE *f = fopen("docs/outputs.md", "r");
	static char doc[65536];
	size_t len;

	(void)state;
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(k[i - 1], k[i]) < 0);
	assert_non_null(f);
	len = fread(doc, 1, sizeof(doc) - 1, f);
	fclose(f);
	doc[len] = '\0';
	for (size_t i = 0; i < n + np; i++) {
		char head[64];

		snprintf(head, sizeof(head), "### [%s.*] %s", i < n ? "output" : "profile",
			 i < n ? k[i] : pk[i - n]);
		if (!strstr(doc, head))
			fail_msg("docs/outputs.md lacks \"%s\"", head);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(full_example),
	    cmocka_unit_test(errors_have_file_and_line),
	    cmocka_unit_test(other_sections_are_not_ours),
	    cmocka_unit_test(limits),
	    cmocka_unit_test(file_loading),
	    cmocka_unit_test(key_table_sorted_and_documented),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
