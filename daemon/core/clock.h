/* SPDX-License-Identifier: MIT */
/*
 * clock.h - monotonic milliseconds and a plain sleep, for deadlines in drivers and tools.
 * Monotonic because a deadline must not jump when the box's wall clock is set (NTP, RTC-less
 * boards that boot in 1970).
 */
#ifndef CCCD_CORE_CLOCK_H
#define CCCD_CORE_CLOCK_H

/* Milliseconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
unsigned long cccd_clock_ms(void);

/* Sleep ms milliseconds (an interrupted sleep returns early: callers re-check their deadline). */
void cccd_sleep_ms(unsigned ms);

#endif
