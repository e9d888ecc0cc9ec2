/*
 * libFuzzer target for util/json_scan.c: json_check_syntax, json_text_pos and json_locate on
 * arbitrary bytes.
 *
 * Input: when a NUL byte occurs in the first FUZZ_POINTER_MAX bytes, the bytes before it are a
 * JSON pointer and the bytes after it the text (a NUL can never be part of valid JSON, so the
 * split loses nothing); otherwise the whole input is the text and a few fixed pointers are
 * tried. The whole input is always syntax-checked as well.
 *
 * Besides the sanitizers, the documented contracts are checked: error offsets stay within the
 * text, positions are 1-based and clamp past the end, a valid document is found at "", and a
 * located value starts inside the text with its key (a '"') at or before it.
 */

#include "util/json_scan.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_POINTER_MAX 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void contract_failed(const char *what, size_t a, size_t b)
{
	fprintf(stderr, "fuzz_json_scan: contract broken: %s (%zu, %zu)\n", what, a, b);
	abort();
}

static struct text_pos checked_pos(const char *text, size_t len, size_t offset)
{
	struct text_pos pos = json_text_pos(text, len, offset);
	if (pos.line < 1 || pos.column < 1) {
		contract_failed("json_text_pos returned a position before 1:1", offset, len);
	}
	return pos;
}

static void check_text(const char *text, size_t len)
{
	size_t error_offset = SIZE_MAX;
	const char *message = NULL;
	bool valid = json_check_syntax(text, len, &error_offset, &message);
	if (!valid) {
		if (!message || error_offset > len) {
			contract_failed("json_check_syntax error offset past the end or no message",
					error_offset, len);
		}
		checked_pos(text, len, error_offset);
	}

	/* Offsets past the end clamp to the end. */
	struct text_pos end = checked_pos(text, len, len);
	struct text_pos past = checked_pos(text, len, len + 1);
	struct text_pos far = checked_pos(text, len, SIZE_MAX);
	if (past.line != end.line || past.column != end.column || far.line != end.line ||
	    far.column != end.column) {
		contract_failed("json_text_pos does not clamp offsets past the end", len, len);
	}

	/* A valid document is the value at "", starting at its first non-blank byte. */
	size_t value_offset = SIZE_MAX, key_offset = SIZE_MAX;
	bool found = json_locate(text, len, "", &value_offset, &key_offset);
	if (valid && !found) {
		contract_failed("json_locate(\"\") fails on a document json_check_syntax accepts", 0,
				len);
	}
	if (found && (value_offset >= len || key_offset != value_offset)) {
		contract_failed("json_locate(\"\") offsets", value_offset, key_offset);
	}
}

static void check_locate(const char *text, size_t len, const char *pointer)
{
	size_t value_offset = SIZE_MAX, key_offset = SIZE_MAX;
	if (!json_locate(text, len, pointer, &value_offset, &key_offset)) {
		return;
	}
	if (value_offset >= len || key_offset > value_offset) {
		contract_failed("json_locate offsets outside the text", value_offset, key_offset);
	}
	if (key_offset != value_offset && text[key_offset] != '"') {
		contract_failed("json_locate key offset is not at a '\"'", key_offset, value_offset);
	}
	checked_pos(text, len, value_offset);
	checked_pos(text, len, key_offset);
	/* The out pointers are optional. */
	json_locate(text, len, pointer, NULL, NULL);
}

/* A few offsets read from the input itself, so that the fuzzer steers them. */
static void check_offsets(const char *text, size_t len, const uint8_t *data, size_t size)
{
	for (size_t i = 0; i + 4 <= size && i < 16; i += 4) {
		uint32_t raw = (uint32_t)data[i] | (uint32_t)data[i + 1] << 8 |
			       (uint32_t)data[i + 2] << 16 | (uint32_t)data[i + 3] << 24;
		checked_pos(text, len, (size_t)raw % (len + 2));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Copied so that ASan sees reads past the end of exactly `size` bytes. */
	char *whole = malloc(size ? size : 1);
	if (!whole) {
		return 0;
	}
	memcpy(whole, data, size);
	check_text(whole, size);
	check_offsets(whole, size, data, size);

	const uint8_t *nul = memchr(data, '\0', size < FUZZ_POINTER_MAX ? size : FUZZ_POINTER_MAX);
	if (nul) {
		size_t pointer_len = (size_t)(nul - data);
		size_t text_len = size - pointer_len - 1;
		char *pointer = malloc(pointer_len + 1);
		char *text = malloc(text_len ? text_len : 1);
		if (pointer && text) {
			memcpy(pointer, data, pointer_len + 1); // with its NUL
			memcpy(text, nul + 1, text_len);
			check_text(text, text_len);
			check_locate(text, text_len, pointer);
			check_offsets(text, text_len, data, size);
		}
		free(pointer);
		free(text);
	} else {
		static const char *const pointers[] = {
			"", "/", "/tiles", "/tiles/0", "/tiles/1/span/1", "/tiles/0/thresholds/0/from",
			"/seq", "/generated_at", "/air/city/pm10", "/a~1b", "/m~0n", "/0", "/-", "/~",
			"//", "tiles",
		};
		for (size_t i = 0; i < sizeof(pointers) / sizeof(pointers[0]); i++) {
			check_locate(whole, size, pointers[i]);
		}
	}
	free(whole);
	return 0;
}
