/*
 * table: records of the feed as rows under chosen columns — e.g. citizen feedback by channel
 * (민주주의서울, website, SNS, 120 Dasan Call) with received, in progress, done and average
 * days. Columns are declared in the layout as an option list (OPT_OBJECT_LIST), so the
 * generic validator checks every column's keys; the widget never sees JSON.
 *
 * Bounded work: at most TABLE_MAX_RECORDS records are read (sorted, formatted) per snapshot,
 * and each cell keeps at most CELL_MAX_BYTES of text. Rows that do not fit the tile collapse
 * into a "+N more" line. Everything is formatted at bind time, so drawing only lays out.
 *
 * With `time_field` every record carries its own time (the air feed's MSRDT per district): a
 * row as old as its source's max_age is drawn stale — greyed, its state colours desaturated,
 * its time beside it ("14:02 기준") — while the other rows stay as they are. The widget's
 * deadline is the moment the next row turns stale, so nothing is checked per frame.
 */

#include "widgets/widget.h"

#include "layout/options.h"
#include "layout/scales.h"
#include "model/path.h"
#include "render/draw.h"
#include "render/format.h"
#include "util/log.h"
#include "util/datatime.h"
#include "util/strutil.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"
#include "widgets/record_time.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_MAX_RECORDS 1000
#define TABLE_MAX_COLUMNS 16
#define CELL_MAX_BYTES 256

enum format { FORMAT_AUTO, FORMAT_NUMBER, FORMAT_PERCENT, FORMAT_TEXT, FORMAT_TIME };
enum align { ALIGN_AUTO, ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };
enum order { ORDER_DESCENDING, ORDER_ASCENDING };

static const char *const format_choices[] = {
	[FORMAT_AUTO] = "auto", [FORMAT_NUMBER] = "number", [FORMAT_PERCENT] = "percent",
	[FORMAT_TEXT] = "text", [FORMAT_TIME] = "time", NULL,
};
static const char *const align_choices[] = {
	[ALIGN_AUTO] = "auto", [ALIGN_LEFT] = "left", [ALIGN_CENTER] = "center",
	[ALIGN_RIGHT] = "right", NULL,
};
static const char *const order_choices[] = {
	[ORDER_DESCENDING] = "descending", [ORDER_ASCENDING] = "ascending", NULL,
};

/* One column's options, filled once at create (options_fill); texts borrowed from the tile. */
struct column_opts {
	const char *field;
	const char *title;
	int format; // enum format
	int decimals;
	const char *unit;
	int align; // enum align
	double width;
	const struct thresholds *thresholds;
};

/* The tile's own options, filled likewise. */
struct table_opts {
	const char *title;
	struct option_list columns; // filled into table_widget.columns
	const char *sort;
	int order; // enum order
	int max_rows;
	bool header;
	bool zebra;
	const char *more_label;
	const char *empty_text;
	const char *nodata_text;
	const char *invalid_text;
	const char *time_field;
};

static const struct option_spec column_options[] = {
	{.key = "field", OPT_FIELD(OPT_STRING, struct column_opts, field), .required = true,
	 .help = "member of each record (a path such as \"counts/done\"; \"@key\": the record's key)"},
	{.key = "title", OPT_FIELD(OPT_STRING, struct column_opts, title), .default_text = "",
	 .help = "column heading; default: the field"},
	{.key = "format", OPT_FIELD(OPT_ENUM, struct column_opts, format),
	 .choices = format_choices, .default_text = "auto",
	 .help = "auto: numbers as numbers, text as text; percent appends %; time: a time as "
		 "\"11/25 08:57\" in Seoul"},
	{.key = "decimals", OPT_FIELD(OPT_INT, struct column_opts, decimals), OPT_RANGE(-1, 6),
	 .default_number = -1,
	 .help = "digits after the point; -1: none for whole numbers, else one"},
	{.key = "unit", OPT_FIELD(OPT_STRING, struct column_opts, unit), .default_text = "",
	 .help = "text after numbers"},
	{.key = "align", OPT_FIELD(OPT_ENUM, struct column_opts, align), .choices = align_choices,
	 .default_text = "auto", .help = "auto: numbers right, text left"},
	{.key = "width", OPT_FIELD(OPT_NUMBER, struct column_opts, width), OPT_RANGE(0.1, 100),
	 .default_number = 1, .help = "share of the table's width, relative to the other columns"},
	{.key = "thresholds", OPT_FIELD(OPT_THRESHOLDS, struct column_opts, thresholds),
	 .help = "per-cell state colours: [{\"from\": 0, \"state\": \"good\"}, ...]"},
	{0},
};

