/* SPDX-License-Identifier: MIT */
/*
 * test_gateway.c - the daemon's life, run for real in a forked child (gw_main): readiness and
 * watchdog notifications, SIGHUP reload (clients kept, a changed log level applied, a bad file
 * rejected with file:line and the running configuration kept), SIGTERM removing the socket,
 * -t, and the refusal to run as root. The child's sd_notify goes to a pipe the test reads, so
 * every wait is for an event, bounded by a deadline, never a fixed sleep.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "api/testclient.h"
#include "gateway/gateway.h"

struct daemon {
	char dir[64];
	char ini[96];
	char sock[96];
	char log[96];
	pid_t pid;
	int notify_rd; /* lines written by the child's notify hook */
	uint64_t watchdog_usec;
};

static int pipe_notify(void *ctx, const char *state)
{
	int fd = *(int *)ctx;
	char line[128];
	int n = snprintf(line, sizeof(line), "%s\n", state);

	return write(fd, line, (size_t)n) == n ? 0 : -1;
}

static uint64_t fixed_watchdog(void *ctx)
{
	(void)ctx;
	return (uint64_t)strtoull(getenv("TEST_WATCHDOG_USEC"), NULL, 10);
}

static void write_ini(const struct daemon *d, const char *extra)
{
	FILE *f = fopen(d->ini, "w");

	assert_non_null(f);
	fprintf(f, "# test configuration\n[api]\nsocket = %s\n[daemon]\nallow_root = true\n%s",
		d->sock, extra);
	fclose(f);
}

static void setup_dir(struct daemon *d, const char *extra)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->dir, sizeof(d->dir), "/tmp/cccd-gw-XXXXXX");
	assert_non_null(mkdtemp(d->dir));
	snprintf(d->ini, sizeof(d->ini), "%s/gateway.ini", d->dir);
	snprintf(d->sock, sizeof(d->sock), "%s/api.sock", d->dir);
	snprintf(d->log, sizeof(d->log), "%s/log", d->dir);
	write_ini(d, extra);
}

/* Fork the daemon: -c ini -f, stderr to d->log, notifications to a pipe. */
static void spawn(struct daemon *d, const char *extra)
{
	int p[2];

	setup_dir(d, extra);
	/* a socketpair, not a pipe: tc_readline peeks (MSG_PEEK) */
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p), 0);
	d->pid = fork();
	assert_true(d->pid >= 0);
	if (d->pid == 0) {
		char *argv[] = {"cccd-gatewayd", "-c", d->ini, "-f", NULL};
		struct gw_hooks h = {.notify = pipe_notify, .ctx = &p[1]};

		prctl(PR_SET_PDEATHSIG, SIGKILL); /* a failed test must not leave a daemon behind */
		close(p[0]);
		if (getenv("TEST_WATCHDOG_USEC"))
			h.watchdog_usec = fixed_watchdog;
		if (!freopen(d->log, "w", stderr))
			exit(99);
		exit(gw_main(4, argv, &h));
	}
	close(p[1]);
	d->notify_rd = p[0];
}

/* Wait until the child notified `state` (lines before it are consumed). */
static bool wait_notify(struct daemon *d, const char *state)
{
	char line[128];
	int n;

	while ((n = tc_readline(d->notify_rd, line, sizeof(line))) > 0)
		if (!strcmp(line, state))
			return true;
	return false;
}

