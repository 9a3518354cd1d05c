/* SPDX-License-Identifier: MIT */
/*
 * wedge.c - see wedge.h. The report buffer is sized from the text (at most 16 reports per
 * byte: an Alt code of a 4-digit code point with its Alt press/releases is 12) and allocated
 * per result; the wedge is not on the card path.
 */
#include <stdlib.h>
#include <string.h>

#include "out/wedge.h"

int out_wedge_type(struct key_sink *s, const struct out_profile *p, const cJSON *result,
		   int delay_ms, struct cccd_err *err)
{
	char text[KBD_MAX_TEXT];
	struct kbd_reports r = {0};
	uint8_t leds = KBD_LED_NUM; /* what most hosts have when the sink cannot tell */
	int rc = out_profile_render(p, result, text, sizeof(text), err);

	if (rc)
		return rc;
	(void)key_sink_leds(s, &leds, NULL);
	r.cap = 16 * strlen(text) + 8;
	r.r = calloc(r.cap, KBD_REPORT_LEN);
	if (!r.r)
		return cccd_err_set(err, -CCCD_ENOMEM, "wedge", "out of memory");
	rc = kbd_encode(&p->kbd, (const uint8_t *)text, strlen(text), leds, &r, err);
	if (!rc)
		rc = key_sink_send(s, &r.r[0][0], r.n, delay_ms, err);
	free(r.r);
	return rc;
}
