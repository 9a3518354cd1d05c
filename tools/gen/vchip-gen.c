/* SPDX-License-Identifier: MIT */
/*
 * vchip-gen - writes the virtual chip's TEST-ONLY PKI and files to disk, so tests and people can
 * check them with independent tools (openssl cms -verify, openssl asn1parse) and trust the test
 * CSCA in the demo only.
 *
 *   vchip-gen pki DIR [-s SEED] [-c ALG] [-d ALG] [-v NOT_BEFORE NOT_AFTER]
 *       DIR/csca.pem csca.der ds.pem ds.der ds-key.pem (ALG: ecdsa-brainpoolP256r1,
 *       ecdsa-secp256r1, rsa2048; validity of the DS as YYYYMMDDhhmmss)
 *   vchip-gen sod OUT [-s SEED] [-c ALG] [-d ALG] [-v ...] N=FILE...
 *       EF.SOD (tag 77) over the data group files given by number, e.g. 1=dg1.bin 2=dg2.bin
 *   vchip-gen card DATASET DIR
 *       every file of the virtual chip built from DATASET (cardaccess.bin com.bin dg1.bin dg2.bin
 *       dg3.bin dg14.bin dg15.bin sod.bin, mrz.txt) and the dataset's test CSCA (csca.pem, the one
 *       a test trusts; with the unknown_csca fault the SOD chains elsewhere)
 *
 * Exit 0 ok, 1 bad input, 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/pk.h>

#include "nfc/vchip_dataset.h"
#include "nfc/vchip_files.h"
#include "nfc/vchip_pki.h"
#include "nfc/vchip_sod.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: vchip-gen pki DIR [-s SEED] [-c ALG] [-d ALG] [-v FROM TO]\n"
		"       vchip-gen sod OUT [-s SEED] [-c ALG] [-d ALG] [-v FROM TO] N=FILE...\n");
	return 2;
}

static int write_file(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s%s", dir, *dir ? "/" : "", name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		return 2;
	}
	return 0;
}

/* Parse the shared options; returns the index of the first non-option argument or -1. */
static int parse_opts(int argc, char **argv, int i, struct vchip_pki_cfg *cfg)
{
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i];

		if (i + 1 >= argc)
			return -1;
		if (!strcmp(o, "-s"))
			snprintf(cfg->seed, sizeof(cfg->seed), "%s", argv[++i]);
		else if (!strcmp(o, "-c") && !vchip_key_alg_parse_name(argv[i + 1], &cfg->csca_alg))
			i++;
		else if (!strcmp(o, "-d") && !vchip_key_alg_parse_name(argv[i + 1], &cfg->ds_alg))
			i++;
		else if (!strcmp(o, "-v") && i + 2 < argc && strlen(argv[i + 1]) == 14 &&
			 strlen(argv[i + 2]) == 14) {
			memcpy(cfg->ds_not_before, argv[++i], 15);
			memcpy(cfg->ds_not_after, argv[++i], 15);
		} else
			return -1;
	}
	return i;
}

static int write_pki(const char *dir, struct vchip_pki *pki)
{
	static char pem[16000];
	int rc;

	if (vchip_cert_pem(pki->csca_cert, pki->csca_cert_len, pem, sizeof(pem), NULL) ||
	    (rc = write_file(dir, "csca.pem", pem, strlen(pem))))
		return 2;
	if ((rc = write_file(dir, "csca.der", pki->csca_cert, pki->csca_cert_len)))
		return rc;
	if (vchip_cert_pem(pki->ds_cert, pki->ds_cert_len, pem, sizeof(pem), NULL) ||
	    (rc = write_file(dir, "ds.pem", pem, strlen(pem))))
		return 2;
	if ((rc = write_file(dir, "ds.der", pki->ds_cert, pki->ds_cert_len)))
		return rc;
	if (mbedtls_pk_write_key_pem(&pki->ds_key, (unsigned char *)pem, sizeof(pem)))
		return 2;
	return write_file(dir, "ds-key.pem", pem, strlen(pem));
}

