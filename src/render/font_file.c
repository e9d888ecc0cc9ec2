#include "render/font_file.h"

#include "util/xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A read at least this long (a table FreeType loads whole) goes straight to the file. */
#define DIRECT_READ_BYTES (2 * FONT_FILE_BLOCK_BYTES)

/* A rare id in SDL_RWops.type, so that font_file_stats() knows its own streams. */
#define FONT_FILE_RWOPS_TYPE 0x666f6e74u

struct block {
	Sint64 index;       // which block of the file; -1: empty
	size_t bytes;       // valid bytes (the file's last block is short)
	unsigned long used; // the stream's read count when last used: the oldest goes first
	unsigned char data[FONT_FILE_BLOCK_BYTES];
};

/* Owned by its SDL_RWops (hidden.unknown.data1), freed by its close(). */
struct font_file {
	int fd; // owned
	Sint64 size, pos;
	struct block blocks[FONT_FILE_BLOCKS];
	struct font_file_stats stats;
};

static struct font_file *file_of(SDL_RWops *rw)
{
	return rw->hidden.unknown.data1;
}

static Sint64 file_size(SDL_RWops *rw)
{
	return file_of(rw)->size;
}

static Sint64 file_seek(SDL_RWops *rw, Sint64 offset, int whence)
{
	struct font_file *f = file_of(rw);
	if (whence != RW_SEEK_SET && whence != RW_SEEK_CUR && whence != RW_SEEK_END) {
		return SDL_SetError("font file: bad whence %d", whence);
	}
	Sint64 base = whence == RW_SEEK_SET ? 0 : whence == RW_SEEK_CUR ? f->pos : f->size;
	if (base + offset < 0) {
		return SDL_SetError("font file: seek before the start");
	}
	f->pos = base + offset;
	return f->pos;
}

/* pread() of `bytes` at `at`, retried when interrupted or short; the bytes read. */
static size_t read_at(struct font_file *f, void *to, size_t bytes, Sint64 at)
{
	size_t done = 0;
	while (done < bytes) {
		ssize_t n = pread(f->fd, (unsigned char *)to + done, bytes - done, (off_t)at + done);
		f->stats.preads++;
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			break;
		}
		done += (size_t)n;
	}
	return done;
}

/* The block holding file block `index`, read into the oldest slot if none holds it. */
static const struct block *block_at(struct font_file *f, Sint64 index)
{
	struct block *oldest = &f->blocks[0];
	for (size_t i = 0; i < FONT_FILE_BLOCKS; i++) {
		struct block *b = &f->blocks[i];
		if (b->index == index) {
			b->used = f->stats.reads;
			return b;
		}
		if (b->index < 0 || (oldest->index >= 0 && b->used < oldest->used)) {
			oldest = b;
		}
	}
	oldest->bytes = read_at(f, oldest->data, FONT_FILE_BLOCK_BYTES,
				index * FONT_FILE_BLOCK_BYTES);
	oldest->index = oldest->bytes > 0 ? index : -1;
	oldest->used = f->stats.reads;
	return oldest;
}

/* `want` bytes at f->pos from the blocks, reading those missing; the bytes copied. */
static size_t read_cached(struct font_file *f, unsigned char *to, size_t want)
{
	size_t done = 0;
	while (done < want) {
		Sint64 at = f->pos + (Sint64)done;
		const struct block *b = block_at(f, at / FONT_FILE_BLOCK_BYTES);
		size_t from = (size_t)(at % FONT_FILE_BLOCK_BYTES);
		if (b->index < 0 || from >= b->bytes) {
			break; // the file shrank under us
		}
		size_t n = b->bytes - from < want - done ? b->bytes - from : want - done;
		memcpy(to + done, b->data + from, n);
		done += n;
	}
	return done;
}

static size_t file_read(SDL_RWops *rw, void *ptr, size_t size, size_t maxnum)
{
	struct font_file *f = file_of(rw);
	f->stats.reads++;
	if (size == 0 || maxnum == 0 || f->pos >= f->size) {
		return 0;
	}
	size_t want = size * maxnum / size == maxnum ? size * maxnum : SIZE_MAX;
	Sint64 left = f->size - f->pos;
	want = (Sint64)want > left ? (size_t)left : want;
	size_t done = want >= DIRECT_READ_BYTES ? read_at(f, ptr, want, f->pos)
						: read_cached(f, ptr, want);
	f->pos += (Sint64)done;
	return done / size;
}

static size_t file_write(SDL_RWops *rw, const void *ptr, size_t size, size_t num)
{
	SDL_SetError("font file: read only");
	return 0;
}

static int file_close(SDL_RWops *rw)
{
	struct font_file *f = file_of(rw);
	int rc = close(f->fd);
	free(f);
	SDL_FreeRW(rw);
	return rc == 0 ? 0 : SDL_SetError("font file: close: %s", strerror(errno));
}

SDL_RWops *font_file_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		SDL_SetError("%s: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
		}
		return NULL;
	}
	SDL_RWops *rw = SDL_AllocRW();
	if (!rw) {
		close(fd);
		return NULL;
	}
	struct font_file *f = xcalloc(1, sizeof(*f));
	f->fd = fd;
	f->size = (Sint64)st.st_size;
	for (size_t i = 0; i < FONT_FILE_BLOCKS; i++) {
		f->blocks[i].index = -1;
	}
	rw->type = FONT_FILE_RWOPS_TYPE;
	rw->size = file_size;
	rw->seek = file_seek;
	rw->read = file_read;
	rw->write = file_write;
	rw->close = file_close;
	rw->hidden.unknown.data1 = f;
	return rw;
}

bool font_file_stats(SDL_RWops *rw, struct font_file_stats *out)
{
	if (!rw || rw->type != FONT_FILE_RWOPS_TYPE) {
		return false;
	}
	*out = file_of(rw)->stats;
	return true;
}
