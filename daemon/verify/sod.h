/* SPDX-License-Identifier: MIT */
/*
 * sod.h - EF.SOD (ICAO 9303-10 §4.6.2) and the CMS SignedData around it (RFC 5652 §5), BER with
 * indefinite lengths accepted. Parsed values point into the caller's buffer (or, for an eContent
 * sent as a constructed BER OCTET STRING, into a buffer inside the struct): keep the input alive
 * and do not copy the struct.
 *
 *   77 82 05 FA 30 82 05 F6 06 09 2A 86 48 86 F7 0D 01 07 02 A0 ...   tag 77, ContentInfo,
 * SignedData
 */
#ifndef CCCD_VERIFY_SOD_H
#define CCCD_VERIFY_SOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/md.h>
#include <mbedtls/x509.h>

#include "core/err.h"

#define CMS_MAX_CERTS	 8    /* certificates [0] kept; more is rejected */
#define CMS_MAX_SIGNERS	 4    /* SignerInfos accepted (only the first is used) */
#define CMS_MAX_ATTRS	 16   /* signed attributes accepted */
#define SOD_MAX_DG	 16   /* DataGroupHash entries: DG1..DG16 */
#define SOD_MAX_ECONTENT 4096 /* LDSSecurityObject reassembled from BER chunks */
#define SOD_MAX_HASH	 64   /* SHA-512 */

/* A span of the input (or of the struct's own eContent buffer); off is the byte offset in the
 * parsed input, for messages. */
struct cms_blob {
	const uint8_t *p;
	size_t len;
	size_t off;
};

struct cms_signer {
	int version;			/* 1 issuerAndSerialNumber, 3 subjectKeyIdentifier */
	struct cms_blob sid_issuer;	/* whole Name TLV (30 ...), empty for an SKI sid */
	struct cms_blob sid_serial;	/* INTEGER value bytes */
	struct cms_blob sid_ski;	/* [0] value bytes, empty for issuerAndSerialNumber */
	mbedtls_md_type_t digest_md;	/* digestAlgorithm (MBEDTLS_MD_NONE if unknown) */
	struct cms_blob signed_attrs;	/* value of [0] signedAttrs: re-tag as 31 to verify */
	struct cms_blob content_type;	/* contentType attribute: OID value bytes */
	struct cms_blob message_digest; /* messageDigest attribute: OCTET STRING value */
	bool has_signing_time;
	mbedtls_x509_time signing_time; /* signingTime attribute, UTC */
	mbedtls_x509_buf sig_oid;	/* signatureAlgorithm OID (tag, len, p) */
	mbedtls_x509_buf sig_params;	/* its parameters TLV (tag 0 / len 0 when absent) */
	struct cms_blob signature;	/* signature OCTET STRING value */
};

struct cms {
	struct cms_blob econtent_type;	      /* OID value bytes */
	struct cms_blob econtent;	      /* eContent octets */
	struct cms_blob certs[CMS_MAX_CERTS]; /* whole Certificate TLVs */
	size_t n_certs;
	size_t n_signers;
	struct cms_signer si; /* the first SignerInfo */
};

struct sod_dg_hash {
	uint8_t dg;  /* 1..16 */
	uint8_t len; /* = the LDS hash size */
	uint8_t hash[SOD_MAX_HASH];
};

struct sod {
	struct cms cms;
	int lds_version;	  /* 0, or 1 with LDSVersionInfo */
	mbedtls_md_type_t lds_md; /* LDSSecurityObject.hashAlgorithm */
	struct sod_dg_hash dg[SOD_MAX_DG];
	size_t n_dg;
	uint8_t ebuf[SOD_MAX_ECONTENT]; /* eContent when it came as BER chunks */
};

/* Parse a CMS ContentInfo holding SignedData (BER). The eContent, when sent as a constructed OCTET
 * STRING, is reassembled into ebuf (up to ebuf_cap bytes); else it points into buf. 0 or
 * -CCCD_EFORMAT/-CCCD_ERANGE with "<element> at byte N: reason" in err. */
int sod_cms_parse(const uint8_t *buf, size_t len, struct cms *out, uint8_t *ebuf, size_t ebuf_cap,
		  struct cccd_err *err);

/* Parse EF.SOD: tag 77 around ContentInfo/SignedData whose eContentType is
 * id-icao-mrtd-security-ldsSecurityObject, and the LDSSecurityObject inside. 0 or -CCCD_E*. */
int sod_parse(const uint8_t *buf, size_t len, struct sod *out, struct cccd_err *err);

/* The hash the SOD holds for data group dg (1..16), or NULL. */
const struct sod_dg_hash *sod_dg_hash(const struct sod *sod, unsigned dg);

#endif
