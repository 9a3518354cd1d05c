/* SPDX-License-Identifier: MIT */
/*
 * test_dg13.c - DG13 parser and builder (daemon/doc/dg13.c). The layout and field numbers come
 * from FIELD-NOTES.md "DG13 field numbers" (6D { 30 { INTEGER 1, OID 1.0.10646.1.0.8, SET } },
 * SET not DER-sorted, no spouse = 30 03 02 01 0E, old ID may be empty). People are synthetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "doc/dg13.h"
#include "doc/tlv.h"

#define HAS(e, s) assert_non_null(strstr((e).msg, (s)))

/* A whole card's DG13, written by hand field by field in the order a card uses. 554 bytes. */
static const char card_hex[] =
    "6D820226 30820222 020101 060628D316010008 31820213"
    /* 1 ID "001200012345" PrintableString */
    "3011020101 130C303031323030303132333435"
    /* 2 full name "Nguyễn Văn An" */
    "3015020102 0C104E677579E1BB856E2056C4836E20416E"
    /* 3 birth "01/02/2000" */
    "300F020103 130A30312F30322F32303030"
    /* 4 "Nam", 5 "Việt Nam", 6 "Kinh", 7 "Không" */
    "3008020104 0C034E616D"
    "300F020105 0C0A5669E1BB8774204E616D"
    "3009020106 0C044B696E68"
    "300B020107 0C064B68C3B46E67"
    /* 8 place of origin "Xã Đông Hưng, Huyện Đông Hưng, Tỉnh Thái Bình" */
    "303F020108 0C3A58C3A320C490C3B46E672048C6B06E672C20487579E1BB876E20C490C3B46E672048C6B0"
    "6E672C2054E1BB896E68205468C3A1692042C3AC6E68"
    /* 9 residence, 200 bytes: long-form lengths 30 81 CE and 0C 81 C8 */
    "3081CE0201090C81C853E1BB91206E68C3A02031322C204E67C3B5203334205068E1BB91204E677579E1BB85"
    "6E205472C3A3692C2054E1BB952064C3A26E207068E1BB912073E1BB9120352C205068C6B0E1BB9D6E672054"
    "68C6B0E1BBA36E6720C490C3AC6E682C205175E1BAAD6E205468616E68205875C3A26E2C205468C3A06E6820"
    "7068E1BB912048C3A0204EE1BB99692C206B68752074E1BAAD70207468E1BB83204E68C3A0206DC3A1792043"
    "616F2073752053616F2056C3A06E672063C5A92C2064C3A3792042372C20503132"
    /* 10 identifying marks "Nốt ruồi C:1cm trên sau mép phải" */
    "302D02010A 0C284EE1BB9174207275E1BB936920433A31636D207472C3AA6E20736175206DC3A9702070"
    "68E1BAA369"
    /* 11 issue "15/08/2021", 12 expiry "01/02/2025" (renewal at 25) */
    "300F02010B 130A31352F30382F32303231"
    "300F02010C 0C0A30312F30322F32303235"
    /* 13 father "Nguyễn Văn Bình", mother "Trần Thị Cúc" */
    "302B02010D 0C134E677579E1BB856E2056C4836E2042C3AC6E68 0C115472E1BAA76E205468E1BB8B2043C3BA63"
    /* 14 no spouse: the number only; 15 old ID empty; 16 unknown, kept raw */
    "300302010E"
    "300502010F 1300"
    "3007020110 13023132";

/* Fields 9, 17 (unknown), 2, 1 in that order; 3..8 and 10..16 missing. 81 bytes. */
static const char unsorted_hex[] =
    "6D4F 304D 020101 060628D316010008 3140"
    "300E020109 0C0948C3A0204EE1BB9969"		  /* 9 "Hà Nội" */
    "3006020111 0C0178"				  /* 17 "x" */
    "3013020102 0C0E4CC3AA205468E1BB8B2044756E67" /* 2 "Lê Thị Dung" */
    "3011020101 130C303739333030303031323334";	  /* 1 */

/* 12 "Không thời hạn" (no-expiry card), 13 parents wrapped in a SEQUENCE, 14 a spouse,
 * 15 old ID as IA5String. 125 bytes. */
static const char spouse_hex[] =
    "6D7B 3079 020101 060628D316010008 316C"
    "301802010C 0C134B68C3B46E67207468E1BB9D692068E1BAA16E"
    "302902010D 3024 0C115068E1BAA16D2056C4836E2048C3B96E67 0C0FC490E1BB97205468E1BB8B204C616E"
    "301502010E 0C10486FC3A06E672056C4836E204D696E68"
    "300E02010F 1609313233343536373839";

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s == ' ')
			continue;
		v = (*s >= 'A') ? *s - 'A' + 10 : *s - '0';
		if (hi < 0) {
			hi = v;
			continue;
		}
		assert_true(n < cap);
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	assert_int_equal(hi, -1);
	return n;
}

