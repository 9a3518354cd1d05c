/* SPDX-License-Identifier: MIT */
/*
 * emrtd.c - chip session (ICAO 9303-10 §3, 9303-11 §4-§9): EF.CardAccess, PACE then BAC fallback,
 * SELECT LDS1, READ BINARY loops. A protected read of EF.COM after BAC (Appendix D.4):
 *   SELECT 011E, READ 4 bytes (60 14 5F 01: tag 60, 0x14 bytes follow), READ the other 0x12 bytes
 * Chunk size: 231 bytes under 3DES SM, 223 under AES (sm.h), 256 plain, or ext_le with extended
 * APDUs; 6700 lowers it, 6Cxx retries with the chip's exact length, 6282 marks the end of file.
 * Omitted: chip and terminal authentication (verify/), DG parsing (doc/), EF.DIR and LDS2.
 */
#include <string.h>
#include <time.h>

#include <mbedtls/platform_util.h>

#include "core/clock.h"
#include "doc/tlv.h"
#include "emrtd/bac.h"
#include "emrtd/emrtd.h"

static const uint8_t lds1_aid[7] = {0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01};

static void counters_sync(struct emrtd_session *s)
{
	s->counters.apdus = s->link->apdus;
	s->counters.bytes_out = s->link->bytes_out;
	s->counters.bytes_in = s->link->bytes_in;
}

void emrtd_init(struct emrtd_session *s, struct card_link *link, emrtd_rng_fn rng, void *rng_ctx,
		size_t ext_le)
{
	memset(s, 0, sizeof(*s));
	s->link = link;
	s->rng = rng;
	s->rng_ctx = rng_ctx;
	s->max_le = APDU_SHORT_LE_MAX;
	s->ext_le = ext_le > APDU_EXT_LE_MAX - 64 ? APDU_EXT_LE_MAX - 64 : ext_le;
	card_link_reset_counters(link);
}

void emrtd_close(struct emrtd_session *s)
{
	sm_clear(&s->sm);
	s->sm_on = false;
	s->access = EMRTD_ACCESS_NONE;
}

static int sw_fail(struct cccd_err *err, const char *what, uint16_t sw)
{
	int code = apdu_sw_code(sw);

	return cccd_err_set(err, code ? code : -CCCD_ESW, "emrtd", "%s: SW %04X (%s)", what, sw,
			    apdu_sw_str(sw));
}

static int transmit_sm(struct emrtd_session *s, const struct apdu *a, uint8_t *data, size_t cap,
		       size_t *len, uint16_t *sw, struct cccd_err *err)
{
	size_t n, rn;
	int rc = sm_wrap_command(&s->sm, a, s->cmd, sizeof(s->cmd), &n, err);

	if (!rc)
		rc = card_link_transceive(s->link, s->cmd, n, s->resp, sizeof(s->resp), &rn, err);
	if (!rc)
		rc = sm_unwrap_response(&s->sm, s->resp, rn, data, cap, len, sw, err);
	if (rc) { /* the SSCs may now disagree: nothing more goes over this session */
		emrtd_close(s);
		s->lost = true;
	}
	return rc;
}

/* Plain exchange; 61xx answers are collected with GET RESPONSE (at most 16 rounds). */
static int transmit_plain(struct emrtd_session *s, const struct apdu *a, uint8_t *data, size_t cap,
			  size_t *len, uint16_t *sw, struct cccd_err *err)
{
	struct apdu next = *a;
	struct apdu_resp r;
	size_t n, rn, more;

	for (int round = 0; round < 16; round++) {
		int rc = apdu_encode(&next, s->cmd, sizeof(s->cmd), &n, err);

		if (!rc)
			rc = card_link_transceive(s->link, s->cmd, n, s->resp, sizeof(s->resp), &rn,
						  err);
		if (!rc)
			rc = apdu_resp_parse(s->resp, rn, &r, err);
		if (rc)
			return rc;
		if (r.len > cap - *len)
			return cccd_err_set(err, -CCCD_ENOSPC, "emrtd",
					    "INS %02X: %zu bytes, room %zu", a->ins, *len + r.len,
					    cap);
		memcpy(data + *len, r.data, r.len);
		*len += r.len;
		*sw = r.sw;
		if (!apdu_sw_more(r.sw, &more))
			return 0;
		next = (struct apdu){.ins = 0xC0, .le = more};
	}
	return cccd_err_set(err, -CCCD_EFORMAT, "emrtd", "endless 61xx chain");
}

