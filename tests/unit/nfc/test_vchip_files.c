/* SPDX-License-Identifier: MIT */
/* test_vchip_files.c - the virtual chip's files (drivers/nfc/vchip_files.c): the TD1 MRZ with its
 * check digits, the fixed files' exact bytes, DG2 sizes, DG14/DG15 keys and the fault modes. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "doc/dg13.h"
#include "doc/mrz.h"
#include "nfc/vchip_files.h"

static struct vchip_dataset ds;

static struct vchip_files *build(const char *file, unsigned faults)
{
	struct vchip_files *fs = malloc(sizeof(*fs));
	struct cccd_err e = {0};
	char path[128];

	snprintf(path, sizeof(path), "tests/fixtures/cards/%s", file);
	assert_non_null(fs);
	assert_int_equal(vchip_dataset_load(path, &ds, &e), 0);
	ds.chip.faults = faults;
	if (vchip_files_build(fs, &ds, &e))
		fail_msg("%s: %s", e.where, e.msg);
	return fs;
}

static void drop(struct vchip_files *fs)
{
	vchip_files_free(fs);
	free(fs);
}

/* ICAO 9303-3 §4.9 check digits (7-3-1) in the CCCD TD1 layout of FIELD-NOTES; the digits were
 * computed independently: 200012345 -> 7, 001200012345 -> 8, 000201 -> 5, 400201 -> 3, and the
 * composite over line 1 [6..30] + line 2 [1..7, 9..15, 19..29] -> 8. */
static void mrz_td1_worked_example(void **state)
{
	struct vchip_files *fs = build("an.ini", 0);

	(void)state;
	assert_memory_equal(fs->mrz, "IDVNM2000123457001200012345<<8", 30);
	assert_memory_equal(fs->mrz + 30, "0002015M4002013VNM<<<<<<<<<<<8", 30);
	assert_string_equal(fs->mrz + 60, "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<");
	drop(fs);
}

/* Negative twin: born a month later, the birth check digit and the composite change. */
static void mrz_changes_with_the_data(void **state)
{
	struct vchip_person p;
	char mrz[91];

	(void)state;
	assert_int_equal(vchip_dataset_load("tests/fixtures/cards/an.ini", &ds, NULL), 0);
	p = ds.person;
	p.birth_date.m = 3;
	assert_int_equal(vchip_mrz_td1(&p, mrz, NULL), 0);
	assert_memory_equal(mrz + 30, "0003012M4002013VNM<<<<<<<<<<<2", 30); /* 000301 -> 2 */
	/* no expiry: <<<<<< with check digit 0; Đ -> D */
	assert_int_equal(vchip_dataset_load("tests/fixtures/cards/no-expiry.ini", &ds, NULL), 0);
	assert_int_equal(vchip_mrz_td1(&ds.person, mrz, NULL), 0);
	assert_memory_equal(mrz + 30, "6003036M<<<<<<0VNM", 18);
	assert_string_equal(mrz + 60, "LE<<VAN<DUC<<<<<<<<<<<<<<<<<<<");
	/* a long name is cut at 30 */
	strcpy(p.full_name, "Tôn Nữ Thị Phương Thảo Nguyễn Hoàng");
	assert_int_equal(vchip_mrz_td1(&p, mrz, NULL), 0);
	assert_string_equal(mrz + 60, "TON<<NU<THI<PHUONG<THAO<NGUYEN");
}

/* DG1's MRZ as doc/mrz reads it: every check digit and the CCCD consistency rules hold. */
static void mrz_reads_back_through_the_parser(void **state)
{
	const struct cccd_date today = {2026, 11, 28};
	struct vchip_files *fs = build("an.ini", 0);
	char text[93];
	struct mrz m;
	struct cccd_err e = {0};

	(void)state;
	snprintf(text, sizeof(text), "%.30s\n%.30s\n%.30s", fs->mrz, fs->mrz + 30, fs->mrz + 60);
	if (mrz_parse((const uint8_t *)text, strlen(text), &today, &m, &e))
		fail_msg("%s: %s", e.where, e.msg);
	assert_string_equal(m.id_number, "001200012345");
	assert_string_equal(m.doc_number, "200012345");
	assert_int_equal(m.expiry.y, 2040);
	assert_int_equal(m.birth.y, 2000);
	assert_int_equal(m.sex, 'M');
	drop(fs);
	/* no-expiry card with an explicit MRZ expiry (what real cards print is unconfirmed) */
	assert_int_equal(vchip_dataset_load("tests/fixtures/cards/no-expiry.ini", &ds, NULL), 0);
	memcpy(ds.person.mrz_expiry, "991231", 7);
	assert_int_equal(vchip_mrz_td1(&ds.person, text, NULL), 0);
	assert_memory_equal(text + 30, "6003036M9912315VNM", 18);
}

