#include "layout/tiles_parse.h"

#include "layout/sources_parse.h"
#include "layout/nearest.h"
#include "layout/tables.h"
#include "layout/template.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TILES 2000
#define MAX_GROUP_DEPTH 4
#define MAX_PAGES 64

/* A named area of a grid: "map" covering columns 1..3 of rows 0..1. */
struct area {
	char *name; // owned
	int column, row, columns, rows;
};

/* Where a list of tiles is placed: the grid of the canvas, or of a group. */
struct frame {
	struct rect area;    // the grid's extent in virtual units
	int columns, rows;
	double gap;
	struct area *areas;  // owned by whoever made the frame
	size_t area_count;
	const char *pointer; // borrowed: the grid's JSON path, for messages
};

struct reader {
	struct parse_ctx *ctx;                     // borrowed
	const struct widget_spec *const *widgets;  // borrowed
	struct layout *layout;                     // borrowed: tiles are appended here
	const cJSON *templates;                    // borrowed; may be NULL
	const cJSON *params;                       // borrowed: the layout's "params"; may be NULL
	size_t capacity;                           // of layout->tiles
	struct template_budget budget;             // what templates made so far
	bool over_budget;                          // a cap was passed (and reported)
};

static bool read_tile_list(struct reader *r, const cJSON *list, const char *pointer,
			   const struct frame *frame, long parent, int page, int depth);

/* ---- templates ---- */

/* A parameter missing from "with" (template_expand's callback). */
struct missing_report {
	struct reader *r;    // borrowed
	const char *pointer; // borrowed: the tile
	bool ok;
	bool plain;          // a tile without a template: only the layout's "params" fill it
};

static void report_missing(void *ctx, const char *name)
{
	struct missing_report *m = ctx;
	if (m->plain) {
		parse_error(m->r->ctx, m->pointer, false,
			    "parameter \"%s\" is not given in the layout's \"params\"", name);
	} else {
		parse_error(m->r->ctx, m->pointer, false,
			    "template parameter \"%s\" is not given in \"with\"", name);
	}
	m->ok = false;
}

/* The first cap passed is reported; tiles after it are not expanded (no follow-up errors). */
static void report_over_budget(struct reader *r, enum template_result result,
			       const char *pointer)
{
	if (result == TEMPLATE_TOO_MANY) {
		parse_error(r->ctx, pointer, false,
			    "templates make more than %zu substitutions in this layout",
			    TEMPLATE_MAX_SUBSTITUTIONS);
	} else {
		parse_error(r->ctx, pointer, false,
			    "templates expand to more than %zu MiB (%zu bytes) in this layout",
			    TEMPLATE_MAX_OUTPUT >> 20, TEMPLATE_MAX_OUTPUT);
	}
	r->over_budget = true;
}

/*
 * A string that is one "${name}" and nothing else, of a parameter that is a number, becomes
 * that number: "target": "${target}" is a number option, not text.
 */
static bool substitute_number(cJSON *node, const cJSON *with)
{
	const char *s = node->valuestring;
	size_t n = strlen(s);
	if (n < 4 || s[0] != '$' || s[1] != '{' || s[n - 1] != '}' || strchr(s + 2, '}') != s + n - 1) {
		return false;
	}
	char *name = xstrndup(s + 2, n - 3);
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(with, name);
	free(name);
	if (!cJSON_IsNumber(value)) {
		return false;
	}
	cJSON_free(node->valuestring);
	node->valuestring = NULL;
	node->type = cJSON_Number;
	cJSON_SetNumberValue(node, value->valuedouble);
	return true;
}

