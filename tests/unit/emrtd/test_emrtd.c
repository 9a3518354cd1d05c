/* SPDX-License-Identifier: MIT */
/* test_emrtd.c - the chip session over scripted links: BAC fallback + the Appendix D.3/D.4
 * exchange byte for byte, PACE (Appendix G.1) chosen from EF.CardAccess, hostile chips (huge
 * length, truncated file, short answers), Le fallbacks, and long files via odd-INS READ BINARY
 * and extended length against a small in-test file server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "emrtd/emrtd.h"
#include "mocklink.h"
#include "testhex.h"

#define D3_RND_ICC "4608F91988702212"
#define D3_CMD	   "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7"
#define D3_RESP	   "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449"
#define EF_COM	   "60145F0104303130365F36063034303030305C026175"
#define LDS1	   "00A4040C07A0000002471001"

static struct emrtd_session sess; /* 64 KB: kept off the test's stack */

static void key_d(struct emrtd_key *k)
{
	memset(k, 0, sizeof(*k));
	strcpy(k->doc_number, "L898902C");
	strcpy(k->birth, "690806");
	strcpy(k->expiry, "940623");
}

/* No EF.CardAccess (6A82 by SFI and by SELECT) -> BAC (Appendix D.3) -> EF.COM (Appendix D.4). */
static void bac_fallback_and_d4_read(void **state)
{
	static const struct mock_step steps[] = {
	    {"00B09C0004", "6A82"},
	    {"00A4020C02011C", "6A82"},
	    {LDS1, "9000"},
	    {"0084000008", D3_RND_ICC "9000"},
	    {"0082000028" D3_CMD "28", D3_RESP "9000"},
	    {"0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800",
	     "990290008E08FA855A5D4C50A8ED9000"},
	    {"0CB000000D9701048E08ED6705417E96BA5500",
	     "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"},
	    {"0CB000040D9701128E082EA28A70F3C7B53500",
	     "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D74"
	     "9000"},
	};
	struct card_link link;
	struct mock_link m;
	struct script_rng rng = {.len = 0};
	struct emrtd_key key;
	struct cccd_err e;
	uint8_t com[64];
	size_t n;

	(void)state;
	rng.len =
	    hex("781723860C06C226 0B795240CB7049B01C19B33E32804F0B", rng.bytes, sizeof(rng.bytes));
	key_d(&key);
	mock_link_init(&link, &m, steps, 8);
	emrtd_init(&sess, &link, script_rng, &rng, 0);
	if (emrtd_open(&sess, &key, &e))
		fail_msg("open: %s: %s (%s)", e.where, e.msg, m.mismatch);
	assert_int_equal(sess.access, EMRTD_ACCESS_BAC);
	assert_int_equal(sess.max_le, 231);
	if (emrtd_read_file(&sess, EMRTD_FID_COM, 0, com, sizeof(com), &n, &e))
		fail_msg("read: %s: %s (%s)", e.where, e.msg, m.mismatch);
	assert_hex_equal(com, n, EF_COM);
	assert_hex_equal(sess.sm.ssc, 8, "887022120C06C22C");
	assert_int_equal(sess.counters.apdus, 8);
	assert_int_equal(m.next, 8);
}

/* Negative twin: the last answer of D.4 with one MAC bit flipped -> error, nothing returned, and
 * the session refuses to go on (no plain fallback after SM is lost). */
static void d4_read_bad_mac_ends_session(void **state)
{
	static const struct mock_step steps[] = {
	    {"0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800",
	     "990290008E08FA855A5D4C50A8ED9000"},
	    {"0CB000000D9701048E08ED6705417E96BA5500",
	     "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"},
	    {"0CB000040D9701128E082EA28A70F3C7B53500",
	     "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D75"
	     "9000"},
	};
	struct card_link link;
	struct mock_link m;
	struct cccd_err e;
	uint8_t com[64], k1[16], k2[16], ssc[8];
	size_t n = 99;

	(void)state;
	mock_link_init(&link, &m, steps, 3);
	emrtd_init(&sess, &link, script_rng, NULL, 0);
	hex("979EC13B1CBFE9DCD01AB0FED307EAE5", k1, sizeof(k1));
	hex("F1CB1F1FB5ADF208806B89DC579DC1F8", k2, sizeof(k2));
	hex("887022120C06C226", ssc, sizeof(ssc));
	assert_int_equal(sm_init(&sess.sm, EMRTD_CIPHER_3DES, k1, k2, ssc, NULL), 0);
	sess.sm_on = true;
	sess.access = EMRTD_ACCESS_BAC;
	sess.max_le = 231;
	assert_int_equal(emrtd_read_file(&sess, EMRTD_FID_COM, 0, com, sizeof(com), &n, &e),
			 -CCCD_ECHECK);
	assert_int_equal(n, 0);
	assert_false(sess.sm_on);
	assert_int_equal(emrtd_read_file(&sess, EMRTD_FID_COM, 0, com, sizeof(com), &n, &e),
			 -CCCD_ESTATE);
	assert_int_equal(m.next, 3);
}