/* The DG13 header around a SET whose contents are set[0..n). */
static size_t wrap_set(const uint8_t *set, size_t n, uint8_t *out, size_t cap)
{
	static const uint8_t oid[] = {0x28, 0xD3, 0x16, 0x01, 0x00, 0x08};
	struct tlv_writer w;
	size_t m1, m2, len = 0;

	tlv_writer_init(&w, out, cap);
	m1 = tlv_open(&w, 0x6D);
	m2 = tlv_open(&w, 0x30);
	tlv_put_uint(&w, 0x02, 1);
	tlv_put(&w, 0x06, oid, sizeof(oid));
	tlv_put(&w, 0x31, set, n);
	tlv_close(&w, m2);
	tlv_close(&w, m1);
	assert_int_equal(tlv_writer_done(&w, &len), 0);
	return len;
}

static void real_card_layout(void **state)
{
	uint8_t b[600];
	size_t n = unhex(card_hex, b, sizeof(b));
	struct dg13 d;
	struct cccd_err e;

	(void)state;
	assert_int_equal(n, 554);
	assert_int_equal(dg13_parse(b, n, &d, &e), 0);
	assert_int_equal(d.version, 1);
	assert_int_equal(d.present, 0x1FFFE); /* fields 1..16 */
	assert_string_equal(d.id, "001200012345");
	assert_string_equal(d.full_name, "Nguyễn Văn An");
	assert_int_equal(d.birth_date.y, 2000);
	assert_int_equal(d.birth_date.m, 2);
	assert_int_equal(d.birth_date.d, 1);
	assert_string_equal(d.sex, "Nam");
	assert_string_equal(d.nationality, "Việt Nam");
	assert_string_equal(d.ethnicity, "Kinh");
	assert_string_equal(d.religion, "Không");
	assert_string_equal(d.place_of_origin, "Xã Đông Hưng, Huyện Đông Hưng, Tỉnh Thái Bình");
	assert_int_equal(strlen(d.residence), 200);
	assert_non_null(strstr(d.residence, "Quận Thanh Xuân, Thành phố Hà Nội"));
	assert_string_equal(d.identifying_marks, "Nốt ruồi C:1cm trên sau mép phải");
	assert_int_equal(d.issue_date.y, 2021);
	assert_int_equal(d.issue_date.m, 8);
	assert_int_equal(d.issue_date.d, 15);
	assert_true(d.expiry_is_date);
	assert_int_equal(d.expiry_date.y, 2025);
	assert_string_equal(d.expiry_text, "");
	assert_string_equal(d.father, "Nguyễn Văn Bình");
	assert_string_equal(d.mother, "Trần Thị Cúc");
	assert_string_equal(d.spouse, "");
	assert_true(dg13_has(&d, DG13_SPOUSE));
	assert_true(dg13_has(&d, DG13_OLD_ID));
	assert_string_equal(d.old_id, "");
	assert_int_equal(d.raw16_len, 4);
	assert_memory_equal(d.raw16,
			    "\x13\x02"
			    "12",
			    4);
	assert_int_equal(d.n_unknown, 0);
}

/* The builder writes exactly the hand-made card: same order, string types, length forms. */
static void build_reproduces_real_card(void **state)
{
	uint8_t b[600], out[600];
	size_t n = unhex(card_hex, b, sizeof(b)), len = 0;
	struct dg13 d;

	(void)state;
	assert_int_equal(dg13_parse(b, n, &d, NULL), 0);
	assert_int_equal(dg13_build(&d, out, sizeof(out), &len, NULL), 0);
	assert_int_equal(len, n);
	assert_memory_equal(out, b, n);
}

static void unsorted_unknown_and_missing(void **state)
{
	uint8_t b[128];
	size_t n = unhex(unsorted_hex, b, sizeof(b));
	struct dg13 d;

	(void)state;
	assert_int_equal(n, 81);
	assert_int_equal(dg13_parse(b, n, &d, NULL), 0);
	assert_int_equal(d.present, (1u << 1) | (1u << 2) | (1u << 9));
	assert_string_equal(d.id, "079300001234");
	assert_string_equal(d.full_name, "Lê Thị Dung");
	assert_string_equal(d.residence, "Hà Nội");
	assert_false(dg13_has(&d, DG13_BIRTH_DATE));
	assert_int_equal(d.birth_date.y, 0);
	assert_false(dg13_has(&d, DG13_SPOUSE));
	assert_int_equal(d.n_unknown, 1);
	assert_int_equal(d.unknown[0], 17);
}

