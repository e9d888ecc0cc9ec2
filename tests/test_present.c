/*
 * The present backends against a real X server (run through xvfb-run; skipped without
 * DISPLAY). Each backend opens a window, is drawn into with cairo, presents dirty and full
 * rectangles, follows a resize, and what reached the screen is read back: from the window
 * surface for the surface backend, and from the X server itself (XGetImage) for both.
 */

#include "check.h"

#include "display/present.h"
#include "display/window.h"

#include <SDL.h>
#include <cairo.h>
#include <glob.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(SDL_VIDEO_DRIVER_X11) && defined(__has_include)
#if __has_include(<X11/Xlib.h>) && __has_include(<X11/Xutil.h>)
#define HAVE_X_READBACK 1
#include <SDL_syswm.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <dlfcn.h>
#endif
#endif

#define COLOUR_A 0x336699u
#define COLOUR_B 0xee4422u
#define COLOUR_C 0x22cc44u
#define COLOUR_D 0xf0e010u

/* Generous deadlines: on a loaded machine the X server answers late, never wrongly. */
#define SCREEN_WAIT_MS 10000
#define RESIZE_WAIT_MS 30000
#define X_CONNECT_WAIT_MS 60000

/* ---- drawing and reading pixels ---- */

static void fill(struct frame_buffer frame, struct irect r, uint32_t rgb)
{
	cairo_surface_t *surface = cairo_image_surface_create_for_data(
		frame.pixels, CAIRO_FORMAT_RGB24, frame.width, frame.height, frame.stride);
	CHECK_INT(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS);
	cairo_t *cr = cairo_create(surface);
	cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
			     (rgb & 0xff) / 255.0);
	cairo_rectangle(cr, r.x, r.y, r.w, r.h);
	cairo_fill(cr);
	cairo_destroy(cr);
	cairo_surface_flush(surface);
	cairo_surface_destroy(surface);
}

static uint32_t frame_rgb(struct frame_buffer frame, int x, int y)
{
	uint32_t word;
	memcpy(&word, frame.pixels + (size_t)y * frame.stride + (size_t)x * 4, sizeof(word));
	return word & 0xffffff; // cairo RGB24: the top byte is unused
}

static uint32_t surface_rgb(SDL_Surface *surface, int x, int y)
{
	const Uint8 *p = (const Uint8 *)surface->pixels + (size_t)y * surface->pitch +
			 (size_t)x * surface->format->BytesPerPixel;
	Uint32 pixel = 0;
	switch (surface->format->BytesPerPixel) {
	case 2: {
		Uint16 v;
		memcpy(&v, p, sizeof(v));
		pixel = v;
		break;
	}
	case 4:
		memcpy(&pixel, p, sizeof(pixel));
		break;
	default:
		CHECK(!"unexpected bytes per pixel");
	}
	Uint8 r, g, b;
	SDL_GetRGB(pixel, surface->format, &r, &g, &b);
	return (uint32_t)r << 16 | (uint32_t)g << 8 | b;
}

/* Equal within `tolerance` per channel: a 16-bit X screen keeps 5-6 bits per channel. */
static bool rgb_near(uint32_t a, uint32_t b, int tolerance)
{
	for (int shift = 0; shift <= 16; shift += 8) {
		int d = (int)((a >> shift) & 0xff) - (int)((b >> shift) & 0xff);
		if (d > tolerance || d < -tolerance) {
			return false;
		}
	}
	return true;
}

static void check_rgb_at(const char *where, int line, int x, int y, uint32_t actual,
			 uint32_t expected)
{
	if (!rgb_near(actual, expected, 8)) {
		printf("# %s:%d: %s at (%d,%d)\n#   expected: #%06x\n#   actual:   #%06x\n",
		       __FILE__, line, where, x, y, (unsigned)expected, (unsigned)actual);
		check_failures_in_case++;
	}
}

/* ---- reading back from the X server ---- */

