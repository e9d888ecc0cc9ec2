#!/usr/bin/env bash
# Road links and the Han in a real window on an X server (run under xvfb-run): the map of
# tests/layouts/map-roads.json shows, on screen, its congested link in the "bad" colour over
# the made-up districts and the river along their shared north/south edge, as the golden
# image tests/golden/map-roads-1280x720.png does. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh" window-roads-test
echo "1..3"

"$bin" --layout tests/layouts/map-roads.json --feed tests/data/roads-snapshot.json \
	--present surface --size 1280x720 --at 2026-11-25T09:00:00+09:00 >"$out/live.log" 2>&1 &
pid=$!
window_origin "map widget: road links and the Han river"

# The vertical link "마포대교(test)" (정체: bad, #E69F00) between 마포구's name and the river.
bad_link() { [ "${1:0:6}" = "E69F00" ]; }
wait_pixel 858 300 bad_link
report $? "the congested link is drawn in the bad colour on screen (#E69F00, got ${px:-nothing})"

# The river over the edge 마포구 and 영등포구 share (#336BA8, the water of map_river.c).
water() { [ "${1:0:6}" = "336BA8" ]; }
wait_pixel 780 370 water
report $? "the river is drawn along the shared edge on screen (#336BA8, got ${px:-nothing})"

kill -TERM $pid
wait $pid
report $? "SIGTERM closes the window and exits 0"
