/* SPDX-License-Identifier: MIT */
/*
 * vchip_dataset.c - the virtual chip's dataset file: INI-style sections and `key = value` lines.
 *
 *   # Source: written for cccd-gateway tests     (comments start with # or ;)
 *   [person]
 *   full_name = Nguyễn Văn An
 *   birth_date = 2000-02-01
 *   id_number = 001200012345
 *   [chip]
 *   max_le = 231
 *
 * Hand-written rather than inih: Debian's inih caps a line at 200 bytes (a long Vietnamese address
 * is more) and gives handlers no line number. Keys live in one table sorted by "section.key" and
 * found with bsearch; a test asserts the order. Each value is checked (UTF-8 + NFC for text, real
 * dates, digit counts, ranges) and the 12-digit ID's gender/century digit and birth year must
 * agree with sex and birth_date (FIELD-NOTES). Values are never quoted or continued.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "vchip_dataset.h"

#define LINE_MAX_LEN 1024

typedef int (*val_fn)(const char *v, size_t n, void *field, size_t size, const char **why);

struct key_def {
	const char *name; /* "section.key" */
	val_fn fn;
	size_t off;  /* offset of the field in struct vchip_dataset */
	size_t size; /* size of the field (text buffers) */
	bool required;
};

static int v_text(const char *v, size_t n, void *field, size_t size, const char **why)
{
	((char *)field)[0] = '\0';
	if (n == 0)
		return 0;
	if (cccd_utf8_nfc((const uint8_t *)v, n, field, size, NULL)) {
		*why = n >= size ? "too long" : "not valid UTF-8";
		return -CCCD_EFORMAT;
	}
	return 0;
}

static int v_date(const char *v, size_t n, void *field, size_t size, const char **why)
{
	(void)size;
	if (date_parse_iso(v, n, field, NULL)) {
		*why = "expected a real date YYYY-MM-DD";
		return -CCCD_EFORMAT;
	}
	return 0;
}

/* expiry_date: a date or "none"; field is the struct vchip_person. */
static int v_expiry(const char *v, size_t n, void *field, size_t size, const char **why)
{
	struct vchip_person *p = field;

	p->no_expiry = n == 4 && !memcmp(v, "none", 4);
	if (p->no_expiry)
		return 0;
	return v_date(v, n, &p->expiry_date, size, why);
}

static int v_digits(const char *v, size_t n, char *field, size_t want, bool empty_ok,
		    const char **why)
{
	bool ok = n == want || (empty_ok && n == 0);

	for (size_t i = 0; i < n; i++)
		ok = ok && v[i] >= '0' && v[i] <= '9';
	if (!ok) {
		*why = want == 12 ? "expected 12 digits" : "expected 9 digits or nothing";
		return -CCCD_EFORMAT;
	}
	memcpy(field, v, n);
	field[n] = '\0';
	return 0;
}

static int v_id12(const char *v, size_t n, void *field, size_t size, const char **why)
{
	(void)size;
	return v_digits(v, n, field, 12, false, why);
}

static int v_id9(const char *v, size_t n, void *field, size_t size, const char **why)
{
	(void)size;
	return v_digits(v, n, field, 9, true, why);
}

static int v_sex(const char *v, size_t n, void *field, size_t size, const char **why)
{
	(void)size;
	if ((n == 1 && (*v == 'M' || *v == 'F')) || (n == 3 && !memcmp(v, "Nam", 3)) ||
	    (n == 4 && !memcmp(v, "N\xe1\xbb\xaf", 4))) {
		*(char *)field = (n == 1) ? *v : (n == 3 ? 'M' : 'F');
		return 0;
	}
	*why = "expected M, F, Nam or N\xe1\xbb\xaf";
	return -CCCD_EFORMAT;
}

/* What the MRZ prints as expiry: 6 digits or <<<<<< (unconfirmed on no-expiry cards). */
static int v_mrz_expiry(const char *v, size_t n, void *field, size_t size, const char **why)
{
	bool ok = n == 6;

	(void)size;
	for (size_t i = 0; i < n && ok; i++)
		ok = (v[i] >= '0' && v[i] <= '9') || (v[i] == '<' && !memcmp(v, "<<<<<<", 6));
	if (!ok) {
		*why = "expected YYMMDD or <<<<<<";
		return -CCCD_EFORMAT;
	}
	memcpy(field, v, 6);
	((char *)field)[6] = '\0';
	return 0;
}

