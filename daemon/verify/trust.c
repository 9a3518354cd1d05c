/* SPDX-License-Identifier: MIT */
/*
 * trust.c - the CSCA trust store (ICAO 9303-12 §5 and §8): certificates, master lists and CRLs
 * from one directory, CSCA lookup by issuer DN or key identifier, and import into the directory.
 *
 *   /etc/cccd-gateway/trust/3f1c..9a.der   one CSCA, named by the SHA-256 of its DER, 0644
 *   30 82 0A 6F 06 09 2A 86 48 86 F7 0D 01 07 02 A0 ..  06 06 67 81 08 01 01 02   a master list:
 *   SignedData whose eContentType is id-icao-cscaMasterList, eContent SEQUENCE { 02 01 00, 31 .. }
 *
 * A master list's own signature is checked against the signer certificate it embeds (integrity of
 * the file: messageDigest and signature), and the result is reported; the signer is not chained to
 * anything, because the list signer's CSCA (e.g. Germany's) is usually not in the store; a list
 * whose signature does not verify is refused whole. Importing
 * a list is therefore an act of trust by the operator in the file's origin, and docs/verify.md
 * says so. Only CA certificates (basicConstraints cA) are imported. The store is loaded once at
 * start, outside the card path, so it uses the heap.
 */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/asn1.h>
#include <mbedtls/pem.h>

#include "core/log.h"
#include "verify/pa.h"
#include "verify/trust.h"

#define OID_CSCA_ML "\x67\x81\x08\x01\x01\x02" /* 2.23.136.1.1.2 id-icao-cscaMasterList */
#define PEM_BEGIN   "-----BEGIN CERTIFICATE-----"
#define PEM_END	    "-----END CERTIFICATE-----"

void trust_init(struct trust_store *ts)
{
	memset(ts, 0, sizeof(*ts));
	mbedtls_x509_crl_init(&ts->crls);
}

void trust_free(struct trust_store *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		pa_cert_free(&ts->certs[i]);
	free(ts->certs);
	mbedtls_x509_crl_free(&ts->crls);
	trust_init(ts);
}

int trust_add_der(struct trust_store *ts, const uint8_t *der, size_t len, struct cccd_err *err)
{
	for (size_t i = 0; i < ts->n; i++)
		if (ts->certs[i].der_len == len && !memcmp(ts->certs[i].der, der, len))
			return 0; /* the same certificate from a second file */
	if (ts->n == ts->cap) {
		size_t cap = ts->cap ? ts->cap * 2 : 16;
		struct pa_cert *c;

		if (ts->n >= TRUST_MAX_CERTS)
			return cccd_err_set(err, -CCCD_ERANGE, "trust", "more than %d certificates",
					    TRUST_MAX_CERTS);
		c = realloc(ts->certs, cap * sizeof(*c));
		if (!c)
			return cccd_err_set(err, -CCCD_ENOMEM, "trust", "out of memory");
		ts->certs = c;
		ts->cap = cap;
	}
	int rc = pa_cert_parse(der, len, &ts->certs[ts->n], err);

	if (!rc)
		ts->n++;
	return rc;
}

/* A NUL-terminated heap copy of buf when it holds PEM text (mbedTLS's PEM reader needs one). */
static char *pem_copy(const uint8_t *buf, size_t len)
{
	char *s;

	if (!memmem(buf, len, "-----BEGIN ", 11) || !(s = malloc(len + 1)))
		return NULL;
	memcpy(s, buf, len);
	s[len] = '\0';
	return s;
}

int trust_add_crl(struct trust_store *ts, const uint8_t *buf, size_t len, struct cccd_err *err)
{
	char *pem = pem_copy(buf, len);
	int rc = pem ? mbedtls_x509_crl_parse(&ts->crls, (uint8_t *)pem, len + 1)
		     : mbedtls_x509_crl_parse_der(&ts->crls, buf, len);

	free(pem);
	if (rc)
		return cccd_err_set(err, -CCCD_EFORMAT, "trust", "not a CRL");
	ts->n_crls++;
	return 0;
}

