/* SPDX-License-Identifier: MIT */
/*
 * utf8.c - see utf8.h. Validation is hand-written because it must report the offending byte
 * offset (utf8proc only says "invalid"); normalisation is utf8proc's, into stack buffers.
 */
#include <string.h>
#include <utf8proc.h>

#include "core/utf8.h"

int cccd_utf8_validate(const uint8_t *buf, size_t len, struct cccd_err *err)
{
	size_t i = 0;

	while (i < len) {
		uint8_t c = buf[i];
		size_t n;
		uint32_t cp, min;

		if (c == 0)
			return cccd_err_set(err, -CCCD_EFORMAT, "utf8", "byte %zu: NUL in text", i);
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0) {
			n = 2, cp = c & 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			n = 3, cp = c & 0x0F, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			n = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return cccd_err_set(err, -CCCD_EFORMAT, "utf8",
					    "byte %zu: invalid UTF-8 lead byte 0x%02X", i, c);
		}
		if (n > len - i)
			return cccd_err_set(err, -CCCD_EFORMAT, "utf8",
					    "byte %zu: truncated UTF-8 sequence", i);
		for (size_t k = 1; k < n; k++) {
			if ((buf[i + k] & 0xC0) != 0x80)
				return cccd_err_set(err, -CCCD_EFORMAT, "utf8",
						    "byte %zu: invalid UTF-8 continuation 0x%02X",
						    i + k, buf[i + k]);
			cp = (cp << 6) | (buf[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return cccd_err_set(err, -CCCD_EFORMAT, "utf8",
					    "byte %zu: invalid code point U+%04X", i, (unsigned)cp);
		i += n;
	}
	return 0;
}

/*
 * Normalise without malloc: utf8proc decomposes into a caller-owned code-point buffer, composes in
 * place and re-encodes into the same buffer, so the card path stays allocation-free. The buffer
 * bounds the text: UTF8_MAX_CPS code points after decomposition (a card field is < 600 bytes).
 */
#define UTF8_MAX_CPS 2048

static int map_into(const uint8_t *buf, size_t len, int options, char *out, size_t outlen,
		    struct cccd_err *err)
{
	utf8proc_int32_t cps[UTF8_MAX_CPS];
	utf8proc_ssize_t n;
	int rc;

	rc = cccd_utf8_validate(buf, len, err);
	if (rc)
		return rc;
	if (len > UTF8_MAX_CPS)
		return cccd_err_set(err, -CCCD_ERANGE, "utf8", "text of %zu bytes too long", len);
	n = utf8proc_decompose(buf, (utf8proc_ssize_t)len, cps, UTF8_MAX_CPS,
			       (utf8proc_option_t)options);
	if (n < 0)
		return cccd_err_set(err, -CCCD_EFORMAT, "utf8", "%s", utf8proc_errmsg(n));
	if (n > UTF8_MAX_CPS)
		return cccd_err_set(err, -CCCD_ERANGE, "utf8", "text decomposes to %zd code points",
				    n);
	n = utf8proc_normalize_utf32(cps, n, (utf8proc_option_t)options);
	if (n < 0)
		return cccd_err_set(err, -CCCD_EFORMAT, "utf8", "%s", utf8proc_errmsg(n));
	n = utf8proc_reencode(cps, n, (utf8proc_option_t)options);
	if (n < 0)
		return cccd_err_set(err, -CCCD_EFORMAT, "utf8", "%s", utf8proc_errmsg(n));
	if ((size_t)n >= outlen)
		return cccd_err_set(err, -CCCD_ENOSPC, "utf8", "text of %zd bytes, room for %zu", n,
				    outlen ? outlen - 1 : 0);
	memcpy(out, cps, (size_t)n);
	out[n] = '\0';
	return 0;
}

int cccd_utf8_nfc(const uint8_t *buf, size_t len, char *out, size_t outlen, struct cccd_err *err)
{
	return map_into(buf, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE, out, outlen, err);
}

int cccd_utf8_strip_marks(const uint8_t *buf, size_t len, char *out, size_t outlen,
			  struct cccd_err *err)
{
	int rc = map_into(buf, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK, out,
			  outlen, err);
	if (rc)
		return rc;
	/* Đ (U+0110, C4 90) and đ (U+0111, C4 91) are letters, not D + mark: map them by hand.
	 * Replacing two bytes by one keeps the string shorter, so in-place is safe. */
	size_t o = 0;
	for (size_t i = 0; out[i]; i++) {
		if ((uint8_t)out[i] == 0xC4 &&
		    ((uint8_t)out[i + 1] == 0x90 || (uint8_t)out[i + 1] == 0x91)) {
			out[o++] = (uint8_t)out[i + 1] == 0x90 ? 'D' : 'd';
			i++;
		} else {
			out[o++] = out[i];
		}
	}
	out[o] = '\0';
	return 0;
}