static int v_bool(const char *v, size_t n, void *field, size_t size, const char **why)
{
	(void)size;
	if ((n == 3 && !memcmp(v, "yes", 3)) || (n == 2 && !memcmp(v, "no", 2))) {
		*(bool *)field = n == 3;
		return 0;
	}
	*why = "expected yes or no";
	return -CCCD_EFORMAT;
}

static int v_uint(const char *v, size_t n, unsigned *out, unsigned lo, unsigned hi)
{
	unsigned long x = 0;

	if (n == 0 || n > 6)
		return -CCCD_ERANGE;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -CCCD_ERANGE;
		x = x * 10 + (unsigned)(v[i] - '0');
	}
	if (x < lo || x > hi)
		return -CCCD_ERANGE;
	*out = (unsigned)x;
	return 0;
}

static int v_max_le(const char *v, size_t n, void *field, size_t size, const char **why)
{
	(void)size;
	*why = "expected 1..65536";
	return v_uint(v, n, field, 1, 65536);
}

static int v_photo(const char *v, size_t n, void *field, size_t size, const char **why)
{
	(void)size;
	*why = "expected 1000..60000 (bytes of JPEG)";
	return v_uint(v, n, field, 1000, 60000);
}

static int v_eof(const char *v, size_t n, void *field, size_t size, const char **why)
{
	static const char *const names[] = {"6282", "6cxx", "9000"};

	(void)size;
	for (unsigned i = 0; i < 3; i++) {
		if (n == 4 && !strncasecmp(v, names[i], 4)) {
			*(enum vchip_eof *)field = (enum vchip_eof)i;
			return 0;
		}
	}
	*why = "expected 6282, 6cxx or 9000";
	return -CCCD_ERANGE;
}

static int v_alg(const char *v, size_t n, void *field, size_t size, const char **why)
{
	char name[32];

	(void)size;
	*why = "expected ecdsa-brainpoolP256r1, ecdsa-secp256r1, rsa1024 or rsa2048";
	if (n >= sizeof(name))
		return -CCCD_ERANGE;
	memcpy(name, v, n);
	name[n] = '\0';
	return vchip_key_alg_parse_name(name, field) ? -CCCD_ERANGE : 0;
}

/* A validity bound for the DS: YYYY-MM-DD into "YYYYMMDD000000". */
static int v_validity(const char *v, size_t n, void *field, size_t size, const char **why)
{
	struct cccd_date d;

	if (v_date(v, n, &d, 0, why))
		return -CCCD_EFORMAT;
	snprintf(field, size, "%04d%02d%02d000000", d.y, d.m, d.d);
	return 0;
}

static int v_seed(const char *v, size_t n, void *field, size_t size, const char **why)
{
	if (n == 0 || n >= size) {
		*why = "expected 1..63 characters";
		return -CCCD_ERANGE;
	}
	memcpy(field, v, n);
	((char *)field)[n] = '\0';
	return 0;
}

static const struct {
	const char *name;
	unsigned bit;
} fault_names[] = {
    {"aa_mismatch", VCHIP_FAULT_AA_MISMATCH},	{"ca_wrong_key", VCHIP_FAULT_CA_WRONG_KEY},
    {"expired_ds", VCHIP_FAULT_EXPIRED_DS},	{"tamper_dg1", VCHIP_FAULT_TAMPER_DG1},
    {"tamper_dg13", VCHIP_FAULT_TAMPER_DG13},	{"tamper_dg2", VCHIP_FAULT_TAMPER_DG2},
    {"unknown_csca", VCHIP_FAULT_UNKNOWN_CSCA}, {"wrong_mac", VCHIP_FAULT_WRONG_MAC},
};

static int fault_one(const char *s, size_t n, unsigned *out)
{
	for (size_t i = 0; i < sizeof(fault_names) / sizeof(fault_names[0]); i++) {
		if (strlen(fault_names[i].name) == n && !memcmp(s, fault_names[i].name, n)) {
			*out |= fault_names[i].bit;
			return 0;
		}
	}
	return -CCCD_ERANGE;
}

int vchip_faults_parse_list(const char *s, size_t len, unsigned *out)
{
	size_t i = 0;

	*out = 0;
	while (i < len) {
		size_t j = i;

		while (j < len && s[j] != ',')
			j++;
		while (i < j && s[i] == ' ')
			i++;
		size_t e = j;
		while (e > i && s[e - 1] == ' ')
			e--;
		if (e > i && fault_one(s + i, e - i, out))
			return -CCCD_ERANGE;
		i = j + 1;
	}
	return 0;
}

