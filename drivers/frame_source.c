/* SPDX-License-Identifier: MIT */
/*
 * frame_source.c - the one registry of frame_source implementations and the wrappers vision code
 * calls. Implementations are listed here only (drivers/camera/).
 */
#include <stdio.h>
#include <string.h>

#include "frame_source.h"

extern const struct frame_source_ops cam_file_ops;
extern const struct frame_source_ops cam_v4l2_ops;

static const struct frame_source_ops *const sources[] = {
    &cam_file_ops,
    &cam_v4l2_ops,
    NULL,
};

int frame_source_open(struct frame_source *src, const char *uri, struct cccd_err *err)
{
	const char *colon = strchr(uri, ':');
	size_t sl = colon ? (size_t)(colon - uri) : 0;
	int rc;

	memset(src, 0, sizeof(*src));
	if (!colon)
		return cccd_err_set(err, -CCCD_EINVAL, "frame_source",
				    "camera URI '%.40s' has no scheme (v4l2:, file:)", uri);
	for (size_t i = 0; sources[i]; i++) {
		if (strlen(sources[i]->scheme) != sl || strncmp(sources[i]->scheme, uri, sl))
			continue;
		if (strlen(uri) >= sizeof(src->uri))
			return cccd_err_set(err, -CCCD_EINVAL, "frame_source",
					    "camera URI of %zu bytes, at most %zu", strlen(uri),
					    sizeof(src->uri) - 1);
		src->ops = sources[i];
		snprintf(src->uri, sizeof(src->uri), "%s", uri);
		rc = src->ops->open(src, colon + 1, err);
		if (rc)
			src->ops = NULL;
		return rc;
	}
	return cccd_err_set(err, -CCCD_ENOTSUP, "frame_source",
			    "no camera driver for '%.*s:' in this build", (int)(sl > 16 ? 16 : sl),
			    uri);
}

int frame_source_grab(struct frame_source *src, struct frame *f, struct cccd_err *err)
{
	int rc;

	memset(f, 0, sizeof(*f));
	if (!src->ops || !src->ops->grab)
		return cccd_err_set(err, -CCCD_ENOTSUP, "frame_source", "grab not supported");
	rc = src->ops->grab(src, f, err);
	if (rc)
		return rc;
	if (f->width < 1 || f->height < 1 || f->width > FRAME_MAX_DIM ||
	    f->height > FRAME_MAX_DIM || !f->gray || !f->bgr || f->gray_stride < (size_t)f->width ||
	    f->bgr_stride < 3 * (size_t)f->width)
		return cccd_err_set(err, -CCCD_EFORMAT, "frame_source",
				    "frame %lu: %dx%d with strides %zu/%zu is not usable",
				    src->grabs, f->width, f->height, f->gray_stride, f->bgr_stride);
	f->seq = src->grabs++;
	return 0;
}

void frame_source_close(struct frame_source *src)
{
	if (src->ops && src->ops->close)
		src->ops->close(src);
	src->ops = NULL;
	src->priv = NULL;
}
