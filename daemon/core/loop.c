/* SPDX-License-Identifier: MIT */
/*
 * loop.c - see loop.h. Modelled on Redis ae.c: an fd table indexed by fd (setsize entries, so
 * lookup is O(1) and nothing is allocated per event) over epoll, and a small fixed timer table
 * scanned linearly. The daemon has a handful of timers (watchdog, reader backoff), so O(N) in
 * the timer count is the right trade; a heap would only pay off with hundreds.
 *
 * Deleting an fd or a timer from inside a callback is safe: events for an fd deleted earlier in
 * the same iteration are skipped (its mask is checked again before each call), and timers are
 * marked dead and reaped after the scan.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "core/loop.h"

#define LOOP_MAX_TIMERS	 32
#define LOOP_MAX_EVENTS	 64
#define LOOP_MAX_SETSIZE (1 << 20) /* fds above this are refused */

struct loop_fd {
	unsigned mask; /* 0 = not watched */
	cccd_fd_fn fn;
	void *ctx;
};

struct loop_timer {
	long long id; /* 0 = free slot */
	int64_t when; /* ms, monotonic */
	cccd_timer_fn fn;
	void *ctx;
	bool dead;
};

struct cccd_loop {
	int epfd;
	int setsize;
	bool stop;
	long long next_timer_id;
	struct loop_fd *fds;
	struct loop_timer timers[LOOP_MAX_TIMERS];
};

int64_t cccd_loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int cccd_loop_new(struct cccd_loop **out, int setsize, struct cccd_err *err)
{
	struct cccd_loop *l;

	if (setsize <= 0)
		return cccd_err_set(err, -CCCD_EINVAL, "loop", "setsize %d", setsize);
	l = calloc(1, sizeof(*l));
	if (!l)
		return cccd_err_set(err, -CCCD_ENOMEM, "loop", "out of memory");
	l->fds = calloc((size_t)setsize, sizeof(*l->fds));
	if (!l->fds)
		goto out_free_loop;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		int e = errno;

		free(l->fds);
		free(l);
		return cccd_err_set(err, -CCCD_EIO, "loop", "epoll_create1: %s", strerror(e));
	}
	l->setsize = setsize;
	*out = l;
	return 0;
out_free_loop:
	free(l);
	return cccd_err_set(err, -CCCD_ENOMEM, "loop", "out of memory");
}

void cccd_loop_free(struct cccd_loop *loop)
{
	if (!loop)
		return;
	close(loop->epfd);
	free(loop->fds);
	free(loop);
}

static uint32_t to_epoll(unsigned mask)
{
	return ((mask & CCCD_EV_READ) ? EPOLLIN : 0) | ((mask & CCCD_EV_WRITE) ? EPOLLOUT : 0);
}

/* Grow the fd table to cover fd (doubling, up to LOOP_MAX_SETSIZE). */
static int grow(struct cccd_loop *loop, int fd, struct cccd_err *err)
{
	int n = loop->setsize;
	struct loop_fd *t;

	while (n <= fd && n < LOOP_MAX_SETSIZE)
		n *= 2;
	if (fd < 0 || fd >= n)
		return cccd_err_set(err, -CCCD_ERANGE, "loop", "fd %d outside 0..%d", fd, n - 1);
	t = realloc(loop->fds, (size_t)n * sizeof(*t));
	if (!t)
		return cccd_err_set(err, -CCCD_ENOMEM, "loop", "out of memory");
	memset(t + loop->setsize, 0, (size_t)(n - loop->setsize) * sizeof(*t));
	loop->fds = t;
	loop->setsize = n;
	return 0;
}

int cccd_loop_set_fd(struct cccd_loop *loop, int fd, unsigned mask, cccd_fd_fn fn, void *ctx,
		     struct cccd_err *err)
{
	struct epoll_event ev = {.events = to_epoll(mask), .data.fd = fd};
	int op, rc;

	if (fd < 0 || fd >= loop->setsize) {
		rc = grow(loop, fd, err);
		if (rc)
			return rc;
	}
	op = loop->fds[fd].mask ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	if (epoll_ctl(loop->epfd, op, fd, &ev) < 0)
		return cccd_err_set(err, -CCCD_EIO, "loop", "epoll_ctl fd %d: %s", fd,
				    strerror(errno));
	/* a watched fd always has a non-zero mask, so an fd watched for nothing is "READ off" */
	loop->fds[fd] = (struct loop_fd){.mask = mask | 0x100, .fn = fn, .ctx = ctx};
	return 0;
}

