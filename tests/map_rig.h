/*
 * A map tile driven directly, without a board: layout → create → bind → draw, for the map
 * tests (test_map.c, test_map_roads.c). A test file defines T0 and sets `engine`, `tmp_dir`
 * and `shared` in its main before running its cases.
 */
#ifndef CITYWALL_TESTS_MAP_RIG_H
#define CITYWALL_TESTS_MAP_RIG_H

#include "feed/snapshot_parse.h"
#include "layout/layout.h"
#include "render/text.h"
#include "util/diag.h"
#include "util/xmalloc.h"
#include "widgets/widget.h"

#include <cairo.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef T0
#define T0 1795564800.0 /* 2026-11-25T09:00:00+09:00 */
#endif

static struct text_engine *engine; // owned by the test's main
static char tmp_dir[4096];         // a temporary folder for layouts and data files
static char shared[4096];          // ../shared/data, or CITYWALL_SHARED_DATA

static inline const char *source_root(void)
{
	const char *root = getenv("CITYWALL_SOURCE_ROOT");
	return root ? root : ".";
}

static inline const char *build_root(void)
{
	const char *root = getenv("CITYWALL_BUILD_ROOT");
	return root ? root : ".";
}

#define fmt xasprintf

static inline char *tmp_path(const char *name)
{
	return fmt("%s/%s", tmp_dir, name);
}

static inline void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static inline char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *text = malloc((size_t)n + 1);
	size_t got = fread(text, 1, (size_t)n, f);
	text[got] = '\0';
	fclose(f);
	return text;
}

struct rig {
	struct layout *layout;          // owned
	const struct widget_impl *impl; // borrowed: the map's
	void *map;                      // owned through impl->destroy
	char *messages;                 // owned: the layout's diagnostics, one per line
};

/*
 * A one-tile layout (1000 x 700, the tile fills it) with `options` on line 5, written to
 * FILE in the temporary folder, so that relative paths and messages name it.
 */
static inline char *layout_text(const char *options)
{
	return fmt("{\n"
		   " \"canvas\": {\"width\": 1000, \"height\": 700},\n"
		   " \"grid\": {\"columns\": 1, \"rows\": 1, \"gap\": 0, \"margin\": 0},\n"
		   " \"tiles\": [{\"id\": \"m\", \"widget\": \"map\", \"cell\": [0, 0],\n"
		   "   %s}]\n"
		   "}\n",
		   options);
}

/* The layout's messages are kept in r->messages and printed as TAP comments. */
static inline bool rig_open(struct rig *r, const char *options)
{
	*r = (struct rig){0};
	char *text = layout_text(options);
	char *file = tmp_path("layout.json");
	struct diag_list diags;
	diag_list_init(&diags);
	r->layout = layout_parse(text, strlen(text), file, widget_specs(), &diags);
	r->messages = calloc(1, 1);
	for (size_t i = 0; i < diags.count; i++) {
		char *line = diag_format(&diags.items[i]);
		printf("# %s\n", line);
		char *all = fmt("%s%s%s", r->messages, i ? "\n" : "", line);
		free(r->messages);
		free(line);
		r->messages = all;
	}
	diag_list_finish(&diags);
	free(text);
	free(file);
	if (!r->layout) {
		return false;
	}
	r->impl = widget_find("map");
	r->map = r->impl->create(&r->layout->tiles[0]);
	return true;
}

static inline void rig_close(struct rig *r)
{
	if (r->map) {
		r->impl->destroy(r->map);
	}
	layout_destroy(r->layout);
	free(r->messages);
	*r = (struct rig){0};
}

/* Binds a snapshot and drops it at once: the widget must have copied what it keeps. */
static inline bool rig_bind(struct rig *r, const char *json)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *snap = snapshot_parse(json, strlen(json), "test", "default",
					       "generated_at", T0, &diags);
	diag_list_finish(&diags);
	struct source_data data[4] = {{.current = snap, .data_time = T0}};
	struct binding_values values;
	layout_bind_tile(&r->layout->tiles[0], data, &values);
	bool changed = r->impl->bind(r->map, &values);
	snapshot_unref(snap);
	return changed;
}

