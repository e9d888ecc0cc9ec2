/* The memory budget (render/budget.h): limits follow the output, charges past them are refused. */
#include "check.h"

#include "render/budget.h"

#define MIB ((size_t)1 << 20)

static void budget_limits_follow_the_output(void)
{
	struct budget b;
	budget_init(&b, NULL);
	budget_fit(&b, 1920, 1080);
	size_t p = 1920 * 1080;
	CHECK_INT(budget_usage(&b, BUDGET_TEXT_LINES).limit, 2 * MIB); /* p is just under */
	CHECK_INT(budget_usage(&b, BUDGET_MAP_LAYERS).limit, 2 * p);
	CHECK_INT(budget_usage(&b, BUDGET_TICKER_STRIPS).limit, 16 * MIB);
	CHECK_INT(budget_usage(&b, BUDGET_IMAGES).limit, 2 * p);
	CHECK_INT(budget_frame_bytes(&b), 4 * p);
	budget_fit(&b, 7680, 2160);
	p = 7680 * 2160;
	CHECK_INT(budget_usage(&b, BUDGET_TEXT_LINES).limit, p);
	CHECK_INT(budget_usage(&b, BUDGET_MAP_LAYERS).limit, 2 * p);
	CHECK_INT(budget_usage(&b, BUDGET_TICKER_STRIPS).limit, 4 * p);
	CHECK_STR(budget_usage(&b, BUDGET_MAP_LAYERS).name, "map_layers");
}

static void budget_text_lines_clamped(void)
{
	CHECK_INT(budget_limit_for(BUDGET_TEXT_LINES, 0, 0), 2 * MIB);
	CHECK_INT(budget_limit_for(BUDGET_TEXT_LINES, 640, 480), 2 * MIB);
	CHECK_INT(budget_limit_for(BUDGET_TEXT_LINES, 15360, 4320), 32 * MIB);
	CHECK_INT(budget_limit_for(BUDGET_MAP_LAYERS, -5, 100), 2 * MIB);
}

static void budget_charge_refused_past_the_limit(void)
{
	struct budget b;
	budget_init(&b, NULL);
	budget_fit(&b, 1920, 1080);
	size_t limit = budget_usage(&b, BUDGET_MAP_LAYERS).limit;
	CHECK(budget_charge(&b, BUDGET_MAP_LAYERS, limit - 10));
	CHECK(budget_charge(&b, BUDGET_MAP_LAYERS, 10));
	CHECK(!budget_charge(&b, BUDGET_MAP_LAYERS, 1));
	CHECK(!budget_charge(&b, BUDGET_MAP_LAYERS, (size_t)-1)); /* no wrap-around */
	struct budget_usage u = budget_usage(&b, BUDGET_MAP_LAYERS);
	CHECK_INT(u.used, limit);
	CHECK_INT(u.refused, 2);
	budget_release(&b, BUDGET_MAP_LAYERS, 10);
	CHECK(budget_charge(&b, BUDGET_MAP_LAYERS, 10));
	/* Caches are counted apart. */
	CHECK_INT(budget_usage(&b, BUDGET_IMAGES).used, 0);
	CHECK(budget_charge(&b, BUDGET_IMAGES, 1));
	/* Without a budget (tools, tests of one widget) everything is granted. */
	CHECK(budget_charge(NULL, BUDGET_IMAGES, (size_t)-1));
	budget_release(NULL, BUDGET_IMAGES, 5);
}

static const struct check_case cases[] = {
	{"budget_limits_follow_the_output", budget_limits_follow_the_output},
	{"budget_text_lines_clamped", budget_text_lines_clamped},
	{"budget_charge_refused_past_the_limit", budget_charge_refused_past_the_limit},
};

CHECK_MAIN(cases)