static int v_faults(const char *v, size_t n, void *field, size_t size, const char **why)
{
	(void)size;
	*why = "unknown fault (see docs/virtual-chip.md)";
	return vchip_faults_parse_list(v, n, field);
}

#define P(f) offsetof(struct vchip_dataset, person.f), sizeof(((struct vchip_dataset *)0)->person.f)
#define C(f) offsetof(struct vchip_dataset, chip.f), sizeof(((struct vchip_dataset *)0)->chip.f)

/* Sorted by name (strcmp): bsearch. test_vchip_dataset asserts the order. */
static const struct key_def keys[] = {
    {"chip.aa_key", v_alg, C(aa_alg), false},
    {"chip.bac", v_bool, C(bac), false},
    {"chip.eof", v_eof, C(eof), false},
    {"chip.extended_length", v_bool, C(extended), false},
    {"chip.faults", v_faults, C(faults), false},
    {"chip.max_le", v_max_le, C(max_le), false},
    {"chip.pace", v_bool, C(pace), false},
    {"chip.photo_bytes", v_photo, C(photo_bytes), false},
    {"chip.sm_required", v_bool, C(sm_required), false},
    {"person.birth_date", v_date, P(birth_date), true},
    {"person.ethnicity", v_text, P(ethnicity), false},
    {"person.expiry_date", v_expiry, offsetof(struct vchip_dataset, person), 0, true},
    {"person.father", v_text, P(father), false},
    {"person.full_name", v_text, P(full_name), true},
    {"person.id_number", v_id12, P(id_number), true},
    {"person.identifying_marks", v_text, P(identifying_marks), false},
    {"person.issue_date", v_date, P(issue_date), true},
    {"person.mother", v_text, P(mother), false},
    {"person.mrz_expiry", v_mrz_expiry, P(mrz_expiry), false},
    {"person.nationality", v_text, P(nationality), false},
    {"person.old_id_number", v_id9, P(old_id_number), false},
    {"person.place_of_origin", v_text, P(place_of_origin), false},
    {"person.religion", v_text, P(religion), false},
    {"person.residence", v_text, P(residence), false},
    {"person.sex", v_sex, P(sex), true},
    {"person.spouse", v_text, P(spouse), false},
    {"pki.csca_alg", v_alg, C(pki.csca_alg), false},
    {"pki.ds_alg", v_alg, C(pki.ds_alg), false},
    {"pki.ds_not_after", v_validity, C(pki.ds_not_after), false},
    {"pki.ds_not_before", v_validity, C(pki.ds_not_before), false},
    {"pki.seed", v_seed, C(pki.seed), false},
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

const char *vchip_dataset_key_name(size_t i)
{
	return i < NKEYS ? keys[i].name : NULL;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(a, ((const struct key_def *)b)->name);
}

/* Parser state: where we are, and which keys were seen. */
struct ds_state {
	const char *name;
	unsigned line;
	char section[16];
	bool seen[NKEYS];
	struct vchip_dataset *out;
	struct cccd_err *err;
};

static int fail(struct ds_state *st, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct ds_state *st, int code, const char *fmt, ...)
{
	char where[64];
	va_list ap;
	int rc;

	snprintf(where, sizeof(where), "%s:%u", st->name, st->line);
	va_start(ap, fmt);
	rc = cccd_err_vset(st->err, code, where, fmt, ap);
	va_end(ap);
	return rc;
}

static const char *trim(const char *s, const char *e, size_t *n)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	*n = (size_t)(e - s);
	return s;
}

static int do_section(struct ds_state *st, const char *s, size_t n)
{
	if (n < 3 || s[n - 1] != ']' || n - 2 >= sizeof(st->section))
		return fail(st, -CCCD_EFORMAT, "bad section header");
	memcpy(st->section, s + 1, n - 2);
	st->section[n - 2] = '\0';
	if (strcmp(st->section, "person") && strcmp(st->section, "chip") &&
	    strcmp(st->section, "pki"))
		return fail(st, -CCCD_EFORMAT, "unknown section [%s]", st->section);
	return 0;
}

