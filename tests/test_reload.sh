#!/usr/bin/env bash
# Live reload, as a designer uses it: a running window shows a save at once, a broken save
# keeps the old layout and shows the error on the overlay until it is fixed; and
# --screenshot --watch rewrites the PNG on every save. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh" reload-test
echo "1..6"
cp tests/layouts/states.json "$out/wall.json"
sed -i 's|"../data/states-snapshot.json"|"'"$src"'/tests/data/states-snapshot.json"|' "$out/wall.json"
cleanup() { [ -n "${app:-}" ] && kill "$app" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT

"$bin" --layout "$out/wall.json" --no-cache --present surface --size 1280x720 \
	--at 2026-11-25T09:00:00+09:00 >"$out/app.log" 2>&1 &
app=$!
window_origin states
good_card() { [ "${1:0:6}" = "0C2A42" ]; }         # the good state's fill
very_bad_card() { [ "${1:0:6}" = "45170C" ]; }     # the very bad state's fill
wait_pixel 150 215 good_card
report $? "the window shows the layout (good tile: $px)"

# Save: the "good" tile's thresholds now call 12 very bad.
t0=$(date +%s%N)
sed -i '0,/{"from": 0, "state": "good"}/s//{"from": 0, "state": "very_bad"}/' "$out/wall.json"
for _ in $(seq 1 500); do grep -q "reloaded" "$out/app.log" && break; sleep 0.01; done
echo "# save to reloaded layout: $((($(date +%s%N) - t0) / 1000000)) ms"
wait_pixel 150 215 very_bad_card
report $? "a save is on screen at once (now $px)"

# A broken save: the old layout stays, the overlay names the error.
sed -i 's/"widget": "kpi"/"widget": "kpl"/' "$out/wall.json"
# The strip's top edge is the very-bad accent; its height depends on the number of lines (1-4).
overlay_shown() {
	for _ in $(seq 1 50); do
		for lines in 1 2 3 4; do
			[ "$(screen_pixel 640 $((720 - 30 * lines - 16 + 1)) | cut -c1-6)" = "FF6A3D" ] &&
				return 0
		done
		sleep 0.2
	done
	return 1
}
overlay_shown
shown=$?
very_bad_card "$(screen_pixel 150 215)"
report $((shown + $?)) "a broken save keeps the last good layout and shows the error overlay"
grep -q 'unknown widget "kpl" (did you mean "kpi"?)' "$out/app.log"
report $? "the error is logged with its place"

# Fixed again: the overlay goes.
sed -i 's/"widget": "kpl"/"widget": "kpi"/' "$out/wall.json"
# The bottom margin shows the background again where the strip was.
background() { [ "${1:0:6}" = "070B14" ]; }
wait_pixel 640 715 background
report $? "fixing the file clears the overlay ($px)"
kill -TERM $app
wait $app
app=

# --screenshot --watch
cp "$out/wall.json" "$out/shot.json"
"$bin" --layout "$out/shot.json" --no-cache --size 640x360 --at 2026-11-25T09:00:00+09:00 \
	--screenshot "$out/shot.png" --watch >"$out/watch.log" 2>&1 &
app=$!
for _ in $(seq 1 50); do [ -s "$out/shot.png" ] && break; sleep 0.1; done
before=$(md5sum <"$out/shot.png")
sed -i 's/"title": "좋음 good"/"title": "바뀜 changed"/' "$out/shot.json"
changed=1
for _ in $(seq 1 50); do
	if [ "$(md5sum <"$out/shot.png")" != "$before" ]; then changed=0; break; fi
	sleep 0.1
done
kill -INT $app
wait $app
status=$?
app=
[ $changed = 0 ] && [ $status = 0 ]
report $? "--screenshot --watch draws the PNG again on save and stops cleanly on SIGINT"