static const struct option_spec table_options[] = {
	{.key = "title", OPT_FIELD(OPT_STRING, struct table_opts, title), .default_text = "",
	 .help = "heading above the table"},
	{.key = "rows", .type = OPT_BINDING, .required = true,
	 .help = "path of an array (or object) of records"},
	{.key = "columns", OPT_FIELD(OPT_OBJECT_LIST, struct table_opts, columns),
	 OPT_RANGE(1, TABLE_MAX_COLUMNS),
	 .fields = column_options, .required = true, .help = "the columns, left to right"},
	{.key = "sort", OPT_FIELD(OPT_STRING, struct table_opts, sort), .default_text = "",
	 .help = "field to sort the records by; empty: feed order"},
	{.key = "order", OPT_FIELD(OPT_ENUM, struct table_opts, order), .choices = order_choices,
	 .default_text = "descending", .help = "sort direction"},
	{.key = "max_rows", OPT_FIELD(OPT_INT, struct table_opts, max_rows), OPT_RANGE(0, 100),
	 .default_number = 0,
	 .help = "rows shown at most; 0: as many as fit; the rest is counted as \"+N more\""},
	{.key = "header", OPT_FIELD(OPT_BOOL, struct table_opts, header), .default_number = 1,
	 .help = "draw the heading row"},
	{.key = "zebra", OPT_FIELD(OPT_BOOL, struct table_opts, zebra), .default_number = 1,
	 .help = "shade every other row"},
	{.key = "more_label", OPT_FIELD(OPT_STRING, struct table_opts, more_label),
	 .default_text = "more", .help = "text after the count of rows not shown: \"+12 more\""},
	{.key = "empty_text", OPT_FIELD(OPT_STRING, struct table_opts, empty_text),
	 .default_text = "항목 없음 · no rows", .help = "shown for an empty list"},
	{.key = "nodata_text", OPT_FIELD(OPT_STRING, struct table_opts, nodata_text),
	 .default_text = "데이터 없음", .help = "shown when the records are missing"},
	{.key = "invalid_text", OPT_FIELD(OPT_STRING, struct table_opts, invalid_text),
	 .default_text = "잘못된 데이터 · invalid data", .help = "shown when the records are not a list"},
	{.key = "time_field", OPT_FIELD(OPT_STRING, struct table_opts, time_field),
	 .default_text = "",
	 .help = "member of each record with its own time (e.g. \"MSRDT\"): a row as old as its "
		 "source's max_age is drawn stale; empty: none"},
	{0},
};

enum data_kind { DATA_NONE, DATA_INVALID, DATA_OK };

struct cell {
	char *text;       // owned: as drawn; NULL: missing or invalid, drawn as "—"
	enum state state; // from the column's thresholds; STATE_NORMAL without
	const struct threshold *step; // borrowed from the layout: the state's step, or NULL
};

struct table_data {
	enum data_kind kind;
	struct cell *cells; // owned: row_count * column_count, row-major
	size_t row_count;   // records read (at most TABLE_MAX_RECORDS), in display order
	size_t total;       // records in the feed: what "+N more" counts against
	double *times;      // owned: per row, its own time (epoch s); NAN: none. NULL: no time_field
	bool numeric[TABLE_MAX_COLUMNS]; // column holds numbers: aligned right by "auto"
};

struct table_widget {
	const struct tile *tile;         // borrowed
	struct table_opts o;
	struct column_opts columns[TABLE_MAX_COLUMNS];
	size_t column_count;
	char log_key[160];
	char time_log_key[168]; // the records' times are logged apart from their cells
	double max_age;         // of the source the rows come from; INFINITY: unknown
	struct table_data data;
};

/* ---- reading records ---- */

struct record {
	const struct value *value; // borrowed from the snapshot, during bind only
	const char *key;           // the member's key for objects; NULL for arrays
	size_t index;              // position in the feed, for stable sorting
	const struct value *sort;  // the sort field's value, or NULL
	int direction;             // 1 ascending, -1 descending
	char index_text[24];
};

static const struct value *field_of(const struct record *rec, const char *field)
{
	if (strcmp(field, "@key") == 0) {
		return NULL; // not a member: make_cell() writes the key itself
	}
	if (!rec->value || rec->value->kind != VALUE_OBJECT) {
		return NULL;
	}
	return path_lookup(rec->value, field);
}

/* Sort rank: numbers (also in strings) before text before missing. */
static int sort_rank(const struct value *v, double *number, const char **text)
{
	if (v && value_number(v, number)) {
		return 0;
	}
	*text = value_string(v);
	return *text ? 1 : 2;
}

