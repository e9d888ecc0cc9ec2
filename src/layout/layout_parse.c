/*
 * Layout files (JSON) → struct layout. Syntax is checked by the position-aware scanner first,
 * so a broken file gets "file:line:col: error: ..."; the values are then read by cJSON and
 * checked against option tables, and every semantic problem is reported with its JSON path.
 */

#include "layout/layout.h"

#include "layout/derive_read.h"
#include "layout/react.h"
#include "layout/scales.h"
#include "layout/sources_parse.h"
#include "layout/tables.h"
#include "layout/tiles_parse.h"

#include "util/fileio.h"
#include "util/json_scan.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Reads one object against one table; the caller finishes the set. */
static bool read_object(struct parse_ctx *ctx, const cJSON *object, const char *pointer,
			const struct option_spec *specs, struct option_set *set)
{
	const struct option_spec *list[] = {specs};
	return options_read(ctx, object, pointer, list, set, 1);
}

static bool read_nested(struct parse_ctx *ctx, const cJSON *parent, const char *parent_pointer,
			const char *key, const struct option_spec *specs, struct option_set *set)
{
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(parent, key);
	char *pointer = pointer_join(parent_pointer, key);
	bool ok;
	if (node) {
		ok = read_object(ctx, node, pointer, specs, set);
	} else {
		/* Absent: defaults only. */
		cJSON *empty = cJSON_CreateObject();
		ok = read_object(ctx, empty, pointer, specs, set);
		cJSON_Delete(empty);
	}
	free(pointer);
	return ok;
}

static void take_color(const struct option_set *set, const char *key, struct color *target)
{
	const struct option_value *v = option_get(set, key);
	if (v->set) {
		*target = v->color;
	}
}

static void take_string(const struct option_set *set, const char *key, char **target)
{
	const struct option_value *v = option_get(set, key);
	if (v->set) {
		free(*target);
		*target = xstrdup(v->text);
	}
}

static bool read_state_colors(struct parse_ctx *ctx, const cJSON *states, const char *pointer,
			      struct theme *theme)
{
	bool ok = true;
	for (int s = 0; s < STATE_COUNT; s++) {
		struct option_set set = {0};
		if (cJSON_GetObjectItemCaseSensitive(states, state_name((enum state)s))) {
			ok &= read_nested(ctx, states, pointer, state_name((enum state)s),
					  layout_state_color_options, &set);
			take_color(&set, "fill", &theme->states[s].fill);
			take_color(&set, "accent", &theme->states[s].accent);
		}
		option_set_finish(&set);
	}
	return ok;
}

static bool apply_theme(struct parse_ctx *ctx, const cJSON *node, const char *pointer,
			const cJSON *themes, struct theme *theme, int depth);

/* A theme by name: built-in, or one of "themes" (which may itself name a base). */
static bool apply_named_theme(struct parse_ctx *ctx, const char *name, const char *pointer,
			      const cJSON *themes, struct theme *theme, int depth)
{
	const cJSON *defined = cJSON_GetObjectItemCaseSensitive(themes, name);
	if (cJSON_IsObject(defined)) {
		char *p = pointer_join("/themes", name);
		bool ok = apply_theme(ctx, defined, p, themes, theme, depth + 1);
		free(p);
		return ok;
	}
	if (theme_init_builtin(theme, name)) {
		return true;
	}
	char *names = xstrdup("");
	for (const char *const *n = theme_builtin_names; *n; n++) {
		char *next = xasprintf("%s%s\"%s\"", names, names[0] ? ", " : "", *n);
		free(names);
		names = next;
	}
	for (const cJSON *t = themes ? themes->child : NULL; t; t = t->next) {
		char *next = xasprintf("%s, \"%s\"", names, t->string);
		free(names);
		names = next;
	}
	parse_error(ctx, pointer, false, "unknown theme \"%s\" (themes: %s)", name, names);
	free(names);
	return false;
}

static void take_scales(const cJSON *node, struct theme *theme)
{
	const cJSON *scale = cJSON_GetObjectItemCaseSensitive(node, "scale");
	const char *keys[] = {"title", "value", "label"};
	double *targets[] = {&theme->title_scale, &theme->value_scale, &theme->label_scale};
	for (size_t i = 0; i < 3; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(scale, keys[i]);
		if (cJSON_IsNumber(v)) {
			*targets[i] = v->valuedouble;
		}
	}
}

