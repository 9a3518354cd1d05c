/* SPDX-License-Identifier: MIT */
/*
 * pres_int.h - what the pipeline's three threads share (presentation.c, pres_card.c,
 * pres_camera.c, pres_out.c). Everything below `mu` is read and written with mu held; the
 * threads sleep on cv, which a new key, a new setting or pres_free() signals.
 */
#ifndef CCCD_PIPELINE_PRES_INT_H
#define CCCD_PIPELINE_PRES_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "api/api.h"
#include "doc/cccdqr.h"
#include "doc/mrz.h"
#include "modbus/mbus_map.h"
#include "pipeline/presentation.h"

#define PRES_QR_TTL_MS	    60000 /* a QR seen this long ago no longer gives the key */
#define PRES_MRZ_TTL_MS	    60000 /* the same for a camera MRZ */
#define PRES_READ_WAIT_MS   60000 /* a {"cmd":"read"} with no card by then gets ERROR */
#define PRES_BACKOFF_MIN_MS 100	  /* first retry of a device that failed or vanished */
#define PRES_BACKOFF_MAX_MS 5000  /* retries double up to this */

struct pres_out;

/* The configuration the threads use, copied from struct cccd_config under mu. */
struct pres_settings {
	char reader[CCCD_CFG_STR];
	char camera[CCCD_CFG_STR];
	char trust[CCCD_CFG_STR];
	int poll_ms;
	int timeout_ms;
	bool camera_mrz; /* [camera] mrz: read MRZs too */
};

struct pres_dev {
	bool open;
	unsigned failures;	/* consecutive failed opens */
	unsigned long reopened; /* times it came back after a loss */
	char error[160];	/* last failure, "" when open */
};

struct pres {
	struct api_server *api;
	struct pres_out *out;
	char cfg_path[CCCD_CFG_STR];
	pthread_t card_thr, cam_thr;
	bool card_started, cam_started;

	pthread_mutex_t mu;
	pthread_cond_t cv; /* CLOCK_MONOTONIC */
	bool stop;
	struct pres_settings set;
	uint64_t set_gen; /* bumped on every change of set */
	/* the operator's or an API client's key, for the next read */
	struct api_key op;
	bool op_set;
	bool reread;	      /* a read was asked for: read the present card again */
	bool want_photo;      /* the pending read asked for DG2 */
	uint64_t requester;   /* API client waiting for RESULT/ERROR, 0 none */
	int64_t requested_ms; /* when it asked */
	/* the last card QR the camera saw */
	struct cccdqr qr;
	bool qr_set;
	bool qr_told; /* a QR event went out for it since the last card left */
	int64_t qr_ms;
	/* the last complete MRZ the camera read (voted across frames, every check digit passed) */
	struct mrz mrz;
	bool mrz_set;
	bool mrz_told;	 /* an MRZ event went out for it since the last card left */
	bool mrz_forget; /* a card left or was read: the camera restarts its vote */
	int64_t mrz_ms;
	/* state for STATUS and DEVICES */
	struct pres_dev reader, camera;
	const char *state; /* "no reader", "waiting", "card", "reading" */
	uint64_t cards, results, errors, qrs, frames;
	uint64_t mrzs, mrz_frames; /* MRZ events; frames the MRZ reader ran on */
	const char *mrz_reader;	   /* "starting", "on", "off" ([camera] mrz), "unavailable" */
	unsigned last_total_ms;
};

/* Threads (pres_card.c, pres_camera.c). */
void *pres_card_main(void *arg);
void *pres_camera_main(void *arg);

/* Sleep on cv for up to ms (wakes early when signalled); call with mu held. */
void pres_wait_locked(struct pres *p, int ms);
/* As pres_wait_locked, taking mu itself; returns p->stop. */
bool pres_sleep(struct pres *p, int ms);
bool pres_stopping(struct pres *p);

/* Emit {"class":cls,"device":device,...} with o's members (o may be NULL; ownership of o
 * passes). requester as api_emit_event(). */
void pres_emit(struct pres *p, const char *cls, const char *device, cJSON *o, uint64_t requester);
/* ERROR with message and device; to requester too when not 0. */
void pres_emit_error(struct pres *p, const char *device, const char *msg, uint64_t requester);

/* Next backoff delay after `failures` consecutive failures. */
int pres_backoff_ms(unsigned failures);

/* Outputs (pres_out.c): the [output.*] sections of path, served by their own thread. */
/* trigger(ctx) runs on the output thread when a PLC writes the Modbus trigger coil. */
int pres_out_new(struct pres_out **out, const char *path, void (*trigger)(void *ctx), void *ctx,
		 struct cccd_err *err);
int pres_out_reload(struct pres_out *o, const char *path, struct cccd_err *err);
int pres_out_push(struct pres_out *o, const cJSON *result);
/* The reader's state for the Modbus maps (MBUS_IDLE, MBUS_CARD, MBUS_READING, MBUS_ERROR: a read
 * failed), queued in order with the RESULTs. 0, or -CCCD_ENOSPC when the queue is full. */
int pres_out_state(struct pres_out *o, enum mbus_state st);
void pres_out_free(struct pres_out *o);
void pres_out_status(struct pres_out *o, cJSON *status);

#endif
