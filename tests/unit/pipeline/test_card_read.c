/* SPDX-License-Identifier: MIT */
/* test_card_read.c - pres_read through the sim: link: every fixture card with every access path
 * (PACE-MRZ, PACE-CAN, BAC) gives exactly the files the virtual chip was built from; the fault
 * loops (card gone after N APDUs, response N corrupted, N = 1.. until the read completes) end in
 * a clean error with nothing kept, and the next read works; wrong keys, key order, EF.COM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "emrtd/testhex.h"
#include "helpers/simread.h"
#include "nfc/vchip_files.h"

static struct emrtd_session sess; /* large: off the stack */
static struct pres_card card;
static struct vchip_files files;

/* no-expiry.ini (MRZ expiry <<<<<<) is left out: the virtual chip cannot open it yet (its BAC key
 * derivation wants digits); no-expiry-mrz991231.ini is the same card with a digit expiry. */
static const char *const cards[] = {"an.ini", "long-address.ini", "no-expiry-mrz991231.ini",
				    "rsa-old-id.ini"};

static const enum vchip_ef ef_of[PRES_FILES] = {
    [PRES_COM] = VCHIP_EF_COM, [PRES_DG1] = VCHIP_EF_DG1,   [PRES_DG13] = VCHIP_EF_DG13,
    [PRES_SOD] = VCHIP_EF_SOD, [PRES_DG14] = VCHIP_EF_DG14, [PRES_DG15] = VCHIP_EF_DG15,
    [PRES_DG2] = VCHIP_EF_DG2,
};

/* The chip's files, built once per card from its dataset. */
static void expect_build(const struct vchip_dataset *ds)
{
	struct cccd_err e = {0};

	if (vchip_files_build(&files, ds, &e))
		fail_msg("files: %s", e.msg);
}

/* What a reader must have got: byte for byte the chip's files (DG2 only when asked). */
static void assert_same(const struct pres_card *c, bool dg2)
{
	assert_true(c->complete);
	for (int f = 0; f < PRES_FILES; f++) {
		const struct vchip_file *vf = &files.ef[ef_of[f]];
		size_t cap;
		const uint8_t *b = pres_card_file((struct pres_card *)c, (enum pres_file)f, &cap);

		if (f == PRES_DG2 && !dg2) {
			assert_int_equal(c->len[f], 0);
			continue;
		}
		assert_int_equal(c->len[f], vf->len);
		assert_memory_equal(b, vf->data, vf->len);
	}
}

static void assert_files(const struct vchip_dataset *ds, const struct pres_card *c, bool dg2)
{
	expect_build(ds);
	assert_same(c, dg2);
	vchip_files_free(&files);
}

static void assert_wiped(const struct pres_card *c)
{
	assert_false(c->complete);
	for (int f = 0; f < PRES_FILES; f++)
		assert_int_equal(c->len[f], 0);
	assert_int_equal(c->dg1[0], 0);
	assert_int_equal(c->read, 0);
}

static int read_card(const char *name, const char *knobs, const struct emrtd_key *keys, size_t n,
		     bool dg2, struct cccd_err *e)
{
	struct card_link link;
	int rc;

	simread_open(&link, name, knobs);
	rc = simread_read(&link, &sess, keys, n, dg2, true, &card, e);
	card_link_close(&link);
	return rc;
}

