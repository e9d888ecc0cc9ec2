#include "app/touch.h"

#include "util/log.h"

#include <math.h>
#include <string.h>

void touch_init(struct touch_input *t)
{
	*t = (struct touch_input){.last_input = -INFINITY, .tap_at = -INFINITY};
	touch_pinch_init(&t->pinch);
}

static bool interactive(const struct wall *wall)
{
	return wall->layout->interactive;
}

static void open_at(struct wall *wall, double x, double y, bool whole_tile)
{
	struct board_hit hit;
	if (!board_hit(wall->board, x, y, &hit) || hit.tile < 0) {
		return;
	}
	if (whole_tile) {
		hit.part = (struct widget_part){.kind = WIDGET_PART_NONE, .index = -1};
	}
	if (hit.part.kind == WIDGET_PART_PAGE) {
		/* A mode tab: that page, held while there is input (touch_tick gives it back). */
		board_choose_page(wall->board, hit.part.index);
		log_debug("mode bar: page \"%s\"", hit.part.label);
		return;
	}
	if (hit.part.kind == WIDGET_PART_CLUSTER && touch_zoom_cluster(wall, hit.tile, x, y)) {
		return; // at the closest zoom the cluster's panel opens instead
	}
	if (board_open_detail(wall->board, (size_t)hit.tile, &hit.part)) {
		log_debug("detail panel of tile \"%s\"%s%s", wall->layout->tiles[hit.tile].id,
			  hit.part.label[0] ? ": " : "", hit.part.label);
	} else {
		log_debug("tap during emergency mode: the emergency page stays");
	}
}

/* Whether a zoomed map is under device pixel (x, y) (an open panel hides it). */
static bool on_zoomed_map(const struct wall *wall, double x, double y)
{
	struct board_hit hit;
	struct map_zoom zoom;
	return board_hit(wall->board, x, y, &hit) && hit.tile >= 0 &&
	       board_tile_zoom(wall->board, (size_t)hit.tile, &zoom, NULL) && zoom.k != 1;
}

/*
 * A second tap soon after the first and near it, the first on a zoomed map: the whole map
 * again. The first tap has done what a tap does (opened a panel, perhaps): it is undone.
 */
static bool double_tap(struct touch_input *t, struct wall *wall, double x, double y, double now,
		       int width, int height)
{
	bool twice = now - t->tap_at < TOUCH_DOUBLE_TAP &&
		     hypot(x - t->tap_x, y - t->tap_y) <= 2 * TOUCH_SLOP * fmin(width, height);
	bool first_zoomed = t->tap_zoomed;
	t->tap_at = twice ? -INFINITY : now;
	t->tap_x = x;
	t->tap_y = y;
	t->tap_zoomed = !twice && on_zoomed_map(wall, x, y);
	if (!twice || !first_zoomed) {
		return false;
	}
	board_unzoom(wall->board);
	board_close_detail(wall->board); // what the first tap opened
	log_debug("double tap: the whole map");
	return true;
}

/* A tap: on an open panel's close button or outside it closes it; else opens what is there. */
static void tap(struct wall *wall, double x, double y)
{
	struct board_hit hit;
	bool hit_any = board_hit(wall->board, x, y, &hit);
	if (board_detail_open(wall->board, NULL, NULL)) {
		if (!hit_any || hit.close || !hit.panel) {
			log_debug("detail panel closed (%s)",
				  hit.close ? "its close button" : "a tap outside it");
			board_close_detail(wall->board);
		}
		return;
	}
	open_at(wall, x, y, false);
}

static void press(struct touch_input *t, bool mouse, SDL_FingerID finger, double x, double y,
		  double now)
{
	t->down = true;
	t->mouse = mouse;
	t->finger = finger;
	t->moved = false;
	t->x = x;
	t->y = y;
	t->at = now;
}

static void move(struct touch_input *t, double x, double y, int width, int height)
{
	double slop = TOUCH_SLOP * fmin(width, height);
	if (t->down && hypot(x - t->x, y - t->y) > slop) {
		t->moved = true;
	}
}

