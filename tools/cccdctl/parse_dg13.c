/* SPDX-License-Identifier: MIT */
/* parse_dg13.c - `cccdctl parse dg13`: being written (issue 2); until then it says so. */
#include "tools/cccdctl/cccdctl.h"

int ctl_parse_dg13(const uint8_t *buf, size_t len, cJSON *root, struct cccd_err *err)
{
	(void)buf, (void)len, (void)root;
	return cccd_err_set(err, -CCCD_ENOTSUP, "dg13", "parser not built yet");
}
