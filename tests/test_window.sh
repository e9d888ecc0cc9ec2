#!/usr/bin/env bash
# The real binary in a real window on an X server (run under xvfb-run): it opens, draws,
# shows the board on screen, and exits cleanly on --frames and on SIGTERM. Prints TAP.
set -u
bin=${CITYWALL_BIN:?}
src=${CITYWALL_SOURCE_ROOT:?}
out=${CITYWALL_BUILD_ROOT:?}/window-test
mkdir -p "$out"
cd "$src"

if [ -z "${DISPLAY:-}" ]; then
	echo "1..0 # SKIP no X display (run through xvfb-run)"
	exit 0
fi
echo "1..4"
n=0
report() { # report OK NAME
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

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
mapped=1
for _ in $(seq 1 100); do
	if xwininfo -root -tree 2>/dev/null | grep -q '"states"'; then
		mapped=0
		break
	fi
	sleep 0.1
done
sleep 0.5
geometry=$(xwininfo -name states 2>/dev/null | awk '/Absolute upper-left X/{x=$NF} /Absolute upper-left Y/{y=$NF} END{print x" "y}')
read -r wx wy <<<"${geometry:-0 0}"
import -window root "$out/screen.png" 2>/dev/null
# Tile "very-bad" (column 3, row 0 of a 4x3 grid on a 1280x720 canvas): its card is dark red
# (#4a1216); sample a point inside the card away from the text.
px=$(convert "$out/screen.png" -format "%[hex:p{$((wx + 1120)),$((wy + 215))}]" info: 2>/dev/null)
[ $mapped = 0 ] && [ "${px:0:6}" = "4A1216" ]
report $? "the window shows the board (very bad tile is #4A1216 on screen, got ${px:-nothing})"
kill -TERM $pid
wait $pid
report $? "SIGTERM closes the window and exits 0"
