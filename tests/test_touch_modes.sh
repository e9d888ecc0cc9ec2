#!/usr/bin/env bash
# The mode bar, pinch zoom, cluster zoom and a marker's nearest cameras (docs/interaction.md)
# in real windows under Xvfb, on tests/layouts/touch-modes.json at a fixed clock (the rotation
# shows its first page). Fingers and keys are pushed into SDL's own queue (--input-script).
# Checks by the pixels SIGUSR1 writes: a tap on a mode tab shows that page's map in the next
# frames (the map drawn as a headless screenshot of that page draws it) and the rotation's page
# is back after the idle time; Enter on the focused mode bar turns to the next mode; a pinch
# grows a district's pixels about the fingers' centre and the idle time (or a double tap)
# shows the whole map again; a tap on a cluster zooms the map to it; a marker's panel lists
# the nearest cameras and draws the nearest one's still. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh" touch-modes-test
if ! command -v convert >/dev/null || ! command -v compare >/dev/null; then
	echo "1..0 # SKIP ImageMagick is not installed (tools/setup installs it)"
	exit 0
fi
echo "1..10"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
}
trap cleanup EXIT

# The layout, its paths made absolute; "idle" gives input back after 6 s; the cameras' stills
# are solid colours: the one nearest the fire marker magenta, the others cyan.
convert -size 64x48 xc:'#ff00ff' "$out/near.png"
convert -size 64x48 xc:'#00ffff' "$out/far.png"
python3 - "$src" "$out" <<'PY'
import json, sys
src, out = sys.argv[1:3]
base = json.load(open(f"{src}/tests/layouts/touch-modes.json"))
base.pop("$schema")
base["feed"]["url"] = f"{src}/tests/data/touch-snapshot.json"
for name, s in base["sources"].items():
    s["url"] = f"{out}/near.png" if name == "cam-gangnam" else f"{out}/far.png"
for name, extra in {"modes": {"detail_idle_s": 6}, "enter": {}, "pinch": {"detail_idle_s": 6},
                    "double": {}, "cluster": {"detail_idle_s": 6}, "camera": {}}.items():
    json.dump(dict(base, **extra, title=f"touch-{name}"), open(f"{out}/{name}.json", "w"),
              ensure_ascii=False)
