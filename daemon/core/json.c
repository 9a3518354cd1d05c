/* SPDX-License-Identifier: MIT */
/* json.c - see json.h. */
#include <stdio.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/json.h"

int cccd_json_str(cJSON *obj, const char *key, const char *value)
{
	if (!value || !value[0])
		return 0;
	return cJSON_AddStringToObject(obj, key, value) ? 0 : -CCCD_ENOMEM;
}

int cccd_json_num(cJSON *obj, const char *key, double value)
{
	return cJSON_AddNumberToObject(obj, key, value) ? 0 : -CCCD_ENOMEM;
}

int cccd_json_bool(cJSON *obj, const char *key, bool value)
{
	return cJSON_AddBoolToObject(obj, key, value) ? 0 : -CCCD_ENOMEM;
}

cJSON *cccd_json_obj(cJSON *obj, const char *key)
{
	cJSON *o = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (cJSON_IsObject(o))
		return o;
	return cJSON_AddObjectToObject(obj, key);
}

int cccd_json_print(const cJSON *obj, void *file, bool pretty)
{
	char *s = pretty ? cJSON_Print(obj) : cJSON_PrintUnformatted(obj);
	int rc = 0;

	if (!s)
		return -CCCD_ENOMEM;
	if (fprintf((FILE *)file, "%s\n", s) < 0)
		rc = -CCCD_EIO;
	free(s);
	return rc;
}