#ifdef HAVE_X_READBACK
/* libX11 is already loaded by SDL; look its functions up rather than link the test to it. */
typedef XImage *(*get_image_fn)(Display *, Drawable, int, int, unsigned, unsigned,
				unsigned long, int);
typedef XErrorHandler (*set_error_handler_fn)(XErrorHandler);

static int x_errors;

static int count_x_error(Display *display, XErrorEvent *event)
{
	x_errors++;
	return 0;
}

static unsigned channel(unsigned long pixel, unsigned long mask)
{
	if (mask == 0) {
		return 0;
	}
	int shift = 0;
	while (!((mask >> shift) & 1)) {
		shift++;
	}
	unsigned long max = mask >> shift;
	return (unsigned)(((pixel & mask) >> shift) * 255 / max);
}

/* Reads one pixel of the window as the X server shows it; false when that is not possible. */
static bool x_rgb(SDL_Window *window, int x, int y, uint32_t *out)
{
	SDL_SysWMinfo info;
	SDL_VERSION(&info.version);
	if (!SDL_GetWindowWMInfo(window, &info) || info.subsystem != SDL_SYSWM_X11) {
		return false;
	}
	void *lib = dlopen("libX11.so.6", RTLD_LAZY);
	if (lib == NULL) {
		return false;
	}
	get_image_fn get_image = (get_image_fn)dlsym(lib, "XGetImage");
	set_error_handler_fn set_handler = (set_error_handler_fn)dlsym(lib, "XSetErrorHandler");
	XImage *image = NULL;
	if (get_image != NULL && set_handler != NULL) {
		x_errors = 0;
		XErrorHandler previous = set_handler(count_x_error);
		image = get_image(info.info.x11.display, info.info.x11.window, x, y, 1, 1,
				  AllPlanes, ZPixmap);
		set_handler(previous);
	}
	bool ok = image != NULL && x_errors == 0;
	if (image != NULL) {
		unsigned long pixel = XGetPixel(image, 0, 0);
		*out = channel(pixel, image->red_mask) << 16 |
		       channel(pixel, image->green_mask) << 8 | channel(pixel, image->blue_mask);
		XDestroyImage(image);
	}
	dlclose(lib);
	return ok;
}

/*
 * Xvfb resets whenever its last client leaves and refuses connections meanwhile (xvfb-run does
 * not pass -noreset): SDL's video init right after another program's window closed failed at
 * random ("x11 not available"). Wait until the server answers, then keep that connection open
 * until the test ends so that it cannot reset in between. Returns false after the deadline.
 */
static bool x_hold_display(void)
{
	void *lib = dlopen("libX11.so.6", RTLD_LAZY);
	Display *(*open_display)(const char *) =
		lib ? (Display * (*)(const char *)) dlsym(lib, "XOpenDisplay") : NULL;
	if (open_display == NULL) {
		return true; // nothing to hold with; SDL will say what is wrong
	}
	Uint64 start = SDL_GetTicks64();
	while (open_display(NULL) == NULL) { // kept open (and libX11 loaded) until exit
		if (SDL_GetTicks64() - start > X_CONNECT_WAIT_MS) {
			return false;
		}
		SDL_Delay(50);
	}
	return true;
}
#else
static bool x_rgb(SDL_Window *window, int x, int y, uint32_t *out)
{
	return false;
}

static bool x_hold_display(void)
{
	return true;
}
#endif

static bool x_readback_missing_noted;

/*
 * What the X server shows at (x, y) of the window. A present may reach the screen after the
 * call returns (the GL renderer swaps asynchronously), so the pixel is read again until it
 * matches or SCREEN_WAIT_MS has passed.
 */