/* Read a whole file (bounded) into a heap buffer. */
static int read_file(const char *path, uint8_t **buf, size_t *len, struct cccd_err *err)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b = NULL;
	size_t n;

	if (!f)
		return cccd_err_set(err, -CCCD_EIO, "trust", "%s: %s", path, strerror(errno));
	b = malloc(TRUST_MAX_FILE + 1); /* +1: tells a too-large file from a full one */
	n = b ? fread(b, 1, TRUST_MAX_FILE + 1, f) : 0;
	fclose(f);
	if (!b || n > TRUST_MAX_FILE || !n) {
		free(b);
		return cccd_err_set(err, b ? -CCCD_ERANGE : -CCCD_ENOMEM, "trust",
				    "%s: empty or larger than %u bytes", path, TRUST_MAX_FILE);
	}
	*buf = b;
	*len = n;
	return 0;
}

typedef int (*cert_fn)(void *ctx, const uint8_t *der, size_t len, struct cccd_err *err);

/* Call fn for each certificate in buf: PEM blocks, a master list's certList, or one DER
 * certificate. Returns the number of certificates fn accepted, or -CCCD_E* if none. */
static int each_cert(const uint8_t *buf, size_t len, cert_fn fn, void *ctx, struct cccd_err *err)
{
	struct trust_ml ml;
	struct cms_blob c;
	size_t pos = 0, used;
	int ok = 0, rc = -CCCD_EFORMAT;

	char *text = pem_copy(buf, len);

	if (text) {
		mbedtls_pem_context pem;
		const char *p = text;

		while ((p = strstr(p, PEM_BEGIN))) {
			mbedtls_pem_init(&pem);
			if (mbedtls_pem_read_buffer(&pem, PEM_BEGIN, PEM_END, (const uint8_t *)p,
						    NULL, 0, &used)) {
				used = sizeof(PEM_BEGIN) - 1;
				rc = cccd_err_set(err, -CCCD_EFORMAT, "trust",
						  "bad PEM block at byte %zu", (size_t)(p - text));
			} else if (!(rc = fn(ctx, pem.buf, pem.buflen, err))) {
				ok++;
			}
			mbedtls_pem_free(&pem);
			p += used;
		}
		free(text);
		return ok ? ok : rc;
	}
	if (!trust_masterlist_parse(buf, len, &ml, NULL)) {
		while (trust_ml_next(&ml, &pos, &c) == 1)
			if (!(rc = fn(ctx, c.p, c.len, err)))
				ok++;
		trust_ml_free(&ml);
		return ok ? ok : rc;
	}
	trust_ml_free(&ml);
	rc = fn(ctx, buf, len, err);
	return rc ? rc : 1;
}

static int add_cb(void *ctx, const uint8_t *der, size_t len, struct cccd_err *err)
{
	return trust_add_der(ctx, der, len, err);
}

static bool wanted(const char *name, bool *crl)
{
	static const char *const ext[] = {".der", ".cer", ".crt", ".pem", ".ml", ".crl"};
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t k = strlen(ext[i]);

		if (n > k && !strcmp(name + n - k, ext[i])) {
			*crl = i == 5;
			return true;
		}
	}
	return false;
}

static void load_file(struct trust_store *ts, const char *path, bool crl)
{
	struct cccd_err e = {0};
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc = read_file(path, &buf, &len, &e);

	if (!rc)
		rc = crl ? trust_add_crl(ts, buf, len, &e) : each_cert(buf, len, add_cb, ts, &e);
	if (rc < 0) {
		ts->skipped++;
		cccd_warn("trust: skipping %s: %s", path, e.msg);
	}
	free(buf);
}

int trust_load_dir(struct trust_store *ts, const char *dir, struct cccd_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[4096];
	bool crl;

	if (!d)
		return cccd_err_set(err, errno == ENOENT ? -CCCD_ENOENT : -CCCD_EIO, "trust",
				    "%s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !wanted(de->d_name, &crl))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path))
			continue;
		load_file(ts, path, crl);
	}
	closedir(d);
	return 0;
}

static bool same(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	return alen && alen == blen && !memcmp(a, b, alen);
}

