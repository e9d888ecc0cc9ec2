#!/usr/bin/env bash
# End to end, in a real window under Xvfb: citywall polls a live tools/feedsim; the network
# hangs, the tiles go stale (grey, "as of") while frames keep coming; the feed comes back and
# the tiles recover. The status file tells each step. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh" live-test
echo "1..6"
cleanup() {
	[ -n "${app:-}" ] && kill "$app" 2>/dev/null
	[ -n "${sim:-}" ] && kill "$sim" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

start_feedsim --tick 1
# field NAME: the default source's field from the status file
field() {
	python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['sources'][0]; print(s[sys.argv[2]])" \
		"$out/status.json" "$1" 2>/dev/null
}
wait_for() { # wait_for FIELD VALUE SECONDS
	local deadline=$(($(date +%s) + $3))
	while [ "$(date +%s)" -le $deadline ]; do
		[ "$(field "$1")" = "$2" ] && return 0
		sleep 0.2
	done
	return 1
}
grey() { [ "${1:0:2}" = "${1:2:2}" ] && [ "${1:2:2}" = "${1:4:2}" ]; }

"$bin" --layout tests/layouts/live.json --feed "http://127.0.0.1:$port/feeds/city.json" \
	--present surface --size 1280x720 --cache-dir "$out/cache" \
	--status-file "$out/status.json" --verbose >"$out/app.log" 2>&1 &
app=$!
wait_for state ok 10
report $? "the feed is fetched and the status file says ok"
window_origin live
coloured() { [ -n "$1" ] && [ "$1" != 000000 ] && ! grey "$1"; }
# Inside the PM10 card (good: blue), away from the text.
wait_pixel 600 40 coloured
report $? "fresh data is drawn in its state colour (got $px)"

control "fault=hang"
wait_for stale True 12
report $? "while the network hangs the data turns stale (status: $(field state), $(field last_error))"
grey_card() { [ -n "$1" ] && [ "$1" != 000000 ] && grey "$1"; }
wait_pixel 600 40 grey_card
report $? "stale tiles are desaturated on screen (got $px)"

control "fault=none"
wait_for stale False 15 && wait_for state ok 5 && wait_pixel 600 40 coloured
report $? "when the feed comes back the tiles recover (status ok, on screen $px)"
kill -TERM $app
wait $app
report $? "the window closes cleanly (exit 0)"
app=
grep -h "frames; draw ms" "$out/app.log" | sed 's/^/# /'
