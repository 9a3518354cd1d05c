/* SPDX-License-Identifier: MIT */
/*
 * vchip_files.c - the virtual CCCD's files (ICAO 9303-10 §4.6-4.7, FIELD-NOTES), written as DER
 * backwards into one arena with mbedtls_asn1write, then signed into EF.SOD.
 *
 *   EF.COM  60 18 5F01 04 "0107" 5F36 06 "040000" 5C 06 61 75 63 6D 6E 6F
 *   DG1     61 5D 5F1F 5A <TD1 MRZ, 90 chars>
 *   DG2     75 L 7F61 L 02 01 01 7F60 L A1 0F 80 02 01 01 81 01 02 87 02 01 01 88 02 00 08
 *                 5F2E L "FAC\0" "010\0" <ISO 19794-5 header> <JPEG>
 *   DG14    6E L 31 L { CAInfo(id-CA-ECDH-AES-CBC-CMAC-128, 1), CAPublicKeyInfo(id-PK-ECDH,
 *                 SubjectPublicKeyInfo on brainpoolP256r1, named curve), TAInfo(id-TA, 1),
 *                 AAInfo(2.23.136.1.1.5, 1, ecdsa-plain-SHA256) when the AA key is EC }
 *   DG15    6F L SubjectPublicKeyInfo (the AA key)
 *
 * EF.CardAccess is the exact byte string seen on CCCD cards. DG3 exists but needs terminal
 * authentication (6982). The TD1 MRZ follows the CCCD layout (FIELD-NOTES): line 1 IDVNM + last 9
 * ID digits + cd + 12-digit ID + << + cd(ID); a no-expiry card writes <<<<<< with check digit 0
 * unless the dataset's mrz_expiry says otherwise (what real cards print there is unconfirmed);
 * check digits come from doc/mrz. DG13 comes from doc/dg13's dg13_build (fields 1-15, card order,
 * "Không thời hạn" for no expiry). Omitted: DG11/DG12 (absent on CCCD), DG13 field 16, explicit EC
 * domain parameters in DG14.
 */
#include <stdio.h>
#include <string.h>

#include <mbedtls/asn1write.h>

#include "core/utf8.h"
#include "doc/dg13.h"
#include "doc/mrz.h"
#include "nfc/vchip_files.h"
#include "nfc/vchip_jpeg.h"
#include "nfc/vchip_sod.h"

#define SEQ    (MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)
#define SET    (MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SET)
#define CHK(x) MBEDTLS_ASN1_CHK_ADD(len, x)

static const uint8_t card_access[] = {
    0x31, 0x34, 0x30, 0x0d, 0x06, 0x08, 0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x02,
    0x02, 0x01, 0x01, 0x30, 0x0f, 0x06, 0x0a, 0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02,
    0x03, 0x02, 0x02, 0x02, 0x01, 0x01, 0x30, 0x12, 0x06, 0x0a, 0x04, 0x00, 0x7f, 0x00,
    0x07, 0x02, 0x02, 0x04, 0x02, 0x02, 0x02, 0x01, 0x02, 0x02, 0x01, 0x0d};

static const uint8_t ef_com[] = {0x60, 0x18, 0x5f, 0x01, 0x04, '0',  '1',  '0', '7',
				 0x5f, 0x36, 0x06, '0',	 '4',  '0',  '0',  '0', '0',
				 0x5c, 0x06, 0x61, 0x75, 0x63, 0x6d, 0x6e, 0x6f};

/* DG3 without content worth reading: a biometric group template with no instance. */
static const uint8_t dg3[] = {0x63, 0x06, 0x7f, 0x61, 0x03, 0x02, 0x01, 0x00};

#define OID_ID_TA	       "\x04\x00\x7f\x00\x07\x02\x02\x02"
#define OID_CA_ECDH_AES128     "\x04\x00\x7f\x00\x07\x02\x02\x03\x02\x02"
#define OID_PK_ECDH	       "\x04\x00\x7f\x00\x07\x02\x02\x01\x02"
#define OID_AA_INFO	       "\x67\x81\x08\x01\x01\x05"		  /* 2.23.136.1.1.5 */
#define OID_ECDSA_PLAIN_SHA256 "\x04\x00\x7f\x00\x07\x01\x01\x04\x01\x03" /* BSI TR-03111 */
#define OID_LEN(o)	       (sizeof(o) - 1)

