/* SPDX-License-Identifier: MIT */
/*
 * log.h - levelled logging to stderr (journald-aware) and the personal-data masks.
 *
 * Logging is the one piece of process-wide state outside the daemon's top level: the top level
 * calls cccd_log_setup() once; library code only calls cccd_log*(). Under systemd (JOURNAL_STREAM
 * set) lines carry the sd-daemon "<N>" priority prefix so journald files them at the right level.
 *
 * Personal data (ID numbers, names, addresses) goes through cccd_mask_*() before it reaches a log
 * line; the masks print the full value only when debug_pii was explicitly switched on.
 */
#ifndef CCCD_CORE_LOG_H
#define CCCD_CORE_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum cccd_log_level { CCCD_LOG_ERR = 3, CCCD_LOG_WARN = 4, CCCD_LOG_INFO = 6, CCCD_LOG_DEBUG = 7 };

/* Set the threshold, whether PII may be logged unmasked, and the program name shown on a tty. */
void cccd_log_setup(enum cccd_log_level level, bool debug_pii, const char *progname);

/* Current threshold. */
enum cccd_log_level cccd_log_level(void);

/* Parse "error|warning|info|debug" into *out; 0 or -CCCD_ERANGE. */
int cccd_log_level_parse(const char *name, enum cccd_log_level *out);

/* Log one line at level (printf format, no trailing newline needed). */
void cccd_log(enum cccd_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define cccd_err_log(...) cccd_log(CCCD_LOG_ERR, __VA_ARGS__)
#define cccd_warn(...) cccd_log(CCCD_LOG_WARN, __VA_ARGS__)
#define cccd_info(...) cccd_log(CCCD_LOG_INFO, __VA_ARGS__)
#define cccd_debug(...) cccd_log(CCCD_LOG_DEBUG, __VA_ARGS__)

/* Mask an ID number: keep the first 4 and last 2 characters ("001200012345" -> "0012******45");
 * IDs of 6 characters or fewer become all '*'. Writes a NUL-terminated string into out and
 * returns out. Unmasked only when debug_pii is on. */
const char *cccd_mask_id(const char *id, char *out, size_t outlen);

/* Mask free text such as a name or an address: each word keeps its first character (a whole UTF-8
 * sequence), the rest of the word becomes one '*' per character ("Nguyễn Văn An" -> "N***** V** A*").
 * Unmasked only when debug_pii is on. */
const char *cccd_mask_text(const char *text, char *out, size_t outlen);

/* As above, with the debug_pii decision passed explicitly (used by the two wrappers and tests). */
const char *cccd_mask_id_ex(const char *id, bool reveal, char *out, size_t outlen);
const char *cccd_mask_text_ex(const char *text, bool reveal, char *out, size_t outlen);

#endif
