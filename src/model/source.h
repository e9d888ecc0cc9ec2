#ifndef CITYWALL_MODEL_SOURCE_H
#define CITYWALL_MODEL_SOURCE_H

/*
 * A source: where one kind of snapshot comes from and how fresh it must be. Declared in a
 * layout, fetched by feed/, judged stale by the board. Plain data shared by all three.
 */

#include <stdbool.h>
#include <stddef.h>

struct source_header {
	char *name;  // owned, e.g. "X-Api-Key"
	char *value; // owned; may hold ${ENV_VAR} references, expanded at fetch time
};

/* What a source's documents are. */
enum source_type {
	SOURCE_JSON,  // a snapshot document (JSON object): the default
	SOURCE_IMAGE, // a JPEG or PNG picture (a CCTV still), decoded on the fetch thread
};

struct source_config {
	char *name;             // owned: what bindings say before ':' ("air" in "air:/pm10")
	char *url;              // owned: http://, https:// or file:// URL, or a file path
	double interval;        // seconds between polls
	double max_age;         // seconds after which the data counts as stale
	double timeout;         // total seconds a fetch may take
	double connect_timeout; // seconds to connect
	size_t max_bytes;       // a larger document is refused (transfer aborted)
	char *timestamp;        // owned: value path of the document's own time; NULL: none
	char *ca_file;          // owned: CA bundle for https; NULL: the system's
	struct source_header *headers; // owned
	size_t header_count;
	enum source_type type;  // how a fetched body becomes a snapshot
};

/* Defaults for fields a layout leaves out. */
#define SOURCE_DEFAULT_INTERVAL 10.0
#define SOURCE_DEFAULT_MAX_AGE 300.0
#define SOURCE_DEFAULT_TIMEOUT 15.0
#define SOURCE_DEFAULT_CONNECT_TIMEOUT 5.0
#define SOURCE_DEFAULT_MAX_BYTES (16u * 1024 * 1024)

/*
 * Whether `name` may name a source: 1 to 64 letters, digits, '_' or '-'. Names become cache
 * file names and binding prefixes, so nothing else is allowed.
 */
bool source_name_valid(const char *name);

void source_config_finish(struct source_config *config);
/* A deep copy into `out`. */
void source_config_copy(struct source_config *out, const struct source_config *in);

#endif
