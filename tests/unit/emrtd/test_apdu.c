/* SPDX-License-Identifier: MIT */
/* test_apdu.c - APDU coding (ISO/IEC 7816-4 §5.1 cases 1-4, short/extended) and status words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "emrtd/apdu.h"
#include "testhex.h"

static void encode_parse_roundtrip(const struct apdu *a, const char *want)
{
	uint8_t buf[300];
	size_t n;
	struct apdu b;

	assert_int_equal(apdu_encode(a, buf, sizeof(buf), &n, NULL), 0);
	assert_hex_equal(buf, n, want);
	assert_int_equal(apdu_cmd_parse(buf, n, &b, NULL), 0);
	assert_int_equal(b.ins, a->ins);
	assert_int_equal(b.lc, a->lc);
	assert_int_equal(b.le, a->le);
	if (a->lc)
		assert_memory_equal(b.data, a->data, a->lc);
}

static void encode_four_cases_short(void **state)
{
	const uint8_t fid[] = {0x01, 0x1E};
	struct apdu c1 = {.cla = 0x00, .ins = 0x84};
	struct apdu c2 = {.ins = 0x84, .le = 8};
	struct apdu c2max = {.ins = 0xB0, .le = 256};
	struct apdu c3 = {.ins = 0xA4, .p1 = 0x02, .p2 = 0x0C, .data = fid, .lc = 2};
	struct apdu c4 = {.ins = 0xA4, .p1 = 0x02, .data = fid, .lc = 2, .le = 256};

	(void)state;
	encode_parse_roundtrip(&c1, "00840000");
	encode_parse_roundtrip(&c2, "0084000008");
	encode_parse_roundtrip(&c2max, "00B0000000");
	/* ICAO 9303-11 Appendix D.4: the unprotected SELECT EF.COM */
	encode_parse_roundtrip(&c3, "00A4020C02011E");
	encode_parse_roundtrip(&c4, "00A4020002011E00");
}

static void encode_extended_when_needed_or_forced(void **state)
{
	uint8_t data[300];
	uint8_t buf[400];
	size_t n;
	struct apdu c2e = {.ins = 0xB0, .le = 65536};
	struct apdu c2f = {.ins = 0xB0, .le = 0x1234, .extended = true};
	struct apdu c3e = {.ins = 0xD6, .data = data, .lc = 300};
	struct apdu c4e = {.ins = 0x86, .data = data, .lc = 2, .le = 256, .extended = true};
	struct apdu back;

	(void)state;
	memset(data, 0xAB, sizeof(data));
	encode_parse_roundtrip(&c2e, "00B00000000000");
	encode_parse_roundtrip(&c2f, "00B00000001234");
	encode_parse_roundtrip(&c4e, "0086000000 0002 ABAB 0100");
	assert_int_equal(apdu_encode(&c3e, buf, sizeof(buf), &n, NULL), 0);
	assert_int_equal(n, 7 + 300);
	assert_hex_equal(buf, 7, "00D6000000012C");
	assert_int_equal(apdu_cmd_parse(buf, n, &back, NULL), 0);
	assert_true(back.extended);
	assert_int_equal(back.lc, 300);
	assert_int_equal(back.le, 0);
}

static void encode_rejects_impossible_lengths(void **state)
{
	uint8_t buf[16];
	size_t n;
	struct cccd_err e;
	struct apdu toolong = {.ins = 0xB0, .le = 65537};
	struct apdu nodata = {.ins = 0xD6, .lc = 4};
	struct apdu big = {.ins = 0xB0, .le = 300};

	(void)state;
	assert_int_equal(apdu_encode(&toolong, buf, sizeof(buf), &n, &e), -CCCD_ERANGE);
	assert_int_equal(apdu_encode(&nodata, buf, sizeof(buf), &n, &e), -CCCD_ERANGE);
	assert_int_equal(apdu_encode(&big, buf, 6, &n, &e), -CCCD_ENOSPC);
	assert_int_equal(apdu_encode(&big, buf, 7, &n, &e), 0);
	assert_int_equal(n, 7);
}