/* Replaces every "${name}" in the string values of `node` with the parameter from `with`. */
static bool substitute(struct reader *r, cJSON *node, const cJSON *with, const char *pointer)
{
	bool ok = true;
	for (cJSON *child = node->child; child && !r->over_budget; child = child->next) {
		ok &= substitute(r, child, with, pointer);
	}
	if (r->over_budget) {
		return false;
	}
	if (!cJSON_IsString(node) || !strstr(node->valuestring, "${")) {
		return ok;
	}
	if (substitute_number(node, with)) {
		return ok;
	}
	struct missing_report missing = {r, pointer, true, with == r->params};
	char *out;
	enum template_result result = template_expand(node->valuestring, with, &r->budget,
						      report_missing, &missing, &out);
	if (result != TEMPLATE_OK) {
		report_over_budget(r, result, pointer);
		return false;
	}
	cJSON_SetValuestring(node, out);
	free(out);
	return ok && missing.ok;
}

static void unknown_template(struct reader *r, const char *name, const char *pointer)
{
	size_t count = (size_t)cJSON_GetArraySize(r->templates);
	const char **names = xcalloc(count + 1, sizeof(*names));
	size_t n = 0;
	for (const cJSON *t = r->templates ? r->templates->child : NULL; t; t = t->next) {
		names[n++] = t->string;
	}
	const char *suggestion = str_closest(name, names, sizeof(*names), n);
	if (suggestion) {
		parse_error(r->ctx, pointer, false, "unknown template \"%s\" (did you mean \"%s\"?)",
			    name, suggestion);
	} else {
		parse_error(r->ctx, pointer, false, "unknown template \"%s\"", name);
	}
	free(names);
}

/* The parameters of a tile: its "with", then the layout's "params" (a new object). */
static cJSON *tile_params(const struct reader *r, const cJSON *with)
{
	cJSON *out = cJSON_IsObject(r->params) ? cJSON_Duplicate(r->params, true)
					       : cJSON_CreateObject();
	for (const cJSON *item = cJSON_IsObject(with) ? with->child : NULL; item; item = item->next) {
		cJSON_DeleteItemFromObjectCaseSensitive(out, item->string);
		cJSON_AddItemToObject(out, item->string, cJSON_Duplicate(item, true));
	}
	return out;
}

/* Whether any string in `node` has a "${". */
static bool has_parameter(const cJSON *node)
{
	if (cJSON_IsString(node)) {
		return strstr(node->valuestring, "${") != NULL;
	}
	for (const cJSON *child = node->child; child; child = child->next) {
		if (has_parameter(child)) {
			return true;
		}
	}
	return false;
}

/* A tile without a template, in a layout with "params": a copy with them filled in. */
static const cJSON *expand_params(struct reader *r, const cJSON *node, const char *pointer,
				  cJSON **owned, bool *ok)
{
	if (!cJSON_IsObject(r->params) || !has_parameter(node)) {
		return node;
	}
	*owned = cJSON_Duplicate(node, true);
	*ok &= substitute(r, *owned, r->params, pointer);
	return *owned;
}

/*
 * The tile as the validator should see it: without "template", the node itself (borrowed,
 * *owned NULL) or, when the layout has "params" and the tile names one, a copy with them
 * filled in; with a template, a new object (*owned) holding the template's keys with
 * parameters ("with", then the layout's "params") filled in, overridden by the tile's keys.
 */
