/* SPDX-License-Identifier: MIT */
/*
 * gateway.c - see gateway.h. One thread, one loop: the signalfd, the API sockets and the
 * watchdog timer are fds and timers like any other, so a signal never interrupts a half-done
 * update and no handler-set global flag is needed.
 * Privileges: the daemon never drops them itself; it refuses to start as uid 0 unless
 * [daemon] allow_root is set, and systemd's User=cccd starts it unprivileged.
 * Reload: keys not marked reloadable keep their running value (a warning names each one that
 * changed in the file); everything is validated before anything is applied.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "core/log.h"
#include "core/version.h"
#include "gateway/gateway.h"
#include "out/out_config.h"
#include "pipeline/presentation.h"

struct gw {
	struct cccd_config cfg; /* live: the API server reads it through a pointer */
	const char *path;	/* configuration file */
	bool path_given;	/* -c was used: a missing file is an error */
	struct gw_hooks hooks;
	struct api_callbacks pipe; /* the pipeline's callbacks (zeroed when none) */
	struct cccd_loop *loop;
	struct api_server *api;
	struct pres *pres; /* the card pipeline (NULL when hooks->pipeline stands in for it) */
	int sfd;	   /* signalfd for HUP, TERM, INT */
	int64_t started_ms;
	uint64_t reloads, reload_errors;
	char last_reload_error[200];
};

static void notify(const struct gw *gw, const char *state)
{
	if (gw->hooks.notify)
		(void)gw->hooks.notify(gw->hooks.ctx, state);
}

static int usage(FILE *f)
{
	fprintf(f, "usage: cccd-gatewayd [-c FILE] [-f] [-t] [-V]\n"
		   "  -c FILE  configuration (default " GW_DEFAULT_CONFIG ")\n"
		   "  -f       stay in the foreground (systemd, terminals)\n"
		   "  -t       check the configuration and exit\n"
		   "  -V       print the release and exit\n");
	return 2;
}

/* The [profile.*] and [output.*] sections, checked (file:line) but not applied. */
static int check_outputs(const char *path, struct cccd_err *err)
{
	struct out_config *oc = calloc(1, sizeof(*oc));
	int rc;

	if (!oc)
		return cccd_err_set(err, -CCCD_ENOMEM, "daemon", "no memory");
	rc = out_config_load_file(path, oc, err);
	free(oc);
	return rc;
}

/* Defaults, then the file (a missing default file means all defaults), then cross-key checks. */
static int load_config(const struct gw *gw, struct cccd_config *cfg, struct cccd_err *err)
{
	int rc;

	cccd_config_defaults(cfg);
	if (gw->path_given || access(gw->path, F_OK) == 0) {
		rc = cccd_config_load_file(gw->path, cfg, err);
		if (!rc)
			rc = check_outputs(gw->path, err);
		if (rc)
			return rc;
	}
	return api_config_check(cfg, err);
}

static void apply_log(const struct cccd_config *cfg)
{
	cccd_log_setup(cfg->log.level, cfg->log.debug_pii, "cccd-gatewayd");
}

/* Give nc the running value of every key that cannot change without a restart. */
static void keep_fixed(struct cccd_config *nc, const struct cccd_config *old)
{
	size_t n;
	const struct cccd_cfg_key *k = cccd_config_keys(&n);

	for (size_t i = 0; i < n; i++) {
		char sec[32], a[CCCD_CFG_STR + 8], b[CCCD_CFG_STR + 8];
		const char *dot = strchr(k[i].name, '.');

		if (k[i].reloadable)
			continue;
		snprintf(sec, sizeof(sec), "%.*s", (int)(dot - k[i].name), k[i].name);
		if (cccd_config_get(nc, sec, dot + 1, a, sizeof(a)) ||
		    cccd_config_get(old, sec, dot + 1, b, sizeof(b)) || !strcmp(a, b))
			continue;
		cccd_warn("reload: %s changed: takes effect after a restart", k[i].name);
		memcpy((char *)nc + k[i].offset, (const char *)old + k[i].offset, k[i].size);
	}
}

