/* SPDX-License-Identifier: MIT */
/*
 * loop.h - the daemon's single-threaded event loop (Redis ae-like): fd readiness through epoll,
 * and one-shot or repeating timers. No globals: every piece of state hangs off struct cccd_loop.
 *
 * All callbacks run on the thread that calls cccd_loop_run(), and none of these functions is
 * thread-safe. Signals are not special here: the daemon's top level blocks them and registers a
 * signalfd like any other fd; other threads wake the loop through an eventfd (see api.h).
 */
#ifndef CCCD_CORE_LOOP_H
#define CCCD_CORE_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

enum { CCCD_EV_READ = 1, CCCD_EV_WRITE = 2 };

struct cccd_loop;

/* fd became ready; events is a mask of CCCD_EV_* (errors and hang-ups report as READ). */
typedef void (*cccd_fd_fn)(struct cccd_loop *loop, int fd, unsigned events, void *ctx);
/* A timer fired; return the delay in ms until it fires again, or -1 to delete it. */
typedef int (*cccd_timer_fn)(struct cccd_loop *loop, long long id, void *ctx);

/* Create a loop whose fd table starts with setsize entries (it grows as larger fds arrive);
 * 0 or -CCCD_ENOMEM / -CCCD_EIO. */
int cccd_loop_new(struct cccd_loop **out, int setsize, struct cccd_err *err);

/* Free the loop (registered fds are not closed). NULL is allowed. */
void cccd_loop_free(struct cccd_loop *loop);

/* Watch fd for mask (replacing any earlier mask and callback). 0, -CCCD_ENOMEM or -CCCD_EIO. */
int cccd_loop_set_fd(struct cccd_loop *loop, int fd, unsigned mask, cccd_fd_fn fn, void *ctx,
		     struct cccd_err *err);

/* Change only the mask of a watched fd; 0 or -CCCD_ENOENT / -CCCD_EIO. */
int cccd_loop_mod_fd(struct cccd_loop *loop, int fd, unsigned mask);

/* Stop watching fd (harmless if it was not watched). Call before close(fd). */
void cccd_loop_del_fd(struct cccd_loop *loop, int fd);

/* Add a timer firing after ms milliseconds; returns its id (> 0) or -CCCD_ENOSPC. */
long long cccd_loop_add_timer(struct cccd_loop *loop, int ms, cccd_timer_fn fn, void *ctx);

/* Delete a timer; 0 or -CCCD_ENOENT. Safe from inside any callback, including the timer's own. */
int cccd_loop_del_timer(struct cccd_loop *loop, long long id);

/* Run one iteration: wait at most max_wait_ms (-1 = until the next timer or event), then run
 * the ready callbacks and due timers. Returns the number of callbacks run, or -CCCD_EIO. */
int cccd_loop_run_once(struct cccd_loop *loop, int max_wait_ms);

/* Run until cccd_loop_stop(); 0 or -CCCD_EIO. */
int cccd_loop_run(struct cccd_loop *loop);

/* Make cccd_loop_run() return after the current iteration. */
void cccd_loop_stop(struct cccd_loop *loop);

/* Monotonic clock in milliseconds. */
int64_t cccd_loop_now_ms(void);

#endif
