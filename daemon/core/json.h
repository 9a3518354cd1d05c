/* SPDX-License-Identifier: MIT */
/*
 * json.h - small helpers over cJSON for the RESULT conventions of ARCHITECTURE.md §5:
 * absent means unknown, so empty strings and unknown values are omitted, never written as null.
 */
#ifndef CCCD_CORE_JSON_H
#define CCCD_CORE_JSON_H

#include <stdbool.h>
#include <cjson/cJSON.h>

/* Add key: value when value is non-NULL and non-empty; 0, or -CCCD_ENOMEM. */
int cccd_json_str(cJSON *obj, const char *key, const char *value);

/* Add key: number; 0 or -CCCD_ENOMEM. */
int cccd_json_num(cJSON *obj, const char *key, double value);

/* Add key: true/false; 0 or -CCCD_ENOMEM. */
int cccd_json_bool(cJSON *obj, const char *key, bool value);

/* Get or create the object member key; NULL on allocation failure. */
cJSON *cccd_json_obj(cJSON *obj, const char *key);

/* Print obj on one line followed by '\n' to the stream; 0, or -CCCD_ENOMEM / -CCCD_EIO. */
int cccd_json_print(const cJSON *obj, void *file, bool pretty);

#endif