static const struct {
	uint16_t fid;
	uint8_t sfi;
} ef_ids[VCHIP_EF_COUNT] = {
    [VCHIP_EF_CARDACCESS] = {0x011c, 0x1c}, [VCHIP_EF_COM] = {0x011e, 0x1e},
    [VCHIP_EF_DG1] = {0x0101, 0x01},	    [VCHIP_EF_DG2] = {0x0102, 0x02},
    [VCHIP_EF_DG3] = {0x0103, 0x03},	    [VCHIP_EF_DG13] = {0x010d, 0x0d},
    [VCHIP_EF_DG14] = {0x010e, 0x0e},	    [VCHIP_EF_DG15] = {0x010f, 0x0f},
    [VCHIP_EF_SOD] = {0x011d, 0x1d},
};

/* ICAO 9303-3 §4.9 check digit as a character (doc/mrz); our fields hold only 0-9 A-Z '<'. */
static char check_digit(const char *s, size_t n)
{
	int d = mrz_check_digit(s, n);

	return d < 0 ? '<' : (char)('0' + d);
}

/* Surname (first word) << given names joined by <, upper case, diacritics stripped, 30 wide;
 * anything but a letter separates words. Longer names are cut at 30 (ICAO 9303-3 §4.6 allows
 * truncation). */
static int mrz_name_line(const char *full, char line[31], struct cccd_err *err)
{
	char plain[VCHIP_TEXT_MAX];
	size_t o = 0;
	int words = 0;
	bool in_word = false;
	int rc;

	rc = cccd_utf8_strip_marks((const uint8_t *)full, strlen(full), plain, sizeof(plain), err);
	if (rc)
		return rc;
	memset(line, '<', 30);
	line[30] = '\0';
	for (const char *s = plain; *s; s++) {
		char c = (*s >= 'a' && *s <= 'z') ? (char)(*s - 32) : *s;

		if (c < 'A' || c > 'Z') {
			words += in_word;
			in_word = false;
			continue;
		}
		if (!in_word && words)
			o += words == 1 ? 2 : 1;
		in_word = true;
		if (o < 30)
			line[o] = c;
		o++;
	}
	return 0;
}

int vchip_mrz_td1(const struct vchip_person *p, char out[91], struct cccd_err *err)
{
	char birth[7], exp[7], l3[31], comp[64];

	date_to_yymmdd(&p->birth_date, birth);
	if (p->mrz_expiry[0])
		memcpy(exp, p->mrz_expiry, 7);
	else if (p->no_expiry)
		memcpy(exp, "<<<<<<", 7);
	else
		date_to_yymmdd(&p->expiry_date, exp);
	if (mrz_name_line(p->full_name, l3, err))
		return -CCCD_EFORMAT;
	snprintf(out, 91, "IDVNM%.9s%c%.12s<<%c", p->id_number + 3,
		 check_digit(p->id_number + 3, 9), p->id_number, check_digit(p->id_number, 12));
	snprintf(out + 30, 61, "%s%c%c%s%cVNM<<<<<<<<<<<", birth, check_digit(birth, 6), p->sex,
		 exp, check_digit(exp, 6));
	/* composite: line 1 positions 6-30, line 2 positions 1-7, 9-15, 19-29 */
	snprintf(comp, sizeof(comp), "%.25s%.7s%.7s%.11s", out + 5, out + 30, out + 38, out + 48);
	out[59] = check_digit(comp, strlen(comp));
	memcpy(out + 60, l3, 31);
	return 0;
}

/* Length then a 1- or 2-byte tag (5F1F, 7F61, ...), backwards. */
static int w_tl(unsigned char **p, unsigned char *start, size_t len, uint16_t tag)
{
	size_t n = 0;
	int ret;

	MBEDTLS_ASN1_CHK_ADD(n, mbedtls_asn1_write_len(p, start, len));
	MBEDTLS_ASN1_CHK_ADD(n, mbedtls_asn1_write_tag(p, start, (unsigned char)tag));
	if (tag > 0xff)
		MBEDTLS_ASN1_CHK_ADD(n,
				     mbedtls_asn1_write_tag(p, start, (unsigned char)(tag >> 8)));
	return (int)n;
}

typedef int (*ef_writer)(unsigned char **p, unsigned char *start, const void *ctx);

static int w_raw(unsigned char **p, unsigned char *start, const void *ctx)
{
	const struct vchip_file *f = ctx;

	return mbedtls_asn1_write_raw_buffer(p, start, f->data, f->len);
}

