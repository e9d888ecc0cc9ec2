#include "display/present.h"

#include "display/present_backend.h"
#include "display/window.h"
#include "util/log.h"
#include "util/xmalloc.h"

#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * How long a part of the frame may go unshown before its memory is given back: a tile that
 * changes at least twice a minute keeps it, and drawing one that comes back costs a page
 * fault for each of its pages at most once in that time.
 */
#define FRAME_IDLE_SECONDS 30.0

static const struct {
	const char *name;
	enum present_kind kind;
} kind_names[] = {
	{"auto", PRESENT_AUTO},
	{"renderer", PRESENT_RENDERER},
	{"surface", PRESENT_SURFACE},
};

void present_set_error(char *err, size_t err_size, const char *fmt, ...)
{
	if (err == NULL || err_size == 0) {
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, err_size, fmt, ap);
	va_end(ap);
}

bool present_window_fits(struct present *present, int width, int height, char *err,
			 size_t err_size)
{
	int w, h;
	window_pixel_size(present->window, &w, &h);
	if (w == width && h == height) {
		return true;
	}
	present_set_error(err, err_size,
			  "surface: window is now %dx%d, frame buffer %dx%d: call present_resize() "
			  "first",
			  w, h, width, height);
	return false;
}

bool present_kind_parse(const char *name, enum present_kind *out)
{
	if (name == NULL) {
		return false;
	}
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++) {
		if (strcmp(name, kind_names[i].name) == 0) {
			*out = kind_names[i].kind;
			return true;
		}
	}
	return false;
}

/*
 * A DRM render node we may open means Mesa can use real hardware. Without one, SDL's
 * "accelerated" renderer is OpenGL on Mesa's llvmpipe: PLATFORM.md measured it ~10x heavier
 * than the plain window framebuffer (7-9x the memory, ~30x the time per update). So the node
 * decides, not whether SDL manages to create an accelerated renderer: it always does, in
 * software.
 */
static bool gpu_render_node_exists(void)
{
	DIR *dir = opendir("/dev/dri");
	if (dir == NULL) {
		return false;
	}
	bool found = false;
	struct dirent *entry;
	while (!found && (entry = readdir(dir)) != NULL) {
		if (strncmp(entry->d_name, "renderD", 7) != 0) {
			continue;
		}
		char path[300];
		snprintf(path, sizeof(path), "/dev/dri/%s", entry->d_name);
		// A node we are not allowed to open (not in group "render") is no GPU for us.
		found = access(path, R_OK | W_OK) == 0;
	}
	closedir(dir);
	return found;
}

enum present_kind present_resolve_kind(enum present_kind kind)
{
	if (kind != PRESENT_AUTO) {
		return kind;
	}
	return gpu_render_node_exists() ? PRESENT_RENDERER : PRESENT_SURFACE;
}

void present_prepare_hints(enum present_kind kind)
{
	if (present_resolve_kind(kind) != PRESENT_SURFACE) {
		return;
	}
	/*
	 * SDL reads this once per video device, at the first SDL_GetWindowSurface(); by default
	 * it backs the window surface with an OpenGL texture, which is the heavy path we avoid.
	 * Normal priority on purpose: the environment variable SDL_FRAMEBUFFER_ACCELERATION
	 * still wins, so the two paths can be compared on site without a rebuild.
	 */
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
}

static const struct present_ops *ops_for(enum present_kind kind)
{
	switch (kind) {
	case PRESENT_RENDERER:
		return &present_renderer_ops;
	case PRESENT_SURFACE:
		return &present_surface_ops;
	case PRESENT_AUTO:
		break;
	}
	return NULL;
}

/*
 * The surface backend on X11 is our own XShm one where it works (present_xshm.c says why);
 * else, or with CITYWALL_XSHM=0, SDL's window surface.
 */
