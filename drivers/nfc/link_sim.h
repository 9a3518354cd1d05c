/* SPDX-License-Identifier: MIT */
/*
 * link_sim.h - what the sim link adds for tests and benchmarks: the modelled time and fault state
 * of a link opened as "sim:<dataset>[?knobs]" (docs/virtual-chip.md). Domain code never includes
 * this; it sees the link through drivers/card_link.h only.
 */
#ifndef CCCD_LINK_SIM_H
#define CCCD_LINK_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "card_link.h"

struct link_sim_stats {
	uint64_t model_us;     /* modelled link time: per-APDU latency + bits at the bit rate */
	uint64_t payload_bits; /* 8 x (command + response bytes) */
	unsigned long apdus;   /* APDUs that reached the chip */
	bool card_present;
};

/* Fill st for a link opened with the "sim" scheme; -CCCD_EINVAL for any other link. */
int link_sim_stats(const struct card_link *link, struct link_sim_stats *st);

#endif
