/* SPDX-License-Identifier: MIT */
/*
 * mbus_map.c - see mbus_map.h and docs/modbus.md. A genuine RESULT for "001200012345" with
 * passive untrusted, active and chip ok, QR match: regs 13..17 = 1, 3, 1, 1, 0x05; 19..24 =
 * 0x3030 0x3132 0x3030 0x3031 0x3233 0x3435; 25..27 = 12, 1, 2345. Acknowledging zeroes 19..27:
 * the ID stays in the PLC's reach only until it has taken it.
 */
#include <string.h>

#include "modbus/mbus_map.h"

void mbus_map_init(struct mbus_map *m)
{
	memset(m, 0, sizeof(*m));
	m->regs[MBUS_R_VERSION] = MBUS_MAP_VERSION;
	m->result_ms = -1;
}

static void inc32(struct mbus_map *m, int reg)
{
	uint32_t v = ((uint32_t)m->regs[reg] << 16 | m->regs[reg + 1]) + 1;

	m->regs[reg] = (uint16_t)(v >> 16);
	m->regs[reg + 1] = (uint16_t)v;
}

static const char *str(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v =
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, a), b);

	return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

/* Index of s in names (1-based), 0 when absent or unknown. */
static uint16_t code(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return (uint16_t)(i + 1);
	return 0;
}

static uint16_t flag(const cJSON *checks, const char *key, uint16_t match, uint16_t known)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(checks, key);

	if (!cJSON_IsBool(v))
		return 0;
	return (uint16_t)(known | (cJSON_IsTrue(v) ? match : 0));
}

static void clear_id(struct mbus_map *m)
{
	memset(&m->regs[MBUS_R_ID_ASCII], 0, 9 * sizeof(m->regs[0]));
}

static void set_id(struct mbus_map *m, const char *id)
{
	clear_id(m);
	if (strlen(id) != 12 || strspn(id, "0123456789") != 12)
		return; /* not a CCCD number: leave the registers 0 */
	for (int i = 0; i < 6; i++)
		m->regs[MBUS_R_ID_ASCII + i] =
		    (uint16_t)((unsigned char)id[2 * i] << 8 | (unsigned char)id[2 * i + 1]);
	for (int i = 0; i < 3; i++) {
		uint16_t v = 0;

		for (int k = 0; k < 4; k++)
			v = (uint16_t)(v * 10 + (id[4 * i + k] - '0'));
		m->regs[MBUS_R_ID_NUM + i] = v;
	}
}

void mbus_map_result(struct mbus_map *m, const cJSON *result, long now_ms)
{
	static const char *const verdicts[] = {"genuine", "suspect", "failed"};
	static const char *const states[] = {"ok", "failed", "untrusted"};
	const cJSON *checks = cJSON_GetObjectItemCaseSensitive(result, "checks");
	uint16_t v = code(str(result, "checks", "verdict"), verdicts, 3);

	m->regs[MBUS_R_SEQ]++;
	inc32(m, MBUS_R_RESULTS);
	if (v)
		inc32(m, MBUS_R_GENUINE + 2 * (v - 1));
	m->regs[MBUS_R_VERDICT] = v;
	m->regs[MBUS_R_PASSIVE] = code(str(result, "checks", "passive"), states, 3);
	m->regs[MBUS_R_ACTIVE] = code(str(result, "checks", "active"), states, 2);
	m->regs[MBUS_R_CHIP] = code(str(result, "checks", "chip"), states, 2);
	m->regs[MBUS_R_FLAGS] =
	    (uint16_t)(flag(checks, "qr_match", MBUS_F_QR_MATCH, MBUS_F_QR_KNOWN) |
		       flag(checks, "mrz_match", MBUS_F_MRZ_MATCH, MBUS_F_MRZ_KNOWN));
	set_id(m, str(result, "document", "number"));
	m->regs[MBUS_R_STATE] = MBUS_RESULT;
	m->inputs[MBUS_I_PENDING] = 1;
	m->inputs[MBUS_I_GENUINE] = v == 1;
	m->result_ms = now_ms;
	m->regs[MBUS_R_AGE] = 0;
}

void mbus_map_state(struct mbus_map *m, enum mbus_state s)
{
	if (s == MBUS_IDLE || s == MBUS_CARD || s == MBUS_READING)
		m->card = s != MBUS_IDLE;
	m->regs[MBUS_R_STATE] = (uint16_t)s;
}

void mbus_map_error(struct mbus_map *m)
{
	inc32(m, MBUS_R_ERRORS);
	m->regs[MBUS_R_STATE] = MBUS_ERROR;
}

void mbus_map_refresh(struct mbus_map *m, long now_ms)
{
	long age;

	if (m->result_ms < 0)
		return;
	age = (now_ms - m->result_ms) / 1000;
	m->regs[MBUS_R_AGE] = (uint16_t)(age < 0 ? 0 : age > 65535 ? 65535 : age);
}

void mbus_map_coils_written(struct mbus_map *m)
{
	if (m->coils[MBUS_C_TRIGGER])
		m->trigger = true;
	if (m->coils[MBUS_C_ACK] && m->inputs[MBUS_I_PENDING]) {
		m->regs[MBUS_R_FLAGS] |= MBUS_F_ACKED;
		m->inputs[MBUS_I_PENDING] = 0;
		/* a read already under way (or its error) is newer than the result: keep it */
		if (m->regs[MBUS_R_STATE] == MBUS_RESULT)
			m->regs[MBUS_R_STATE] = m->card ? MBUS_CARD : MBUS_IDLE;
		clear_id(m);
	}
	memset(m->coils, 0, sizeof(m->coils));
}

bool mbus_map_take_trigger(struct mbus_map *m)
{
	bool t = m->trigger;

	m->trigger = false;
	return t;
}