/* Ties keep the feed's order (qsort is not stable, the index makes it so). */
static int compare_records(const void *pa, const void *pb)
{
	const struct record *a = pa, *b = pb;
	double na = 0, nb = 0;
	const char *sa = NULL, *sb = NULL;
	int rank_a = sort_rank(a->sort, &na, &sa), rank_b = sort_rank(b->sort, &nb, &sb);
	int c = 0;
	if (rank_a != rank_b) {
		return rank_a < rank_b ? -1 : 1; // missing values last in either direction
	}
	if (rank_a == 0) {
		c = na < nb ? -1 : na > nb ? 1 : 0;
	} else if (rank_a == 1) {
		c = strcmp(sa, sb);
	}
	if (c != 0) {
		return a->direction * c;
	}
	return a->index < b->index ? -1 : a->index > b->index ? 1 : 0;
}

/* The first TABLE_MAX_RECORDS records of an array or object, sorted as the options say. */
static struct record *collect_records(const struct table_widget *w, const struct value *list,
				      size_t *count)
{
	size_t total = list->kind == VALUE_ARRAY ? list->array.count : list->object.count;
	size_t n = total < TABLE_MAX_RECORDS ? total : TABLE_MAX_RECORDS;
	struct record *recs = xcalloc(n ? n : 1, sizeof(*recs));
	const char *sort = w->o.sort;
	bool descending = w->o.order == ORDER_DESCENDING;
	for (size_t i = 0; i < n; i++) {
		struct record *rec = &recs[i];
		rec->index = i;
		if (list->kind == VALUE_ARRAY) {
			rec->value = list->array.items[i];
		} else {
			rec->value = list->object.members[i].value;
			rec->key = list->object.members[i].key;
		}
		snprintf(rec->index_text, sizeof(rec->index_text), "%zu", i + 1);
		rec->sort = sort[0] ? field_of(rec, sort) : NULL;
		rec->direction = descending ? -1 : 1;
	}
	if (sort[0]) {
		qsort(recs, n, sizeof(*recs), compare_records);
	}
	*count = n;
	return recs;
}

static bool column_is_numeric(const struct column_opts *col)
{
	return col->format == FORMAT_NUMBER || col->format == FORMAT_PERCENT;
}

static char *number_text(const struct column_opts *col, double number)
{
	char buf[96];
	format_number(number, col->decimals, true, buf, sizeof(buf));
	const char *unit = col->unit;
	bool percent = col->format == FORMAT_PERCENT;
	return xasprintf("%s%s%s", buf, percent ? "%" : "", unit);
}

/* A time (the forms of a record's time_field) as "11/25 08:57" in Seoul; false: no time. */
static bool time_cell(const struct value *v, struct cell *out)
{
	static const char zone[] = "Asia/Seoul";
	struct tm tm;
	double t;
	bool read = v && ((v->kind == VALUE_STRING &&
			   datatime_parse_text(v->string.text, NULL, zone, &t)) ||
			  (v->kind == VALUE_NUMBER && datatime_parse_number(v->number, NULL, zone, &t)));
	if (!read || !time_in_zone(t, zone, &tm)) {
		return false;
	}
	out->text = xasprintf("%02d/%02d %02d:%02d", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			      tm.tm_min);
	return true;
}

/*
 * Formats one cell; false when the value is missing or of the wrong type. *number says
 * whether it was shown as a number.
 */
static bool make_cell(const struct column_opts *col, const struct record *rec, struct cell *out,
		      bool *number_shown)
{
	const char *field = col->field;
	out->state = STATE_NORMAL;
	out->step = NULL;
	if (strcmp(field, "@key") == 0) {
		out->text = xstrdup(rec->key ? rec->key : rec->index_text);
		return true;
	}
	const struct value *v = field_of(rec, field);
	double number;
	if (col->format == FORMAT_TIME) {
		return time_cell(v, out);
	}
	bool auto_number = col->format == FORMAT_AUTO && v &&
			   v->kind == VALUE_NUMBER;
	if (column_is_numeric(col) || auto_number) {
		if (!value_number(v, &number)) {
			return false;
		}
		out->text = number_text(col, number);
		*number_shown = true;
		const struct thresholds *t = col->thresholds;
		out->state = t ? thresholds_state(t, number) : STATE_NORMAL;
		out->step = thresholds_step(t, number);
		if (out->step && out->step->label[0]) {
			/* The scale's word beside its colour: "23.4 서행". */
			char *worded = xasprintf("%s %s", out->text, out->step->label);
			free(out->text);
			out->text = worded;
		}
		return true;
	}
	if (v && v->kind == VALUE_NUMBER && isfinite(v->number)) {
		/* A code or time as a number (a CSV column of 104800 or 1220003800): as written,
		 * without grouping, which would turn an id into an amount. */
		out->text = xasprintf("%.15g", v->number);
		return true;
	}
	const char *s = value_string(v);
	if (!s) {
		return false;
	}
	out->text = str_copy_capped(s, CELL_MAX_BYTES);
	return true;
}

