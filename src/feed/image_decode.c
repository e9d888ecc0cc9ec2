#include "feed/image_decode.h"

#include "util/timefmt.h"
#include "util/xmalloc.h"

#include <curl/curl.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* jpeglib.h needs size_t and FILE declared first. */
#include <jerror.h>
#include <jpeglib.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define NATIVE_BIG_ENDIAN 1
#else
#define NATIVE_BIG_ENDIAN 0
#endif

/*
 * libjpeg may need memory beyond the output rows: a progressive file keeps every DCT
 * coefficient (2 bytes per sample) until the last scan. At the pixel limit with three full
 * components that is 240 MB; more than this cap makes libjpeg fail instead of allocating.
 */
#define JPEG_MAX_MEMORY (320u * 1024 * 1024)

static const unsigned char png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

const char *image_sniff(const void *data, size_t len)
{
	const unsigned char *b = data;
	if (len >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff) {
		return "image/jpeg";
	}
	if (len >= sizeof(png_magic) && memcmp(b, png_magic, sizeof(png_magic)) == 0) {
		return "image/png";
	}
	return NULL;
}

/* Refuses dimensions past the limits; called with the header's numbers, before allocating. */
static bool size_allowed(unsigned long width, unsigned long height, char *err, size_t err_size)
{
	if (width == 0 || height == 0) {
		snprintf(err, err_size, "image has no pixels (%lu x %lu)", width, height);
		return false;
	}
	if (width > IMAGE_MAX_SIDE || height > IMAGE_MAX_SIDE ||
	    (uint64_t)width * height > IMAGE_MAX_PIXELS) {
		snprintf(err, err_size,
			 "image of %lu x %lu pixels exceeds the limit (%d per side, %u in all)",
			 width, height, IMAGE_MAX_SIDE, IMAGE_MAX_PIXELS);
		return false;
	}
	return true;
}

static struct image_data *image_alloc(int width, int height)
{
	struct image_data *image = xcalloc(1, sizeof(*image));
	image->width = width;
	image->height = height;
	image->stride = width * 4;
	image->pixels = xmalloc((size_t)image->stride * (size_t)height);
	return image;
}

/* ---- JPEG ---- */

struct jpeg_failure {
	struct jpeg_error_mgr pub; // first: libjpeg hands us a pointer to it
	jmp_buf jump;
	char message[JMSG_LENGTH_MAX];
};

/*
 * One decode's state, kept by jpeg_decode()'s caller: everything that changes after setjmp()
 * lives here rather than in the frame of the function that called setjmp(), whose non-volatile
 * locals would be indeterminate after the longjmp.
 */
struct jpeg_job {
	struct jpeg_decompress_struct cinfo;
	struct jpeg_failure failure;
	struct jpeg_progress_mgr progress;
	struct image_data *image; // owned until handed to the caller
};

static _Noreturn void jpeg_fail(j_common_ptr cinfo)
{
	struct jpeg_failure *f = (struct jpeg_failure *)(void *)cinfo->err;
	cinfo->err->format_message(cinfo, f->message);
	longjmp(f->jump, 1);
}

/* A warning that still leaves a picture we can trust. */
static bool benign_warning(int code)
{
	return code == JWRN_EXTRANEOUS_DATA || code == JWRN_JFIF_MAJOR ||
	       code == JWRN_ADOBE_XFORM || code == JWRN_BOGUS_ICC;
}

/*
 * libjpeg reports damaged data as warnings and goes on with grey blocks: a truncated file
 * ends with "Premature end of JPEG file" and a half-grey picture. On the wall the last good
 * picture is better than a damaged one, so those warnings are errors here.
 */
static void jpeg_message(j_common_ptr cinfo, int level)
{
	if (level < 0 && !benign_warning(cinfo->err->msg_code)) {
		jpeg_fail(cinfo);
	}
}

/* Caps the scans of a progressive file: thousands of tiny scans are a known CPU bomb. */
static void jpeg_progress(j_common_ptr cinfo)
{
	if (!cinfo->is_decompressor) {
		return;
	}
	j_decompress_ptr d = (j_decompress_ptr)cinfo;
	if (d->input_scan_number > IMAGE_MAX_JPEG_SCANS) {
		struct jpeg_failure *f = (struct jpeg_failure *)(void *)cinfo->err;
		snprintf(f->message, sizeof(f->message), "more than %d progressive scans",
			 IMAGE_MAX_JPEG_SCANS);
		longjmp(f->jump, 1);
	}
}

