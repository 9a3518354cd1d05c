/* SPDX-License-Identifier: MIT */
/*
 * trust.h - the CSCA trust store: a directory of CSCA certificates (DER or PEM), ICAO master lists
 * (.ml, ICAO 9303-12 §8) and optional CRLs (.crl). `cccdctl trust import` writes one DER file per
 * certificate named <sha256 of the DER>.der (0644). The default trust directory is empty: the
 * virtual chip's test CSCA is trusted only by tests and the demo, which pass their own directory.
 */
#ifndef CCCD_VERIFY_TRUST_H
#define CCCD_VERIFY_TRUST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/x509_crl.h>

#include "core/err.h"
#include "verify/cert.h"
#include "verify/sod.h"

#define TRUST_DEFAULT_DIR  "/etc/cccd-gateway/trust"
#define TRUST_MAX_CERTS	   4096	      /* certificates held by one store */
#define TRUST_MAX_FILE	   (8u << 20) /* largest file read (a full ICAO master list is ~1 MB) */
#define TRUST_ML_MAX_CERTS 4096	      /* certificates in one master list */

struct trust_store {
	struct pa_cert *certs; /* heap array: the store is loaded once, outside the card path */
	size_t n, cap;
	mbedtls_x509_crl crls; /* chain of CRLs (empty when crls.version == 0) */
	size_t n_crls;
	size_t skipped; /* files or certificates that could not be read */
};

void trust_init(struct trust_store *ts);
void trust_free(struct trust_store *ts);

/* Add one DER certificate (copied). 0 or -CCCD_E* (the certificate is not added). */
int trust_add_der(struct trust_store *ts, const uint8_t *der, size_t len, struct cccd_err *err);

/* Add one CRL (DER or NUL-terminated PEM). 0 or -CCCD_EFORMAT. */
int trust_add_crl(struct trust_store *ts, const uint8_t *buf, size_t len, struct cccd_err *err);

/* Load every *.der *.cer *.crt *.pem *.ml and *.crl file of dir; unreadable files are counted in
 * ts->skipped and logged. 0, or -CCCD_EIO/-CCCD_ENOENT when dir cannot be read at all. */
int trust_load_dir(struct trust_store *ts, const char *dir, struct cccd_err *err);

/* Next CSCA candidate for subject, starting at *iter (set it to 0 first): same DN as subject's
 * issuer, or subjectKeyIdentifier = subject's authorityKeyIdentifier (*by_key_id then true).
 * NULL when there are no more. */
const struct pa_cert *trust_find(const struct trust_store *ts, const struct pa_cert *subject,
				 size_t *iter, bool *by_key_id);

/* An ICAO CSCA master list: CMS SignedData, eContentType id-icao-cscaMasterList (2.23.136.1.1.2),
 * eContent CscaMasterList ::= SEQUENCE { version INTEGER (0), certList SET OF Certificate }. */
struct trust_ml {
	struct cms cms;
	uint8_t *ebuf;		  /* eContent reassembled from BER chunks (heap) */
	struct cms_blob certlist; /* value of certList */
	size_t n_certs;
};

/* Parse a master list; each certificate in certList is only checked to be a SEQUENCE TLV here.
 * 0 or -CCCD_E*; call trust_ml_free afterwards in both cases. */
int trust_masterlist_parse(const uint8_t *buf, size_t len, struct trust_ml *out,
			   struct cccd_err *err);
void trust_ml_free(struct trust_ml *ml);

/* Next certificate of certList from *pos (set it to 0 first): 1 and *cert, or 0 at the end. */
int trust_ml_next(const struct trust_ml *ml, size_t *pos, struct cms_blob *cert);

struct trust_import_report {
	size_t added;	 /* new files written */
	size_t existing; /* already in the directory */
	size_t rejected; /* unreadable or not CA certificates */
	bool masterlist;
	int ml_signature;    /* master list: 0 signature valid, <0 invalid */
	char ml_signer[128]; /* master list signer DN */
};

/* Import FILE contents (a master list, PEM certificates or one DER certificate) into dir as
 * <sha256>.der files, 0644. Only CA certificates are imported; a master list whose own signature
 * fails (-CCCD_ECHECK) is refused whole. 0 when at least one certificate was
 * added or already present, else -CCCD_E* with the reason. */
int trust_import(const char *dir, const uint8_t *buf, size_t len, struct trust_import_report *rep,
		 struct cccd_err *err);

/* What `cccdctl trust list` shows of a certificate. */
struct trust_info {
	char subject[256];
	char serial[100];
	char not_before[24]; /* YYYY-MM-DD */
	char not_after[24];
	char fingerprint[65]; /* SHA-256, lower-case hex */
	bool explicit_curve;
};

void trust_info(const struct pa_cert *c, struct trust_info *out);

#endif
