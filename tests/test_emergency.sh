#!/usr/bin/env bash
# Emergency mode on the real binary: two windows (two processes, one layout, each with its own
# status file) bound to feedsim. feedsim raises a fire: both show the incident page (status
# file "emergency" and "layout.page", and the pixels of the alert card's level chip in what
# SIGUSR1 writes); the alert clears: both leave it. SIGUSR2 forces the page on and cancels it;
# POST /emergency?state=off|auto|on on --health does the same on one window only. Waits on
# files with generous time limits; prints TAP.
set -u
. "$(dirname "$0")/tap.sh" emergency-test
echo "1..12"
cleanup() {
	for p in ${a:-} ${b:-} ${sim:-}; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
}
trap cleanup EXIT
start_feedsim --tick 1
[ -n "$port" ] || { echo "Bail out! feedsim did not start"; exit 1; }
python3 - "$port" <<'PY' >"$out/wall.json"
import json, sys
port = sys.argv[1]
layout = json.load(open("layouts/incident-demo.json"))
layout["feed"] = {"url": f"http://127.0.0.1:{port}/feeds/city.json", "interval": 1, "max_age": 60}
layout["sources"]["safety"] = {"url": f"http://127.0.0.1:{port}/feeds/safety.json",
                               "interval": 1, "max_age": 60}
layout["schedule"] = []  # whatever the hour, the rotation shows unless an alert does
# Without its schedule the commute page would rotate with the city page, and which one shows
# would depend on the wall clock's phase; the checks below know the city page's geometry.
layout["pages"] = [p for p in layout["pages"] if p["id"] != "commute"]
layout.pop("$schema")
print(json.dumps(layout, ensure_ascii=False))
PY
# open NAME [ARGS]: a window with a status file and a screen file; sets the pid in $pid.
open_window() {
	local name=$1
	shift
	"$bin" --layout "$out/wall.json" --no-cache --present surface --size 960x540 \
		--status-file "$out/$name.status" --screen-file "$out/$name-screen.png" "$@" \
		>"$out/$name.log" 2>&1 &
	pid=$!
}
# st NAME EXPR: evaluates EXPR (Python, over the status document `s`) and succeeds when true.
st() {
	python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' \
		"$out/$1.status" "$2" 2>/dev/null
}
# wait_st SECONDS NAME EXPR: waits for st NAME EXPR.
wait_st() {
	local end_at
	end_at=$(deadline "$1")
	while [ "$(date +%s)" -le "$end_at" ]; do
		st "$2" "$3" && return 0
		sleep 0.2
	done
	return 1
}
# chip NAME: SIGUSR1, then whether the danger chip's orange-red is at (80, 183) on screen.
chip() {
	rm -f "$out/$1-screen.png"
	kill -USR1 "$(cat "$out/$1.pid")"
	for _ in $(seq 1 100); do [ -s "$out/$1-screen.png" ] && break; sleep 0.1; done
	local p
	p=$(convert "$out/$1-screen.png" -format '%[hex:p{80,183}]' info: 2>/dev/null)
	echo "# $1 at (80, 183): $p"
	[ -n "$p" ] && [ $((16#${p:0:2})) -gt 150 ] && [ $((16#${p:2:2})) -lt 110 ]
}
# incident_page NAME: whether the screen SIGUSR1 wrote last has the incident page's geometry:
# its alert card covers (244, 200), where the city page leaves a gap between two tiles.
incident_page() {
	local p bg
	p=$(convert "$out/$1-screen.png" -format '%[hex:p{244,200}]' info: 2>/dev/null)
	bg=$(convert "$out/$1-screen.png" -format '%[hex:p{5,5}]' info: 2>/dev/null)
	[ -n "$p" ] && [ "$p" != "$bg" ]
}
post() { curl -s -o "$out/post.out" -w '%{http_code}' -X POST "http://127.0.0.1:$hport/emergency?state=$1"; }

open_window a --health 0
a=$pid
echo $a >"$out/a.pid"
open_window b
b=$pid
echo $b >"$out/b.pid"
quiet='s["emergency"]["active"] is False and s["layout"]["page"] != "incident" and s["frames"]["count"] > 0'
active='s["emergency"]["active"] is True and s["layout"]["page"] == "incident"'
wait_st 60 a "$quiet" && wait_st 60 b "$quiet" && ! chip a && ! chip b && ! incident_page a
report $? "both windows start on the rotation, no emergency"
hport=$(sed -n 's/.*health endpoint on port \([0-9]*\).*/\1/p' "$out/a.log")

control alert=fire
wait_st 30 a "$active" && wait_st 30 b "$active" &&
	st a 's["emergency"]["alert"]["level"] == "danger" and s["emergency"]["alert"]["lat"] > 37'
report $? "feedsim raises a fire: both status files say emergency, page incident, the alert"
chip a && chip b
report $? "both windows show the incident page (the danger chip's pixels)"
grep -q 'emergency mode on: danger alert "공장 화재 대응 2단계"' "$out/a.log"
report $? "the change is logged"

control alert=none
wait_st 30 a "$quiet" && wait_st 30 b "$quiet" && ! chip a && ! chip b
report $? "the alert clears: both windows leave the incident page"

kill -USR2 "$a"
wait_st 30 a "$active"' and s["emergency"]["forced"] and s["emergency"]["mode"] == "on"' &&
	! chip a && incident_page a && st b "$quiet"
report $? "SIGUSR2 forces the page on one window, without an alert (no chip, the page's geometry)"
kill -USR2 "$a"
wait_st 30 a "$quiet"' and s["emergency"]["mode"] == "off"'
report $? "SIGUSR2 again cancels it"

control alert=fire
wait_st 30 a "$active" && wait_st 30 b "$active"
report $? "a new alert after the cancel shows again (the cancel held for no alert)"
code=$(post off)
wait_st 30 a "$quiet"' and s["emergency"]["mode"] == "off" and s["emergency"]["alert"] is not None' &&
	[ "$code" = 202 ] && ! chip a && st b "$active"
report $? "POST /emergency?state=off cancels the page on that window only (HTTP $code)"
control alert=flood
# The flood is less severe: the fire still leads the list, so the cancel holds. Wait until
# window a shows a document made after the flood was raised (a later tick's), then look.
seq=$(curl -s "http://127.0.0.1:$port/control" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["tick"]["seq"] + 1)')
wait_st 30 a '[x for x in s["sources"] if x["name"] == "safety"][0]["on_screen_seq"] >= '"$seq" &&
	st a "$quiet"' and s["emergency"]["mode"] == "off"' && ! chip a
report $? "the cancel holds while the same alert leads the list"
code=$(post auto)
wait_st 30 a "$active"' and s["emergency"]["mode"] == "auto"' && [ "$code" = 202 ]
report $? "POST /emergency?state=auto gives the page back to the alerts"
code=$(post maybe)
[ "$code" = 400 ] && grep -q 'on, off or auto' "$out/post.out"
report $? "POST /emergency?state=maybe is refused (HTTP $code)"
