#include "layout/template.h"

#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A string that grows by doubling, so that n appends cost O(n) in all. */
struct buffer {
	char *data; // owned
	size_t len, cap;
};

static void buffer_add(struct buffer *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1) {
			cap *= 2;
		}
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* The text of parameter `name` (name_len bytes) in `with`, or NULL when not given. */
static const char *parameter(const cJSON *with, const char *name, size_t name_len,
			     char *number, size_t number_size, template_missing_fn *missing,
			     void *ctx)
{
	char *key = xmalloc(name_len + 1);
	memcpy(key, name, name_len);
	key[name_len] = '\0';
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(with, key);
	const char *text = NULL;
	if (cJSON_IsString(value)) {
		text = value->valuestring;
	} else if (cJSON_IsNumber(value)) {
		snprintf(number, number_size, "%g", value->valuedouble);
		text = number;
	} else if (missing) {
		missing(ctx, key);
	}
	free(key);
	return text;
}

/* The first "${" in [s, end), or NULL. */
static const char *find_open(const char *s, const char *end)
{
	while ((s = memchr(s, '$', (size_t)(end - s))) && s + 1 < end) {
		if (s[1] == '{') {
			return s;
		}
		s++;
	}
	return NULL;
}

enum template_result template_expand(const char *text, const cJSON *with,
				     struct template_budget *budget,
				     template_missing_fn *missing, void *ctx, char **out)
{
	*out = NULL;
	if (budget->output > TEMPLATE_MAX_OUTPUT) {
		return TEMPLATE_TOO_LONG;
	}
	size_t in_len = strlen(text), substitutions = 0;
	struct buffer b = {0};
	const char *s = text, *end = text + in_len;
	for (;;) {
		/* Searches bounded by the known end: strstr on the rest would rescan it each time
		 * (sanitizers' strict string checks measure the whole string per call). */
		const char *open = find_open(s, end);
		/* Without a '}' after this "${" there is none after a later one either. */
		const char *close = open ? memchr(open + 2, '}', (size_t)(end - open - 2)) : NULL;
		if (!close) {
			buffer_add(&b, s, (size_t)(end - s));
			break;
		}
		buffer_add(&b, s, (size_t)(open - s));
		char number[64];
		const char *value = parameter(with, open + 2, (size_t)(close - open - 2), number,
					      sizeof(number), missing, ctx);
		size_t value_len = value ? strlen(value) : 0;
		/* Checked before copying: a cap must stop the memory, not only report it. */
		if (budget->substitutions + ++substitutions > TEMPLATE_MAX_SUBSTITUTIONS) {
			free(b.data);
			return TEMPLATE_TOO_MANY;
		}
		size_t made = b.len + value_len, used = (size_t)(close + 1 - text);
		if (made > used && made - used > TEMPLATE_MAX_OUTPUT - budget->output) {
			free(b.data);
			return TEMPLATE_TOO_LONG;
		}
		buffer_add(&b, value ? value : "", value_len);
		s = close + 1;
	}
	if (b.len > in_len) {
		budget->output += b.len - in_len;
	}
	budget->substitutions += substitutions;
	*out = b.data;
	return TEMPLATE_OK;
}

size_t template_size(const cJSON *node)
{
	size_t size = 8 + (node->string ? strlen(node->string) : 0);
	if (cJSON_IsString(node) && node->valuestring) {
		size += strlen(node->valuestring);
	}
	for (const cJSON *child = node->child; child; child = child->next) {
		size += template_size(child);
	}
	return size;
}
