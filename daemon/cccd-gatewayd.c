/* SPDX-License-Identifier: MIT */
/*
 * cccd-gatewayd.c - the daemon binary: gw_main() (daemon/gateway) plus the systemd hooks, which
 * are the only reason this file links libsystemd. sd_notify() is a no-op outside systemd
 * (NOTIFY_SOCKET unset), so the same binary runs from a terminal with -f.
 */
#include <stdint.h>
#include <systemd/sd-daemon.h>

#include "gateway/gateway.h"

static int notify(void *ctx, const char *state)
{
	(void)ctx;
	return sd_notify(0, state);
}

static uint64_t watchdog_usec(void *ctx)
{
	uint64_t usec = 0;

	(void)ctx;
	return sd_watchdog_enabled(0, &usec) > 0 ? usec : 0;
}

int main(int argc, char **argv)
{
	const struct gw_hooks hooks = {.notify = notify, .watchdog_usec = watchdog_usec};

	return gw_main(argc, argv, &hooks);
}
