/* SPDX-License-Identifier: MIT */
/* test_link_sim.c - the sim: card_link in plain mode: opening, knobs, model time and faults, and
 * the APDU exchanges a terminal starts with (drivers/nfc/link_sim.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "card_link.h"
#include "nfc/link_sim.h"

#define AN "sim:tests/fixtures/cards/an.ini"

static size_t unhex(const char *hex, uint8_t *out)
{
	size_t n = 0;

	for (; hex[0] && hex[1]; hex += 2) {
		while (*hex == ' ')
			hex++;
		unsigned v;
		sscanf(hex, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

/* Send the APDU in hex, return SW; resp gets the whole response. */
static unsigned xchg(struct card_link *l, const char *hex, uint8_t *resp, size_t *n)
{
	uint8_t cmd[300];
	size_t len = unhex(hex, cmd);

	assert_int_equal(card_link_transceive(l, cmd, len, resp, CARD_LINK_MAX_RESP, n, NULL), 0);
	return (unsigned)resp[*n - 2] << 8 | resp[*n - 1];
}

static struct card_link *open_sim(const char *uri)
{
	struct card_link *l = calloc(1, sizeof(*l));
	struct cccd_err e = {0};

	assert_non_null(l);
	if (card_link_open(l, uri, &e))
		fail_msg("open %s: %s: %s", uri, e.where, e.msg);
	return l;
}

static void close_sim(struct card_link *l)
{
	card_link_close(l);
	free(l);
}

static void opens_and_reports_present(void **state)
{
	struct card_link *l = open_sim(AN "?sm=0");
	struct link_sim_stats st;

	(void)state;
	assert_int_equal(card_link_wait_card(l, 0, NULL), 1);
	assert_int_equal(card_link_max_apdu(l), CARD_LINK_EXT_APDU);
	assert_int_equal(link_sim_stats(l, &st), 0);
	assert_true(st.card_present);
	assert_int_equal(st.apdus, 0);
	close_sim(l);
}

static void bad_uris_are_rejected(void **state)
{
	struct card_link l;
	struct cccd_err e = {0};

	(void)state;
	assert_int_equal(card_link_open(&l, "sim:tests/fixtures/cards/nope.ini", &e), -CCCD_EIO);
	assert_int_equal(card_link_open(&l, AN "?max_le=0", &e), -CCCD_EINVAL);
	assert_non_null(strstr(e.msg, "max_le"));
	assert_int_equal(card_link_open(&l, AN "?colour=red", &e), -CCCD_EINVAL);
	assert_non_null(strstr(e.msg, "colour"));
	assert_int_equal(card_link_open(&l, AN "?faults=melt", &e), -CCCD_EINVAL);
	assert_int_equal(card_link_open(&l, AN "?ext", &e), -CCCD_EINVAL);
	assert_int_equal(card_link_open(&l, AN "?eof=6a82", &e), -CCCD_EINVAL);
	assert_int_equal(card_link_open(&l, AN "?bac=2", &e), -CCCD_EINVAL);
}

/* FIELD-NOTES: select the LDS1 AID, SELECT MF answers 6D00, EF.CardAccess by SFI 1C. */
static void select_aid_mf_and_card_access(void **state)
{
	struct card_link *l = open_sim(AN);
	uint8_t r[CARD_LINK_MAX_RESP];
	size_t n;

	(void)state;
	assert_int_equal(xchg(l, "00A4000C023F00", r, &n), 0x6d00);
	assert_int_equal(n, 2);
	assert_int_equal(xchg(l, "00B09C0000", r, &n), 0x6282); /* 54 bytes < Le 256 */
	assert_int_equal(n, 54 + 2);
	assert_memory_equal(r, "\x31\x34\x30\x0d\x06\x08\x04\x00\x7f\x00\x07\x02\x02\x02", 14);
	assert_int_equal(xchg(l, "00A4040C07A0000002471001", r, &n), 0x9000);
	assert_int_equal(xchg(l, "00A4040C07A0000002471002", r, &n), 0x6a82);
	close_sim(l);
	/* a chip without PACE has no EF.CardAccess */
	l = open_sim(AN "?pace=0");
	assert_int_equal(xchg(l, "00B09C0000", r, &n), 0x6a82);
	assert_int_equal(xchg(l, "0C B0 9C 00 00", r, &n), 0x6882); /* SM without a session */
	close_sim(l);
}