/* Appendix G.1 through the session: EF.CardAccess by SFI offers PACE-ECDH-GM-AES-128 on
 * brainpoolP256r1; then SELECT LDS1 goes under AES secure messaging. The chip's protected answer
 * is made here with the chip-side SM functions and the spec's session keys. */
static void pace_from_card_access(void **state)
{
	char sel_cmd[200], sel_resp[200];
	struct mock_step steps[] = {
	    {"00B09C0004", "311430129000"},
	    {"00B0000412", "060A04007F0007020204020202010202010D9000"},
	    {"0022C1A412800A04007F0007020204020283010184010D", "9000"},
	    {"10860000027C0000", "7C12801095A3A016522EE98D01E76CB6B98B42C39000"},
	    {"10860000457C438141047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5"
	     "E544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D00",
	     "7C43824104824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F5730D8C879A"
	     "AA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C549000"},
	    {"10860000457C438341042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301"
	     "C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB3646200",
	     "7C438441049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B2227"
	     "7A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F0949000"},
	    {"008600000C7C0A8508C2B0BD78D94BA86600", "7C0A86083ABB9674BCE93C089000"},
	    {sel_cmd, sel_resp},
	};
	struct card_link link;
	struct mock_link m;
	struct script_rng rng;
	struct emrtd_key key;
	struct cccd_err e;
	struct sm_ctx term, chip;
	uint8_t ke[16], km[16], buf[128], plain[16];
	struct apdu sel = {.ins = 0xA4, .p1 = 0x04, .p2 = 0x0C, .lc = 7}, got;
	size_t n;

	(void)state;
	/* the exchange the spec's session keys give for SELECT LDS1 (SSC 1 and 2) */
	hex("F5F0E35C0D7161EE6724EE513A0D9A7F", ke, sizeof(ke));
	hex("FE251C7858B356B24514B3BD5F4297D1", km, sizeof(km));
	sm_init(&term, EMRTD_CIPHER_AES128, ke, km, NULL, NULL);
	sm_init(&chip, EMRTD_CIPHER_AES128, ke, km, NULL, NULL);
	sel.data = (const uint8_t *)"\xA0\x00\x00\x02\x47\x10\x01";
	assert_int_equal(sm_wrap_command(&term, &sel, buf, sizeof(buf), &n, NULL), 0);
	for (size_t i = 0; i < n; i++)
		sprintf(sel_cmd + 2 * i, "%02X", buf[i]);
	assert_int_equal(sm_unwrap_command(&chip, buf, n, &got, plain, sizeof(plain), NULL), 0);
	assert_int_equal(
	    sm_wrap_response(&chip, got.ins, NULL, 0, 0x9000, buf, sizeof(buf), &n, NULL), 0);
	for (size_t i = 0; i < n; i++)
		sprintf(sel_resp + 2 * i, "%02X", buf[i]);

	memset(&rng, 0, sizeof(rng));
	rng.len = hex("7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99"
		      "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595",
		      rng.bytes, sizeof(rng.bytes));
	memset(&key, 0, sizeof(key));
	strcpy(key.doc_number, "T22000129");
	strcpy(key.birth, "640812");
	strcpy(key.expiry, "101031");
	mock_link_init(&link, &m, steps, 8);
	emrtd_init(&sess, &link, script_rng, &rng, 0);
	if (emrtd_open(&sess, &key, &e))
		fail_msg("open: %s: %s (%s)", e.where, e.msg, m.mismatch);
	assert_int_equal(sess.access, EMRTD_ACCESS_PACE);
	assert_int_equal(sess.max_le, 223);
	assert_int_equal(sess.counters.apdus, 8);
	assert_hex_equal(sess.sm.ssc + 14, 2, "0002");
}

