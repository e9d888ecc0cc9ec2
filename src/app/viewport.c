#include "app/viewport.h"

#include <stdio.h>
#include <stdlib.h>

/* One "X,Y,W,H": four non-negative integers, W and H at least 16. */
static const char *parse_rect(const char *s, struct irect *out)
{
	long v[4];
	for (int i = 0; i < 4; i++) {
		char *end;
		v[i] = strtol(s, &end, 10);
		if (end == s || v[i] < 0 || v[i] > 1000000 || (i < 3 && *end != ',')) {
			return NULL;
		}
		s = i < 3 ? end + 1 : end;
	}
	if (v[2] < 16 || v[3] < 16) {
		return NULL;
	}
	*out = (struct irect){(int)v[0], (int)v[1], (int)v[2], (int)v[3]};
	return s;
}

bool viewport_parse_list(const char *text, struct canvas_spec *spec, char *err,
			 size_t err_size)
{
	spec->part_count = 0;
	const char *s = text;
	for (;;) {
		if (spec->part_count == VIEWPORT_MAX) {
			snprintf(err, err_size, "--viewport: at most %d viewports", VIEWPORT_MAX);
			return false;
		}
		s = parse_rect(s, &spec->parts[spec->part_count]);
		if (!s || (*s != '\0' && *s != ':')) {
			snprintf(err, err_size,
				 "--viewport: \"%s\" is not X,Y,W,H[:X,Y,W,H...] (W, H >= 16)", text);
			return false;
		}
		spec->part_count++;
		if (*s == '\0') {
			return true;
		}
		s++;
	}
}

bool viewport_parse_displays(const char *text, struct canvas_spec *spec, char *err,
			     size_t err_size)
{
	spec->display_count = 0;
	const char *s = text;
	for (;;) {
		char *end;
		long n = strtol(s, &end, 10);
		if (end == s || n < 0 || n > 63 || (*end != '\0' && *end != ',') ||
		    spec->display_count == VIEWPORT_MAX) {
			snprintf(err, err_size,
				 "--display: \"%s\" is not a display number or a list N,N,... "
				 "(at most %d)",
				 text, VIEWPORT_MAX);
			return false;
		}
		spec->displays[spec->display_count++] = (int)n;
		if (*end == '\0') {
			return true;
		}
		s = end + 1;
	}
}

struct irect viewport_part(const struct canvas_spec *spec, size_t index)
{
	if (index >= spec->part_count) {
		return (struct irect){0, 0, spec->width, spec->height};
	}
	struct irect p = spec->parts[index];
	if (spec->bezel > 0) {
		p.x += p.x / p.w * spec->bezel;
		p.y += p.y / p.h * spec->bezel;
	}
	return p;
}

struct irect viewport_bounds(const struct canvas_spec *spec)
{
	struct irect all = viewport_part(spec, 0);
	for (size_t i = 1; i < spec->part_count; i++) {
		all = irect_union(all, viewport_part(spec, i));
	}
	return all;
}

bool viewport_check(const struct canvas_spec *spec, char *err, size_t err_size)
{
	if (spec->part_count && !spec->set) {
		snprintf(err, err_size, "--viewport goes with --canvas WxH (the whole picture)");
		return false;
	}
	if (spec->bezel && !spec->part_count) {
		snprintf(err, err_size, "--bezel goes with --viewport");
		return false;
	}
	if (spec->display_count > 1 && spec->part_count > 1 &&
	    spec->display_count != spec->part_count) {
		snprintf(err, err_size, "--display lists %zu displays but --viewport %zu viewports",
			 spec->display_count, spec->part_count);
		return false;
	}
	for (size_t i = 0; i < spec->part_count; i++) {
		const struct irect *in = &spec->parts[i];
		if (spec->bezel && (in->x % in->w || in->y % in->h)) {
			snprintf(err, err_size,
				 "--viewport %d,%d,%d,%d: with --bezel, X and Y are whole panels "
				 "(multiples of W and H)",
				 in->x, in->y, in->w, in->h);
			return false;
		}
		struct irect p = viewport_part(spec, i);
		if (p.x + p.w > spec->width || p.y + p.h > spec->height) {
			snprintf(err, err_size,
				 "--viewport %d,%d,%d,%d: reaches %d,%d (bezels added), outside the "
				 "%dx%d canvas",
				 in->x, in->y, in->w, in->h, p.x + p.w, p.y + p.h, spec->width,
				 spec->height);
			return false;
		}
	}
	return true;
}
