/* SPDX-License-Identifier: MIT */
/*
 * mbus.h - Modbus outputs on libmodbus: a server (slave) that publishes the register map of
 * mbus_map.h over TCP or RTU, and a client (master) that pulses a relay coil for each genuine
 * RESULT (a gate, a turnstile, a door strike on an RS-485 relay board).
 *
 * URIs: "tcp:0.0.0.0:502" (server: where to listen; port 0 = any, see mbus_server_port()),
 * "tcp:192.168.1.50:502" (relay board), "rtu:/dev/ttyUSB0" (with a struct out_line).
 * Built only with HAVE_LIBMODBUS; without it every call returns -CCCD_ENOTSUP.
 */
#ifndef CCCD_MBUS_H
#define CCCD_MBUS_H

#include <stdbool.h>
#include <cjson/cJSON.h>

#include "core/err.h"
#include "modbus/mbus_map.h"
#include "out/line.h"

#define MBUS_MAX_CLIENTS 4 /* TCP connections served at once; more are refused */

struct mbus_server;

/* Listen (TCP) or open the line (RTU) as unit unit_id. */
int mbus_server_open(struct mbus_server **out, const char *uri, const struct out_line *line,
		     int unit_id, struct cccd_err *err);

/* The TCP port actually bound (after "tcp:HOST:0"), or -1. */
int mbus_server_port(const struct mbus_server *s);

/* Serve whatever requests arrive within timeout_ms (accepting new TCP clients); 0 or an error
 * of the listening side. A client that misbehaves is dropped, not reported. */
int mbus_server_poll(struct mbus_server *s, int timeout_ms, struct cccd_err *err);

/* The map the server publishes (update it with mbus_map_*; the server reads it per request). */
struct mbus_map *mbus_server_map(struct mbus_server *s);

void mbus_server_close(struct mbus_server *s);

/* Relay: connect to uri, write coil ON, wait pulse_ms, write it OFF (retried: the gate must
 * not stay open), disconnect. Every step has timeout_ms. Only for a RESULT whose verdict is
 * genuine: 1 (nothing done) otherwise. */
int mbus_relay_pulse(const char *uri, const struct out_line *line, int unit_id, int coil,
		     int pulse_ms, int timeout_ms, const cJSON *result, struct cccd_err *err);

#endif
