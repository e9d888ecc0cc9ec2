#!/usr/bin/env bash
# Several displays from one process (--display N,N --viewport A:B): one window per display,
# each showing its part of one canvas from one board, one feed and one clock. Under Xvfb there
# is one screen, so both windows open on display 0, side by side. SIGUSR1 dumps every window
# (the second beside the first, "-1" before ".png"); each equals --screenshot of its viewport
# byte for byte. Without viewports every window shows the same picture. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh" displays-test
echo "1..5"
cleanup() {
	[ -n "${w:-}" ] && kill "$w" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

at=2026-11-25T09:00:00+09:00
common=(--layout layouts/wall.json --no-cache --present surface --at "$at")

# same A B: no pixel differs (ImageMagick counts the differing pixels)
same() {
	[ "$(compare -metric AE "$1" "$2" null: 2>&1)" = 0 ]
}
# dumps_equal PID FILE EXPECTED0 EXPECTED1 LOG: sends SIGUSR1 until both dumps of the process equal
# the expected pictures (the first frame may not be drawn yet), 60 s at most.
dumps_equal() {
	local end_at
	end_at=$(deadline 60)
	# SIGUSR1 before the process has blocked it would kill it: wait for its second window.
	while [ "$(date +%s)" -le "$end_at" ] && ! grep -q "window 1 on display" "$5"; do
		sleep 0.1
	done
	while [ "$(date +%s)" -le "$end_at" ]; do
		rm -f "$2.png" "$2-1.png"
		kill -USR1 "$1"
		for _ in $(seq 1 50); do [ -s "$2-1.png" ] && break; sleep 0.1; done
		if [ -s "$2.png" ] && same "$2.png" "$3" && same "$2-1.png" "$4"; then
			return 0
		fi
	done
	return 1
}

for x in 0 960; do
	"$bin" "${common[@]}" --canvas 1920x540 --viewport "$x,0,960,540" \
		--screenshot "$out/part$x.png" >"$out/part$x.log" 2>&1
done
"$bin" "${common[@]}" --canvas 1920x540 --display 0,0 --viewport 0,0,960,540:960,0,960,540 \
	--screen-file "$out/screen.png" -v >"$out/two.log" 2>&1 &
w=$!
dumps_equal "$w" "$out/screen" "$out/part0.png" "$out/part960.png" "$out/two.log"
report $? "two windows of one process each show their viewport, equal to its --screenshot"
grep -c "window [01] on display 0" "$out/two.log" | grep -qx 2
report $? "one process opened both windows ($(grep -o 'window . on display .*' "$out/two.log" | tr '\n' ';'))"
kill -TERM "$w"
wait "$w"
report $? "TERM stops both windows cleanly"
w=

# Without viewports, every window shows the same picture (the first window's, at its size).
"$bin" "${common[@]}" --display 0,0 --size 640x360 --screen-file "$out/mirror.png" -v \
	>"$out/mirror.log" 2>&1 &
w=$!
"$bin" "${common[@]}" --size 640x360 --screenshot "$out/whole.png" >"$out/whole.log" 2>&1
dumps_equal "$w" "$out/mirror" "$out/whole.png" "$out/whole.png" "$out/mirror.log"
report $? "--display 0,0 without viewports: both windows show the whole board"
kill -TERM "$w"
wait "$w"
w=

# The combinations that cannot work are usage errors (exit 2), with the reason.
bad=0
for args in "--viewport 0,0,960,540" "--canvas 1920x540 --viewport 1000,0,960,540" \
	"--canvas 1920x540 --display 0,1,2 --viewport 0,0,960,540:960,0,960,540" \
	"--canvas 1920x540 --viewport 100,0,960,540 --bezel 10" "--bezel 10" \
	"--canvas 1920x540 --viewport 0,0,960,540:960,0,960,540"; do
	# shellcheck disable=SC2086
	"$bin" --layout layouts/wall.json $args --screenshot "$out/bad.png" >"$out/bad.log" 2>&1
	rc=$?
	echo "# $args: exit $rc: $(head -1 "$out/bad.log")"
	[ $rc = 2 ] || bad=1
done
report $bad "a viewport without a canvas, outside it, a display list of another length, a bezel off the panel grid and two viewports in one screenshot are usage errors"
