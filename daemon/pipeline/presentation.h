/* SPDX-License-Identifier: MIT */
/*
 * presentation.h - the card presentation state machine of cccd-gatewayd (docs/pipeline.md).
 *
 * Three worker threads, so that the event loop never waits on a device: the card thread owns the
 * NFC link (wait for a card, read it, verify it), the camera thread owns the frame source (QR
 * codes -> access keys), the output thread types, writes and pulses each RESULT into the
 * [output.NAME] sinks. Events go to the API with api_emit_event(), the one thread-safe call:
 *   CARD present -> PROGRESS access -> PROGRESS verify -> RESULT [-> PROGRESS photo -> PHOTO]
 *   CARD removed                       (ERROR instead of RESULT when the read failed)
 * Key priority: a key typed by an operator or sent with {"cmd":"read"} > the card's QR (CAN
 * first, then the expiry candidates) > an MRZ read by the camera (OCR not written yet).
 */
#ifndef CCCD_PIPELINE_PRESENTATION_H
#define CCCD_PIPELINE_PRESENTATION_H

#include "api/api.h"
#include "core/config.h"
#include "core/err.h"

struct pres;

/* Start the pipeline for cfg (copied; cfg_path is re-read for the [output.*] sections). Devices
 * that cannot be opened yet are retried with backoff, so only a bad [output.*] section or a
 * thread that cannot start fails: -CCCD_ECONFIG (file:line in err) or -CCCD_ENOMEM/-CCCD_EIO. */
int pres_new(struct pres **out, struct api_server *api, const struct cccd_config *cfg,
	     const char *cfg_path, struct cccd_err *err);

/* Stop the threads (a read in progress ends at its next APDU) and free everything. NULL ok. */
void pres_free(struct pres *p);

/* Fill cb (read, devices, status) with the pipeline's side of the API seam; cb->ctx = p. */
void pres_api_callbacks(struct pres *p, struct api_callbacks *cb);

/* Loop thread, after a reload or an API config set: take the reloadable keys of cfg (poll and
 * APDU timeouts, trust dir) and, after a reload, the [output.*] sections of cfg_path. A bad
 * output section keeps the running outputs: -CCCD_ECONFIG with file:line. */
int pres_configure(struct pres *p, const struct cccd_config *cfg, bool outputs,
		   struct cccd_err *err);

/* Hand a RESULT to the output thread (a copy is queued); for tests and the Modbus trigger. */
int pres_output_result(struct pres *p, const cJSON *result);

#endif