static const struct present_ops *surface_ops(void)
{
#ifdef CITYWALL_XSHM
	if (window_own_x11_paths()) {
		return &present_xshm_ops;
	}
#endif
	return &present_surface_ops;
}

/*
 * CITYWALL_FRAME_IDLE=SECONDS, to compare or test; 30 s by default, 0: never give back. `set`:
 * whether the environment chose it (then present_keep_frame_for leaves it).
 */
static double frame_idle_seconds(bool *set)
{
	const char *text = getenv("CITYWALL_FRAME_IDLE");
	*set = text != NULL && text[0] != '\0';
	if (!*set) {
		return FRAME_IDLE_SECONDS;
	}
	char *end;
	double seconds = strtod(text, &end);
	if (*end != '\0' || !(seconds >= 0)) {
		log_warn("CITYWALL_FRAME_IDLE=%s is not a number of seconds: %g s", text,
			 FRAME_IDLE_SECONDS);
		return FRAME_IDLE_SECONDS;
	}
	return seconds;
}

static struct present *create_with(const struct present_ops *ops, SDL_Window *window, bool vsync,
				   char *err, size_t err_size)
{
	struct present *present = ops->create(window, vsync, err, err_size);
	if (present == NULL) {
		return NULL;
	}
	present->ops = ops;
	present->window = window;
	return present;
}

struct present *present_create(SDL_Window *window, enum present_kind kind, bool vsync, char *err,
			       size_t err_size)
{
	const struct present_ops *ops = ops_for(present_resolve_kind(kind));
	if (ops == NULL) {
		present_set_error(err, err_size, "present: unknown backend %d", (int)kind);
		return NULL;
	}
	if (window == NULL) {
		present_set_error(err, err_size, "present: no window");
		return NULL;
	}
	struct present *present = NULL;
	const struct present_ops *own = ops == &present_surface_ops ? surface_ops() : ops;
	if (own != ops) {
		char why[256];
		present = create_with(own, window, vsync, why, sizeof(why));
		if (present == NULL) {
			log_info("%s: presenting through SDL's window surface", why);
		}
	}
	if (present == NULL) {
		present = create_with(ops, window, vsync, err, err_size);
	}
	if (present == NULL) {
		return NULL;
	}
	const char *moves = getenv("CITYWALL_SCREEN_MOVES");
	present->moves_off = moves && strcmp(moves, "0") == 0;
	present->frame_idle = frame_idle_seconds(&present->frame_idle_set);
	const char *ahead = getenv("CITYWALL_SCREEN_AHEAD");
	present->hold_off = ahead && strcmp(ahead, "0") == 0;
	struct frame_buffer frame = present_frame(present); // the backend that was made
	log_debug("present: %s, %dx%d", present->description, frame.width, frame.height);
	return present;
}

void present_destroy(struct present *present)
{
	if (present == NULL) {
		return;
	}
	free(present->clipped);
	present->ops->destroy(present);
}

const char *present_describe(const struct present *present)
{
	return present->description;
}

struct frame_buffer present_frame(struct present *present)
{
	return present->ops->frame(present);
}

bool present_resize(struct present *present, char *err, size_t err_size)
{
	return present->ops->resize(present, err, err_size);
}

/* Clips `rects` to the frame into present->clipped; returns how many are left. */
static int clip_rects(struct present *present, const struct irect *rects, int n)
{
	if (n > present->clipped_cap) {
		present->clipped = xrealloc(present->clipped, (size_t)n * sizeof(SDL_Rect));
		present->clipped_cap = n;
	}
	struct frame_buffer frame = present->ops->frame(present);
	struct irect bounds = {0, 0, frame.width, frame.height};
	int count = 0;
	for (int i = 0; i < n; i++) {
		struct irect r = irect_intersect(rects[i], bounds);
		if (!irect_empty(r)) {
			present->clipped[count++] = (SDL_Rect){r.x, r.y, r.w, r.h};
		}
	}
	return count;
}

