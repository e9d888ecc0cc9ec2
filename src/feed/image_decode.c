#include "feed/image_decode.h"

#include "util/timefmt.h"
#include "util/xmalloc.h"

#include <curl/curl.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdarg.h>
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
	const atomic_bool *stop;  // borrowed; NULL: never stop
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

static _Noreturn void jpeg_fail_with(j_common_ptr cinfo, const char *message)
{
	struct jpeg_failure *f = (struct jpeg_failure *)(void *)cinfo->err;
	snprintf(f->message, sizeof(f->message), "%s", message);
	longjmp(f->jump, 1);
}

/*
 * Caps the scans of a progressive file (thousands of tiny scans are a known CPU bomb), and
 * stops when asked: libjpeg calls this per iMCU row, also while jpeg_start_decompress reads
 * every scan of a progressive file before the first output row.
 */
static void jpeg_progress(j_common_ptr cinfo)
{
	if (!cinfo->is_decompressor) {
		return;
	}
	j_decompress_ptr d = (j_decompress_ptr)cinfo;
	struct jpeg_job *job = (struct jpeg_job *)(void *)d; // cinfo is the job's first member
	if (job->stop && atomic_load(job->stop)) {
		jpeg_fail_with(cinfo, "decoding stopped");
	}
	if (d->input_scan_number > IMAGE_MAX_JPEG_SCANS) {
		char message[64];
		snprintf(message, sizeof(message), "more than %d progressive scans",
			 IMAGE_MAX_JPEG_SCANS);
		jpeg_fail_with(cinfo, message);
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
	/* No jpeg_save_markers: APPn and COM markers (EXIF, ICC profiles, comments) are skipped by
	 * their length, never kept; the frame header gives the output size checked below. */
	jpeg_read_header(cinfo, TRUE);
	if (!size_allowed(cinfo->image_width, cinfo->image_height, err, err_size)) {
		return false;
	}
	cinfo->out_color_space = output_space(cinfo);
	jpeg_start_decompress(cinfo);
	job->image = image_alloc((int)cinfo->output_width, (int)cinfo->output_height);
	while (cinfo->output_scanline < cinfo->output_height) {
		if (job->stop && atomic_load(job->stop)) {
			jpeg_fail_with((j_common_ptr)cinfo, "decoding stopped");
		}
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

static struct image_data *jpeg_decode(const void *data, size_t len, const atomic_bool *stop,
				      char *err, size_t err_size)
{
	struct jpeg_job job;
	memset(&job, 0, sizeof(job));
	job.stop = stop;
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
 * libpng's progressive reader rather than its simplified API, for three reasons found by an
 * attacker's review: the simplified API inflates every byte of the image data stream even past
 * the last row (a 1 MB file of one pixel and 1 GB of zeros decodes for seconds), it inflates
 * text chunks we never show (zTXt, iTXt: 8 MB each, up to a thousand of them), and it offers no
 * place to stop between rows. Fed from memory, the progressive reader stops inflating as soon
 * as the rows are complete, calls us once per row, and with every ancillary chunk ignored
 * (skipped by its length, never inflated) it only ever inflates the pixel data, whose size the
 * header fixes and we check before reading on.
 */

struct png_job {
	png_structp png;
	png_infop info;
	struct image_data *image; // owned until handed to the caller
	const atomic_bool *stop;  // borrowed; NULL: never stop
	uint32_t rows_left;       // rows still to come, counted over every interlace pass
	bool ended;               // IEND reached: the file is whole
	char message[256];        // why it failed, "PNG: ..." or one of our own causes
};

static _Noreturn void png_fail_with(struct png_job *job, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void png_fail_with(struct png_job *job, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(job->message, sizeof(job->message), fmt, ap);
	va_end(ap);
	png_longjmp(job->png, 1);
}

static _Noreturn void png_too_much_data(struct png_job *job)
{
	png_fail_with(job, "PNG: more image data than the %u x %u pixels of its header",
		      (unsigned)png_get_image_width(job->png, job->info),
		      (unsigned)png_get_image_height(job->png, job->info));
}

static void png_error_cb(png_structp png, png_const_charp message)
{
	struct png_job *job = png_get_error_ptr(png);
	/* libpng's limit of an IDAT chunk is what the header's rows could compress to at worst:
	 * a longer one is the same bomb as more data in several chunks. */
	if (!job->message[0] && strncmp(message, "IDAT", 4) == 0 &&
	    strstr(message, "too large")) {
		png_too_much_data(job);
	}
	if (!job->message[0]) {
		snprintf(job->message, sizeof(job->message), "PNG: %s", message);
	}
	png_longjmp(png, 1);
}

/*
 * libpng warns and goes on where the pixel data is damaged; like libjpeg's warnings (see
 * jpeg_message) those are errors here. "Extra compressed data in IDAT" is the decompression
 * bomb: more pixel data than the header declared, which libpng stops inflating at once but
 * would otherwise accept. Other warnings (benign errors included, as in libpng's simplified
 * API) concern chunks we skip or junk after the data, and leave a picture we can trust.
 */
static void png_warning_cb(png_structp png, png_const_charp message)
{
	struct png_job *job = png_get_error_ptr(png);
	if (strstr(message, "Extra compressed data")) {
		png_too_much_data(job);
	}
	if (strstr(message, "Truncated compressed data") || strstr(message, "Decompression error") ||
	    strstr(message, "Too many IDATs")) {
		png_error_cb(png, message);
	}
}

/* Bytes the pixel data inflates to: a filter byte and the packed samples of each row of each
 * interlace pass. This is what the header commits the stream to, before anything inflates. */
static uint64_t png_data_bytes(uint32_t width, uint32_t height, int bit_depth, int channels,
			       bool interlaced)
{
	uint64_t bits = (uint64_t)bit_depth * (uint64_t)channels;
	if (!interlaced) {
		return (uint64_t)height * (1 + ((uint64_t)width * bits + 7) / 8);
	}
	uint64_t total = 0;
	for (int pass = 0; pass < 7; pass++) {
		uint64_t w = PNG_PASS_COLS(width, pass), h = PNG_PASS_ROWS(height, pass);
		if (w && h) {
			total += h * (1 + (w * bits + 7) / 8);
		}
	}
	return total;
}

static uint32_t png_rows_in_passes(uint32_t width, uint32_t height, bool interlaced)
{
	if (!interlaced) {
		return height;
	}
	uint32_t rows = 0;
	for (int pass = 0; pass < 7; pass++) {
		if (PNG_PASS_COLS(width, pass)) {
			rows += PNG_PASS_ROWS(height, pass);
		}
	}
	return rows;
}

/* The transformations to 8-bit B, G, R, A bytes (A, R, G, B on big-endian machines). */
static void png_set_output(png_structp png, png_infop info)
{
	int type = png_get_color_type(png, info);
	png_set_expand(png); // palette to RGB, grey below 8 bits to 8, tRNS to alpha
	png_set_strip_16(png);
	if (type == PNG_COLOR_TYPE_GRAY || type == PNG_COLOR_TYPE_GRAY_ALPHA) {
		png_set_gray_to_rgb(png);
	}
	png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER); // only where there is none
	if (NATIVE_BIG_ENDIAN) {
		png_set_swap_alpha(png);
	} else {
		png_set_bgr(png);
	}
	double gamma;
	if (png_get_gAMA(png, info, &gamma)) {
		png_set_gamma(png, PNG_DEFAULT_sRGB, gamma); // the wall shows sRGB
	}
}

static void png_info_cb(png_structp png, png_infop info)
{
	struct png_job *job = png_get_progressive_ptr(png);
	if (job->image) {
		/* libpng calls this at each run of IDAT chunks; a second run is a broken file. */
		png_fail_with(job, "PNG: image data split by other chunks");
	}
	uint32_t width = png_get_image_width(png, info), height = png_get_image_height(png, info);
	char err[256];
	if (!size_allowed(width, height, err, sizeof(err))) {
		png_fail_with(job, "%s", err);
	}
	bool interlaced = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;
	int depth = png_get_bit_depth(png, info), channels = png_get_channels(png, info);
	uint64_t bytes = png_data_bytes(width, height, depth, channels, interlaced);
	if (bytes > IMAGE_MAX_DATA_BYTES) {
		png_fail_with(job, "PNG: %u x %u pixels of %d x %d bits%s inflate to %llu bytes, "
			      "more than the limit of %llu", (unsigned)width, (unsigned)height,
			      channels, depth, interlaced ? ", interlaced," : "",
			      (unsigned long long)bytes, (unsigned long long)IMAGE_MAX_DATA_BYTES);
	}
	png_set_output(png, info);
	if (interlaced) {
		png_set_interlace_handling(png);
	}
	png_read_update_info(png, info);
	if (png_get_rowbytes(png, info) != (size_t)width * 4) {
		png_fail_with(job, "PNG: unexpected row layout"); // cannot happen with the above
	}
	job->rows_left = png_rows_in_passes(width, height, interlaced);
	job->image = image_alloc((int)width, (int)height);
	if (interlaced) {
		/* png_progressive_combine_row merges each pass into what is there already. */
		memset(job->image->pixels, 0, (size_t)job->image->stride * height);
	}
}

static void png_row_cb(png_structp png, png_bytep row, png_uint_32 number, int pass)
{
	struct png_job *job = png_get_progressive_ptr(png);
	(void)pass;
	if (job->stop && atomic_load(job->stop)) {
		png_fail_with(job, "decoding stopped");
	}
	if (job->rows_left) {
		job->rows_left--;
	}
	if (row && number < (png_uint_32)job->image->height) {
		png_progressive_combine_row(png,
					    job->image->pixels + (size_t)number * job->image->stride,
					    row);
	}
}

static void png_end_cb(png_structp png, png_infop info)
{
	struct png_job *job = png_get_progressive_ptr(png);
	(void)info;
	job->ended = true;
}

/* Ignores every ancillary chunk but tRNS (transparency) and gAMA: none is ever inflated. */
static void png_limit(png_structp png)
{
	static const png_byte keep[] = {'t', 'R', 'N', 'S', '\0', 'g', 'A', 'M', 'A', '\0'};
	png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
	png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_AS_DEFAULT, keep, 2);
	/* libpng's own (default) side limit, with its own message; ours comes in the info
	 * callback, naming the limit. */
	png_set_user_limits(png, 1000000, 1000000);
	png_set_chunk_cache_max(png, 16);
	/* The longest chunk accepted, also when skipped (libpng buffers it whole); pixel data may
	 * go up to what its header needs. Large profiles and XMP text are a few 100 KB. */
	png_set_chunk_malloc_max(png, 4u << 20);
#ifdef PNG_MAXIMUM_INFLATE_WINDOW
	png_set_option(png, PNG_MAXIMUM_INFLATE_WINDOW, PNG_OPTION_OFF);
#endif
}

/* The part that may longjmp back; the caller's job holds everything that outlives it. */
static bool png_run(struct png_job *job, const void *data, size_t len)
{
	if (setjmp(png_jmpbuf(job->png))) {
		return false;
	}
	png_set_benign_errors(job->png, 1);
	png_limit(job->png);
	png_set_progressive_read_fn(job->png, job, png_info_cb, png_row_cb, png_end_cb);
	/* In slices, so that a stop request or the end of the rows is seen between them. */
	const size_t slice = 64 * 1024;
	const unsigned char *p = data;
	for (size_t off = 0; off < len && !job->ended; off += slice) {
		size_t n = len - off < slice ? len - off : slice;
		png_process_data(job->png, job->info, (png_bytep)(uintptr_t)(p + off), n);
	}
	if (!job->image || job->rows_left || !job->ended) {
		snprintf(job->message, sizeof(job->message), "PNG: %s", !job->image ?
			 "file ends in its header" : job->rows_left ? "file ends in the image data" :
			 "file ends before its IEND chunk");
		return false;
	}
	return true;
}

static struct image_data *png_decode(const void *data, size_t len, const atomic_bool *stop,
				     char *err, size_t err_size)
{
	struct png_job job = {.stop = stop};
	job.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &job, png_error_cb,
					 png_warning_cb);
	job.info = job.png ? png_create_info_struct(job.png) : NULL;
	bool ok = job.info && png_run(&job, data, len);
	png_destroy_read_struct(job.png ? &job.png : NULL, job.info ? &job.info : NULL, NULL);
	if (!ok) {
		snprintf(err, err_size, "%s", job.message[0] ? job.message : "PNG: out of memory");
		image_data_free(job.image);
		return NULL;
	}
	premultiply(job.image);
	return job.image;
}

/* ---- entry points ---- */

struct image_data *image_decode(const void *data, size_t len, size_t max_bytes, char *err,
				size_t err_size)
{
	return image_decode_until(data, len, max_bytes, NULL, err, err_size);
}

struct image_data *image_decode_until(const void *data, size_t len, size_t max_bytes,
				      const atomic_bool *stop, char *err, size_t err_size)
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
		return jpeg_decode(data, len, stop, err, err_size);
	}
	return png_decode(data, len, stop, err, err_size);
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
	return image_snapshot_until(body, len, source, max_bytes, last_modified, fetched_at, NULL,
				    err, err_size);
}

struct snapshot *image_snapshot_until(const void *body, size_t len, const char *source,
				      size_t max_bytes, const char *last_modified,
				      double fetched_at, const atomic_bool *stop, char *err,
				      size_t err_size)
{
	struct image_data *image = image_decode_until(body, len, max_bytes, stop, err, err_size);
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