static const cJSON *expand_template(struct reader *r, const cJSON *node, const char *pointer,
				    cJSON **owned, bool *ok)
{
	*owned = NULL;
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(node, "template");
	if (!name) {
		return expand_params(r, node, pointer, owned, ok);
	}
	char *p = pointer_join(pointer, "template");
	const cJSON *template = cJSON_IsString(name) && r->templates
					? cJSON_GetObjectItemCaseSensitive(r->templates,
									   name->valuestring)
					: NULL;
	if (!cJSON_IsString(name)) {
		parse_error(r->ctx, p, false, "must be the name of a template");
	} else if (!cJSON_IsObject(template)) {
		unknown_template(r, name->valuestring, p);
	}
	free(p);
	if (!cJSON_IsObject(template)) {
		*ok = false;
		return node;
	}
	/* Charged before the copy is made: a cap must stop the memory, not only report it. */
	size_t size = r->over_budget ? 0 : template_size(template);
	if (!r->over_budget && size > TEMPLATE_MAX_OUTPUT - r->budget.output) {
		report_over_budget(r, TEMPLATE_TOO_LONG, pointer);
	}
	if (r->over_budget) {
		*ok = false;
		return node;
	}
	r->budget.output += size;
	cJSON *merged = cJSON_Duplicate(template, true);
	cJSON *with = tile_params(r, cJSON_GetObjectItemCaseSensitive(node, "with"));
	*ok &= substitute(r, merged, with, pointer);
	cJSON_Delete(with);
	for (const cJSON *item = node->child; item; item = item->next) {
		if (strcmp(item->string, "template") == 0 || strcmp(item->string, "with") == 0) {
			continue;
		}
		cJSON_DeleteItemFromObjectCaseSensitive(merged, item->string);
		cJSON_AddItemToObject(merged, item->string, cJSON_Duplicate(item, true));
	}
	*owned = merged;
	return merged;
}

/* ---- placement ---- */

static void frame_free_areas(struct frame *frame)
{
	for (size_t i = 0; i < frame->area_count; i++) {
		free(frame->areas[i].name);
	}
	free(frame->areas);
	frame->areas = NULL;
	frame->area_count = 0;
}

static struct area *find_area(const struct frame *frame, const char *name)
{
	for (size_t i = 0; i < frame->area_count; i++) {
		if (strcmp(frame->areas[i].name, name) == 0) {
			return &frame->areas[i];
		}
	}
	return NULL;
}

/* Grows `a` to cover the cell (column, row). */
static void area_include(struct area *a, int column, int row)
{
	int right = a->column + a->columns, bottom = a->row + a->rows;
	a->column = column < a->column ? column : a->column;
	a->row = row < a->row ? row : a->row;
	right = column + 1 > right ? column + 1 : right;
	bottom = row + 1 > bottom ? row + 1 : bottom;
	a->columns = right - a->column;
	a->rows = bottom - a->row;
}

static bool read_area_row(struct parse_ctx *ctx, const char *text, int row, const char *pointer,
			  struct frame *frame, char ***cells)
{
	int column = 0;
	const char *s = text;
	while (*s) {
		while (*s == ' ') {
			s++;
		}
		if (!*s) {
			break;
		}
		size_t len = strcspn(s, " ");
		if (column < frame->columns) {
			cells[row][column] = xstrndup(s, len);
		}
		column++;
		s += len;
	}
	if (column != frame->columns) {
		parse_error(ctx, pointer, false, "row %d names %d cells, the grid has %d columns",
			    row, column, frame->columns);
		return false;
	}
	return true;
}

/* Builds the named areas from the cell names; each name must cover a rectangle. */
static bool collect_areas(struct parse_ctx *ctx, const char *pointer, struct frame *frame,
			  char ***cells)
{
	bool ok = true;
	for (int row = 0; row < frame->rows; row++) {
		for (int column = 0; column < frame->columns; column++) {
			const char *name = cells[row][column];
			if (!name || strcmp(name, ".") == 0) {
				continue;
			}
			struct area *a = find_area(frame, name);
			if (!a) {
				a = &frame->areas[frame->area_count++];
				*a = (struct area){xstrdup(name), column, row, 1, 1};
			}
			area_include(a, column, row);
		}
	}
	for (size_t i = 0; i < frame->area_count; i++) {
		const struct area *a = &frame->areas[i];
		for (int row = a->row; row < a->row + a->rows; row++) {
			for (int column = a->column; column < a->column + a->columns; column++) {
				const char *name = cells[row][column];
				if (ok && (!name || strcmp(name, a->name) != 0)) {
					parse_error(ctx, pointer, false,
						    "area \"%s\" is not a rectangle", a->name);
					ok = false;
				}
			}
		}
	}
	return ok;
}