static void data_finish(struct table_data *d, size_t columns)
{
	for (size_t i = 0; i < d->row_count * columns; i++) {
		free(d->cells[i].text);
	}
	free(d->cells);
	free(d->times);
	*d = (struct table_data){0};
}

/* Each row's own time, when the layout names a time_field; logs records without one. */
static void read_times(struct table_widget *w, const struct record *recs, size_t n,
		       struct table_data *out)
{
	const char *field = w->o.time_field;
	if (!field[0]) {
		return;
	}
	struct record_time_tally tally = {0};
	out->times = xcalloc(n ? n : 1, sizeof(*out->times));
	for (size_t r = 0; r < n; r++) {
		out->times[r] = record_time_read(recs[r].value, field, RECORD_TIME_ZONE,
						 recs[r].index + 1, &tally);
	}
	char what[160];
	snprintf(what, sizeof(what), "table %s", w->tile->id);
	record_time_report(&tally, w->time_log_key, what, "time_field", field);
}

/* Builds the rows of `list`; logs the first bad cell (once per tile and message). */
static void read_rows(struct table_widget *w, const struct value *list, struct table_data *out)
{
	size_t n;
	struct record *recs = collect_records(w, list, &n);
	out->kind = DATA_OK;
	out->total = list->kind == VALUE_ARRAY ? list->array.count : list->object.count;
	out->row_count = n;
	out->cells = xcalloc(n * w->column_count + 1, sizeof(*out->cells));
	size_t bad = 0, objects = 0;
	size_t numbers[TABLE_MAX_COLUMNS] = {0}, present[TABLE_MAX_COLUMNS] = {0};
	char first[200] = "";
	for (size_t r = 0; r < n; r++) {
		objects += recs[r].value && recs[r].value->kind == VALUE_OBJECT;
		for (size_t c = 0; c < w->column_count; c++) {
			const struct column_opts *col = &w->columns[c];
			bool number = false;
			if (make_cell(col, &recs[r], &out->cells[r * w->column_count + c], &number)) {
				present[c]++;
				numbers[c] += number;
			} else if (bad++ == 0) {
				snprintf(first, sizeof(first), "record %zu, field \"%s\"",
					 recs[r].index + 1, col->field);
			}
		}
	}
	for (size_t c = 0; c < w->column_count; c++) {
		out->numeric[c] = column_is_numeric(&w->columns[c]) ||
				  (present[c] > 0 && numbers[c] * 2 >= present[c]);
	}
	if (objects > 0) {
		read_times(w, recs, n, out); // not for a list of something else (below)
	}
	free(recs);
	if (n > 0 && objects == 0) {
		/* Not one record among them: a list of something else, which is bad data. */
		data_finish(out, w->column_count);
		out->kind = DATA_INVALID;
		log_once(LOG_WARN, w->log_key, "table %s: the rows hold no records", w->tile->id);
		return;
	}
	if (out->total > TABLE_MAX_RECORDS) {
		log_once(LOG_WARN, w->log_key, "table %s: %zu records; only the first %d are read",
			 w->tile->id, out->total, TABLE_MAX_RECORDS);
	} else if (bad) {
		log_once(LOG_WARN, w->log_key, "table %s: cells missing or of the wrong type (%s)",
			 w->tile->id, first);
	} else {
		log_once_clear(w->log_key);
	}
}

static bool data_equal(const struct table_data *a, const struct table_data *b, size_t columns)
{
	if (a->kind != b->kind || a->row_count != b->row_count || a->total != b->total ||
	    memcmp(a->numeric, b->numeric, sizeof(a->numeric)) != 0 ||
	    (a->times == NULL) != (b->times == NULL)) {
		return false;
	}
	for (size_t i = 0; a->times && i < a->row_count; i++) {
		if (a->times[i] != b->times[i] && !(isnan(a->times[i]) && isnan(b->times[i]))) {
			return false;
		}
	}
	for (size_t i = 0; i < a->row_count * columns; i++) {
		const struct cell *x = &a->cells[i], *y = &b->cells[i];
		if (x->state != y->state || (x->text == NULL) != (y->text == NULL) ||
		    (x->text && strcmp(x->text, y->text) != 0)) {
			return false;
		}
	}
	return true;
}

