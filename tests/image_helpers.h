#ifndef CITYWALL_TESTS_IMAGE_HELPERS_H
#define CITYWALL_TESTS_IMAGE_HELPERS_H

/*
 * Helpers of tests/test_image.c: test pictures made at run time with libjpeg and libpng (so no
 * binary fixtures), pixel access, temporary files with set modification times, and a loopback
 * HTTP server (python3 -m http.server) serving a temporary folder.
 */

#include "model/snapshot.h"
#include "util/xmalloc.h"

#include <png.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <jpeglib.h>
#include <zlib.h>

/* ---- making test pictures ---- */

struct bytes {
	unsigned char *data; // owned
	size_t len;
};

/* A w x h RGB(A) picture: colour of pixel (x, y) from `paint`. */
typedef void (*paint_fn)(int x, int y, unsigned char rgba[4]);

static void quadrants(int x, int y, unsigned char p[4])
{
	/* 32 x 32: red, green / blue, white; 16-pixel blocks, which JPEG's 8x8 DCT keeps flat. */
	static const unsigned char colours[4][3] = {
		{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
	const unsigned char *c = colours[(y >= 16) * 2 + (x >= 16)];
	p[0] = c[0], p[1] = c[1], p[2] = c[2], p[3] = 255;
}

static void halves(int x, int y, unsigned char p[4])
{
	/* Left green, right red: which half shows tells cover from contain. */
	bool left = x < 100;
	p[0] = left ? 0 : 255, p[1] = left ? 255 : 0, p[2] = 0, p[3] = 255;
}

static void checkerboard(int x, int y, unsigned char p[4])
{
	unsigned char v = (x + y) % 2 ? 255 : 0;
	p[0] = p[1] = p[2] = v, p[3] = 255;
}

static void yellowish(int x, int y, unsigned char p[4])
{
	p[0] = 250, p[1] = 220, p[2] = 40, p[3] = 255;
}

static unsigned char *pixels_rgba(int w, int h, paint_fn paint)
{
	unsigned char *px = xmalloc((size_t)w * (size_t)h * 4);
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			paint(x, y, px + ((size_t)y * (size_t)w + (size_t)x) * 4);
		}
	}
	return px;
}

static struct bytes make_png_rgba(int w, int h, const unsigned char *rgba, bool alpha)
{
	png_image img = {.version = PNG_IMAGE_VERSION, .width = (png_uint_32)w,
			 .height = (png_uint_32)h, .format = PNG_FORMAT_RGBA};
	unsigned char *rows = xmalloc((size_t)w * (size_t)h * 4);
	memcpy(rows, rgba, (size_t)w * (size_t)h * 4);
	if (!alpha) {
		/* Written as RGB: the file has no alpha channel at all. */
		img.format = PNG_FORMAT_RGB;
		for (size_t i = 0; i < (size_t)w * (size_t)h; i++) {
			memmove(rows + i * 3, rgba + i * 4, 3);
		}
	}
	png_alloc_size_t size = 0;
	png_image_write_to_memory(&img, NULL, &size, 0, rows, 0, NULL);
	struct bytes out = {xmalloc(size), size};
	if (!png_image_write_to_memory(&img, out.data, &size, 0, rows, 0, NULL)) {
		printf("# png write: %s\n", img.message);
	}
	out.len = size;
	free(rows);
	return out;
}

static struct bytes make_png(int w, int h, paint_fn paint)
{
	unsigned char *px = pixels_rgba(w, h, paint);
	struct bytes out = make_png_rgba(w, h, px, false);
	free(px);
	return out;
}

/*
 * A JPEG at quality 95 without chroma subsampling; `space` JCS_RGB or JCS_GRAYSCALE; baseline
 * or progressive (libjpeg's standard script of 10 scans).
 */
static struct bytes make_jpeg_space(int w, int h, paint_fn paint, J_COLOR_SPACE space,
				    bool progressive)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	c.err = jpeg_std_error(&e);
	jpeg_create_compress(&c);
	unsigned char *buf = NULL;
	unsigned long size = 0;
	jpeg_mem_dest(&c, &buf, &size);
	c.image_width = (JDIMENSION)w;
	c.image_height = (JDIMENSION)h;
	c.input_components = space == JCS_GRAYSCALE ? 1 : 3;
	c.in_color_space = space;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 95, TRUE);
	for (int i = 0; i < c.num_components; i++) {
		c.comp_info[i].h_samp_factor = c.comp_info[i].v_samp_factor = 1;
	}
	if (progressive) {
		jpeg_simple_progression(&c);
	}
	jpeg_start_compress(&c, TRUE);
	unsigned char *row = xmalloc((size_t)w * 3);
	while (c.next_scanline < c.image_height) {
		for (int x = 0; x < w; x++) {
			unsigned char p[4];
			paint(x, (int)c.next_scanline, p);
			if (space == JCS_GRAYSCALE) {
				row[x] = p[0];
			} else {
				memcpy(row + x * 3, p, 3);
			}
		}
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(row);
	struct bytes out = {xmalloc(size), size};
	memcpy(out.data, buf, size);
	free(buf);
	return out;
}