int cccd_loop_mod_fd(struct cccd_loop *loop, int fd, unsigned mask)
{
	struct epoll_event ev = {.events = to_epoll(mask), .data.fd = fd};

	if (fd < 0 || fd >= loop->setsize || !loop->fds[fd].mask)
		return -CCCD_ENOENT;
	if ((loop->fds[fd].mask & 3u) == mask)
		return 0;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return -CCCD_EIO;
	loop->fds[fd].mask = mask | 0x100;
	return 0;
}

void cccd_loop_del_fd(struct cccd_loop *loop, int fd)
{
	if (fd < 0 || fd >= loop->setsize || !loop->fds[fd].mask)
		return;
	(void)epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
	loop->fds[fd] = (struct loop_fd){0};
}

long long cccd_loop_add_timer(struct cccd_loop *loop, int ms, cccd_timer_fn fn, void *ctx)
{
	for (int i = 0; i < LOOP_MAX_TIMERS; i++) {
		struct loop_timer *t = &loop->timers[i];

		if (t->id)
			continue;
		*t = (struct loop_timer){.id = ++loop->next_timer_id,
					 .when = cccd_loop_now_ms() + (ms > 0 ? ms : 0),
					 .fn = fn,
					 .ctx = ctx};
		return t->id;
	}
	return -CCCD_ENOSPC;
}

int cccd_loop_del_timer(struct cccd_loop *loop, long long id)
{
	for (int i = 0; i < LOOP_MAX_TIMERS; i++) {
		if (loop->timers[i].id == id && !loop->timers[i].dead) {
			loop->timers[i].dead = true;
			return 0;
		}
	}
	return -CCCD_ENOENT;
}

/* Milliseconds until the nearest live timer, capped by max_wait_ms (-1 = no cap). */
static int wait_ms(const struct cccd_loop *loop, int max_wait_ms)
{
	int64_t now = cccd_loop_now_ms(), best = -1;

	for (int i = 0; i < LOOP_MAX_TIMERS; i++) {
		const struct loop_timer *t = &loop->timers[i];

		if (!t->id || t->dead)
			continue;
		int64_t d = t->when > now ? t->when - now : 0;
		if (best < 0 || d < best)
			best = d;
	}
	if (max_wait_ms >= 0 && (best < 0 || best > max_wait_ms))
		best = max_wait_ms;
	return best > 86400000 ? 86400000 : (int)best;
}

static int run_timers(struct cccd_loop *loop)
{
	int64_t now = cccd_loop_now_ms();
	int ran = 0;

	for (int i = 0; i < LOOP_MAX_TIMERS; i++) {
		struct loop_timer *t = &loop->timers[i];

		if (!t->id || t->dead || t->when > now)
			continue;
		int again = t->fn(loop, t->id, t->ctx);
		ran++;
		if (again < 0)
			t->dead = true;
		else
			t->when = cccd_loop_now_ms() + again;
	}
	for (int i = 0; i < LOOP_MAX_TIMERS; i++)
		if (loop->timers[i].dead)
			loop->timers[i] = (struct loop_timer){0};
	return ran;
}

int cccd_loop_run_once(struct cccd_loop *loop, int max_wait_ms)
{
	struct epoll_event evs[LOOP_MAX_EVENTS];
	int n, ran = 0;

	n = epoll_wait(loop->epfd, evs, LOOP_MAX_EVENTS, wait_ms(loop, max_wait_ms));
	if (n < 0 && errno != EINTR)
		return -CCCD_EIO;
	for (int i = 0; i < n; i++) {
		int fd = evs[i].data.fd;
		unsigned got = 0;

		if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
			got |= CCCD_EV_READ;
		if (evs[i].events & EPOLLOUT)
			got |= CCCD_EV_WRITE;
		got &= loop->fds[fd].mask; /* 0 when deleted by an earlier callback */
		if (!got && (evs[i].events & (EPOLLERR | EPOLLHUP)) && loop->fds[fd].mask)
			got = CCCD_EV_READ; /* a hang-up must reach a writer-only watcher too */
		if (!got)
			continue;
		loop->fds[fd].fn(loop, fd, got, loop->fds[fd].ctx);
		ran++;
	}
	return ran + run_timers(loop);
}

int cccd_loop_run(struct cccd_loop *loop)
{
	loop->stop = false;
	while (!loop->stop)
		if (cccd_loop_run_once(loop, -1) < 0)
			return -CCCD_EIO;
	return 0;
}

void cccd_loop_stop(struct cccd_loop *loop)
{
	loop->stop = true;
}
