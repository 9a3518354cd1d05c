/* SPDX-License-Identifier: MIT */
/*
 * pki_fixture.h - loading tests/fixtures/pki (made by its make.sh with the openssl CLI) for the
 * verify tests. Tests run from the repository root (tests/run-tests.sh).
 */
#ifndef TEST_PKI_FIXTURE_H
#define TEST_PKI_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PKI_DIR "tests/fixtures/pki/"
#define PKI_MAX (64 * 1024)

struct fx {
	uint8_t buf[PKI_MAX];
	size_t len;
};

/* Load a fixture; aborts the test binary if it is missing (a broken checkout, not a result). */
static inline struct fx *fx_load(const char *name)
{
	char path[256];
	struct fx *f = calloc(1, sizeof(*f));
	FILE *fp;

	snprintf(path, sizeof(path), PKI_DIR "%s", name);
	fp = fopen(path, "rb");
	if (!f || !fp) {
		fprintf(stderr, "missing fixture %s\n", path);
		abort();
	}
	f->len = fread(f->buf, 1, sizeof(f->buf), fp);
	fclose(fp);
	return f;
}

/* Offset of needle in f, or -1. */
static inline long fx_find(const struct fx *f, const void *needle, size_t n)
{
	for (size_t i = 0; i + n <= f->len; i++)
		if (!memcmp(f->buf + i, needle, n))
			return (long)i;
	return -1;
}

#endif
