/* SPDX-License-Identifier: MIT */
/*
 * vchip_dataset.h - one synthetic test person and the chip that carries them, read from a small
 * INI-style dataset file (docs/virtual-chip.md): [person] (what DG1/DG13 hold), [chip] (access
 * control, APDU limits, faults) and [pki] (the TEST-ONLY signer chain).
 */
#ifndef CCCD_VCHIP_DATASET_H
#define CCCD_VCHIP_DATASET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "doc/date.h"
#include "doc/dg13.h"
#include "nfc/vchip_pki.h"

#define VCHIP_DATASET_MAX 16384 /* largest dataset file */
#define VCHIP_TEXT_MAX	  512	/* longest text value in bytes (UTF-8), NUL included */

/* Fault modes (ICAO 9303 failure cases a verifier must catch), a bit each. */
enum vchip_fault {
	VCHIP_FAULT_TAMPER_DG1 = 1u << 0,   /* DG1 changed by one byte after signing */
	VCHIP_FAULT_TAMPER_DG2 = 1u << 1,   /* DG2 changed by one byte after signing */
	VCHIP_FAULT_TAMPER_DG13 = 1u << 2,  /* DG13 changed by one byte after signing */
	VCHIP_FAULT_UNKNOWN_CSCA = 1u << 3, /* DS chains to a CSCA made from another seed */
	VCHIP_FAULT_EXPIRED_DS = 1u << 4,   /* DS certificate valid 2015-2020 only */
	VCHIP_FAULT_AA_MISMATCH = 1u << 5,  /* chip signs with a key other than DG15's (a clone) */
	VCHIP_FAULT_CA_WRONG_KEY = 1u << 6, /* chip authentication with a key other than DG14's */
	VCHIP_FAULT_WRONG_MAC = 1u << 7,    /* secure-messaging responses carry a wrong MAC */
};

/* How READ BINARY answers when fewer than Le bytes remain (ISO 7816-4 §5.1.3). */
enum vchip_eof { VCHIP_EOF_6282 = 0, VCHIP_EOF_6CXX, VCHIP_EOF_9000 };

/* Text fields are sized as DG13 carries them (doc/dg13.h): longer values are refused. */
struct vchip_person {
	char full_name[DG13_NAME_MAX]; /* UTF-8 NFC, as DG13 field 2 */
	struct cccd_date birth_date;
	char sex;		/* 'M' or 'F' */
	char id_number[13];	/* 12 digits */
	char old_id_number[10]; /* 9 digits or empty */
	char residence[DG13_ADDR_MAX];
	char place_of_origin[DG13_ADDR_MAX];
	char ethnicity[DG13_SHORT_MAX];
	char religion[DG13_SHORT_MAX];
	char nationality[DG13_SHORT_MAX]; /* DG13 field 5 text ("Việt Nam"); the MRZ always says VNM
					   */
	char identifying_marks[DG13_MARKS_MAX];
	struct cccd_date issue_date;
	bool no_expiry; /* expiry_date = none (issued at 58 or later) */
	struct cccd_date expiry_date;
	char mrz_expiry[7]; /* YYMMDD or <<<<<< for the MRZ when set; else from expiry_date */
	char father[DG13_NAME_MAX];
	char mother[DG13_NAME_MAX];
	char spouse[DG13_NAME_MAX]; /* empty: none */
};

struct vchip_chip_cfg {
	bool pace;
	bool bac;
	bool sm_required; /* LDS files need secure messaging (6982 without) */
	bool extended;	  /* extended-length APDUs accepted */
	unsigned max_le;  /* largest Le READ BINARY accepts (6700 above) */
	enum vchip_eof eof;
	unsigned photo_bytes; /* JPEG size inside DG2 */
	enum vchip_key_alg aa_alg;
	unsigned faults; /* enum vchip_fault bits */
	struct vchip_pki_cfg pki;
};

struct vchip_dataset {
	struct vchip_person person;
	struct vchip_chip_cfg chip;
};

/* Parse a dataset from buf[0..len) (name is used in messages: "an.ini:12: ..."; whole-file
 * checks such as a missing key name the last line). Every line is
 * checked; the first error is returned (-CCCD_EFORMAT, -CCCD_ERANGE, -CCCD_ECHECK) with "name:line"
 * in err->where. Messages never repeat a person's value. */
int vchip_dataset_parse(const uint8_t *buf, size_t len, const char *name, struct vchip_dataset *out,
			struct cccd_err *err);

/* Read and parse a dataset file (at most VCHIP_DATASET_MAX bytes). */
int vchip_dataset_load(const char *path, struct vchip_dataset *out, struct cccd_err *err);

/* Name ("section.key") of the i-th known key in table order, NULL past the end. */
const char *vchip_dataset_key_name(size_t i);

/* Parse a comma-separated fault list ("tamper_dg13,wrong_mac") into bits; 0 or -CCCD_ERANGE. */
int vchip_faults_parse_list(const char *s, size_t len, unsigned *out);

#endif
