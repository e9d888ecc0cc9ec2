#include "model/path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool parse_index(const char *s, size_t len, size_t *out)
{
	if (len == 0 || len > 9 || (len > 1 && s[0] == '0')) {
		return false;
	}
	size_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return false;
		}
		v = v * 10 + (size_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

static const struct value *step(const struct value *v, const char *seg, size_t len)
{
	if (v->kind == VALUE_OBJECT) {
		return value_member_n(v, seg, len);
	}
	size_t index;
	if (v->kind == VALUE_ARRAY && parse_index(seg, len, &index) && index < v->array.count) {
		return v->array.items[index];
	}
	return NULL;
}

const struct value *path_lookup(const struct value *root, const char *path)
{
	const struct value *v = root;
	const char *p = path;
	if (*p == '/') {
		p++;
	}
	while (v && *p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		v = step(v, p, len);
		p += len + (slash ? 1 : 0);
	}
	return v;
}

bool path_check(const char *path, char *err, size_t err_size)
{
	const char *p = path[0] == '/' ? path + 1 : path;
	if (*p == '\0') {
		snprintf(err, err_size, "empty value path");
		return false;
	}
	for (const char *s = p; *s; s++) {
		if (*s == '/' && (s[1] == '/' || s[1] == '\0')) {
			snprintf(err, err_size, "empty segment in value path \"%s\"", path);
			return false;
		}
	}
	return true;
}
