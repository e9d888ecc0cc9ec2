/*
 * libFuzzer target for layout/geo.c, geo_measure.c and geo_simplify.c: parses the input as a
 * GeoJSON FeatureCollection; when a geometry comes back, checks its structure and simplifies
 * it at a few scales (a 1080p map, an 8K map, unsimplified, and coarser than the whole map),
 * checking every shape. Everything is freed, so LeakSanitizer catches leaks.
 *
 * Contracts checked besides the sanitizers: NULL comes with a message; every index stays
 * inside its array; rings hold at least 4 positions and shapes' rings at least 3 corners;
 * shapes stay within their point budget; measured and simplified coordinates are finite
 * whenever the geometry's extent is.
 */

#include "layout/geo.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void contract_failed(const char *what)
{
	fprintf(stderr, "fuzz_geojson: contract broken: %s\n", what);
	abort();
}

static void check_geo(const struct geo *g)
{
	if (g->feature_count == 0 || g->refs != 1) {
		contract_failed("a geometry without features, or a wrong reference count");
	}
	for (size_t i = 0; i < g->feature_count; i++) {
		const struct geo_feature *f = &g->features[i];
		if (f->first_property + f->property_count > g->property_count) {
			contract_failed("properties out of range");
		}
		(void)geo_property(g, f, "code");
		if (f->kind == GEO_POINT) {
			continue;
		}
		if (f->polygon_count == 0 ||
		    f->first_polygon + f->polygon_count > g->polygon_count) {
			contract_failed("polygons out of range");
		}
		for (size_t p = 0; p < f->polygon_count; p++) {
			const struct geo_polygon *poly = &g->polygons[f->first_polygon + p];
			if (poly->count == 0 || poly->first + poly->count > g->ring_count) {
				contract_failed("rings out of range");
			}
			for (size_t r = 0; r < poly->count; r++) {
				const struct geo_ring *ring = &g->rings[poly->first + r];
				if (ring->count < 4 || ring->first + ring->count > g->point_count) {
					contract_failed("a ring under 4 positions, or out of range");
				}
			}
		}
	}
	if (!(g->x_scale > 0) || !isfinite(g->x_scale)) {
		contract_failed("projection scale not positive");
	}
}

static void check_shape(const struct geo *g, const struct geo_shape *sh, bool finite)
{
	if (sh->feature_count != g->feature_count ||
	    sh->feature_rings[sh->feature_count] != sh->ring_count) {
		contract_failed("shape's features do not match the geometry's");
	}
	size_t budget = GEO_SHAPE_MAX_POINTS > 4 * sh->ring_count ? GEO_SHAPE_MAX_POINTS
								   : 4 * sh->ring_count;
	if (sh->point_count > budget) {
		contract_failed("shape past its point budget");
	}
	for (size_t i = 0; i < sh->feature_count; i++) {
		if (sh->feature_rings[i] > sh->feature_rings[i + 1]) {
			contract_failed("shape's ring ranges go backwards");
		}
	}
	for (size_t r = 0; r < sh->ring_count; r++) {
		const struct geo_shape_ring *ring = &sh->rings[r];
		if (ring->count < 3 || (size_t)ring->first + ring->count > sh->point_count) {
			contract_failed("a shape ring of fewer than 3 corners, or out of range");
		}
	}
	for (size_t i = 0; finite && i < sh->point_count; i++) {
		if (!isfinite(sh->points[i].x) || !isfinite(sh->points[i].y)) {
			contract_failed("a simplified point is not finite");
		}
	}
	if (finite && !(sh->length >= 0)) {
		contract_failed("outline length negative or not a number");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "";
	struct geo *g = geo_parse((const char *)data, size, "fuzz.geojson", err, sizeof(err));
	if (!g) {
		if (!err[0]) {
			contract_failed("geo_parse returned NULL without a message");
		}
		return 0;
	}
	check_geo(g);
	double w = (g->max_x - g->min_x) * g->x_scale, h = g->max_y - g->min_y;
	double extent = fmax(w, h);
	/* Floats hold the shapes: extents past their range are not drawn (the map's scale is 0). */
	bool finite = isfinite(extent) && extent < 1e30 && fabs(g->min_x * g->x_scale) < 1e30 &&
		      fabs(g->min_y) < 1e30;
	const double tolerances[] = {extent / 1000 * 0.5, extent / 4000 * 0.5, 0, extent * 4};
	for (size_t i = 0; i < sizeof(tolerances) / sizeof(tolerances[0]); i++) {
		struct geo_shape *sh = geo_simplify(g, tolerances[i]);
		check_shape(g, sh, finite);
		geo_shape_destroy(sh);
	}
	geo_unref(geo_ref(g));
	geo_unref(g);
	return 0;
}
