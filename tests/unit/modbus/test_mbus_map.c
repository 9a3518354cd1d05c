/* SPDX-License-Identifier: MIT */
/* test_mbus_map.c - the register map of docs/modbus.md, filled from the fixtures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "modbus/mbus_map.h"

static cJSON *load(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[4096];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return cJSON_Parse(buf);
}

/* The worked example of mbus_map.c. */
static void genuine_result(void **state)
{
	cJSON *g = load("tests/fixtures/out/result_genuine.json");
	struct mbus_map m;
	const uint16_t id_ascii[6] = {0x3030, 0x3132, 0x3030, 0x3031, 0x3233, 0x3435};

	(void)state;
	mbus_map_init(&m);
	assert_int_equal(m.regs[MBUS_R_VERSION], 1);
	mbus_map_result(&m, g, 1000);
	assert_int_equal(m.regs[MBUS_R_SEQ], 1);
	assert_int_equal(m.regs[MBUS_R_RESULTS + 1], 1);
	assert_int_equal(m.regs[MBUS_R_GENUINE + 1], 1);
	assert_int_equal(m.regs[MBUS_R_VERDICT], 1);
	assert_int_equal(m.regs[MBUS_R_PASSIVE], 3); /* untrusted */
	assert_int_equal(m.regs[MBUS_R_ACTIVE], 1);
	assert_int_equal(m.regs[MBUS_R_CHIP], 1);
	assert_int_equal(m.regs[MBUS_R_FLAGS],
			 MBUS_F_QR_MATCH | MBUS_F_QR_KNOWN | MBUS_F_MRZ_MATCH | MBUS_F_MRZ_KNOWN);
	assert_memory_equal(&m.regs[MBUS_R_ID_ASCII], id_ascii, sizeof(id_ascii));
	assert_int_equal(m.regs[MBUS_R_ID_NUM], 12);
	assert_int_equal(m.regs[MBUS_R_ID_NUM + 1], 1);
	assert_int_equal(m.regs[MBUS_R_ID_NUM + 2], 2345);
	assert_int_equal(m.regs[MBUS_R_STATE], MBUS_RESULT);
	assert_int_equal(m.inputs[MBUS_I_PENDING], 1);
	assert_int_equal(m.inputs[MBUS_I_GENUINE], 1);
	mbus_map_refresh(&m, 8999);
	assert_int_equal(m.regs[MBUS_R_AGE], 7);
	mbus_map_refresh(&m, 1000 + 70000000L);
	assert_int_equal(m.regs[MBUS_R_AGE], 65535);
	cJSON_Delete(g);
}