static bool read_scales(struct parse_ctx *ctx, const cJSON *node, const char *pointer)
{
	const cJSON *scale = cJSON_GetObjectItemCaseSensitive(node, "scale");
	if (!scale) {
		return true;
	}
	char *p = pointer_join(pointer, "scale");
	struct option_set set = {0};
	bool ok = read_object(ctx, scale, p, layout_theme_scale_options, &set);
	option_set_finish(&set);
	free(p);
	return ok;
}

/* A theme object: its "base" first, then its own colours, fonts, scales and states. */
static bool apply_theme(struct parse_ctx *ctx, const cJSON *node, const char *pointer,
			const cJSON *themes, struct theme *theme, int depth)
{
	if (depth > 4) {
		parse_error(ctx, pointer, false, "themes build on each other more than 4 deep");
		return false;
	}
	if (cJSON_IsString(node)) {
		return apply_named_theme(ctx, node->valuestring, pointer, themes, theme, depth);
	}
	struct option_set set = {0};
	bool ok = read_object(ctx, node, pointer, layout_theme_options, &set);
	const char *base = option_text(&set, "base");
	if (ok && base) {
		char *p = pointer_join(pointer, "base");
		ok = apply_named_theme(ctx, base, p, themes, theme, depth);
		free(p);
	}
	take_color(&set, "background", &theme->background);
	take_color(&set, "tile", &theme->tile);
	take_color(&set, "tile_border", &theme->tile_border);
	take_color(&set, "text", &theme->text);
	take_color(&set, "muted", &theme->muted);
	take_color(&set, "accent", &theme->accent);
	/* A state without its own fill keeps the tile colour: states tint, they do not repaint. */
	theme->states[STATE_NORMAL].fill = theme->tile;
	take_string(&set, "font", &theme->font);
	take_string(&set, "title_font", &theme->title_font);
	if (option_get(&set, "corner_radius")->set) {
		theme->corner_radius = option_number(&set, "corner_radius");
	}
	option_set_finish(&set);
	ok = ok && read_scales(ctx, node, pointer);
	take_scales(node, theme);
	const cJSON *states = cJSON_GetObjectItemCaseSensitive(node, "states");
	if (ok && states) {
		char *p = pointer_join(pointer, "states");
		struct option_set check = {0};
		ok = read_object(ctx, states, p, layout_states_options, &check);
		option_set_finish(&check);
		ok = ok && read_state_colors(ctx, states, p, theme);
		free(p);
	}
	return ok;
}

bool layout_apply_theme_name(struct parse_ctx *ctx, const char *name, const char *pointer,
			     const cJSON *themes, struct theme *theme)
{
	return apply_named_theme(ctx, name, pointer, themes, theme, 0);
}

/* "theme": a name (built-in or from "themes") or an object; absent: the dark default. */
static bool read_theme(struct parse_ctx *ctx, const cJSON *root, const cJSON *themes,
		       struct theme *theme)
{
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(root, "theme");
	if (!node) {
		return true;
	}
	if (!cJSON_IsString(node) && !cJSON_IsObject(node)) {
		parse_error(ctx, "/theme", false, "must be a theme name or a theme object");
		return false;
	}
	return apply_theme(ctx, node, "/theme", themes, theme, 0);
}

static bool read_canvas_and_grid(struct parse_ctx *ctx, const cJSON *root, struct layout *layout)
{
	struct option_set canvas = {0}, grid = {0}, screen = {0};
	bool ok = read_nested(ctx, root, "", "canvas", layout_canvas_options, &canvas);
	/* Optional, but whole when given: absent, it is not read with defaults. */
	if (cJSON_GetObjectItemCaseSensitive(root, "screen") &&
	    read_nested(ctx, root, "", "screen", layout_screen_options, &screen)) {
		layout->screen = (struct layout_screen){
			.declared = true,
			.width_mm = option_number(&screen, "width_mm"),
			.height_mm = option_number(&screen, "height_mm"),
			.distance_m = option_number(&screen, "distance_m"),
		};
	}
	option_set_finish(&screen);
	ok &= read_nested(ctx, root, "", "grid", layout_grid_options, &grid);
	layout->width = option_number(&canvas, "width");
	layout->height = option_number(&canvas, "height");
	layout->grid = (struct grid){
		.columns = (int)option_number(&grid, "columns"),
		.rows = (int)option_number(&grid, "rows"),
		.gap = option_number(&grid, "gap"),
		.margin = option_number(&grid, "margin"),
	};
	option_set_finish(&canvas);
	option_set_finish(&grid);
	const struct grid *g = &layout->grid;
	if (ok && (layout->width - 2 * g->margin - (g->columns - 1) * g->gap < g->columns ||
		   layout->height - 2 * g->margin - (g->rows - 1) * g->gap < g->rows)) {
		parse_error(ctx, "/grid", false,
			    "margins and gaps leave no room for %d x %d cells on a %g x %g canvas",
			    g->columns, g->rows, layout->width, layout->height);
		ok = false;
	}
	return ok;
}

