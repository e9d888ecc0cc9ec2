/*
 * Layout files (JSON) → struct layout. Syntax is checked by the position-aware scanner first,
 * so a broken file gets "file:line:col: error: ..."; the values are then read by cJSON and
 * checked against option tables, and every semantic problem is reported with its JSON path.
 */

#include "layout/layout.h"

#include "layout/sources_parse.h"
#include "layout/tables.h"

#include "util/json_scan.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TILES 1000

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

static bool read_theme(struct parse_ctx *ctx, const cJSON *root, struct theme *theme)
{
	struct option_set set = {0};
	bool ok = read_nested(ctx, root, "", "theme", layout_theme_options, &set);
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

	const cJSON *node = cJSON_GetObjectItemCaseSensitive(root, "theme");
	const cJSON *states = cJSON_GetObjectItemCaseSensitive(node, "states");
	if (states) {
		struct option_set check = {0};
		ok &= read_object(ctx, states, "/theme/states", layout_states_options, &check);
		option_set_finish(&check);
		if (ok) {
			ok &= read_state_colors(ctx, states, "/theme/states", theme);
		}
	}
	return ok;
}

static bool read_canvas_and_grid(struct parse_ctx *ctx, const cJSON *root, struct layout *layout)
{
	struct option_set canvas = {0}, grid = {0};
	bool ok = read_nested(ctx, root, "", "canvas", layout_canvas_options, &canvas);
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

static const struct widget_spec *find_widget(const struct widget_spec *const *widgets,
					     const char *name)
{
	for (size_t i = 0; widgets[i]; i++) {
		if (strcmp(widgets[i]->name, name) == 0) {
			return widgets[i];
		}
	}
	return NULL;
}

static void unknown_widget(struct parse_ctx *ctx, const struct widget_spec *const *widgets,
			   const char *name, const char *pointer)
{
	size_t count = 0;
	while (widgets[count]) {
		count++;
	}
	const char **names = xcalloc(count + 1, sizeof(*names));
	char *list = xstrdup("");
	for (size_t i = 0; i < count; i++) {
		names[i] = widgets[i]->name;
		char *next = xasprintf("%s%s%s", list, i ? ", " : "", names[i]);
		free(list);
		list = next;
	}
	const char *suggestion = str_closest(name, names, sizeof(*names), count);
	if (suggestion) {
		parse_error(ctx, pointer, false, "unknown widget \"%s\" (did you mean \"%s\"?)", name,
			    suggestion);
	} else {
		parse_error(ctx, pointer, false, "unknown widget \"%s\" (known: %s)", name, list);
	}
	free(list);
	free(names);
}

static void place_tile(const struct layout *layout, struct tile *tile)
{
	const struct grid *g = &layout->grid;
	double cell_w = (layout->width - 2 * g->margin - (g->columns - 1) * g->gap) / g->columns;
	double cell_h = (layout->height - 2 * g->margin - (g->rows - 1) * g->gap) / g->rows;
	tile->rect = (struct rect){
		.x = g->margin + tile->column * (cell_w + g->gap),
		.y = g->margin + tile->row * (cell_h + g->gap),
		.w = tile->column_span * cell_w + (tile->column_span - 1) * g->gap,
		.h = tile->row_span * cell_h + (tile->row_span - 1) * g->gap,
	};
}

static bool check_fits_grid(struct parse_ctx *ctx, const struct layout *layout,
			    const struct tile *tile)
{
	const struct grid *g = &layout->grid;
	if (tile->column + tile->column_span > g->columns ||
	    tile->row + tile->row_span > g->rows) {
		char *p = pointer_join(tile->pointer, "cell");
		parse_error(ctx, p, false,
			    "tile at [%d, %d] spanning [%d, %d] does not fit the %d x %d grid",
			    tile->column, tile->row, tile->column_span, tile->row_span, g->columns,
			    g->rows);
		free(p);
		return false;
	}
	return true;
}

static bool resolve_bindings(struct parse_ctx *ctx, const struct layout *layout,
			     struct tile *tile)
{
	const struct option_set *set = &tile->options;
	tile->bindings = xcalloc(set->count + 1, sizeof(*tile->bindings));
	bool ok = true;
	for (size_t i = 0; i < set->count; i++) {
		const char *text = set->values[i].text;
		if (set->specs[i].type != OPT_BINDING || !text) {
			continue;
		}
		char *pointer = pointer_join(tile->pointer, set->specs[i].key);
		struct tile_binding *b = &tile->bindings[tile->binding_count];
		b->key = set->specs[i].key;
		if (sources_resolve_binding(ctx, layout, text, pointer, &b->source, &b->path)) {
			tile->binding_count++;
		} else {
			ok = false;
		}
		free(pointer);
	}
	return ok;
}

/* Reads the keys every tile has, then the widget's own; fills `tile`. */
static bool read_tile(struct parse_ctx *ctx, const cJSON *node, size_t index,
		      const struct widget_spec *const *widgets, struct layout *layout,
		      struct tile *tile)
{
	tile->pointer = pointer_index("/tiles", index);
	const cJSON *widget_name = cJSON_GetObjectItemCaseSensitive(node, "widget");
	if (cJSON_IsString(widget_name)) {
		tile->widget = find_widget(widgets, widget_name->valuestring);
		if (!tile->widget) {
			char *p = pointer_join(tile->pointer, "widget");
			unknown_widget(ctx, widgets, widget_name->valuestring, p);
			free(p);
		}
	}
	static const struct option_spec no_options[] = {{0}};
	const struct option_spec *tables[] = {
		layout_tile_options,
		tile->widget ? tile->widget->options : no_options,
	};
	struct option_set sets[2] = {{0}};
	bool ok = options_read(ctx, node, tile->pointer, tables, sets, tile->widget ? 2 : 1);
	ok &= tile->widget != NULL;

	const char *id = option_text(&sets[0], "id");
	tile->id = id ? xstrdup(id) : xasprintf("tile-%zu", index);
	const struct option_value *cell = option_get(&sets[0], "cell");
	const struct option_value *span = option_get(&sets[0], "span");
	tile->column = cell->pair[0];
	tile->row = cell->pair[1];
	tile->column_span = span->pair[0];
	tile->row_span = span->pair[1];
	option_set_finish(&sets[0]);
	tile->options = sets[1];
	ok = ok && resolve_bindings(ctx, layout, tile);
	if (ok) {
		ok = check_fits_grid(ctx, layout, tile);
		place_tile(layout, tile);
	}
	return ok;
}

static bool tiles_overlap(const struct tile *a, const struct tile *b)
{
	return a->column < b->column + b->column_span && b->column < a->column + a->column_span &&
	       a->row < b->row + b->row_span && b->row < a->row + a->row_span;
}

static bool check_tiles_apart(struct parse_ctx *ctx, const struct layout *layout)
{
	bool ok = true;
	for (size_t i = 0; i < layout->tile_count; i++) {
		const struct tile *a = &layout->tiles[i];
		for (size_t j = 0; j < i; j++) {
			const struct tile *b = &layout->tiles[j];
			if (strcmp(a->id, b->id) == 0) {
				char *p = pointer_join(a->pointer, "id");
				parse_error(ctx, p, false, "duplicate tile id \"%s\" (also %s)", a->id,
					    b->pointer);
				free(p);
				ok = false;
			}
			if (tiles_overlap(a, b)) {
				parse_error(ctx, a->pointer, false,
					    "tile \"%s\" overlaps tile \"%s\" (%s)", a->id, b->id,
					    b->pointer);
				ok = false;
			}
		}
	}
	return ok;
}

static bool read_tiles(struct parse_ctx *ctx, const cJSON *root,
		       const struct widget_spec *const *widgets, struct layout *layout)
{
	const cJSON *tiles = cJSON_GetObjectItemCaseSensitive(root, "tiles");
	if (!tiles) {
		return false; /* reported as a missing required key */
	}
	int count = cJSON_GetArraySize(tiles);
	if (!cJSON_IsArray(tiles) || count > MAX_TILES) {
		parse_error(ctx, "/tiles", false, "must be an array of at most %d tiles", MAX_TILES);
		return false;
	}
	layout->tiles = xcalloc((size_t)count, sizeof(*layout->tiles));
	bool ok = true;
	size_t index = 0;
	for (const cJSON *node = tiles->child; node; node = node->next, index++) {
		ok &= read_tile(ctx, node, index, widgets, layout, &layout->tiles[index]);
		layout->tile_count = index + 1;
	}
	return ok && check_tiles_apart(ctx, layout);
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
	ok &= sources_read(ctx, root, layout);
	option_set_finish(&set);

	ok &= read_canvas_and_grid(ctx, root, layout);
	ok &= read_theme(ctx, root, &layout->theme);
	/* Tiles are placed on the grid, so a broken grid would only add noise. */
	if (ok || cJSON_GetObjectItemCaseSensitive(root, "tiles")) {
		ok &= read_tiles(ctx, root, widgets, layout);
	}
	return ok;
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
