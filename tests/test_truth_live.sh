#!/usr/bin/env bash
# feedsim's wrong_types fault in a real window under Xvfb: numbers turn into words, objects into
# lists or nulls. Every tile keeps its last good value (in its state colour, with its age), the
# status names the source degraded with the broken paths, the cache still holds the good
# document, and the wall recovers when the fault clears. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh" truth-live-test
echo "1..5"
cleanup() {
	[ -n "${app:-}" ] && kill "$app" 2>/dev/null
	[ -n "${sim:-}" ] && kill "$sim" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

start_feedsim --tick 1
field() {
	python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['sources'][0]; print(s[sys.argv[2]])" \
		"$out/status.json" "$1" 2>/dev/null
}
is() { [ "$(field "$1")" = "$2" ]; }
grey() { [ "${1:0:2}" = "${1:2:2}" ] && [ "${1:2:2}" = "${1:4:2}" ]; }
coloured() { [ -n "$1" ] && [ "$1" != 000000 ] && ! grey "$1"; }

"$bin" --layout tests/layouts/truth-live.json --feed "http://127.0.0.1:$port/feeds/city.json" \
	--present surface --size 1280x720 --cache-dir "$out/cache" \
	--status-file "$out/status.json" >"$out/app.log" 2>&1 &
app=$!
wait_until 15 is state ok && window_origin truth-live && wait_pixel 600 40 coloured
report $? "the feed is fetched and drawn in its state colour (got $px)"
good_seq=$(field seq)

control "fault=wrong_types"
wait_until 15 is state degraded
state=$(field state)
broken=$(field broken)
echo "# broken: $broken"
[ "$state" = degraded ] && [[ "$broken" == *"air/city/pm10 ("* ]]
report $? "the status names the source degraded with the broken paths (state $state)"
sleep 1 # a few more faulted polls
wait_pixel 600 40 coloured
report $? "the broken tile keeps its last good value in its state colour (got $px)"

# The cache record (docs/operations.md): a 32-byte header, the meta JSON, then the body.
python3 - "$out/cache/default.cache" <<'PY'
import json, struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"CWCACHE\n", data[:8]
meta_len, = struct.unpack_from("<I", data, 12)
body_len, = struct.unpack_from("<Q", data, 16)
body = json.loads(data[32 + meta_len:32 + meta_len + body_len])
pm10 = body["air"]["city"]["pm10"]
assert isinstance(pm10, (int, float)), pm10
print("# cached seq %s, pm10 %s" % (body["seq"], pm10))
PY
report $? "the cache still holds a good document"

control "fault=none"
# Generous: on a loaded machine polls time out (timeout 1 s) and back off, up to the 60 s cap.
wait_until 75 is state ok && wait_until 5 is broken_count 0 && wait_pixel 600 40 coloured
report $? "the wall recovers when the fault clears (state $(field state), seq $(field seq) after $good_seq)"
kill -TERM $app
wait $app
app=