/* SIGTERM, reap, and return the exit status (or -1). */
static int terminate(struct daemon *d)
{
	int st = 0;

	kill(d->pid, SIGTERM);
	if (waitpid(d->pid, &st, 0) != d->pid)
		return -1;
	close(d->notify_rd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void cleanup(struct daemon *d)
{
	unlink(d->ini);
	unlink(d->log);
	rmdir(d->dir);
}

static int connect_client(struct daemon *d)
{
	int fd = tc_connect_unix(d->sock);
	cJSON *v;

	assert_true(fd >= 0);
	v = tc_expect(fd, "VERSION");
	assert_non_null(v);
	cJSON_Delete(v);
	return fd;
}

static cJSON *status(int fd)
{
	cJSON *s = tc_ask(fd, "{\"cmd\":\"status\"}", "STATUS");

	assert_non_null(s);
	return s;
}

static void ready_then_sigterm_removes_socket(void **state)
{
	struct daemon d;
	struct stat st;
	int fd;

	(void)state;
	spawn(&d, "");
	assert_true(wait_notify(&d, "READY=1"));
	assert_int_equal(stat(d.sock, &st), 0);
	fd = connect_client(&d);
	kill(d.pid, SIGTERM);
	assert_true(wait_notify(&d, "STOPPING=1"));
	assert_true(tc_wait_eof(fd)); /* clients are closed, not left hanging */
	close(fd);
	assert_int_equal(terminate(&d), 0);
	assert_int_not_equal(stat(d.sock, &st), 0);
	cleanup(&d);
}

static void sighup_keeps_clients_and_applies_log_level(void **state)
{
	struct daemon d;
	cJSON *o;
	int fd;

	(void)state;
	spawn(&d, "[log]\nlevel = info\n");
	assert_true(wait_notify(&d, "READY=1"));
	fd = connect_client(&d);
	cJSON_Delete(tc_ask(fd, "{\"cmd\":\"watch\"}", "WATCH"));
	write_ini(&d, "[log]\nlevel = debug\n[api]\nmax_clients = 7\n");
	kill(d.pid, SIGHUP);
	assert_true(wait_notify(&d, "RELOADING=1"));
	assert_true(wait_notify(&d, "READY=1"));
	o = tc_ask(fd, "{\"cmd\":\"config\",\"key\":\"log.level\"}",
		   "CONFIG"); /* same connection */
	assert_string_equal(tc_str(cJSON_GetObjectItem(o, "values"), "log.level"), "debug");
	cJSON_Delete(o);
	/* not reloadable: the running value stays until a restart */
	o = tc_ask(fd, "{\"cmd\":\"config\",\"key\":\"api.max_clients\"}", "CONFIG");
	assert_int_equal(tc_num(cJSON_GetObjectItem(o, "values"), "api.max_clients"), 128);
	cJSON_Delete(o);
	o = status(fd);
	assert_int_equal(tc_num(o, "reloads"), 1);
	assert_int_equal(tc_num(o, "clients"), 1);
	assert_int_equal(tc_num(o, "watchers"), 1);
	cJSON_Delete(o);
	close(fd);
	assert_int_equal(terminate(&d), 0);
	cleanup(&d);
}

static void bad_reload_is_rejected_and_old_kept(void **state)
{
	struct daemon d;
	cJSON *o;
	int fd;

	(void)state;
	spawn(&d, "[log]\nlevel = warning\n");
	assert_true(wait_notify(&d, "READY=1"));
	fd = connect_client(&d);
	write_ini(&d, "[log]\nlevel = loud\n");
	kill(d.pid, SIGHUP);
	assert_true(wait_notify(&d, "RELOADING=1"));
	assert_true(wait_notify(&d, "READY=1"));
	o = status(fd);
	assert_int_equal(tc_num(o, "reloads"), 0);
	assert_int_equal(tc_num(o, "reload_errors"), 1);
	/* line 7 of the file written by write_ini: the bad level */
	assert_string_equal(tc_str(o, "last_reload_error"),
			    "gateway.ini:7: [log] level: expected error, warning, info or debug, "
			    "got \"loud\"");
	cJSON_Delete(o);
	o = tc_ask(fd, "{\"cmd\":\"config\",\"key\":\"log.level\"}", "CONFIG");
	assert_string_equal(tc_str(cJSON_GetObjectItem(o, "values"), "log.level"), "warning");
	cJSON_Delete(o);
	close(fd);
	assert_int_equal(terminate(&d), 0);
	cleanup(&d);
}

static void watchdog_pings(void **state)
{
	struct daemon d;

	(void)state;
	setenv("TEST_WATCHDOG_USEC", "2000", 1); /* ping every millisecond */
	spawn(&d, "");
	unsetenv("TEST_WATCHDOG_USEC");
	assert_true(wait_notify(&d, "READY=1"));
	for (int i = 0; i < 3; i++)
		assert_true(wait_notify(&d, "WATCHDOG=1"));
	assert_int_equal(terminate(&d), 0);
	cleanup(&d);
}

/* In-process: -t and the root refusal return before anything is opened. */
static int run(const char *ini, const char *opt)
{
	char *argv[] = {"cccd-gatewayd", "-c", (char *)ini, (char *)opt, NULL};

	return gw_main(opt ? 4 : 3, argv, NULL);
}

static void check_mode_and_root(void **state)
{
	struct daemon d;
	FILE *f;

	(void)state;
	setup_dir(&d, "");
	assert_int_equal(run(d.ini, "-t"), 0);
	write_ini(&d, "[reader]\nbaud = 9600\n");
	assert_int_equal(run(d.ini, "-t"), 1);
	assert_int_equal(run("/nonexistent/gateway.ini", "-t"), 1);
	write_ini(&d, "[api]\ntcp_listen = 127.0.0.1:7301\n");
	assert_int_equal(run(d.ini, "-t"), 1); /* no token */
	assert_int_equal(run(d.ini, "-x"), 2);
	if (geteuid() == 0) {
		f = fopen(d.ini, "w");
		assert_non_null(f);
		fprintf(f, "[api]\nsocket = %s\n", d.sock);
		fclose(f);
		assert_int_equal(run(d.ini, "-f"), 1); /* refused before binding */
		struct stat st;
		assert_int_not_equal(stat(d.sock, &st), 0);
	}
	cleanup(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ready_then_sigterm_removes_socket),
	    cmocka_unit_test(sighup_keeps_clients_and_applies_log_level),
	    cmocka_unit_test(bad_reload_is_rejected_and_old_kept),
	    cmocka_unit_test(watchdog_pings),
	    cmocka_unit_test(check_mode_and_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