void present_wait_idle(struct present *present)
{
	if (present->ops->wait_idle != NULL) {
		present->ops->wait_idle(present);
	}
}

bool present_rects(struct present *present, const struct irect *rects, int n, char *err,
		   size_t err_size)
{
	return present_update(present, NULL, 0, rects, n, err, err_size);
}

bool present_can_move(const struct present *present)
{
	return present->ops->move != NULL && !present->moves_off;
}

static bool move_fits(struct irect bounds, const struct screen_move *m)
{
	struct irect to = {m->from.x + m->dx, m->from.y, m->from.w, m->from.h};
	return !irect_empty(m->from) && irect_contains(bounds, m->from) && irect_contains(bounds, to);
}

/* False with a message unless every move lies in the frame on a backend that can move. */
static bool moves_fit(struct present *present, struct frame_buffer frame,
		      const struct screen_move *moves, int nmoves, char *err, size_t err_size)
{
	if (!present_can_move(present)) {
		present_set_error(err, err_size, "present: %s cannot move pixels on the screen",
				  present->description);
		return false;
	}
	struct irect bounds = {0, 0, frame.width, frame.height};
	for (int i = 0; i < nmoves; i++) {
		if (!move_fits(bounds, &moves[i])) {
			present_set_error(err, err_size,
					  "present: a move of %dx%d+%d+%d by %d leaves the %dx%d frame",
					  moves[i].from.w, moves[i].from.h, moves[i].from.x,
					  moves[i].from.y, moves[i].dx, frame.width, frame.height);
			return false;
		}
	}
	return true;
}

bool present_can_hold(const struct present *present)
{
	return present->holds && !present->hold_off && present_can_move(present);
}

size_t present_release_idle(struct present *present)
{
	if (present->ops->release_idle == NULL || present->frame_idle <= 0) {
		return 0;
	}
	return present->ops->release_idle(present, present->frame_idle);
}

void present_keep_frame_for(struct present *present, double seconds)
{
	if (!present->frame_idle_set) {
		present->frame_idle = fmax(FRAME_IDLE_SECONDS, seconds);
	}
}

bool present_frame_whole(struct present *present)
{
	return present->ops->frame_whole == NULL || present->ops->frame_whole(present);
}

void present_flush(struct present *present)
{
	if (present->ops->flush != NULL) {
		present->ops->flush(present);
	}
}

bool present_frame_free(struct present *present)
{
	return present->ops->frame_free == NULL || present->ops->frame_free(present);
}

bool present_update(struct present *present, const struct screen_move *moves, int nmoves,
		    const struct irect *rects, int n, char *err, size_t err_size)
{
	return present_update_at(present, 0, moves, nmoves, rects, n, err, err_size);
}

bool present_update_at(struct present *present, double at, const struct screen_move *moves,
		       int nmoves, const struct irect *rects, int n, char *err, size_t err_size)
{
	nmoves = nmoves > 0 ? nmoves : 0;
	n = n > 0 ? n : 0;
	if (nmoves == 0 && n == 0) {
		return true;
	}
	struct frame_buffer frame = present->ops->frame(present);
	if (frame.pixels == NULL) {
		present_set_error(err, err_size, "present: no frame buffer (a resize failed)");
		return false;
	}
	if (nmoves > 0 && !moves_fit(present, frame, moves, nmoves, err, err_size)) {
		return false;
	}
	int count = n > 0 ? clip_rects(present, rects, n) : 0;
	if (present_can_hold(present) && (nmoves > 0 || count > 0)) {
		present->ops->hold(present, at);
	}
	if (nmoves > 0) {
		present->ops->move(present, moves, nmoves, count == 0);
	}
	return count == 0 || present->ops->show(present, present->clipped, count, err, err_size);
}

bool present_take_lost(struct present *present)
{
	return present->ops->take_lost != NULL && present->ops->take_lost(present);
}
