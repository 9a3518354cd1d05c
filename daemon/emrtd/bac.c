/* SPDX-License-Identifier: MIT */
/*
 * bac.c - Basic Access Control (ICAO 9303-11 §4.3, §9.7), worked example Appendix D:
 *   MRZ information L898902C<369080619406236 -> K_seed 239AB9CB282DAF66231DC5A4DF6BFBAE
 *   GET CHALLENGE 0084000008 -> RND.ICC 4608F91988702212
 *   EXTERNAL AUTHENTICATE 0082000028 E.IFD(32) M.IFD(8) 28 -> E.ICC(32) M.ICC(8) 9000
 *   K.IFD xor K.ICC = 0036D272F5C350ACAC50C3F572D23600 -> KSenc, KSmac; SSC 887022120C06C226
 * Omitted: the TD1 long document number form (> 9 characters with '<' as cd); CCCD numbers are 9.
 */
#include <string.h>

#include <mbedtls/platform_util.h>
#include <mbedtls/sha1.h>

#include "doc/mrz.h"
#include "emrtd/apdu.h"
#include "emrtd/bac.h"

/* Append field (padded with '<' to min) and its check digit (doc/mrz, ICAO 9303-3 §4.9). */
static int put_field(const char *name, const char *f, size_t min, bool digits, char *out,
		     size_t cap, size_t *pos, struct cccd_err *err)
{
	size_t n = strlen(f), len = n < min ? min : n, start = *pos;
	int cd;

	if (n == 0 || n > 22 || *pos + len + 2 > cap)
		return cccd_err_set(err, -CCCD_EFORMAT, "bac", "%s: %zu characters", name, n);
	for (size_t i = 0; i < len; i++) {
		char c = i < n ? f[i] : '<';

		/* Dates are digits or '<' fillers: ICAO 9303-3 allows unknown date parts, and a
		 * no-expiry CCCD may carry <<<<<< as its expiry; the chip keys on those bytes. */
		if (digits ? !((c >= '0' && c <= '9') || c == '<') : mrz_check_digit(&c, 1) < 0)
			return cccd_err_set(err, -CCCD_EFORMAT, "bac", "%s char %zu: not an MRZ %s",
					    name, i + 1, digits ? "digit or '<'" : "character");
		out[(*pos)++] = c;
	}
	cd = mrz_check_digit(out + start, len);
	out[(*pos)++] = (char)('0' + cd);
	out[*pos] = '\0';
	return 0;
}

int bac_mrz_info(const char *doc_number, const char *birth, const char *expiry, char *out,
		 size_t cap, struct cccd_err *err)
{
	size_t pos = 0;
	int rc;

	if (strlen(birth) != 6 || strlen(expiry) != 6)
		return cccd_err_set(err, -CCCD_EFORMAT, "bac", "dates must be YYMMDD");
	rc = put_field("document number", doc_number, 9, false, out, cap, &pos, err);
	if (!rc)
		rc = put_field("birth date", birth, 6, true, out, cap, &pos, err);
	if (!rc)
		rc = put_field("expiry date", expiry, 6, true, out, cap, &pos, err);
	return rc;
}

int bac_key_seed(const char *mrz_info, size_t len, uint8_t seed[16], struct cccd_err *err)
{
	uint8_t h[20];
	int rc = mbedtls_sha1_ret((const unsigned char *)mrz_info, len, h);

	if (rc)
		return cccd_err_set(err, -CCCD_EINVAL, "bac", "SHA-1 failed");
	memcpy(seed, h, 16);
	mbedtls_platform_zeroize(h, sizeof(h));
	return 0;
}

int bac_keys(const uint8_t seed[16], uint8_t kenc[16], uint8_t kmac[16], struct cccd_err *err)
{
	int rc = emrtd_kdf(EMRTD_CIPHER_3DES, seed, 16, EMRTD_KDF_ENC, kenc, err);

	return rc ? rc : emrtd_kdf(EMRTD_CIPHER_3DES, seed, 16, EMRTD_KDF_MAC, kmac, err);
}

int bac_cryptogram_build(const uint8_t kenc[16], const uint8_t kmac[16], const uint8_t a[8],
			 const uint8_t b[8], const uint8_t k[16], uint8_t out[BAC_CRYPTOGRAM_LEN],
			 struct cccd_err *err)
{
	static const uint8_t iv[8];
	uint8_t s[40];
	size_t n;
	int rc;

	memcpy(s, a, 8);
	memcpy(s + 8, b, 8);
	memcpy(s + 16, k, 16);
	rc = emrtd_cbc(EMRTD_CIPHER_3DES, kenc, true, iv, s, 32, out, err);
	if (!rc) {
		memcpy(s, out, 32);
		rc = emrtd_pad(s, 32, sizeof(s), 8, &n, err);
	}
	if (!rc)
		rc = emrtd_retail_mac(kmac, s, n, out + 32, err);
	mbedtls_platform_zeroize(s, sizeof(s));
	return rc;
}