static void spouse_expiry_text_wrapped_parents(void **state)
{
	uint8_t b[160], out[160];
	size_t n = unhex(spouse_hex, b, sizeof(b)), len;
	struct dg13 d, d2;

	(void)state;
	assert_int_equal(n, 125);
	assert_int_equal(dg13_parse(b, n, &d, NULL), 0);
	assert_false(d.expiry_is_date);
	assert_string_equal(d.expiry_text, "Không thời hạn");
	assert_string_equal(d.father, "Phạm Văn Hùng");
	assert_string_equal(d.mother, "Đỗ Thị Lan");
	assert_string_equal(d.spouse, "Hoàng Văn Minh");
	assert_string_equal(d.old_id, "123456789");
	/* rebuilt in the card's flat form, it reads back the same */
	assert_int_equal(dg13_build(&d, out, sizeof(out), &len, NULL), 0);
	assert_int_equal(dg13_parse(out, len, &d2, NULL), 0);
	assert_memory_equal(&d, &d2, sizeof(d));
	assert_int_equal(len, n - 2); /* 30 24 wrapper gone */
}

static void decomposed_text_becomes_nfc(void **state)
{
	/* field 2 "Nguyễn" as e + U+0302 + U+0303 (NFD, as some encoders send it) */
	static const uint8_t set[] = {0x30, 0x0E, 0x02, 0x01, 0x02, 0x0C, 0x09, 'N',
				      'g',  'u',  'y',	'e',  0xCC, 0x82, 0xCC, 0x83};
	uint8_t b[64], fixed[64];
	size_t n;
	struct dg13 d;

	(void)state;
	memcpy(fixed, set, sizeof(set));
	fixed[sizeof(set)] = 'n';
	fixed[1] = 0x0F, fixed[6] = 0x0A;
	n = wrap_set(fixed, sizeof(set) + 1, b, sizeof(b));
	assert_int_equal(dg13_parse(b, n, &d, NULL), 0);
	assert_string_equal(d.full_name, "Nguy\xE1\xBB\x85n");
}

/* Copy hex into b and change one byte; returns the length. */
static size_t patched(const char *hex, uint8_t *b, size_t cap, size_t at, uint8_t v)
{
	size_t n = unhex(hex, b, cap);

	assert_true(at < n);
	b[at] = v;
	return n;
}

static void invalid_structure(void **state)
{
	uint8_t b[600];
	size_t n;
	struct dg13 d;
	struct cccd_err e;

	(void)state;
	n = patched(unsorted_hex, b, sizeof(b), 0, 0x6C);
	assert_int_equal(dg13_parse(b, n, &d, &e), -CCCD_EFORMAT);
	assert_string_equal(e.where, "dg13");
	HAS(e, "file: byte 0: tag 6C, expected 6D");
	n = patched(unsorted_hex, b, sizeof(b), 10, 0xD4);
	assert_int_equal(dg13_parse(b, n, &d, &e), -CCCD_EFORMAT);
	HAS(e, "byte 7: OID is not 1.0.10646.1.0.8");
	n = patched(unsorted_hex, b, sizeof(b), 4, 0x04); /* version INTEGER → OCTET STRING */
	assert_int_equal(dg13_parse(b, n, &d, &e), -CCCD_EFORMAT);
	HAS(e, "byte 4: version: tag 4, expected 2");
	n = patched(unsorted_hex, b, sizeof(b), 17, 0x31); /* a SET element that is not 30 */
	assert_int_equal(dg13_parse(b, n, &d, &e), -CCCD_EFORMAT);
	HAS(e, "byte 17: SET element tag 31, expected 30");
	n = unhex(unsorted_hex, b, sizeof(b));
	b[n] = 0x00;
	assert_int_equal(dg13_parse(b, n + 1, &d, &e), -CCCD_EFORMAT);
	HAS(e, "1 trailing bytes");
}

static void duplicate_field(void **state)
{
	uint8_t b[128];
	size_t n;
	struct dg13 d;
	struct cccd_err e;

	(void)state;
	n = patched(unsorted_hex, b, sizeof(b), 66, 0x02); /* field 1 renumbered 2 */
	assert_int_equal(dg13_parse(b, n, &d, &e), -CCCD_EFORMAT);
	HAS(e, "field 2 at byte 62: appears twice");
	n = patched(unsorted_hex, b, sizeof(b), 66, 0x11); /* field 1 renumbered 17 */
	assert_int_equal(dg13_parse(b, n, &d, &e), -CCCD_EFORMAT);
	HAS(e, "field 17 at byte 62: appears twice");
}

