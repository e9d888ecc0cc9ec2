#include "widgets/widget.h"

#include <stddef.h>
#include <string.h>

extern const struct widget_impl widget_kpi;
extern const struct widget_impl widget_text;
extern const struct widget_impl widget_clock;
extern const struct widget_impl widget_group;
extern const struct widget_impl widget_trend;
extern const struct widget_impl widget_bar;
extern const struct widget_impl widget_gauge;
extern const struct widget_impl widget_table;
extern const struct widget_impl widget_ticker;
extern const struct widget_impl widget_image;
extern const struct widget_impl widget_alert;
extern const struct widget_impl widget_status;
extern const struct widget_impl widget_map;
extern const struct widget_impl widget_pages;

static const struct widget_impl *const widgets[] = {
	&widget_kpi,
	&widget_text,
	&widget_clock,
	&widget_group,
	&widget_trend,
	&widget_bar,
	&widget_gauge,
	&widget_table,
	&widget_ticker,
	&widget_image,
	&widget_alert,
	&widget_status,
	&widget_map,
	&widget_pages,
};

#define WIDGET_COUNT (sizeof(widgets) / sizeof(widgets[0]))

const struct widget_impl *widget_find(const char *name)
{
	for (size_t i = 0; i < WIDGET_COUNT; i++) {
		if (strcmp(widgets[i]->spec.name, name) == 0) {
			return widgets[i];
		}
	}
	return NULL;
}

bool widget_binding_usable(const struct tile *tile, const char *key, const struct value *v)
{
	if (!v || v->kind == VALUE_NULL) {
		return false; // null is how many feeds say "missing"
	}
	const struct widget_impl *impl = widget_find(tile->widget->name);
	return !impl || !impl->usable || impl->usable(tile, key, v);
}

/* The same widgets seen as specs; kept beside `widgets` so that one list names them all. */
static const struct widget_spec *const specs[] = {
	&widget_kpi.spec,
	&widget_text.spec,
	&widget_clock.spec,
	&widget_group.spec,
	&widget_trend.spec,
	&widget_bar.spec,
	&widget_gauge.spec,
	&widget_table.spec,
	&widget_ticker.spec,
	&widget_image.spec,
	&widget_alert.spec,
	&widget_status.spec,
	&widget_map.spec,
	&widget_pages.spec,
	NULL,
};

_Static_assert(sizeof(specs) / sizeof(specs[0]) == WIDGET_COUNT + 1, "one spec per widget");

const struct widget_spec *const *widget_specs(void)
{
	return specs;
}
