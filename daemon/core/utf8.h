/* SPDX-License-Identifier: MIT */
/*
 * utf8.h - strict UTF-8 validation, NFC normalisation and diacritics removal (utf8proc).
 *
 * Vietnamese text reaches us precomposed (NFC, from the chip) or decomposed (some QR encoders and
 * phones); the RESULT is always NFC. Removing diacritics turns "Nguyễn Đức" into "Nguyen Duc", the
 * form an MRZ or an ASCII keyboard wedge carries.
 */
#ifndef CCCD_CORE_UTF8_H
#define CCCD_CORE_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* 0 when buf[0..len) is valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF, no
 * NUL); else -CCCD_EFORMAT with the byte offset of the first bad sequence in err. */
int cccd_utf8_validate(const uint8_t *buf, size_t len, struct cccd_err *err);

/* Validate buf and write its NFC form, NUL-terminated, into out[0..outlen).
 * -CCCD_EFORMAT (invalid UTF-8), -CCCD_ENOSPC (out too small) or -CCCD_ENOMEM. */
int cccd_utf8_nfc(const uint8_t *buf, size_t len, char *out, size_t outlen, struct cccd_err *err);

/* Write buf with every combining mark removed and Đ/đ mapped to D/d (NUL-terminated); other
 * non-ASCII letters are kept. Same errors as cccd_utf8_nfc. */
int cccd_utf8_strip_marks(const uint8_t *buf, size_t len, char *out, size_t outlen,
			  struct cccd_err *err);

#endif
