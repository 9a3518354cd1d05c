/* SPDX-License-Identifier: MIT */
/*
 * fuzz_mrz.c - libFuzzer target for mrz_parse. On success: every string is NUL-terminated inside
 * its array, the dates are real dates, the fields render back into exactly the input lines
 * (\r\n and a trailing newline normalised away), the rendering parses to the same struct, the
 * BAC key input fits, and a CCCD's document number is the tail of its ID.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "doc/mrz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TERMINATED(a) assert(memchr((a), '\0', sizeof(a)) != NULL)

/* The input as mrz_render writes it: '\n' line ends, no trailing newline. */
static size_t normalise(const uint8_t *in, size_t n, char *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (in[i] == '\r')
			continue;
		out[k++] = (char)in[i];
	}
	if (k && out[k - 1] == '\n')
		k--;
	out[k] = '\0';
	return k;
}

static void check_fields(const struct mrz *m)
{
	TERMINATED(m->doc_code);
	TERMINATED(m->issuer);
	TERMINATED(m->doc_number);
	TERMINATED(m->optional1);
	TERMINATED(m->optional2);
	TERMINATED(m->nationality);
	TERMINATED(m->primary);
	TERMINATED(m->secondary);
	TERMINATED(m->id_number);
	assert(date_valid(m->birth.y, m->birth.m, m->birth.d));
	if (!m->no_expiry) {
		assert(date_valid(m->expiry.y, m->expiry.m, m->expiry.d));
		assert(m->expiry.y >= 2000 && m->expiry.y <= 2099);
	}
	if (mrz_is_vietnamese(m)) {
		assert(strlen(m->id_number) == 12);
		assert(!strcmp(m->doc_number, m->id_number + 3));
	} else {
		assert(m->id_number[0] == '\0');
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cccd_date today = {2026, 11, 28};
	struct mrz m, again;
	struct cccd_err err;
	char text[MRZ_TEXT_MAX], norm[MRZ_TEXT_MAX], key[MRZ_KEY_MAX + 1];
	int n;

	if (mrz_parse(data, size, &today, &m, &err)) {
		assert(err.code < 0 && memchr(err.msg, '\0', sizeof(err.msg)));
		return 0;
	}
	assert(size < MRZ_TEXT_MAX + 8);
	check_fields(&m);
	n = mrz_render(&m, text, sizeof(text));
	assert(n > 0 && (size_t)n == normalise(data, size, norm));
	assert(!strcmp(text, norm));
	assert(mrz_parse((const uint8_t *)text, (size_t)n, &today, &again, &err) == 0);
	assert(!memcmp(&m, &again, sizeof(m)));
	n = mrz_key(&m, key, sizeof(key));
	assert(n >= 24 && n <= MRZ_KEY_MAX);
	return 0;
}
