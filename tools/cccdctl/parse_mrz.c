/* SPDX-License-Identifier: MIT */
/* parse_mrz.c - `cccdctl parse mrz`: being written (issue 2); until then it says so. */
#include "tools/cccdctl/cccdctl.h"

int ctl_parse_mrz(const uint8_t *buf, size_t len, cJSON *root, struct cccd_err *err)
{
	(void)buf, (void)len, (void)root;
	return cccd_err_set(err, -CCCD_ENOTSUP, "mrz", "parser not built yet");
}
