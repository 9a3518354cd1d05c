/* SPDX-License-Identifier: MIT */
/*
 * cert.h - X.509 certificates as passive authentication needs them (ICAO 9303-12 §7): mbedTLS's
 * parser, plus EC keys with explicit curve parameters (which mbedTLS 2.28 rejects), plus the key
 * identifiers, key usage and validity checks that a CSCA -> DS chain needs.
 */
#ifndef CCCD_VERIFY_CERT_H
#define CCCD_VERIFY_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/x509_crt.h>

#include "core/err.h"

#define PA_CERT_MAX_DER 8192 /* largest certificate accepted */

struct pa_cert {
	mbedtls_x509_crt crt; /* parsed; from a named-curve rewrite when explicit_curve */
	uint8_t *der;	      /* the certificate as received (heap copy) */
	size_t der_len;
	size_t tbs_off; /* TBSCertificate inside der: what the issuer signed */
	size_t tbs_len;
	bool explicit_curve;  /* the key came with explicit EC domain parameters */
	mbedtls_x509_buf ski; /* subjectKeyIdentifier value (len 0 if absent) */
	mbedtls_x509_buf aki; /* authorityKeyIdentifier keyIdentifier (len 0 if absent) */
};

/* Initialise an empty pa_cert (safe to pa_cert_free). */
void pa_cert_init(struct pa_cert *c);

/* Free what pa_cert_parse allocated; c can be parsed into again afterwards. */
void pa_cert_free(struct pa_cert *c);

/* Parse one DER certificate (no trailing bytes). 0 or -CCCD_EFORMAT/-CCCD_ENOTSUP/-CCCD_ENOMEM. */
int pa_cert_parse(const uint8_t *buf, size_t len, struct pa_cert *out, struct cccd_err *err);

/* Verify that issuer's key signed subject's TBSCertificate. 0 or -CCCD_ECHECK. */
int pa_cert_check_sig(const struct pa_cert *issuer, const struct pa_cert *subject,
		      struct cccd_err *err);

/* True when the certificate's validity period contains t. */
bool pa_cert_valid_at(const struct pa_cert *c, const mbedtls_x509_time *t);

/* True when the certificate has a keyUsage extension that includes all bits of usage
 * (MBEDTLS_X509_KU_*): ICAO 9303-12 requires the extension, so absent means false. */
bool pa_cert_has_usage(const struct pa_cert *c, unsigned usage);

/* SHA-256 of the DER as received. */
void pa_cert_fingerprint(const struct pa_cert *c, uint8_t out[32]);

/* t as an mbedtls_x509_time (UTC). */
void pa_time_from_unix(long long t, mbedtls_x509_time *out);

/* "YYYY-MM-DD" (or "YYYY-MM-DD HH:MM:SS" when with_time) into buf; returns buf. */
const char *pa_time_str(const mbedtls_x509_time *t, bool with_time, char *buf, size_t len);

#endif