/* A CAN with no PACE on the card cannot fall back to BAC; a wrong MRZ key (6300) is reported
 * as an access refusal, not retried. */
static void access_refusals(void **state)
{
	static const struct mock_step no_pace[] = {
	    {"00B09C0004", "6A82"},
	    {"00A4020C02011C", "6A82"},
	};
	static const struct mock_step wrong_key[] = {
	    {"00B09C0004", "6A82"}, {"00A4020C02011C", "6A82"},
	    {LDS1, "9000"},	    {"0084000008", D3_RND_ICC "9000"},
	    {"*", "6300"},
	};
	struct card_link link;
	struct mock_link m;
	struct script_rng rng;
	struct emrtd_key key = {.is_can = true, .can = "123456"};
	struct cccd_err e;

	(void)state;
	mock_link_init(&link, &m, no_pace, 2);
	emrtd_init(&sess, &link, script_rng, &rng, 0);
	assert_int_equal(emrtd_open(&sess, &key, &e), -CCCD_ENOTSUP);
	assert_non_null(strstr(e.msg, "CAN"));
	memset(&rng, 0, sizeof(rng));
	rng.len = 24;
	key_d(&key);
	mock_link_init(&link, &m, wrong_key, 5);
	emrtd_init(&sess, &link, script_rng, &rng, 0);
	assert_int_equal(emrtd_open(&sess, &key, &e), -CCCD_EAUTH);
	assert_int_equal(sess.access, EMRTD_ACCESS_NONE);
}

static int plain_read(const struct mock_step *steps, size_t n, uint8_t *buf, size_t cap,
		      size_t *len, struct cccd_err *e, unsigned long *apdus)
{
	struct card_link link;
	struct mock_link m;
	int rc;

	mock_link_init(&link, &m, steps, n);
	emrtd_init(&sess, &link, script_rng, NULL, 0);
	rc = emrtd_read_file(&sess, EMRTD_FID_COM, 0x1E, buf, cap, len, e);
	*apdus = link.apdus;
	return rc;
}

/* Hostile chips (plain reads): a 4 GB-ish length, a file shorter than its header, more data than
 * asked for, an answer without a status word, and 6A82. */
static void hostile_files(void **state)
{
	static const struct mock_step huge[] = {{"00B09E0004", "6082FFFF9000"}};
	static const struct mock_step bad_form[] = {{"00B09E0004", "6084FFFFFFFF9000"}};
	static const struct mock_step short_file[] = {
	    {"00B09E0004", "601400019000"},
	    {"00B0000412", "0203046282"},
	};
	static const struct mock_step too_much[] = {{"00B09E0004", "6014000102039000"}};
	static const struct mock_step no_sw[] = {{"00B09E0004", "60"}};
	static const struct mock_step absent[] = {
	    {"00B09E0004", "6A82"},
	    {"00A4020C02011E", "6A82"},
	};
	uint8_t buf[256];
	size_t n;
	unsigned long apdus;
	struct cccd_err e;

	(void)state;
	assert_int_equal(plain_read(huge, 1, buf, sizeof(buf), &n, &e, &apdus), -CCCD_ENOSPC);
	assert_int_equal(apdus, 1);
	assert_int_equal(n, 0);
	assert_int_equal(plain_read(bad_form, 1, buf, sizeof(buf), &n, &e, &apdus), -CCCD_EFORMAT);
	assert_int_equal(plain_read(short_file, 2, buf, sizeof(buf), &n, &e, &apdus),
			 -CCCD_EFORMAT);
	assert_non_null(strstr(e.msg, "EF ends at 7"));
	assert_int_equal(plain_read(too_much, 1, buf, sizeof(buf), &n, &e, &apdus), -CCCD_EFORMAT);
	assert_int_equal(plain_read(no_sw, 1, buf, sizeof(buf), &n, &e, &apdus), -CCCD_EIO);
	assert_int_equal(plain_read(absent, 2, buf, sizeof(buf), &n, &e, &apdus), -CCCD_ENOENT);
}

/* Le fallbacks: 6Cxx retried with the exact length, 6700 lowers the chunk to 223, 61xx is
 * collected with GET RESPONSE, 6282 ends a short file cleanly. */
