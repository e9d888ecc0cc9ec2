#ifndef CITYWALL_DERIVE_DERIVE_INTERNAL_H
#define CITYWALL_DERIVE_DERIVE_INTERNAL_H

/* The parsed form of an expression, shared by derive_parse.c, derive_eval.c, derive_agg.c. */

#include "derive/derive.h"

#include <stdint.h>

enum node_op {
	N_NUMBER,   // num (durations are numbers of seconds)
	N_STRING,   // text
	N_NULL,
	N_BOOL,     // num: 0 or 1
	N_FIELD,    // text: a name, dotted unless quoted
	N_NOT,      // a
	N_NEG,      // a
	N_AND,      // a, b
	N_OR,
	N_EQ,
	N_NE,
	N_LT,
	N_LE,
	N_GT,
	N_GE,
	N_ADD,
	N_SUB,
	N_MUL,
	N_DIV,
	N_IS_NULL,  // a == null
	N_NOT_NULL, // a != null
	N_IN,       // a in [list .. list + count)
	N_IN_LAST,  // a in last num (seconds)
	N_IN_TODAY, // a in today
	N_TODAY,    // today(): local midnight
	N_NOW,      // now()
	N_AGG,      // agg over a (or every record: a < 0), slot
};

enum agg_kind {
	AGG_COUNT,
	AGG_SUM,
	AGG_MEAN,
	AGG_MEDIAN,
	AGG_P90,
	AGG_MIN,
	AGG_MAX,
	AGG_RATIO,
};

struct node {
	uint8_t op;       // enum node_op
	uint8_t agg;      // N_AGG: enum agg_kind
	bool negate;      // N_IN, N_IN_LAST, N_IN_TODAY: "not in"
	bool quoted;      // N_FIELD: `name` (no dots)
	bool field_pair;  // N_SUB: both sides are fields (a negative time difference rejects)
	int a, b;         // children; -1: none
	int list, count;  // N_IN: the literal items are nodes list .. list + count - 1
	int slot;         // N_AGG: index of the aggregate
	double num;
	const char *text; // owned by the expression (NUL-terminated): N_STRING, N_FIELD
	size_t len;
	size_t offset;    // byte offset in the source text
};

struct derive_expr {
	struct node *nodes; // owned
	int count;
	int root;
	char *strings;      // owned: the texts of N_STRING and N_FIELD nodes
	int *fields;        // owned: N_FIELD node indices in text order
	int field_count;
	int *aggs;          // owned: N_AGG node indices by slot
	int agg_count;
};

/* ---- evaluation (derive_eval.c) ---- */

enum dv_kind { DV_NULL, DV_BOOL, DV_NUMBER, DV_STRING, DV_TIME, DV_OTHER };

/* A value during evaluation. Strings borrow from the record or the expression. */
struct dv {
	enum dv_kind kind;
	double num;       // BOOL (0/1), NUMBER, TIME (epoch s)
	const char *text; // STRING
};

/* What evaluating one record needs; set up once per computation. */
struct eval_ctx {
	const struct derive_def *def;
	const char *zone;
	double now;
	double midnight;           // today() in the zone
	double next_midnight;      // the start of tomorrow
	const struct value *record;
	bool rejected;             // set by evaluation: the record is invalid
	const struct dv *agg_results; // value expressions: each slot's result
};

void eval_init(struct eval_ctx *ctx, const struct derive_def *def, double now);
struct dv eval_node(struct eval_ctx *ctx, const struct derive_expr *e, int n);
/* Whether a condition holds (only a true boolean does). */
bool eval_condition(struct eval_ctx *ctx, const struct derive_expr *e);
/* The number a value reads as for an aggregate; false: none (null, text, NaN). */
bool dv_number(const struct dv *v, double *out);
/* A record's field by name (dotted: nested) or a declared time; NULL kinds for missing. */
struct dv eval_field(struct eval_ctx *ctx, const char *name, bool quoted);
/* The time a value reads as (a time, ISO or compact text, an epoch number); false: none. */
bool eval_time(const struct eval_ctx *ctx, const struct dv *v, double *out);

/* ---- lists of records (derive_list.c) ---- */

/* The records passing "where", sorted and cut (def->value is NULL). */
const struct value *list_compute(const struct derive_def *def, const struct value *records,
				 size_t count, double now, struct arena *arena,
				 struct derive_stats *stats);

#endif