/* CMYK as Adobe writes it (inverted when the Adobe marker says so) to opaque ARGB, in place. */
static void cmyk_to_argb(struct image_data *image, bool inverted)
{
	size_t count = (size_t)image->width * (size_t)image->height;
	unsigned char *p = image->pixels;
	for (size_t i = 0; i < count; i++, p += 4) {
		unsigned c = p[0], m = p[1], y = p[2], k = p[3];
		if (!inverted) {
			c = 255 - c, m = 255 - m, y = 255 - y, k = 255 - k;
		}
		uint32_t r = (c * k + 127) / 255, g = (m * k + 127) / 255, b = (y * k + 127) / 255;
		uint32_t argb = 0xff000000u | r << 16 | g << 8 | b;
		memcpy(p, &argb, 4);
	}
}

static J_COLOR_SPACE output_space(const struct jpeg_decompress_struct *cinfo)
{
	if (cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK) {
		return JCS_CMYK; // libjpeg converts YCCK to CMYK but not to RGB
	}
	/* Bytes B, G, R, A on little-endian machines are the uint32 0xAARRGGBB cairo wants. */
	return NATIVE_BIG_ENDIAN ? JCS_EXT_ARGB : JCS_EXT_BGRA;
}

/* The part that may longjmp back: header, limits, scanlines. */
static bool jpeg_run(struct jpeg_job *job, const void *data, size_t len, char *err,
		     size_t err_size)
{
	struct jpeg_decompress_struct *cinfo = &job->cinfo;
	if (setjmp(job->failure.jump)) {
		snprintf(err, err_size, "JPEG: %s", job->failure.message);
		return false;
	}
	jpeg_create_decompress(cinfo);
	cinfo->mem->max_memory_to_use = JPEG_MAX_MEMORY;
	job->progress.progress_monitor = jpeg_progress;
	cinfo->progress = &job->progress;
	jpeg_mem_src(cinfo, data, (unsigned long)len);
	jpeg_read_header(cinfo, TRUE);
	if (!size_allowed(cinfo->image_width, cinfo->image_height, err, err_size)) {
		return false;
	}
	cinfo->out_color_space = output_space(cinfo);
	jpeg_start_decompress(cinfo);
	job->image = image_alloc((int)cinfo->output_width, (int)cinfo->output_height);
	while (cinfo->output_scanline < cinfo->output_height) {
		JSAMPROW row = job->image->pixels +
			       (size_t)cinfo->output_scanline * (size_t)job->image->stride;
		jpeg_read_scanlines(cinfo, &row, 1);
	}
	/* Reads up to the end marker: a file cut after the last row still fails here. */
	jpeg_finish_decompress(cinfo);
	if (cinfo->out_color_space == JCS_CMYK) {
		cmyk_to_argb(job->image, cinfo->saw_Adobe_marker);
	}
	return true;
}

static struct image_data *jpeg_decode(const void *data, size_t len, char *err, size_t err_size)
{
	struct jpeg_job job;
	memset(&job, 0, sizeof(job));
	job.cinfo.err = jpeg_std_error(&job.failure.pub);
	job.failure.pub.error_exit = jpeg_fail;
	job.failure.pub.emit_message = jpeg_message;
	bool ok = jpeg_run(&job, data, len, err, err_size);
	/* Safe in any state, also when jpeg_create_decompress itself failed (mem is NULL). */
	jpeg_destroy_decompress(&job.cinfo);
	if (!ok) {
		image_data_free(job.image);
		return NULL;
	}
	return job.image;
}

/* ---- PNG ---- */

/* Straight alpha (PNG's) to premultiplied (cairo's), rounding to nearest. */
static void premultiply(struct image_data *image)
{
	size_t count = (size_t)image->width * (size_t)image->height;
	uint32_t *p = (uint32_t *)(void *)image->pixels;
	for (size_t i = 0; i < count; i++) {
		uint32_t a = p[i] >> 24;
		if (a == 255) {
			continue;
		}
		uint32_t r = (p[i] >> 16) & 0xff, g = (p[i] >> 8) & 0xff, b = p[i] & 0xff;
		r = (r * a + 127) / 255;
		g = (g * a + 127) / 255;
		b = (b * a + 127) / 255;
		p[i] = a << 24 | r << 16 | g << 8 | b;
	}
}

