/* SPDX-License-Identifier: MIT */
/*
 * mbus_relay.c - pulse a relay coil on a genuine RESULT (see mbus.h): Modbus function 05 (write
 * single coil) with FF00 (on), a pause, then 0000 (off). The off write is retried three times
 * and its failure is reported as such, so a gate never stays open silently. Most 8/16-channel
 * RS-485 relay boards map relay N to coil N-1 at unit 1; gate controllers document their own.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "modbus/mbus.h"

static bool is_genuine(const cJSON *result)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(result, "checks"), "verdict");

	return cJSON_IsString(v) && v->valuestring && !strcmp(v->valuestring, "genuine");
}

#ifdef HAVE_LIBMODBUS
#include <stdio.h>
#include <stdlib.h>
#include <modbus/modbus.h>

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static modbus_t *connect_to(const char *uri, const struct out_line *l, int timeout_ms,
			    struct cccd_err *err)
{
	const char *colon = strrchr(uri, ':');
	char host[128];
	modbus_t *ctx = NULL;

	if (!strncmp(uri, "rtu:", 4))
		ctx = modbus_new_rtu(uri + 4, l->baud, l->parity, l->data_bits, l->stop_bits);
	else if (!strncmp(uri, "tcp:", 4) && colon > uri + 4 &&
		 (size_t)(colon - uri - 4) < sizeof(host)) {
		snprintf(host, sizeof(host), "%.*s", (int)(colon - uri - 4), uri + 4);
		ctx = modbus_new_tcp(host, atoi(colon + 1));
	}
	if (!ctx) {
		cccd_err_set(err, -CCCD_EINVAL, "relay",
			     "'%.60s': expected tcp:HOST:PORT or "
			     "rtu:/dev/TTY",
			     uri);
		return NULL;
	}
	modbus_set_response_timeout(ctx, (uint32_t)(timeout_ms / 1000),
				    (uint32_t)(timeout_ms % 1000) * 1000);
	if (modbus_connect(ctx)) {
		cccd_err_set(err, -CCCD_EIO, "relay", "%.60s: %s", uri, modbus_strerror(errno));
		modbus_free(ctx);
		return NULL;
	}
	return ctx;
}

int mbus_relay_pulse(const char *uri, const struct out_line *line, int unit_id, int coil,
		     int pulse_ms, int timeout_ms, const cJSON *result, struct cccd_err *err)
{
	modbus_t *ctx;
	int rc = 0, tries = 0;

	if (!is_genuine(result))
		return 1;
	ctx = connect_to(uri, line, timeout_ms, err);
	if (!ctx)
		return err ? err->code : -CCCD_EIO;
	modbus_set_slave(ctx, unit_id);
	if (modbus_write_bit(ctx, coil, 1) != 1) {
		rc = cccd_err_set(err, -CCCD_EIO, "relay", "coil %d on: %s", coil,
				  modbus_strerror(errno));
		goto out;
	}
	sleep_ms(pulse_ms);
	while (modbus_write_bit(ctx, coil, 0) != 1 && ++tries < 3)
		sleep_ms(50);
	if (tries == 3)
		rc =
		    cccd_err_set(err, -CCCD_EIO, "relay", "coil %d may be STILL ON: off failed: %s",
				 coil, modbus_strerror(errno));
out:
	modbus_close(ctx);
	modbus_free(ctx);
	return rc;
}

#else /* !HAVE_LIBMODBUS */

int mbus_relay_pulse(const char *uri, const struct out_line *line, int unit_id, int coil,
		     int pulse_ms, int timeout_ms, const cJSON *result, struct cccd_err *err)
{
	(void)uri;
	(void)line;
	(void)unit_id;
	(void)coil;
	(void)pulse_ms;
	(void)timeout_ms;
	if (!is_genuine(result))
		return 1;
	return cccd_err_set(err, -CCCD_ENOTSUP, "relay", "built without libmodbus");
}
#endif