static void le_fallbacks(void **state)
{
	char body[2 * 300 + 1], r223[2 * 223 + 5], r73[2 * 73 + 5];
	struct mock_step six_c[] = {
	    {"00B09E0004", "6C02"},
	    {"00B09E0002", "60009000"},
	};
	struct mock_step six_seven[] = {
	    {"00B09E0004", "61820128"
			   "9000"},
	    {"00B0000400", "6700"},
	    {"00B00004DF", r223},
	    {"00B000E349", r73},
	};
	struct mock_step sixty_one[] = {
	    {"00B09E0004", "6102"},
	    {"00C0000002", "60009000"},
	};
	struct mock_step eof[] = {{"00B09E0004", "60006282"}};
	uint8_t buf[400];
	size_t n;
	unsigned long apdus;

	(void)state;
	assert_int_equal(plain_read(six_c, 2, buf, sizeof(buf), &n, NULL, &apdus), 0);
	assert_hex_equal(buf, n, "6000");
	assert_int_equal(sess.counters.le_fallbacks, 1);
	/* a 300-byte file 61 82 01 28 ...: 6700 on 256, then 223 + 73 */
	for (size_t i = 0; i < 296; i++)
		sprintf(body + 2 * i, "%02X", (unsigned)(i & 0xFF));
	snprintf(r223, sizeof(r223), "%.*s9000", 2 * 223, body);
	snprintf(r73, sizeof(r73), "%.*s9000", 2 * 73, body + 2 * 223);
	assert_int_equal(plain_read(six_seven, 4, buf, sizeof(buf), &n, NULL, &apdus), 0);
	assert_int_equal(n, 300);
	assert_int_equal(buf[4], 0x00);
	assert_int_equal(buf[299], 295 & 0xFF);
	assert_int_equal(sess.max_le, 223);
	assert_int_equal(apdus, 4);
	assert_int_equal(plain_read(sixty_one, 2, buf, sizeof(buf), &n, NULL, &apdus), 0);
	assert_hex_equal(buf, n, "6000");
	assert_int_equal(plain_read(eof, 1, buf, sizeof(buf), &n, NULL, &apdus), 0);
	assert_hex_equal(buf, n, "6000");
}

/* A tiny plain file server: READ BINARY (B0, SFI or offset) and odd READ BINARY (B1, DO54 offset,
 * DO53 answer) over one EF; Le honoured up to 256, or 65536 when extended. */
struct file_server {
	uint8_t *file;
	size_t len;
	bool extended;
	unsigned long odd_reads;
};

static int serve(struct card_link *link, const uint8_t *apdu, size_t apdu_len, uint8_t *resp,
		 size_t resp_cap, size_t *resp_len, struct cccd_err *err)
{
	struct file_server *fs = link->priv;
	struct apdu a;
	size_t off, n, p = 0;

	if (apdu_cmd_parse(apdu, apdu_len, &a, err) || (a.extended && !fs->extended))
		return cccd_err_set(err, -CCCD_EIO, "server", "bad APDU");
	off = (a.p1 & 0x80) ? a.p2 : ((size_t)a.p1 << 8 | a.p2);
	if (a.ins == 0xB1) {
		off = (size_t)a.data[2] << 8 | a.data[3];
		fs->odd_reads++;
	}
	n = off < fs->len ? fs->len - off : 0;
	if (a.ins == 0xB1)
		n = n > a.le - 4 ? a.le - 4 : n;
	else
		n = n > a.le ? a.le : n;
	if (a.ins == 0xB1)
		apdu_do_put(resp, resp_cap, &p, 0x53, fs->file + off, n, NULL);
	else
		memcpy(resp, fs->file + off, n), p = n;
	resp[p++] = 0x90;
	resp[p++] = 0x00;
	*resp_len = p;
	return 0;
}

static size_t ext_max(struct card_link *link)
{
	struct file_server *fs = link->priv;

	return fs->extended ? CARD_LINK_EXT_APDU : CARD_LINK_SHORT_APDU;
}

static const struct card_link_ops server_ops = {
    .scheme = "t", .transceive = serve, .max_apdu = ext_max};

/* A 40000-byte DG2-like file: short APDUs cross offset 32767 with odd-INS reads; extended APDUs
 * read it in 10 chunks of 4096. */
