#include "check.h"
static void placeholder(void) { CHECK(1); }
static const struct check_case cases[] = {{"placeholder", placeholder}};
CHECK_MAIN(cases)
