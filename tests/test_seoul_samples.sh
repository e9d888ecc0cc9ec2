#!/usr/bin/env bash
# Seoul's real responses (../shared/data/samples, never copied into the repository) bound
# through selectors and drawn in tiles by the real binary: the 119 ambulance dispatch CSV, the
# TOPIS traffic XML, and the 2021 air sample dated by its own MSRDT — drawn stale with
# "2021-05-11 15:00 기준". Prints TAP; skips without the samples.
set -u
. "$(dirname "$0")/tap.sh" seoul-samples-test
samples=$src/../shared/data/samples
if [ ! -f "$samples/seoul-119-ambulance-dispatch-excerpt.csv" ]; then
	echo "1..0 # SKIP no ../shared/data/samples"
	exit 0
fi
echo "1..5"
cd "$out" || exit 1
cat >samples.json <<JSON
{"title": "seoul-samples", "canvas": {"width": 1600, "height": 900},
 "grid": {"columns": 4, "rows": 3, "gap": 16, "margin": 24},
 "sources": {
  "dispatch": {"url": "$samples/seoul-119-ambulance-dispatch-excerpt.csv", "format": "csv",
               "max_age": 31536000},
  "traffic": {"url": "$samples/seoul-topis-trafficinfo-sample.xml", "format": "xml",
              "max_age": 3600},
  "air": {"url": "$samples/seoul-realtimecityair-legacy-2021-sample.json", "max_age": 3600,
          "timestamp": {"path": "RealtimeCityAir/row/0/MSRDT", "format": "%Y%m%d%H%M"}}
 },
 "tiles": [
  {"id": "station", "widget": "text", "cell": [0, 0], "span": [2, 1], "value": "dispatch:rows/0/소방서명",
   "card": true},
  {"id": "speed", "widget": "kpi", "cell": [2, 0], "span": [2, 1], "title": "링크 통행속도 (TOPIS)",
   "value": "traffic:TrafficInfo/row/0/prcs_spd", "unit": "km/h"},
  {"id": "dispatches", "widget": "table", "cell": [0, 1], "span": [2, 2], "title": "119 구급 출동",
   "rows": "dispatch:rows", "columns": [{"field": "소방서명", "title": "소방서", "width": 2},
   {"field": "환자증상구분명1", "title": "증상", "width": 2}, {"field": "출동시각", "title": "출동", "format": "text"}]},
  {"id": "pm10", "widget": "kpi", "cell": [2, 1], "span": [2, 1], "title": "중구 PM10 (2021)",
   "value": "air:RealtimeCityAir/row[MSRSTE_NM=중구]/PM10", "unit": "㎍/㎥"}
 ]}
JSON
"$bin" --check samples.json 2>check.log
report $? "the layout binding the real samples checks clean"
"$bin" --layout samples.json --screenshot samples.png --size 1600x900 --no-cache \
	--at 2026-11-25T09:00:00+09:00 --status-file status.json 2>shot.log
python3 - status.json <<'PY'
import json, sys
sources = {s["name"]: s for s in json.load(open(sys.argv[1]))["sources"]}
assert sources["dispatch"]["state"] == "ok" and sources["dispatch"]["broken_count"] == 0, sources["dispatch"]
assert sources["traffic"]["state"] == "ok", sources["traffic"]
PY
report $? "the 119 CSV and the TOPIS XML are read and every bound value holds"
python3 - status.json <<'PY'
import json, sys
air = [s for s in json.load(open(sys.argv[1]))["sources"] if s["name"] == "air"][0]
assert air["state"] == "stale" and air["data_time"] == "2021-05-11T06:00:00Z", air
PY
report $? "the 2021 air sample is dated by its MSRDT (2021-05-11 15:00 KST) and stale"
# The tiles show values, not the grey no-data card: the kpi's value area has bright glyphs.
convert samples.png -crop 760x200+816+100 +repage -format "%[fx:maxima.intensity]" info: >peak.txt
awk '{ exit !($1 > 0.8) }' peak.txt
report $? "the TOPIS speed is drawn in its tile (peak intensity $(cat peak.txt))"
! grep -q "cells missing or of the wrong type" shot.log
report $? "table_text_column_prints_numbers: the 119 export's times (331, 105042) are shown as written"