static void release(struct touch_input *t, struct wall *wall, double now, int width, int height)
{
	bool was_tap = t->down && !t->moved && now - t->at < TOUCH_LONG_PRESS;
	t->down = false;
	if (was_tap && !double_tap(t, wall, t->x, t->y, now, width, height)) {
		tap(wall, t->x, t->y);
	}
}

/* The visible leaf tile nearest the focused one in direction (dx, dy); -1: none. */
static long neighbour(const struct wall *wall, long from, int dx, int dy)
{
	const struct board *board = wall->board;
	size_t count = board_tile_count(board);
	struct irect a = from >= 0 ? board_tile_rect(board, (size_t)from) : (struct irect){0};
	double ax = a.x + a.w / 2.0, ay = a.y + a.h / 2.0;
	long best = -1;
	double best_cost = INFINITY;
	for (size_t i = 0; i < count; i++) {
		if ((long)i == from || !board_tile_visible(board, i) ||
		    wall->layout->tiles[i].widget == NULL ||
		    strcmp(wall->layout->tiles[i].widget->name, "group") == 0) {
			continue;
		}
		struct irect b = board_tile_rect(board, i);
		double ex = b.x + b.w / 2.0 - ax, ey = b.y + b.h / 2.0 - ay;
		double along = ex * dx + ey * dy, across = fabs(ex * dy) + fabs(ey * dx);
		if (from >= 0 && along <= 0) {
			continue;
		}
		/* Straight ahead is nearer than the same distance off to the side. */
		double cost = from >= 0 ? along + 2 * across : hypot(b.x, b.y);
		if (cost < best_cost) {
			best_cost = cost;
			best = (long)i;
		}
	}
	return best;
}

/* Enter on the mode bar: the rotating page after the one on screen, held like a tap's. */
static void next_mode(struct wall *wall)
{
	const struct layout *l = wall->layout;
	size_t page = board_page(wall->board);
	for (size_t k = 1; k <= l->page_count; k++) {
		size_t next = (page + k) % l->page_count;
		if (l->pages[next].rotates) {
			board_choose_page(wall->board, (long)next);
			log_debug("mode bar: page \"%s\" (Enter)",
				  l->pages[next].title ? l->pages[next].title : l->pages[next].id);
			return;
		}
	}
}

static bool key(struct wall *wall, SDL_Keycode sym)
{
	struct board *board = wall->board;
	if (sym == SDLK_ESCAPE) {
		if (!board_detail_open(board, NULL, NULL)) {
			return false; // the loop's: quit
		}
		board_close_detail(board);
		log_debug("detail panel closed (Escape)");
		return true;
	}
	if (!interactive(wall)) {
		return false;
	}
	int dx = sym == SDLK_LEFT ? -1 : sym == SDLK_RIGHT ? 1 : 0;
	int dy = sym == SDLK_UP ? -1 : sym == SDLK_DOWN ? 1 : 0;
	long focus = board_focus(board);
	if (dx || dy) {
		long next = neighbour(wall, focus, dx, dy);
		if (next >= 0) {
			board_set_focus(board, next);
			log_debug("focus on tile \"%s\"", wall->layout->tiles[next].id);
		}
		return true;
	}
	if ((sym == SDLK_RETURN || sym == SDLK_KP_ENTER) && focus >= 0 &&
	    strcmp(wall->layout->tiles[focus].widget->name, "pages") == 0) {
		next_mode(wall);
		return true;
	}
	if ((sym == SDLK_RETURN || sym == SDLK_KP_ENTER) && focus >= 0) {
		struct widget_part whole = {.kind = WIDGET_PART_NONE, .index = -1};
		if (board_open_detail(board, (size_t)focus, &whole)) {
			log_debug("detail panel of tile \"%s\" (Enter)", wall->layout->tiles[focus].id);
		}
		return true;
	}
	return false;
}

