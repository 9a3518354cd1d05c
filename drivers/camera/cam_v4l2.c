/* SPDX-License-Identifier: MIT */
/*
 * cam_v4l2.c - `v4l2:` frame source: a UVC/V4L2 camera through OpenCV's CAP_V4L2 backend, with
 * resolution, frame rate, pixel format, exposure and focus taken from the URI.
 *   v4l2:/dev/video0?width=1920&height=1080&fps=30&fourcc=MJPG&exposure=auto&focus=120
 * A card QR needs >= 4 px per module (docs/camera.md): ask for 1080p where the camera has it.
 * Settings are requested, not verified: cameras silently round or ignore some. Omits: controls
 * other than these, multi-planar devices, camera hot-plug (the pipeline reopens on -CCCD_EIO).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "camera/cam_v4l2.h"
#include "frame_source.h"

struct uri_key {
	const char *name; /* sorted: looked up with bsearch */
	int *(*slot)(struct cam_v4l2_cfg *cfg);
	int min, max;
	bool may_be_auto;
};

static int *slot_exposure(struct cam_v4l2_cfg *c)
{
	return &c->exposure;
}
static int *slot_focus(struct cam_v4l2_cfg *c)
{
	return &c->focus;
}
static int *slot_fps(struct cam_v4l2_cfg *c)
{
	return &c->fps;
}
static int *slot_height(struct cam_v4l2_cfg *c)
{
	return &c->height;
}
static int *slot_width(struct cam_v4l2_cfg *c)
{
	return &c->width;
}

/* Keep sorted by name (bsearch); "fourcc" is handled apart as it is text. */
static const struct uri_key keys[] = {
    {"exposure", slot_exposure, 1, 100000, true},
    {"focus", slot_focus, 0, 1023, true},
    {"fps", slot_fps, 1, 240, false},
    {"height", slot_height, 1, FRAME_MAX_DIM, false},
    {"width", slot_width, 1, FRAME_MAX_DIM, false},
};

static int key_cmp(const void *name, const void *k)
{
	return strcmp(name, ((const struct uri_key *)k)->name);
}

static int parse_int(const char *v, int min, int max, int *out)
{
	char *end;
	long x;

	if (v[0] < '0' || v[0] > '9')
		return -1;
	x = strtol(v, &end, 10);
	if (*end || x < min || x > max)
		return -1;
	*out = (int)x;
	return 0;
}

static int set_fourcc(struct cam_v4l2_cfg *cfg, const char *v)
{
	if (strlen(v) != 4)
		return -1;
	for (int i = 0; i < 4; i++)
		if (!((v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= '0' && v[i] <= '9')))
			return -1;
	memcpy(cfg->fourcc, v, 5);
	return 0;
}

/* One "key=value" (NUL-terminated copy); off is its byte offset in the URI for messages. */
static int set_key(struct cam_v4l2_cfg *cfg, char *kv, size_t off, struct cccd_err *err)
{
	char *eq = strchr(kv, '=');
	const struct uri_key *k;
	int *slot;

	if (!eq)
		return cccd_err_set(err, -CCCD_EINVAL, "v4l2", "byte %zu: '%.20s' has no '='", off,
				    kv);
	*eq = '\0';
	if (!strcmp(kv, "fourcc"))
		return set_fourcc(cfg, eq + 1)
			   ? cccd_err_set(err, -CCCD_EINVAL, "v4l2",
					  "byte %zu: fourcc is 4 of A-Z 0-9", off)
			   : 0;
	k = bsearch(kv, keys, sizeof(keys) / sizeof(keys[0]), sizeof(keys[0]), key_cmp);
	if (!k)
		return cccd_err_set(err, -CCCD_EINVAL, "v4l2", "byte %zu: unknown key '%.20s'", off,
				    kv);
	slot = k->slot(cfg);
	if (k->may_be_auto && !strcmp(eq + 1, "auto"))
		return 0;
	if (parse_int(eq + 1, k->min, k->max, slot))
		return cccd_err_set(err, -CCCD_EINVAL, "v4l2", "byte %zu: %s must be %s%d..%d", off,
				    k->name, k->may_be_auto ? "auto or " : "", k->min, k->max);
	return 0;
}

static void cfg_defaults(struct cam_v4l2_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->width = cfg->height = cfg->fps = -1;
	cfg->exposure = cfg->focus = -1;
}

int cam_v4l2_parse_uri(const char *arg, struct cam_v4l2_cfg *cfg, struct cccd_err *err)
{
	char q[256], *save = NULL, *kv;
	size_t dl = strcspn(arg, "?");
	int rc;

	cfg_defaults(cfg);
	if (strncmp(arg, "/dev/", 5) || dl <= 5 || dl >= sizeof(cfg->device))
		return cccd_err_set(err, -CCCD_EINVAL, "v4l2",
				    "byte 0: device must be /dev/<name> under %zu bytes",
				    sizeof(cfg->device));
	memcpy(cfg->device, arg, dl);
	if (!arg[dl])
		return 0;
	if (strlen(arg + dl + 1) >= sizeof(q))
		return cccd_err_set(err, -CCCD_EINVAL, "v4l2", "byte %zu: query too long", dl + 1);
	snprintf(q, sizeof(q), "%s", arg + dl + 1);
	for (kv = strtok_r(q, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
		rc = set_key(cfg, kv, dl + 1 + (size_t)(kv - q), err);
		if (rc)
			return rc;
	}
	return 0;
}

static int cam_v4l2_open(struct frame_source *src, const char *arg, struct cccd_err *err)
{
	struct cam_v4l2_cfg cfg;
	struct cam_cv *cv;
	int rc = cam_v4l2_parse_uri(arg, &cfg, err);

	if (rc)
		return rc;
	if (access(cfg.device, R_OK))
		return cccd_err_set(err, -CCCD_ENOENT, "v4l2",
				    "%.100s: no such device or no access", cfg.device);
	rc = cam_cv_new(&cv, err);
	if (!rc)
		rc = cam_cv_open_v4l2(cv, &cfg, err);
	if (rc) {
		cam_cv_free(cv);
		return rc;
	}
	src->priv = cv;
	return 0;
}

static int cam_v4l2_grab(struct frame_source *src, struct frame *f, struct cccd_err *err)
{
	return cam_cv_read(src->priv, f, err);
}

static void cam_v4l2_close(struct frame_source *src)
{
	cam_cv_free(src->priv);
	src->priv = NULL;
}

const struct frame_source_ops cam_v4l2_ops = {
    .scheme = "v4l2",
    .open = cam_v4l2_open,
    .grab = cam_v4l2_grab,
    .close = cam_v4l2_close,
};
