/* SPDX-License-Identifier: MIT */
/*
 * gateway.h - the life of cccd-gatewayd: options, configuration, signals, readiness, the loop.
 *
 * Lives in the library (not in daemon/cccd-gatewayd.c) so the tests can run the real daemon in a
 * forked child; the binary's main() only supplies the systemd hooks (sd_notify needs libsystemd,
 * which the library does not link).
 *   cccd-gatewayd [-c FILE] [-f] [-t]     -t: check the configuration and exit (like ntpd -n)
 * SIGHUP reloads gateway.ini (a bad file is rejected with file:line, the running one kept);
 * SIGTERM / SIGINT shut down cleanly and remove the socket file.
 */
#ifndef CCCD_GATEWAY_GATEWAY_H
#define CCCD_GATEWAY_GATEWAY_H

#include <stdint.h>

#include "api/api.h"

#define GW_DEFAULT_CONFIG "/etc/cccd-gateway/gateway.ini"

struct gw_hooks {
	/* sd_notify()-style state ("READY=1", "RELOADING=1", "STOPPING=1", "WATCHDOG=1"); or NULL
	 */
	int (*notify)(void *ctx, const char *state);
	/* Watchdog period in microseconds (sd_watchdog_enabled()), 0 = no watchdog; or NULL */
	uint64_t (*watchdog_usec)(void *ctx);
	void *ctx;
	/* The pipeline's side of the API seam; NULL = none yet (read answers "no reader
	 * configured", devices lists nothing). The daemon wraps status and config_changed and
	 * forwards them. */
	const struct api_callbacks *pipeline;
};

/* Run the daemon; returns the process exit status (0 ok, 1 bad configuration or refused to
 * start, 2 usage or system error). */
int gw_main(int argc, char **argv, const struct gw_hooks *hooks);

#endif