static void cmd_parse_rejects_inconsistent(void **state)
{
	uint8_t buf[16];
	struct apdu a;
	struct cccd_err e;
	size_t n;

	(void)state;
	n = hex("00A402", buf, sizeof(buf));
	assert_int_equal(apdu_cmd_parse(buf, n, &a, &e), -CCCD_EFORMAT);
	n = hex("00A4020C03011E", buf, sizeof(buf)); /* Lc 3, 2 bytes follow */
	assert_int_equal(apdu_cmd_parse(buf, n, &a, &e), -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "byte 4"));
	n = hex("00A4020C02011E0000", buf, sizeof(buf)); /* one byte too many */
	assert_int_equal(apdu_cmd_parse(buf, n, &a, &e), -CCCD_EFORMAT);
	n = hex("00B0000000", buf, sizeof(buf)); /* Le 00 = 256, not extended */
	assert_int_equal(apdu_cmd_parse(buf, n, &a, &e), 0);
	assert_int_equal(a.le, 256);
	n = hex("00B000000000", buf, sizeof(buf)); /* 6 bytes: truncated extended */
	assert_int_equal(apdu_cmd_parse(buf, n, &a, &e), -CCCD_EFORMAT);
	n = hex("00D60000000000AA", buf, sizeof(buf)); /* extended Lc 0 */
	assert_int_equal(apdu_cmd_parse(buf, n, &a, &e), -CCCD_EFORMAT);
	n = hex("00D6000000000201", buf, sizeof(buf)); /* extended Lc 2, one byte */
	assert_int_equal(apdu_cmd_parse(buf, n, &a, &e), -CCCD_EFORMAT);
}

static void resp_parse_and_sw(void **state)
{
	uint8_t buf[8];
	struct apdu_resp r;
	struct cccd_err e;
	size_t n, v;

	(void)state;
	n = hex("60149000", buf, sizeof(buf));
	assert_int_equal(apdu_resp_parse(buf, n, &r, &e), 0);
	assert_int_equal(r.len, 2);
	assert_int_equal(r.sw, 0x9000);
	assert_true(apdu_sw_ok(r.sw));
	assert_int_equal(apdu_resp_parse(buf, 1, &r, &e), -CCCD_EFORMAT);
	assert_int_equal(apdu_resp_parse(buf, 0, &r, &e), -CCCD_EFORMAT);
	assert_int_equal(apdu_resp_parse(buf + 2, 2, &r, &e), 0);
	assert_int_equal(r.len, 0);

	assert_true(apdu_sw_more(0x6110, &v));
	assert_int_equal(v, 16);
	assert_true(apdu_sw_more(0x6100, &v));
	assert_int_equal(v, 256);
	assert_false(apdu_sw_more(0x6C10, &v));
	assert_true(apdu_sw_wrong_le(0x6CE7, &v));
	assert_int_equal(v, 231);
	assert_false(apdu_sw_wrong_le(0x9000, &v));
	assert_false(apdu_sw_ok(0x6282));
}

static void sw_codes_and_text(void **state)
{
	(void)state;
	assert_int_equal(apdu_sw_code(0x9000), 0);
	assert_int_equal(apdu_sw_code(0x6982), -CCCD_EAUTH);
	assert_int_equal(apdu_sw_code(0x6300), -CCCD_EAUTH);
	assert_int_equal(apdu_sw_code(0x63C2), -CCCD_EAUTH);
	assert_int_equal(apdu_sw_code(0x6A82), -CCCD_ENOENT);
	assert_int_equal(apdu_sw_code(0x6700), -CCCD_ERANGE);
	assert_int_equal(apdu_sw_code(0x6988), -CCCD_ECHECK);
	assert_int_equal(apdu_sw_code(0x6D00), -CCCD_ENOTSUP);
	assert_int_equal(apdu_sw_code(0x1234), -CCCD_ESW);
	assert_string_equal(apdu_sw_str(0x6A82), "file or application not found");
	assert_string_equal(apdu_sw_str(0x6282), "end of file before Le bytes");
	assert_string_equal(apdu_sw_str(0x6C00), "wrong Le (exact length in SW2)");
	assert_string_equal(apdu_sw_str(0x1234), "unexpected status word");
	assert_string_equal(apdu_sw_str(0x63C2), "verification failed (tries left in SW2)");
}