static int w_dg1(unsigned char **p, unsigned char *start, const void *ctx)
{
	size_t len = 0;
	int ret;

	CHK(mbedtls_asn1_write_raw_buffer(p, start, ctx, 90));
	CHK(w_tl(p, start, len, 0x5f1f));
	CHK(w_tl(p, start, len, 0x61));
	return (int)len;
}

static void be(uint8_t *p, uint32_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* ISO/IEC 19794-5:2005 §5.4-5.7: record header, facial information, image information. */
static void face_header(uint8_t h[46], size_t jpeg_len, char sex)
{
	memset(h, 0, 46);
	memcpy(h,
	       "FAC\0"
	       "010\0",
	       8);
	be(h + 8, (uint32_t)(46 + jpeg_len), 4);
	be(h + 12, 1, 2);
	be(h + 14, (uint32_t)(32 + jpeg_len), 4);
	h[20] = sex == 'F' ? 2 : 1;
	h[34] = 1; /* full frontal */
	h[35] = 0; /* JPEG */
	be(h + 36, 96, 2);
	be(h + 38, 128, 2);
	h[40] = 3; /* 8-bit grayscale */
	h[41] = 2; /* digital still camera */
}

struct dg2_ctx {
	size_t jpeg_len;
	char sex;
};

static int w_dg2(unsigned char **p, unsigned char *start, const void *ctx)
{
	static const uint8_t bht[] = {0x80, 0x02, 0x01, 0x01, 0x81, 0x01, 0x02, 0x87,
				      0x02, 0x01, 0x01, 0x88, 0x02, 0x00, 0x08};
	const struct dg2_ctx *c = ctx;
	uint8_t h[46];
	size_t len = 0;
	int ret;

	if ((size_t)(*p - start) < c->jpeg_len)
		return MBEDTLS_ERR_ASN1_BUF_TOO_SMALL;
	*p -= c->jpeg_len;
	if (vchip_jpeg_write(c->jpeg_len, *p, c->jpeg_len, NULL))
		return MBEDTLS_ERR_ASN1_INVALID_DATA;
	len = c->jpeg_len;
	face_header(h, c->jpeg_len, c->sex);
	CHK(mbedtls_asn1_write_raw_buffer(p, start, h, sizeof(h)));
	CHK(w_tl(p, start, len, 0x5f2e));
	CHK(mbedtls_asn1_write_raw_buffer(p, start, bht, sizeof(bht)));
	CHK(w_tl(p, start, sizeof(bht), 0xa1));
	CHK(w_tl(p, start, len, 0x7f60));
	CHK(mbedtls_asn1_write_int(p, start, 1));
	CHK(w_tl(p, start, len, 0x7f61));
	CHK(w_tl(p, start, len, 0x75));
	return (int)len;
}

static int w_spki(unsigned char **p, unsigned char *start, mbedtls_pk_context *key)
{
	int n = mbedtls_pk_write_pubkey_der(key, start, (size_t)(*p - start));

	if (n > 0)
		*p -= n;
	return n;
}

static int w_oid_int(unsigned char **p, unsigned char *start, const char *oid, size_t oid_len)
{
	size_t len = 0;
	int ret;

	CHK(mbedtls_asn1_write_int(p, start, 1));
	CHK(mbedtls_asn1_write_oid(p, start, oid, oid_len));
	CHK(w_tl(p, start, len, SEQ));
	return (int)len;
}

/* ActiveAuthenticationInfo (ICAO 9303-11 §9.2.8): only when AA signs with ECDSA. */
static int w_aa_info(unsigned char **p, unsigned char *start)
{
	size_t len = 0;
	int ret;

	CHK(mbedtls_asn1_write_oid(p, start, OID_ECDSA_PLAIN_SHA256,
				   OID_LEN(OID_ECDSA_PLAIN_SHA256)));
	CHK(mbedtls_asn1_write_int(p, start, 1));
	CHK(mbedtls_asn1_write_oid(p, start, OID_AA_INFO, OID_LEN(OID_AA_INFO)));
	CHK(w_tl(p, start, len, SEQ));
	return (int)len;
}

struct dg14_ctx {
	mbedtls_pk_context *ca_pub;
	bool aa_ecdsa;
};

static int w_dg14(unsigned char **p, unsigned char *start, const void *ctx)
{
	const struct dg14_ctx *c = ctx;
	size_t len = 0;
	size_t a = 0;
	int ret;

	if (c->aa_ecdsa)
		CHK(w_aa_info(p, start));
	CHK(w_oid_int(p, start, OID_ID_TA, OID_LEN(OID_ID_TA)));
	MBEDTLS_ASN1_CHK_ADD(a, w_spki(p, start, c->ca_pub));
	MBEDTLS_ASN1_CHK_ADD(a,
			     mbedtls_asn1_write_oid(p, start, OID_PK_ECDH, OID_LEN(OID_PK_ECDH)));
	MBEDTLS_ASN1_CHK_ADD(a, w_tl(p, start, a, SEQ));
	len += a;
	CHK(w_oid_int(p, start, OID_CA_ECDH_AES128, OID_LEN(OID_CA_ECDH_AES128)));
	CHK(w_tl(p, start, len, SET));
	CHK(w_tl(p, start, len, 0x6e));
	return (int)len;
}

static int w_dg15(unsigned char **p, unsigned char *start, const void *ctx)
{
	size_t len = 0;
	int ret;

	CHK(w_spki(p, start, (mbedtls_pk_context *)ctx));
	CHK(w_tl(p, start, len, 0x6f));
	return (int)len;
}

static void dg13_fill(struct dg13 *d, const struct vchip_person *p)
{
	dg13_init(d);
	d->present = 0xfffeu; /* fields 1..15, as on every card seen */
	snprintf(d->id, sizeof(d->id), "%s", p->id_number);
	snprintf(d->full_name, sizeof(d->full_name), "%s", p->full_name);
	d->birth_date = p->birth_date;
	snprintf(d->sex, sizeof(d->sex), "%s", p->sex == 'F' ? "N\xe1\xbb\xaf" : "Nam");
	snprintf(d->nationality, sizeof(d->nationality), "%s", p->nationality);
	snprintf(d->ethnicity, sizeof(d->ethnicity), "%s", p->ethnicity);
	snprintf(d->religion, sizeof(d->religion), "%s", p->religion);
	snprintf(d->place_of_origin, sizeof(d->place_of_origin), "%s", p->place_of_origin);
	snprintf(d->residence, sizeof(d->residence), "%s", p->residence);
	snprintf(d->identifying_marks, sizeof(d->identifying_marks), "%s", p->identifying_marks);
	d->issue_date = p->issue_date;
	d->expiry_is_date = !p->no_expiry;
	d->expiry_date = p->expiry_date;
	snprintf(d->expiry_text, sizeof(d->expiry_text),
		 "Kh\xc3\xb4ng th\xe1\xbb\x9di h\xe1\xba\xa1n");
	snprintf(d->father, sizeof(d->father), "%s", p->father);
	snprintf(d->mother, sizeof(d->mother), "%s", p->mother);
	snprintf(d->spouse, sizeof(d->spouse), "%s", p->spouse);
	snprintf(d->old_id, sizeof(d->old_id), "%s", p->old_id_number);
}

static int build_dg13(struct vchip_files *fs, const struct vchip_person *p, struct cccd_err *err)
{
	struct dg13 d;
	size_t len;
	int rc;

	dg13_fill(&d, p);
	rc = dg13_build(&d, fs->arena + fs->used, VCHIP_ARENA - fs->used, &len, err);
	if (rc)
		return rc;
	fs->ef[VCHIP_EF_DG13].data = fs->arena + fs->used;
	fs->ef[VCHIP_EF_DG13].len = len;
	fs->used += len;
	return 0;
}

/* Run writer w backwards into the arena's free space and record the file. */
static int ef_add(struct vchip_files *fs, enum vchip_ef which, ef_writer w, const void *ctx,
		  struct cccd_err *err)
{
	unsigned char *start = fs->arena + fs->used;
	unsigned char *p = fs->arena + VCHIP_ARENA;
	int n = w(&p, start, ctx);

	if (n < 0)
		return cccd_err_set(
		    err, n == MBEDTLS_ERR_ASN1_BUF_TOO_SMALL ? -CCCD_ENOSPC : -CCCD_EINVAL,
		    "vchip_files", "EF %04X: mbedTLS -0x%04x", ef_ids[which].fid, (unsigned)-n);
	memmove(start, p, (size_t)n);
	fs->ef[which].data = start;
	fs->ef[which].len = (size_t)n;
	fs->used += (size_t)n;
	return 0;
}

/* The chip's AA and CA keys, and the public halves published in DG15 and DG14 (another key when a
 * fault says the chip is a clone or answers CA with the wrong key). */
static int chip_keys(struct vchip_files *fs, const struct vchip_dataset *ds,
		     mbedtls_pk_context *aa_pub, mbedtls_pk_context *ca_pub, struct cccd_err *err)
{
	unsigned f = ds->chip.faults;
	char seed[128];
	int rc;

	snprintf(seed, sizeof(seed), "aa|%s|%s", ds->person.id_number, ds->chip.pki.seed);
	rc = vchip_key_generate(&fs->aa_key, ds->chip.aa_alg, seed, err);
	if (!rc && (f & VCHIP_FAULT_AA_MISMATCH)) {
		snprintf(seed, sizeof(seed), "aa-clone|%s|%s", ds->person.id_number,
			 ds->chip.pki.seed);
		rc = vchip_key_generate(aa_pub, ds->chip.aa_alg, seed, err);
	}
	snprintf(seed, sizeof(seed), "ca|%s|%s", ds->person.id_number, ds->chip.pki.seed);
	if (!rc)
		rc = vchip_key_generate(&fs->ca_key, VCHIP_KEY_EC_BP256, seed, err);
	if (!rc && (f & VCHIP_FAULT_CA_WRONG_KEY)) {
		snprintf(seed, sizeof(seed), "ca-other|%s|%s", ds->person.id_number,
			 ds->chip.pki.seed);
		rc = vchip_key_generate(ca_pub, VCHIP_KEY_EC_BP256, seed, err);
	}
	return rc;
}

static int build_pki(struct vchip_files *fs, const struct vchip_chip_cfg *chip,
		     struct cccd_err *err)
{
	struct vchip_pki_cfg cfg = chip->pki;

	if (chip->faults & VCHIP_FAULT_UNKNOWN_CSCA)
		snprintf(cfg.seed, sizeof(cfg.seed), "%.40s|unknown csca", chip->pki.seed);
	if (chip->faults & VCHIP_FAULT_EXPIRED_DS) {
		memcpy(cfg.ds_not_before, "20150101000000", 15);
		memcpy(cfg.ds_not_after, "20200101000000", 15);
	}
	return vchip_pki_build(&fs->pki, &cfg, err);
}

static int build_sod(struct vchip_files *fs, const char *seed, struct cccd_err *err)
{
	static const struct {
		unsigned num;
		enum vchip_ef ef;
	} order[] = {{1, VCHIP_EF_DG1},	  {2, VCHIP_EF_DG2},   {3, VCHIP_EF_DG3},
		     {13, VCHIP_EF_DG13}, {14, VCHIP_EF_DG14}, {15, VCHIP_EF_DG15}};
	struct vchip_dg_ref dgs[6];
	struct vchip_signer signer = {&fs->pki.ds_key, fs->pki.ds_cert, fs->pki.ds_cert_len, seed};
	size_t n = 0;
	size_t len;
	int rc;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const struct vchip_file *f = &fs->ef[order[i].ef];

		if (f->data)
			dgs[n++] = (struct vchip_dg_ref){order[i].num, f->data, f->len};
	}
	rc = vchip_sod_build(dgs, n, &signer, fs->arena + fs->used, VCHIP_ARENA - fs->used, &len,
			     err);
	if (rc)
		return rc;
	fs->ef[VCHIP_EF_SOD].data = fs->arena + fs->used;
	fs->ef[VCHIP_EF_SOD].len = len;
	fs->used += len;
	return 0;
}

