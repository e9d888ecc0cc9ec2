/*
 * libFuzzer target for layout/template.c and the template code of layout/tiles_parse.c.
 *
 * An input that starts with '{' is a template: it is put into a layout used by three tiles
 * (with different "with" objects, one with none) and the layout is parsed, diagnostics
 * formatted and everything freed. Contract: NULL comes with at least one error, a layout with
 * none.
 *
 * Any other input is the text of one template string, expanded directly with fixed parameters,
 * once with a fresh budget and once with a budget nearly spent. Contract: the result, the
 * budget afterwards and the parameters reported missing are exactly those of a plain
 * reference expansion written here, including which cap stops it first.
 */

#include "layout/layout.h"
#include "layout/template.h"
#include "util/diag.h"
#include "widgets/widget.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void contract_failed(const char *what)
{
	fprintf(stderr, "fuzz_template: contract broken: %s\n", what);
	abort();
}

/* ---- a template in a layout ---- */

static void parse_layout(const uint8_t *data, size_t size)
{
	static const char head[] = "{\"templates\": {\"t\": ";
	static const char tail[] =
		"},\n \"tiles\": [\n"
		"  {\"template\": \"t\", \"with\": {\"a\": \"x\", \"n\": 1, \"name\": \"강남구\"},"
		" \"cell\": [0, 0]},\n"
		"  {\"template\": \"t\", \"with\": {\"a\": \"${a}\", \"code\": \"11680\"},"
		" \"cell\": [1, 0]},\n"
		"  {\"id\": \"plain\", \"template\": \"t\", \"cell\": [2, 0]}]}\n";
	size_t len = sizeof(head) - 1 + size + sizeof(tail) - 1;
	char *text = malloc(len + 1);
	memcpy(text, head, sizeof(head) - 1);
	memcpy(text + sizeof(head) - 1, data, size);
	memcpy(text + sizeof(head) - 1 + size, tail, sizeof(tail));
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *layout = layout_parse(text, len, "fuzz.json", widget_specs(), &diags);
	size_t errors = diag_count(&diags, DIAG_ERROR);
	if (!layout && errors == 0) {
		contract_failed("layout_parse returned NULL without an error");
	}
	if (layout && errors > 0) {
		contract_failed("layout_parse returned a layout with errors");
	}
	for (size_t i = 0; i < diags.count; i++) {
		free(diag_format(&diags.items[i]));
	}
	layout_destroy(layout);
	diag_list_finish(&diags);
	free(text);
}

/* ---- one string, expanded directly ---- */

static cJSON *parameters(void)
{
	static cJSON *with;
	if (!with) {
		char big[2001];
		memset(big, 'y', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		with = cJSON_CreateObject();
		cJSON_AddStringToObject(with, "a", "x");
		cJSON_AddStringToObject(with, "name", "강남구");
		cJSON_AddNumberToObject(with, "n", 11680);
		cJSON_AddNumberToObject(with, "f", 0.5);
		cJSON_AddStringToObject(with, "big", big);
		cJSON_AddStringToObject(with, "empty", "");
		cJSON_AddStringToObject(with, "${a", "nested");
		cJSON_AddStringToObject(with, "", "anonymous");
		cJSON_AddItemToObject(with, "object", cJSON_CreateObject());
		cJSON_AddTrueToObject(with, "flag");
	}
	return with;
}

struct reference {
	char *out;         // owned
	size_t len, cap;
	size_t missing;    // parameters not given
	enum template_result result;
};

static void add(struct reference *r, const char *s, size_t n)
{
	if (r->len + n + 1 > r->cap) {
		r->cap = (r->len + n + 1) * 2;
		r->out = realloc(r->out, r->cap);
	}
	memcpy(r->out + r->len, s, n);
	r->len += n;
	r->out[r->len] = '\0';
}

/* The expansion as the documentation states it, one character at a time. */
static struct reference expand_reference(const char *text, const cJSON *with,
					 struct template_budget budget)
{
	struct reference r = {.result = TEMPLATE_OK};
	add(&r, "", 0);
	size_t i = 0, n = strlen(text), substitutions = 0;
	while (i < n) {
		if (text[i] != '$' || text[i + 1] != '{') {
			add(&r, text + i, 1);
			i++;
			continue;
		}
		size_t close = i + 2;
		while (close < n && text[close] != '}') {
			close++;
		}
		if (close == n) {
			add(&r, text + i, n - i); /* unclosed: kept as it is */
			break;
		}
		char *name = strndup(text + i + 2, close - i - 2);
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(with, name);
		char number[64] = "";
		const char *value = number;
		if (cJSON_IsString(v)) {
			value = v->valuestring;
		} else if (cJSON_IsNumber(v)) {
			snprintf(number, sizeof(number), "%g", v->valuedouble);
		} else {
			r.missing++;
		}
		free(name);
		substitutions++;
		size_t made = r.len + strlen(value), used = close + 1;
		if (budget.substitutions + substitutions > TEMPLATE_MAX_SUBSTITUTIONS) {
			r.result = TEMPLATE_TOO_MANY;
			return r;
		}
		if (made > used && made - used > TEMPLATE_MAX_OUTPUT - budget.output) {
			r.result = TEMPLATE_TOO_LONG;
			return r;
		}
		add(&r, value, strlen(value));
		i = close + 1;
	}
	return r;
}

static void count_missing(void *ctx, const char *name)
{
	(void)name;
	(*(size_t *)ctx)++;
}

static void expand_once(const char *text, struct template_budget budget)
{
	const cJSON *with = parameters();
	struct reference want = expand_reference(text, with, budget);
	struct template_budget before = budget;
	size_t missing = 0;
	char *out = (char *)"unset";
	enum template_result result =
		template_expand(text, with, &budget, count_missing, &missing, &out);
	if (result != want.result) {
		contract_failed("a different result than the reference");
	}
	if (result != TEMPLATE_OK) {
		if (out || memcmp(&before, &budget, sizeof(budget)) != 0) {
			contract_failed("a failed expansion returned text or spent the budget");
		}
	} else {
		size_t in = strlen(text), len = out ? strlen(out) : 0;
		if (!out || strcmp(out, want.out) != 0) {
			contract_failed("a different text than the reference");
		}
		if (missing != want.missing) {
			contract_failed("a different number of missing parameters");
		}
		if (budget.output != before.output + (len > in ? len - in : 0) ||
		    budget.substitutions < before.substitutions ||
		    budget.output > TEMPLATE_MAX_OUTPUT ||
		    budget.substitutions > TEMPLATE_MAX_SUBSTITUTIONS) {
			contract_failed("the budget does not match the expansion");
		}
	}
	free(out);
	free(want.out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 0 && data[0] == '{') {
		parse_layout(data, size);
		return 0;
	}
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	expand_once(text, (struct template_budget){0});
	struct template_budget spent = {
		.output = TEMPLATE_MAX_OUTPUT - size % 4096,
		.substitutions = TEMPLATE_MAX_SUBSTITUTIONS - size % 8,
	};
	expand_once(text, spent);
	free(text);
	return 0;
}