/* Reads "areas": ["title title clock", "map map kpis", ...] (CSS grid-template-areas). */
static bool read_areas(struct parse_ctx *ctx, const cJSON *areas, const char *pointer,
		       struct frame *frame)
{
	if (!areas) {
		return true;
	}
	if (!cJSON_IsArray(areas) || cJSON_GetArraySize(areas) != frame->rows) {
		parse_error(ctx, pointer, false,
			    "must be an array of %d strings, one per grid row, naming each cell",
			    frame->rows);
		return false;
	}
	char ***cells = xcalloc((size_t)frame->rows, sizeof(*cells));
	frame->areas = xcalloc((size_t)(frame->rows * frame->columns), sizeof(*frame->areas));
	bool ok = true;
	int row = 0;
	for (const cJSON *line = areas->child; line; line = line->next, row++) {
		cells[row] = xcalloc((size_t)frame->columns, sizeof(**cells));
		char *p = pointer_index(pointer, (size_t)row);
		if (!cJSON_IsString(line)) {
			parse_error(ctx, p, false, "must be a string of cell names");
			ok = false;
		} else {
			ok &= read_area_row(ctx, line->valuestring, row, p, frame, cells);
		}
		free(p);
	}
	ok = ok && collect_areas(ctx, pointer, frame, cells);
	for (row = 0; row < frame->rows; row++) {
		for (int column = 0; cells[row] && column < frame->columns; column++) {
			free(cells[row][column]);
		}
		free(cells[row]);
	}
	free(cells);
	return ok;
}

static struct rect cell_rect(const struct frame *f, int column, int row, int columns, int rows)
{
	double cell_w = (f->area.w - (f->columns - 1) * f->gap) / f->columns;
	double cell_h = (f->area.h - (f->rows - 1) * f->gap) / f->rows;
	return (struct rect){
		.x = f->area.x + column * (cell_w + f->gap),
		.y = f->area.y + row * (cell_h + f->gap),
		.w = columns * cell_w + (columns - 1) * f->gap,
		.h = rows * cell_h + (rows - 1) * f->gap,
	};
}

/* Places the tile by "area", or by "cell" and "span"; checks it lies inside the grid. */
static bool place(struct reader *r, const struct option_set *common, const struct frame *frame,
		  struct tile *tile)
{
	const char *area_name = option_text(common, "area");
	const struct option_value *cell = option_get(common, "cell");
	const struct option_value *span = option_get(common, "span");
	if (area_name) {
		const struct area *a = find_area(frame, area_name);
		if (!a) {
			char *p = pointer_join(tile->pointer, "area");
			parse_error(r->ctx, p, false, "the grid (%s) has no area \"%s\"",
				    frame->pointer, area_name);
			free(p);
			return false;
		}
		tile->column = a->column, tile->row = a->row;
		tile->column_span = a->columns, tile->row_span = a->rows;
	} else if (!cell->set) {
		parse_error(r->ctx, tile->pointer, false, "needs \"cell\" or \"area\" to be placed");
		return false;
	} else {
		tile->column = cell->pair[0], tile->row = cell->pair[1];
		tile->column_span = span->pair[0], tile->row_span = span->pair[1];
	}
	if (tile->column + tile->column_span > frame->columns ||
	    tile->row + tile->row_span > frame->rows) {
		char *p = pointer_join(tile->pointer, "cell");
		parse_error(r->ctx, p, false,
			    "tile at [%d, %d] spanning [%d, %d] does not fit the %d x %d grid",
			    tile->column, tile->row, tile->column_span, tile->row_span,
			    frame->columns, frame->rows);
		free(p);
		return false;
	}
	tile->rect = cell_rect(frame, tile->column, tile->row, tile->column_span, tile->row_span);
	return true;
}

/* ---- one tile ---- */

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
		char err[256];
		if (sources_resolve_binding(ctx, layout, text, pointer, &b->source, &b->path) &&
		    (b->compiled = path_compile(b->path, err, sizeof(err)))) {
			tile->binding_count++;
		} else {
			free(b->path);
			b->path = NULL;
			ok = false;
		}
		free(pointer);
	}
	return ok;
}