/* Change one letter of a file after signing (A->B, ...): from the end, or from the start for DG2
 * where the first letters are in the JPEG comment and the picture stays intact. */
static void tamper(struct vchip_files *fs, enum vchip_ef which, bool from_start)
{
	struct vchip_file *f = &fs->ef[which];
	uint8_t *d = fs->arena + (f->data - fs->arena);

	for (size_t k = 0; f->data && k < f->len; k++) {
		size_t i = from_start ? k : f->len - 1 - k;

		if ((d[i] >= 'A' && d[i] < 'Z') || (d[i] >= 'a' && d[i] < 'z')) {
			d[i]++;
			return;
		}
	}
}

static int build_dgs(struct vchip_files *fs, const struct vchip_dataset *ds,
		     mbedtls_pk_context *aa_pub, mbedtls_pk_context *ca_pub, struct cccd_err *err)
{
	struct vchip_file ca = {.data = card_access, .len = sizeof(card_access)};
	struct vchip_file com = {.data = ef_com, .len = sizeof(ef_com)};
	struct vchip_file g3 = {.data = dg3, .len = sizeof(dg3)};
	struct dg2_ctx dg2 = {ds->chip.photo_bytes, ds->person.sex};
	struct dg14_ctx dg14 = {mbedtls_pk_get_type(ca_pub) ? ca_pub : &fs->ca_key,
				mbedtls_pk_get_type(&fs->aa_key) == MBEDTLS_PK_ECKEY};
	int rc;

	/* a chip without PACE has no EF.CardAccess: the terminal falls back to BAC */
	if (ds->chip.pace && (rc = ef_add(fs, VCHIP_EF_CARDACCESS, w_raw, &ca, err)))
		return rc;
	if ((rc = ef_add(fs, VCHIP_EF_COM, w_raw, &com, err)) ||
	    (rc = ef_add(fs, VCHIP_EF_DG1, w_dg1, fs->mrz, err)) ||
	    (rc = ef_add(fs, VCHIP_EF_DG2, w_dg2, &dg2, err)) ||
	    (rc = ef_add(fs, VCHIP_EF_DG3, w_raw, &g3, err)) ||
	    (rc = build_dg13(fs, &ds->person, err)) ||
	    (rc = ef_add(fs, VCHIP_EF_DG14, w_dg14, &dg14, err)))
		return rc;
	return ef_add(fs, VCHIP_EF_DG15, w_dg15, mbedtls_pk_get_type(aa_pub) ? aa_pub : &fs->aa_key,
		      err);
}

