/*
 * citywall-frame-floor: the CPU a 60 fps wall cannot go below on this machine, whatever it
 * draws. In a real window on $DISPLAY, through citywall's own present path and event wait
 * (src/display), for SECONDS each:
 *
 *   wake             woken on the 1/60 s grid, nothing drawn or shown
 *   wake+put         and a band of ROWS full-width rows shown (XShmPutImage), as a crawl is
 *   wake+copy+put    and the band copied into the frame first, moved 2 px a frame
 *
 * CPU is this process's user + system time over the window (getrusage), as % of one core.
 * bench/run prints it beside citywall's own CPU: what a crawl at that size costs with no board.
 *
 *   citywall-frame-floor [--seconds S] [--rows N] [WxH]   (default 10 s, 40 rows, 1920x1080)
 */

#include "display/events.h"
#include "display/present.h"
#include "display/window.h"
#include "util/timefmt.h"

#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define FPS 60.0

enum variant { WAKE, WAKE_PUT, WAKE_COPY_PUT };

static const char *const variant_names[] = {"wake", "wake+put", "wake+copy+put"};

static double cpu_seconds(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return (double)u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + (double)u.ru_stime.tv_sec +
	       u.ru_stime.tv_usec / 1e6;
}

/* A source twice the band's width, so that any 2-px step has a whole window to copy. */
static unsigned char *make_source(int width, int rows)
{
	unsigned char *src = malloc((size_t)width * 2 * 4 * (size_t)rows);
	for (size_t i = 0; src && i < (size_t)width * 2 * (size_t)rows; i++) {
		uint32_t px = (uint32_t)(i * 2654435761u) & 0xffffff;
		memcpy(src + i * 4, &px, 4);
	}
	return src;
}

static void copy_band(struct frame_buffer fb, const unsigned char *src, int rows, long frame)
{
	int shift = (int)((frame * 2) % fb.width);
	for (int y = 0; y < rows; y++) {
		memcpy(fb.pixels + (size_t)(fb.height - rows + y) * (size_t)fb.stride,
		       src + ((size_t)y * (size_t)fb.width * 2 + (size_t)shift) * 4,
		       (size_t)fb.width * 4);
	}
}

/* Runs one variant for `seconds`; returns CPU % of one core, and the frames shown in *frames. */
static double run(struct present *present, struct event_wait *events, enum variant v, int rows,
		  const unsigned char *src, double seconds, long *frames)
{
	struct frame_buffer fb = present_frame(present);
	struct irect band = {0, fb.height - rows, fb.width, rows};
	double start = time_monotonic(), cpu = cpu_seconds();
	long n = 0;
	for (double now = start; now - start < seconds; now = time_monotonic()) {
		double next = (floor(now * FPS) + 1) / FPS; // citywall's crawl deadline
		SDL_Event ev;
		while (event_wait_next(events, next - time_monotonic(), &ev)) {
		}
		if (v == WAKE) {
			n++;
			continue;
		}
		present_wait_idle(present);
		if (v == WAKE_COPY_PUT) {
			copy_band(fb, src, rows, n);
		}
		present_rects(present, &band, 1, NULL, 0);
		n++;
	}
	*frames = n;
	return (cpu_seconds() - cpu) / (time_monotonic() - start) * 100;
}

static int usage(void)
{
	fprintf(stderr, "usage: citywall-frame-floor [--seconds S] [--rows N] [WxH]\n");
	return 2;
}

int main(int argc, char **argv)
{
	double seconds = 10;
	int rows = 40, width = 1920, height = 1080;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
			seconds = atof(argv[++i]);
		} else if (strcmp(argv[i], "--rows") == 0 && i + 1 < argc) {
			rows = atoi(argv[++i]);
		} else if (sscanf(argv[i], "%dx%d", &width, &height) != 2) {
			return usage();
		}
	}
	if (seconds <= 0 || width < 16 || height < 16 || rows < 1 || rows > height) {
		return usage();
	}
	char err[256];
	struct window_options opts = {.title = "citywall-frame-floor", .width = width,
				      .height = height, .display_index = -1};
	SDL_Window *window = window_create(&opts, PRESENT_SURFACE, err, sizeof(err));
	struct present *present =
		window ? present_create(window, PRESENT_SURFACE, false, err, sizeof(err)) : NULL;
	unsigned char *src = make_source(width, rows);
	if (!present || !src) {
		fprintf(stderr, "citywall-frame-floor: %s\n", src ? err : "out of memory");
		return 1;
	}
	struct frame_buffer fb = present_frame(present);
	memset(fb.pixels, 0, (size_t)fb.stride * (size_t)fb.height);
	present_rects(present, &(struct irect){0, 0, fb.width, fb.height}, 1, NULL, 0);
	struct event_wait *events = event_wait_create(window);
	printf("frame floor %dx%d, %d rows (%zu KiB a frame), %s, %s:", fb.width, fb.height, rows,
	       (size_t)fb.width * 4 * (size_t)rows / 1024, present_describe(present),
	       event_wait_describe(events));
	for (int v = WAKE; v <= WAKE_COPY_PUT; v++) {
		long frames;
		double cpu = run(present, events, (enum variant)v, rows, src, seconds, &frames);
		printf(" %s %.2f%% (%.1f fps)%s", variant_names[v], cpu, frames / seconds,
		       v == WAKE_COPY_PUT ? "\n" : ";");
		fflush(stdout);
	}
	event_wait_destroy(events);
	free(src);
	present_destroy(present);
	window_destroy(window);
	SDL_Quit();
	return 0;
}
