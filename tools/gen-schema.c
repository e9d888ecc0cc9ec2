/*
 * Prints the JSON Schema of layout files, generated from the option tables that
 * `citywall --check` validates against. Its output is committed as
 * layouts/citywall.schema.json; after changing an option table, regenerate it:
 *
 *     build/tools/gen-schema > layouts/citywall.schema.json
 */

#include "layout/schema.h"
#include "widgets/widget.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc > 1) {
		fprintf(stderr, "usage: gen-schema > layouts/citywall.schema.json\n");
		return 2;
	}
	char *text = layout_schema_json(widget_specs());
	bool ok = fputs(text, stdout) >= 0;
	ok = fflush(stdout) == 0 && ok;
	free(text);
	if (!ok) {
		perror("gen-schema: stdout");
	}
	return ok ? 0 : 1;
}