/*
 * libpng's simplified API: it expands palettes, grey, tRNS and 16-bit samples to 8-bit sRGB
 * with straight alpha, handles interlacing, and reports errors as values (no setjmp of ours).
 */
static struct image_data *png_decode(const void *data, size_t len, char *err, size_t err_size)
{
	png_image png;
	memset(&png, 0, sizeof(png));
	png.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&png, data, len)) {
		snprintf(err, err_size, "PNG: %s", png.message);
		return NULL;
	}
	if (!size_allowed(png.width, png.height, err, err_size)) {
		png_image_free(&png);
		return NULL;
	}
	png.format = NATIVE_BIG_ENDIAN ? PNG_FORMAT_ARGB : PNG_FORMAT_BGRA;
	struct image_data *image = image_alloc((int)png.width, (int)png.height);
	if (!png_image_finish_read(&png, NULL, image->pixels, image->stride, NULL)) {
		snprintf(err, err_size, "PNG: %s", png.message);
		png_image_free(&png);
		image_data_free(image);
		return NULL;
	}
	png_image_free(&png);
	premultiply(image);
	return image;
}

/* ---- entry points ---- */

struct image_data *image_decode(const void *data, size_t len, size_t max_bytes, char *err,
				size_t err_size)
{
	if (max_bytes && len > max_bytes) {
		snprintf(err, err_size, "image of %zu bytes is larger than max_bytes (%zu)", len,
			 max_bytes);
		return NULL;
	}
	const char *type = image_sniff(data, len);
	if (!type) {
		snprintf(err, err_size, "not a JPEG or PNG image (%zu bytes)", len);
		return NULL;
	}
	if (strcmp(type, "image/jpeg") == 0) {
		return jpeg_decode(data, len, err, err_size);
	}
	return png_decode(data, len, err, err_size);
}

static const struct value *number_value(struct arena *arena, double number)
{
	struct value *v = arena_alloc(arena, sizeof(*v));
	*v = (struct value){.kind = VALUE_NUMBER, .number = number};
	return v;
}

static const struct value *string_value(struct arena *arena, const char *text)
{
	struct value *v = arena_alloc(arena, sizeof(*v));
	size_t len = strlen(text);
	*v = (struct value){.kind = VALUE_STRING};
	v->string.text = arena_strndup(arena, text, len);
	v->string.length = len;
	return v;
}

/* {"width", "height", "captured_at", "content_type", "bytes"} in the snapshot's arena. */
static const struct value *root_object(struct snapshot *snap, const char *type, size_t len,
				       double captured_at)
{
	struct arena *a = &snap->arena;
	char when[64];
	time_format_utc(captured_at, when, sizeof(when));
	struct member *m = arena_alloc(a, 5 * sizeof(*m));
	m[0] = (struct member){"width", number_value(a, snap->image->width)};
	m[1] = (struct member){"height", number_value(a, snap->image->height)};
	m[2] = (struct member){"captured_at", string_value(a, when)};
	m[3] = (struct member){"content_type", string_value(a, type)};
	m[4] = (struct member){"bytes", number_value(a, (double)len)};
	struct value *root = arena_alloc(a, sizeof(*root));
	*root = (struct value){.kind = VALUE_OBJECT};
	root->object.members = m;
	root->object.count = 5;
	return root;
}

/* Last-Modified as epoch seconds, NAN when absent or not an HTTP date. */
static double http_date(const char *text)
{
	if (!text || !text[0]) {
		return NAN;
	}
	time_t t = curl_getdate(text, NULL);
	return t == (time_t)-1 ? NAN : (double)t;
}

struct snapshot *image_snapshot(const void *body, size_t len, const char *source,
				size_t max_bytes, const char *last_modified, double fetched_at,
				char *err, size_t err_size)
{
	struct image_data *image = image_decode(body, len, max_bytes, err, err_size);
	if (!image) {
		return NULL;
	}
	struct snapshot *snap = snapshot_create(source);
	snap->image = image;
	snap->fetched_at = fetched_at;
	double modified = http_date(last_modified);
	if (!isnan(modified)) {
		snap->generated_at = isnan(fetched_at) ? modified : fmin(modified, fetched_at);
	}
	snap->root = root_object(snap, image_sniff(body, len), len, snapshot_data_time(snap));
	return snap;
}
