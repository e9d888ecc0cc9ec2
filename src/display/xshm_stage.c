#include "display/xshm_stage.h"

#include "display/present_backend.h"

#include <X11/Xutil.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

/* XSetErrorHandler is process-wide: it is set only around the one call that may fail. */
static int attach_error;

static int note_attach_error(Display *display, XErrorEvent *event)
{
	(void)display;
	attach_error = event->error_code;
	return 0;
}

bool xshm_segment_attach(Display *display, XShmSegmentInfo *shm, size_t bytes, char *err,
			 size_t err_size)
{
	shm->shmid = shmget(IPC_PRIVATE, bytes, IPC_CREAT | 0600);
	if (shm->shmid < 0) {
		present_set_error(err, err_size, "xshm: shmget of %zu bytes: %s", bytes,
				  strerror(errno));
		return false;
	}
	shm->shmaddr = shmat(shm->shmid, NULL, 0);
	if (shm->shmaddr == (char *)-1) {
		present_set_error(err, err_size, "xshm: shmat: %s", strerror(errno));
		shmctl(shm->shmid, IPC_RMID, NULL);
		return false;
	}
	shm->readOnly = True;
	attach_error = 0;
	XErrorHandler previous = XSetErrorHandler(note_attach_error);
	Status attached = XShmAttach(display, shm);
	XSync(display, False);
	XSetErrorHandler(previous);
	shmctl(shm->shmid, IPC_RMID, NULL); // gone once both sides have detached
	if (!attached || attach_error != 0) {
		present_set_error(err, err_size,
				  "xshm: the X server cannot attach shared memory (error %d; "
				  "a remote display?)",
				  attach_error);
		shmdt(shm->shmaddr);
		return false;
	}
	return true;
}

static XSyncCounter find_servertime(Display *display)
{
	int event_base, error_base, major, minor;
	if (!XSyncQueryExtension(display, &event_base, &error_base) ||
	    !XSyncInitialize(display, &major, &minor)) {
		return 0;
	}
	int n = 0;
	XSyncSystemCounter *counters = XSyncListSystemCounters(display, &n);
	XSyncCounter found = 0;
	for (int i = 0; i < n; i++) {
		if (strcmp(counters[i].name, "SERVERTIME") == 0) {
			found = counters[i].counter;
		}
	}
	if (counters != NULL) {
		XSyncFreeSystemCounterList(counters);
	}
	return found;
}

bool xshm_stage_open(struct xshm_stage *stage, Display *display, Visual *visual, int depth,
		     size_t bytes, char *err, size_t err_size)
{
	*stage = (struct xshm_stage){0};
	XSyncCounter servertime = find_servertime(display);
	if (servertime == 0) {
		present_set_error(err, err_size,
				  "xshm: the X server has no SYNC SERVERTIME counter");
		return false;
	}
	/* A 1-pixel image: each put sets the size and place of what it sends. */
	stage->image = XShmCreateImage(display, visual, (unsigned)depth, ZPixmap, NULL, &stage->shm,
				       1, 1);
	if (stage->image == NULL) {
		present_set_error(err, err_size, "xshm: XShmCreateImage for the stage failed");
		return false;
	}
	if (!xshm_segment_attach(display, &stage->shm, bytes, err, err_size)) {
		XDestroyImage(stage->image);
		stage->image = NULL;
		return false;
	}
	stage->image->data = stage->shm.shmaddr;
	stage->bytes = bytes;
	stage->servertime = servertime;
	return true;
}

void xshm_stage_close(struct xshm_stage *stage, Display *display)
{
	if (stage->image == NULL) {
		return;
	}
	XShmDetach(display, &stage->shm);
	XSync(display, False); // the server has run every held request and let go of the ring
	stage->image->data = NULL;
	XDestroyImage(stage->image);
	shmdt(stage->shm.shmaddr);
	*stage = (struct xshm_stage){0};
}

bool xshm_stage_on(const struct xshm_stage *stage)
{
	return stage->image != NULL;
}