/*
 * A progressive JPEG of a small RGB picture whose scan script sends every AC coefficient of
 * every component bit by bit: over 2000 valid scans, a CPU bomb for naive decoders.
 */
static struct bytes make_many_scans_jpeg(void)
{
	enum { MAX_AL = 10, MAX_SCANS = 3 * (MAX_AL + 1) * 64 };
	jpeg_scan_info *scans = xcalloc(MAX_SCANS, sizeof(*scans));
	int n = 0;
	for (int c = 0; c < 3; c++) {
		for (int k = 0; k < 64; k++) {
			for (int al = MAX_AL; al >= 0; al--) {
				jpeg_scan_info *s = &scans[n++];
				s->comps_in_scan = 1;
				s->component_index[0] = c;
				s->Ss = s->Se = k;
				s->Ah = al == MAX_AL ? 0 : al + 1;
				s->Al = al;
			}
		}
	}
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	c.err = jpeg_std_error(&e);
	jpeg_create_compress(&c);
	unsigned char *buf = NULL;
	unsigned long size = 0;
	jpeg_mem_dest(&c, &buf, &size);
	c.image_width = c.image_height = 16;
	c.input_components = 3;
	c.in_color_space = JCS_RGB;
	jpeg_set_defaults(&c);
	c.scan_info = scans;
	c.num_scans = n;
	jpeg_start_compress(&c, TRUE);
	unsigned char row[16 * 3];
	for (int x = 0; x < 16; x++) {
		row[x * 3] = (unsigned char)(x * 16), row[x * 3 + 1] = 80, row[x * 3 + 2] = 160;
	}
	while (c.next_scanline < c.image_height) {
		JSAMPROW r = row;
		jpeg_write_scanlines(&c, &r, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(scans);
	struct bytes out = {xmalloc(size), size};
	memcpy(out.data, buf, size);
	free(buf);
	return out;
}

/* An Adobe CMYK JPEG (stored inverted, as Photoshop writes it) of one colour. */
static struct bytes make_cmyk_jpeg(int c_ink, int m_ink, int y_ink, int k_ink)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	c.err = jpeg_std_error(&e);
	jpeg_create_compress(&c);
	unsigned char *buf = NULL;
	unsigned long size = 0;
	jpeg_mem_dest(&c, &buf, &size);
	c.image_width = c.image_height = 8;
	c.input_components = 4;
	c.in_color_space = JCS_CMYK;
	jpeg_set_defaults(&c); // CMYK in, CMYK stored, with an Adobe marker
	jpeg_set_quality(&c, 100, TRUE);
	jpeg_start_compress(&c, TRUE);
	unsigned char row[8 * 4];
	for (int x = 0; x < 8; x++) {
		row[x * 4] = (unsigned char)(255 - c_ink);
		row[x * 4 + 1] = (unsigned char)(255 - m_ink);
		row[x * 4 + 2] = (unsigned char)(255 - y_ink);
		row[x * 4 + 3] = (unsigned char)(255 - k_ink);
	}
	while (c.next_scanline < c.image_height) {
		JSAMPROW r = row;
		jpeg_write_scanlines(&c, &r, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	struct bytes out = {xmalloc(size), size};
	memcpy(out.data, buf, size);
	free(buf);
	return out;
}

static struct bytes make_jpeg(int w, int h, paint_fn paint)
{
	return make_jpeg_space(w, h, paint, JCS_RGB, false);
}

static void bytes_free(struct bytes *b)
{
	free(b->data);
	*b = (struct bytes){0};
}

/* ---- reading pixels ---- */

struct argb {
	int a, r, g, b;
};

static struct argb pixel_of(const unsigned char *data, int stride, int x, int y)
{
	uint32_t v;
	memcpy(&v, data + (size_t)y * (size_t)stride + (size_t)x * 4, 4);
	return (struct argb){(int)(v >> 24), (int)(v >> 16) & 255, (int)(v >> 8) & 255,
			     (int)v & 255};
}

static struct argb image_pixel(const struct image_data *img, int x, int y)
{
	return pixel_of(img->pixels, img->stride, x, y);
}

static bool near_rgb(struct argb p, int r, int g, int b, int tolerance)
{
	bool ok = abs(p.r - r) <= tolerance && abs(p.g - g) <= tolerance &&
		  abs(p.b - b) <= tolerance;
	if (!ok) {
		printf("# pixel (%d, %d, %d, a %d), wanted (%d, %d, %d) +-%d\n", p.r, p.g, p.b, p.a,
		       r, g, b, tolerance);
	}
	return ok;
}

static uint32_t crc32_of(const unsigned char *p, size_t len)
{
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++) {
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
		}
	}
	return ~crc;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

/* A valid PNG signature and IHDR claiming w x h, then an empty IDAT and IEND: 57 bytes. */
static size_t bomb_png(unsigned char out[64], uint32_t w, uint32_t h)
{
	memcpy(out, "\x89PNG\r\n\x1a\n", 8);
	put32(out + 8, 13);
	memcpy(out + 12, "IHDR", 4);
	put32(out + 16, w);
	put32(out + 20, h);
	memcpy(out + 24, "\x08\x06\x00\x00\x00", 5); // 8-bit RGBA
	put32(out + 29, crc32_of(out + 12, 17));
	put32(out + 33, 0);
	memcpy(out + 37, "IDAT", 4);
	put32(out + 41, crc32_of(out + 37, 4));
	put32(out + 45, 0);
	memcpy(out + 49, "IEND", 4);
	put32(out + 53, crc32_of(out + 49, 4));
	return 57;
}

/* ---- PNG files chunk by chunk, for decompression bombs ---- */

static void bytes_append(struct bytes *b, const void *data, size_t len)
{
	b->data = xrealloc(b->data, b->len + len + 1);
	memcpy(b->data + b->len, data, len);
	b->len += len;
}

static void png_put_chunk(struct bytes *b, const char *type, const void *data, size_t len)
{
	unsigned char head[8];
	put32(head, (uint32_t)len);
	memcpy(head + 4, type, 4);
	uint32_t crc = (uint32_t)crc32(0, head + 4, 4);
	crc = (uint32_t)crc32(crc, data, (uInt)len);
	unsigned char tail[4];
	put32(tail, crc);
	bytes_append(b, head, 8);
	bytes_append(b, data, len);
	bytes_append(b, tail, 4);
}

/* Signature and IHDR of a w x h picture of `depth` bits, colour type `type`. */
static struct bytes png_start(uint32_t w, uint32_t h, int depth, int type, bool interlaced)
{
	struct bytes b = {0};
	bytes_append(&b, "\x89PNG\r\n\x1a\n", 8);
	unsigned char ihdr[13];
	put32(ihdr, w);
	put32(ihdr + 4, h);
	ihdr[8] = (unsigned char)depth, ihdr[9] = (unsigned char)type;
	ihdr[10] = ihdr[11] = 0, ihdr[12] = interlaced;
	png_put_chunk(&b, "IHDR", ihdr, 13);
	return b;
}

/*
 * A zlib stream of `megabytes` MiB of zero bytes in a few KB per MiB, made without deflating
 * it all: after a full flush, deflate codes every further MiB of zeros with the same bytes.
 */
static struct bytes zlib_zeros(size_t megabytes)
{
	enum { MIB = 1 << 20 };
	unsigned char *zeros = xcalloc(1, MIB);
	unsigned char *out = xmalloc(2 * MIB);
	z_stream z = {0};
	deflateInit(&z, 9);
	struct bytes b = {0}, repeat = {0};
	for (size_t i = 0; i < 2 && i < megabytes; i++) {
		z.next_in = zeros, z.avail_in = MIB, z.next_out = out, z.avail_out = 2 * MIB;
		deflate(&z, Z_FULL_FLUSH);
		bytes_append(i ? &repeat : &b, out, 2 * MIB - z.avail_out);
	}
	for (size_t i = 2; i < megabytes; i++) {
		bytes_append(&b, repeat.data, repeat.len);
	}
	if (megabytes >= 2) {
		bytes_append(&b, repeat.data, repeat.len);
	}
	z.next_in = zeros, z.avail_in = 0, z.next_out = out, z.avail_out = 2 * MIB;
	deflate(&z, Z_FINISH);
	bytes_append(&b, out, 2 * MIB - z.avail_out);
	deflateEnd(&z);
	/* The trailer's checksum covers every MiB, not the two deflate saw. */
	uLong one = adler32(adler32(0, NULL, 0), zeros, MIB), all = adler32(0, NULL, 0);
	for (size_t i = 0; i < megabytes; i++) {
		all = adler32_combine(all, one, MIB);
	}
	put32(b.data + b.len - 4, (uint32_t)all);
	free(zeros);
	free(out);
	bytes_free(&repeat);
	return b;
}

/* Bytes a zlib stream inflates to (what libpng would have to go through without limits). */
static size_t inflated_size(const unsigned char *data, size_t len)
{
	unsigned char *out = xmalloc(1 << 20);
	z_stream z = {0};
	inflateInit(&z);
	z.next_in = (unsigned char *)data, z.avail_in = (uInt)len;
	size_t total = 0;
	int rc = Z_OK;
	while (rc == Z_OK) {
		z.next_out = out, z.avail_out = 1 << 20;
		rc = inflate(&z, Z_NO_FLUSH);
		total += (1 << 20) - z.avail_out;
	}
	inflateEnd(&z);
	free(out);
	return rc == Z_STREAM_END ? total : 0;
}

/* `data` as IDAT chunks of 8 KiB (as libpng writes them), then IEND. */
static void png_finish(struct bytes *b, const struct bytes *data)
{
	if (!data->len) {
		png_put_chunk(b, "IDAT", "", 0);
	}
	for (size_t off = 0; off < data->len; off += 8192) {
		size_t n = data->len - off < 8192 ? data->len - off : 8192;
		png_put_chunk(b, "IDAT", data->data + off, n);
	}
	png_put_chunk(b, "IEND", "", 0);
}

/*
 * A w x h RGB(A) or grey picture through libpng's full writer: `depth` 8 or 16 bits, Adam7
 * interlacing on request (which the simplified writer cannot do). 16-bit samples are v * 257.
 */
static struct bytes make_png_full(int w, int h, paint_fn paint, int depth, int type,
				  bool interlaced)
{
	int channels = type == PNG_COLOR_TYPE_RGB ? 3 : type == PNG_COLOR_TYPE_RGBA ? 4 :
		       type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : 1;
	size_t rowbytes = (size_t)w * (size_t)channels * (size_t)(depth / 8);
	unsigned char *px = xmalloc(rowbytes * (size_t)h);
	png_bytep *rows = xmalloc((size_t)h * sizeof(*rows));
	for (int y = 0; y < h; y++) {
		rows[y] = px + (size_t)y * rowbytes;
		for (int x = 0; x < w; x++) {
			unsigned char p[4], v[4];
			paint(x, y, p);
			if (channels <= 2) {
				v[0] = p[0], v[1] = p[3];
			} else {
				memcpy(v, p, 4);
			}
			for (int c = 0; c < channels; c++) {
				unsigned char *at = rows[y] + ((size_t)x * channels + c) * (depth / 8);
				at[0] = v[c];
				if (depth == 16) {
					at[1] = v[c];
				}
			}
		}
	}
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, depth, type,
		     interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	png_write_image(png, rows);
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	fclose(f);
	struct bytes out = {xmalloc(size), size};
	memcpy(out.data, buf, size);
	free(buf);
	free(rows);
	free(px);
	return out;
}

/* ---- files, servers, fetchers ---- */

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(double seconds)
{
	struct timespec ts = {0, (long)(seconds * 1e9)};
	nanosleep(&ts, NULL);
}

static char *temp_dir(void)
{
	char path[] = "/tmp/citywall-test-image-XXXXXX";
	return xstrdup(mkdtemp(path) ? path : "/tmp");
}

static void remove_tree(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0) {
		printf("# could not remove %s\n", dir);
	}
	free(cmd);
}

/* Replaces `path` atomically (readers never see half a picture) and sets its mtime. */
static void write_bytes(const char *path, const void *data, size_t len, double mtime)
{
	char *temp = xasprintf("%s.tmp", path);
	FILE *f = fopen(temp, "wb");
	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
		if (mtime > 0) {
			struct utimbuf times = {(time_t)mtime, (time_t)mtime};
			utime(temp, &times);
		}
		rename(temp, path);
	}
	free(temp);
}