/* Issue 3: each fixture with PACE-MRZ, PACE-CAN and (when the chip offers it) BAC. */
static void every_card_every_path(void **state)
{
	struct vchip_dataset ds;
	struct emrtd_key k;
	struct cccd_err e = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(cards) / sizeof(cards[0]); i++) {
		simread_dataset(cards[i], &ds);
		simread_key_can(&ds, &k);
		if (read_card(cards[i], "", &k, 1, true, &e))
			fail_msg("%s PACE-CAN: %s: %s", cards[i], e.where, e.msg);
		assert_int_equal(card.access, EMRTD_ACCESS_PACE);
		assert_int_equal(card.listed, (1u << 1) | (1u << 2) | (1u << 3) | (1u << 13) |
						  (1u << 14) | (1u << 15));
		assert_int_equal(card.read,
				 1u | (1u << 1) | (1u << 2) | (1u << 13) | (1u << 14) | (1u << 15));
		assert_files(&ds, &card, true);
		simread_key_mrz(&ds, &k);
		if (ds.person.mrz_expiry[0] != '<') {
			if (read_card(cards[i], "", &k, 1, false, &e))
				fail_msg("%s PACE-MRZ: %s: %s", cards[i], e.where, e.msg);
			assert_int_equal(card.access, EMRTD_ACCESS_PACE);
			assert_files(&ds, &card, false);
		}
		if (!ds.chip.bac)
			continue;
		if (read_card(cards[i], "?pace=0", &k, 1, true, &e))
			fail_msg("%s BAC: %s: %s", cards[i], e.where, e.msg);
		assert_int_equal(card.access, EMRTD_ACCESS_BAC);
		assert_files(&ds, &card, true);
	}
}

/* Issue 3's byte overhead of the file reads (active/chip authentication counted apart), in
 * percent: at least the arithmetic floor of short AES-SM reads (docs/reading.md), and within max.
 */
static void assert_file_overhead(const struct pres_card *c, double floor, double max)
{
	unsigned long xch =
	    c->stats.bytes_out + c->stats.bytes_in - c->stats.bytes_access - c->stats.bytes_auth;
	size_t pl = 0;
	double ovh;

	for (int f = 0; f < PRES_FILES; f++)
		pl += c->len[f];
	assert_true(c->stats.apdus_auth >= 2 && c->stats.apdus_auth <= 6); /* AA 1, CA 1-5 */
	assert_true(xch > pl);
	ovh = 100.0 * (double)(xch - pl) / (double)xch;
	if (ovh < floor || ovh > max)
		fail_msg("file-read overhead %.2f %%, expected %.1f..%.1f", ovh, floor, max);
}

/* The fast path's size (issue 3: <= 25 APDUs after access control), and DG2 only when asked:
 * with DG2 the read is the fast path plus DG2's APDUs, so the card leaving right after the fast
 * path's APDU count loses exactly DG2 (it is read last). */
static void fast_path_then_dg2_last(void **state)
{
	struct vchip_dataset ds;
	struct emrtd_key k;
	struct cccd_err e = {0};
	char knobs[64];
	unsigned long fast;

	(void)state;
	simread_dataset("an.ini", &ds);
	simread_key_can(&ds, &k);
	assert_int_equal(read_card("an.ini", "?ext=0", &k, 1, false, &e), 0);
	fast = card.stats.apdus;
	assert_true(fast - card.stats.apdus_access <= 25);
	assert_int_equal(card.stats.key_attempts, 1);
	assert_int_equal(read_card("an.ini", "?ext=0", &k, 1, true, &e), 0);
	assert_true(card.stats.apdus > fast + 60); /* 15 KB at 223 bytes a chunk */
	assert_file_overhead(&card, 15.2, 16.0);
	assert_int_equal(read_card("an.ini", "", &k, 1, true, &e), 0); /* extended length */
	assert_true(card.stats.apdus - card.stats.apdus_access <= 30);
	assert_file_overhead(&card, 0.0, 15.0);
	snprintf(knobs, sizeof(knobs), "?ext=0&drop_after=%lu", fast);
	assert_int_equal(read_card("an.ini", knobs, &k, 1, true, &e), -CCCD_ENOCARD);
	assert_wiped(&card);
	assert_int_equal(read_card("an.ini", knobs, &k, 1, false, &e), 0);
}

/* SQLite-style fault loop: the card leaves after N APDUs, N = 1.. until the read completes. Each
 * faulted read fails cleanly with nothing kept, so does a retry while the card is away
 * (persistent fault), and the card presented again reads in full. */
