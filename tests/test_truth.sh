#!/usr/bin/env bash
# Every number tells the truth, with the real binary and a feed file: a document that breaks a
# binding keeps that tile's last good value (with its age) and is reported degraded with the
# path; a document that holds none of the bound values is refused; neither reaches the
# last-good cache, so a restarted wall still shows the last whole document. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh" truth-test
echo "1..8"
cd "$out" || exit 1
cat >layout.json <<'JSON'
{"canvas": {"width": 800, "height": 400},
 "grid": {"columns": 2, "rows": 1, "gap": 10, "margin": 10},
 "feed": {"url": "feed.json", "max_age": 3600},
 "tiles": [
  {"id": "a", "widget": "kpi", "cell": [0, 0], "title": "A", "value": "a"},
  {"id": "b", "widget": "kpi", "cell": [1, 0], "title": "B", "value": "b"}
 ]}
JSON
# shot N TIME: --screenshot shotN.png and statusN.json at 09:TIME on 2026-11-25 (KST).
shot() {
	"$bin" --layout layout.json --screenshot "shot$1.png" --size 800x400 --cache-dir cache \
		--at "2026-11-25T09:$2:00+09:00" --status-file "status$1.json" 2>>log.txt
}
# same_area A B GEOMETRY: the two PNGs are equal (within 1%) in that area.
same_area() {
	convert "$1" -crop "$3" +repage a.png && convert "$2" -crop "$3" +repage b.png &&
		[ "$(compare -metric AE -fuzz 10% a.png b.png null: 2>&1)" = 0 ]
}
tile_a=380x250+12+12 # title and value of tile a, not its corner badge
tile_b=380x250+408+12

echo '{"seq": 1, "generated_at": "2026-11-25T09:00:00+09:00", "a": 41, "b": 7}' >feed.json
shot 1 01
report $? "a whole document is shown"

echo '{"seq": 2, "generated_at": "2026-11-25T09:05:00+09:00", "a": "점검중", "b": 8}' >feed.json
shot 2 06
grep -q '"state":	"degraded"' status2.json &&
	grep -q '"broken":	"a (a string \\"점검중\\")"' status2.json
report $? "a wrong type: the source is degraded and the path named"
same_area shot1.png shot2.png $tile_a
report $? "a wrong type: the tile keeps its last good value"
! same_area shot1.png shot2.png 200x60+180+330
report $? "a wrong type: the tile shows the kept value's age in its corner"
grep -q 'feed default: degraded — 1 value broken, kept at their last good: a (a string "점검중")' log.txt
report $? "a wrong type: logged once with the path"

echo '{"seq": 3, "generated_at": "2026-11-25T09:07:00+09:00", "x": 1}' >feed.json
shot 3 08
rc=$?
[ $rc = 1 ] && grep -q '"last_error":	"the document holds none of the 2 values the layout binds: a (missing), b (missing)"' status3.json
report $? "a document with none of the bound values is refused (exit $rc)"
same_area shot1.png shot3.png $tile_b
report $? "a refused document leaves the last good values on screen"

rm feed.json
shot 4 09
same_area shot1.png shot4.png $tile_a && same_area shot1.png shot4.png $tile_b
report $? "the cache still holds the last whole document (41 and 7, not 8)"