static bool table_bind(void *self, const struct binding_values *values)
{
	struct table_widget *w = self;
	const struct value *list = binding_current(values, "rows");
	if (list && list->kind == VALUE_NULL) {
		list = NULL; // null is how many feeds say "missing"
	}
	struct table_data next = {.kind = DATA_NONE};
	if (list && (list->kind == VALUE_ARRAY || list->kind == VALUE_OBJECT)) {
		read_rows(w, list, &next);
	} else if (list) {
		next.kind = DATA_INVALID;
		log_once(LOG_WARN, w->log_key, "table %s: rows must be an array or object, got %s",
			 w->tile->id, value_kind_name(list->kind));
	}
	double max_age = binding_max_age(values, "rows");
	bool changed = !data_equal(&w->data, &next, w->column_count) || max_age != w->max_age;
	w->max_age = max_age;
	data_finish(&w->data, w->column_count);
	w->data = next;
	return changed;
}

static void *table_create(const struct tile *tile)
{
	struct table_widget *w = xcalloc(1, sizeof(*w));
	w->tile = tile;
	options_fill(&tile->options, &w->o);
	w->column_count = w->o.columns.count; // at most TABLE_MAX_COLUMNS: the option's range
	for (size_t c = 0; c < w->column_count; c++) {
		options_fill(&w->o.columns.items[c], &w->columns[c]);
	}
	snprintf(w->log_key, sizeof(w->log_key), "widget:%s", tile->id);
	snprintf(w->time_log_key, sizeof(w->time_log_key), "widget:%s:times", tile->id);
	w->max_age = INFINITY;
	return w;
}

static void table_destroy(void *self)
{
	struct table_widget *w = self;
	if (!w) {
		return;
	}
	data_finish(&w->data, w->column_count);
	free(w);
}

/* ---- layout ---- */

struct table_geom {
	double pad;
	double title_size; // 0: no title
	double top;        // y of the header row (or the first row without one)
	double header_h;   // 0: no header
	double row_h;
	double font;
	size_t shown;      // data rows drawn
	size_t more;       // rows counted in the "+N more" line; 0: no such line
};

/*
 * Rows grow to fill the tile when there are few and shrink (to a readable minimum) when there
 * are many; what still does not fit is summed up in the last line.
 */
static struct table_geom table_layout(const struct table_widget *w, const struct rect *r)
{
	const struct table_opts *o = &w->o;
	struct table_geom g = {.pad = clampd(fmin(r->w, r->h) * 0.05, 6, 24)};
	const char *title = o->title;
	g.title_size = title[0] ? clampd(fmin(r->h * 0.08, r->w * 0.05), 11, 32) : 0;
	g.top = r->y + g.pad + (title[0] ? g.title_size * 1.5 : 0);
	double body = r->y + r->h - g.pad - g.top;
	size_t n = w->data.total;
	size_t limit = o->max_rows > 0 ? (size_t)o->max_rows : n;
	size_t want = n < limit ? n : limit;
	double header = o->header ? 0.9 : 0;
	double lines = (double)want + (n > want ? 1 : 0) + header;
	double row_max = fmin(56, r->w / 8);
	g.row_h = clampd(body / fmax(lines, 1), fmin(24, row_max), row_max);
	g.header_h = g.row_h * header;
	g.font = g.row_h * 0.46;
	double room = body - g.header_h;
	size_t capacity = room > 0 ? (size_t)floor(room / g.row_h + 1e-9) : 0;
	g.shown = want;
	if (want + (n > want ? 1 : 0) > capacity) {
		g.shown = capacity > 0 ? capacity - 1 : 0;
	}
	g.shown = g.shown < w->data.row_count ? g.shown : w->data.row_count;
	g.more = n - g.shown;
	if (capacity == 0) {
		g.more = 0; // not even the summary fits
	}
	return g;
}

/* Column edges: x[i]..x[i+1] for column i, by the columns' relative widths. */
static void column_edges(const struct table_widget *w, double left, double width, double *x)
{
	double sum = 0;
	for (size_t c = 0; c < w->column_count; c++) {
		sum += w->columns[c].width;
	}
	x[0] = left;
	for (size_t c = 0; c < w->column_count; c++) {
		x[c + 1] = x[c] + width * w->columns[c].width / sum;
	}
}

static enum text_align column_align(const struct column_opts *col, const struct table_data *d,
				    size_t c)
{
	switch (col->align) {
	case ALIGN_LEFT:
		return TEXT_ALIGN_LEFT;
	case ALIGN_RIGHT:
		return TEXT_ALIGN_RIGHT;
	case ALIGN_CENTER:
		return TEXT_ALIGN_CENTER;
	}
	return d->numeric[c] ? TEXT_ALIGN_RIGHT : TEXT_ALIGN_LEFT;
}

