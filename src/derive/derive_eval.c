/*
 * Evaluating an expression against one record. The rules (docs/derive.md, "Rules"): a value is
 * null, a boolean, a number, a string or a time; strings become numbers or times where one is
 * needed and they read as one; anything that cannot be computed is null, and a comparison
 * with null, or of values that cannot be compared, is false — so a record with a missing or
 * broken field is never counted as good. A negative difference of two of the record's own
 * times (arrival before dispatch) marks the record invalid.
 */

#include "derive/derive_internal.h"

#include "util/datatime.h"
#include "util/timefmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct dv null_dv = {.kind = DV_NULL};

static struct dv number_dv(double v)
{
	return isfinite(v) ? (struct dv){.kind = DV_NUMBER, .num = v} : null_dv;
}

static struct dv time_dv(double t)
{
	return isfinite(t) ? (struct dv){.kind = DV_TIME, .num = t} : null_dv;
}

static struct dv bool_dv(bool b)
{
	return (struct dv){.kind = DV_BOOL, .num = b};
}

/* Local midnight at or before `t` in the zone (a zone that cannot be read counts as UTC). */
static double midnight_of(double t, const char *zone)
{
	struct tm tm;
	if (!time_in_zone(t, zone, &tm)) {
		return floor(t / 86400) * 86400;
	}
	return floor(t) - (tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec);
}

void eval_init(struct eval_ctx *ctx, const struct derive_def *def, double now)
{
	*ctx = (struct eval_ctx){.def = def, .zone = def->zone, .now = now};
	ctx->midnight = midnight_of(now, def->zone);
	/* 36 h on lands in tomorrow whatever a daylight-saving change does to the day's length. */
	ctx->next_midnight = midnight_of(ctx->midnight + 36 * 3600, def->zone);
}

/* Text that is a number: " 63 ", "4.5", "-1e3"; not "", "0x10", "inf" or "12ab". */
static bool text_number(const char *text, double *out)
{
	const char *s = text;
	while (*s == ' ' || *s == '\t') {
		s++;
	}
	if (!*s || !strchr("0123456789+-.", *s)) {
		return false;
	}
	for (const char *c = s; *c; c++) {
		if (!strchr("0123456789+-.eE \t", *c)) {
			return false;
		}
	}
	char *end;
	double v = strtod(s, &end);
	while (*end == ' ' || *end == '\t') {
		end++;
	}
	if (*end || !isfinite(v)) {
		return false;
	}
	*out = v;
	return true;
}

bool dv_number(const struct dv *v, double *out)
{
	switch (v->kind) {
	case DV_NUMBER:
	case DV_TIME:
		*out = v->num;
		return true;
	case DV_STRING:
		return text_number(v->text, out);
	default:
		return false;
	}
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return -1;
		}
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * The common form "YYYY-MM-DDTHH:MM:SS" with "Z" or "+hh:mm" read without the general parser:
 * a feed of 100,000 records has 200,000 of them, read several times per computation. Anything
 * else (no zone, fractions, other forms) goes to datatime_parse_text.
 */
static bool fast_iso(const char *s, double *out)
{
	int year = digits(s, 4), month = digits(s + 5, 2), day = digits(s + 8, 2);
	if (year < 0 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ')) {
		return false;
	}
	int hour = digits(s + 11, 2), minute = digits(s + 14, 2), second = digits(s + 17, 2);
	if (hour < 0 || minute < 0 || second < 0 || s[13] != ':' || s[16] != ':' || month < 1 ||
	    month > 12 || day < 1 || day > 28 || hour > 23 || minute > 59 || second > 59) {
		return false; // days 29 to 31 need the calendar's check: the general parser
	}
	int offset;
	const char *z = s + 19;
	if (z[0] == 'Z' && z[1] == '\0') {
		offset = 0;
	} else if ((z[0] == '+' || z[0] == '-') && digits(z + 1, 2) >= 0 && z[3] == ':' &&
		   digits(z + 4, 2) >= 0 && z[6] == '\0') {
		offset = (digits(z + 1, 2) * 3600 + digits(z + 4, 2) * 60) * (z[0] == '-' ? -1 : 1);
	} else {
		return false;
	}
	double days = (double)time_days_from_civil(year, month, day);
	*out = days * 86400 + hour * 3600 + minute * 60 + second - offset;
	return true;
}

