/* SPDX-License-Identifier: MIT */
/* link_pcsc.h - what link_pcsc.c exports beside its card_link_ops, for tests. */
#ifndef CCCD_LINK_PCSC_H
#define CCCD_LINK_PCSC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when the ATR's historical bytes announce extended Lc/Le (ISO 7816-4 §8.1.1.2.7, card
 * capabilities third byte b7); false for any ATR too short or malformed to say. */
bool link_pcsc_atr_extended(const uint8_t *atr, size_t len);

#endif
