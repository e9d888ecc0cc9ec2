#!/usr/bin/env bash
# Live reload, as a designer uses it: a running window shows a save at once, a broken save
# keeps the old layout and shows the error on the overlay until it is fixed; and
# --screenshot --watch rewrites the PNG on every save. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh" reload-test
echo "1..9"
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
# The strip's top edge is the very-bad accent; it fills the layout's bottom margin (24).
overlay_shown() {
	for _ in $(seq 1 50); do
		[ "$(screen_pixel 640 $((720 - 24 + 1)) | cut -c1-6)" = "FF6A3D" ] && return 0
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

# reload_syntax_error_says_error_once: the log line has one "error:", not the diagnostic's too.
cp "$out/wall.json" "$out/good.json"
sed -i '0,/"widget": "kpi"/s//"widget" "kpi"/' "$out/wall.json"
line="citywall: error: $out/wall.json:8:29: expected ':' after object key"
for _ in $(seq 1 100); do grep -qF "$line" "$out/app.log" && break; sleep 0.1; done
grep -qxF "$line" "$out/app.log" && ! grep -q "error: .*error:" "$out/app.log"
report $? "reload_syntax_error_says_error_once: a broken save is logged with one \"error:\""
cp "$out/good.json" "$out/wall.json"

# reload_second_save_50ms_later_not_lost: a save 40-65 ms after another (while the first is
# being reloaded) must still come on screen. The first save of each round turns the tile good,
# the second to a state neither it nor the round before showed; that one must be on screen.
sed '0,/{"from": 0, "state": "very_bad"}/s//{"from": 0, "state": "@STATE@"}/' "$out/good.json" \
	>"$out/template.json"
save() { sed "s/@STATE@/$1/" "$out/template.json" >"$out/wall.json"; }
declare -A colour=([moderate]=0B3329 [bad]=3D2A05 [very_bad]=45170C)
lost=0
round=0
for delay in 0.040 0.045 0.050 0.055 0.060 0.065; do
	states=(moderate bad very_bad)
	second=${states[$((round % 3))]}
	round=$((round + 1))
	save good
	sleep $delay # the scenario itself: the second save lands inside the first one's reload
	save "$second"
	expected() { [ "${1:0:6}" = "${colour[$second]}" ]; }
	wait_pixel 150 215 expected || { lost=1; echo "# lost the save $delay s later ($px)"; }
done
report $lost "reload_second_save_50ms_later_not_lost: the second of two quick saves is shown"
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

# watch_second_save_50ms_later_not_lost: the PNG ends with the second save's picture.
lost=0
for delay in 0.040 0.050 0.060; do
	sed 's/"title": "[^"]*good"/"title": "first '$delay'"/' "$out/wall.json" >"$out/shot.json"
	sleep $delay
	sed 's/"title": "[^"]*good"/"title": "second '$delay'"/' "$out/wall.json" >"$out/second.json"
	cp "$out/second.json" "$out/shot.json"
	"$bin" --layout "$out/second.json" --no-cache --size 640x360 --at 2026-11-25T09:00:00+09:00 \
		--screenshot "$out/expected.png" >/dev/null 2>&1
	# The first tile's title, where the two saves differ.
	convert "$out/expected.png" -crop 150x26+10+10 "$out/expected-title.png"
	same=1
	for _ in $(seq 1 100); do
		convert "$out/shot.png" -crop 150x26+10+10 "$out/shot-title.png" 2>/dev/null
		differing=$(compare -metric AE "$out/shot-title.png" "$out/expected-title.png" null: 2>&1)
		[ "$differing" = 0 ] && { same=0; break; }
		sleep 0.1
	done
	[ $same = 0 ] || { lost=1; echo "# the PNG missed the save $delay s later"; }
done
kill -INT $app
wait $app
status=$?
app=
[ $changed = 0 ] && [ $status = 0 ]
report $? "--screenshot --watch draws the PNG again on save and stops cleanly on SIGINT"
report $lost "watch_second_save_50ms_later_not_lost: the PNG shows the second of two quick saves"