static struct color mix(struct color a, struct color b, double t)
{
	return (struct color){a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t,
			      a.a + (b.a - a.a) * t};
}

/* A horizontal line one device pixel thick, on the pixel grid whatever the scale. */
static void hairline(cairo_t *cr, double x0, double x1, double y, struct color c)
{
	double dx = x0, dy = y, ex = x1, ey = y;
	cairo_user_to_device(cr, &dx, &dy);
	cairo_user_to_device(cr, &ex, &ey);
	cairo_save(cr);
	cairo_identity_matrix(cr);
	cairo_rectangle(cr, round(dx), floor(dy), round(ex) - round(dx), 1);
	draw_set_color(cr, c);
	cairo_fill(cr);
	cairo_restore(cr);
}

/* ---- drawing ---- */

static double text_x(enum text_align align, double x0, double x1, double inset)
{
	return align == TEXT_ALIGN_LEFT ? x0 + inset : align == TEXT_ALIGN_RIGHT ? x1 - inset
									       : (x0 + x1) / 2;
}

/* The heading row, its band out to `right` (over the stale rows' marks too). */
static void draw_header(const struct table_widget *w, cairo_t *cr, const struct table_geom *g,
			const double *x, double right, const struct widget_ctx *ctx)
{
	const struct theme *theme = ctx->theme;
	double inset = g->row_h * 0.3;
	struct rect band = {x[0], g->top, right - x[0], g->header_h};
	cairo_rectangle(cr, band.x, band.y, band.w, band.h);
	draw_set_color(cr, mix(theme->tile, theme->text, 0.07));
	cairo_fill(cr);
	for (size_t c = 0; c < w->column_count; c++) {
		const struct column_opts *col = &w->columns[c];
		const char *title = col->title;
		enum text_align align = column_align(col, &w->data, c);
		struct text_style style = draw_text_style(theme->font, true, g->font * 0.92,
							  theme->muted, align);
		text_draw(ctx->text, cr, &style, text_x(align, x[c], x[c + 1], inset),
			  g->top + g->header_h * 0.5 + style.size * 0.36,
			  x[c + 1] - x[c] - 2 * inset, title[0] ? title : col->field);
	}
	hairline(cr, band.x, band.x + band.w, g->top + g->header_h - 0.5, theme->tile_border);
}

/*
 * A pill in the state's fill behind a coloured cell, so the state reads at a glance. It hugs
 * the text (at least three ems wide) on the text's side of the cell.
 */
static void draw_cell_state(cairo_t *cr, const struct text_style *style, double text_w,
			    double x0, double x1, double y, double h, struct color fill)
{
	double margin = h * 0.12;
	double width = fmin(fmax(text_w + h * 0.5, style->size * 3), x1 - x0 - 2 * margin);
	double left = style->align == TEXT_ALIGN_LEFT    ? x0 + margin
		      : style->align == TEXT_ALIGN_RIGHT ? x1 - margin - width
							 : (x0 + x1 - width) / 2;
	struct rect pill = {left, y + margin, width, h - 2 * margin};
	draw_rounded_rect(cr, &pill, pill.h * 0.25);
	draw_set_color(cr, fill);
	cairo_fill(cr);
}

static bool row_stale(const struct table_widget *w, size_t row, double now)
{
	return w->data.times && record_time_stale(w->data.times[row], w->max_age, now);
}

/*
 * A colour of a stale row: the grey of the same lightness, dimmed towards the card, as the
 * board's stale treatment does to a whole tile; the states still differ in lightness.
 */
static struct color stale_color(struct color c, const struct theme *theme)
{
	double l = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
	return mix((struct color){l, l, l, c.a}, theme->tile, 0.35);
}