/* The layout file and the files it includes, for live reloading. */
static void add_file(struct layout *layout, const char *path)
{
	layout->files = xrealloc(layout->files, (layout->file_count + 1) * sizeof(*layout->files));
	layout->files[layout->file_count++] = xstrdup(path);
}

/* Files that tiles load (GeoJSON maps): a save of one reloads the layout like a save of it. */
static void add_asset_files(struct layout *layout)
{
	for (size_t i = 0; i < layout->tile_count; i++) {
		const struct option_set *set = &layout->tiles[i].options;
		for (size_t j = 0; j < set->count; j++) {
			if (set->specs[j].type == OPT_ASSET && set->values[j].asset &&
			    set->values[j].text) {
				add_file(layout, set->values[j].text);
			}
		}
	}
}

/* Adds the members of object `from` to `into` (existing names are kept: the layout wins). */
static void merge_members(cJSON *into, const cJSON *from)
{
	for (const cJSON *item = from ? from->child : NULL; item; item = item->next) {
		if (!cJSON_GetObjectItemCaseSensitive(into, item->string)) {
			cJSON_AddItemToObject(into, item->string, cJSON_Duplicate(item, true));
		}
	}
}

/*
 * An included file: {"templates": {...}, "themes": {...}}, checked like a layout (its own
 * name in messages). Adds its members to the collections; returns false after reporting.
 */
static bool read_include(struct parse_ctx *ctx, const char *path, const char *pointer,
			 cJSON *templates, cJSON *themes, struct layout *layout)
{
	char err[512], *text;
	size_t len, offset;
	const char *message;
	if (!file_read_all(path, LAYOUT_MAX_BYTES, &text, &len, err, sizeof(err))) {
		parse_error(ctx, pointer, false, "%s", err);
		return false;
	}
	add_file(layout, path);
	struct parse_ctx inner = {.file = path, .text = text, .len = len, .diags = ctx->diags};
	bool ok = json_check_syntax(text, len, &offset, &message);
	if (!ok) {
		struct text_pos pos = json_text_pos(text, len, offset);
		diag_add(ctx->diags, DIAG_ERROR, path, pos.line, pos.column, NULL, "%s", message);
	}
	cJSON *doc = ok ? cJSON_ParseWithLength(text, len) : NULL;
	if (doc) {
		struct option_set set = {0};
		ok = read_object(&inner, doc, "", layout_include_options, &set);
		option_set_finish(&set);
		merge_members(templates, cJSON_GetObjectItemCaseSensitive(doc, "templates"));
		merge_members(themes, cJSON_GetObjectItemCaseSensitive(doc, "themes"));
	}
	cJSON_Delete(doc);
	free(text);
	return ok;
}

static bool read_includes(struct parse_ctx *ctx, const cJSON *root, cJSON *templates,
			  cJSON *themes, struct layout *layout)
{
	const cJSON *include = cJSON_GetObjectItemCaseSensitive(root, "include");
	if (!include) {
		return true;
	}
	if (!cJSON_IsArray(include) || cJSON_GetArraySize(include) > 32) {
		parse_error(ctx, "/include", false, "must be an array of at most 32 file names");
		return false;
	}
	bool ok = true;
	size_t i = 0;
	char *dir = path_dirname(layout->file);
	for (const cJSON *item = include->child; item; item = item->next, i++) {
		char *p = pointer_index("/include", i);
		if (!cJSON_IsString(item)) {
			parse_error(ctx, p, false, "must be a file name");
			ok = false;
		} else {
			char *path = path_resolve(dir, item->valuestring);
			ok &= read_include(ctx, path, p, templates, themes, layout);
			free(path);
		}
		free(p);
	}
	free(dir);
	return ok;
}

