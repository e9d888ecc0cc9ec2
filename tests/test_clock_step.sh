#!/usr/bin/env bash
# A clock step never freezes anything, with the real binary in a window under libfaketime: the
# wall clock is stepped back an hour while it runs (FAKETIME_TIMESTAMP_FILE, re-read on every
# call; the monotonic clock is left alone, as a real step leaves it) and the seconds clock
# keeps drawing frames. A feed dated an hour ahead of the wall is reported as a clock skew
# (status "clock_skew_s", one log line) and aged from its fetch time. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh" clock-step-test
faketime_lib=
for f in /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 /usr/lib/*/faketime/libfaketime.so.1; do
	[ -r "$f" ] && { faketime_lib=$f; break; }
done
if [ -z "$faketime_lib" ]; then
	echo "1..0 # SKIP libfaketime is not installed (apt-get install faketime)"
	exit 0
fi
echo "1..5"
cd "$out" || exit 1
cat >layout.json <<'JSON'
{"canvas": {"width": 800, "height": 400},
 "grid": {"columns": 2, "rows": 1, "gap": 10, "margin": 10},
 "feed": {"url": "feed.json", "interval": 1, "max_age": 600},
 "tiles": [
  {"id": "clock", "widget": "clock", "cell": [0, 0], "seconds": true},
  {"id": "a", "widget": "kpi", "cell": [1, 0], "title": "A", "value": "a"}
 ]}
JSON
# Dated 10:00 KST; the wall's clock says 09:00 KST.
echo '{"generated_at": "2026-11-25T10:00:00+09:00", "a": 41}' >feed.json
echo "@2026-11-25 00:00:00" >faketime.txt # UTC

# json EXPR: a value of the status file (python expression over s).
json() {
	python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print($1)" status.json 2>/dev/null
}
# wait_until EXPR SECONDS: until the expression is true.
wait_until() {
	local deadline=$(($(date +%s) + $2))
	while [ "$(date +%s)" -le $deadline ]; do
		[ "$(json "$1")" = True ] && return 0
		sleep 0.2
	done
	return 1
}

LD_PRELOAD=$faketime_lib FAKETIME_TIMESTAMP_FILE=$out/faketime.txt FAKETIME_NO_CACHE=1 \
	FAKETIME_DONT_FAKE_MONOTONIC=1 \
	"$bin" --layout layout.json --present surface --size 800x400 --no-cache \
	--status-file status.json >app.log 2>&1 &
app=$!
wait_until "s['frames']['count'] >= 3 and s['written_at'].startswith('2026-11-25T00:')" 20
report $? "the wall runs at the faked time, frames coming ($(json "s['written_at']"))"

# About 3600 s: the faked clock has run on for the seconds before the first fetch.
wait_until "abs(s['sources'][0]['clock_skew_s'] - 3600) < 60" 10 &&
	[ "$(json "s['sources'][0]['data_time'][:16]")" = "2026-11-25T00:00" ] &&
	[ "$(grep -c 'feed default: clock skew — data dated 60 min ahead' app.log)" = 1 ]
report $? "a feed an hour ahead: clock_skew_s $(json "s['sources'][0]['clock_skew_s']"), aged from its fetch, logged once"

before=$(json "s['frames']['count']")
echo "@2026-11-24 23:00:00" >faketime.txt # an hour back
wait_until "s['written_at'].startswith('2026-11-24T23:')" 10
report $? "the shown time follows the step back ($(json "s['written_at']"))"
# The seconds clock ticks on: frames keep coming after the step (before the fix: none for 1 h).
wait_until "s['frames']['count'] >= $before + 5 and s['written_at'].startswith('2026-11-24T23:')" 20
report $? "frames keep coming after the step back ($before → $(json "s['frames']['count']"))"

kill -TERM $app
wait $app
rc=$?
# Layout files dated after the wall's clock are no saves: no reload loop.
[ $rc = 0 ] && ! grep -q "reloaded" app.log
report $? "the window closes cleanly (exit $rc) and never reloaded an unsaved layout"
sed 's/^/# /' app.log | head -20
