#ifndef CITYWALL_MODEL_SOURCE_H
#define CITYWALL_MODEL_SOURCE_H

/*
 * A source: where one kind of snapshot comes from and how fresh it must be. Declared in a
 * layout, fetched by feed/, judged stale by the board. Plain data shared by all three.
 */

#include <stdbool.h>
#include <stddef.h>

#include "model/history.h"

struct source_header {
	char *name;  // owned, e.g. "X-Api-Key"
	char *value; // owned; may hold ${ENV_VAR} references, expanded at fetch time
};

/* What a source's documents are. */
enum source_type {
	SOURCE_JSON,  // a snapshot document (JSON object): the default
	SOURCE_IMAGE, // a JPEG or PNG picture (a CCTV still), decoded on the fetch thread
};

/* How a SOURCE_JSON source's documents are written; all become the same value tree. */
enum source_format {
	SOURCE_FORMAT_JSON, // a JSON object: the default
	SOURCE_FORMAT_CSV,  // a header row and records → {"rows": [{"column": value, ...}, ...]}
	SOURCE_FORMAT_XML,  // elements → members, attributes → "@name" (feed/xml_parse.h)
};

/* The character encoding of CSV and XML documents (JSON is always UTF-8). */
enum source_encoding {
	SOURCE_ENCODING_AUTO,  // valid UTF-8 is UTF-8, anything else is CP949
	SOURCE_ENCODING_UTF8,
	SOURCE_ENCODING_CP949, // also "euc-kr": CP949 is its superset
};

struct source_config {
	char *name;             // owned: what bindings say before ':' ("air" in "air:/pm10")
	char *url;              // owned: http(s)://, file:// or mqtt(s):// URL, or a file path
	double interval;        // seconds between polls
	double max_age;         // seconds after which the data counts as stale
	double timeout;         // total seconds a fetch may take
	double connect_timeout; // seconds to connect
	size_t max_bytes;       // a larger document is refused (transfer aborted)
	char *timestamp;        // owned: value path of the document's own time; NULL: none
	char *timestamp_format; // owned: how that time is written (util/datatime.h); NULL: built-in
	char *timestamp_zone;   // owned: IANA zone of zone-less times; NULL: UTC
	double clock_tolerance; // seconds a document's time may be ahead of its fetch
	double show_age_after;  // seconds of age after which tiles show "N분 전"; 0: never
	char *ca_file;          // owned: CA bundle for https and mqtts; NULL: the system's
	char *username;         // owned: MQTT user; may hold ${ENV_VAR} references; NULL: none
	char *password;         // owned: MQTT password, likewise; NULL: none
	struct source_header *headers; // owned
	size_t header_count;
	enum source_type type;  // how a fetched body becomes a snapshot
	enum source_format format;     // SOURCE_JSON sources: how the document is written
	enum source_encoding encoding; // CSV and XML documents
	struct history_limit history;  // readings of bound numbers to keep; {0, 0}: none
	/* Where the source is (a camera): image tiles choose among sources by distance. */
	bool has_position;
	double lat, lon;        // degrees (WGS 84), when has_position
	char *title;            // owned: its name for people ("구로구청 앞"); NULL: none
};

/* An mqtt://host[:port]/topic or mqtts:// URL, taken apart (source_mqtt_url_parse). */
struct source_mqtt_url {
	char *host;  // owned
	int port;    // 1883 (mqtt) or 8883 (mqtts) unless the URL names one
	char *topic; // owned: the rest of the path, percent-decoded, never a wildcard
	bool tls;    // mqtts://
};

/* Whether `url` is a push source (mqtt:// or mqtts://), which is subscribed, never polled. */
bool source_url_is_mqtt(const char *url);
/*
 * Takes an MQTT URL apart into `out` (finish it with source_mqtt_url_finish). Returns false
 * with a message in err when it names no host or no topic, a bad port, or a topic filter
 * (+ or #: a source is one document, not a stream of several).
 */
bool source_mqtt_url_parse(const char *url, struct source_mqtt_url *out, char *err,
			   size_t err_size);
void source_mqtt_url_finish(struct source_mqtt_url *url);

/* Whether the source keeps a history of its bound numbers. */
bool source_keeps_history(const struct source_config *config);

/* Defaults for fields a layout leaves out. */
#define SOURCE_DEFAULT_INTERVAL 10.0
#define SOURCE_DEFAULT_MAX_AGE 300.0
#define SOURCE_DEFAULT_TIMEOUT 15.0
#define SOURCE_DEFAULT_CONNECT_TIMEOUT 5.0
#define SOURCE_DEFAULT_MAX_BYTES (16u * 1024 * 1024)
#define SOURCE_DEFAULT_CLOCK_TOLERANCE 120.0

/*
 * Whether `name` may name a source: 1 to 64 letters, digits, '_' or '-'. Names become cache
 * file names and binding prefixes, so nothing else is allowed.
 */
bool source_name_valid(const char *name);

void source_config_finish(struct source_config *config);
/* Whether a and b read a document's own time the same way (path, format, zone, tolerance). */
bool source_config_same_time(const struct source_config *a, const struct source_config *b);
/* A deep copy into `out`. */
void source_config_copy(struct source_config *out, const struct source_config *in);

#endif