static void check_screen(SDL_Window *window, int x, int y, uint32_t rgb, int line)
{
	uint32_t got;
	bool read = x_rgb(window, x, y, &got);
	Uint64 deadline = SDL_GetTicks64() + SCREEN_WAIT_MS;
	while (read && !rgb_near(got, rgb, 8) && SDL_GetTicks64() < deadline) {
		SDL_PumpEvents();
		SDL_Delay(10);
		read = x_rgb(window, x, y, &got);
	}
	if (read) {
		check_rgb_at("screen", line, x, y, got, rgb);
	} else if (!x_readback_missing_noted) {
		printf("# no X readback here: screen contents not checked\n");
		x_readback_missing_noted = true;
	}
}

/* The screen and, for the surface backend, the window surface SDL pushed to X. */
static void check_shows(SDL_Window *window, bool surface, int x, int y, uint32_t rgb, int line)
{
	check_screen(window, x, y, rgb, line);
	if (surface) {
		// The frame itself, or for another screen format its conversion.
		check_rgb_at("window surface", line, x, y,
			     surface_rgb(SDL_GetWindowSurface(window), x, y), rgb);
	}
}

#define CHECK_SCREEN(window, x, y, rgb) check_screen((window), (x), (y), (rgb), __LINE__)
#define CHECK_SHOWS(window, surface, x, y, rgb) \
	check_shows((window), (surface), (x), (y), (rgb), __LINE__)

/* ---- cases ---- */

static void kind_parse(void)
{
	static const struct {
		const char *name;
		bool ok;
		enum present_kind kind;
	} table[] = {
		{"auto", true, PRESENT_AUTO},
		{"renderer", true, PRESENT_RENDERER},
		{"surface", true, PRESENT_SURFACE},
		{"", false, PRESENT_AUTO},
		{"Surface", false, PRESENT_AUTO},
		{"surface ", false, PRESENT_AUTO},
		{"render", false, PRESENT_AUTO},
		{"gpu", false, PRESENT_AUTO},
		{"opengl", false, PRESENT_AUTO},
		{NULL, false, PRESENT_AUTO},
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		enum present_kind kind = (enum present_kind)99;
		bool ok = present_kind_parse(table[i].name, &kind);
		if (ok != table[i].ok) {
			printf("# \"%s\": expected %s\n", table[i].name ? table[i].name : "(null)",
			       table[i].ok ? "valid" : "invalid");
		}
		CHECK(ok == table[i].ok);
		if (table[i].ok) {
			CHECK_INT(kind, table[i].kind);
		} else {
			CHECK_INT(kind, 99); // untouched on failure
		}
	}
}

static void resolve_kind(void)
{
	CHECK_INT(present_resolve_kind(PRESENT_RENDERER), PRESENT_RENDERER);
	CHECK_INT(present_resolve_kind(PRESENT_SURFACE), PRESENT_SURFACE);
	enum present_kind resolved = present_resolve_kind(PRESENT_AUTO);
	CHECK(resolved == PRESENT_RENDERER || resolved == PRESENT_SURFACE);
	glob_t nodes;
	if (glob("/dev/dri/renderD*", 0, NULL, &nodes) != 0) {
		CHECK_INT(resolved, PRESENT_SURFACE); // no render node: no GPU
	} else {
		globfree(&nodes);
	}
}

static void bad_display(void)
{
	CHECK(SDL_InitSubSystem(SDL_INIT_VIDEO) == 0);
	int count = SDL_GetNumVideoDisplays();
	char expected[80];
	snprintf(expected, sizeof(expected), "display %d does not exist (%d display%s)",
		 count + 2, count, count == 1 ? "" : "s");
	char err[256] = "";
	struct window_options opts = {.width = 64, .height = 64, .display_index = count + 2};
	CHECK(window_create(&opts, PRESENT_SURFACE, err, sizeof(err)) == NULL);
	CHECK_STR(err, expected);

	opts.display_index = -2;
	CHECK(window_create(&opts, PRESENT_SURFACE, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "display -2 does not exist") == err);
	SDL_QuitSubSystem(SDL_INIT_VIDEO);
}

