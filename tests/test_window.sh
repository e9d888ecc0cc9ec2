#!/usr/bin/env bash
# The real binary in a real window on an X server (run under xvfb-run): it opens, draws,
# shows the board on screen, and exits cleanly on --frames and on SIGTERM. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh" window-test
echo "1..4"

for kind in surface renderer; do
	timeout 60 "$bin" --layout layouts/demo.json --present "$kind" --size 960x540 \
		--frames 2 --verbose >"$out/$kind.log" 2>&1
	rc=$?
	grep -q "presenting through $kind" "$out/$kind.log" && grep -q "2 frames" "$out/$kind.log"
	seen=$?
	[ $rc = 0 ] && [ $seen = 0 ]
	report $? "--present $kind opens a window, presents 2 frames and exits 0"
	[ $rc = 0 ] && [ $seen = 0 ] || sed 's/^/# /' "$out/$kind.log"
done

# A live window: wait until it is mapped, grab the screen, check a tile's colour, then
# SIGTERM must close it cleanly (SDL turns it into SDL_QUIT).
"$bin" --layout tests/layouts/states.json --present surface --size 1280x720 \
	--at 2026-11-25T09:00:00+09:00 >"$out/live.log" 2>&1 &
pid=$!
window_origin states
xwininfo -name states >/dev/null 2>&1
mapped=$?

# Tile "very-bad" (column 3, row 0 of a 4x3 grid on a 1280x720 canvas): its card is dark red
# (#45170c); sample a point inside the card away from the text.
very_bad_card() { [ "${1:0:6}" = "45170C" ]; }
[ $mapped = 0 ] && wait_pixel 1120 215 very_bad_card
report $? "the window shows the board (very bad tile is #45170C on screen, got ${px:-nothing})"
kill -TERM $pid
wait $pid
report $? "SIGTERM closes the window and exits 0"
