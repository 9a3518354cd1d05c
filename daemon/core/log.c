/* SPDX-License-Identifier: MIT */
/*
 * log.c - see log.h. One line per call, written with a single write(2) so lines from concurrent
 * threads or processes sharing stderr do not interleave mid-line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"

static struct {
	enum cccd_log_level level;
	bool debug_pii;
	bool journal; /* stderr is connected to journald: use "<N>" prefixes, no timestamps */
	char prog[32];
} logcfg = { CCCD_LOG_INFO, false, false, "cccd" };

void cccd_log_setup(enum cccd_log_level level, bool debug_pii, const char *progname)
{
	logcfg.level = level;
	logcfg.debug_pii = debug_pii;
	logcfg.journal = getenv("JOURNAL_STREAM") != NULL;
	snprintf(logcfg.prog, sizeof(logcfg.prog), "%s", progname ? progname : "cccd");
}

enum cccd_log_level cccd_log_level(void)
{
	return logcfg.level;
}

int cccd_log_level_parse(const char *name, enum cccd_log_level *out)
{
	static const struct {
		const char *name;
		enum cccd_log_level level;
	} tab[] = { { "error", CCCD_LOG_ERR },
		    { "warning", CCCD_LOG_WARN },
		    { "info", CCCD_LOG_INFO },
		    { "debug", CCCD_LOG_DEBUG } };

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (strcasecmp(name, tab[i].name) == 0) {
			*out = tab[i].level;
			return 0;
		}
	}
	return -CCCD_ERANGE;
}

void cccd_log(enum cccd_log_level level, const char *fmt, ...)
{
	static const char *const tag[8] = { "", "", "", "error", "warning", "", "info", "debug" };
	char line[1024];
	size_t n;
	va_list ap;

	if (level > logcfg.level)
		return;
	if (logcfg.journal) {
		n = (size_t)snprintf(line, sizeof(line), "<%d>", (int)level);
	} else {
		char ts[32];
		time_t now = time(NULL);
		struct tm tm;

		localtime_r(&now, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
		n = (size_t)snprintf(line, sizeof(line), "%s %s %s: ", ts, logcfg.prog, tag[level & 7]);
	}
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	va_start(ap, fmt);
	int m = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	n += (size_t)m;
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2; /* truncated: keep room for the newline */
	line[n++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, n);
	(void)w; /* nowhere to report a failed log write */
}

const char *cccd_mask_id_ex(const char *id, bool reveal, char *out, size_t outlen)
{
	size_t len, i;

	if (!outlen)
		return out;
	if (!id)
		id = "";
	len = strlen(id);
	if (len + 1 > outlen)
		len = outlen - 1;
	for (i = 0; i < len; i++) {
		bool keep = reveal || (len > 6 && (i < 4 || i >= len - 2));
		out[i] = keep ? id[i] : '*';
	}
	out[len] = '\0';
	return out;
}

/* Length of the UTF-8 sequence that starts with byte c (1 for invalid lead bytes). */
static size_t u8len(unsigned char c)
{
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	if (c >= 0xE0)
		return c <= 0xEF ? 3 : 1;
	if (c >= 0xC2)
		return 2;
	return 1;
}

const char *cccd_mask_text_ex(const char *text, bool reveal, char *out, size_t outlen)
{
	size_t o = 0;
	bool word_start = true;

	if (!outlen)
		return out;
	if (!text)
		text = "";
	if (reveal) {
		snprintf(out, outlen, "%s", text);
		return out;
	}
	for (const char *p = text; *p;) {
		size_t l = u8len((unsigned char)*p);
		size_t avail = strnlen(p, l);
		bool space = (*p == ' ' || *p == ',' || *p == '-' || *p == '\t');

		if (avail < l)
			l = avail;
		if (space || word_start) {
			if (o + l >= outlen)
				break;
			memcpy(out + o, p, l);
			o += l;
			word_start = space;
		} else {
			if (o + 1 >= outlen)
				break;
			out[o++] = '*';
		}
		p += l;
	}
	out[o] = '\0';
	return out;
}

const char *cccd_mask_id(const char *id, char *out, size_t outlen)
{
	return cccd_mask_id_ex(id, logcfg.debug_pii, out, outlen);
}

const char *cccd_mask_text(const char *text, char *out, size_t outlen)
{
	return cccd_mask_text_ex(text, logcfg.debug_pii, out, outlen);
}
