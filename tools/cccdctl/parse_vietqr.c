/* SPDX-License-Identifier: MIT */
/*
 * parse_vietqr.c - `cccdctl parse vietqr`: one VietQR payload in, {"payment":{...}} out.
 *
 * Keys (docs/formats/vietqr.md), absent ones omitted: bank_bin, bank (short name), bank_name,
 * bank_known (always), account, service ("account" | "card"), amount (string, as written),
 * currency ("VND"), country ("VN"), purpose, dynamic (always), merchant_name, merchant_city, and
 * the EMVCo 62 sub-tags bill_number, mobile_number, store_label, loyalty_number, reference_label,
 * customer_label, terminal_label. Trailing whitespace (a file's newline) is not part of the code.
 */
#include <string.h>

#include "core/json.h"
#include "doc/vietqr.h"
#include "tools/cccdctl/cccdctl.h"

static const char *const labels62[] = {
    [1] = "bill_number",     [2] = "mobile_number",  [3] = "store_label",    [4] = "loyalty_number",
    [5] = "reference_label", [6] = "customer_label", [7] = "terminal_label",
};

static int add_extra62(cJSON *p, const struct vietqr *v)
{
	int rc = 0;

	for (size_t i = 0; i < v->n_extra62 && !rc; i++) {
		int id = (v->extra62[i].id[0] - '0') * 10 + (v->extra62[i].id[1] - '0');

		if (id >= 1 && id <= 7)
			rc = cccd_json_str(p, labels62[id], v->extra62[i].value);
	}
	return rc;
}

static int add_payment(cJSON *p, const struct vietqr *v)
{
	int rc = 0;

	rc |= cccd_json_str(p, "bank_bin", v->bank_bin);
	rc |= cccd_json_str(p, "bank", v->bank ? v->bank->short_name : NULL);
	rc |= cccd_json_str(p, "bank_name", v->bank ? v->bank->name : NULL);
	rc |= cccd_json_bool(p, "bank_known", v->bank != NULL);
	rc |= cccd_json_str(p, "account", v->account);
	rc |= cccd_json_str(p, "service", vietqr_service_name(v->service));
	rc |= cccd_json_str(p, "amount", v->amount);
	rc |= cccd_json_str(p, "currency", "VND");
	rc |= cccd_json_str(p, "country", "VN");
	rc |= cccd_json_str(p, "purpose", v->purpose);
	rc |= cccd_json_bool(p, "dynamic", v->dynamic);
	rc |= cccd_json_str(p, "merchant_name", v->merchant_name);
	rc |= cccd_json_str(p, "merchant_city", v->merchant_city);
	rc |= add_extra62(p, v);
	return rc ? -CCCD_ENOMEM : 0;
}

int ctl_parse_vietqr(const uint8_t *buf, size_t len, cJSON *root, struct cccd_err *err)
{
	struct vietqr v;
	cJSON *p;
	int rc;

	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' ' ||
		       buf[len - 1] == '\t'))
		len--;
	rc = vietqr_parse(buf, len, &v, err);
	if (rc)
		return rc;
	p = cccd_json_obj(root, "payment");
	if (!p || add_payment(p, &v))
		return cccd_err_set(err, -CCCD_ENOMEM, "vietqr", "out of memory");
	return 0;
}