static void bad_utf8_names_field_and_offset(void **state)
{
	uint8_t b[128];
	size_t n;
	struct dg13 d;
	struct cccd_err e;

	(void)state;
	/* field 2 starts at byte 41 (17 header + 16 + 8); its text at 48: 4C C3 AA -> 4C FF AA */
	n = patched(unsorted_hex, b, sizeof(b), 49, 0xFF);
	assert_int_equal(dg13_parse(b, n, &d, &e), -CCCD_EFORMAT);
	HAS(e, "field 2 at byte 49: invalid UTF-8 lead byte 0xFF");
	n = patched(unsorted_hex, b, sizeof(b), 50, 0x41); /* C3 41: bad continuation */
	assert_int_equal(dg13_parse(b, n, &d, &e), -CCCD_EFORMAT);
	HAS(e, "field 2 at byte 50: invalid UTF-8 continuation");
}

static void bad_values(void **state)
{
	static const struct {
		const char *set;
		const char *msg;
	} v[] = {
	    {"300F020103 130A33312F30322F32303030", "field 3 at byte 22: not a date"},
	    {"300F02010B 130A31352F31332F32303231", "field 11 at byte 22: not a date"},
	    {"3005020103 1300", "field 3 at byte 22: not a date"},
	    {"3003020103", "field 3 at byte 17: no value"},
	    {"3006020102 020105", "field 2 at byte 22: tag 2 is not a string"},
	    {"3009020102 0C0141 0C0142", "field 2 at byte 25: more than 1 value"},
	    {"300C02010D 0C0141 0C0142 0C0143", "field 13 at byte 28: more than 2 value"},
	    {"3000", "byte 19: field number missing"},
	    {"3003020180", "byte 19: field number negative"},
	    {"3003 0C0141", "byte 19: field number: tag C, expected 2"},
	    {"3006020102 0C0541", "field 2: byte 23: value of 5 bytes, only 1 left"},
	};
	uint8_t set[64], b[128];
	struct dg13 d;
	struct cccd_err e;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t n = wrap_set(set, unhex(v[i].set, set, sizeof(set)), b, sizeof(b));

		assert_int_equal(dg13_parse(b, n, &d, &e), -CCCD_EFORMAT);
		if (!strstr(e.msg, v[i].msg))
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, e.msg, v[i].msg);
	}
}

/* A residence of `len` bytes of 'a' as the only field. */
static size_t residence_of(size_t len, uint8_t *b, size_t cap)
{
	uint8_t set[700], text[700];
	struct tlv_writer w;
	size_t m, n = 0;

	memset(text, 'a', len);
	tlv_writer_init(&w, set, sizeof(set));
	m = tlv_open(&w, 0x30);
	tlv_put_uint(&w, 0x02, DG13_RESIDENCE);
	tlv_put(&w, 0x0C, text, len);
	tlv_close(&w, m);
	assert_int_equal(tlv_writer_done(&w, &n), 0);
	return wrap_set(set, n, b, cap);
}

static void residence_bounds(void **state)
{
	uint8_t b[800];
	size_t n;
	struct dg13 d;
	struct cccd_err e;

	(void)state;
	n = residence_of(DG13_ADDR_MAX - 1, b, sizeof(b));
	assert_int_equal(dg13_parse(b, n, &d, NULL), 0);
	assert_int_equal(strlen(d.residence), DG13_ADDR_MAX - 1);
	n = residence_of(DG13_ADDR_MAX, b, sizeof(b));
	assert_int_equal(dg13_parse(b, n, &d, &e), -CCCD_ERANGE);
	HAS(e, "field 9 at byte 30: 512 bytes of text, at most 511");
	n = residence_of(600, b, sizeof(b));
	assert_int_equal(dg13_parse(b, n, &d, &e), -CCCD_ERANGE);
	HAS(e, "field 9");
}

/* Every proper prefix fails cleanly (exact-size copies, so ASan sees any over-read). */
static void truncated_at_every_length(void **state)
{
	uint8_t b[600];
	size_t n = unhex(card_hex, b, sizeof(b));
	struct dg13 d;
	struct cccd_err e;

	(void)state;
	for (size_t cut = 0; cut < n; cut++) {
		uint8_t *p = malloc(cut ? cut : 1);

		memcpy(p, b, cut);
		assert_int_equal(dg13_parse(p, cut, &d, &e), -CCCD_EFORMAT);
		assert_string_equal(e.where, "dg13");
		free(p);
	}
}