/* With access control required (the default) no LDS file is readable in plain. */
static void no_data_without_secure_messaging(void **state)
{
	struct card_link *l = open_sim(AN);
	uint8_t r[CARD_LINK_MAX_RESP];
	size_t n;

	(void)state;
	assert_int_equal(xchg(l, "00A4040C07A0000002471001", r, &n), 0x9000);
	assert_int_equal(xchg(l, "00A4020C02011E", r, &n), 0x6982);
	assert_int_equal(xchg(l, "00B09E0000", r, &n), 0x6982);
	assert_int_equal(n, 2);
	assert_int_equal(xchg(l, "00880000080102030405060708", r, &n), 0x6982);
	/* before the application is selected the LDS files do not exist */
	close_sim(l);
	l = open_sim(AN "?sm=0");
	assert_int_equal(xchg(l, "00A4020C02011E", r, &n), 0x6a82);
	close_sim(l);
}

static void plain_read_com_by_select_and_sfi(void **state)
{
	struct card_link *l = open_sim(AN "?sm=0");
	uint8_t r[CARD_LINK_MAX_RESP];
	size_t n;

	(void)state;
	assert_int_equal(xchg(l, "00A4040C07A0000002471001", r, &n), 0x9000);
	assert_int_equal(xchg(l, "00A4020C02011E", r, &n), 0x9000);
	assert_int_equal(xchg(l, "00B0000004", r, &n), 0x9000);
	assert_memory_equal(r, "\x60\x18\x5f\x01", 4);
	assert_int_equal(xchg(l, "00B0000510", r, &n), 0x9000);
	assert_int_equal(n, 16 + 2);
	assert_memory_equal(r, "0107", 4);
	/* by SFI 1E without a SELECT; 26 bytes, Le 00 = 256 */
	assert_int_equal(xchg(l, "00B09E0000", r, &n), 0x6282);
	assert_int_equal(n, 26 + 2);
	assert_memory_equal(r + 18, "\x5c\x06\x61\x75\x63\x6d\x6e\x6f", 8);
	/* offset past the end, and exactly at the end */
	assert_int_equal(xchg(l, "00B0001B01", r, &n), 0x6b00);
	assert_int_equal(xchg(l, "00B0001A01", r, &n), 0x6282);
	assert_int_equal(n, 2);
	close_sim(l);
}

static void select_with_fcp_and_missing_files(void **state)
{
	struct card_link *l = open_sim(AN "?sm=0");
	uint8_t r[CARD_LINK_MAX_RESP];
	size_t n;

	(void)state;
	assert_int_equal(xchg(l, "00A4040C07A0000002471001", r, &n), 0x9000);
	assert_int_equal(xchg(l, "00A4020402011E00", r, &n), 0x9000);
	assert_int_equal(n, 13 + 2);
	assert_memory_equal(r, "\x62\x0b\x80\x02\x00\x1a\x82\x01\x01\x83\x02\x01\x1e", 13);
	assert_int_equal(xchg(l, "00A4020C02010B", r, &n), 0x6a82); /* DG11 absent on CCCD */
	assert_int_equal(xchg(l, "00B08D0002", r, &n), 0x9000);	    /* DG13 by SFI 0D */
	assert_memory_equal(r, "\x6d\x82", 2);
	assert_int_equal(xchg(l, "00A4020C0201", r, &n), 0x6700);
	assert_int_equal(xchg(l, "00A4020C02010300", r, &n), 0x9000); /* DG3 exists ... */
	assert_int_equal(xchg(l, "00B0000008", r, &n), 0x6982);	      /* ... needs TA */
	assert_int_equal(xchg(l, "00CA010000", r, &n), 0x6d00);
	assert_int_equal(xchg(l, "80A4040C07A0000002471001", r, &n), 0x6e00);
	close_sim(l);
}