static void bad_arguments(void)
{
	char err[256] = "";
	CHECK(present_create(NULL, PRESENT_SURFACE, false, err, sizeof(err)) == NULL);
	CHECK_STR(err, "present: no window");
	CHECK(present_create(NULL, (enum present_kind)42, false, err, sizeof(err)) == NULL);
	CHECK_STR(err, "present: unknown backend 42");
	// A NULL or empty error buffer is allowed: the message is dropped.
	CHECK(present_create(NULL, PRESENT_SURFACE, false, NULL, 0) == NULL);
	present_destroy(NULL);
	window_destroy(NULL);
}

/* Waits until SDL has seen the window reach w x h (the X server answers asynchronously). */
static bool wait_for_size(SDL_Window *window, int w, int h)
{
	Uint64 deadline = SDL_GetTicks64() + RESIZE_WAIT_MS;
	do {
		SDL_PumpEvents();
		int cw, ch;
		window_pixel_size(window, &cw, &ch);
		if (cw == w && ch == h) {
			return true;
		}
		SDL_Delay(10);
	} while (SDL_GetTicks64() < deadline);
	return false;
}

/* `surface`: SDL's window surface is the frame buffer, and is checked too. */
static void draw_and_present(SDL_Window *window, struct present *present, bool surface)
{
	char err[256] = "";
	struct frame_buffer frame = present_frame(present);
	struct irect full = {0, 0, frame.width, frame.height};
	present_wait_idle(present);
	fill(frame, full, COLOUR_A);
	check_rgb_at("frame", __LINE__, 5, 5, frame_rgb(frame, 5, 5), COLOUR_A);
	CHECK(present_rects(present, &full, 1, err, sizeof(err)));
	CHECK_SHOWS(window, surface, 0, 0, COLOUR_A);
	CHECK_SHOWS(window, surface, 639, 359, COLOUR_A);

	// Draw two areas, present only one of them plus rectangles that clip away.
	struct irect dirty = {10, 10, 100, 50};
	present_wait_idle(present); // the server may still read the last put
	fill(frame, dirty, COLOUR_B);
	fill(frame, (struct irect){300, 200, 50, 50}, COLOUR_C);
	const struct irect rects[] = {
		dirty,
		{-20, -20, 10, 10},     // entirely outside
		{600, 300, 100, 100},   // partly outside
		{5, 5, 0, 10},          // empty
		{-5, 340, 20, 1000},    // partly outside on two sides
	};
	CHECK(present_rects(present, rects, 5, err, sizeof(err)));
	CHECK_STR(err, "");
	CHECK_SHOWS(window, surface, 10, 10, COLOUR_B);
	CHECK_SHOWS(window, surface, 109, 59, COLOUR_B);
	CHECK_SHOWS(window, surface, 110, 60, COLOUR_A);
	CHECK_SHOWS(window, surface, 639, 359, COLOUR_A);
	// Not presented: the screen keeps the old colour (the surface itself already has it).
	CHECK_SCREEN(window, 320, 220, COLOUR_A);

	// Nothing to present, nothing left after clipping: both fine.
	CHECK(present_rects(present, NULL, 0, err, sizeof(err)));
	CHECK(present_rects(present, &rects[1], 1, err, sizeof(err)));
	CHECK(present_rects(present, &full, 1, err, sizeof(err)));
	CHECK_SCREEN(window, 320, 220, COLOUR_C);
}

static void resize_and_present(SDL_Window *window, struct present *present, bool surface,
			       bool own_buffer)
{
	char err[256] = "";
	SDL_SetWindowSize(window, 800, 450);
	CHECK(wait_for_size(window, 800, 450));
	if (own_buffer) {
		// The old surface is stale: presenting before present_resize() is refused.
		struct irect r = {0, 0, 10, 10};
		CHECK(!present_rects(present, &r, 1, err, sizeof(err)));
		CHECK(strstr(err, "present_resize") != NULL);
		err[0] = '\0';
	}
	CHECK(present_resize(present, err, sizeof(err)));
	CHECK_STR(err, "");
	struct frame_buffer frame = present_frame(present);
	CHECK_INT(frame.width, 800);
	CHECK_INT(frame.height, 450);
	CHECK(frame.stride >= 800 * 4);
	struct irect full = {0, 0, frame.width, frame.height};
	present_wait_idle(present);
	fill(frame, full, COLOUR_D);
	CHECK(present_rects(present, &full, 1, err, sizeof(err)));
	CHECK_STR(err, "");
	CHECK_SHOWS(window, surface, 0, 0, COLOUR_D);
	CHECK_SHOWS(window, surface, 799, 449, COLOUR_D);
	CHECK_SHOWS(window, surface, 700, 400, COLOUR_D);
}