static bool dv_time(const struct eval_ctx *ctx, const struct dv *v, double *out)
{
	if (v->kind == DV_STRING && fast_iso(v->text, out)) {
		return true;
	}
	switch (v->kind) {
	case DV_TIME:
		*out = v->num;
		return true;
	case DV_STRING:
		return datatime_parse_text(v->text, NULL, ctx->zone, out);
	case DV_NUMBER:
		return datatime_parse_number(v->num, NULL, ctx->zone, out);
	default:
		return false;
	}
}

bool eval_time(const struct eval_ctx *ctx, const struct dv *v, double *out)
{
	return dv_time(ctx, v, out);
}

static struct dv from_value(const struct value *v)
{
	if (!v) {
		return null_dv;
	}
	switch (v->kind) {
	case VALUE_NULL:
		return null_dv;
	case VALUE_BOOL:
		return bool_dv(v->boolean);
	case VALUE_NUMBER:
		return number_dv(v->number);
	case VALUE_STRING:
		return (struct dv){.kind = DV_STRING, .text = v->string.text};
	default:
		return (struct dv){.kind = DV_OTHER};
	}
}

/* The digits of a date or time-of-day field: a string of digits or a whole number. */
static bool field_digits(const struct value *v, char *buf, size_t size)
{
	if (v && v->kind == VALUE_NUMBER && v->number >= 0 && v->number < 1e15 &&
	    v->number == floor(v->number)) {
		snprintf(buf, size, "%.0f", v->number);
		return true;
	}
	if (!v || v->kind != VALUE_STRING || v->string.length == 0 || v->string.length >= size) {
		return false;
	}
	for (size_t i = 0; i < v->string.length; i++) {
		if (v->string.text[i] < '0' || v->string.text[i] > '9') {
			return false;
		}
	}
	memcpy(buf, v->string.text, v->string.length + 1);
	return true;
}

/*
 * A time from a date field (YYYYMMDD) and a time-of-day field written without leading zeros,
 * as the 119 export does: "331" is 00:03:31, "104800" is 10:48:00.
 */
static struct dv pair_time(const struct eval_ctx *ctx, const struct value *date,
			   const struct value *clock)
{
	char day[16], hms[16], text[32];
	double t;
	if (!field_digits(date, day, sizeof(day)) || strlen(day) != 8 ||
	    !field_digits(clock, hms, sizeof(hms)) || strlen(hms) > 6) {
		return null_dv;
	}
	snprintf(text, sizeof(text), "%s%06ld", day, strtol(hms, NULL, 10));
	if (!datatime_parse_text(text, "%Y%m%d%H%M%S", ctx->zone, &t)) {
		return null_dv;
	}
	return time_dv(t);
}

static const struct value *member_path(const struct value *record, const char *name, bool quoted)
{
	if (quoted || !strchr(name, '.')) {
		return value_member(record, name);
	}
	const struct value *v = record;
	const char *s = name;
	while (v && v->kind == VALUE_OBJECT) {
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);
		v = value_member_n(v, s, n);
		if (!dot) {
			return v;
		}
		s = dot + 1;
	}
	return NULL;
}

struct dv eval_field(struct eval_ctx *ctx, const char *name, bool quoted)
{
	const struct derive_def *def = ctx->def;
	for (size_t i = 0; !quoted && i < def->time_count; i++) {
		const struct derive_time *t = &def->times[i];
		if (strcmp(t->name, name) != 0) {
			continue;
		}
		const struct value *date = member_path(ctx->record, t->date, false);
		if (t->clock) {
			return pair_time(ctx, date, member_path(ctx->record, t->clock, false));
		}
		struct dv v = from_value(date);
		double when;
		return dv_time(ctx, &v, &when) ? time_dv(when) : null_dv;
	}
	return from_value(member_path(ctx->record, name, quoted));
}

/* ---- comparisons ---- */

enum order { ORDER_NONE = -2, ORDER_LESS = -1, ORDER_SAME = 0, ORDER_MORE = 1 };