/* Le handling: max_le, 6Cxx, short chip without extended length. */
static void le_limits(void **state)
{
	struct card_link *l = open_sim(AN "?sm=0&max_le=231&ext=0&eof=6cxx");
	uint8_t r[CARD_LINK_MAX_RESP];
	size_t n;

	(void)state;
	assert_int_equal(card_link_max_apdu(l), CARD_LINK_SHORT_APDU);
	assert_int_equal(xchg(l, "00A4040C07A0000002471001", r, &n), 0x9000);
	assert_int_equal(xchg(l, "00B081005F", r, &n), 0x9000); /* DG1 (95 bytes) by SFI */
	assert_int_equal(xchg(l, "00B00000E7", r, &n), 0x6c5f); /* Le 231: 6Cxx, no data */
	assert_int_equal(n, 2);
	assert_int_equal(xchg(l, "00B00000E8", r, &n), 0x6700); /* Le 232 > max_le */
	assert_int_equal(xchg(l, "00B0000064", r, &n), 0x6c5f); /* 95 bytes left */
	assert_int_equal(n, 2);
	assert_int_equal(xchg(l, "00B000005F", r, &n), 0x9000);
	assert_int_equal(n, 95 + 2);
	assert_memory_equal(r,
			    "\x61\x5d\x5f\x1f\x5a"
			    "IDVNM",
			    10);
	assert_int_equal(xchg(l, "00B00000000100", r, &n), 0x6700); /* extended: off */
	close_sim(l);
}

/* FIELD-NOTES: DG2 files over 32767 bytes need odd INS B1 with the offset in DO54. */
static void odd_ins_beyond_32767(void **state)
{
	struct card_link *l = open_sim("sim:tests/fixtures/cards/long-address.ini?sm=0&max_le=256");
	uint8_t r[CARD_LINK_MAX_RESP];
	uint8_t first[300];
	size_t n;

	(void)state;
	assert_int_equal(xchg(l, "00A4040C07A0000002471001", r, &n), 0x9000);
	assert_int_equal(xchg(l, "00B0820004", r, &n), 0x9000);
	assert_int_equal(r[0], 0x75);
	assert_int_equal(r[1], 0x82);
	assert_true(((size_t)r[2] << 8 | r[3]) > 32767);
	/* B0 cannot address 0x8000: P1 bit 8 means SFI */
	assert_int_equal(xchg(l, "00B1000005540300800000", r, &n), 0x9000);
	assert_int_equal(r[0], 0x53);
	assert_int_equal(r[1], 0x81);
	assert_int_equal(r[2], 0xfd); /* Le 256 - 53 81 xx */
	memcpy(first, r + 3, 0xfd);
	/* the same bytes through the current EF (P1-P2 0000) with a 2-byte DO54 */
	assert_int_equal(xchg(l, "00B10000045402800000", r, &n), 0x9000);
	assert_memory_equal(r + 3, first, 0xfd);
	/* by SFI 02 in P2, a short Le of 16 */
	assert_int_equal(xchg(l,
			      "00B100020454028000"
			      "10",
			      r, &n),
			 0x9000);
	assert_int_equal(n, 16 + 2);
	assert_int_equal(r[1], 14);
	assert_memory_equal(r + 2, first, 14);
	/* malformed DO54 */
	assert_int_equal(xchg(l, "00B100000355010000", r, &n), 0x6a80);
	close_sim(l);
}

static void extended_read_of_whole_dg2(void **state)
{
	struct card_link *l = open_sim(AN "?sm=0&photo=36000");
	uint8_t *r = malloc(CARD_LINK_MAX_RESP);
	size_t n;
	size_t total;

	(void)state;
	assert_int_equal(xchg(l, "00A4040C07A0000002471001", r, &n), 0x9000);
	assert_int_equal(xchg(l, "00B0820004", r, &n), 0x9000);
	total = 4 + ((size_t)r[2] << 8 | r[3]);
	assert_int_equal(xchg(l, "00B00000000000", r, &n), 0x6282); /* Le 0000 = 65536 */
	assert_int_equal(n, total + 2);
	assert_int_equal(xchg(l, "00B10000000004540280000000", r, &n), 0x6282);
	assert_int_equal(n, 4 + (total - 32768) + 2);
	assert_memory_equal(r, "\x53\x82", 2);
	assert_int_equal(r[n - 4], 0xff); /* JPEG EOI at the end of the file */
	assert_int_equal(r[n - 3], 0xd9);
	free(r);
	close_sim(l);
}

