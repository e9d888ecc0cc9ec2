#!/usr/bin/env bash
# The citizens' view end to end: the real wall in a window under Xvfb, polling tools/feedsim,
# publishes with --publish DIR --every 1; the files are checked, DIR is served over
# python3 -m http.server on loopback and the citizens' page is opened in headless Chromium,
# which must show the seq of latest.json and its picture. A missing DIR is reported in the
# status file while the wall runs on, and publishing starts once it exists. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh" publish-test
echo "1..10"
cleanup() {
	[ -n "${app:-}" ] && kill "$app" 2>/dev/null
	[ -n "${sim:-}" ] && kill "$sim" 2>/dev/null
	[ -n "${httpd:-}" ] && kill "$httpd" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

start_feedsim --tick 1
pub="$out/pub"
mkdir -p "$pub"
# json FILE EXPR: a Python expression over the document `d`, printed.
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1" 2>/dev/null; }

timeout 120 "$bin" --layout layouts/demo.json --feed "http://127.0.0.1:$port/feeds/city.json" \
	--present surface --size 1280x720 --no-cache --publish "$pub" --every 1 \
	--publish-keep 3 --frames 8 --verbose >"$out/app.log" 2>&1
report $? "the wall runs --frames 8 with --publish and exits 0"

seq=$(json "$pub/latest.json" 'd["seq"]')
image=$(json "$pub/latest.json" 'd["image"]')
[ -n "$seq" ] && [ "$seq" -ge 2 ] && [ -f "$pub/$image" ] && cmp -s "$pub/$image" "$pub/latest.png"
report $? "latest.json names seq $seq and board file $image, the same picture as latest.png"

boards=$(ls "$pub" | grep -c '^board-.*\.png$')
temps=$(ls -A "$pub" | grep -c '^\.')
[ "$boards" -ge 1 ] && [ "$boards" -le 3 ] && [ "$temps" = 0 ] &&
	[[ "$image" =~ ^board-$seq-[0-9]{8}T[0-9]{6}\+0900\.png$ ]]
report $? "at most --publish-keep 3 board files ($boards), no temporary files left ($temps), named board-SEQ-TIME"

size=$(identify -format "%wx%h" "$pub/latest.png" 2>/dev/null)
want=$(json "$pub/latest.json" '"%dx%d" % (d["width"], d["height"])')
perms=$(stat -c %a "$pub/latest.png" "$pub/latest.json" "$pub/index.html" | sort -u | tr '\n' ' ')
[ "$size" = 1280x720 ] && [ "$want" = 1280x720 ] && [ "$perms" = "644 " ]
report $? "latest.png is the window's size ($size, json $want); every file readable by all ($perms)"

pm10=$(json "$pub/latest.json" '[t["text"] for t in d["tiles"] if t["id"] == "pm10"][0]')
sources=$(json "$pub/latest.json" '",".join("%s:%s" % (s["name"], s["data_time"] is not None) for s in d["sources"])')
[[ "$pm10" =~ ^[0-9,]+\ ㎍/㎥ ]] && [ "$sources" = "default:True" ]
report $? "latest.json lists the PM10 tile as the screen shows it (\"$pm10\") and each source's data time ($sources)"

# The label: white text on a dark plate in the top right corner, where the live screen has
# only the dark margin.
label_max=$(convert "$pub/latest.png" -crop 260x14+1000+10 -colorspace Gray -format "%[fx:maxima]" info: 2>/dev/null)
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > 0.8 else 1)" "${label_max:-0}"
report $? "the seq and data time are drawn in the picture's top right corner (brightest $label_max)"

# The page in a real browser.
if ! command -v chromium >/dev/null 2>&1; then
	for name in "the page shows latest.json's seq" "the page shows its picture" \
		"the page notes stale data"; do
		report 0 "$name # SKIP chromium not installed (tools/setup --browser)"
	done
else
	python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$out" >"$out/httpd.log" 2>&1 &
	httpd=$!
	hport=
	for _ in $(seq 1 50); do
		hport=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$out/httpd.log" | head -1)
		[ -n "$hport" ] && break
		sleep 0.1
	done
	# page DIR: the DOM of DIR/index.html after up to 10 s of the page's virtual time.
	page() {
		HOME="$out/home" timeout 90 chromium --headless --no-sandbox --disable-gpu \
			--no-first-run --disable-extensions --user-data-dir="$out/chromium" \
			--virtual-time-budget=10000 --dump-dom \
			"http://127.0.0.1:$hport/$1/index.html" 2>>"$out/chromium.log"
	}
	page pub >"$out/dom.html"
	grep -q "<strong id=\"seq\">$seq</strong>" "$out/dom.html" && grep -qF "$pm10" "$out/dom.html"
	report $? "the page shows latest.json's seq ($seq) and the PM10 value in its table"
	img=$(grep -o '<img id="board"[^>]*>' "$out/dom.html")
	[[ "$img" == *"data-loaded=\"1\""* ]] && [[ "$img" == *"data-seq=\"$seq\""* ]] &&
		[[ "$img" == *"?seq=$seq"* ]] && [[ "$img" == *'alt="'* ]]
	report $? "the page shows its picture of seq $seq, loaded, with alt text (${img:0:160}…)"
	# The same files an hour later: the page says the picture is old.
	mkdir -p "$out/old"
	cp "$pub/index.html" "$pub/latest.png" "$out/old/"
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d['generated_at_epoch'] -= 3600; d['image'] = None; json.dump(d, open(sys.argv[2], 'w'))" \
		"$pub/latest.json" "$out/old/latest.json"
	page old >"$out/dom-old.html"
	grep -q 'id="stale" role="status" class="shown"' "$out/dom-old.html"
	report $? "the page notes that a picture an hour old is stale"
fi

# A missing DIR: reported in the status file while the wall runs on; found once it exists.
"$bin" --layout layouts/demo.json --feed "http://127.0.0.1:$port/feeds/city.json" \
	--present surface --size 640x360 --no-cache --publish "$out/later" --every 1 \
	--status-file "$out/status.json" >"$out/app2.log" 2>&1 &
app=$!
wait_status() { # wait_status EXPR SECONDS
	local end_at
	end_at=$(deadline "$2")
	while [ "$(date +%s)" -le "$end_at" ]; do
		[ "$(json "$out/status.json" "$1")" = True ] && return 0
		sleep 0.2
	done
	return 1
}
wait_status '"No such file" in (d["publish"]["error"] or "") and d["publish"]["seq"] == 0' 30
missing=$?
mkdir "$out/later"
wait_status 'd["publish"]["error"] is None and d["publish"]["seq"] >= 1' 30
found=$?
[ -f "$out/later/latest.png" ] && [ -f "$out/later/index.html" ] && [ $missing = 0 ] &&
	[ $found = 0 ] && kill -0 $app 2>/dev/null
report $? "a missing DIR is in the status file ($missing) while the wall runs; once made it is published to ($found)"
kill -TERM $app
wait $app
app=
grep -h "publish: #.* queued" "$out/app.log" | tail -2 | sed 's/^/# /'
