#include "feed/xml_parse.h"

#include "feed/doc_text.h"
#include "util/json_scan.h"
#include "util/xmalloc.h"

#include <expat.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct child {
	const char *name; // arena
	const struct value *value;
	size_t order; // position among its siblings
};

/* An element whose end tag has not come yet. */
struct frame {
	const char *name;      // arena
	struct member *attrs;  // arena: "@name" members
	size_t attr_count;
	struct child *children; // owned
	size_t count, cap;
	char *text; // owned: character data, concatenated
	size_t text_len, text_cap;
};

struct builder {
	XML_Parser parser;
	struct arena *arena; // borrowed
	struct frame stack[XML_MAX_DEPTH];
	size_t depth;
	size_t nodes;
	const struct value *root; // arena, once the document element has ended
	char stop_reason[160];    // set when a handler stopped the parser
	XML_Index stop_at;        // byte where it did (expat's own index moves on past the token)
};

static void stop(struct builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void stop(struct builder *b, const char *fmt, ...)
{
	if (b->stop_reason[0]) {
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b->stop_reason, sizeof(b->stop_reason), fmt, ap);
	va_end(ap);
	b->stop_at = XML_GetCurrentByteIndex(b->parser);
	XML_StopParser(b->parser, XML_FALSE);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Text (trimmed) as a value: null when empty, a number by the plain-number rule, else text. */
static const struct value *scalar(struct arena *arena, const char *text, size_t len)
{
	while (len > 0 && is_space(text[0])) {
		text++;
		len--;
	}
	while (len > 0 && is_space(text[len - 1])) {
		len--;
	}
	struct value *v = arena_alloc(arena, sizeof(*v));
	memset(v, 0, sizeof(*v));
	if (len == 0) {
		v->kind = VALUE_NULL;
	} else if (doc_text_plain_number(text, len, &v->number)) {
		v->kind = VALUE_NUMBER;
	} else {
		v->kind = VALUE_STRING;
		v->string.text = arena_strndup(arena, text, len);
		v->string.length = len;
	}
	return v;
}

static bool counted(struct builder *b, size_t n)
{
	b->nodes += n;
	if (b->nodes > XML_MAX_NODES) {
		stop(b, "more than %u elements and attributes", XML_MAX_NODES);
		return false;
	}
	return true;
}

static void XMLCALL on_start(void *data, const XML_Char *name, const XML_Char **atts)
{
	struct builder *b = data;
	if (b->stop_reason[0]) {
		return;
	}
	size_t attr_count = 0;
	while (atts[2 * attr_count]) {
		attr_count++;
	}
	if (b->depth == XML_MAX_DEPTH) {
		stop(b, "elements nested deeper than %d", XML_MAX_DEPTH);
		return;
	}
	if (!counted(b, 1 + attr_count)) {
		return;
	}
	struct frame *f = &b->stack[b->depth++];
	*f = (struct frame){.name = arena_strndup(b->arena, name, strlen(name))};
	f->attrs = arena_alloc(b->arena, (attr_count ? attr_count : 1) * sizeof(*f->attrs));
	for (size_t i = 0; i < attr_count; i++) {
		const char *key = atts[2 * i], *value = atts[2 * i + 1];
		char *at = arena_alloc(b->arena, strlen(key) + 2);
		at[0] = '@';
		strcpy(at + 1, key);
		f->attrs[i] = (struct member){.key = at,
					      .value = scalar(b->arena, value, strlen(value))};
	}
	f->attr_count = attr_count;
}

static void XMLCALL on_text(void *data, const XML_Char *s, int len)
{
	struct builder *b = data;
	if (b->stop_reason[0] || b->depth == 0 || len <= 0) {
		return;
	}
	struct frame *f = &b->stack[b->depth - 1];
	if (f->text_len + (size_t)len + 1 > f->text_cap) {
		f->text_cap = (f->text_len + (size_t)len + 1) * 2;
		f->text = xrealloc(f->text, f->text_cap);
	}
	memcpy(f->text + f->text_len, s, (size_t)len);
	f->text_len += (size_t)len;
}

static int by_name_then_order(const void *pa, const void *pb)
{
	const struct child *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);
	return c ? c : (a->order > b->order) - (a->order < b->order);
}

static int by_order(const void *pa, const void *pb)
{
	const struct child *a = pa, *b = pb;
	return (a->order > b->order) - (a->order < b->order);
}

/*
 * The children as members, one per distinct name in the order names first appear: a name seen
 * once is its value, a repeated name (or "row") an array of its values in document order.
 * Returns how many members were written to out.
 */
static size_t group_children(struct arena *arena, struct child *children, size_t count,
			     struct member *out)
{
	if (count == 0) {
		return 0; // qsort(NULL, 0, ...) is undefined: an element may have attributes only
	}
	qsort(children, count, sizeof(*children), by_name_then_order);
	/* One entry per group (its first child, which carries the group's order), sorted back. */
	struct child *groups = xmalloc(count * sizeof(*groups));
	size_t ngroups = 0;
	for (size_t i = 0, n; i < count; i += n) {
		n = 1;
		while (i + n < count && strcmp(children[i].name, children[i + n].name) == 0) {
			n++;
		}
		const struct value *v = children[i].value;
		if (n > 1 || strcmp(children[i].name, "row") == 0) {
			const struct value **items = arena_alloc(arena, n * sizeof(*items));
			for (size_t k = 0; k < n; k++) {
				items[k] = children[i + k].value;
			}
			struct value *array = arena_alloc(arena, sizeof(*array));
			*array = (struct value){.kind = VALUE_ARRAY, .array = {items, n}};
			v = array;
		}
		groups[ngroups++] = (struct child){children[i].name, v, children[i].order};
	}
	qsort(groups, ngroups, sizeof(*groups), by_order);
	for (size_t g = 0; g < ngroups; g++) {
		out[g] = (struct member){.key = groups[g].name, .value = groups[g].value};
	}
	free(groups);
	return ngroups;
}

static const struct value *frame_value(struct arena *arena, struct frame *f)
{
	if (f->count == 0 && f->attr_count == 0) {
		return scalar(arena, f->text, f->text_len);
	}
	const struct value *text = scalar(arena, f->text, f->text_len);
	bool has_text = text->kind != VALUE_NULL;
	size_t max = f->attr_count + f->count + has_text;
	struct member *members = arena_alloc(arena, max * sizeof(*members));
	memcpy(members, f->attrs, f->attr_count * sizeof(*members));
	size_t n = f->attr_count;
	n += group_children(arena, f->children, f->count, members + n);
	if (has_text) {
		members[n++] = (struct member){.key = "#text", .value = text};
	}
	struct value *v = arena_alloc(arena, sizeof(*v));
	*v = (struct value){.kind = VALUE_OBJECT, .object = {.members = members, .count = n}};
	return v;
}

static void frame_finish(struct frame *f)
{
	free(f->children);
	free(f->text);
	memset(f, 0, sizeof(*f));
}

static void XMLCALL on_end(void *data, const XML_Char *name)
{
	struct builder *b = data;
	if (b->stop_reason[0] || b->depth == 0) {
		return;
	}
	struct frame *f = &b->stack[--b->depth];
	const struct value *v = frame_value(b->arena, f);
	if (b->depth == 0) {
		struct member *m = arena_alloc(b->arena, sizeof(*m));
		*m = (struct member){.key = f->name, .value = v};
		if (strcmp(f->name, "row") == 0) {
			/* The rule holds for a document element named row too. */
			struct child only = {f->name, v, 0};
			group_children(b->arena, &only, 1, m);
		}
		struct value *root = arena_alloc(b->arena, sizeof(*root));
		*root = (struct value){.kind = VALUE_OBJECT, .object = {.members = m, .count = 1}};
		b->root = root;
	} else {
		struct frame *parent = &b->stack[b->depth - 1];
		if (parent->count == parent->cap) {
			parent->cap = parent->cap ? parent->cap * 2 : 8;
			parent->children = xrealloc(parent->children,
						    parent->cap * sizeof(*parent->children));
		}
		parent->children[parent->count] = (struct child){f->name, v, parent->count};
		parent->count++;
	}
	frame_finish(f);
}

static void XMLCALL on_doctype(void *data, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal_subset)
{
	stop(data, "a DOCTYPE is not accepted (no DTDs or entities in feed documents)");
}

static void XMLCALL on_entity(void *data, const XML_Char *name, int is_parameter,
			      const XML_Char *value, int value_length, const XML_Char *base,
			      const XML_Char *system_id, const XML_Char *public_id,
			      const XML_Char *notation)
{
	stop(data, "entity declarations are not accepted");
}

static const XML_Memory_Handling_Suite memory = {xmalloc, xrealloc, free};

static void report(struct builder *b, const char *text, size_t len, const char *origin,
		   struct diag_list *diags)
{
	XML_Index at = b->stop_reason[0] ? b->stop_at : XML_GetCurrentByteIndex(b->parser);
	struct text_pos pos = json_text_pos(text, len, at < 0 ? len : (size_t)at);
	if (b->stop_reason[0]) {
		diag_add(diags, DIAG_ERROR, origin, pos.line, pos.column, NULL, "%s",
			 b->stop_reason);
	} else {
		diag_add(diags, DIAG_ERROR, origin, pos.line, pos.column, NULL, "XML: %s",
			 XML_ErrorString(XML_GetErrorCode(b->parser)));
	}
}

const struct value *xml_parse(struct arena *arena, const char *text, size_t len,
			      const char *origin, struct diag_list *diags)
{
	if (len > INT_MAX) {
		diag_add(diags, DIAG_ERROR, origin, 0, 0, NULL, "XML document too large");
		return NULL;
	}
	struct builder *b = xcalloc(1, sizeof(*b));
	b->arena = arena;
	/* Our text is UTF-8 already: this overrides the document's encoding declaration. Expat
	 * allocates through xmalloc, so running out of memory follows the program's one policy. */
	b->parser = XML_ParserCreate_MM("UTF-8", &memory, NULL);
	XML_SetUserData(b->parser, b);
	XML_SetElementHandler(b->parser, on_start, on_end);
	XML_SetCharacterDataHandler(b->parser, on_text);
	XML_SetStartDoctypeDeclHandler(b->parser, on_doctype);
	XML_SetEntityDeclHandler(b->parser, on_entity);
	XML_SetParamEntityParsing(b->parser, XML_PARAM_ENTITY_PARSING_NEVER);
	const struct value *root = NULL;
	if (XML_Parse(b->parser, text, (int)len, XML_TRUE) == XML_STATUS_OK && b->root) {
		root = b->root;
	} else {
		report(b, text, len, origin, diags);
	}
	while (b->depth > 0) {
		frame_finish(&b->stack[--b->depth]);
	}
	XML_ParserFree(b->parser);
	free(b);
	return root;
}