PY
AT=2026-11-25T09:00:00+09:00 # the first page of the rotation (each page 600 s)
# open NAME [ARGS]: a 960x540 window of $out/NAME.json with its script; sets pid.
open() {
	local name=$1
	shift
	"$bin" --layout "$out/$name.json" --no-cache --present surface --size 960x540 -v --at "$AT" \
		--screen-file "$out/$name-screen.png" --input-script "$out/$name.script" "$@" \
		>"$out/$name.log" 2>&1 &
	pid=$!
	pids+=("$pid")
}
logged() { grep -qF -- "$2" "$out/$1.log"; }
# screen NAME PID [AS]: SIGUSR1, and waits for the PNG (copied to $out/AS.png when given).
screen() {
	rm -f "$out/$1-screen.png"
	kill -USR1 "$2"
	wait_until 30 test -s "$out/$1-screen.png" || return 1
	if [ $# -ge 3 ]; then cp "$out/$1-screen.png" "$out/$3.png"; fi
}
# headless AT AS: the layout "modes" at AT as a 960x540 PNG.
headless() {
	"$bin" --layout "$out/modes.json" --no-cache --size 960x540 --at "$1" \
		--screenshot "$out/$2.png" >/dev/null 2>&1
}
# The map's box at 960x540: the tile at x 12..634, y 77..528.
MAP=620x448+13+78
# differ A B [GEOMETRY]: how many pixels of that part of two PNGs differ by more than 10%.
differ() {
	convert "$out/$1.png" -crop "${3:-$MAP}" +repage "$out/differ-a.png" &&
		convert "$out/$2.png" -crop "${3:-$MAP}" +repage "$out/differ-b.png" &&
		compare -metric AE -fuzz 10% "$out/differ-a.png" "$out/differ-b.png" null: 2>&1 |
		cut -d' ' -f1
}
# count PNG COLOUR GEOMETRY: pixels of COLOUR (within 12%) in that part of the PNG.
count() {
	convert "$out/$1.png" -crop "$3" +repage -fuzz 12% -fill white -opaque "$2" -fill black \
		+opaque white -format '%[fx:round(mean*w*h)]' info: 2>/dev/null
}
headless "$AT" page1
headless 2026-11-25T09:10:00+09:00 page2
[ "$(differ page1 page2)" -gt 20000 ]
report $? "the two pages' maps differ (what the mode test tells apart)"

# --- the mode bar: a tap on the second tab, then the idle time ---
cat >"$out/modes.script" <<'SCRIPT'
0.5 finger down 1 323 41
0 finger up 1 323 41
SCRIPT
open modes
modes=$pid
wait_until 30 logged modes 'mode bar: page "초미세먼지"' && screen modes "$modes" chosen
d2=$(differ chosen page2) d1=$(differ chosen page1)
echo "# after the tap: $d2 pixels differ from page 2's map, $d1 from page 1's"
[ "${d2:-99999}" -lt 20 ] && [ "${d1:-0}" -gt 20000 ]
report $? "a tap on a mode tab shows that page's map"
wait_until 30 logged modes 'back to the rotation and the whole map after 6 s without input' &&
	sleep 0.5 && screen modes "$modes" back
d1=$(differ back page1)
echo "# after the idle time: $d1 pixels differ from page 1's map"
[ "${d1:-99999}" -lt 20 ]
report $? "the rotation's page is back after the idle time"

# --- the keyboard: focus on the mode bar, Enter ---
cat >"$out/enter.script" <<'SCRIPT'
0.5 key right
0 key return
SCRIPT
open enter
enter=$pid
wait_until 30 logged enter 'focus on tile "modes"' &&
	wait_until 30 logged enter 'mode bar: page "초미세먼지" (Enter)'
report $? "the mode bar takes the keyboard focus, and Enter turns to the next mode"
kill "$modes" "$enter" 2>/dev/null

# --- a pinch about the centre of 서초구 (device 290, 422), twice as far apart ---
# PINCH: 서초구's orange ("bad") in the 80x80 square around the fingers' centre.
ORANGE='#e69f00' AROUND=80x80+250+382
cat >"$out/pinch.script" <<'SCRIPT'
0.5 finger down 1 260 422
0 finger down 2 320 422
0.05 finger move 1 250 422
0 finger move 2 330 422
0.05 finger move 1 240 422
0 finger move 2 340 422
0.05 finger move 1 230 422
0 finger move 2 350 422
0.05 finger up 1 230 422
0 finger up 2 350 422
SCRIPT
before=$(count page1 "$ORANGE" "$AROUND")
open pinch
pinch=$pid
wait_until 30 logged pinch 'pinch ended' && screen pinch "$pinch" pinched
after=$(count pinched "$ORANGE" "$AROUND")
echo "# 서초구's pixels around the fingers: $before before, $after after the pinch"
[ "${after:-0}" -gt $((before * 16 / 10)) ]
report $? "a pinch zooms the map about the fingers (a district's pixels grow)"
wait_until 30 logged pinch 'back to the rotation and the whole map after 6 s without input' &&
	sleep 0.5 && screen pinch "$pinch" unpinched
d1=$(differ unpinched page1)
echo "# after the idle time: $d1 pixels differ from the whole map"
[ "${d1:-99999}" -lt 20 ]
report $? "the whole map is back after the idle time"
cat >"$out/double.script" <<'SCRIPT'
0.5 finger down 1 260 422
0 finger down 2 320 422
0.05 finger move 1 230 422
0 finger move 2 350 422
0.05 finger up 1 230 422
0 finger up 2 350 422
1.0 finger down 3 400 300
0 finger up 3 400 300
0.1 finger down 3 402 300
0 finger up 3 402 300
SCRIPT
open double
double=$pid
wait_until 30 logged double 'double tap: the whole map' && sleep 0.5 &&
	screen double "$double" doubled
d1=$(differ doubled page1)
echo "# after the double tap: $d1 pixels differ from the whole map"
[ "${d1:-99999}" -lt 20 ]
report $? "a double tap on a zoomed map shows the whole map again (and no panel)"
kill "$pinch" "$double" 2>/dev/null

# --- a tap on the cluster of 37 bike stations (device 176, 416) ---
cat >"$out/cluster.script" <<'SCRIPT'
0.5 finger down 1 176 416
0 finger up 1 176 416
SCRIPT
open cluster
cluster=$pid
wait_until 30 logged cluster 'zoomed to a cluster of tile "map-pm10" (3.0x)' &&
	screen cluster "$cluster" clustered
d1=$(differ clustered page1)
# The cluster's point is now the middle of the map's box (x 25..436, y 118..515): 영등포구,
# orange, around it.
middle=$(count clustered "$ORANGE" 80x80+190+277)
echo "# after the cluster tap: $d1 pixels differ from the whole map; $middle orange in its middle"
[ "${d1:-0}" -gt 20000 ] && [ "${middle:-0}" -gt 1500 ] && ! logged cluster 'detail panel of tile'
report $? "a tap on a cluster zooms the map to it"
kill "$cluster" 2>/dev/null

# --- the fire marker (device 284, 402): its panel, its cameras ---
cat >"$out/camera.script" <<'SCRIPT'
0.5 finger down 1 284 402
0 finger up 1 284 402
SCRIPT
open camera
camera=$pid
wait_until 30 logged camera 'detail panel of tile "map-pm10": 화재 Fire' &&
	sleep 0.5 && screen camera "$camera" panel
# The panel at 960x540: x 211..749, y 97..443; the still in its right half.
near=$(count panel '#ff00ff' 260x300+480+130) far=$(count panel '#00ffff' 260x300+480+130)
echo "# the panel: $near pixels of the nearest camera's still, $far of the others'"
[ "${near:-0}" -gt 10000 ] && [ "${far:-1}" -eq 0 ]
report $? "a marker's panel draws the nearest camera's still"
lines=$(count panel '#eef3fb' 250x120+230+200)
echo "# text pixels where the lines go: $lines"
[ "${lines:-0}" -gt 300 ]
report $? "... beside its fields and the cameras by distance"