static void counters_ack_and_trigger(void **state)
{
	cJSON *s = load("tests/fixtures/out/result_suspect.json");
	cJSON *odd = cJSON_Parse("{\"document\":{\"number\":\"12345\"},\"checks\":{}}");
	struct mbus_map m;

	(void)state;
	mbus_map_init(&m);
	mbus_map_refresh(&m, 5000);
	assert_int_equal(m.regs[MBUS_R_AGE], 0); /* no result yet */
	mbus_map_result(&m, s, 0);
	assert_int_equal(m.regs[MBUS_R_SUSPECT + 1], 1);
	assert_int_equal(m.regs[MBUS_R_ACTIVE], 2);
	assert_int_equal(m.inputs[MBUS_I_GENUINE], 0);
	m.regs[MBUS_R_RESULTS + 1] = 0xFFFF; /* the u32 carries into the high word */
	mbus_map_result(&m, odd, 0);
	assert_int_equal(m.regs[MBUS_R_RESULTS], 1);
	assert_int_equal(m.regs[MBUS_R_RESULTS + 1], 0);
	assert_int_equal(m.regs[MBUS_R_SEQ], 2);
	assert_int_equal(m.regs[MBUS_R_VERDICT], 0);
	assert_int_equal(m.regs[MBUS_R_FLAGS], 0);
	assert_int_equal(m.regs[MBUS_R_ID_NUM], 0); /* not 12 digits: left 0 */
	mbus_map_result(&m, s, 0);
	m.coils[MBUS_C_ACK] = 1;
	mbus_map_coils_written(&m);
	assert_true(m.regs[MBUS_R_FLAGS] & MBUS_F_ACKED);
	assert_int_equal(m.regs[MBUS_R_ID_ASCII], 0);
	assert_int_equal(m.regs[MBUS_R_ID_NUM + 2], 0);
	assert_int_equal(m.inputs[MBUS_I_PENDING], 0);
	assert_int_equal(m.regs[MBUS_R_STATE], MBUS_IDLE);
	assert_int_equal(m.coils[MBUS_C_ACK], 0);
	assert_false(mbus_map_take_trigger(&m));
	m.coils[MBUS_C_TRIGGER] = 1;
	mbus_map_coils_written(&m);
	assert_int_equal(m.coils[MBUS_C_TRIGGER], 0);
	assert_true(mbus_map_take_trigger(&m));
	assert_false(mbus_map_take_trigger(&m));
	mbus_map_error(&m);
	assert_int_equal(m.regs[MBUS_R_ERRORS + 1], 1);
	assert_int_equal(m.regs[MBUS_R_STATE], MBUS_ERROR);
	mbus_map_state(&m, MBUS_READING);
	assert_int_equal(m.regs[MBUS_R_STATE], MBUS_READING);
	cJSON_Delete(s);
	cJSON_Delete(odd);
}

/* The state register follows the pipeline: card, reading, result (until acknowledged or the card
 * leaves), error; an acknowledgement does not hide a newer read. */
static void state_follows_the_reader(void **state)
{
	cJSON *g = load("tests/fixtures/out/result_genuine.json");
	struct mbus_map m;

	(void)state;
	mbus_map_init(&m);
	assert_int_equal(m.regs[MBUS_R_STATE], MBUS_IDLE);
	mbus_map_state(&m, MBUS_CARD);
	mbus_map_state(&m, MBUS_READING);
	assert_int_equal(m.regs[MBUS_R_STATE], MBUS_READING);
	mbus_map_result(&m, g, 0);
	assert_int_equal(m.regs[MBUS_R_STATE], MBUS_RESULT);
	m.coils[MBUS_C_ACK] = 1; /* the card is still on the reader */
	mbus_map_coils_written(&m);
	assert_int_equal(m.regs[MBUS_R_STATE], MBUS_CARD);
	mbus_map_state(&m, MBUS_READING); /* read again (trigger) */
	mbus_map_result(&m, g, 0);
	mbus_map_state(&m, MBUS_IDLE); /* card taken away before the PLC acknowledged */
	assert_int_equal(m.regs[MBUS_R_STATE], MBUS_IDLE);
	assert_int_equal(m.inputs[MBUS_I_PENDING], 1); /* the result still waits */
	m.coils[MBUS_C_ACK] = 1;
	mbus_map_coils_written(&m);
	assert_int_equal(m.regs[MBUS_R_STATE], MBUS_IDLE);
	mbus_map_state(&m, MBUS_CARD);
	mbus_map_state(&m, MBUS_READING);
	mbus_map_result(&m, g, 0);
	mbus_map_state(&m, MBUS_READING); /* the next read started: an ack must not say idle */
	m.coils[MBUS_C_ACK] = 1;
	mbus_map_coils_written(&m);
	assert_int_equal(m.regs[MBUS_R_STATE], MBUS_READING);
	mbus_map_error(&m);
	assert_int_equal(m.regs[MBUS_R_STATE], MBUS_ERROR);
	assert_int_equal(m.regs[MBUS_R_ERRORS + 1], 1);
	mbus_map_state(&m, MBUS_IDLE);
	assert_int_equal(m.regs[MBUS_R_STATE], MBUS_IDLE);
	cJSON_Delete(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(genuine_result),
	    cmocka_unit_test(counters_ack_and_trigger),
	    cmocka_unit_test(state_follows_the_reader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