static void fill_person(struct dg13 *d)
{
	dg13_init(d);
	d->present = 0x1FFFE;
	strcpy(d->id, "038185000123");
	strcpy(d->full_name, "Đặng Thị Hồng Nhung");
	d->birth_date = (struct cccd_date){1965, 12, 31};
	strcpy(d->sex, "Nữ");
	strcpy(d->nationality, "Việt Nam");
	strcpy(d->ethnicity, "Tày");
	strcpy(d->religion, "Phật giáo");
	strcpy(d->place_of_origin, "Thanh Hóa");
	memset(d->residence, 'x', 300); /* long form on the field, the SET and the file */
	strcpy(d->identifying_marks, "Sẹo chấm");
	d->issue_date = (struct cccd_date){2024, 7, 1};
	strcpy(d->expiry_text, "Không thời hạn");
	strcpy(d->father, "Đặng Văn Tư");
	strcpy(d->spouse, "Lý Văn Sáu");
	memcpy(d->raw16, "\x0C\x00", 2);
	d->raw16_len = 2;
}

static void build_parse_round_trip(void **state)
{
	uint8_t out[1024];
	size_t len = 0;
	struct dg13 d, back;

	(void)state;
	fill_person(&d);
	assert_int_equal(dg13_build(&d, out, sizeof(out), &len, NULL), 0);
	assert_int_equal(dg13_parse(out, len, &back, NULL), 0);
	assert_memory_equal(&d, &back, sizeof(d));
	assert_string_equal(back.mother, ""); /* 13 written with an empty mother */
	/* a card with no fields at all is still a well-formed DG13 */
	dg13_init(&d);
	assert_int_equal(dg13_build(&d, out, sizeof(out), &len, NULL), 0);
	assert_int_equal(len, 17); /* 6D 0F 30 0D 02 01 01 06 06 .. 31 00 */
	assert_int_equal(dg13_parse(out, len, &back, NULL), 0);
	assert_int_equal(back.present, 0);
}

static void build_overflow_at_every_capacity(void **state)
{
	uint8_t out[1024];
	size_t need = 0, len;
	struct dg13 d;
	struct cccd_err e;

	(void)state;
	fill_person(&d);
	assert_int_equal(dg13_build(&d, out, sizeof(out), &need, NULL), 0);
	for (size_t cap = 0; cap < need; cap++) {
		assert_int_equal(dg13_build(&d, out, cap, &len, &e), -CCCD_ENOSPC);
		HAS(e, "does not fit");
	}
	assert_int_equal(dg13_build(&d, out, need, &len, NULL), 0);
	assert_int_equal(len, need);
}

static void build_rejects_bad_struct(void **state)
{
	uint8_t out[1024];
	size_t len;
	struct dg13 d;
	struct cccd_err e;

	(void)state;
	fill_person(&d);
	d.full_name[3] = (char)0xFF;
	assert_int_equal(dg13_build(&d, out, sizeof(out), &len, &e), -CCCD_EINVAL);
	HAS(e, "field 2: invalid UTF-8");
	fill_person(&d);
	d.birth_date.m = 13;
	assert_int_equal(dg13_build(&d, out, sizeof(out), &len, &e), -CCCD_EINVAL);
	HAS(e, "field 3: not a valid date");
	fill_person(&d);
	memset(d.id, '1', sizeof(d.id));
	assert_int_equal(dg13_build(&d, out, sizeof(out), &len, &e), -CCCD_EINVAL);
	HAS(e, "field 1: text not terminated");
	fill_person(&d);
	d.raw16_len = DG13_RAW_MAX + 1;
	assert_int_equal(dg13_build(&d, out, sizeof(out), &len, &e), -CCCD_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(real_card_layout),
	    cmocka_unit_test(build_reproduces_real_card),
	    cmocka_unit_test(unsorted_unknown_and_missing),
	    cmocka_unit_test(spouse_expiry_text_wrapped_parents),
	    cmocka_unit_test(decomposed_text_becomes_nfc),
	    cmocka_unit_test(invalid_structure),
	    cmocka_unit_test(duplicate_field),
	    cmocka_unit_test(bad_utf8_names_field_and_offset),
	    cmocka_unit_test(bad_values),
	    cmocka_unit_test(residence_bounds),
	    cmocka_unit_test(truncated_at_every_length),
	    cmocka_unit_test(build_parse_round_trip),
	    cmocka_unit_test(build_overflow_at_every_capacity),
	    cmocka_unit_test(build_rejects_bad_struct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