static void reload(struct gw *gw)
{
	struct cccd_config nc;
	struct cccd_err err = {0};
	char s[200];

	notify(gw, "RELOADING=1");
	if (load_config(gw, &nc, &err)) {
		gw->reload_errors++;
		snprintf(gw->last_reload_error, sizeof(gw->last_reload_error), "%s",
			 cccd_err_str(&err, s, sizeof(s)));
		cccd_err_log("reload rejected, keeping the running configuration: %s",
			     gw->last_reload_error);
		notify(gw, "READY=1");
		return;
	}
	keep_fixed(&nc, &gw->cfg);
	gw->cfg = nc;
	apply_log(&gw->cfg);
	if (gw->pres && pres_configure(gw->pres, &gw->cfg, true, &err))
		cccd_err_log("reload: outputs kept: %s", cccd_err_str(&err, s, sizeof(s)));
	gw->reloads++;
	gw->last_reload_error[0] = '\0';
	cccd_info("configuration reloaded from %s", gw->path);
	notify(gw, "READY=1");
}

static void on_signal(struct cccd_loop *loop, int fd, unsigned events, void *ctx)
{
	struct gw *gw = ctx;
	struct signalfd_siginfo si;

	(void)events;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			reload(gw);
		} else {
			cccd_info("signal %u: shutting down", si.ssi_signo);
			notify(gw, "STOPPING=1");
			cccd_loop_stop(loop);
		}
	}
}

static int on_watchdog(struct cccd_loop *loop, long long id, void *ctx)
{
	struct gw *gw = ctx;
	uint64_t usec = gw->hooks.watchdog_usec ? gw->hooks.watchdog_usec(gw->hooks.ctx) : 0;

	(void)loop;
	(void)id;
	notify(gw, "WATCHDOG=1");
	/* ping at half the period, as sd_watchdog_enabled(3) advises */
	return usec ? (int)(usec / 2000 ? usec / 2000 : 1) : -1;
}

/* ---- the API seam: forward to the pipeline, or answer honestly that there is none ---- */

static int cb_read(void *ctx, uint64_t client, const struct api_key *key, struct cccd_err *err)
{
	struct gw *gw = ctx;

	if (gw->pipe.read)
		return gw->pipe.read(gw->pipe.ctx, client, key, err);
	return cccd_err_set(err, -CCCD_ENOTSUP, "api", "read: no reader configured");
}

static int cb_devices(void *ctx, cJSON *array, struct cccd_err *err)
{
	struct gw *gw = ctx;

	return gw->pipe.devices ? gw->pipe.devices(gw->pipe.ctx, array, err) : 0;
}

static void cb_status(void *ctx, cJSON *o)
{
	struct gw *gw = ctx;

	cJSON_AddStringToObject(o, "config", gw->path);
	cJSON_AddNumberToObject(o, "uptime_s",
				(double)((cccd_loop_now_ms() - gw->started_ms) / 1000));
	cJSON_AddNumberToObject(o, "reloads", (double)gw->reloads);
	cJSON_AddNumberToObject(o, "reload_errors", (double)gw->reload_errors);
	if (gw->last_reload_error[0])
		cJSON_AddStringToObject(o, "last_reload_error", gw->last_reload_error);
	if (!gw->pipe.status)
		cJSON_AddStringToObject(o, "pipeline", "none");
	else
		gw->pipe.status(gw->pipe.ctx, o);
}

static void cb_config_changed(void *ctx, const char *name)
{
	struct gw *gw = ctx;

	cccd_info("config: %s changed through the API", name);
	apply_log(&gw->cfg);
	if (gw->pres)
		(void)pres_configure(gw->pres, &gw->cfg, false, NULL);
	if (gw->pipe.config_changed)
		gw->pipe.config_changed(gw->pipe.ctx, name);
}

/* ---- start and stop ---- */

static int setup_signals(struct gw *gw, struct cccd_err *err)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	signal(SIGPIPE, SIG_IGN); /* a client going away is an EPIPE, not a death */
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return cccd_err_set(err, -CCCD_EIO, "daemon", "sigprocmask: %s", strerror(errno));
	gw->sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (gw->sfd < 0)
		return cccd_err_set(err, -CCCD_EIO, "daemon", "signalfd: %s", strerror(errno));
	return cccd_loop_set_fd(gw->loop, gw->sfd, CCCD_EV_READ, on_signal, gw, err);
}

