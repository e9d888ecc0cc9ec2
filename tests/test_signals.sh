#!/usr/bin/env bash
# Operators' signals on the real binary in a window under Xvfb: TERM, INT and QUIT stop it
# cleanly (exit 0, nothing but info in the log); HUP reloads the layout as a save does (a
# broken one keeps the last good picture); USR1 writes what is on screen to --screen-file, the
# same pixels as a --screenshot of the same inputs. Waits on files and log lines. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh" signals-test
echo "1..10"
cp tests/layouts/states.json "$out/wall.json"
sed -i 's|"../data/states-snapshot.json"|"'"$src"'/tests/data/states-snapshot.json"|' "$out/wall.json"
cleanup() { [ -n "${app:-}" ] && kill -9 "$app" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT
at=2026-11-25T09:00:00+09:00

# start NAME [ARGS]: the wall in a window with a status file; waits until a frame is shown.
start() {
	local name=$1
	shift
	rm -f "$out/$name.status"
	"$bin" --layout "$out/wall.json" --no-cache --present surface --size 1280x720 --at $at \
		--status-file "$out/$name.status" --screen-file "$out/$name-screen.png" "$@" \
		>"$out/$name.log" 2>&1 &
	app=$!
	for _ in $(seq 1 150); do
		grep -q '"count":	[1-9]' "$out/$name.status" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
# wait_log NAME PATTERN: waits (up to 15 s) for a line in NAME's log.
wait_log() {
	for _ in $(seq 1 150); do
		grep -q "$2" "$out/$1.log" && return 0
		sleep 0.1
	done
	return 1
}
# clean_log NAME: nothing logged above info.
clean_log() { ! grep -Eq '^citywall: (warning|error):' "$out/$1.log"; }

for sig in TERM INT QUIT; do
	start "$sig"
	kill -"$sig" $app
	wait $app
	rc=$?
	app=
	[ $rc = 0 ] && grep -q "SIG$sig: stopping" "$out/$sig.log" && clean_log "$sig"
	report $? "SIG$sig stops the wall cleanly: exit $rc, a clean log"
	[ $rc = 0 ] || sed 's/^/# /' "$out/$sig.log"
done

# USR1: the frame buffer, compared with a headless screenshot of the same inputs.
start usr1
kill -USR1 $app
wait_log usr1 "SIGUSR1: wrote the screen to $out/usr1-screen.png"
written=$?
"$bin" --layout "$out/wall.json" --no-cache --size 1280x720 --at $at \
	--screenshot "$out/reference.png" >/dev/null 2>&1
differing=$(compare -metric AE -fuzz 10% "$out/usr1-screen.png" "$out/reference.png" \
	"$out/usr1-diff.png" 2>&1)
[ $written = 0 ] && [ "$differing" -lt 100 ] 2>/dev/null
report $? "SIGUSR1 writes the screen, as a --screenshot draws it ($differing pixels differ)"
ls -A "$out" | grep -q '^\.usr1-screen' && leftover=1 || leftover=0
report $leftover "the screen file is written through a temporary name that is gone after"

# USR1 once the frame has given back the memory of what it had not shown for 0.1 s: it is
# drawn whole first, the same pixels, and the window shows them.
kill -TERM $app
wait $app
export CITYWALL_FRAME_IDLE=0.1
start idle --verbose
unset CITYWALL_FRAME_IDLE
wait_log idle "gave back"
gave=$?
kill -USR1 $app
wait_log idle "SIGUSR1: wrote the screen to $out/idle-screen.png"
written=$?
differing=$(compare -metric AE -fuzz 10% "$out/idle-screen.png" "$out/reference.png" \
	"$out/idle-diff.png" 2>&1)
[ $gave = 0 ] && [ $written = 0 ] && [ "$differing" -lt 100 ] 2>/dev/null
report $? "SIGUSR1 after the frame gave memory back: drawn whole, as --screenshot ($differing pixels differ)"
window_origin states
import -window root "$out/idle-root.png" 2>/dev/null
convert "$out/idle-root.png" -crop "1280x720+$wx+$wy" +repage "$out/idle-window.png" 2>/dev/null
differing=$(compare -metric AE -fuzz 10% "$out/idle-window.png" "$out/reference.png" \
	"$out/idle-window-diff.png" 2>&1)
[ "$differing" -lt 100 ] 2>/dev/null
report $? "the window shows the board after the frame gave memory back ($differing pixels differ)"

# HUP with --no-watch: only the signal can bring the save on screen.
pixel() { convert "$1" -format "%[hex:p{$2,$3}]" info: 2>/dev/null | cut -c1-6; }
kill -TERM $app
wait $app
start hup --no-watch
sed -i '0,/{"from": 0, "state": "good"}/s//{"from": 0, "state": "very_bad"}/' "$out/wall.json"
before=$(grep -c "reloaded" "$out/hup.log")
kill -HUP $app
wait_log hup "SIGHUP: reloading $out/wall.json" && wait_log hup "reloaded $out/wall.json"
reloaded=$?
kill -USR1 $app
wait_log hup "SIGUSR1: wrote the screen"
px=$(pixel "$out/hup-screen.png" 150 215)
[ $reloaded = 0 ] && [ "$before" = 0 ] && [ "$px" = 45170C ]
report $? "SIGHUP reloads the layout (the good tile is now very bad on screen: $px)"

# A broken layout on HUP: the old one stays, the status file says why.
sed -i 's/"widget": "kpi"/"widget": "kpl"/' "$out/wall.json"
kill -HUP $app
state=
for _ in $(seq 1 100); do
	state=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["layout"]["state"])' \
		"$out/hup.status" 2>/dev/null)
	[ "$state" = error ] && break
	sleep 0.1
done
python3 - "$out/hup.status" <<'PY'
import json, sys
layout = json.load(open(sys.argv[1]))["layout"]
assert layout["state"] == "error", layout
assert any('unknown widget "kpl"' in e for e in layout["errors"]), layout
PY
report $? "a broken layout on SIGHUP keeps the last good one; the status file says why ($state)"
kill -TERM $app
wait $app
report $? "and it still exits 0 on SIGTERM"
app=