int vchip_files_build(struct vchip_files *fs, const struct vchip_dataset *ds, struct cccd_err *err)
{
	mbedtls_pk_context aa_pub;
	mbedtls_pk_context ca_pub;
	unsigned f = ds->chip.faults;
	int rc;

	memset(fs, 0, sizeof(*fs));
	mbedtls_pk_init(&fs->aa_key);
	mbedtls_pk_init(&fs->ca_key);
	mbedtls_pk_init(&aa_pub);
	mbedtls_pk_init(&ca_pub);
	for (int i = 0; i < VCHIP_EF_COUNT; i++) {
		fs->ef[i].fid = ef_ids[i].fid;
		fs->ef[i].sfi = ef_ids[i].sfi;
	}
	fs->ef[VCHIP_EF_CARDACCESS].in_mf = true;
	fs->ef[VCHIP_EF_DG3].needs_ta = true;
	rc = vchip_mrz_td1(&ds->person, fs->mrz, err);
	if (!rc)
		rc = chip_keys(fs, ds, &aa_pub, &ca_pub, err);
	if (!rc)
		rc = build_dgs(fs, ds, &aa_pub, &ca_pub, err);
	if (!rc)
		rc = build_pki(fs, &ds->chip, err);
	if (!rc)
		rc = build_sod(fs, ds->chip.pki.seed, err);
	if (!rc && (f & VCHIP_FAULT_TAMPER_DG1))
		tamper(fs, VCHIP_EF_DG1, false);
	if (!rc && (f & VCHIP_FAULT_TAMPER_DG2))
		tamper(fs, VCHIP_EF_DG2, true);
	if (!rc && (f & VCHIP_FAULT_TAMPER_DG13))
		tamper(fs, VCHIP_EF_DG13, false);
	mbedtls_pk_free(&aa_pub);
	mbedtls_pk_free(&ca_pub);
	if (rc)
		vchip_files_free(fs);
	return rc;
}

void vchip_files_free(struct vchip_files *fs)
{
	mbedtls_pk_free(&fs->aa_key);
	mbedtls_pk_free(&fs->ca_key);
	vchip_pki_free(&fs->pki);
}

const struct vchip_file *vchip_files_by_fid(const struct vchip_files *fs, uint16_t fid)
{
	for (int i = 0; i < VCHIP_EF_COUNT; i++)
		if (fs->ef[i].fid == fid && fs->ef[i].data)
			return &fs->ef[i];
	return NULL;
}

const struct vchip_file *vchip_files_by_sfi(const struct vchip_files *fs, uint8_t sfi)
{
	for (int i = 0; i < VCHIP_EF_COUNT; i++)
		if (fs->ef[i].sfi == sfi && fs->ef[i].data)
			return &fs->ef[i];
	return NULL;
}