int emrtd_transmit(struct emrtd_session *s, const struct apdu *a, uint8_t *data, size_t cap,
		   size_t *len, uint16_t *sw, struct cccd_err *err)
{
	*len = 0;
	*sw = 0;
	if (s->lost)
		return cccd_err_set(err, -CCCD_ESTATE, "emrtd", "secure messaging was lost");
	if (s->sm_on)
		return transmit_sm(s, a, data, cap, len, sw, err);
	return transmit_plain(s, a, data, cap, len, sw, err);
}

/* PACEInfo ::= SEQUENCE { protocol OID, version INTEGER (2), parameterId INTEGER } */
static int pace_info(const struct tlv *seq, struct pace_config *cfg)
{
	struct tlv_iter it;
	struct tlv f[3];
	uint32_t version, pid;
	enum emrtd_cipher c;
	mbedtls_ecp_group_id g;

	tlv_iter_init(&it, seq->value, seq->len, 0);
	for (int i = 0; i < 3; i++)
		if (tlv_next(&it, &f[i], NULL) != 1)
			return -CCCD_ENOENT;
	if (f[0].tag != 0x06 || f[0].len > PACE_OID_MAX || f[1].tag != 0x02 || f[2].tag != 0x02 ||
	    tlv_get_uint(&f[1], &version, NULL) || tlv_get_uint(&f[2], &pid, NULL) || version != 2)
		return -CCCD_ENOENT;
	if (pace_cipher_from_oid(f[0].value, f[0].len, &c, NULL) || pace_curve(pid, &g, NULL))
		return -CCCD_ENOENT;
	memcpy(cfg->oid, f[0].value, f[0].len);
	cfg->oid_len = f[0].len;
	cfg->param_id = pid;
	return 0;
}

int emrtd_card_access_parse(const uint8_t *buf, size_t len, struct pace_config *cfg,
			    struct cccd_err *err)
{
	struct tlv set, info;
	struct tlv_iter it;
	int rc = tlv_expect(buf, len, 0x31, 0, &set, err);

	if (rc)
		return rc;
	tlv_iter_init(&it, set.value, set.len, 0);
	while ((rc = tlv_next(&it, &info, err)) == 1)
		if (info.tag == 0x30 && pace_info(&info, cfg) == 0)
			return 0;
	if (rc < 0)
		return rc;
	return cccd_err_set(err, -CCCD_ENOENT, "emrtd", "EF.CardAccess: no usable PACEInfo");
}

static size_t chunk_limit(struct emrtd_session *s)
{
	if (s->ext_le && card_link_max_apdu(s->link) > CARD_LINK_SHORT_APDU)
		return s->ext_le;
	return s->max_le;
}

/* Lower the chunk size after 6700: 223 (fits AES and 3DES), then 128, then halves. */
static size_t lower_le(size_t want)
{
	if (want > SM_MAX_LE_AES)
		return SM_MAX_LE_AES;
	return want > 128 ? 128 : want / 2;
}

/* DO53 of an odd-INS READ BINARY answer: move its value to the front of out. */
static int unwrap_do53(uint8_t *out, size_t *got, struct cccd_err *err)
{
	struct apdu_do d;
	size_t off = 0;
	int rc = apdu_do_next(out, *got, &off, &d, err);

	if (rc < 0)
		return rc;
	if (rc == 0 || d.tag != 0x53 || off != *got)
		return cccd_err_set(err, -CCCD_EFORMAT, "emrtd", "odd READ BINARY: no DO53");
	memmove(out, d.value, d.len);
	*got = d.len;
	return 0;
}