static enum order order_of(double a, double b)
{
	return a < b ? ORDER_LESS : a > b ? ORDER_MORE : ORDER_SAME;
}

/*
 * How a and b compare, or ORDER_NONE when they cannot be compared. `equality`: text compares
 * as text (==, !=); otherwise strings must read as numbers or times.
 */
static enum order compare(const struct eval_ctx *ctx, const struct dv *a, const struct dv *b,
			  bool equality)
{
	double x, y;
	if (a->kind == DV_NULL || b->kind == DV_NULL || a->kind == DV_OTHER ||
	    b->kind == DV_OTHER) {
		return ORDER_NONE;
	}
	if (a->kind == DV_TIME || b->kind == DV_TIME) {
		return dv_time(ctx, a, &x) && dv_time(ctx, b, &y) ? order_of(x, y) : ORDER_NONE;
	}
	if (a->kind == DV_BOOL || b->kind == DV_BOOL) {
		return equality && a->kind == b->kind ? order_of(a->num, b->num) : ORDER_NONE;
	}
	if (a->kind == DV_STRING && b->kind == DV_STRING) {
		if (text_number(a->text, &x) && text_number(b->text, &y)) {
			return order_of(x, y);
		}
		if (equality) {
			int c = strcmp(a->text, b->text);
			return c < 0 ? ORDER_LESS : c > 0 ? ORDER_MORE : ORDER_SAME;
		}
		return dv_time(ctx, a, &x) && dv_time(ctx, b, &y) ? order_of(x, y) : ORDER_NONE;
	}
	/* A number and a string: the string must be a number. */
	return dv_number(a, &x) && dv_number(b, &y) ? order_of(x, y) : ORDER_NONE;
}

static bool comparison_holds(enum node_op op, enum order o)
{
	if (o == ORDER_NONE) {
		return false;
	}
	switch (op) {
	case N_EQ:
		return o == ORDER_SAME;
	case N_NE:
		return o != ORDER_SAME;
	case N_LT:
		return o == ORDER_LESS;
	case N_LE:
		return o != ORDER_MORE;
	case N_GT:
		return o == ORDER_MORE;
	default:
		return o != ORDER_LESS;
	}
}

/* ---- arithmetic ---- */

enum operand { OPERAND_NONE, OPERAND_NUMBER, OPERAND_TIME };

/* A number stays a number; a string reads as a number if it is one, else as a time. */
static enum operand operand_of(const struct eval_ctx *ctx, const struct dv *v, double *out)
{
	if (v->kind == DV_NUMBER) {
		*out = v->num;
		return OPERAND_NUMBER;
	}
	if (v->kind == DV_TIME) {
		*out = v->num;
		return OPERAND_TIME;
	}
	if (v->kind == DV_STRING) {
		if (text_number(v->text, out)) {
			return OPERAND_NUMBER;
		}
		return dv_time(ctx, v, out) ? OPERAND_TIME : OPERAND_NONE;
	}
	return OPERAND_NONE;
}

static struct dv arithmetic(struct eval_ctx *ctx, const struct node *n, const struct dv *a,
			    const struct dv *b)
{
	double x, y;
	enum operand ka = operand_of(ctx, a, &x), kb = operand_of(ctx, b, &y);
	if (ka == OPERAND_NONE || kb == OPERAND_NONE) {
		return null_dv;
	}
	bool numbers = ka == OPERAND_NUMBER && kb == OPERAND_NUMBER;
	switch ((enum node_op)n->op) {
	case N_ADD:
		if (numbers) {
			return number_dv(x + y);
		}
		return ka != kb ? time_dv(x + y) : null_dv; // time + duration
	case N_SUB:
		if (numbers) {
			return number_dv(x - y);
		}
		if (ka == OPERAND_TIME && kb == OPERAND_TIME) {
			if (n->field_pair && x - y < 0) {
				ctx->rejected = true; // arrived before it was dispatched
				return null_dv;
			}
			return number_dv(x - y);
		}
		return ka == OPERAND_TIME ? time_dv(x - y) : null_dv;
	case N_MUL:
		return numbers ? number_dv(x * y) : null_dv;
	default:
		return numbers && y != 0 ? number_dv(x / y) : null_dv;
	}
}

