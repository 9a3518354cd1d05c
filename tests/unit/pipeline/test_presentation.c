/* SPDX-License-Identifier: MIT */
/*
 * test_presentation.c - the pipeline in process: a loop thread, the API server with the
 * pipeline's callbacks, the sim link in watch mode (the dataset file is the card on the reader),
 * and a client on the socket. Events in order for one presentation, a typed key used once, the
 * refusals of read (no reader, another client's read waiting), the backoff schedule, and a
 * camera (file:) showing the card's back: its MRZ gives the key (<build>/tools/vchip-gen and
 * mrzgen draw the sim card's own MRZ, ICAO 9303-5 TD1), below a typed key.
 * No trust anchor is installed, so passive authentication reports untrusted (honestly).
 * Every wait has a deadline (testclient.h); nothing asserts on elapsed time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "api/testclient.h"
#include "core/log.h"
#include "pipeline/pres_int.h"

#define CARD "tests/fixtures/cards/an.ini"

struct fix {
	char dir[64], sock[96], slot[96];
	struct cccd_config cfg;
	struct cccd_loop *loop;
	struct api_server *srv;
	struct pres *pres;
	struct api_callbacks pcb; /* the pipeline's, forwarded to (as daemon/gateway does) */
	pthread_t th;
	atomic_bool stop;
};

static char argv0[512];

static void *loop_thread(void *arg)
{
	struct fix *f = arg;

	while (!atomic_load(&f->stop))
		cccd_loop_run_once(f->loop, 20);
	return NULL;
}

static int t_read(void *ctx, uint64_t client, const struct api_key *key, struct cccd_err *err)
{
	struct fix *f = ctx;

	return f->pcb.read(f->pcb.ctx, client, key, err);
}

static int t_devices(void *ctx, cJSON *array, struct cccd_err *err)
{
	struct fix *f = ctx;

	return f->pcb.devices(f->pcb.ctx, array, err);
}

/* camera: a [camera] uri, or NULL for none */
static struct fix *start_cam(bool reader, const char *camera)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct api_callbacks cb = {.read = t_read, .devices = t_devices};
	struct cccd_err err = {0};

	assert_non_null(f);
	cccd_log_setup(CCCD_LOG_ERR, false, "test");
	snprintf(f->dir, sizeof(f->dir), "/tmp/cccd-pres-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->sock, sizeof(f->sock), "%s/api.sock", f->dir);
	snprintf(f->slot, sizeof(f->slot), "%s/slot.ini", f->dir);
	cccd_config_defaults(&f->cfg);
	snprintf(f->cfg.api.socket, sizeof(f->cfg.api.socket), "%s", f->sock);
	snprintf(f->cfg.reader.uri, sizeof(f->cfg.reader.uri), "%s%s%s", reader ? "sim:" : "",
		 reader ? f->slot : "", reader ? "?watch=1" : "");
	f->cfg.reader.poll_ms = 10;
	f->cfg.trust.dir[0] = '\0';
	if (camera)
		snprintf(f->cfg.camera.uri, sizeof(f->cfg.camera.uri), "%s", camera);
	assert_int_equal(cccd_loop_new(&f->loop, 256, &err), 0);
	cb.ctx = f;
	assert_int_equal(api_server_new(&f->srv, f->loop, &f->cfg, &cb, &err), 0);
	assert_int_equal(pres_new(&f->pres, f->srv, &f->cfg, NULL, &err), 0);
	pres_api_callbacks(f->pres, &f->pcb);
	assert_int_equal(pthread_create(&f->th, NULL, loop_thread, f), 0);
	return f;
}

static struct fix *start(bool reader)
{
	return start_cam(reader, NULL);
}

static void stop(struct fix *f)
{
	pres_free(f->pres);
	atomic_store(&f->stop, true);
	pthread_join(f->th, NULL);
	api_server_free(f->srv);
	cccd_loop_free(f->loop);
	unlink(f->slot);
	rmdir(f->dir);
	free(f);
}

static int watcher(struct fix *f)
{
	int fd = tc_connect_unix(f->sock);
	cJSON *o;

	assert_true(fd >= 0);
	o = tc_expect(fd, "VERSION");
	assert_non_null(o);
	cJSON_Delete(o);
	o = tc_ask(fd, "{\"cmd\":\"watch\"}", "WATCH");
	assert_non_null(o);
	cJSON_Delete(o);
	return fd;
}

static void place_card(struct fix *f)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "cp " CARD " %s", f->slot);
	assert_int_equal(system(cmd), 0);
}

/* Read the next object, which must have class cls and, when key is set, key == val. */
static void expect(int fd, const char *cls, const char *key, const char *val)
{
	cJSON *o = tc_expect(fd, cls);

	assert_non_null(o);
	if (key)
		assert_string_equal(tc_str(o, key), val);
	cJSON_Delete(o);
}

/* One presentation, a typed CAN: CARD present, READ, PROGRESS access (operator), PROGRESS
 * verify, RESULT (suspect: no trust anchor), CARD removed. The key is used once: the card
 * placed again waits for a new key (no RESULT without one, no stale RESULT). */
