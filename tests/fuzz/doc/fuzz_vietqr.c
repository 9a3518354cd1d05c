/* SPDX-License-Identifier: MIT */
/*
 * fuzz_vietqr.c - libFuzzer target for vietqr_parse(). On success it asserts: every string of the
 * result is NUL-terminated inside its array, counts are in bounds, the BIN is 6 digits and the
 * bank (if any) is the one for that BIN, the amount is a number; and re-building from the parsed
 * fields gives a payload of the same length that parses to the same fields.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/vietqr.h"

#define TERMINATED(a) assert(memchr((a), '\0', sizeof(a)) != NULL)

static void check_fields(const struct vietqr_field *f, size_t n, size_t max)
{
	assert(n <= max);
	for (size_t i = 0; i < n; i++) {
		TERMINATED(f[i].id);
		TERMINATED(f[i].value);
		assert(strlen(f[i].id) == 2 && f[i].value[0]);
	}
}

static void check_result(const struct vietqr *v)
{
	TERMINATED(v->bank_bin);
	TERMINATED(v->account);
	TERMINATED(v->amount);
	TERMINATED(v->merchant_name);
	TERMINATED(v->merchant_city);
	TERMINATED(v->purpose);
	assert(strlen(v->bank_bin) == 6 && strspn(v->bank_bin, "0123456789") == 6);
	assert(v->account[0]);
	assert(v->service == VIETQR_TO_ACCOUNT || v->service == VIETQR_TO_CARD);
	assert(!v->bank || !strcmp(v->bank->bin, v->bank_bin));
	assert(strspn(v->amount, "0123456789.") == strlen(v->amount));
	assert(strlen(v->purpose) <= VIETQR_MAX_PURPOSE);
	check_fields(v->extra, v->n_extra, VIETQR_MAX_EXTRA);
	check_fields(v->extra62, v->n_extra62, VIETQR_MAX_EXTRA62);
}

static void same_fields(const struct vietqr_field *a, const struct vietqr_field *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		assert(!strcmp(a[i].id, b[i].id));
		assert(!strcmp(a[i].value, b[i].value));
	}
}

/* Field by field; kept 62 sub-tags may come back in id order, so only their set is compared. */
static void same(const struct vietqr *a, const struct vietqr *b)
{
	assert(a->dynamic == b->dynamic && a->has_initiation == b->has_initiation);
	assert(!strcmp(a->bank_bin, b->bank_bin) && a->bank == b->bank);
	assert(!strcmp(a->account, b->account) && a->service == b->service);
	assert(!strcmp(a->amount, b->amount) && !strcmp(a->purpose, b->purpose));
	assert(!strcmp(a->merchant_name, b->merchant_name));
	assert(!strcmp(a->merchant_city, b->merchant_city));
	assert(a->n_extra == b->n_extra && a->n_extra62 == b->n_extra62);
	for (size_t i = 0; i < a->n_extra62; i++) {
		size_t j = 0;

		while (j < b->n_extra62 && strcmp(a->extra62[i].id, b->extra62[j].id))
			j++;
		assert(j < b->n_extra62);
		same_fields(&a->extra62[i], &b->extra62[j], 1);
	}
}

static int cmp_id(const void *x, const void *y)
{
	return strcmp(((const struct vietqr_field *)x)->id, ((const struct vietqr_field *)y)->id);
}

static void one(const uint8_t *data, size_t size)
{
	struct vietqr a, b;
	struct vietqr_req req;
	struct cccd_err e;
	char out[VIETQR_MAX_LEN + 1];

	if (vietqr_parse(data, size, &a, &e)) {
		assert(e.code < 0 && memchr(e.msg, '\0', sizeof(e.msg)));
		return;
	}
	check_result(&a);
	vietqr_req_from(&a, &req);
	assert(vietqr_build(&req, out, sizeof(out), &e) == 0);
	assert(strlen(out) == size);
	assert(vietqr_parse((const uint8_t *)out, size, &b, &e) == 0);
	same(&a, &b);
	/* root extras come back in id order too */
	qsort(a.extra, a.n_extra, sizeof(a.extra[0]), cmp_id);
	same_fields(a.extra, b.extra, a.n_extra);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as it is, then with its last 4 bytes replaced by the right CRC, so that mutations
 * reach the field checks behind the CRC instead of all failing there. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t sealed[VIETQR_MAX_LEN + 1];
	char hex[5];

	one(data, size);
	if (size < 8 || size > VIETQR_MAX_LEN)
		return 0;
	memcpy(sealed, data, size);
	snprintf(hex, sizeof(hex), "%04X", vietqr_crc16(sealed, size - 4));
	memcpy(sealed + size - 4, hex, 4);
	one(sealed, size);
	return 0;
}
