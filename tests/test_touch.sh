#!/usr/bin/env bash
# The touch drill-down (docs/interaction.md) in real windows under Xvfb: fingers pushed into
# SDL's own queue (--input-script: Xvfb has no touch device), mouse clicks and keys through
# the X server (xdotool). Checks by the pixels SIGUSR1 writes that a tap on a kpi opens its
# panel with its history (the trend line and the target) and its contact, a row's panel has
# neither; Escape closes a panel and does not quit (with none open it does, and q always);
# the panel closes by itself after detail_idle_s; a layout without "interactive" ignores
# taps; a tap during emergency mode does not cover the emergency page, which closed the
# panel. Waits for states (log lines, pixels) with generous limits; prints TAP.
set -u
. "$(dirname "$0")/tap.sh" touch-test
if ! command -v xdotool >/dev/null; then
	echo "1..0 # SKIP xdotool is not installed (tools/setup installs it)"
	exit 0
fi
echo "1..16"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
}
trap cleanup EXIT

# The layouts: tests/layouts/touch-wall.json on a feed file this test rewrites; "idle" closes
# its panels after 2 s; "still" is not interactive; "emergency" is incident-demo made
# interactive on a quiet safety feed.
python3 - "$src" "$out" <<'PY'
import json, sys
src, out = sys.argv[1:3]
base = json.load(open(f"{src}/tests/layouts/touch-wall.json"))
base.pop("$schema")
base["feed"] = {"url": f"{out}/feed.json", "interval": 0.2, "max_age": 3600, "history": 20}
for name, extra in {"wall": {}, "long": {}, "keys": {}, "enter": {}, "idle": {"detail_idle_s": 2},
                    "still": {"interactive": False}}.items():
    layout = dict(base, **extra, title=f"touch-{name}")
    if name == "still":
        del layout["interactive"]
    json.dump(layout, open(f"{out}/{name}.json", "w"), ensure_ascii=False)
inc = json.load(open(f"{src}/layouts/incident-demo.json"))
inc.pop("$schema")
inc.update(title="touch-emergency", interactive=True, schedule=[], theme="dark")
inc["feed"]["url"] = f"{src}/layouts/data/demo-snapshot.json"
inc["feed"]["max_age"] = 31536000
inc["sources"]["safety"]["url"] = f"{src}/tests/data/incident-safety-quiet.json"
inc["sources"]["safety"]["max_age"] = 31536000
json.dump(inc, open(f"{out}/emergency.json", "w"), ensure_ascii=False)
PY
# feed PM10 SEQ AGE: the feed file with air.pm10 = PM10, data AGE seconds old.
feed() {
	python3 - "$src" "$out" "$@" <<'PY'
import json, os, sys, time, datetime
src, out, pm10, seq, age = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
d = json.load(open(f"{src}/tests/data/touch-snapshot.json"))
d["air"]["pm10"] = pm10
d["seq"] = seq
t = datetime.datetime.fromtimestamp(time.time() - age, datetime.timezone.utc)
d["generated_at"] = t.isoformat(timespec="seconds")
open(f"{out}/feed.tmp", "w").write(json.dumps(d, ensure_ascii=False))
os.replace(f"{out}/feed.tmp", f"{out}/feed.json")
PY
}
# open NAME [ARGS]: a 960x540 window of $out/NAME.json (-v: the drill-down logs what it does);
# sets pid.
open() {
	local name=$1
	shift
	"$bin" --layout "$out/$name.json" --no-cache --present surface --size 960x540 -v \
		--status-file "$out/$name.status" --screen-file "$out/$name-screen.png" "$@" \
		>"$out/$name.log" 2>&1 &
	pid=$!
	pids+=("$pid")
}
logged() { grep -qF -- "$2" "$out/$1.log"; }
shown_seq() {
	python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if s["sources"][0]["seq"] == int(sys.argv[2]) else 1)' \
		"$out/$1.status" "$2" 2>/dev/null
}
# screen NAME PID: SIGUSR1, and waits for the PNG.
screen() {
	rm -f "$out/$1-screen.png"
	kill -USR1 "$2"
	wait_until 30 test -s "$out/$1-screen.png"
}
# count NAME COLOUR W H X Y: pixels of COLOUR (within 12%) in that part of NAME's last screen.
count() {
	convert "$out/$1-screen.png" -crop "$3x$4+$5+$6" +repage -fuzz 12% -fill white \
		-opaque "$2" -fill black +opaque white -format '%[fx:round(mean*w*h)]' info: 2>/dev/null
}
# The panel at 960x540: x 211..749, y 97..443; its border (x 213..214) in the accent colour.
# The target line: the text colour faded to three quarters over the panel (as trends draw it).
ACCENT='#56b4e9' TARGET='#b7bdc7' TEXT='#eef3fb'
panel_open() { [ "$(count "$1" "$ACCENT" 1 60 213 240)" -ge 50 ]; }
# The screen (NAME, PID) shows a panel, or not (NOT = "!").
panel_shown() { screen "$1" "$2" && panel_open "$1"; }
panel_gone() { screen "$1" "$2" && ! panel_open "$1"; }