static int read_file(const char *path, uint8_t *buf, size_t cap, size_t *len)
{
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		return 1;
	}
	*len = fread(buf, 1, cap, f);
	fclose(f);
	if (*len == cap) {
		fprintf(stderr, "vchip-gen: %s: larger than %zu bytes\n", path, cap - 1);
		return 1;
	}
	return 0;
}

static int sod_from_files(const char *out, int argc, char **argv, struct vchip_pki *pki,
			  const char *seed)
{
	static uint8_t files[VCHIP_SOD_MAX_DG][65536];
	static uint8_t sod[VCHIP_SOD_MAX];
	struct vchip_dg_ref dgs[VCHIP_SOD_MAX_DG];
	struct vchip_signer signer = {&pki->ds_key, pki->ds_cert, pki->ds_cert_len, seed};
	struct cccd_err err = {0};
	size_t n = 0;
	size_t len;

	for (int i = 0; i < argc; i++, n++) {
		char *eq = strchr(argv[i], '=');

		if (!eq || n == VCHIP_SOD_MAX_DG)
			return usage();
		dgs[n].num = (unsigned)atoi(argv[i]);
		dgs[n].data = files[n];
		if (read_file(eq + 1, files[n], sizeof(files[n]), &dgs[n].len))
			return 1;
	}
	if (vchip_sod_build(dgs, n, &signer, sod, sizeof(sod), &len, &err)) {
		fprintf(stderr, "vchip-gen: %s: %s\n", err.where, err.msg);
		return 1;
	}
	return write_file("", out, sod, len);
}

static int write_card_files(const char *dir, const struct vchip_files *fs)
{
	static const char *const names[VCHIP_EF_COUNT] = {"cardaccess.bin", "com.bin",	"dg1.bin",
							  "dg2.bin",	    "dg3.bin",	"dg13.bin",
							  "dg14.bin",	    "dg15.bin", "sod.bin"};
	int rc = 0;

	for (int i = 0; i < VCHIP_EF_COUNT && !rc; i++)
		if (fs->ef[i].data)
			rc = write_file(dir, names[i], fs->ef[i].data, fs->ef[i].len);
	if (!rc)
		rc = write_file(dir, "mrz.txt", fs->mrz, 90);
	return rc;
}

static int card(const char *dataset, const char *dir)
{
	static struct vchip_dataset ds;
	static struct vchip_files fs;
	static char pem[4096];
	struct vchip_pki trusted;
	struct cccd_err err = {0};
	int rc;

	if (vchip_dataset_load(dataset, &ds, &err) || vchip_files_build(&fs, &ds, &err)) {
		fprintf(stderr, "vchip-gen: %s: %s\n", err.where, err.msg);
		return 1;
	}
	rc = write_card_files(dir, &fs);
	vchip_files_free(&fs);
	if (rc)
		return rc;
	if (vchip_pki_build(&trusted, &ds.chip.pki, &err))
		return 1;
	rc = vchip_cert_pem(trusted.csca_cert, trusted.csca_cert_len, pem, sizeof(pem), NULL);
	vchip_pki_free(&trusted);
	return rc ? 2 : write_file(dir, "csca.pem", pem, strlen(pem));
}

int main(int argc, char **argv)
{
	struct vchip_pki_cfg cfg;
	struct vchip_pki pki;
	struct cccd_err err = {0};
	int i;
	int rc;

	vchip_pki_cfg_defaults(&cfg);
	if (argc == 4 && !strcmp(argv[1], "card"))
		return card(argv[2], argv[3]);
	if (argc < 3 || (strcmp(argv[1], "pki") && strcmp(argv[1], "sod")))
		return usage();
	i = parse_opts(argc, argv, 3, &cfg);
	if (i < 0 || (!strcmp(argv[1], "pki") && i != argc))
		return usage();
	if (vchip_pki_build(&pki, &cfg, &err)) {
		fprintf(stderr, "vchip-gen: %s: %s\n", err.where, err.msg);
		return 1;
	}
	if (!strcmp(argv[1], "pki"))
		rc = write_pki(argv[2], &pki);
	else
		rc = sod_from_files(argv[2], argc - i, argv + i, &pki, cfg.seed);
	vchip_pki_free(&pki);
	return rc;
}