/* One READ BINARY of up to want bytes at off (SFI addressing when sfi), with the 6Cxx and 6700
 * retries. *eof is set on 6282. */
static int read_binary(struct emrtd_session *s, uint8_t sfi, size_t off, size_t want, uint8_t *out,
		       size_t cap, size_t *got, bool *eof, struct cccd_err *err)
{
	uint8_t odd[4] = {0x54, 0x02, (uint8_t)(off >> 8), (uint8_t)off};
	struct apdu a = {.ins = 0xB0};
	uint16_t sw;

	if (off > 0x7FFF) {
		a = (struct apdu){.ins = 0xB1, .data = odd, .lc = 4};
		/* room for the DO53 header, within the chunk limit */
		want = want + 4 > chunk_limit(s) ? chunk_limit(s) : want + 4;
	} else {
		a.p1 = sfi ? (uint8_t)(0x80 | sfi) : (uint8_t)(off >> 8);
		a.p2 = (uint8_t)off;
	}
	for (int tries = 0; tries < 8; tries++) {
		size_t exact;
		int rc;

		a.le = want;
		rc = emrtd_transmit(s, &a, out, cap, got, &sw, err);
		if (rc)
			return rc;
		*eof = sw == APDU_SW_EOF_WARN;
		if ((apdu_sw_ok(sw) || *eof) && *got > want)
			return cccd_err_set(err, -CCCD_EFORMAT, "emrtd",
					    "READ BINARY at %zu: %zu bytes for Le %zu", off, *got,
					    want);
		if (apdu_sw_ok(sw) || *eof)
			return a.ins == 0xB1 ? unwrap_do53(out, got, err) : 0;
		if (!apdu_sw_wrong_le(sw, &exact) && !(sw == APDU_SW_WRONG_LENGTH && want > 1))
			return sw_fail(err, "READ BINARY", sw);
		if (sw == APDU_SW_WRONG_LENGTH && a.le > APDU_SHORT_LE_MAX)
			s->ext_le = 0; /* extended Le refused: every later chunk would be too */
		want = sw == APDU_SW_WRONG_LENGTH ? lower_le(want) : exact;
		if (sw == APDU_SW_WRONG_LENGTH)
			s->max_le = want < s->max_le ? want : s->max_le;
		s->counters.le_fallbacks++;
	}
	return cccd_err_set(err, -CCCD_ESW, "emrtd", "READ BINARY: Le retries exhausted");
}

static int select_ef(struct emrtd_session *s, uint16_t fid, struct cccd_err *err)
{
	const uint8_t f[2] = {(uint8_t)(fid >> 8), (uint8_t)fid};
	const struct apdu a = {.ins = 0xA4, .p1 = 0x02, .p2 = 0x0C, .data = f, .lc = 2};
	uint8_t junk[256]; /* a chip may send an FCI although P2 asked for none */
	size_t n;
	uint16_t sw;
	int rc = emrtd_transmit(s, &a, junk, sizeof(junk), &n, &sw, err);

	if (!rc && !apdu_sw_ok(sw))
		rc = cccd_err_set(err, apdu_sw_code(sw), "emrtd", "SELECT %04X: SW %04X (%s)", fid,
				  sw, apdu_sw_str(sw));
	return rc;
}

/* The first 4 bytes (the TLV header), or with whole_first a whole chunk (the TLV length is parsed
 * from it just the same, and a short file needs no second READ): by SFI if given, else (or when
 * the SFI read is refused with a status word) after a SELECT. */