static int start(struct gw *gw, struct cccd_err *err)
{
	const struct api_callbacks cb = {.read = cb_read,
					 .devices = cb_devices,
					 .status = cb_status,
					 .config_changed = cb_config_changed,
					 .ctx = gw};
	uint64_t usec = gw->hooks.watchdog_usec ? gw->hooks.watchdog_usec(gw->hooks.ctx) : 0;
	int rc;

	rc = cccd_loop_new(&gw->loop, gw->cfg.api.max_clients + 64, err);
	if (!rc)
		rc = setup_signals(gw, err);
	if (!rc)
		rc = api_server_new(&gw->api, gw->loop, &gw->cfg, &cb, err);
	if (!rc && !gw->pipe.ctx && !gw->pipe.read) {
		rc = pres_new(&gw->pres, gw->api, &gw->cfg, gw->path, err);
		if (!rc)
			pres_api_callbacks(gw->pres, &gw->pipe);
	}
	if (!rc && usec && cccd_loop_add_timer(gw->loop, 0, on_watchdog, gw) < 0)
		rc = cccd_err_set(err, -CCCD_ENOSPC, "daemon", "no timer slot for the watchdog");
	return rc;
}

static void stop(struct gw *gw)
{
	pres_free(gw->pres); /* its threads emit into the server: first */
	gw->pres = NULL;
	api_server_free(gw->api);
	if (gw->sfd >= 0)
		close(gw->sfd);
	cccd_loop_free(gw->loop);
}

/* Options into gw; returns -1 to go on, or an exit status. */
static int parse_args(struct gw *gw, int argc, char **argv, bool *check, bool *fg)
{
	int opt;

	optind = 1;
	while ((opt = getopt(argc, argv, "c:ftVh")) != -1) {
		switch (opt) {
		case 'c':
			gw->path = optarg;
			gw->path_given = true;
			break;
		case 'f':
			*fg = true;
			break;
		case 't':
			*check = true;
			break;
		case 'V':
			printf("cccd-gatewayd %s\n", CCCD_RELEASE);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return usage(stderr);
		}
	}
	return optind < argc ? usage(stderr) : -1;
}

/* Configuration and privilege checks before anything is opened; -1 to go on, or an exit status. */
static int preflight(struct gw *gw, bool check)
{
	struct cccd_err err = {0};
	char s[200];

	if (load_config(gw, &gw->cfg, &err)) {
		fprintf(stderr, "cccd-gatewayd: %s\n", cccd_err_str(&err, s, sizeof(s)));
		return 1;
	}
	if (check) {
		printf("%s: configuration OK\n", gw->path);
		return 0;
	}
	if (geteuid() == 0 && !gw->cfg.daemon.allow_root) {
		fprintf(stderr, "cccd-gatewayd: refusing to run as root: start it as user cccd "
				"(systemd User=cccd) or set [daemon] allow_root = true\n");
		return 1;
	}
	return -1;
}

int gw_main(int argc, char **argv, const struct gw_hooks *hooks)
{
	struct gw gw = {.path = GW_DEFAULT_CONFIG, .sfd = -1};
	struct cccd_err err = {0};
	bool check = false, fg = false;
	char s[200];
	int rc;

	if (hooks)
		gw.hooks = *hooks;
	if (hooks && hooks->pipeline)
		gw.pipe = *hooks->pipeline;
	cccd_log_setup(CCCD_LOG_INFO, false, "cccd-gatewayd");
	rc = parse_args(&gw, argc, argv, &check, &fg);
	if (rc < 0)
		rc = preflight(&gw, check);
	if (rc >= 0)
		return rc;
	apply_log(&gw.cfg);
	if (!fg && daemon(0, 1) < 0) {
		cccd_err_log("daemon: %s", strerror(errno));
		return 2;
	}
	gw.started_ms = cccd_loop_now_ms();
	if (start(&gw, &err)) {
		cccd_err_log("cannot start: %s", cccd_err_str(&err, s, sizeof(s)));
		stop(&gw);
		return 2;
	}
	cccd_info("cccd-gatewayd %s ready (config %s)", CCCD_RELEASE, gw.path);
	notify(&gw, "READY=1");
	rc = cccd_loop_run(gw.loop) ? 2 : 0;
	stop(&gw);
	cccd_info("stopped");
	return rc;
}
