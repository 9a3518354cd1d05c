/* SPDX-License-Identifier: MIT */
/* fuzz_kbd_leds.c - libFuzzer target for kbd_leds_parse(): accepts exactly one byte, keeps only
 * the five defined LED bits, and the result is idempotent (parsing the LEDs again changes none). */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "out/kbd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t leds = 0xFF, again = 0xFF;
	struct cccd_err e;

	if (kbd_leds_parse(data, size, &leds, &e)) {
		assert(size != 1 && e.code == -CCCD_EFORMAT && leds == 0xFF);
		return 0;
	}
	assert(size == 1 && (leds & ~0x1F) == 0 && leds == (data[0] & 0x1F));
	assert(kbd_leds_parse(&leds, 1, &again, NULL) == 0 && again == leds);
	return 0;
}