static void fixed_files_are_byte_exact(void **state)
{
	struct vchip_files *fs = build("an.ini", 0);
	const struct vchip_file *f;

	(void)state;
	f = vchip_files_by_fid(fs, 0x011c);
	assert_non_null(f);
	assert_true(f->in_mf);
	assert_int_equal(f->len, 54);
	assert_memory_equal(f->data + 36, "\x06\x0a\x04\x00\x7f\x00\x07\x02\x02\x04\x02\x02", 12);
	assert_memory_equal(f->data + 51, "\x02\x01\x0d", 3); /* brainpoolP256r1 */
	f = vchip_files_by_sfi(fs, 0x1e);
	assert_non_null(f);
	assert_int_equal(f->len, 26);
	assert_memory_equal(f->data,
			    "\x60\x18\x5f\x01\x04"
			    "0107"
			    "\x5f\x36\x06"
			    "040000",
			    17);
	f = vchip_files_by_fid(fs, 0x0101);
	assert_int_equal(f->len, 95);
	assert_memory_equal(f->data, "\x61\x5d\x5f\x1f\x5a", 5);
	assert_memory_equal(f->data + 5, fs->mrz, 90);
	assert_true(vchip_files_by_fid(fs, 0x0103)->needs_ta);
	assert_null(vchip_files_by_fid(fs, 0x010b)); /* DG11 absent */
	assert_null(vchip_files_by_sfi(fs, 0x0c));
	assert_non_null(vchip_files_by_sfi(fs, 0x1d));
	drop(fs);
}

static void dg2_wraps_a_jpeg_of_the_asked_size(void **state)
{
	struct vchip_files *fs = build("long-address.ini", 0); /* photo_bytes = 36000 */
	const struct vchip_file *f = vchip_files_by_sfi(fs, 0x02);
	const uint8_t *fac;

	(void)state;
	assert_true(f->len > 32767);
	assert_memory_equal(f->data, "\x75\x82", 2);
	assert_int_equal(((size_t)f->data[2] << 8 | f->data[3]) + 4, f->len);
	fac = f->data + f->len - 36000 - 46;
	assert_memory_equal(fac,
			    "FAC\0"
			    "010\0",
			    8);
	assert_int_equal(fac[20], 2); /* female */
	assert_memory_equal(fac - 5, "\x5f\x2e\x82", 3);
	assert_memory_equal(fac + 46, "\xff\xd8", 2);
	assert_memory_equal(f->data + f->len - 2, "\xff\xd9", 2);
	drop(fs);
}

/* DG15 holds the chip's AA public key unless the chip is a clone; DG14 likewise for CA. */
static size_t spki(mbedtls_pk_context *k, uint8_t *out)
{
	int n = mbedtls_pk_write_pubkey_der(k, out, 600);

	assert_true(n > 0);
	memmove(out, out + 600 - n, (size_t)n);
	return (size_t)n;
}

static void key_files_and_key_faults(void **state)
{
	struct vchip_files *fs = build("an.ini", 0);
	uint8_t der[600];
	size_t n;

	(void)state;
	n = spki(&fs->aa_key, der);
	assert_memory_equal(vchip_files_by_sfi(fs, 0x0f)->data + 2, der, n);
	n = spki(&fs->ca_key, der);
	assert_non_null(
	    memmem(vchip_files_by_sfi(fs, 0x0e)->data, vchip_files_by_sfi(fs, 0x0e)->len, der, n));
	drop(fs);
	fs = build("an.ini", VCHIP_FAULT_AA_MISMATCH | VCHIP_FAULT_CA_WRONG_KEY);
	n = spki(&fs->aa_key, der);
	assert_memory_not_equal(vchip_files_by_sfi(fs, 0x0f)->data + 2, der, n);
	n = spki(&fs->ca_key, der);
	assert_null(
	    memmem(vchip_files_by_sfi(fs, 0x0e)->data, vchip_files_by_sfi(fs, 0x0e)->len, der, n));
	drop(fs);
}