static struct tile *append_tile(struct reader *r)
{
	struct layout *l = r->layout;
	if (l->tile_count == r->capacity) {
		r->capacity = r->capacity ? r->capacity * 2 : 32;
		l->tiles = xrealloc(l->tiles, r->capacity * sizeof(*l->tiles));
	}
	struct tile *tile = &l->tiles[l->tile_count++];
	memset(tile, 0, sizeof(*tile));
	return tile;
}

static const struct widget_spec *tile_widget(struct reader *r, const cJSON *node,
					     const char *pointer)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(node, "widget");
	if (!cJSON_IsString(name)) {
		return NULL; /* reported by the validator: missing or not a string */
	}
	const struct widget_spec *widget = find_widget(r->widgets, name->valuestring);
	if (!widget) {
		char *p = pointer_join(pointer, "widget");
		unknown_widget(r->ctx, r->widgets, name->valuestring, p);
		free(p);
	}
	return widget;
}

/* A group's own grid: its content area below the title band, split into cells. */
static bool read_group(struct reader *r, const cJSON *node, size_t index, int page, int depth)
{
	struct tile *group = &r->layout->tiles[index];
	char *grid_pointer = pointer_join(group->pointer, "grid");
	struct option_set set = {0};
	const cJSON *grid = cJSON_GetObjectItemCaseSensitive(node, "grid");
	cJSON *empty = grid ? NULL : cJSON_CreateObject();
	const struct option_spec *tables[] = {layout_group_grid_options};
	bool ok = options_read(r->ctx, grid ? grid : empty, grid_pointer, tables, &set, 1);
	double padding = option_number(&set, "padding");
	const char *title = option_text(&group->options, "title");
	double band = title && title[0] ? group_title_band(&group->rect) : 0;
	struct frame frame = {
		.area = {group->rect.x + padding, group->rect.y + band + padding,
			 group->rect.w - 2 * padding, group->rect.h - band - 2 * padding},
		.columns = (int)option_number(&set, "columns"),
		.rows = (int)option_number(&set, "rows"),
		.gap = option_number(&set, "gap"),
		.pointer = grid_pointer,
	};
	if (ok && (frame.area.w < frame.columns || frame.area.h < frame.rows)) {
		parse_error(r->ctx, grid_pointer, false, "the group is too small for its grid");
		ok = false;
	}
	char *areas_pointer = pointer_join(grid_pointer, "areas");
	ok = ok && read_areas(r->ctx, cJSON_GetObjectItemCaseSensitive(grid, "areas"),
			      areas_pointer, &frame);
	free(areas_pointer);
	const cJSON *children = cJSON_GetObjectItemCaseSensitive(node, "tiles");
	char *children_pointer = pointer_join(group->pointer, "tiles");
	if (ok && children) {
		ok = read_tile_list(r, children, children_pointer, &frame, (long)index, page,
				    depth + 1);
	}
	free(children_pointer);
	frame_free_areas(&frame);
	option_set_finish(&set);
	cJSON_Delete(empty);
	free(grid_pointer);
	return ok;
}

static char *text_or_null(const struct option_set *set, const char *key)
{
	const char *text = option_text(set, key);
	return text ? xstrdup(text) : NULL;
}

static void read_detail(const struct option_set *tile_set, struct tile_detail *detail)
{
	const struct option_set *set = option_object(tile_set, "detail");
	if (!set) {
		return;
	}
	detail->department = text_or_null(set, "department");
	detail->contact = text_or_null(set, "contact");
	detail->definition = text_or_null(set, "definition");
}