static int read_head(struct emrtd_session *s, uint16_t fid, uint8_t sfi, uint8_t *buf, size_t cap,
		     size_t *got, bool *eof, struct cccd_err *err)
{
	size_t want = s->whole_first ? chunk_limit(s) : 4;
	int rc;

	want = cap < want ? cap : want;

	if (sfi) {
		rc = read_binary(s, sfi, 0, want, buf, cap, got, eof, err);
		if (rc != -CCCD_ESW && rc != -CCCD_ENOENT && rc != -CCCD_ENOTSUP &&
		    rc != -CCCD_ESTATE && rc != -CCCD_EAUTH)
			return rc; /* read, or failed in a way a SELECT cannot mend */
		if (s->lost)
			return rc; /* SM was lost: never go on in plain */
	}
	rc = select_ef(s, fid, err);
	return rc ? rc : read_binary(s, 0, 0, want, buf, cap, got, eof, err);
}

/* Total length of the BER-TLV at the start of an EF from its first n bytes. */
static int ef_total(const uint8_t *b, size_t n, size_t *total, struct cccd_err *err)
{
	size_t t = (n && (b[0] & 0x1F) == 0x1F) ? 2 : 1, len;

	if (n < t + 1)
		return cccd_err_set(err, -CCCD_EFORMAT, "emrtd", "EF of %zu bytes: no TLV header",
				    n);
	len = b[t];
	if (len == 0x81 || len == 0x82 || len == 0x83) {
		size_t k = len - 0x80;

		if (n < t + 1 + k)
			return cccd_err_set(err, -CCCD_EFORMAT, "emrtd",
					    "EF header truncated at %zu", n);
		len = 0;
		for (size_t i = 0; i < k; i++)
			len = len << 8 | b[t + 1 + i];
		t += k;
	} else if (len > 0x7F) {
		return cccd_err_set(err, -CCCD_EFORMAT, "emrtd", "EF length form %02X", b[t]);
	}
	*total = t + 1 + len;
	return 0;
}

static int read_body(struct emrtd_session *s, uint8_t *buf, size_t cap, size_t total, size_t off,
		     struct cccd_err *err)
{
	while (off < total) {
		size_t want = total - off, got;
		bool eof;
		int rc;

		if (want > chunk_limit(s))
			want = chunk_limit(s);
		rc = read_binary(s, 0, off, want, buf + off, cap - off, &got, &eof, err);
		if (rc)
			return rc;
		if (got == 0 || (eof && off + got < total))
			return cccd_err_set(err, -CCCD_EFORMAT, "emrtd",
					    "EF ends at %zu, its header says %zu", off + got,
					    total);
		off += got;
	}
	return 0;
}

int emrtd_read_file(struct emrtd_session *s, uint16_t fid, uint8_t sfi, uint8_t *buf, size_t cap,
		    size_t *len, struct cccd_err *err)
{
	unsigned t0 = (unsigned)cccd_clock_ms();
	size_t got = 0, total = 0;
	bool eof = false;
	int rc = read_head(s, fid, sfi, buf, cap, &got, &eof, err);

	*len = 0;
	if (!rc)
		rc = ef_total(buf, got, &total, err);
	if (!rc && total > cap)
		rc = cccd_err_set(err, -CCCD_ENOSPC, "emrtd", "EF %04X claims %zu bytes, limit %zu",
				  fid, total, cap);
	if (!rc && got > total)
		got = total;
	if (!rc)
		rc = read_body(s, buf, cap, total, got, err);
	if (!rc)
		*len = total;
	s->counters.ms_read += (unsigned)cccd_clock_ms() - t0;
	counters_sync(s);
	return rc;
}

int emrtd_read_card_access(struct emrtd_session *s, uint8_t *buf, size_t cap, size_t *len,
			   struct cccd_err *err)
{
	return emrtd_read_file(s, EMRTD_FID_CARD_ACCESS, EMRTD_SFI_CARD_ACCESS, buf, cap, len, err);
}

