#!/usr/bin/env bash
# Smoke test of the browser comparison (bench/): the board's layout validates and shows the
# same indicators as the feed the page reads, and bench/run measures citywall for a moment at
# a small size (on its own Xvfb) and prints a table with a CPU and a PSS figure. No timing is
# asserted: only that the runner still runs and reports numbers. Prints TAP.
set -u
bin=${CITYWALL_BIN:?}
bench_bin=${CITYWALL_BENCH_BIN:?}
cd "${CITYWALL_SOURCE_ROOT:?}" || exit 1
out=${CITYWALL_BUILD_ROOT:?}/bench-test
rm -rf "$out"
mkdir -p "$out"
echo "1..9"
n=0
report() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

"$bin" --check bench/board.json >"$out/check.log" 2>&1
report $? "bench/board.json validates"

python3 - <<'PY'
import json, sys
sys.path.insert(0, "bench")
import feed
layout = json.load(open("bench/board.json", encoding="utf-8"))
kpis = [t for t in layout["tiles"] if t.get("template") == "kpi"]
trends = [t for t in layout["tiles"] if t.get("template") == "spark"]
assert [t["with"]["name"] for t in kpis] == [k[0] for k in feed.KPIS], "kpi titles differ"
assert [t["with"]["i"] for t in kpis] == list(range(60))
assert [t["with"]["name"] for t in trends] == [s[0] for s in feed.SERIES], "trend titles differ"
assert len(trends) == 12 and len(feed.DISTRICTS) == 25
PY
report $? "board.json and feed.py agree: 60 kpi tiles and 12 sparklines, same titles"

bench/run --only citywall --sizes 640x360 --seconds 2 --warmup 1 --binary "$bin" \
	>"$out/run.out" 2>"$out/run.err"
rc=$?
cat "$out/run.out" | sed 's/^/# /'
num='[0-9]+(\.[0-9]+)?'
[ $rc = 0 ] && grep -Eq "^\| 640x360 \| 1 \| citywall \| $num \| $num \| $num \|" "$out/run.out"
report $? "bench/run prints citywall's CPU, PSS and fps at 640x360"
grep -Eq "^\| 640x360 \| 1 \| citywall \|.*; put $num (KiB|MiB)/s, moved $num (KiB|MiB)/s \|" "$out/run.out"
report $? "bench/run prints the bytes citywall put on the screen and moved there a second"
grep -Eq "^\| 640x360 \| $num KiB \| $num MiB/s \|" "$out/run.out"
report $? "bench/run prints the ticker floor (damage per frame, bytes per second)"
grep -Eq "^\| 640x360 \| $num% \| $num% \| $num% \| $num% \|" "$out/run.out"
report $? "bench/run prints the 60 fps floor (wake, put, copy) beside citywall's CPU"

# Where the real boundaries are, the run says it used them; else it says it fell back.
if [ -e ../shared/data/seoul-maps/kostat2013_seoul_municipalities_geo_simple.json ]; then
	grep -q "25 districts (kostat2013_seoul_municipalities_geo_simple.json)" "$out/run.out"
else
	grep -q "drawing the bundled cartogram" "$out/run.out"
fi
report $? "the district boundaries used are named"

# The seconds citywall-bench --updates replays: one a second from the bench's clock, one kpi
# and one district changed each.
python3 bench/feed.py --dump-ticks 8 "$out/ticks" && python3 - "$out/ticks" <<'PY'
import datetime, json, os, sys
sys.path.insert(0, "bench")
import feed
folder = sys.argv[1]
names = sorted(os.listdir(folder))
assert names == ["%04d.json" % i for i in range(8)], names
docs = [json.load(open(os.path.join(folder, n), encoding="utf-8")) for n in names]
for i, doc in enumerate(docs):
    assert doc["seq"] == i + 1, doc["seq"]
    at = datetime.datetime.fromisoformat(doc["generated_at"]).timestamp()
    assert at == feed.BENCH_CLOCK + i, (at, i)
for a, b in zip(docs, docs[1:]):
    kpis = [k for k, (x, y) in enumerate(zip(a["kpi"], b["kpi"])) if x != y]
    districts = [d for d, (x, y) in enumerate(zip(a["districts"], b["districts"])) if x != y]
    assert len(kpis) == 1 and len(districts) <= 1, (kpis, districts)
PY
report $? "feed.py --dump-ticks writes a second a document from the bench's clock"

"$bench_bin" --updates "$out/ticks" --frames 1 640x360 >"$out/updates.out" 2>"$out/updates.err"
rc=$?
sed 's/^/# /' "$out/updates.out"
[ $rc = 0 ] && grep -Eq "^640x360 +data second: frame +$num " "$out/updates.out" &&
	! grep -q "error" "$out/updates.err"
report $? "citywall-bench --updates replays them and prints a data second's percentiles"
