/* SPDX-License-Identifier: MIT */
/*
 * out_config.h - the [profile.NAME] and [output.NAME] sections of gateway.ini.
 *
 * These sections are named and repeatable (two keyboards, a serial display and a gate relay on
 * one box), which the fixed key table of core/config.c cannot express; so they have their own
 * loader with the same habits: sorted key tables searched with bsearch, the first error only,
 * reported as `gateway.ini:14: [output.desk] baud: "115201" is not a termios rate (...)`.
 * core/config.c must skip sections for which out_config_owns_section() is true.
 *
 *   [profile.front]            [output.desk]
 *   base = hotel               type = keyboard
 *   strategy = telex           profile = front
 *                              uri = gadget:/dev/hidg0
 */
#ifndef CCCD_OUT_CONFIG_H
#define CCCD_OUT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "out/line.h"
#include "out/profile.h"

#define OUT_MAX_PROFILES 8
#define OUT_MAX_OUTPUTS	 8
#define OUT_URI_MAX	 256

enum out_kind { OUT_NONE, OUT_KEYBOARD, OUT_SERIAL, OUT_MODBUS, OUT_RELAY };
enum out_format { OUT_FMT_TEMPLATE, OUT_FMT_JSON };

struct out_output {
	char name[OUT_NAME_MAX];
	enum out_kind kind;
	char profile[OUT_NAME_MAX]; /* keyboard, serial; default "clinic" */
	char uri[OUT_URI_MAX];	    /* key sink, tty path, tcp:HOST:PORT or rtu:TTY */
	int key_delay_ms;	    /* keyboard: pause after each report, 0..1000 */
	int timeout_ms;		    /* write or response deadline, 10..60000 */
	struct out_line line;	    /* serial, and Modbus RTU */
	enum out_format format;	    /* serial */
	int unit_id;		    /* modbus server / relay slave, 1..247 */
	int coil;		    /* relay coil address, 0..65535 */
	int pulse_ms;		    /* relay on-time, 10..60000 */
	int uri_line;		    /* line of uri, for "gateway.ini:N:" when the device fails */
};

struct out_config {
	struct out_profile profiles[OUT_MAX_PROFILES]; /* configured + built-ins in use */
	size_t nprofiles;
	struct out_output outputs[OUT_MAX_OUTPUTS];
	size_t noutputs;
};

/* True for "profile.*" and "output.*". */
bool out_config_owns_section(const char *section);

/* Parse the output sections of an INI text (other sections are ignored); name stands for the
 * file in errors. On success every output names a profile present in c->profiles. */
int out_config_load_string(const char *text, const char *name, struct out_config *c,
			   struct cccd_err *err);
int out_config_load_file(const char *path, struct out_config *c, struct cccd_err *err);

/* The profile called name in c, or NULL. */
const struct out_profile *out_config_profile(const struct out_config *c, const char *name);

/* The [output.*] keys, sorted; *n gets their count. */
const char *const *out_config_output_keys(size_t *n);

const char *out_kind_name(enum out_kind k);

#endif
