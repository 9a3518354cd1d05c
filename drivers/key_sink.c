/* SPDX-License-Identifier: MIT */
/*
 * key_sink.c - the one registry of key_sink implementations and the wrappers the wedge calls.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "key_sink.h"

extern const struct key_sink_ops key_sink_gadget_ops;
extern const struct key_sink_ops key_sink_file_ops;

static const struct key_sink_ops *const sinks[] = {
    &key_sink_gadget_ops,
    &key_sink_file_ops,
    NULL,
};

static const struct key_sink_ops *find(const char *uri)
{
	const char *colon = strchr(uri, ':');
	size_t sl = colon ? (size_t)(colon - uri) : 0;

	for (size_t i = 0; colon && sinks[i]; i++)
		if (strlen(sinks[i]->scheme) == sl && !strncmp(sinks[i]->scheme, uri, sl))
			return sinks[i];
	return NULL;
}

bool key_sink_scheme_known(const char *uri)
{
	return find(uri) != NULL;
}

int key_sink_open(struct key_sink *s, const char *uri, struct cccd_err *err)
{
	const struct key_sink_ops *ops = find(uri);
	int rc;

	memset(s, 0, sizeof(*s));
	if (!ops)
		return cccd_err_set(err, -CCCD_ENOTSUP, "key_sink",
				    "no key sink for '%.40s' (gadget:, file:)", uri);
	s->ops = ops;
	s->timeout_ms = 1000;
	snprintf(s->uri, sizeof(s->uri), "%s", uri);
	rc = ops->open
		 ? ops->open(s, strchr(uri, ':') + 1, err)
		 : cccd_err_set(err, -CCCD_ENOTSUP, "key_sink", "%s: cannot open", ops->scheme);
	if (rc)
		s->ops = NULL;
	return rc;
}

int key_sink_send_report(struct key_sink *s, const uint8_t *report, struct cccd_err *err)
{
	int rc;

	if (!s->ops || !s->ops->send_report)
		return cccd_err_set(err, -CCCD_ENOTSUP, "key_sink", "send_report not supported");
	rc = s->ops->send_report(s, report, s->timeout_ms, err);
	if (!rc)
		s->sent++;
	return rc;
}

int key_sink_leds(struct key_sink *s, uint8_t *leds, struct cccd_err *err)
{
	if (!s->ops || !s->ops->leds)
		return cccd_err_set(err, -CCCD_ENOTSUP, "key_sink", "LED state not available");
	return s->ops->leds(s, leds, err);
}

void key_sink_close(struct key_sink *s)
{
	if (s->ops && s->ops->close)
		s->ops->close(s);
	s->ops = NULL;
	s->priv = NULL;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int key_sink_send(struct key_sink *s, const uint8_t *reports, size_t n, int delay_ms,
		  struct cccd_err *err)
{
	for (size_t i = 0; i < n; i++) {
		struct cccd_err e = {0};
		int rc = key_sink_send_report(s, reports + i * KEY_SINK_REPORT, &e);

		if (rc)
			return cccd_err_set(err, rc, e.where[0] ? e.where : "key_sink",
					    "report %zu of %zu: %s", i + 1, n, e.msg);
		if (delay_ms > 0)
			sleep_ms(delay_ms);
	}
	return 0;
}