static void backend(enum present_kind kind, const char *description, bool sdl_surface)
{
	char err[256] = "";
	struct window_options opts = {
		.title = "test_present",
		.width = 640,
		.height = 360,
		.display_index = -1,
		.resizable = true,
	};
	SDL_Window *window = window_create(&opts, kind, err, sizeof(err));
	if (window == NULL) {
		printf("# window_create: %s\n", err);
		CHECK(window != NULL);
		return;
	}
	struct present *present = present_create(window, kind, true, err, sizeof(err));
	if (present == NULL) {
		printf("# present_create: %s\n", err);
		CHECK(present != NULL);
		window_destroy(window);
		return;
	}
	printf("# %s\n", present_describe(present));
	CHECK(strncmp(present_describe(present), description, strlen(description)) == 0);
	if (kind == PRESENT_SURFACE) {
		CHECK_STR(present_describe(present), description);
	}
	struct frame_buffer frame = present_frame(present);
	CHECK(frame.pixels != NULL);
	CHECK_INT(frame.width, 640);
	CHECK_INT(frame.height, 360);
	CHECK(frame.stride >= 640 * 4 && frame.stride % 4 == 0);

	draw_and_present(window, present, sdl_surface);
	resize_and_present(window, present, sdl_surface, kind == PRESENT_SURFACE);
	present_destroy(present);
	window_destroy(window);
}

/* On X11 the surface backend is our own XShm image; CITYWALL_XSHM=0 asks for SDL's. */
static void surface_backend(void)
{
#ifdef CITYWALL_XSHM
	backend(PRESENT_SURFACE, "surface (xshm)", false);
#else
	backend(PRESENT_SURFACE, "surface", true);
#endif
}

static void sdl_surface_backend(void)
{
	setenv("CITYWALL_XSHM", "0", 1);
	backend(PRESENT_SURFACE, "surface", true);
	unsetenv("CITYWALL_XSHM");
}

static void renderer_backend(void)
{
	backend(PRESENT_RENDERER, "renderer (", false);
}

#ifdef CITYWALL_XSHM
/* The colour of column x of the moving pattern at `shift`: every column its own. */
static uint32_t stripe_rgb(int x, int shift)
{
	unsigned v = (unsigned)(x + shift);
	return ((v * 37u) & 0xff) << 16 | ((v * 11u) & 0xff) << 8 | (v & 0xff);
}

static void fill_stripes(struct frame_buffer frame, struct irect r, int shift)
{
	for (int y = r.y; y < r.y + r.h; y++) {
		uint32_t *row = (uint32_t *)(void *)(frame.pixels + (size_t)y * frame.stride);
		for (int x = r.x; x < r.x + r.w; x++) {
			row[x] = stripe_rgb(x, shift);
		}
	}
}

/*
 * A 640x360 window with the surface backend on it; NULL (with the reason printed and checked)
 * when either cannot be made.
 */
static struct present *open_surface_window(SDL_Window **window)
{
	char err[256] = "";
	struct window_options opts = {.title = "test_present", .width = 640, .height = 360,
				      .display_index = -1};
	*window = window_create(&opts, PRESENT_SURFACE, err, sizeof(err));
	CHECK(*window != NULL);
	struct present *present = *window ? present_create(*window, PRESENT_SURFACE, true, err,
							   sizeof(err))
					  : NULL;
	if (present == NULL) {
		printf("# %s\n", err);
		CHECK(present != NULL);
		window_destroy(*window);
	}
	return present;
}