/* DG13 as doc/dg13 reads it back: every dataset field by number, the long address whole. */
static void dg13_reads_back_through_the_parser(void **state)
{
	struct vchip_files *fs = build("long-address.ini", 0);
	const struct vchip_file *f = vchip_files_by_sfi(fs, 0x0d);
	struct dg13 d;

	(void)state;
	assert_non_null(f);
	assert_int_equal(f->fid, 0x010d);
	assert_int_equal(dg13_parse(f->data, f->len, &d, NULL), 0);
	assert_string_equal(d.id, ds.person.id_number);
	assert_string_equal(d.full_name, "Trần Thị Bích Ngọc");
	assert_string_equal(d.sex, "Nữ");
	assert_string_equal(d.residence, ds.person.residence);
	assert_true(strlen(d.residence) > 127);
	assert_string_equal(d.old_id, "025678901");
	assert_string_equal(d.spouse, "Võ Minh Quân");
	assert_true(d.expiry_is_date);
	assert_int_equal(d.expiry_date.y, 2045);
	assert_int_equal(date_cmp(&d.birth_date, &ds.person.birth_date), 0);
	drop(fs);
	fs = build("no-expiry.ini", 0);
	f = vchip_files_by_sfi(fs, 0x0d);
	assert_int_equal(dg13_parse(f->data, f->len, &d, NULL), 0);
	assert_false(d.expiry_is_date);
	assert_string_equal(d.expiry_text, "Không thời hạn");
	assert_string_equal(d.spouse, "");
	assert_true(dg13_has(&d, DG13_SPOUSE));
	drop(fs);
}

/* tamper_dg1 changes exactly one byte of DG1 and leaves EF.SOD as signed. */
static void tamper_changes_one_byte_after_signing(void **state)
{
	struct vchip_files *a = build("an.ini", 0);
	struct vchip_files *b = build("an.ini", VCHIP_FAULT_TAMPER_DG1 | VCHIP_FAULT_TAMPER_DG2 |
						    VCHIP_FAULT_TAMPER_DG13);
	const struct vchip_file *fa, *fb;
	int diff = 0;

	(void)state;
	fa = vchip_files_by_sfi(a, 0x01);
	fb = vchip_files_by_sfi(b, 0x01);
	for (size_t i = 0; i < fa->len; i++)
		diff += fa->data[i] != fb->data[i];
	assert_int_equal(diff, 1);
	fa = vchip_files_by_sfi(a, 0x0d);
	fb = vchip_files_by_sfi(b, 0x0d);
	diff = 0;
	for (size_t i = 0; i < fa->len; i++)
		diff += fa->data[i] != fb->data[i];
	assert_int_equal(diff, 1);
	assert_int_equal(dg13_parse(fb->data, fb->len, &(struct dg13){0}, NULL),
			 0); /* still valid */
	fa = vchip_files_by_sfi(a, 0x1d);
	fb = vchip_files_by_sfi(b, 0x1d);
	assert_int_equal(fa->len, fb->len);
	assert_memory_equal(fa->data, fb->data, fa->len);
	fa = vchip_files_by_sfi(a, 0x02);
	fb = vchip_files_by_sfi(b, 0x02);
	assert_memory_not_equal(fa->data, fb->data, fa->len);
	drop(a);
	drop(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(mrz_td1_worked_example),
	    cmocka_unit_test(mrz_changes_with_the_data),
	    cmocka_unit_test(mrz_reads_back_through_the_parser),
	    cmocka_unit_test(fixed_files_are_byte_exact),
	    cmocka_unit_test(dg2_wraps_a_jpeg_of_the_asked_size),
	    cmocka_unit_test(key_files_and_key_faults),
	    cmocka_unit_test(dg13_reads_back_through_the_parser),
	    cmocka_unit_test(tamper_changes_one_byte_after_signing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