/* The DO reader over doc/tlv: short, 81 and 82 lengths; truncations, multi-byte tags and
 * non-minimal lengths refused. */
static void do_next_and_put(void **state)
{
	uint8_t buf[400];
	struct apdu_do d;
	struct cccd_err e;
	size_t n, off = 0, pos = 0;

	(void)state;
	n = hex("970104 8781E101", buf, sizeof(buf));
	memset(buf + n, 0x11, 0xE0); /* value: 01 + E0 bytes */
	n += 0xE0;
	assert_int_equal(apdu_do_next(buf, n, &off, &d, NULL), 1);
	assert_int_equal(d.tag, 0x97);
	assert_int_equal(d.len, 1);
	assert_int_equal(apdu_do_next(buf, n, &off, &d, NULL), 1);
	assert_int_equal(d.tag, 0x87);
	assert_int_equal(d.len, 0xE1);
	assert_int_equal(d.off, 3);
	assert_int_equal(apdu_do_next(buf, n, &off, &d, NULL), 0);
	off = 0;
	assert_int_equal(apdu_do_next(buf, n - 1, &off, &d, NULL), 1);
	assert_int_equal(apdu_do_next(buf, n - 1, &off, &d, &e), -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "byte 3"));
	off = 0;
	n = hex("7F4900", buf, sizeof(buf));
	assert_int_equal(apdu_do_next(buf, n, &off, &d, &e), -CCCD_EFORMAT);
	off = 0;
	n = hex("8783000001", buf, sizeof(buf));
	assert_int_equal(apdu_do_next(buf, n, &off, &d, &e), -CCCD_EFORMAT);
	off = 0;
	n = hex("8E8108 0102030405060708", buf, sizeof(buf)); /* fuzz find: non-minimal length */
	assert_int_equal(apdu_do_next(buf, n, &off, &d, &e), -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "shortest form"));
	off = 0;
	n = hex("878200FF", buf, sizeof(buf));
	assert_int_equal(apdu_do_next(buf, n, &off, &d, &e), -CCCD_EFORMAT);
	off = 0;
	n = hex("8782", buf, sizeof(buf));
	assert_int_equal(apdu_do_next(buf, n, &off, &d, &e), -CCCD_EFORMAT);
	off = 0;
	assert_int_equal(apdu_do_next(buf, 1, &off, &d, &e), -CCCD_EFORMAT);

	assert_int_equal(
	    apdu_do_put(buf, sizeof(buf), &pos, 0x80, (const uint8_t *)"\x01", 1, NULL), 0);
	assert_int_equal(apdu_do_put(buf, sizeof(buf), &pos, 0x87, NULL, 200, NULL), 0);
	assert_int_equal(pos, 3 + 3 + 200);
	assert_hex_equal(buf, 6, "8001018781C8");
	assert_int_equal(apdu_do_put(buf, sizeof(buf), &pos, 0x87, NULL, 300, &e), -CCCD_ENOSPC);
	pos = 0;
	assert_int_equal(apdu_do_put(buf, sizeof(buf), &pos, 0x87, NULL, 300, NULL), 0);
	assert_hex_equal(buf, 4, "8782012C");
	assert_int_equal(apdu_do_put(buf, sizeof(buf), &pos, 0x87, NULL, 70000, &e), -CCCD_ERANGE);
	assert_int_equal(apdu_do_hdr_len(0x7F), 2);
	assert_int_equal(apdu_do_hdr_len(0x80), 3);
	assert_int_equal(apdu_do_hdr_len(0x100), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(encode_four_cases_short),
	    cmocka_unit_test(encode_extended_when_needed_or_forced),
	    cmocka_unit_test(encode_rejects_impossible_lengths),
	    cmocka_unit_test(cmd_parse_rejects_inconsistent),
	    cmocka_unit_test(resp_parse_and_sw),
	    cmocka_unit_test(sw_codes_and_text),
	    cmocka_unit_test(do_next_and_put),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
