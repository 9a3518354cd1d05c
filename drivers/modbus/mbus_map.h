/* SPDX-License-Identifier: MIT */
/*
 * mbus_map.h - the Modbus register map of docs/modbus.md as plain data, filled from RESULTs and
 * device events; mbus_server.c serves it with libmodbus. Kept apart from libmodbus so that the
 * map is tested (and documented) without a socket.
 *
 * Holding registers 0..27 (also readable as input registers), coils 0..1, discrete inputs 0..1.
 * "001200012345" appears twice: as ASCII in registers 19..24 ("00" "12" "00" "01" "23" "45",
 * high byte first) and as three 4-digit numbers in 25..27 (12, 1, 2345).
 */
#ifndef CCCD_MBUS_MAP_H
#define CCCD_MBUS_MAP_H

#include <stdbool.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#define MBUS_MAP_VERSION 1
#define MBUS_NREGS	 28
#define MBUS_NCOILS	 2
#define MBUS_NINPUTS	 2

enum mbus_reg {
	MBUS_R_VERSION = 0,
	MBUS_R_STATE = 1,
	MBUS_R_SEQ = 2,
	MBUS_R_RESULTS = 3,   /* u32, 3 high word, 4 low word */
	MBUS_R_GENUINE = 5,   /* u32 */
	MBUS_R_SUSPECT = 7,   /* u32 */
	MBUS_R_FAILED = 9,    /* u32 */
	MBUS_R_ERRORS = 11,   /* u32 */
	MBUS_R_VERDICT = 13,  /* 0 none, 1 genuine, 2 suspect, 3 failed */
	MBUS_R_PASSIVE = 14,  /* 0 absent, 1 ok, 2 failed, 3 untrusted */
	MBUS_R_ACTIVE = 15,   /* 0 absent, 1 ok, 2 failed */
	MBUS_R_CHIP = 16,     /* 0 absent, 1 ok, 2 failed */
	MBUS_R_FLAGS = 17,    /* MBUS_F_* */
	MBUS_R_AGE = 18,      /* seconds since the last result, saturating at 65535 */
	MBUS_R_ID_ASCII = 19, /* 6 registers */
	MBUS_R_ID_NUM = 25,   /* 3 registers of 0..9999 */
};

enum mbus_state { MBUS_IDLE, MBUS_CARD, MBUS_READING, MBUS_RESULT, MBUS_ERROR };

#define MBUS_F_QR_MATCH	 0x01
#define MBUS_F_MRZ_MATCH 0x02
#define MBUS_F_QR_KNOWN	 0x04 /* a QR was compared */
#define MBUS_F_MRZ_KNOWN 0x08 /* an MRZ was compared */
#define MBUS_F_ACKED	 0x10 /* the PLC acknowledged the last result */
#define MBUS_C_TRIGGER	 0    /* coil: write 1 to ask for a read; reads 0 once taken */
#define MBUS_C_ACK	 1    /* coil: write 1 to acknowledge (clears the ID registers) */
#define MBUS_I_PENDING	 0    /* discrete input: a result is waiting to be acknowledged */
#define MBUS_I_GENUINE	 1    /* discrete input: the last result is genuine */

struct mbus_map {
	uint16_t regs[MBUS_NREGS];
	uint8_t coils[MBUS_NCOILS];
	uint8_t inputs[MBUS_NINPUTS];
	long result_ms; /* monotonic time of the last result, -1 = none */
	bool trigger;	/* a read was asked for and not yet taken */
	bool card;	/* a card is on the reader (the last state given was CARD or READING) */
};

void mbus_map_init(struct mbus_map *m);

/* Record a RESULT at monotonic time now_ms: counters, verdict, checks, ID, sequence. */
void mbus_map_result(struct mbus_map *m, const cJSON *result, long now_ms);

/* The reader's state as the pipeline sees it: MBUS_IDLE (no card, or no reader), MBUS_CARD
 * (a card arrived), MBUS_READING. RESULT and ERROR come from mbus_map_result/mbus_map_error. */
void mbus_map_state(struct mbus_map *m, enum mbus_state s);
/* A read ended in an ERROR: one more for the error counter, state MBUS_ERROR. */
void mbus_map_error(struct mbus_map *m);

/* Before answering a request: the age register at now_ms. */
void mbus_map_refresh(struct mbus_map *m, long now_ms);

/* After a request wrote coils: act on them (trigger, acknowledge) and reset them to 0.
 * Acknowledging a waiting result turns state MBUS_RESULT into MBUS_CARD or MBUS_IDLE. */
void mbus_map_coils_written(struct mbus_map *m);

/* True once per trigger written by a client. */
bool mbus_map_take_trigger(struct mbus_map *m);

#endif