# --- the interactive wall: history, contact, Escape ---
feed 72 1 120
open wall
wall=$pid
wait_until 30 shown_seq wall 1
feed 95 2 60
wait_until 30 shown_seq wall 2
feed 60 3 0
wait_until 30 shown_seq wall 3
window_origin touch-wall
echo "# window at $wx, $wy"
xdotool mousemove $((wx + 100)) $((wy + 80)) click 1
wait_until 30 logged wall 'detail panel of tile "pm10"' && wait_until 30 panel_shown wall "$wall"
report $? "a click on the kpi opens its panel"
line=$(count wall "$ACCENT" 520 150 222 190)
target=$(count wall "$TARGET" 520 150 222 190)
echo "# trend pixels $line, target pixels $target"
[ "$line" -ge 300 ] && [ "$target" -ge 100 ]
report $? "the panel draws the kpi's history (three readings) and its target"
contact=$(count wall "$TEXT" 520 18 222 367)
echo "# contact band: $contact text pixels"
[ "$contact" -ge 150 ]
report $? "the panel shows the layout's department and contact"
xdotool key Escape
wait_until 30 logged wall 'detail panel closed (Escape)' && wait_until 30 panel_gone wall "$wall"
report $? "Escape closes the panel"
kill -0 "$wall" 2>/dev/null
report $? "Escape with a panel open does not quit the wall"
xdotool mousemove $((wx + 300)) $((wy + 100)) click 1
wait_until 30 logged wall 'detail panel of tile "districts": ' && wait_until 30 panel_shown wall "$wall"
report $? "a click on a table row opens the row's panel"
line=$(count wall "$ACCENT" 520 150 222 190)
contact=$(count wall "$TEXT" 520 18 222 367)
echo "# row panel: trend pixels $line, contact band $contact"
[ "$line" -lt 100 ] && [ "$contact" -lt 20 ]
report $? "the row's panel has no trend and no contact (its tile has none)"
xdotool mousemove $((wx + 900)) $((wy + 500)) click 1
wait_until 30 logged wall 'detail panel closed (a tap outside it)' && wait_until 30 panel_gone wall "$wall"
report $? "a click outside the panel closes it"
xdotool key Escape
wait_until 30 bash -c "! kill -0 $wall 2>/dev/null"
report $? "Escape with no panel open quits"

# --- fingers: a tap, the idle close, a long press ---
cat >"$out/idle.script" <<'SCRIPT'
0.2 finger down 3 100 80
0 finger up 3 100 80
SCRIPT
open idle --input-script "$out/idle.script"
idle=$pid
wait_until 30 logged idle 'detail panel of tile "pm10"'
report $? "a finger's tap opens the kpi's panel"
wait_until 30 logged idle 'detail panel closed after 2 s without input' &&
	wait_until 30 panel_gone idle "$idle"
report $? "the panel closes by itself after detail_idle_s"
cat >"$out/long.script" <<'SCRIPT'
0.2 finger down 5 145 357
1.0 finger up 5 145 357
SCRIPT
open long --input-script "$out/long.script"
long=$pid
wait_until 30 logged long 'detail panel of tile "map"' && ! logged long 'detail panel of tile "map": '
report $? "a long press on a district opens the whole map's panel"
kill "$idle" "$long" 2>/dev/null

# --- keys: the focus ring, Enter ---
cat >"$out/keys.script" <<'SCRIPT'
0.2 key right
SCRIPT
open keys --input-script "$out/keys.script"
keys=$pid
# The ring inside the kpi (device x 12..241): its left side at x 13..15 in the accent colour.
wait_until 30 logged keys 'focus on tile "pm10"' && screen keys "$keys" &&
	[ "$(count keys "$ACCENT" 1 60 14 40)" -ge 50 ]
report $? "an arrow key puts a visible focus ring on a tile"
cat >"$out/enter.script" <<'SCRIPT'
0.2 key right
0 key return
SCRIPT
open enter --input-script "$out/enter.script"
enter=$pid
wait_until 30 logged enter 'detail panel of tile "pm10" (Enter)' && wait_until 30 panel_shown enter "$enter"
report $? "Enter opens the focused tile's panel"
kill "$keys" "$enter" 2>/dev/null

# --- a layout without "interactive" ---
cat >"$out/still.script" <<'SCRIPT'
0.2 finger down 3 100 80
0 finger up 3 100 80
0 mouse down 100 80
0 mouse up 100 80
SCRIPT
open still --input-script "$out/still.script"
still=$pid
wait_until 30 logged still 'input ignored: the layout is not interactive' &&
	panel_gone still "$still" && ! logged still 'detail panel of tile'
report $? "a layout without \"interactive\" ignores taps"
kill "$still" 2>/dev/null

# --- emergency mode ---
open emergency
emergency=$pid
window_origin touch-emergency
echo "# window at $wx, $wy"
xdotool mousemove $((wx + 120)) $((wy + 200)) click 1
wait_until 30 logged emergency 'detail panel of tile' && wait_until 30 panel_shown emergency "$emergency"
opened=$?
kill -USR2 "$emergency"
wait_until 30 logged emergency 'SIGUSR2' && wait_until 30 panel_gone emergency "$emergency"
closed=$?
xdotool mousemove $((wx + 300)) $((wy + 200)) click 1
wait_until 30 logged emergency 'tap during emergency mode: the emergency page stays' &&
	panel_gone emergency "$emergency"
tapped=$?
echo "# opened $opened, closed by emergency mode $closed, no panel after the tap $tapped"
[ $opened = 0 ] && [ $closed = 0 ] && [ $tapped = 0 ]
report $? "emergency mode closes the panel, and a tap during it opens none over the page"