static int select_app(struct emrtd_session *s, struct cccd_err *err)
{
	const struct apdu a = {.ins = 0xA4, .p1 = 0x04, .p2 = 0x0C, .data = lds1_aid, .lc = 7};
	uint8_t junk[256]; /* a chip may send an FCI although P2 asked for none */
	size_t n;
	uint16_t sw;
	int rc = emrtd_transmit(s, &a, junk, sizeof(junk), &n, &sw, err);

	return (!rc && !apdu_sw_ok(sw)) ? sw_fail(err, "SELECT LDS1", sw) : rc;
}

static int do_pace(struct emrtd_session *s, const struct emrtd_key *key, struct pace_config *cfg,
		   struct cccd_err *err)
{
	char info[BAC_MRZ_INFO_MAX];
	int rc = 0;

	if (key->is_can) {
		cfg->pwd_type = PACE_PWD_CAN;
		cfg->pwd = (const uint8_t *)key->can;
		cfg->pwd_len = strlen(key->can);
	} else {
		rc =
		    bac_mrz_info(key->doc_number, key->birth, key->expiry, info, sizeof(info), err);
		cfg->pwd_type = PACE_PWD_MRZ;
		cfg->pwd = (const uint8_t *)info;
		cfg->pwd_len = strlen(info);
	}
	if (!rc)
		rc = pace_authenticate(s->link, cfg, s->rng, s->rng_ctx, &s->sm, err);
	if (rc)
		return rc;
	s->sm_on = true;
	s->access = EMRTD_ACCESS_PACE;
	s->max_le = sm_max_le(&s->sm);
	return 0;
}

static int do_bac(struct emrtd_session *s, const struct emrtd_key *key, struct cccd_err *err)
{
	char info[BAC_MRZ_INFO_MAX];
	uint8_t seed[16], ke[16], km[16];
	int rc = bac_mrz_info(key->doc_number, key->birth, key->expiry, info, sizeof(info), err);

	if (!rc)
		rc = bac_key_seed(info, strlen(info), seed, err);
	if (!rc)
		rc = bac_keys(seed, ke, km, err);
	if (!rc)
		rc = bac_authenticate(s->link, ke, km, s->rng, s->rng_ctx, &s->sm, err);
	mbedtls_platform_zeroize(seed, sizeof(seed));
	mbedtls_platform_zeroize(ke, sizeof(ke));
	mbedtls_platform_zeroize(km, sizeof(km));
	if (rc)
		return rc;
	s->sm_on = true;
	s->access = EMRTD_ACCESS_BAC;
	s->max_le = sm_max_le(&s->sm);
	return 0;
}

/* PACE errors after which BAC is worth trying: the chip does not support what we asked. */
static bool bac_may_follow(int rc)
{
	return rc == -CCCD_ENOTSUP || rc == -CCCD_ESW || rc == -CCCD_ENOENT;
}

static int access_control(struct emrtd_session *s, const struct emrtd_key *key,
			  struct cccd_err *err)
{
	uint8_t ca[EMRTD_CARD_ACCESS_MAX];
	struct pace_config cfg;
	size_t n;
	int rc = emrtd_read_card_access(s, ca, sizeof(ca), &n, err);

	memset(&cfg, 0, sizeof(cfg));
	if (!rc)
		rc = emrtd_card_access_parse(ca, n, &cfg, err);
	if (!rc) {
		rc = do_pace(s, key, &cfg, err);
		if (!rc)
			return select_app(s, err);
	}
	if (!bac_may_follow(rc) && rc != -CCCD_EFORMAT)
		return rc;
	if (key->is_can)
		return cccd_err_set(err, -CCCD_ENOTSUP, "emrtd", "no usable PACE: a CAN needs it");
	rc = select_app(s, err);
	return rc ? rc : do_bac(s, key, err);
}

int emrtd_open(struct emrtd_session *s, const struct emrtd_key *key, struct cccd_err *err)
{
	unsigned t0 = (unsigned)cccd_clock_ms();
	int rc = access_control(s, key, err);

	s->counters.ms_access += (unsigned)cccd_clock_ms() - t0;
	counters_sync(s);
	if (rc)
		emrtd_close(s);
	return rc;
}
