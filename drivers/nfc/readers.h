/* SPDX-License-Identifier: MIT */
/*
 * readers.h - reader discovery over both stacks (libnfc devices, PC/SC readers), for
 * `cccdctl devices` and the daemon's device list. Each entry carries the URI card_link_open takes.
 */
#ifndef CCCD_READERS_H
#define CCCD_READERS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct reader_entry {
	char uri[288];	/* "libnfc:pn532_uart:/dev/ttyS0", "pcsc:ACS ACR1252 ..." */
	char stack[8];	/* "libnfc" or "pcsc" */
	char name[128]; /* what the stack calls it */
	bool card;	/* a card is in the field (PC/SC only; libnfc is not polled here) */
};

/* Append the libnfc devices found (non-intrusive scan plus the configured default) to
 * out[*n..cap); 0, or -CCCD_EIO when libnfc cannot start. */
int link_libnfc_list(struct reader_entry *out, size_t cap, size_t *n, struct cccd_err *err);

/* Append the PC/SC readers to out[*n..cap); 0 (also when pcscd has no readers), -CCCD_EIO when
 * pcscd is not running. */
int link_pcsc_list(struct reader_entry *out, size_t cap, size_t *n, struct cccd_err *err);

#endif