static void draw_row(const struct table_widget *w, cairo_t *cr, const struct table_geom *g,
		     const double *x, size_t row, double y, bool stale,
		     const struct widget_ctx *ctx)
{
	const struct theme *theme = ctx->theme;
	double inset = g->row_h * 0.3;
	if (stale) {
		cairo_rectangle(cr, x[0], y, x[w->column_count] - x[0], g->row_h);
		draw_set_color(cr, theme->states[STATE_NODATA].fill);
		cairo_fill(cr);
	} else if (w->o.zebra && row % 2 == 1) {
		cairo_rectangle(cr, x[0], y, x[w->column_count] - x[0], g->row_h);
		draw_set_color(cr, mix(theme->tile, theme->text, 0.035));
		cairo_fill(cr);
	}
	for (size_t c = 0; c < w->column_count; c++) {
		const struct cell *cell = &w->data.cells[row * w->column_count + c];
		enum text_align align = column_align(&w->columns[c], &w->data, c);
		const char *text = cell->text ? cell->text : "—";
		struct color color = cell->text ? theme->text : theme->muted;
		struct scale_look look = scale_look(theme, cell->step, cell->state);
		if (cell->state != STATE_NORMAL) {
			color = look.accent;
		}
		color = stale ? stale_color(color, theme) : color;
		struct text_style style = draw_text_style(theme->font, false, g->font, color, align);
		double max_w = x[c + 1] - x[c] - 2 * inset;
		if (cell->state != STATE_NORMAL) {
			/* The pill in the state's fill, desaturated on a stale row. */
			double text_w = fmin(text_measure(ctx->text, cr, &style, text).width, max_w);
			draw_cell_state(cr, &style, text_w, x[c], x[c + 1], y, g->row_h,
					stale ? stale_color(look.fill, theme) : look.fill);
		}
		text_draw(ctx->text, cr, &style, text_x(align, x[c], x[c + 1], inset),
			  y + g->row_h * 0.5 + g->font * 0.36, max_w, text);
	}
}

static void draw_message(cairo_t *cr, const struct rect *r, double top, const char *text,
			 struct color color, const struct widget_ctx *ctx)
{
	double size = clampd(fmin(r->h * 0.1, r->w * 0.06), 10, 40);
	struct text_style style = draw_text_style(ctx->theme->font, false, size, color,
						  TEXT_ALIGN_CENTER);
	double pad = clampd(fmin(r->w, r->h) * 0.05, 6, 24);
	double middle = (top + r->y + r->h) / 2;
	text_draw(ctx->text, cr, &style, r->x + r->w / 2, middle + size * 0.36, r->w - 2 * pad,
		  text);
}

/* The small print beside a stale row: when its data is from ("14:02 기준"). */
static struct text_style mark_style(const struct table_geom *g, const struct theme *theme)
{
	return draw_text_style(theme->font, true, g->font * 0.8, theme->muted, TEXT_ALIGN_RIGHT);
}

/*
 * The width the marks of the stale rows shown at `now` need at the right of the table (at
 * most a third of it); 0 when none is stale, so a table of fresh rows is laid out as ever.
 */
static double marks_width(const struct table_widget *w, cairo_t *cr, const struct table_geom *g,
			  double width, const struct widget_ctx *ctx, double now)
{
	struct text_style style = mark_style(g, ctx->theme);
	double widest = 0;
	for (size_t i = 0; i < g->shown; i++) {
		if (row_stale(w, i, now)) {
			char label[64];
			format_as_of(w->data.times[i], RECORD_TIME_ZONE, now, label, sizeof(label));
			widest = fmax(widest, text_measure(ctx->text, cr, &style, label).width);
		}
	}
	return widest > 0 ? fmin(widest + g->row_h * 0.6, width / 3) : 0;
}

static void draw_mark(const struct table_widget *w, cairo_t *cr, const struct table_geom *g,
		      double x0, double x1, size_t row, double y, const struct widget_ctx *ctx,
		      double now)
{
	double inset = g->row_h * 0.3;
	char label[64];
	format_as_of(w->data.times[row], RECORD_TIME_ZONE, now, label, sizeof(label));
	cairo_rectangle(cr, x0, y, x1 - x0, g->row_h);
	draw_set_color(cr, ctx->theme->states[STATE_NODATA].fill);
	cairo_fill(cr);
	struct text_style style = mark_style(g, ctx->theme);
	text_draw(ctx->text, cr, &style, x1 - inset, y + g->row_h * 0.5 + style.size * 0.36,
		  x1 - x0 - inset * 1.5, label);
}

