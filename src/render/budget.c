#include "render/budget.h"

#include <math.h>
#include <stdint.h>

#define MIB ((size_t)1 << 20)

static const char *const cache_names[BUDGET_CACHE_COUNT] = {
	[BUDGET_TEXT_LINES] = "text_lines",
	[BUDGET_MAP_LAYERS] = "map_layers",
	[BUDGET_TICKER_STRIPS] = "ticker_strips",
	[BUDGET_IMAGES] = "images",
};

static size_t clamp_bytes(double bytes, size_t lo, size_t hi)
{
	return (size_t)fmin(fmax(bytes, (double)lo), (double)hi);
}

size_t budget_limit_for(enum budget_cache cache, int width, int height)
{
	double pixels = (double)(width > 0 ? width : 0) * (height > 0 ? height : 0);
	switch (cache) {
	case BUDGET_TEXT_LINES:
		/*
		 * The masks of all the text one screen can show at once cover at most its pixels,
		 * one byte each: a whole board's lines with room for what changes.
		 */
		return clamp_bytes(pixels, 2 * MIB, 32 * MIB);
	case BUDGET_MAP_LAYERS:
		/* Two ARGB32 layers of maps covering a quarter of the screen (wall.json's: 22%). */
		return clamp_bytes(2 * pixels, 2 * MIB, SIZE_MAX / 2);
	case BUDGET_TICKER_STRIPS:
		/*
		 * A strip keeps up to four windows of its band (ticker_strip.h): two full-width
		 * crawls an eighth of the height each.
		 */
		return clamp_bytes(4 * pixels, 16 * MIB, SIZE_MAX / 2);
	case BUDGET_IMAGES:
		/* Scaled pictures covering half the screen; more are scaled for each draw. */
		return clamp_bytes(2 * pixels, 2 * MIB, SIZE_MAX / 2);
	case BUDGET_CACHE_COUNT:
		break;
	}
	return 0;
}

void budget_init(struct budget *budget, struct text_engine *text)
{
	budget->text = text;
	for (int i = 0; i < BUDGET_CACHE_COUNT; i++) {
		atomic_init(&budget->used[i], 0);
		atomic_init(&budget->refused[i], 0);
	}
	budget_fit(budget, 0, 0);
}

void budget_fit(struct budget *budget, int width, int height)
{
	budget->width = width;
	budget->height = height;
	for (int i = 0; i < BUDGET_CACHE_COUNT; i++) {
		budget->limit[i] = budget_limit_for((enum budget_cache)i, width, height);
	}
	if (budget->text) {
		text_engine_set_cache_budget(budget->text, budget->limit[BUDGET_TEXT_LINES]);
	}
}

bool budget_charge(struct budget *budget, enum budget_cache cache, size_t bytes)
{
	if (!budget) {
		return true;
	}
	size_t used = atomic_load(&budget->used[cache]);
	do {
		if (bytes > budget->limit[cache] || used > budget->limit[cache] - bytes) {
			atomic_fetch_add(&budget->refused[cache], 1);
			return false;
		}
	} while (!atomic_compare_exchange_weak(&budget->used[cache], &used, used + bytes));
	return true;
}

void budget_release(struct budget *budget, enum budget_cache cache, size_t bytes)
{
	if (budget) {
		atomic_fetch_sub(&budget->used[cache], bytes);
	}
}

struct budget_usage budget_usage(const struct budget *budget, enum budget_cache cache)
{
	struct budget_usage u = {
		.name = cache_names[cache],
		.limit = budget->limit[cache],
		.used = atomic_load(&budget->used[cache]),
		.refused = atomic_load(&budget->refused[cache]),
	};
	if (cache == BUDGET_TEXT_LINES && budget->text) {
		/* The engine evicts by itself: its own count is the truth. */
		u.used = text_engine_stats(budget->text).bytes;
	}
	return u;
}

size_t budget_frame_bytes(const struct budget *budget)
{
	return (size_t)(budget->width > 0 ? budget->width : 0) *
	       (size_t)(budget->height > 0 ? budget->height : 0) * 4;
}