static bool read_tile(struct reader *r, const cJSON *node, const char *pointer,
		      const struct frame *frame, long parent, int page, int depth)
{
	struct tile *tile = append_tile(r);
	size_t index = r->layout->tile_count - 1;
	tile->pointer = xstrdup(pointer);
	tile->parent = parent;
	tile->page = page;
	tile->widget = tile_widget(r, node, pointer);
	static const struct option_spec no_options[] = {{0}};
	const struct option_spec *tables[] = {
		layout_tile_options,
		tile->widget ? tile->widget->options : no_options,
	};
	struct option_set sets[2] = {{0}};
	bool ok = options_read(r->ctx, node, pointer, tables, sets, tile->widget ? 2 : 1);
	ok &= tile->widget != NULL;
	const char *id = option_text(&sets[0], "id");
	tile->id = id ? xstrdup(id) : xasprintf("tile-%zu", index);
	ok = ok && place(r, &sets[0], frame, tile);
	read_detail(&sets[0], &tile->detail);
	option_set_finish(&sets[0]);
	tile->options = sets[1];
	ok = ok && resolve_bindings(r->ctx, r->layout, tile);
	ok = ok && nearest_read(r->ctx, r->layout, node, tile);
	ok = ok && (!tile->widget->check || tile->widget->check(r->ctx, r->layout, tile));
	bool group = tile->widget && strcmp(tile->widget->name, "group") == 0;
	if (ok && group) {
		if (depth >= MAX_GROUP_DEPTH) {
			parse_error(r->ctx, pointer, false, "groups nest at most %d deep",
				    MAX_GROUP_DEPTH);
			return false;
		}
		ok = read_group(r, node, index, page, depth);
	}
	return ok;
}

/* ---- lists, overlap, pages ---- */