static void active_auth_answers_in_plain_mode(void **state)
{
	struct card_link *l = open_sim(AN "?sm=0");
	uint8_t r[CARD_LINK_MAX_RESP];
	size_t n;

	(void)state;
	assert_int_equal(xchg(l, "00A4040C07A0000002471001", r, &n), 0x9000);
	assert_int_equal(xchg(l, "008800000801020304050607080000", r, &n), 0x6700);
	assert_int_equal(xchg(l,
			      "008800000801020304050607"
			      "08"
			      "00",
			      r, &n),
			 0x9000);
	assert_int_equal(n, 64 + 2); /* ECDSA brainpoolP256r1, plain r||s */
	assert_int_equal(xchg(l, "0084000008", r, &n), 0x9000);
	assert_int_equal(n, 10);
	assert_int_equal(xchg(l, "0084000010", r, &n), 0x6700);
	close_sim(l);
}

static void model_time_counts_latency_and_bits(void **state)
{
	struct card_link *l = open_sim(AN "?sm=0&latency_us=5000&bitrate=424000");
	uint8_t r[CARD_LINK_MAX_RESP];
	struct link_sim_stats st;
	size_t n;

	(void)state;
	assert_int_equal(xchg(l, "00A4040C07A0000002471001", r, &n), 0x9000);
	assert_int_equal(link_sim_stats(l, &st), 0);
	/* 12 + 2 bytes = 112 bits at 424 kbit/s = 264.2 us, rounded up */
	assert_int_equal(st.payload_bits, 112);
	assert_int_equal(st.model_us, 5000 + 265);
	assert_int_equal(st.apdus, 1);
	assert_int_equal(l->apdus, 1);
	assert_int_equal(l->bytes_out, 12);
	assert_int_equal(l->bytes_in, 2);
	close_sim(l);
}

/* Drop after N: clean -CCCD_ENOCARD, absent once, then a fresh card that reads again. */
static void drop_card_after_n_apdus(void **state)
{
	struct card_link *l = open_sim(AN "?sm=0&drop_after=2");
	uint8_t cmd[] = {0x00, 0xa4, 0x04, 0x0c, 0x07, 0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01};
	uint8_t r[CARD_LINK_MAX_RESP];
	struct cccd_err e = {0};
	size_t n;

	(void)state;
	assert_int_equal(xchg(l, "00A4040C07A0000002471001", r, &n), 0x9000);
	assert_int_equal(xchg(l, "00B09E0004", r, &n), 0x9000);
	assert_int_equal(card_link_transceive(l, cmd, sizeof(cmd), r, sizeof(r), &n, &e),
			 -CCCD_ENOCARD);
	assert_int_equal(card_link_transceive(l, cmd, sizeof(cmd), r, sizeof(r), &n, &e),
			 -CCCD_ENOCARD);
	assert_int_equal(card_link_wait_card(l, 100, NULL), 0);
	assert_int_equal(card_link_wait_card(l, 100, NULL), 1);
	/* a fresh power-up: the application must be selected again */
	assert_int_equal(xchg(l, "00B09E0004", r, &n), 0x6a82);
	assert_int_equal(xchg(l, "00A4040C07A0000002471001", r, &n), 0x9000);
	assert_int_equal(xchg(l, "00B09E0004", r, &n), 0x9000);
	assert_int_equal(xchg(l, "00B09E0004", r, &n), 0x9000); /* no second drop */
	close_sim(l);
}

static void copy_file(const char *from, const char *to)
{
	char buf[4096];
	FILE *in = fopen(from, "rb"), *out;
	size_t n;

	assert_non_null(in);
	out = fopen(to, "wb");
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	fclose(out);
}

/* watch=1: the file is the card: missing = absent, present = present, replaced = left, then a
 * fresh card; its negative twin: without watch a missing dataset file cannot be opened. */
