/* SPDX-License-Identifier: MIT */
/*
 * fuzz_mrz_repair.c - libFuzzer target for mrz_repair (OCR text from the camera is outside input).
 * Always: the text is NUL-terminated and every reported fix is in range and is what the text now
 * holds. An input that parses comes back unchanged; a successful repair parses, and repairing it
 * again changes nothing.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "doc/mrz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_fixes(const struct mrz_repair *rep)
{
	assert(memchr(rep->text, '\0', sizeof(rep->text)));
	assert(rep->nfix <= MRZ_FIX_MAX);
	for (unsigned i = 0; i < rep->nfix; i++) {
		const struct mrz_fix *f = &rep->fix[i];
		const char *nl = strchr(rep->text, '\n');
		size_t w = nl ? (size_t)(nl - rep->text) : strlen(rep->text);
		size_t off = (size_t)(f->line - 1) * (w + 1) + (f->col - 1);

		assert(f->line >= 1 && f->line <= MRZ_LINES_MAX && f->col >= 1 && f->col <= w);
		assert(f->was != f->now);
		assert(off < strlen(rep->text) && rep->text[off] == f->now);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cccd_date today = {2026, 11, 28};
	static struct mrz_repair rep, again;
	struct cccd_err err;
	struct mrz m;
	bool valid = mrz_parse(data, size, &today, &m, NULL) == 0;
	int rc = mrz_repair(data, size, &today, &rep, &err);

	check_fixes(&rep);
	if (valid)
		assert(rc == 0 && rep.nfix == 0);
	if (rc)
		return 0;
	assert(mrz_parse((const uint8_t *)rep.text, strlen(rep.text), &today, &m, NULL) == 0);
	assert(mrz_repair((const uint8_t *)rep.text, strlen(rep.text), &today, &again, NULL) == 0);
	assert(again.nfix == 0 && !strcmp(again.text, rep.text));
	return 0;
}