/* python3 -m http.server on a free loopback port, serving `dir`. */
struct server {
	pid_t pid;
	int port;
};

static bool read_port(int fd, struct server *s)
{
	char line[512];
	size_t len = 0;
	double deadline = mono() + 20;
	while (len + 1 < sizeof(line) && mono() < deadline) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 200) <= 0) {
			continue;
		}
		if (read(fd, line + len, 1) != 1) {
			return false;
		}
		if (line[len] == '\n') {
			break;
		}
		len++;
	}
	line[len] = '\0';
	const char *at = strstr(line, " port ");
	return at && sscanf(at, " port %d", &s->port) == 1 && s->port > 0;
}

static bool server_start(struct server *s, const char *dir)
{
	int fds[2];
	if (pipe(fds) != 0) {
		return false;
	}
	fflush(NULL);
	s->pid = fork();
	if (s->pid == 0) {
#ifdef __linux__
		prctl(PR_SET_PDEATHSIG, SIGTERM); // dies with us, also when a sanitizer aborts
#endif
		dup2(fds[1], STDOUT_FILENO);
		freopen("/dev/null", "w", stderr); // its request log
		execlp("python3", "python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1",
		       "--directory", dir, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	bool ok = s->pid > 0 && read_port(fds[0], s);
	close(fds[0]);
	if (!ok) {
		printf("# could not start python3 -m http.server\n");
	}
	return ok;
}

static void server_stop(struct server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
	}
}

#endif
