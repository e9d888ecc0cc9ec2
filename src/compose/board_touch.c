/*
 * What touch changes on the board besides the detail panel (docs/interaction.md): the page an
 * operator chose on the mode bar, held instead of the rotation's until the input stops, and
 * the zoom of an interactive map. Both are the operator's say, like the emergency control:
 * while nobody touches the wall, a frame is again a function of the layout, the snapshots and
 * the time alone.
 */

#include "compose/board_internal.h"

#include "widgets/map.h"

#include <string.h>

void board_choose_page(struct board *board, long page)
{
	if (page >= (long)board->layout->page_count) {
		return;
	}
	board->chosen_page = page < 0 ? -1 : page;
}

long board_chosen_page(const struct board *board)
{
	return board->chosen_page;
}

static bool is_map(const struct board *board, size_t index)
{
	return index < board->tile_count && strcmp(board->tiles[index].tile->widget->name, "map") == 0;
}

bool board_tile_zoom(const struct board *board, size_t index, struct map_zoom *zoom,
		     struct rect *map)
{
	if (!is_map(board, index)) {
		return false;
	}
	*zoom = map_zoom_of(board->tiles[index].state, map);
	return true;
}

static bool zoomed(const struct board *board, size_t index)
{
	struct map_zoom z;
	return board_tile_zoom(board, index, &z, NULL) && z.k != 1;
}

void board_zoom_tile(struct board *board, size_t index, const struct map_zoom *zoom)
{
	bool was = zoomed(board, index);
	if (is_map(board, index) && map_set_zoom(board->tiles[index].state, zoom)) {
		board->tiles[index].dirty = true;
	}
	bool is = zoomed(board, index);
	if (is != was) {
		board->zoomed_maps = is ? board->zoomed_maps + 1 : board->zoomed_maps - 1;
	}
}

/* Asked twice a frame (touch.c): counted as zooms change, not looked up tile by tile. */
bool board_zoomed(const struct board *board)
{
	return board->zoomed_maps > 0;
}

void board_unzoom(struct board *board)
{
	for (size_t i = 0; i < board->tile_count; i++) {
		board_zoom_tile(board, i, NULL);
	}
}

void board_to_virtual(const struct board *board, double device_x, double device_y, double *x,
		      double *y)
{
	const struct board_to_device *t = &board->to_device;
	double scale = t->scale > 0 ? t->scale : 1;
	*x = (device_x - t->x) / scale;
	*y = (device_y - t->y) / scale;
}
