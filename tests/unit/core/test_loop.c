/* SPDX-License-Identifier: MIT */
/* test_loop.c - the event loop: fd readiness, timers (one-shot, repeating, deleted from inside a
 * callback), deleting another fd from a callback in the same iteration, and fd table growth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/loop.h"

struct counts {
	int fired[4];
	int reads;
	int pair[2]; /* whichever of these is read first deletes the other */
	long long self;
};

static int once(struct cccd_loop *l, long long id, void *ctx)
{
	(void)l;
	(void)id;
	((struct counts *)ctx)->fired[0]++;
	return -1;
}

static int thrice(struct cccd_loop *l, long long id, void *ctx)
{
	struct counts *c = ctx;

	(void)l;
	(void)id;
	return ++c->fired[1] < 3 ? 0 : -1;
}

static int deletes_itself(struct cccd_loop *l, long long id, void *ctx)
{
	struct counts *c = ctx;

	c->fired[2]++;
	assert_int_equal(cccd_loop_del_timer(l, id), 0);
	return 0; /* asks to repeat, but the deletion wins */
}

/* Run iterations until pred(c) or 1000 iterations (each waits for at most 10 ms). */
static void spin(struct cccd_loop *l, struct counts *c, int (*pred)(const struct counts *))
{
	for (int i = 0; i < 1000 && !pred(c); i++)
		assert_true(cccd_loop_run_once(l, 10) >= 0);
}

static int timers_done(const struct counts *c)
{
	return c->fired[0] == 1 && c->fired[1] == 3 && c->fired[2] == 1;
}

static void timers(void **state)
{
	struct cccd_loop *l;
	struct counts c = {0};
	long long a, b;

	(void)state;
	assert_int_equal(cccd_loop_new(&l, 8, NULL), 0);
	assert_true(cccd_loop_add_timer(l, 0, once, &c) > 0);
	a = cccd_loop_add_timer(l, 1, thrice, &c);
	b = cccd_loop_add_timer(l, 2, deletes_itself, &c);
	assert_true(a > 0 && b > a); /* ids are increasing, never reused */
	spin(l, &c, timers_done);
	assert_true(timers_done(&c));
	for (int i = 0; i < 5; i++)
		cccd_loop_run_once(l, 0);
	assert_int_equal(c.fired[1], 3); /* stopped at -1 */
	assert_int_equal(c.fired[2], 1);
	assert_int_equal(cccd_loop_del_timer(l, a), -CCCD_ENOENT);
	/* a full timer table says so */
	int n = 0;
	while (cccd_loop_add_timer(l, 100000, once, &c) > 0)
		n++;
	assert_int_equal(n, 32);
	assert_int_equal(cccd_loop_add_timer(l, 0, once, &c), -CCCD_ENOSPC);
	cccd_loop_free(l);
}

static void on_read(struct cccd_loop *l, int fd, unsigned ev, void *ctx)
{
	struct counts *c = ctx;
	char b[16];

	assert_true(ev & CCCD_EV_READ);
	assert_true(read(fd, b, sizeof(b)) > 0);
	c->reads++;
	/* the other fd's event may already be in this iteration's batch: it must not be delivered
	 */
	cccd_loop_del_fd(l, fd == c->pair[0] ? c->pair[1] : c->pair[0]);
}

static int one_read(const struct counts *c)
{
	return c->reads >= 1;
}

static void fds(void **state)
{
	struct cccd_loop *l;
	struct counts c = {0};
	struct cccd_err e = {0};
	int p1[2], p2[2], hi;

	(void)state;
	assert_int_equal(cccd_loop_new(&l, 1, NULL), 0); /* tiny: the table must grow */
	assert_int_equal(pipe(p1), 0);
	assert_int_equal(pipe(p2), 0);
	assert_int_equal(cccd_loop_set_fd(l, p1[0], CCCD_EV_READ, on_read, &c, &e), 0);
	assert_int_equal(cccd_loop_set_fd(l, p2[0], CCCD_EV_READ, on_read, &c, &e), 0);
	assert_int_equal(write(p1[1], "x", 1), 1);
	assert_int_equal(write(p2[1], "y", 1), 1);
	c.pair[0] = p1[0];
	c.pair[1] = p2[0];
	spin(l, &c, one_read);
	for (int i = 0; i < 5; i++)
		cccd_loop_run_once(l, 0);
	assert_int_equal(c.reads, 1);
	cccd_loop_del_fd(l, p1[0]);
	cccd_loop_del_fd(l, p2[0]);
	assert_int_equal(cccd_loop_mod_fd(l, p2[0], CCCD_EV_READ), -CCCD_ENOENT);
	assert_int_equal(cccd_loop_set_fd(l, p1[0], CCCD_EV_READ, on_read, &c, &e), 0);
	assert_int_equal(cccd_loop_mod_fd(l, p1[0], CCCD_EV_READ | CCCD_EV_WRITE), 0);
	hi = dup2(p1[1], 200); /* far past the initial table */
	assert_int_equal(hi, 200);
	assert_int_equal(cccd_loop_set_fd(l, hi, CCCD_EV_WRITE, on_read, &c, &e), 0);
	assert_int_equal(cccd_loop_set_fd(l, -1, CCCD_EV_READ, on_read, &c, &e), -CCCD_ERANGE);
	cccd_loop_del_fd(l, hi);
	cccd_loop_del_fd(l, 12345); /* harmless */
	close(hi);
	close(p1[0]);
	close(p1[1]);
	close(p2[0]);
	close(p2[1]);
	cccd_loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(timers),
	    cmocka_unit_test(fds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