/*
 * A crawl's steps as moves: a band of stripes shown whole, then moved left on the screen a
 * few columns at a time while only the columns that come in are drawn and put. The screen
 * shows the stripes at the last step; the frame's middle still holds the first. With another
 * window over the band the move cannot copy what it covers, and present_take_lost() says so.
 */
static void surface_backend_moves(void)
{
	char err[256] = "";
	SDL_Window *window;
	struct present *present = open_surface_window(&window);
	if (present == NULL) {
		return;
	}
	CHECK(present_can_move(present));
	struct frame_buffer frame = present_frame(present);
	struct irect band = {20, 100, 600, 20};
	present_wait_idle(present);
	fill(frame, (struct irect){0, 0, frame.width, frame.height}, COLOUR_A);
	fill_stripes(frame, band, 0);
	struct irect full = {0, 0, frame.width, frame.height};
	CHECK(present_rects(present, &full, 1, err, sizeof(err)));
	int shift = 0;
	for (int step = 1; step <= 40; step++) {
		int dx = 1 + step % 3;
		shift += dx;
		present_wait_idle(present);
		struct irect enters = {band.x + band.w - dx, band.y, dx, band.h};
		fill_stripes(frame, enters, shift);
		struct screen_move move = {{band.x + dx, band.y, band.w - dx, band.h}, -dx};
		CHECK(present_update(present, &move, 1, &enters, 1, err, sizeof(err)));
	}
	present_wait_idle(present);
	CHECK(!present_take_lost(present));
	int columns[] = {band.x, band.x + 1, band.x + 57, band.x + 300, band.x + band.w - 2,
			 band.x + band.w - 1};
	for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++) {
		CHECK_SCREEN(window, columns[i], band.y + 5, stripe_rgb(columns[i], shift));
	}
	CHECK_SCREEN(window, band.x - 1, band.y, COLOUR_A);
	CHECK_SCREEN(window, band.x + band.w, band.y, COLOUR_A);
	/* Another window over the band: what it covers cannot be moved, and the backend says so. */
	int wx, wy;
	SDL_GetWindowPosition(window, &wx, &wy);
	SDL_Window *cover = SDL_CreateWindow("cover", wx + band.x + 100, wy + band.y - 5, 100, 30,
					     SDL_WINDOW_BORDERLESS | SDL_WINDOW_SHOWN);
	CHECK(cover != NULL);
	SDL_PumpEvents();
	SDL_Delay(200);
	bool lost = false;
	for (int attempt = 0; attempt < 50 && !lost; attempt++) {
		present_wait_idle(present);
		struct irect enters = {band.x + band.w - 2, band.y, 2, band.h};
		struct screen_move move = {{band.x + 2, band.y, band.w - 2, band.h}, -2};
		CHECK(present_update(present, &move, 1, &enters, 1, err, sizeof(err)));
		present_wait_idle(present);
		lost = present_take_lost(present);
		SDL_PumpEvents();
		SDL_Delay(20);
	}
	CHECK(lost);
	/* Losses are read as they come: the last moves' may come after the one that ended it. */
	SDL_Delay(200);
	(void)present_take_lost(present);
	CHECK(!present_take_lost(present)); // taken: cleared
	SDL_DestroyWindow(cover);
	/* A move that would leave the frame is refused. */
	struct screen_move out = {{band.x, band.y, band.w, band.h}, -band.x - 1};
	CHECK(!present_update(present, &out, 1, &full, 1, err, sizeof(err)));
	CHECK(strstr(err, "leaves the 640x360 frame") != NULL);
	present_destroy(present);
	window_destroy(window);
}

