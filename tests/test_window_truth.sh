#!/usr/bin/env bash
# Window and --screenshot agree, and change lines are never made up, with the real binary in a
# window under Xvfb (fixed --at, a file feed polled every 0.3 s):
#   - the same document polled again and again draws no change line, exactly as a screenshot;
#   - three readings an hour apart: the window compares with the reading an hour before, and a
#     --screenshot after the wall stopped (history restored from the cache) draws the same
#     pixels. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh" window-truth-test
echo "1..5"
cd "$out" || exit 1
cleanup() { [ -n "${app:-}" ] && kill -9 "$app" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT
at=2026-11-25T12:00:00+09:00
# layout NAME CHANGE: a kpi with or without "change", on a feed that keeps 25 h of history.
layout() {
	cat >"$1" <<JSON
{"title": "window-truth", "canvas": {"width": 1280, "height": 720},
 "grid": {"columns": 2, "rows": 1, "gap": 16, "margin": 24},
 "feed": {"url": "feed.json", "interval": 0.3, "max_age": 86400, "history": "25h"},
 "tiles": [
  {"id": "pm10", "widget": "kpi", "cell": [0, 0], "title": "미세먼지 PM10", "value": "pm10",
   "unit": "㎍/㎥", "better": "down" $2},
  {"id": "seq", "widget": "text", "cell": [1, 0], "value": "seq", "card": true}
 ]}
JSON
}
layout with-change.json ', "change": {"vs": "1h"}'
layout no-change.json ''
feed() { # feed SEQ TIME PM10: written like an editor does, renamed over the old file
	printf '{"seq": %s, "generated_at": "%s", "pm10": %s}\n' "$1" "$2" "$3" >feed.tmp
	mv feed.tmp feed.json
}
field() {
	python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['sources'][0][sys.argv[2]])" \
		status.json "$1" 2>/dev/null
}
wait_field_at_least() { # FIELD N: up to 20 s
	for _ in $(seq 1 200); do
		[ "$(field "$1" 2>/dev/null || echo 0)" -ge "$2" ] 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
wait_file() { for _ in $(seq 1 150); do [ -s "$1" ] && return 0; sleep 0.1; done; return 1; }
same() { # same A B: the number of differing pixels is 0
	differing=$(compare -metric AE -fuzz 2% "$1" "$2" null: 2>&1)
	[ "$differing" = 0 ]
}
start() { # start CACHE-DIR
	rm -f status.json screen.png
	"$bin" --layout with-change.json --present surface --size 1280x720 --at $at --no-watch \
		--cache-dir "$1" --status-file status.json --screen-file screen.png >>app.log 2>&1 &
	app=$!
}
screen() { # screen NAME: what the window shows, to NAME.png
	rm -f screen.png
	kill -USR1 $app
	wait_file screen.png && mv screen.png "$1.png"
}

# 1. The same document, polled again and again.
feed 7 2026-11-25T11:50:00+09:00 41
start cache-same
wait_field_at_least fetches 5
screen same-window
"$bin" --layout no-change.json --size 1280x720 --at $at --no-cache \
	--screenshot same-reference.png 2>>shot.log
same same-window.png same-reference.png
report $? "the same document polled $(field fetches) times draws no change line ($differing pixels differ from a tile without one)"
"$bin" --layout with-change.json --size 1280x720 --at $at --no-cache \
	--screenshot same-shot.png 2>>shot.log
same same-window.png same-shot.png
report $? "window and --screenshot give the same pixels ($differing differ)"
kill -TERM $app
wait $app
app=

# 2. Three readings an hour apart: 40, 45, 50.
feed 1 2026-11-25T10:00:00+09:00 40
start cache-three
wait_field_at_least seq 1
feed 2 2026-11-25T11:00:00+09:00 45
wait_field_at_least seq 2
feed 3 2026-11-25T12:00:00+09:00 50
wait_field_at_least seq 3
sleep 0.5 # a frame after the last reading
screen three-window
# The reference: the same tile with a feed-given previous of 45 and the label written out.
sed -e 's|"change": {"vs": "1h"}|"previous": "prev", "delta_label": "1시간 전 대비"|' \
	-e 's|, "history": "25h"||' with-change.json >reference.json
printf '{"seq": 3, "generated_at": "2026-11-25T12:00:00+09:00", "pm10": 50, "prev": 45}\n' \
	>reference-feed.json
sed -i 's|"url": "feed.json"|"url": "reference-feed.json"|' reference.json
"$bin" --layout reference.json --size 1280x720 --at $at --no-cache \
	--screenshot three-reference.png 2>>shot.log
same three-window.png three-reference.png
report $? "three readings: the window compares 50 with 45, the reading an hour before, labelled 1시간 전 대비 ($differing differ)"
kill -TERM $app
wait $app
app=
grep -q "SIGTERM: stopping" app.log
report $? "the wall stops cleanly (its history is saved)"
"$bin" --layout with-change.json --size 1280x720 --at $at --cache-dir cache-three \
	--screenshot three-shot.png 2>>shot.log
same three-window.png three-shot.png
report $? "a --screenshot after the wall stopped restores the history and draws the same ($differing differ)"