const struct pa_cert *trust_find(const struct trust_store *ts, const struct pa_cert *subject,
				 size_t *iter, bool *by_key_id)
{
	for (; *iter < ts->n; (*iter)++) {
		const struct pa_cert *c = &ts->certs[*iter];

		*by_key_id = same(c->ski.p, c->ski.len, subject->aki.p, subject->aki.len);
		if (*by_key_id || same(c->crt.subject_raw.p, c->crt.subject_raw.len,
				       subject->crt.issuer_raw.p, subject->crt.issuer_raw.len)) {
			(*iter)++;
			return c;
		}
	}
	return NULL;
}

/* CscaMasterList ::= SEQUENCE { version INTEGER (0), certList SET OF Certificate } */
static int ml_content(struct trust_ml *ml, struct cccd_err *err)
{
	unsigned char *p = (unsigned char *)ml->cms.econtent.p, *end = p + ml->cms.econtent.len, *c;
	size_t l;
	int ver;

	if (mbedtls_asn1_get_tag(&p, end, &l, 0x30) || l != (size_t)(end - p) ||
	    mbedtls_asn1_get_int(&p, end, &ver) || ver != 0 ||
	    mbedtls_asn1_get_tag(&p, end, &l, 0x31) || l != (size_t)(end - p))
		return cccd_err_set(err, -CCCD_EFORMAT, "trust",
				    "CscaMasterList: not SEQUENCE "
				    "{ version 0, certList SET }");
	ml->certlist = (struct cms_blob){p, l, 0};
	for (c = p; c < end; c += l, ml->n_certs++) {
		if (ml->n_certs == TRUST_ML_MAX_CERTS)
			return cccd_err_set(err, -CCCD_ERANGE, "trust",
					    "CscaMasterList: more than %d "
					    "certificates",
					    TRUST_ML_MAX_CERTS);
		if (mbedtls_asn1_get_tag(&c, end, &l, 0x30))
			return cccd_err_set(err, -CCCD_EFORMAT, "trust",
					    "CscaMasterList.certList: "
					    "certificate %zu is not a SEQUENCE",
					    ml->n_certs + 1);
	}
	return 0;
}

int trust_masterlist_parse(const uint8_t *buf, size_t len, struct trust_ml *out,
			   struct cccd_err *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (!buf || !len)
		return cccd_err_set(err, -CCCD_EFORMAT, "trust", "empty master list");
	out->ebuf = malloc(len);
	if (!out->ebuf)
		return cccd_err_set(err, -CCCD_ENOMEM, "trust", "out of memory");
	if ((rc = sod_cms_parse(buf, len, &out->cms, out->ebuf, len, err)))
		return rc;
	if (!same(out->cms.econtent_type.p, out->cms.econtent_type.len,
		  (const uint8_t *)OID_CSCA_ML, sizeof(OID_CSCA_ML) - 1))
		return cccd_err_set(err, -CCCD_EFORMAT, "trust",
				    "eContentType at byte %zu: not "
				    "id-icao-cscaMasterList",
				    out->cms.econtent_type.off);
	return ml_content(out, err);
}

void trust_ml_free(struct trust_ml *ml)
{
	free(ml->ebuf);
	ml->ebuf = NULL;
}

int trust_ml_next(const struct trust_ml *ml, size_t *pos, struct cms_blob *cert)
{
	unsigned char *p = (unsigned char *)ml->certlist.p + *pos, *s = p;
	unsigned char *end = (unsigned char *)ml->certlist.p + ml->certlist.len;
	size_t l;

	if (*pos >= ml->certlist.len || mbedtls_asn1_get_tag(&p, end, &l, 0x30))
		return 0;
	*cert = (struct cms_blob){s, (size_t)(p - s) + l, *pos};
	*pos += cert->len;
	return 1;
}

/* Import state shared by the per-certificate callback. */
struct import_ctx {
	const char *dir;
	struct trust_import_report *rep;
};

