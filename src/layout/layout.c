#include "layout/layout.h"

#include "layout/react.h"

#include "util/fileio.h"

#include <stdlib.h>
#include <string.h>

struct layout *layout_load(const char *file, const struct widget_spec *const *widgets,
			   struct diag_list *diags)
{
	char err[512];
	char *text;
	size_t len;
	if (!file_read_all(file, LAYOUT_MAX_BYTES, &text, &len, err, sizeof(err))) {
		diag_add(diags, DIAG_ERROR, NULL, 0, 0, NULL, "%s", err);
		return NULL;
	}
	struct layout *layout = layout_parse(text, len, file, widgets, diags);
	free(text);
	return layout;
}

void layout_destroy(struct layout *layout)
{
	if (!layout) {
		return;
	}
	for (size_t i = 0; i < layout->tile_count; i++) {
		free(layout->tiles[i].id);
		free(layout->tiles[i].pointer);
		free(layout->tiles[i].detail.department);
		free(layout->tiles[i].detail.contact);
		free(layout->tiles[i].detail.definition);
		option_set_finish(&layout->tiles[i].options);
		for (size_t b = 0; b < layout->tiles[i].binding_count; b++) {
			free(layout->tiles[i].bindings[b].path);
			path_free(layout->tiles[i].bindings[b].compiled);
		}
		free(layout->tiles[i].bindings);
		if (layout->tiles[i].nearest) {
			free(layout->tiles[i].nearest->candidates);
			free(layout->tiles[i].nearest);
		}
	}
	for (size_t i = 0; i < layout->source_count; i++) {
		source_config_finish(&layout->sources[i]);
	}
	free(layout->sources);
	free(layout->timezone);
	for (size_t i = 0; i < layout->page_count; i++) {
		free(layout->pages[i].id);
		free(layout->pages[i].title);
	}
	free(layout->pages);
	react_finish(layout);
	for (size_t i = 0; i < layout->file_count; i++) {
		free(layout->files[i]);
	}
	free(layout->files);
	for (size_t i = 0; i < layout->area_count; i++) {
		free(layout->areas[i].name);
	}
	free(layout->areas);
	for (size_t i = 0; i < layout->derive_count; i++) {
		struct layout_derive *d = &layout->derives[i];
		derive_def_finish(&d->def);
		free(d->path);
		path_free(d->compiled);
		for (size_t f = 0; f < d->field_count; f++) {
			free(d->fields[f].name);
			free(d->fields[f].pointer);
		}
		free(d->fields);
	}
	free(layout->derives);
	free(layout->tiles);
	theme_finish(&layout->theme);
	free(layout->file);
	free(layout->title);
	free(layout);
}

double group_title_band(const struct rect *group)
{
	double band = group->h * 0.12;
	return band < 28 ? 28 : band > 64 ? 64 : band;
}

long layout_find_source(const struct layout *layout, const char *name)
{
	for (size_t i = 0; i < layout->source_count; i++) {
		if (strcmp(layout->sources[i].name, name) == 0) {
			return (long)i;
		}
	}
	return -1;
}

const struct tile *layout_find_tile(const struct layout *layout, const char *id)
{
	for (size_t i = 0; i < layout->tile_count; i++) {
		if (strcmp(layout->tiles[i].id, id) == 0) {
			return &layout->tiles[i];
		}
	}
	return NULL;
}