void xshm_stage_await(struct xshm_stage *stage, Display *display, double at)
{
	/* SERVERTIME counts whole milliseconds: the first one at or after `at`. */
	long long ms = (long long)ceil(at * 1000.0);
	XSyncWaitCondition condition = {0};
	condition.trigger.counter = stage->servertime;
	condition.trigger.value_type = XSyncAbsolute;
	XSyncIntsToValue(&condition.trigger.wait_value, (unsigned)(ms & 0xffffffffLL),
			 (int)(ms >> 32));
	condition.trigger.test_type = XSyncPositiveComparison;
	XSyncIntToValue(&condition.event_threshold, 0);
	XSyncAwait(display, &condition, 1);
}

static size_t rects_bytes(const SDL_Rect *rects, int n)
{
	size_t bytes = 0;
	for (int i = 0; i < n; i++) {
		bytes += (size_t)rects[i].w * (size_t)rects[i].h * 4;
	}
	return bytes;
}

/* Where `need` bytes fit after the frames the server has yet to read; false: no room now. */
static bool find_room(const struct xshm_stage *stage, size_t need, size_t *at)
{
	if (stage->count == XSHM_STAGE_FRAMES || need > stage->bytes) {
		return false;
	}
	if (stage->count == 0) {
		*at = 0;
		return true;
	}
	size_t oldest = stage->pending[stage->first].start;
	const struct xshm_staged_frame *newest =
		&stage->pending[(stage->first + stage->count - 1) % XSHM_STAGE_FRAMES];
	if (newest->start >= oldest) { // in use: [oldest, head)
		if (stage->head + need <= stage->bytes) {
			*at = stage->head;
			return true;
		}
		*at = 0;
		return need <= oldest;
	}
	*at = stage->head; // wrapped, in use: [oldest, end of ring) and [0, head)
	return stage->head + need <= oldest;
}

static void copy_rect(unsigned char *to, const unsigned char *pixels, int stride, SDL_Rect r)
{
	size_t row = (size_t)r.w * 4;
	const unsigned char *from = pixels + (size_t)r.y * (size_t)stride + (size_t)r.x * 4;
	for (int y = 0; y < r.h; y++) {
		memcpy(to + (size_t)y * row, from + (size_t)y * (size_t)stride, row);
	}
}

bool xshm_stage_put(struct xshm_stage *stage, Display *display, Window window, GC gc,
		    const unsigned char *pixels, int stride, const SDL_Rect *rects, int n)
{
	size_t need = rects_bytes(rects, n), start;
	if (n <= 0 || !find_room(stage, need, &start)) {
		return false;
	}
	size_t at = start;
	unsigned long serial = 0;
	for (int i = 0; i < n; i++) {
		const SDL_Rect *r = &rects[i];
		copy_rect((unsigned char *)stage->shm.shmaddr + at, pixels, stride, *r);
		stage->image->data = stage->shm.shmaddr + at;
		stage->image->width = r->w;
		stage->image->height = r->h;
		stage->image->bytes_per_line = r->w * 4;
		bool last = i == n - 1;
		if (last) {
			serial = NextRequest(display);
		}
		XShmPutImage(display, window, gc, stage->image, 0, 0, r->x, r->y, (unsigned)r->w,
			     (unsigned)r->h, last ? True : False);
		at += (size_t)r->w * (size_t)r->h * 4;
	}
	stage->image->data = stage->shm.shmaddr;
	int slot = (stage->first + stage->count) % XSHM_STAGE_FRAMES;
	stage->pending[slot] = (struct xshm_staged_frame){serial, start, at};
	stage->count++;
	stage->head = at;
	return true;
}

void xshm_stage_completed(struct xshm_stage *stage, unsigned long serial)
{
	while (stage->count > 0 &&
	       (long)(serial - stage->pending[stage->first].serial) >= 0) {
		stage->first = (stage->first + 1) % XSHM_STAGE_FRAMES;
		stage->count--;
	}
}

bool xshm_stage_busy(const struct xshm_stage *stage)
{
	return stage->count > 0;
}
