/* SPDX-License-Identifier: MIT */
/* parse_vietqr.c - `cccdctl parse vietqr`: being written (issue 2); until then it says so. */
#include "tools/cccdctl/cccdctl.h"

int ctl_parse_vietqr(const uint8_t *buf, size_t len, cJSON *root, struct cccd_err *err)
{
	(void)buf, (void)len, (void)root;
	return cccd_err_set(err, -CCCD_ENOTSUP, "vietqr", "parser not built yet");
}