static void one_presentation_in_order(void **state)
{
	struct fix *f = start(true);
	int fd = watcher(f);
	cJSON *o;

	(void)state;
	place_card(f);
	expect(fd, "CARD", "state", "present");
	assert_int_equal(tc_send(fd, "{\"cmd\":\"read\",\"key\":{\"can\":\"012345\"}}"), 0);
	expect(fd, "READ", NULL, NULL);
	expect(fd, "PROGRESS", "key", "operator");
	expect(fd, "PROGRESS", "step", "verify");
	o = tc_expect(fd, "RESULT");
	assert_non_null(o);
	assert_string_equal(tc_str(cJSON_GetObjectItem(o, "checks"), "passive"), "untrusted");
	assert_string_equal(tc_str(cJSON_GetObjectItem(o, "checks"), "verdict"), "suspect");
	assert_true(tc_num(cJSON_GetObjectItem(o, "timing_ms"), "present_to_result") >= 0);
	cJSON_Delete(o);
	unlink(f->slot);
	expect(fd, "CARD", "state", "removed");
	close(fd);
	stop(f);
}

/* read is refused without a reader, and while another client's read waits */
static void read_refusals(void **state)
{
	struct fix *f = start(false);
	int a = watcher(f), b;
	cJSON *o;

	(void)state;
	o = tc_ask(a, "{\"cmd\":\"read\"}", "ERROR");
	assert_non_null(o);
	assert_non_null(strstr(tc_str(o, "message"), "no reader configured"));
	cJSON_Delete(o);
	stop(f);
	close(a);
	f = start(true);
	a = watcher(f);
	b = watcher(f);
	o = tc_ask(a, "{\"cmd\":\"read\"}", "READ");
	assert_non_null(o);
	cJSON_Delete(o);
	o = tc_ask(b, "{\"cmd\":\"read\"}", "ERROR");
	assert_non_null(o);
	assert_non_null(strstr(tc_str(o, "message"), "another client's read is waiting"));
	cJSON_Delete(o);
	close(a);
	close(b);
	stop(f);
}

__attribute__((format(printf, 1, 2))) static void run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

/* The camera sees the back of the card (4 takes of mrzgen seed 7, looped), no QR: one MRZ
 * event (a CCCD: the CAN is known), then the card placed is read with the MRZ key alone
 * (PROGRESS key "mrz"; "mrz" among the RESULT's sources, matching the chip's DG1). A typed key
 * still comes first: a wrong CAN is refused as the operator's. */
static void camera_mrz_gives_the_key(void **state)
{
	char tools[512], dir[64], uri[128], *s;
	struct fix *f;
	cJSON *o, *src;
	int fd;

	(void)state;
	snprintf(tools, sizeof(tools), "%s", argv0);
	s = strstr(tools, "/tests/unit/");
	assert_non_null(s);
	strcpy(s, "/tools");
	snprintf(dir, sizeof(dir), "/tmp/cccd-pres-cam-XXXXXX");
	assert_non_null(mkdtemp(dir));
	run("%s/vchip-gen card " CARD " %s >/dev/null", tools, dir);
	run("%s/mrzgen --out %s/new --count 1 --takes 4 --seed 7 --mrz %s/mrz.txt", tools, dir,
	    dir);
	snprintf(uri, sizeof(uri), "file:%s/frames/*.jpg", dir);
	f = start_cam(true, uri);
	fd = watcher(f);
	run("mv %s/new %s/frames", dir, dir); /* the camera sees the back from now on */
	o = tc_expect(fd, "MRZ");
	assert_non_null(o);
	assert_string_equal(tc_str(o, "kind"), "cccd");
	assert_string_equal(tc_str(o, "format"), "TD1");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(o, "can")));
	assert_true(tc_num(o, "frames") >= 1);
	assert_null(cJSON_GetObjectItem(o, "id_number")); /* nothing personal */
	cJSON_Delete(o);
	place_card(f);
	expect(fd, "CARD", "state", "present");
	expect(fd, "PROGRESS", "key", "mrz");
	expect(fd, "PROGRESS", "step", "verify");
	o = tc_expect(fd, "RESULT");
	assert_non_null(o);
	assert_string_equal(tc_str(cJSON_GetObjectItem(o, "document"), "number"), "001200012345");
	assert_string_equal(tc_str(cJSON_GetObjectItem(o, "card"), "access"), "pace");
	assert_true(
	    cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "checks"), "mrz_match")));
	src = cJSON_GetObjectItem(o, "sources");
	assert_int_equal(cJSON_GetArraySize(src), 2);
	assert_string_equal(cJSON_GetArrayItem(src, 1)->valuestring, "mrz");
	cJSON_Delete(o);
	assert_int_equal(tc_send(fd, "{\"cmd\":\"read\",\"key\":{\"can\":\"999999\"}}"), 0);
	expect(fd, "READ", NULL, NULL);
	expect(fd, "PROGRESS", "key", "operator");
	o = tc_expect(fd, "ERROR");
	assert_non_null(o);
	assert_non_null(strstr(tc_str(o, "message"), "refused the operator key"));
	cJSON_Delete(o);
	close(fd);
	stop(f);
	run("rm -rf %s", dir);
}

/* 100, 200, 400 ... ms, capped at 5 s (docs/pipeline.md) */
static void backoff_doubles_to_a_cap(void **state)
{
	(void)state;
	assert_int_equal(pres_backoff_ms(0), 100);
	assert_int_equal(pres_backoff_ms(1), 100);
	assert_int_equal(pres_backoff_ms(2), 200);
	assert_int_equal(pres_backoff_ms(4), 800);
	assert_int_equal(pres_backoff_ms(7), 5000);
	assert_int_equal(pres_backoff_ms(1000), 5000);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(one_presentation_in_order),
	    cmocka_unit_test(read_refusals),
	    cmocka_unit_test(backoff_doubles_to_a_cap),
	    cmocka_unit_test(camera_mrz_gives_the_key),
	};

	(void)argc;
	snprintf(argv0, sizeof(argv0), "%s", argv[0]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