/* Draws the map at `scale` onto `s` (a board redraws a dirty tile in place). */
static inline void rig_redraw(struct rig *r, cairo_surface_t *s, double scale)
{
	cairo_t *cr = cairo_create(s);
	cairo_scale(cr, scale, scale);
	struct widget_ctx ctx = {.text = engine, .theme = &r->layout->theme};
	r->impl->draw(r->map, cr, &r->layout->tiles[0].rect, &ctx, T0);
	cairo_destroy(cr);
	cairo_surface_flush(s);
}

/* The map drawn at `scale` on a new surface (the caller destroys it). */
static inline cairo_surface_t *rig_draw_at(struct rig *r, double scale)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(1000 * scale),
							(int)(700 * scale));
	rig_redraw(r, s, scale);
	return s;
}

static inline struct color pixel(cairo_surface_t *s, double x, double y)
{
	int ix = (int)x, iy = (int)y;
	const unsigned char *data = cairo_image_surface_get_data(s);
	uint32_t p = ((const uint32_t *)(data + iy * cairo_image_surface_get_stride(s)))[ix];
	return (struct color){((p >> 16) & 0xff) / 255.0, ((p >> 8) & 0xff) / 255.0,
			      (p & 0xff) / 255.0, 1};
}

static inline bool near_color(struct color a, struct color b)
{
	return fabs(a.r - b.r) < 3.5 / 255 && fabs(a.g - b.g) < 3.5 / 255 &&
	       fabs(a.b - b.b) < 3.5 / 255;
}

struct map_case {
	const char *name;
	void (*run)(void);
	bool needs_shared; // reads ../shared/data: skipped when it is absent
};

static inline void map_case_skipped(void)
{
}

/*
 * A map test's main: finds the shared data, makes the temporary folder `name`-XXXXXX in the
 * build tree and the text engine, runs `cases` as TAP (those needing absent shared data as
 * skips), then `tidy` (removes the files the cases wrote) and the folder.
 */
static inline int map_rig_main(const char *name, const struct map_case *cases, size_t count,
			       void (*tidy)(void))
{
	const char *data = getenv("CITYWALL_SHARED_DATA");
	snprintf(shared, sizeof(shared), "%s", data ? data : "");
	if (!data) {
		snprintf(shared, sizeof(shared), "%s/../shared/data", source_root());
	}
	struct stat st;
	bool have_shared = stat(shared, &st) == 0 && S_ISDIR(st.st_mode);
	snprintf(tmp_dir, sizeof(tmp_dir), "%s/%s-XXXXXX", build_root(), name);
	char err[256];
	engine = text_engine_create(NULL, 0, err, sizeof(err));
	if (!mkdtemp(tmp_dir) || !engine) {
		printf("1..0 # SKIP cannot set up: %s\n", engine ? "no temporary folder" : err);
		return 1;
	}
	struct check_case *run = xcalloc(count, sizeof(*run));
	char(*names)[256] = xcalloc(count, sizeof(*names));
	for (size_t i = 0; i < count; i++) {
		run[i] = (struct check_case){cases[i].name, cases[i].run};
		if (cases[i].needs_shared && !have_shared) {
			if (snprintf(names[i], sizeof(names[i]), "%s # SKIP no shared data at %s",
				     cases[i].name, shared) >= (int)sizeof(names[i])) {
				names[i][sizeof(names[i]) - 1] = '\0';
			}
			run[i] = (struct check_case){names[i], map_case_skipped};
		}
	}
	int status = check_run(run, count);
	text_engine_destroy(engine);
	tidy();
	rmdir(tmp_dir);
	free(run);
	free(names);
	return status;
}

#endif
