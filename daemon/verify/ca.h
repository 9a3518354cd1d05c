/* SPDX-License-Identifier: MIT */
/*
 * ca.h - chip authentication v1 (ICAO 9303-11 §6.2, §9.2.5-9.2.6): key agreement between an
 * ephemeral terminal key and the static key the chip publishes in DG14, new secure-messaging keys,
 * and a read under them, which only a chip that holds the private key can answer. Also the DG14
 * SecurityInfos parser, including ActiveAuthenticationInfo (§9.2.8) for aa.h. The outcome is
 * RESULT's checks.chip.
 */
#ifndef CCCD_VERIFY_CA_H
#define CCCD_VERIFY_CA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/md.h>

#include "core/err.h"
#include "emrtd/emrtd.h"

#define CA_MAX_INFOS 4 /* ChipAuthenticationInfo and ...PublicKeyInfo entries kept, each */
#define CA_OID_MAX   16
#define CA_DG14_MAX  4096

/* ChipAuthenticationInfo: protocol id-CA-{DH,ECDH}-{3DES-CBC-CBC,AES-CBC-CMAC-128/192/256}. */
struct ca_info {
	uint8_t oid[CA_OID_MAX]; /* DER contents of the protocol OID */
	size_t oid_len;
	bool dh; /* id-CA-DH-*, else id-CA-ECDH-* */
	enum emrtd_cipher cipher;
	uint32_t version;
	bool has_key_id;
	uint32_t key_id;
};

/* ChipAuthenticationPublicKeyInfo: id-PK-DH / id-PK-ECDH and a SubjectPublicKeyInfo. */
struct ca_pubkey {
	bool dh;
	const uint8_t *spki; /* whole SubjectPublicKeyInfo TLV, into the parsed buffer */
	size_t spki_len;
	size_t off; /* where it starts in DG14, for messages */
	bool has_key_id;
	uint32_t key_id;
};

struct ca_dg14 {
	struct ca_info info[CA_MAX_INFOS];
	size_t n_info;
	struct ca_pubkey key[CA_MAX_INFOS];
	size_t n_key;
	bool has_aa;		 /* ActiveAuthenticationInfo present */
	uint32_t aa_version;	 /* its version (1) */
	mbedtls_md_type_t aa_md; /* hash of its signatureAlgorithm; NONE when unknown */
	size_t n_other;		 /* SecurityInfos of other protocols (TA, PACE, ...), skipped */
};

enum ca_status {
	CA_OK,	   /* a file read under the agreed keys verified */
	CA_FAILED, /* DG14 malformed, the chip refused, or it answered under other keys */
	CA_ABSENT, /* no DG14, no usable CA key in it, or a variant this build cannot run */
};

struct ca_result {
	enum ca_status status;
	int code;	  /* the -CCCD_E* behind a failure (-CCCD_ENOCARD: the card left), else 0 */
	char reason[160]; /* why not ok; empty when ok */
};

/* Parse DG14: 6E L SET OF SecurityInfo (SEQUENCE { OID, required, optional }). Unknown protocols
 * are counted and skipped; a CA, PK or AA entry that is malformed is an error. Pointers go into
 * buf. 0, -CCCD_EFORMAT (with the byte offset) or -CCCD_ERANGE (too many entries). */
int ca_dg14_parse(const uint8_t *buf, size_t len, struct ca_dg14 *out, struct cccd_err *err);

/* Hash named by an ActiveAuthenticationInfo signatureAlgorithm OID (ecdsa-plain-SHA*, BSI
 * TR-03111, or ecdsa-with-SHA*, RFC 5758); MBEDTLS_MD_NONE when unknown. */
mbedtls_md_type_t ca_aa_md_from_oid(const uint8_t *oid, size_t len);

/* Run chip authentication on an open session (SM on): ECDH with DG14's key, MSE:Set AT +
 * GENERAL AUTHENTICATE (AES) or MSE:Set KAT (3DES), SM restarted with KSenc/KSmac = KDF(x, 1/2)
 * and SSC 0, then EF.COM read under the new keys. dg14 NULL/0: absent. A failed run leaves the
 * session unusable (s->lost or keys the chip does not share). Returns res->status. */
enum ca_status ca_run(struct emrtd_session *s, const uint8_t *dg14, size_t dg14_len,
		      struct ca_result *res);

/* The RESULT spelling: "ok", "failed", "absent". */
const char *ca_status_str(enum ca_status st);

#endif