static void long_file_odd_ins_and_extended(void **state)
{
	static uint8_t file[40000], got[40100];
	struct file_server fs = {.file = file, .len = sizeof(file)};
	struct card_link link = {.ops = &server_ops, .priv = &fs};
	size_t n;
	struct cccd_err e;

	(void)state;
	file[0] = 0x75;
	file[1] = 0x83;
	file[2] = 0x00;
	file[3] = (40000 - 5) >> 8;
	file[4] = (40000 - 5) & 0xFF;
	for (size_t i = 5; i < sizeof(file); i++)
		file[i] = (uint8_t)(i * 7);
	/* 0x83 needs 5 header bytes: 83 with 3 bytes is more than the 4 read first */
	emrtd_init(&sess, &link, script_rng, NULL, 0);
	assert_int_equal(emrtd_read_file(&sess, EMRTD_FID_DG(2), 2, got, sizeof(got), &n, &e),
			 -CCCD_EFORMAT);
	file[1] = 0x82;
	file[2] = (40000 - 4) >> 8;
	file[3] = (40000 - 4) & 0xFF;
	emrtd_init(&sess, &link, script_rng, NULL, 0);
	if (emrtd_read_file(&sess, EMRTD_FID_DG(2), 2, got, sizeof(got), &n, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(n, sizeof(file));
	assert_memory_equal(got, file, sizeof(file));
	assert_true(fs.odd_reads > 0);
	assert_int_equal(link.apdus, 1 + 128 + (40000 - 32768 + 251) / 252);
	fs.extended = true;
	fs.odd_reads = 0;
	memset(got, 0, sizeof(got));
	emrtd_init(&sess, &link, script_rng, NULL, 4096);
	if (emrtd_read_file(&sess, EMRTD_FID_DG(2), 2, got, sizeof(got), &n, &e))
		fail_msg("%s", e.msg);
	assert_memory_equal(got, file, sizeof(file));
	assert_int_equal(link.apdus, 1 + 10);
	/* too small a buffer: refused from the header, before the body is read */
	emrtd_init(&sess, &link, script_rng, NULL, 4096);
	assert_int_equal(emrtd_read_file(&sess, EMRTD_FID_DG(2), 2, got, 39999, &n, &e),
			 -CCCD_ENOSPC);
	assert_int_equal(link.apdus, 1);
}

static void card_access_parse(void **state)
{
	uint8_t b[128];
	struct pace_config cfg;
	struct cccd_err e;
	size_t n;

	(void)state;
	/* FIELD-NOTES: EF.CardAccess of CCCD cards (TA, CA, then PACE GM AES-128 on ID 13) */
	n = hex("3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f"
		"0007020204020202010202010d",
		b, sizeof(b));
	assert_int_equal(emrtd_card_access_parse(b, n, &cfg, NULL), 0);
	assert_int_equal(cfg.param_id, 13);
	assert_hex_equal(cfg.oid, cfg.oid_len, "04007F00070202040202");
	/* negative twins: PACE v1, an unsupported curve (ID 14), no SET, truncated */
	n = hex("31143012060A04007F0007020204020202010102010D", b, sizeof(b));
	assert_int_equal(emrtd_card_access_parse(b, n, &cfg, &e), -CCCD_ENOENT);
	n = hex("31143012060A04007F0007020204020202010202010E", b, sizeof(b));
	assert_int_equal(emrtd_card_access_parse(b, n, &cfg, &e), -CCCD_ENOENT);
	n = hex("30143012060A04007F0007020204020202010202010D", b, sizeof(b));
	assert_int_equal(emrtd_card_access_parse(b, n, &cfg, &e), -CCCD_EFORMAT);
	n = hex("31143012060A04007F000702020402020201020201", b, sizeof(b));
	assert_int_equal(emrtd_card_access_parse(b, n, &cfg, &e), -CCCD_EFORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(bac_fallback_and_d4_read),
	    cmocka_unit_test(d4_read_bad_mac_ends_session),
	    cmocka_unit_test(pace_from_card_access),
	    cmocka_unit_test(access_refusals),
	    cmocka_unit_test(hostile_files),
	    cmocka_unit_test(le_fallbacks),
	    cmocka_unit_test(long_file_odd_ins_and_extended),
	    cmocka_unit_test(card_access_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
