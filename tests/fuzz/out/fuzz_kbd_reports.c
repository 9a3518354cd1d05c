/* SPDX-License-Identifier: MIT */
/*
 * fuzz_kbd_reports.c - libFuzzer target for kbd_reports_parse(). Byte 0 picks the strategy
 * (mod 5), the initial lock LEDs (bits 3..5) and modern tones (bit 6); the rest is the report
 * stream. On success: the text is NUL-terminated valid UTF-8, and typing it again with
 * kbd_encode() (when the strategy can type it) decodes to the same text up to NFC.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "core/utf8.h"
#include "out/kbd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t reps[8 * KBD_MAX_TEXT][KBD_REPORT_LEN];
	char text[KBD_MAX_TEXT], again[KBD_MAX_TEXT], nfc1[3 * KBD_MAX_TEXT],
	    nfc2[3 * KBD_MAX_TEXT];
	struct kbd_opts o = {0};
	struct kbd_reports r = {reps, sizeof(reps) / sizeof(reps[0]), 0};
	struct cccd_err e;
	uint8_t leds;

	if (size < 1)
		return 0;
	o.strategy = (enum kbd_strategy)(data[0] % 5);
	leds = (data[0] >> 3) & 7;
	o.modern_tones = data[0] & 0x40;
	if (kbd_reports_parse(data + 1, size - 1, &o, leds, text, sizeof(text), &e)) {
		assert(e.code < 0 && memchr(e.msg, '\0', sizeof(e.msg)));
		return 0;
	}
	assert(memchr(text, '\0', sizeof(text)));
	assert(cccd_utf8_validate((const uint8_t *)text, strlen(text), NULL) == 0);
	if (kbd_encode(&o, (const uint8_t *)text, strlen(text), leds, &r, &e))
		return 0;
	assert(kbd_reports_parse(&reps[0][0], r.n * KBD_REPORT_LEN, &o, leds, again, sizeof(again),
				 &e) == 0);
	/* the encoder types the NFC form: "u" + U+0304 typed by code comes back as "ū" */
	assert(cccd_utf8_nfc((const uint8_t *)text, strlen(text), nfc1, sizeof(nfc1), NULL) == 0);
	assert(cccd_utf8_nfc((const uint8_t *)again, strlen(again), nfc2, sizeof(nfc2), NULL) == 0);
	assert(!strcmp(nfc1, nfc2));
	return 0;
}