bool touch_handle(struct touch_input *t, struct wall *wall, const SDL_Event *ev, double scale_x,
		  double scale_y, int width, int height, double now)
{
	switch (ev->type) {
	case SDL_KEYDOWN:
		t->last_input = now;
		return key(wall, ev->key.keysym.sym);
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
	case SDL_MOUSEMOTION:
	case SDL_FINGERDOWN:
	case SDL_FINGERUP:
	case SDL_FINGERMOTION:
		break;
	default:
		return false;
	}
	if (!interactive(wall)) {
		/* Taken, and ignored: a station screen is not a touch screen. */
		if (ev->type == SDL_MOUSEBUTTONDOWN || ev->type == SDL_FINGERDOWN) {
			log_debug("input ignored: the layout is not interactive");
		}
		return true;
	}
	t->last_input = now;
	switch (ev->type) {
	case SDL_MOUSEBUTTONDOWN:
		/* SDL also turns touches into mouse events: those come as fingers. */
		if (ev->button.which != SDL_TOUCH_MOUSEID && ev->button.button == SDL_BUTTON_LEFT) {
			press(t, true, 0, ev->button.x * scale_x, ev->button.y * scale_y, now);
		}
		break;
	case SDL_MOUSEMOTION:
		if (ev->motion.which != SDL_TOUCH_MOUSEID && t->mouse) {
			move(t, ev->motion.x * scale_x, ev->motion.y * scale_y, width, height);
		}
		break;
	case SDL_MOUSEBUTTONUP:
		if (ev->button.which != SDL_TOUCH_MOUSEID && t->mouse &&
		    ev->button.button == SDL_BUTTON_LEFT) {
			release(t, wall, now, width, height);
		}
		break;
	case SDL_FINGERDOWN:
		if (ev->tfinger.touchId == SDL_MOUSE_TOUCHID) {
			break;
		}
		if (++t->fingers == 1) {
			press(t, false, ev->tfinger.fingerId, ev->tfinger.x * width,
			      ev->tfinger.y * height, now);
		} else {
			t->moved = true; // a pinch, not a tap
		}
		touch_pinch_down(&t->pinch, wall, ev->tfinger.fingerId, ev->tfinger.x * width,
				 ev->tfinger.y * height);
		break;
	case SDL_FINGERMOTION:
		if (ev->tfinger.touchId == SDL_MOUSE_TOUCHID) {
			break;
		}
		if (!t->mouse && ev->tfinger.fingerId == t->finger) {
			move(t, ev->tfinger.x * width, ev->tfinger.y * height, width, height);
		}
		touch_pinch_move(&t->pinch, wall, ev->tfinger.fingerId, ev->tfinger.x * width,
				 ev->tfinger.y * height);
		break;
	case SDL_FINGERUP:
		if (ev->tfinger.touchId == SDL_MOUSE_TOUCHID) {
			break;
		}
		t->fingers = t->fingers > 0 ? t->fingers - 1 : 0;
		touch_pinch_up(&t->pinch, ev->tfinger.fingerId);
		if (!t->mouse && ev->tfinger.fingerId == t->finger) {
			release(t, wall, now, width, height);
		}
		break;
	default:
		break;
	}
	return true;
}

/* Whether input holds something the idle time gives back: a chosen page, a zoomed map. */
static bool held(const struct wall *wall)
{
	return board_chosen_page(wall->board) >= 0 || board_zoomed(wall->board);
}

void touch_tick(struct touch_input *t, struct wall *wall, double now)
{
	if (t->down && !t->moved && now - t->at >= TOUCH_LONG_PRESS) {
		t->down = false; // the release that follows is no tap
		open_at(wall, t->x, t->y, true);
	}
	if (board_detail_open(wall->board, NULL, NULL) &&
	    now - t->last_input >= wall->layout->detail_idle_s) {
		log_debug("detail panel closed after %.0f s without input",
			  wall->layout->detail_idle_s);
		board_close_detail(wall->board);
	}
	if (held(wall) && now - t->last_input >= wall->layout->detail_idle_s && !t->down &&
	    t->fingers == 0) {
		log_debug("back to the rotation and the whole map after %.0f s without input",
			  wall->layout->detail_idle_s);
		board_choose_page(wall->board, -1);
		board_unzoom(wall->board);
	}
}

double touch_deadline(const struct touch_input *t, const struct wall *wall)
{
	double due = INFINITY;
	if (t->down && !t->moved) {
		due = t->at + TOUCH_LONG_PRESS;
	}
	if (board_detail_open(wall->board, NULL, NULL) ||
	    (held(wall) && !t->down && t->fingers == 0)) {
		due = fmin(due, t->last_input + wall->layout->detail_idle_s);
	}
	return due;
}