static bool tiles_overlap(const struct tile *a, const struct tile *b)
{
	bool same_view = a->page < 0 || b->page < 0 || a->page == b->page;
	return same_view && a->parent == b->parent && a->column < b->column + b->column_span &&
	       b->column < a->column + a->column_span && a->row < b->row + b->row_span &&
	       b->row < a->row + a->row_span;
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

static bool read_tile_list(struct reader *r, const cJSON *list, const char *pointer,
			   const struct frame *frame, long parent, int page, int depth)
{
	if (!cJSON_IsArray(list) ||
	    r->layout->tile_count + (size_t)cJSON_GetArraySize(list) > MAX_TILES) {
		parse_error(r->ctx, pointer, false, "must be an array of tiles (at most %d in all)",
			    MAX_TILES);
		return false;
	}
	bool ok = true;
	size_t i = 0;
	for (const cJSON *node = list->child; node; node = node->next, i++) {
		char *p = pointer_index(pointer, i);
		cJSON *owned;
		bool expanded = true;
		const cJSON *tile = expand_template(r, node, p, &owned, &expanded);
		ok &= expanded;
		/* Keys that came from a template are found, for their line, in the template. */
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(node, "template");
		char *alias = owned && cJSON_IsString(name)
				      ? pointer_join("/templates", name->valuestring)
				      : NULL;
		r->ctx->alias_from = alias ? p : NULL;
		r->ctx->alias_to = alias;
		/* A tile whose template could not be applied would only add follow-up errors. */
		if (expanded) {
			ok &= read_tile(r, tile, p, frame, parent, page, depth);
		}
		r->ctx->alias_from = r->ctx->alias_to = NULL;
		free(alias);
		cJSON_Delete(owned);
		free(p);
	}
	return ok;
}

/*
 * Reads "pages" into layout->pages, which must still be empty: the layout owns each page from
 * the moment it is counted, so a rejected list leaves nothing behind to be freed twice.
 */
static bool read_pages(struct reader *r, const cJSON *pages, const struct frame *frame)
{
	struct layout *l = r->layout;
	if (!cJSON_IsArray(pages)) {
		parse_error(r->ctx, "/pages", false, "must be an array of 1 to %d pages, got %s",
			    MAX_PAGES, json_type_name(pages));
		return false;
	}
	int count = cJSON_GetArraySize(pages);
	if (count < 1 || count > MAX_PAGES) {
		parse_error(r->ctx, "/pages", false, "must be an array of 1 to %d pages, got %d",
			    MAX_PAGES, count);
		return false;
	}
	l->pages = xcalloc((size_t)count, sizeof(*l->pages));
	bool ok = true;
	int index = 0;
	for (const cJSON *node = pages->child; node; node = node->next, index++) {
		char *p = pointer_index("/pages", (size_t)index);
		struct option_set set = {0};
		const struct option_spec *tables[] = {layout_page_options};
		bool page_ok = options_read(r->ctx, node, p, tables, &set, 1);
		const char *id = option_text(&set, "id");
		const char *title = option_text(&set, "title");
		l->pages[index] = (struct page){
			.id = id ? xstrdup(id) : xasprintf("page-%d", index),
			.title = title ? xstrdup(title) : NULL,
			.duration = option_number(&set, "duration"),
			.rotates = true,
		};
		l->page_count = (size_t)index + 1;
		option_set_finish(&set);
		char *tiles_pointer = pointer_join(p, "tiles");
		const cJSON *tiles = cJSON_GetObjectItemCaseSensitive(node, "tiles");
		ok &= page_ok && read_tile_list(r, tiles, tiles_pointer, frame, -1, index, 0);
		free(tiles_pointer);
		free(p);
	}
	return ok;
}

bool tiles_read(struct parse_ctx *ctx, const cJSON *root, const cJSON *templates,
		const struct widget_spec *const *widgets, struct layout *layout)
{
	struct reader r = {.ctx = ctx, .widgets = widgets, .layout = layout,
			   .templates = templates,
			   .params = cJSON_GetObjectItemCaseSensitive(root, "params")};
	const struct grid *g = &layout->grid;
	/* The strip's band is the bottom margin, there failing feeds or not, so the board never
	 * moves when the strip appears; a margin too narrow for a line leaves none. */
	bool band = layout->status_strip != STATUS_STRIP_NEVER && g->margin >= LAYOUT_STATUS_BAND_MIN;
	layout->status_band = band ? g->margin : 0;
	struct frame frame = {
		.area = {g->margin, g->margin, layout->width - 2 * g->margin,
			 layout->height - 2 * g->margin},
		.columns = g->columns,
		.rows = g->rows,
		.gap = g->gap,
		.pointer = "/grid",
	};
	const cJSON *grid = cJSON_GetObjectItemCaseSensitive(root, "grid");
	bool ok = read_areas(ctx, cJSON_GetObjectItemCaseSensitive(grid, "areas"), "/grid/areas",
			     &frame);
	layout->areas = xcalloc(frame.area_count + 1, sizeof(*layout->areas));
	for (size_t i = 0; i < frame.area_count; i++) {
		const struct area *a = &frame.areas[i];
		layout->areas[layout->area_count++] = (struct layout_area){
			xstrdup(a->name), cell_rect(&frame, a->column, a->row, a->columns, a->rows)};
	}
	const cJSON *tiles = cJSON_GetObjectItemCaseSensitive(root, "tiles");
	const cJSON *pages = cJSON_GetObjectItemCaseSensitive(root, "pages");
	if (!pages) {
		/* Without "pages" there is one page; with them, read_pages makes every page. */
		layout->pages = xcalloc(1, sizeof(*layout->pages));
		layout->pages[0] = (struct page){.id = xstrdup("main"), .duration = 0,
							 .rotates = true};
		layout->page_count = 1;
	}
	if (!tiles && !pages) {
		parse_error(ctx, "", false, "missing required key \"tiles\" (or \"pages\")");
		ok = false;
	}
	if (ok && tiles) {
		ok = read_tile_list(&r, tiles, "/tiles", &frame, -1, pages ? -1 : 0, 0);
	}
	if (ok && pages) {
		ok = read_pages(&r, pages, &frame);
	}
	frame_free_areas(&frame);
	return ok && check_tiles_apart(ctx, layout);
}