static void drop_loop(const char *name, const char *extra, unsigned photo, bool mrz_key)
{
	bool dg2 = photo != 0;
	struct vchip_dataset ds;
	struct emrtd_key k;
	struct cccd_err e = {0};
	int rc = -1;

	simread_dataset(name, &ds);
	if (mrz_key)
		simread_key_mrz(&ds, &k);
	else
		simread_key_can(&ds, &k);
	if (dg2)
		ds.chip.photo_bytes = photo;
	expect_build(&ds);
	for (unsigned long n = 1; rc && n < 400; n++) {
		struct card_link link;
		char knobs[80];

		snprintf(knobs, sizeof(knobs), "?drop_after=%lu&photo=%u%s", n,
			 dg2 ? photo : ds.chip.photo_bytes, extra);
		simread_open(&link, name, knobs);
		rc = simread_read(&link, &sess, &k, 1, dg2, true, &card, &e);
		if (rc) {
			assert_int_equal(rc, -CCCD_ENOCARD);
			assert_wiped(&card);
			/* persistent: while the card stays away, every read fails the same way */
			assert_int_equal(simread_read(&link, &sess, &k, 1, dg2, true, &card, &e),
					 -CCCD_ENOCARD);
			assert_wiped(&card);
			assert_int_equal(card_link_wait_card(&link, 0, &e), 0);
			assert_int_equal(card_link_wait_card(&link, 0, &e), 1);
			if (simread_read(&link, &sess, &k, 1, dg2, true, &card, &e))
				fail_msg("%s after drop at %lu: %s", name, n, e.msg);
		}
		assert_same(&card, dg2);
		card_link_close(&link);
	}
	vchip_files_free(&files);
	assert_int_equal(rc, 0);
}

static void fault_loop_card_removed(void **state)
{
	(void)state;
	drop_loop("an.ini", "", 0, false);		   /* PACE-CAN, extended, no DG2 */
	drop_loop("an.ini", "&ext=0", 3000, true);	   /* PACE-MRZ, short APDUs, DG2 */
	drop_loop("long-address.ini", "&pace=0", 0, true); /* BAC, 3DES secure messaging */
}

/* Response N has one bit flipped, N = 1.. : a clean error, or (when the flip hit something the
 * protocol recovers from) the very files of the chip, never altered data. */
static void fault_loop_corrupt_byte(void **state)
{
	struct vchip_dataset ds;
	struct emrtd_key k;
	struct cccd_err e = {0};
	unsigned long total, ok = 0;

	(void)state;
	simread_dataset("an.ini", &ds);
	simread_key_mrz(&ds, &k);
	assert_int_equal(read_card("an.ini", "", &k, 1, false, &e), 0);
	total = card.stats.apdus;
	expect_build(&ds);
	for (unsigned long n = 1; n <= total; n++) {
		char knobs[40];

		snprintf(knobs, sizeof(knobs), "?corrupt=%lu", n);
		if (read_card("an.ini", knobs, &k, 1, false, &e) == 0) {
			assert_same(&card, false);
			ok++;
		} else {
			assert_wiped(&card);
		}
	}
	vchip_files_free(&files);
	assert_true(ok < total / 2); /* most flips must be caught, not ignored */
}

/* Wrong MAC on every SM response: the first protected answer stops the read. */
static void wrong_mac_is_an_error(void **state)
{
	struct vchip_dataset ds;
	struct emrtd_key k;
	struct cccd_err e = {0};

	(void)state;
	simread_dataset("an.ini", &ds);
	simread_key_can(&ds, &k);
	assert_int_equal(read_card("an.ini", "?faults=wrong_mac", &k, 1, true, &e), -CCCD_ECHECK);
	assert_wiped(&card);
	simread_key_mrz(&ds, &k);
	assert_int_equal(read_card("an.ini", "?faults=wrong_mac&pace=0", &k, 1, true, &e),
			 -CCCD_ECHECK);
	assert_wiped(&card);
}

/* Wrong keys are refused (6300 -> EAUTH) and counted; a list is tried in order; a CAN on a chip
 * without PACE moves on to the next key; a failed check on our side stops. */