/* ---- nodes ---- */

static bool truth(const struct dv *v)
{
	return v->kind == DV_BOOL && v->num != 0;
}

static struct dv literal(const struct node *n)
{
	switch ((enum node_op)n->op) {
	case N_NUMBER:
		return number_dv(n->num);
	case N_STRING:
		return (struct dv){.kind = DV_STRING, .text = n->text};
	case N_BOOL:
		return bool_dv(n->num != 0);
	default:
		return null_dv;
	}
}

static bool in_list(struct eval_ctx *ctx, const struct derive_expr *e, const struct node *n,
		    const struct dv *subject)
{
	for (int i = 0; i < n->count; i++) {
		struct dv item = literal(&e->nodes[n->list + i]);
		if (compare(ctx, subject, &item, true) == ORDER_SAME) {
			return true;
		}
	}
	return false;
}

/* x in [...], in last D, in today: false (also "not in") when x is null or no time. */
static struct dv membership(struct eval_ctx *ctx, const struct derive_expr *e,
			    const struct node *n)
{
	struct dv subject = eval_node(ctx, e, n->a);
	double t;
	if (subject.kind == DV_NULL || subject.kind == DV_OTHER) {
		return bool_dv(false);
	}
	bool in;
	if (n->op == N_IN) {
		in = in_list(ctx, e, n, &subject);
	} else if (!dv_time(ctx, &subject, &t)) {
		return bool_dv(false);
	} else if (n->op == N_IN_LAST) {
		in = t >= ctx->now - n->num && t <= ctx->now;
	} else {
		in = t >= ctx->midnight && t < ctx->next_midnight;
	}
	return bool_dv(in != n->negate);
}

struct dv eval_node(struct eval_ctx *ctx, const struct derive_expr *e, int index)
{
	const struct node *n = &e->nodes[index];
	struct dv a, b;
	switch ((enum node_op)n->op) {
	case N_NUMBER:
	case N_STRING:
	case N_NULL:
	case N_BOOL:
		return literal(n);
	case N_FIELD:
		return eval_field(ctx, n->text, n->quoted);
	case N_NOT:
		a = eval_node(ctx, e, n->a);
		return bool_dv(!truth(&a));
	case N_NEG:
		a = eval_node(ctx, e, n->a);
		return a.kind == DV_NUMBER ? number_dv(-a.num) : null_dv;
	case N_AND:
		a = eval_node(ctx, e, n->a);
		if (!truth(&a)) {
			return bool_dv(false);
		}
		b = eval_node(ctx, e, n->b);
		return bool_dv(truth(&b));
	case N_OR:
		a = eval_node(ctx, e, n->a);
		if (truth(&a)) {
			return bool_dv(true);
		}
		b = eval_node(ctx, e, n->b);
		return bool_dv(truth(&b));
	case N_EQ:
	case N_NE:
	case N_LT:
	case N_LE:
	case N_GT:
	case N_GE:
		a = eval_node(ctx, e, n->a);
		b = eval_node(ctx, e, n->b);
		return bool_dv(comparison_holds((enum node_op)n->op,
						compare(ctx, &a, &b, n->op == N_EQ || n->op == N_NE)));
	case N_ADD:
	case N_SUB:
	case N_MUL:
	case N_DIV:
		a = eval_node(ctx, e, n->a);
		b = eval_node(ctx, e, n->b);
		return arithmetic(ctx, n, &a, &b);
	case N_IS_NULL:
	case N_NOT_NULL:
		a = eval_node(ctx, e, n->a);
		return bool_dv((a.kind == DV_NULL) == (n->op == N_IS_NULL));
	case N_IN:
	case N_IN_LAST:
	case N_IN_TODAY:
		return membership(ctx, e, n);
	case N_TODAY:
		return time_dv(ctx->midnight);
	case N_NOW:
		return time_dv(ctx->now);
	case N_AGG:
		return ctx->agg_results ? ctx->agg_results[n->slot] : null_dv;
	}
	return null_dv;
}

bool eval_condition(struct eval_ctx *ctx, const struct derive_expr *e)
{
	struct dv v = eval_node(ctx, e, e->root);
	return truth(&v);
}