static bool check_collection(struct parse_ctx *ctx, const cJSON *node, const char *pointer)
{
	if (node && !cJSON_IsObject(node)) {
		parse_error(ctx, pointer, false, "must be an object of names to definitions");
		return false;
	}
	return true;
}

static bool read_root(struct parse_ctx *ctx, const cJSON *root,
		      const struct widget_spec *const *widgets, struct layout *layout)
{
	struct option_set set = {0};
	bool ok = read_object(ctx, root, "", layout_root_options, &set);
	if (!cJSON_IsObject(root)) {
		option_set_finish(&set);
		return false;
	}
	const char *title = option_text(&set, "title");
	layout->title = title ? xstrdup(title) : NULL;
	layout->timezone = xstrdup(option_text(&set, "timezone"));
	const char *strip = option_text(&set, "status_strip");
	layout->status_strip = strcmp(strip, "always") == 0  ? STATUS_STRIP_ALWAYS
			       : strcmp(strip, "never") == 0 ? STATUS_STRIP_NEVER
							     : STATUS_STRIP_AUTO;
	layout->interactive = option_bool(&set, "interactive");
	layout->detail_idle_s = option_number(&set, "detail_idle_s");
	ok &= sources_read(ctx, root, layout);
	/* A broken expression does not hide the tiles' errors: they are checked too. */
	bool derive_ok = !ok || derive_read(ctx, root, layout);
	option_set_finish(&set);

	ok &= read_canvas_and_grid(ctx, root, layout);
	cJSON *templates = cJSON_CreateObject(), *themes = cJSON_CreateObject();
	const cJSON *own_templates = cJSON_GetObjectItemCaseSensitive(root, "templates");
	const cJSON *own_themes = cJSON_GetObjectItemCaseSensitive(root, "themes");
	ok &= check_collection(ctx, own_templates, "/templates");
	ok &= check_collection(ctx, own_themes, "/themes");
	merge_members(templates, cJSON_IsObject(own_templates) ? own_templates : NULL);
	merge_members(themes, cJSON_IsObject(own_themes) ? own_themes : NULL);
	ok &= read_includes(ctx, root, templates, themes, layout);
	ok &= read_theme(ctx, root, themes, &layout->theme);
	/* Before the tiles, whose "thresholds" may name them. */
	struct layout_scales scales;
	ok &= scales_read(ctx, cJSON_GetObjectItemCaseSensitive(root, "scales"), &scales);
	ctx->scales = &scales;
	/* Tiles are placed on the grid, so a broken grid would only add noise. */
	if (ok) {
		ok = tiles_read(ctx, root, templates, widgets, layout);
		add_asset_files(layout);
	}
	/* They name pages, so they come after them. */
	ok = ok && react_read(ctx, root, themes, layout);
	ctx->scales = NULL;
	scales_finish(&scales);
	cJSON_Delete(templates);
	cJSON_Delete(themes);
	return ok && derive_ok;
}

struct layout *layout_parse(const char *text, size_t len, const char *file,
			    const struct widget_spec *const *widgets, struct diag_list *diags)
{
	struct parse_ctx ctx = {.file = file, .text = text, .len = len, .diags = diags};
	size_t offset;
	const char *message;
	if (!json_check_syntax(text, len, &offset, &message)) {
		struct text_pos pos = json_text_pos(text, len, offset);
		diag_add(diags, DIAG_ERROR, file, pos.line, pos.column, NULL, "%s", message);
		return NULL;
	}
	cJSON *root = cJSON_ParseWithLength(text, len);
	if (!root) {
		diag_add(diags, DIAG_ERROR, file, 0, 0, NULL, "layout too deeply nested");
		return NULL;
	}
	struct layout *layout = xcalloc(1, sizeof(*layout));
	layout->file = xstrdup(file);
	layout->derived_source = -1;
	add_file(layout, file);
	theme_init_default(&layout->theme);
	bool ok = read_root(&ctx, root, widgets, layout);
	cJSON_Delete(root);
	if (ctx.suppressed) {
		diag_add(diags, DIAG_ERROR, file, 0, 0, NULL, "%zu more errors not shown",
			 ctx.suppressed);
	}
	if (!ok) {
		layout_destroy(layout);
		return NULL;
	}
	return layout;
}