static int do_pair(struct ds_state *st, const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n);
	const struct key_def *k;
	char full[64];
	const char *key, *val;
	size_t kn, vn;
	const char *why = "invalid";

	if (!eq)
		return fail(st, -CCCD_EFORMAT, "expected key = value");
	key = trim(s, eq, &kn);
	val = trim(eq + 1, s + n, &vn);
	if (!st->section[0])
		return fail(st, -CCCD_EFORMAT, "key before any [section]");
	snprintf(full, sizeof(full), "%s.%.*s", st->section, (int)(kn > 40 ? 40 : kn), key);
	k = bsearch(full, keys, NKEYS, sizeof(keys[0]), key_cmp);
	if (!k)
		return fail(st, -CCCD_EFORMAT, "unknown key '%s'", full);
	if (st->seen[k - keys])
		return fail(st, -CCCD_EFORMAT, "duplicate key '%s'", full);
	st->seen[k - keys] = true;
	if (k->fn(val, vn, (char *)st->out + k->off, k->size, &why))
		return fail(st, -CCCD_EFORMAT, "%s: %s", full, why);
	return 0;
}

static int do_line(struct ds_state *st, const char *s, const char *e)
{
	size_t n;

	s = trim(s, e, &n);
	if (n == 0 || *s == '#' || *s == ';')
		return 0;
	if (*s == '[')
		return do_section(st, s, n);
	return do_pair(st, s, n);
}

static void set_defaults(struct vchip_dataset *d)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->person.nationality, sizeof(d->person.nationality), "Vi\xe1\xbb\x87t Nam");
	snprintf(d->person.ethnicity, sizeof(d->person.ethnicity), "Kinh");
	snprintf(d->person.religion, sizeof(d->person.religion), "Kh\xc3\xb4ng");
	d->chip.pace = true;
	d->chip.bac = true;
	d->chip.sm_required = true;
	d->chip.extended = true;
	d->chip.max_le = 65536;
	d->chip.photo_bytes = 15000;
	d->chip.aa_alg = VCHIP_KEY_EC_BP256;
	vchip_pki_cfg_defaults(&d->chip.pki);
}

/* The 4th ID digit is gender + century (0/1: male/female 19xx, 2/3: 20xx, ...); digits 5-6 are
 * the birth year's last two. */
static int check_id(struct ds_state *st)
{
	const struct vchip_person *p = &st->out->person;
	int g = p->id_number[3] - '0';
	int century = 1900 + 100 * (g / 2);
	int yy = (p->id_number[4] - '0') * 10 + (p->id_number[5] - '0');

	if ((g % 2) != (p->sex == 'F') || p->birth_date.y != century + yy)
		return fail(st, -CCCD_ECHECK, "id_number digits 4-6 disagree with sex/birth_date");
	return 0;
}

static int check_done(struct ds_state *st)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (keys[i].required && !st->seen[i])
			return fail(st, -CCCD_EFORMAT, "missing %s", keys[i].name);
	if (!st->out->person.full_name[0])
		return fail(st, -CCCD_EFORMAT, "person.full_name is empty");
	if (!st->out->chip.pace && !st->out->chip.bac && st->out->chip.sm_required)
		return fail(st, -CCCD_ERANGE, "[chip] needs pace or bac when sm_required");
	return check_id(st);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int vchip_dataset_parse(const uint8_t *buf, size_t len, const char *name, struct vchip_dataset *out,
			struct cccd_err *err)
{
	struct ds_state st = {.name = base_name(name ? name : "dataset"), .out = out, .err = err};
	const char *s = (const char *)buf;
	const char *end = s + len;
	int rc;

	set_defaults(out);
	if (len > VCHIP_DATASET_MAX)
		return fail(&st, -CCCD_ERANGE, "larger than %d bytes", VCHIP_DATASET_MAX);
	if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		s += 3;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;

		st.line++;
		if (e - s > LINE_MAX_LEN)
			return fail(&st, -CCCD_EFORMAT, "line longer than %d bytes", LINE_MAX_LEN);
		if (memchr(s, '\0', (size_t)(e - s)))
			return fail(&st, -CCCD_EFORMAT, "NUL byte in line");
		rc = do_line(&st, s, e);
		if (rc)
			return rc;
		s = e + 1;
	}
	return check_done(&st);
}

int vchip_dataset_load(const char *path, struct vchip_dataset *out, struct cccd_err *err)
{
	static const size_t cap = VCHIP_DATASET_MAX + 1;
	uint8_t *buf = malloc(cap);
	FILE *f = fopen(path, "rb");
	size_t n = 0;
	int rc;

	if (!buf || !f) {
		rc = cccd_err_set(err, buf ? -CCCD_EIO : -CCCD_ENOMEM, "vchip_dataset",
				  "cannot open %.100s", path);
		goto out;
	}
	n = fread(buf, 1, cap, f);
	rc = vchip_dataset_parse(buf, n, path, out, err);
out:
	if (f)
		fclose(f);
	free(buf);
	return rc;
}