static void watch_file_is_the_card(void **state)
{
	char dir[] = "/tmp/test_link_sim.XXXXXX", slot[64], uri[96];
	struct card_link *l;
	uint8_t r[CARD_LINK_MAX_RESP];
	struct cccd_err e = {0};
	struct card_link bad = {0};
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(slot, sizeof(slot), "%s/slot.ini", dir);
	snprintf(uri, sizeof(uri), "sim:%s?watch=1&sm=0", slot);
	l = open_sim(uri); /* no file yet: opens, no card */
	assert_int_equal(card_link_wait_card(l, 10, NULL), 0);
	assert_int_equal(card_link_transceive(l, r, 4, r, sizeof(r), &n, &e), -CCCD_ENOCARD);
	copy_file("tests/fixtures/cards/an.ini", slot);
	assert_int_equal(card_link_wait_card(l, 10, NULL), 1);
	assert_int_equal(card_link_wait_card(l, 10, NULL), 1);
	assert_int_equal(xchg(l, "00A4040C07A0000002471001", r, &n), 0x9000);
	assert_int_equal(unlink(slot), 0);
	copy_file("tests/fixtures/cards/an.ini", slot); /* another card (another inode) */
	assert_int_equal(card_link_wait_card(l, 10, NULL), 0);
	assert_int_equal(card_link_wait_card(l, 10, NULL), 1);
	assert_int_equal(xchg(l, "00B09E0004", r, &n), 0x6a82); /* fresh: nothing selected */
	assert_int_equal(unlink(slot), 0);
	assert_int_equal(card_link_wait_card(l, 10, NULL), 0);
	close_sim(l);
	snprintf(uri, sizeof(uri), "sim:%s", slot);
	assert_int_not_equal(card_link_open(&bad, uri, &e), 0);
	rmdir(dir);
}

/* device=PATH: unplugged while PATH is missing (open and every call fail), back when it is. */
static void device_path_unplugs_the_reader(void **state)
{
	char dir[] = "/tmp/test_link_sim.XXXXXX", dev[64], uri[160];
	struct card_link *l, bad = {0};
	struct cccd_err e = {0};
	uint8_t r[CARD_LINK_MAX_RESP];
	size_t n;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(dev, sizeof(dev), "%s/dev", dir);
	snprintf(uri, sizeof(uri), AN "?sm=0&device=%s", dev);
	assert_int_equal(card_link_open(&bad, uri, &e), -CCCD_EIO);
	f = fopen(dev, "w");
	assert_non_null(f);
	fclose(f);
	l = open_sim(uri);
	assert_int_equal(card_link_wait_card(l, 10, NULL), 1);
	assert_int_equal(unlink(dev), 0);
	assert_int_equal(card_link_wait_card(l, 10, &e), -CCCD_EIO);
	assert_int_equal(card_link_transceive(l, r, 4, r, sizeof(r), &n, &e), -CCCD_EIO);
	close_sim(l);
	rmdir(dir);
}

static void corrupt_one_response(void **state)
{
	struct card_link *l = open_sim(AN "?sm=0&corrupt=2");
	uint8_t r[CARD_LINK_MAX_RESP];
	size_t n;

	(void)state;
	assert_int_equal(xchg(l, "00A4040C07A0000002471001", r, &n), 0x9000);
	assert_int_equal(xchg(l, "00B09E0004", r, &n), 0x9000);
	assert_memory_equal(r, "\x60\x18\x5f\x00", 4); /* 01 -> 00 */
	assert_int_equal(xchg(l, "00B09E0004", r, &n), 0x9000);
	assert_memory_equal(r, "\x60\x18\x5f\x01", 4);
	close_sim(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(opens_and_reports_present),
	    cmocka_unit_test(bad_uris_are_rejected),
	    cmocka_unit_test(select_aid_mf_and_card_access),
	    cmocka_unit_test(no_data_without_secure_messaging),
	    cmocka_unit_test(plain_read_com_by_select_and_sfi),
	    cmocka_unit_test(select_with_fcp_and_missing_files),
	    cmocka_unit_test(le_limits),
	    cmocka_unit_test(odd_ins_beyond_32767),
	    cmocka_unit_test(extended_read_of_whole_dg2),
	    cmocka_unit_test(active_auth_answers_in_plain_mode),
	    cmocka_unit_test(model_time_counts_latency_and_bits),
	    cmocka_unit_test(drop_card_after_n_apdus),
	    cmocka_unit_test(corrupt_one_response),
	    cmocka_unit_test(watch_file_is_the_card),
	    cmocka_unit_test(device_path_unplugs_the_reader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
