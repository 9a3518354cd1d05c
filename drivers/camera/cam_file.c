/* SPDX-License-Identifier: MIT */
/*
 * cam_file.c - `file:` frame source: one image, a glob of images (sorted, as glob(3) lists them)
 * or a video file, decoded by OpenCV through cam_shim.
 *   file:card.jpg     file:/data/shots/IMG_0*.png     file:clip.mp4
 * A name ending in a video extension (avi mp4 mkv mov webm m4v mjpg) is played frame by frame;
 * anything else is a pattern of still images. Omits: directories, URLs, image sequences "%04d".
 */
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "camera/cam_shim.h"
#include "frame_source.h"

struct cam_file {
	struct cam_cv *cv;
	glob_t list; /* the images, when not a video */
	size_t next; /* index into list */
	bool video;
	bool have_list;
};

static bool is_video_name(const char *path)
{
	static const char *const ext[] = {"avi", "mp4", "mkv", "mov", "webm", "m4v", "mjpg"};
	const char *dot = strrchr(path, '.');

	if (!dot || strchr(dot, '/'))
		return false;
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (!strcasecmp(dot + 1, ext[i]))
			return true;
	return false;
}

static int open_list(struct cam_file *st, const char *arg, struct cccd_err *err)
{
	int rc = glob(arg, 0, NULL, &st->list);

	if (rc == GLOB_NOMATCH)
		return cccd_err_set(err, -CCCD_ENOENT, "file", "no file matches '%.100s'", arg);
	if (rc)
		return cccd_err_set(err, -CCCD_EIO, "file", "cannot list '%.100s'", arg);
	st->have_list = true;
	return 0;
}

static void cam_file_close(struct frame_source *src)
{
	struct cam_file *st = src->priv;

	if (!st)
		return;
	if (st->have_list)
		globfree(&st->list);
	cam_cv_free(st->cv);
	free(st);
	src->priv = NULL;
}

static int cam_file_open(struct frame_source *src, const char *arg, struct cccd_err *err)
{
	struct cam_file *st;
	int rc;

	if (!arg[0])
		return cccd_err_set(err, -CCCD_EINVAL, "file", "file: needs a path, glob or video");
	st = calloc(1, sizeof(*st));
	if (!st)
		return cccd_err_set(err, -CCCD_ENOMEM, "file", "out of memory");
	src->priv = st;
	rc = cam_cv_new(&st->cv, err);
	if (!rc && is_video_name(arg)) {
		st->video = true;
		rc = access(arg, R_OK) ? cccd_err_set(err, -CCCD_ENOENT, "file",
						      "'%.100s': no such file or no access", arg)
				       : cam_cv_open_video(st->cv, arg, err);
	} else if (!rc) {
		rc = open_list(st, arg, err);
	}
	if (rc)
		cam_file_close(src);
	return rc;
}

static int cam_file_grab(struct frame_source *src, struct frame *f, struct cccd_err *err)
{
	struct cam_file *st = src->priv;
	const char *path;

	if (st->video)
		return cam_cv_read(st->cv, f, err);
	if (st->next >= st->list.gl_pathc)
		return cccd_err_set(err, -CCCD_ENOENT, "file", "end of the %zu images",
				    (size_t)st->list.gl_pathc);
	path = st->list.gl_pathv[st->next++];
	snprintf(f->name, sizeof(f->name), "%s", path);
	return cam_cv_load(st->cv, path, f, err);
}

const struct frame_source_ops cam_file_ops = {
    .scheme = "file",
    .open = cam_file_open,
    .grab = cam_file_grab,
    .close = cam_file_close,
};
