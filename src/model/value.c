#include "model/value.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *value_kind_name(enum value_kind kind)
{
	static const char *const names[] = {
		[VALUE_NULL] = "null",
		[VALUE_BOOL] = "boolean",
		[VALUE_NUMBER] = "number",
		[VALUE_STRING] = "string",
		[VALUE_ARRAY] = "array",
		[VALUE_OBJECT] = "object",
	};
	return kind <= VALUE_OBJECT ? names[kind] : "?";
}

const struct value *value_member_n(const struct value *object, const char *key, size_t key_len)
{
	if (!object || object->kind != VALUE_OBJECT) {
		return NULL;
	}
	for (size_t i = 0; i < object->object.count; i++) {
		const char *k = object->object.members[i].key;
		if (strncmp(k, key, key_len) == 0 && k[key_len] == '\0') {
			return object->object.members[i].value;
		}
	}
	return NULL;
}

const struct value *value_member(const struct value *object, const char *key)
{
	return value_member_n(object, key, strlen(key));
}

static bool parse_number_text(const char *s, double *out)
{
	while (isspace((unsigned char)*s)) {
		s++;
	}
	if (*s == '\0') {
		return false;
	}
	char *end;
	double v = strtod(s, &end);
	if (end == s) {
		return false;
	}
	while (isspace((unsigned char)*end)) {
		end++;
	}
	/* strtod accepts "nan", "inf" and hex floats; none of those is a reading. */
	if (*end != '\0' || !isfinite(v) || strpbrk(s, "xXnNiI")) {
		return false;
	}
	*out = v;
	return true;
}

bool value_number(const struct value *v, double *out)
{
	if (!v) {
		return false;
	}
	if (v->kind == VALUE_NUMBER) {
		if (!isfinite(v->number)) {
			return false;
		}
		*out = v->number;
		return true;
	}
	if (v->kind == VALUE_STRING) {
		return parse_number_text(v->string.text, out);
	}
	return false;
}

const char *value_string(const struct value *v)
{
	if (!v) {
		return NULL;
	}
	switch (v->kind) {
	case VALUE_STRING:
		return v->string.text;
	case VALUE_BOOL:
		return v->boolean ? "true" : "false";
	default:
		return NULL;
	}
}

bool value_equal(const struct value *a, const struct value *b)
{
	if (!a || !b) {
		return a == b;
	}
	if (a->kind != b->kind) {
		return false;
	}
	switch (a->kind) {
	case VALUE_NULL:
		return true;
	case VALUE_BOOL:
		return a->boolean == b->boolean;
	case VALUE_NUMBER:
		return a->number == b->number || (isnan(a->number) && isnan(b->number));
	case VALUE_STRING:
		return a->string.length == b->string.length &&
		       memcmp(a->string.text, b->string.text, a->string.length) == 0;
	case VALUE_ARRAY:
		if (a->array.count != b->array.count) {
			return false;
		}
		for (size_t i = 0; i < a->array.count; i++) {
			if (!value_equal(a->array.items[i], b->array.items[i])) {
				return false;
			}
		}
		return true;
	case VALUE_OBJECT:
		if (a->object.count != b->object.count) {
			return false;
		}
		for (size_t i = 0; i < a->object.count; i++) {
			if (strcmp(a->object.members[i].key, b->object.members[i].key) != 0 ||
			    !value_equal(a->object.members[i].value, b->object.members[i].value)) {
				return false;
			}
		}
		return true;
	}
	return false;
}
