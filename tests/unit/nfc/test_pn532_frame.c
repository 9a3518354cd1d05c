/* SPDX-License-Identifier: MIT */
/* test_pn532_frame.c - PN532 host-link frames (drivers/nfc/pn532_frame.c), NXP UM0701-02 §6.2.1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "nfc/pn532_frame.h"

/* UM0701-02 §7.2.2 GetFirmwareVersion: command and the PN532 v1.6 answer (IC 32, ver 1, rev 6,
 * support 07), as libnfc's pn532_uart driver sends and expects them. */
static const uint8_t gfv_cmd[] = {0x00, 0x00, 0xFF, 0x02, 0xFE, 0xD4, 0x02, 0x2A, 0x00};
static const uint8_t gfv_resp[] = {0x00, 0x00, 0xFF, 0x06, 0xFA, 0xD5, 0x03,
				   0x32, 0x01, 0x06, 0x07, 0xE8, 0x00};

static void parses_normal_frame_after_wakeup(void **state)
{
	uint8_t buf[64] = {0x55, 0x55, 0x00, 0x00, 0x00, 0x00};
	struct pn532_frame f;

	(void)state;
	memcpy(buf + 6, gfv_cmd, sizeof(gfv_cmd));
	assert_int_equal(pn532_frame_parse(buf, 6 + sizeof(gfv_cmd), &f, NULL), 0);
	assert_int_equal(f.kind, PN532_FRAME_INFO);
	assert_int_equal(f.tfi, PN532_TFI_HOST);
	assert_int_equal(f.len, 1);
	assert_int_equal(f.data[0], 0x02);
	assert_int_equal(f.used, 6 + sizeof(gfv_cmd));
}

static void builds_firmware_answer(void **state)
{
	const uint8_t d[] = {0x03, 0x32, 0x01, 0x06, 0x07};
	uint8_t out[PN532_FRAME_MAX];
	size_t n;

	(void)state;
	assert_int_equal(
	    pn532_frame_build(PN532_TFI_CHIP, d, sizeof(d), out, sizeof(out), &n, NULL), 0);
	assert_int_equal(n, sizeof(gfv_resp));
	assert_memory_equal(out, gfv_resp, n);
	/* negative twin: one byte short of room */
	assert_int_equal(pn532_frame_build(PN532_TFI_CHIP, d, sizeof(d), out, n - 1, &n, NULL),
			 -CCCD_ENOSPC);
}

static void ack_nack_and_error_frames(void **state)
{
	const uint8_t err[] = {0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00};
	struct pn532_frame f;

	(void)state;
	assert_int_equal(pn532_frame_parse(pn532_frame_ack, 6, &f, NULL), 0);
	assert_int_equal(f.kind, PN532_FRAME_ACK);
	assert_int_equal(f.used, 6);
	assert_int_equal(pn532_frame_parse(pn532_frame_nack, 6, &f, NULL), 0);
	assert_int_equal(f.kind, PN532_FRAME_NACK);
	assert_int_equal(pn532_frame_parse(err, sizeof(err), &f, NULL), 0);
	assert_int_equal(f.kind, PN532_FRAME_ERROR);
}

static void extended_frame_round_trip(void **state)
{
	uint8_t d[300], out[PN532_FRAME_MAX];
	struct pn532_frame f;
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(d); i++)
		d[i] = (uint8_t)(i * 7);
	assert_int_equal(pn532_frame_build(PN532_TFI_CHIP, d, 264, out, sizeof(out), &n, NULL), 0);
	assert_int_equal(n, 264 + 11);
	assert_int_equal(out[3], 0xFF);
	assert_int_equal(out[4], 0xFF);
	assert_int_equal(pn532_frame_parse(out, n, &f, NULL), 0);
	assert_int_equal(f.len, 264);
	assert_memory_equal(f.data, d, 264);
	/* one byte more than the PN53x frame carries */
	assert_int_equal(pn532_frame_build(PN532_TFI_CHIP, d, 265, out, sizeof(out), &n, NULL),
			 -CCCD_ERANGE);
}

static void truncated_frame_asks_for_more(void **state)
{
	struct pn532_frame f;
	struct cccd_err e;

	(void)state;
	for (size_t cut = 0; cut < sizeof(gfv_resp); cut++) {
		assert_int_equal(pn532_frame_parse(gfv_resp, cut, &f, &e), -CCCD_EFORMAT);
		assert_true(f.need > cut);
	}
}

static void bad_checksums_are_rejected(void **state)
{
	uint8_t b[sizeof(gfv_resp)];
	struct pn532_frame f;
	struct cccd_err e;

	(void)state;
	memcpy(b, gfv_resp, sizeof(b));
	b[4] ^= 1; /* LCS */
	assert_int_equal(pn532_frame_parse(b, sizeof(b), &f, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "byte 4: length checksum mismatch");
	assert_int_equal(f.need, 0);
	memcpy(b, gfv_resp, sizeof(b));
	b[8] ^= 1; /* data */
	assert_int_equal(pn532_frame_parse(b, sizeof(b), &f, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "byte 11: data checksum mismatch");
	assert_int_equal(f.used, sizeof(b));
	memcpy(b, gfv_resp, sizeof(b));
	b[12] = 0x01; /* postamble */
	assert_int_equal(pn532_frame_parse(b, sizeof(b), &f, &e), -CCCD_EFORMAT);
	assert_string_equal(e.msg, "byte 12: postamble not 00");
}

static void junk_without_start_code_is_dropped(void **state)
{
	const uint8_t junk[] = {0x55, 0x55, 0x12, 0x00};
	struct pn532_frame f;

	(void)state;
	assert_int_equal(pn532_frame_parse(junk, sizeof(junk), &f, NULL), -CCCD_EFORMAT);
	assert_int_equal(f.used, 3); /* the trailing 00 may start a preamble */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_normal_frame_after_wakeup),
	    cmocka_unit_test(builds_firmware_answer),
	    cmocka_unit_test(ack_nack_and_error_frames),
	    cmocka_unit_test(extended_frame_round_trip),
	    cmocka_unit_test(truncated_frame_asks_for_more),
	    cmocka_unit_test(bad_checksums_are_rejected),
	    cmocka_unit_test(junk_without_start_code_is_dropped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