/* Seconds of CLOCK_MONOTONIC, the clock present_update_at() and the X server count in. */
static double monotonic_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Updates held for later: each shows at its time, not before, and in order. Six frames of
 * 200x100 (80 KB each) go through the 256 KiB ring: two shown now, one held, then two held
 * that only fit where the ring starts again, and a sixth that fits nowhere and is read from
 * the frame buffer itself (which stays busy until then). Each has its own place on the
 * screen, so the screen shows what each copy held.
 */
static void surface_backend_held(void)
{
	char err[256] = "";
	SDL_Window *window;
	struct present *present = open_surface_window(&window);
	if (present == NULL) {
		return;
	}
	CHECK(present_can_hold(present));
	struct frame_buffer frame = present_frame(present);
	struct irect full = {0, 0, frame.width, frame.height};
	present_wait_idle(present);
	fill(frame, full, COLOUR_A);
	CHECK(present_rects(present, &full, 1, err, sizeof(err)));
	present_wait_idle(present);
	uint32_t colours[6] = {0x102030, 0x405060, 0x708090, 0xa0b0c0, 0xd0e0f0, 0xf0c020};
	struct irect places[6];
	for (int i = 0; i < 6; i++) {
		places[i] = (struct irect){10 + (i % 3) * 210, 10 + (i / 3) * 110, 200, 100};
	}
	double later = monotonic_seconds() + 1.0;
	double at[6] = {0, 0, later, later + 0.01, later + 0.02, later + 0.03};
	bool free_after[6] = {true, true, true, true, true, false};
	for (int i = 0; i < 6; i++) {
		if (i == 3) {
			SDL_Delay(300); // the first two are read and their room given back
			CHECK(!present_take_lost(present));
		}
		present_wait_idle(present);
		fill(frame, places[i], colours[i]);
		CHECK(present_update_at(present, at[i], NULL, 0, &places[i], 1, err, sizeof(err)));
		present_flush(present);
		CHECK(present_frame_free(present) == free_after[i]);
	}
	uint32_t got;
	if (monotonic_seconds() < later - 0.2 &&
	    x_rgb(window, places[2].x + 5, places[2].y + 5, &got)) {
		CHECK(rgb_near(got, COLOUR_A, 8)); // held: not on the screen before its time
	}
	present_wait_idle(present); // the sixth is read from the frame buffer at its time
	CHECK(monotonic_seconds() >= later + 0.03 - 0.002);
	for (int i = 0; i < 6; i++) {
		CHECK_SCREEN(window, places[i].x + 5, places[i].y + 5, colours[i]);
		CHECK_SCREEN(window, places[i].x + 199, places[i].y + 99, colours[i]);
	}
	present_destroy(present);
	window_destroy(window);
}
#endif

static const struct check_case cases[] = {
	{"present_kind_parse", kind_parse},
	{"present_resolve_kind", resolve_kind},
	{"window_create on a display that does not exist", bad_display},
	{"bad arguments", bad_arguments},
	{"surface backend: draw, dirty rects, resize", surface_backend},
	{"surface backend through SDL's window surface: the same", sdl_surface_backend},
#ifdef CITYWALL_XSHM
	{"surface (xshm) backend: a band moved on the screen, the columns that come in put",
	 surface_backend_moves},
	{"surface (xshm) backend: updates held for later show at their time, in order",
	 surface_backend_held},
#endif
	{"renderer backend: draw, dirty rects, resize", renderer_backend},
};

int main(void)
{
	const char *display = getenv("DISPLAY");
	if (display == NULL || display[0] == '\0') {
		printf("1..0 # SKIP no X display\n");
		return 0;
	}
	// This test is about X: do not let a stray SDL_VIDEODRIVER pick another driver.
	SDL_SetHint(SDL_HINT_VIDEODRIVER, "x11");
	if (!x_hold_display()) {
		printf("Bail out! the X server on %s did not answer within %d s\n", display,
		       X_CONNECT_WAIT_MS / 1000);
		return 1;
	}
	int status = check_run(cases, sizeof(cases) / sizeof(cases[0]));
	SDL_Quit();
	return status;
}
