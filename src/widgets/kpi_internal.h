#ifndef CITYWALL_WIDGETS_KPI_INTERNAL_H
#define CITYWALL_WIDGETS_KPI_INTERNAL_H

/*
 * What the kpi widget's files share: its options and state, and the table's functions drawn
 * in the other file. Private to src/widgets/kpi*.c.
 *   kpi.c       options, create/destroy, reading the value and the change, checking a layout
 *   kpi_draw.c  state and colours, the value line, the change line, the state's word; describe
 */

#include "widgets/widget.h"

#include "layout/options.h"
#include "render/format.h"

enum better { BETTER_UP, BETTER_DOWN, BETTER_NONE };

/* The options, filled once at create (options_fill); borrowed from the tile's option set. */
struct kpi_opts {
	const char *title;
	const char *previous; // NULL: not bound
	const struct option_set *change; // NULL: none
	const char *unit;
	int decimals;
	bool thousands;
	const struct thresholds *thresholds;
	int better; // enum better
	double target;
	bool target_set;
	const char *delta_label;
	const char *nodata_text;
	const char *below_target_text;
	int format; // enum value_format (format_names is in its order)
	const char *timezone;
};

enum vs_kind { VS_NONE, VS_DURATION, VS_YESTERDAY, VS_PREVIOUS };

struct vs {
	enum vs_kind kind;
	double seconds; // VS_DURATION
};

struct kpi {
	const struct tile *tile; // borrowed
	struct kpi_opts o;
	enum value_format format;
	struct vs vs;            // from "change"; VS_NONE without
	bool has_value;
	double value; // relative: the time, epoch seconds
	bool has_previous;
	double previous;
	char change_label[64];   // what the history comparison is with; "" for "previous"
	bool has_category;  // a text value that categorical thresholds judge ("나쁨", "붐빔")
	char category[64];
};

/* widget_impl.draw: the card, title, value line and change line at `now`. */
void kpi_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
	      double now);
/* widget_impl.next_deadline: when a relative time next changes its text or state. */
double kpi_next_deadline(void *self, double now);
/* widget_impl.describe: what the tile says, in words. */
bool kpi_describe(void *self, double now, char *buf, size_t size);

#endif