static void wrong_keys_and_key_order(void **state)
{
	struct vchip_dataset ds;
	struct emrtd_key k[3];
	struct cccd_err e = {0};

	(void)state;
	simread_dataset("an.ini", &ds);
	simread_key_can(&ds, &k[0]);
	k[0].can[5] ^= 1;
	simread_key_mrz(&ds, &k[1]);
	k[1].birth[5] ^= 1;
	simread_key_mrz(&ds, &k[2]);
	assert_int_equal(read_card("an.ini", "", k, 1, false, &e), -CCCD_EAUTH);
	assert_wiped(&card);
	assert_int_equal(card.stats.key_attempts, 1);
	assert_int_equal(read_card("an.ini", "", &k[1], 1, false, &e), -CCCD_EAUTH);
	assert_int_equal(read_card("an.ini", "?pace=0", &k[1], 1, false, &e), -CCCD_EAUTH);
	assert_int_equal(read_card("an.ini", "", k, 3, false, &e), 0);
	assert_int_equal(card.key_index, 2);
	assert_int_equal(card.stats.key_attempts, 3);
	simread_key_can(&ds, &k[0]);
	assert_int_equal(read_card("an.ini", "?pace=0", k, 3, false, &e), 0);
	assert_int_equal(card.access, EMRTD_ACCESS_BAC);
	assert_int_equal(card.key_index, 2);
	assert_int_equal(read_card("an.ini", "?pace=0", k, 1, false, &e), -CCCD_ENOTSUP);
	/* an altered exchange (response 6, the chip's PACE token, flipped) is no refusal: the
	 * right key is not tried again, nor is any other */
	k[0] = k[2];
	assert_int_equal(read_card("an.ini", "?corrupt=6", k, 3, false, &e), -CCCD_ECHECK);
	assert_int_equal(card.stats.key_attempts, 1);
	assert_false(card.stats.access_ok);
	assert_int_equal(read_card("an.ini", "", k, 0, false, &e), -CCCD_EINVAL);
}

/* ICAO 9303-11 Appendix D.4's EF.COM lists DG1 and DG2; the virtual CCCD's six DGs. */
static void com_tag_list(void **state)
{
	uint8_t b[64];
	size_t n;
	uint32_t dgs;

	(void)state;
	n = hex("60145F0104303130365F36063034303030305C026175", b, sizeof(b));
	assert_int_equal(pres_com_parse(b, n, &dgs, NULL), 0);
	assert_int_equal(dgs, (1u << 1) | (1u << 2));
	n = hex("60185F0104303130375F36063034303030305C066175636D6E6F", b, sizeof(b));
	assert_int_equal(pres_com_parse(b, n, &dgs, NULL), 0);
	assert_int_equal(dgs, 0xE00Eu);
	/* negative twins: a byte that is no DG tag, no tag list, another file */
	n = hex("60145F0104303130365F36063034303030305C026199", b, sizeof(b));
	assert_int_equal(pres_com_parse(b, n, &dgs, NULL), -CCCD_EFORMAT);
	n = hex("60065F0104303130", b, sizeof(b));
	assert_int_equal(pres_com_parse(b, n, &dgs, NULL), -CCCD_EFORMAT);
	n = hex("61025C00", b, sizeof(b));
	assert_int_equal(pres_com_parse(b, n, &dgs, NULL), -CCCD_EFORMAT);
	assert_int_equal(pres_file_dg(PRES_DG13), 13);
	assert_int_equal(pres_file_dg(PRES_SOD), 0);
	assert_null(pres_card_file(&card, PRES_FILES, &n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_card_every_path),
	    cmocka_unit_test(fast_path_then_dg2_last),
	    cmocka_unit_test(fault_loop_card_removed),
	    cmocka_unit_test(fault_loop_corrupt_byte),
	    cmocka_unit_test(wrong_mac_is_an_error),
	    cmocka_unit_test(wrong_keys_and_key_order),
	    cmocka_unit_test(com_tag_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
