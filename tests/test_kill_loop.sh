#!/usr/bin/env bash
# kill -9 never loses the cached picture: the real wall polls tools/feedsim fast (every good
# document is written to the cache), is killed with SIGKILL at a random moment, and a wall
# started afterwards with the feed failing must show every source from its cache.
# CITYWALL_KILL_LOOPS sets the number of kills (default 10). Prints TAP.
set -u
. "$(dirname "$0")/tap.sh" kill-loop-test
loops=${CITYWALL_KILL_LOOPS:-10}
echo "1..2"
start_feedsim --tick 0.2
cleanup() { kill "$sim" 2>/dev/null; [ -n "${app:-}" ] && kill -9 "$app" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT
sed -e "s|\"url\": \"data/demo-snapshot.json\", \"interval\": 2|\"url\": \"http://127.0.0.1:$port/feeds/city.json\", \"interval\": 0.1|" \
	layouts/demo.json >"$out/wall.json"
grep -q "127.0.0.1:$port" "$out/wall.json" || echo "# the demo layout's feed line changed: fix this test"

lost=0
for i in $(seq 1 "$loops"); do
	control fault=none
	"$bin" --layout "$out/wall.json" --cache-dir "$out/cache" --present surface \
		--size 640x360 --no-watch >>"$out/app.log" 2>&1 &
	app=$!
	sleep "$(awk -v s="$RANDOM" 'BEGIN { printf "%.2f", 0.3 + (s % 120) / 100 }')"
	kill -9 "$app"
	wait "$app" 2>/dev/null
	app=
	control fault=http500
	"$bin" --layout "$out/wall.json" --cache-dir "$out/cache" --screenshot "$out/after.png" \
		--size 640x360 --status-file "$out/status.json" 2>>"$out/check.log"
	# Every source that had been fetched before the kill must come from the cache.
	python3 - "$out/status.json" <<'PY' || lost=$((lost + 1))
import json, sys
sources = json.load(open(sys.argv[1]))["sources"]
sys.exit(0 if sources and all(s["from_cache"] and s["data_time"] for s in sources) else 1)
PY
done
echo "# $loops kills, $lost lost a cached picture"
[ "$lost" = 0 ]
report $? "kill -9 at random moments $loops times never loses the cached picture"
leftover=$(find "$out/cache" -name '.*.tmp-*' | wc -l)
"$bin" --layout "$out/wall.json" --cache-dir "$out/cache" --screenshot /dev/null --size 64x64 \
	2>/dev/null
left_after=$(find "$out/cache" -name '.*.tmp-*' | wc -l)
[ "$left_after" = 0 ]
report $? "temporary files of interrupted saves are removed at the next start ($leftover before, $left_after after)"