static int write_der(const char *path, const uint8_t *der, size_t len, struct cccd_err *err)
{
	char tmp[4200];
	int fd;
	bool ok;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return cccd_err_set(err, -CCCD_EIO, "trust", "%s: %s", tmp, strerror(errno));
	ok = write(fd, der, len) == (ssize_t)len && !fchmod(fd, 0644) && !fsync(fd);
	ok = !close(fd) && ok && !rename(tmp, path);
	if (!ok) {
		unlink(tmp);
		return cccd_err_set(err, -CCCD_EIO, "trust", "%s: %s", path, strerror(errno));
	}
	return 0;
}

static int import_cb(void *vctx, const uint8_t *der, size_t len, struct cccd_err *err)
{
	struct import_ctx *ctx = vctx;
	struct pa_cert c;
	struct trust_info info;
	char path[4096];
	int rc = pa_cert_parse(der, len, &c, err);

	if (rc || !c.crt.ca_istrue) {
		ctx->rep->rejected++;
		pa_cert_free(&c);
		return rc ? rc : cccd_err_set(err, -CCCD_ERANGE, "trust", "not a CA certificate");
	}
	trust_info(&c, &info);
	pa_cert_free(&c);
	if ((size_t)snprintf(path, sizeof(path), "%s/%s.der", ctx->dir, info.fingerprint) >=
	    sizeof(path))
		return cccd_err_set(err, -CCCD_ERANGE, "trust", "directory name too long");
	if (!access(path, F_OK)) {
		ctx->rep->existing++;
		return 0;
	}
	if ((rc = write_der(path, der, len, err)))
		return rc;
	ctx->rep->added++;
	return 0;
}

/* A master list's own signature, checked with the signer certificate it carries. */
static void check_ml_signature(const uint8_t *buf, size_t len, struct trust_import_report *rep)
{
	struct trust_ml ml;
	struct pa_cert c;

	rep->ml_signature = -CCCD_ENOENT;
	if (trust_masterlist_parse(buf, len, &ml, NULL))
		goto out;
	rep->masterlist = true;
	for (size_t i = 0; i < ml.cms.n_certs; i++) {
		if (pa_cert_parse(ml.cms.certs[i].p, ml.cms.certs[i].len, &c, NULL))
			continue;
		if (pa_sid_matches(&ml.cms.si, &c)) {
			mbedtls_x509_dn_gets(rep->ml_signer, sizeof(rep->ml_signer),
					     &c.crt.subject);
			rep->ml_signature = pa_cms_check(&ml.cms, &c, NULL);
		}
		pa_cert_free(&c);
	}
out:
	trust_ml_free(&ml);
}

int trust_import(const char *dir, const uint8_t *buf, size_t len, struct trust_import_report *rep,
		 struct cccd_err *err)
{
	struct import_ctx ctx = {dir, rep};
	int rc;

	memset(rep, 0, sizeof(*rep));
	if (mkdir(dir, 0755) && errno != EEXIST)
		return cccd_err_set(err, -CCCD_EIO, "trust", "%s: %s", dir, strerror(errno));
	check_ml_signature(buf, len, rep);
	if (rep->masterlist && rep->ml_signature == -CCCD_ECHECK)
		return cccd_err_set(err, -CCCD_ECHECK, "trust",
				    "master list signature invalid (signer "
				    "%s): file altered or damaged, nothing imported",
				    rep->ml_signer);
	rc = each_cert(buf, len, import_cb, &ctx, err);
	return rc < 0 ? rc : 0;
}

void trust_info(const struct pa_cert *c, struct trust_info *out)
{
	uint8_t fp[32];

	memset(out, 0, sizeof(*out));
	if (mbedtls_x509_dn_gets(out->subject, sizeof(out->subject), &c->crt.subject) < 0)
		snprintf(out->subject, sizeof(out->subject), "?");
	if (mbedtls_x509_serial_gets(out->serial, sizeof(out->serial), &c->crt.serial) < 0)
		snprintf(out->serial, sizeof(out->serial), "?");
	pa_time_str(&c->crt.valid_from, false, out->not_before, sizeof(out->not_before));
	pa_time_str(&c->crt.valid_to, false, out->not_after, sizeof(out->not_after));
	pa_cert_fingerprint(c, fp);
	for (int i = 0; i < 32; i++)
		snprintf(out->fingerprint + 2 * i, 3, "%02x", fp[i]);
	out->explicit_curve = c->explicit_curve;
}