static void draw_body(const struct table_widget *w, cairo_t *cr, const struct rect *r,
		      const struct table_geom *g, const struct widget_ctx *ctx, double now)
{
	const struct table_opts *o = &w->o;
	double x[TABLE_MAX_COLUMNS + 1];
	double right = r->x + r->w - g->pad;
	double marks = marks_width(w, cr, g, r->w - 2 * g->pad, ctx, now);
	column_edges(w, r->x + g->pad, r->w - 2 * g->pad - marks, x);
	if (g->header_h > 0) {
		draw_header(w, cr, g, x, marks > 0 ? right : x[w->column_count], ctx);
	}
	double y = g->top + g->header_h;
	if (w->data.total == 0) {
		draw_message(cr, r, y, o->empty_text, ctx->theme->muted, ctx);
		return;
	}
	for (size_t i = 0; i < g->shown; i++, y += g->row_h) {
		bool stale = row_stale(w, i, now);
		draw_row(w, cr, g, x, i, y, stale, ctx);
		if (stale) {
			draw_mark(w, cr, g, x[w->column_count], right, i, y, ctx, now);
		}
	}
	if (g->more > 0) {
		char line[160];
		snprintf(line, sizeof(line), "+%zu %s", g->more, o->more_label);
		struct text_style style = draw_text_style(ctx->theme->font, false, g->font,
							  ctx->theme->muted, TEXT_ALIGN_LEFT);
		text_draw(ctx->text, cr, &style, x[0] + g->row_h * 0.3,
			  y + g->row_h * 0.5 + g->font * 0.36, x[w->column_count] - x[0], line);
	}
}

static void table_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
		       double now)
{
	const struct table_widget *w = self;
	const struct table_opts *o = &w->o;
	const struct theme *theme = ctx->theme;
	bool ok = w->data.kind == DATA_OK;
	draw_card(cr, r, theme, ok ? theme->tile : theme->states[STATE_NODATA].fill);
	struct table_geom g = table_layout(w, r);
	if (g.title_size > 0) {
		struct text_style style = draw_text_style(theme->title_font, true, g.title_size,
							  theme->text, TEXT_ALIGN_LEFT);
		text_draw(ctx->text, cr, &style, r->x + g.pad, r->y + g.pad + g.title_size * 0.9,
			  r->w - 2 * g.pad, o->title);
	}
	if (!ok) {
		const char *text = w->data.kind == DATA_NONE ? o->nodata_text
							     : o->invalid_text;
		draw_message(cr, r, g.top, text, theme->states[STATE_NODATA].accent, ctx);
		return;
	}
	draw_body(w, cr, r, &g, ctx, now);
}

/* The moment the next row turns stale: the tile is redrawn then, not checked every frame. */
static double table_next_deadline(void *self, double now)
{
	const struct table_widget *w = self;
	double next = INFINITY;
	for (size_t i = 0; w->data.times && i < w->data.row_count; i++) {
		next = fmin(next, record_time_deadline(w->data.times[i], w->max_age, now));
	}
	return next;
}

/* The row under (x, y), as table_draw laid the rows out in `r`. */
static bool table_hit(void *self, const struct rect *r, double x, double y,
		      struct widget_part *part)
{
	const struct table_widget *w = self;
	if (w->data.kind != DATA_OK) {
		return false;
	}
	struct table_geom g = table_layout(w, r);
	double first = g.top + g.header_h;
	if (x < r->x + g.pad || x >= r->x + r->w - g.pad || y < first) {
		return false;
	}
	size_t row = (size_t)floor((y - first) / g.row_h);
	if (row >= g.shown) {
		return false;
	}
	part->kind = WIDGET_PART_ROW;
	part->index = (long)row;
	const char *first_cell = w->data.cells[row * w->column_count].text;
	snprintf(part->label, sizeof(part->label), "%s", first_cell ? first_cell : "—");
	return true;
}

/* A row's cells under their columns' labels (what the table keeps of the record). */
static size_t table_part_lines(void *self, const struct widget_part *part, char (*lines)[160],
			       size_t max)
{
	const struct table_widget *w = self;
	if (part->kind != WIDGET_PART_ROW || part->index < 0 ||
	    (size_t)part->index >= w->data.row_count) {
		return 0;
	}
	size_t n = 0;
	for (size_t c = 0; c < w->column_count && n < max; c++) {
		const struct cell *cell = &w->data.cells[(size_t)part->index * w->column_count + c];
		const char *label = w->columns[c].title && w->columns[c].title[0] ? w->columns[c].title
									  : w->columns[c].field;
		snprintf(lines[n++], 160, "%s: %s", label, cell->text ? cell->text : "—");
	}
	return n;
}

static bool table_usable(const struct tile *tile, const char *key, const struct value *v)
{
	return v->kind == VALUE_ARRAY || v->kind == VALUE_OBJECT;
}

const struct widget_impl widget_table = {
	.spec = {
		.name = "table",
		.options = table_options,
		.help = "records as rows under chosen columns, with per-cell state colours",
	},
	.create = table_create,
	.bind = table_bind,
	.draw = table_draw,
	.next_deadline = table_next_deadline,
	.destroy = table_destroy,
	.usable = table_usable,
	.stale_palette = true,
	.hit = table_hit,
	.part_lines = table_part_lines,
};