int bac_cryptogram_open(const uint8_t kenc[16], const uint8_t kmac[16], const uint8_t *in,
			size_t len, uint8_t s[32], struct cccd_err *err)
{
	static const uint8_t iv[8];
	uint8_t buf[40], mac[8];
	size_t n;
	int rc;

	if (len != BAC_CRYPTOGRAM_LEN)
		return cccd_err_set(err, -CCCD_EFORMAT, "bac", "cryptogram of %zu bytes, want 40",
				    len);
	memcpy(buf, in, 32);
	rc = emrtd_pad(buf, 32, sizeof(buf), 8, &n, err);
	if (!rc)
		rc = emrtd_retail_mac(kmac, buf, n, mac, err);
	if (!rc && !emrtd_mac_equal(mac, in + 32, 8))
		rc = cccd_err_set(err, -CCCD_ECHECK, "bac", "cryptogram MAC mismatch (wrong key?)");
	if (!rc)
		rc = emrtd_cbc(EMRTD_CIPHER_3DES, kenc, false, iv, in, 32, s, err);
	return rc;
}

int bac_session(const uint8_t k_ifd[16], const uint8_t k_icc[16], const uint8_t rnd_icc[8],
		const uint8_t rnd_ifd[8], struct sm_ctx *sm, struct cccd_err *err)
{
	uint8_t seed[16], ke[16], km[16], ssc[8];
	int rc;

	for (size_t i = 0; i < 16; i++)
		seed[i] = k_ifd[i] ^ k_icc[i];
	memcpy(ssc, rnd_icc + 4, 4);
	memcpy(ssc + 4, rnd_ifd + 4, 4);
	rc = bac_keys(seed, ke, km, err);
	if (!rc)
		rc = sm_init(sm, EMRTD_CIPHER_3DES, ke, km, ssc, err);
	mbedtls_platform_zeroize(seed, sizeof(seed));
	mbedtls_platform_zeroize(ke, sizeof(ke));
	mbedtls_platform_zeroize(km, sizeof(km));
	return rc;
}

/* Send a plain APDU and split the answer; the SW is checked by the caller. */
static int plain_xfer(struct card_link *link, const struct apdu *a, uint8_t *resp, size_t cap,
		      struct apdu_resp *r, struct cccd_err *err)
{
	uint8_t cmd[64];
	size_t n, rn;
	int rc = apdu_encode(a, cmd, sizeof(cmd), &n, err);

	if (!rc)
		rc = card_link_transceive(link, cmd, n, resp, cap, &rn, err);
	return rc ? rc : apdu_resp_parse(resp, rn, r, err);
}

static int sw_fail(struct cccd_err *err, const char *step, uint16_t sw)
{
	int code = apdu_sw_code(sw);

	return cccd_err_set(err, code ? code : -CCCD_ESW, "bac", "%s: SW %04X (%s)", step, sw,
			    apdu_sw_str(sw));
}

/* Check the chip's answer S' = RND.ICC || RND.IFD || K.ICC and derive the session. */
static int finish(const uint8_t *s, const uint8_t *rnd, const uint8_t *resp, size_t len,
		  const uint8_t kenc[16], const uint8_t kmac[16], struct sm_ctx *sm,
		  struct cccd_err *err)
{
	uint8_t r[32];
	int rc = bac_cryptogram_open(kenc, kmac, resp, len, r, err);

	if (!rc && (!emrtd_mac_equal(r, rnd, 8) || !emrtd_mac_equal(r + 8, s, 8)))
		rc = cccd_err_set(err, -CCCD_ECHECK, "bac", "chip did not echo RND.IFD / RND.ICC");
	if (!rc)
		rc = bac_session(s + 16, r + 16, rnd, s, sm, err);
	mbedtls_platform_zeroize(r, sizeof(r));
	return rc;
}

int bac_authenticate(struct card_link *link, const uint8_t kenc[16], const uint8_t kmac[16],
		     emrtd_rng_fn rng, void *rng_ctx, struct sm_ctx *sm, struct cccd_err *err)
{
	const struct apdu gc = {.ins = 0x84, .le = 8};
	struct apdu ea = {.ins = 0x82, .lc = BAC_CRYPTOGRAM_LEN, .le = BAC_CRYPTOGRAM_LEN};
	uint8_t resp[64], rnd_icc[8], s[32], data[BAC_CRYPTOGRAM_LEN];
	struct apdu_resp r;
	int rc = plain_xfer(link, &gc, resp, sizeof(resp), &r, err);

	if (rc)
		return rc;
	if (!apdu_sw_ok(r.sw))
		return sw_fail(err, "GET CHALLENGE", r.sw);
	if (r.len != 8)
		return cccd_err_set(err, -CCCD_EFORMAT, "bac", "challenge of %zu bytes", r.len);
	memcpy(rnd_icc, r.data, 8);
	/* s = RND.IFD || K.IFD from the session's RNG, then RND.ICC goes between them */
	if (rng(rng_ctx, s, 8) || rng(rng_ctx, s + 16, 16))
		return cccd_err_set(err, -CCCD_EIO, "bac", "random source failed");
	memcpy(s + 8, rnd_icc, 8);
	rc = bac_cryptogram_build(kenc, kmac, s, rnd_icc, s + 16, data, err);
	ea.data = data;
	if (!rc)
		rc = plain_xfer(link, &ea, resp, sizeof(resp), &r, err);
	if (!rc && !apdu_sw_ok(r.sw))
		rc = sw_fail(err, "EXTERNAL AUTHENTICATE", r.sw);
	if (!rc)
		rc = finish(s, rnd_icc, r.data, r.len, kenc, kmac, sm, err);
	mbedtls_platform_zeroize(s, sizeof(s));
	return rc;
}
