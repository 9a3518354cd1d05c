/* SPDX-License-Identifier: MIT */
/*
 * wedge.h - the keyboard wedge: a RESULT typed into the host through a key_sink.
 * The profile renders the text, the sink says which lock LEDs are lit, kbd_encode() makes the
 * reports (correcting Caps/Num Lock), and the sink sends them with the configured pause.
 */
#ifndef CCCD_OUT_WEDGE_H
#define CCCD_OUT_WEDGE_H

#include <cjson/cJSON.h>

#include "core/err.h"
#include "key_sink.h"
#include "out/profile.h"

/* Type result under p. 1 when p does not send this result, 0 when typed, or a negative error
 * (-CCCD_ERANGE text not typable under the strategy, -CCCD_ETIMEOUT host not polling, ...). */
int out_wedge_type(struct key_sink *s, const struct out_profile *p, const cJSON *result,
		   int delay_ms, struct cccd_err *err);

#endif
