#!/usr/bin/env bash
# display_at: two walls (two processes, one layout, each with its own status file and its own
# half of one canvas) in windows under Xvfb poll feedsim, which stamps every document with display_at = its tick + 1.5 s. Both
# hold each fetched snapshot until display_at and switch to it in the first frame at or after
# it: never early, and (measured) within a frame or so. A display_at far in the future is
# refused as clock trouble; --screenshot --at T draws what would be on screen at T. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh" display-at-test
echo "1..5"
cleanup() {
	[ -n "${a:-}" ] && kill "$a" 2>/dev/null
	[ -n "${b:-}" ] && kill "$b" 2>/dev/null
	[ -n "${sim:-}" ] && kill "$sim" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

start_feedsim --tick 3 --display-at 1.5
feed="http://127.0.0.1:$port/feeds/city.json"
# The two walls are the two halves of one canvas (--viewport), as two machines of a wall are.
for w in a b; do
	x=0
	[ "$w" = b ] && x=960
	"$bin" --layout tests/layouts/truth-live.json --feed "$feed" --present surface \
		--canvas 1920x540 --viewport "$x,0,960,540" --no-cache \
		--status-file "$out/$w.json" >"$out/$w.log" 2>&1 &
	eval "$w=\$!"
done

# switch FILE: "seq display_at shown_at" of what FILE's wall shows
switch() {
	python3 - "$1" <<'PY' 2>/dev/null
import json, sys
s = json.load(open(sys.argv[1]))["sources"][0]
print(s["on_screen_seq"], s["on_screen_display_at"], s["shown_at"])
PY
}
# Waits (40 s at most) until both walls show one seq they switched to while running (not the
# first one they found); sets sa and sb.
both_switched() {
	local end_at first
	end_at=$(deadline 40)
	first=
	while [ "$(date +%s)" -le "$end_at" ]; do
		sa=$(switch "$out/a.json")
		sb=$(switch "$out/b.json")
		read -r qa _ <<<"$sa"
		read -r qb _ <<<"$sb"
		if [ -n "$qa" ] && [ "$qa" != None ] && [ -z "$first" ]; then first=$qa; fi
		if [ -n "$first" ] && [ "$qa" = "$qb" ] && [ "$qa" -gt $((first + 1)) ] 2>/dev/null; then
			return 0
		fi
		sleep 0.3
	done
	return 1
}
both_switched
report $? "both walls show the same seq (a: $sa; b: $sb)"

# never before display_at; the lateness is printed (timing is measured, not judged, beyond a
# generous bound for a loaded machine)
python3 - "$sa" "$sb" <<'PY'
import sys
ok = True
for line in sys.argv[1:]:
    seq, at, shown = line.split()
    late = (float(shown) - float(at)) * 1000
    print("# seq %s: shown %.1f ms after display_at" % (seq, late))
    ok &= 0 <= late < 250
sys.exit(0 if ok else 1)
PY
report $? "each switched at or after display_at, not before"
python3 -c "import sys; a=float(sys.argv[1].split()[2]); b=float(sys.argv[2].split()[2]); print('# the walls switched %.1f ms apart' % (abs(a-b)*1000)); sys.exit(0 if abs(a-b) < 0.25 else 1)" "$sa" "$sb"
report $? "the two walls switched together"
kill -TERM "$a" "$b"
wait "$a" "$b"
a= b=

# --screenshot --at T: a document held until 09:00:30 is not on screen at 09:00:00, but is at
# 09:00:30; one dated 5 min ahead is refused as clock trouble.
doc() {
	printf '{"seq": 9, "generated_at": "2026-11-25T08:59:00+09:00", "display_at": "%s",
	  "air": {"city": {"pm10": 95}}, "traffic": {"speed": {"all": 20}},
	  "safety": {"fire": {"today": 3}}}' "$1" >"$out/doc.json"
}
shot() { # shot AT NAME: the kpi's strip colour "r b" in a screenshot at AT
	"$bin" --layout tests/layouts/truth-live.json --feed "$out/doc.json" --no-cache --size 1280x720 \
		--at "$1" --screenshot "$out/$2.png" >"$out/$2.log" 2>&1
	convert "$out/$2.png" -format '%[fx:int(255*p{300,26}.r)] %[fx:int(255*p{300,26}.b)]' info:
}
doc "2026-11-25T09:00:30+09:00"
before=$(shot 2026-11-25T09:00:00+09:00 before)
after=$(shot 2026-11-25T09:00:30+09:00 after)
read -r r1 b1 <<<"$before"
read -r r2 b2 <<<"$after"
# pm10 is "good" in this layout: its strip is blue; with no data it is not.
[ -n "$r2" ] && [ "$b2" -gt $((r2 + 120)) ] && ! [ "$b1" -gt $((r1 + 120)) ]
report $? "--screenshot --at T shows the snapshot only from its display_at (strip before: $before, at: $after)"
doc "2026-11-25T09:05:00+09:00"
shot 2026-11-25T09:00:00+09:00 ahead >/dev/null
grep -q "display_at.*ahead of this wall's clock" "$out/ahead.log"
report $? "a display_at 5 min ahead is refused: $(grep -o 'display_at.*' "$out/ahead.log" | head -1)"
