#!/usr/bin/env bash
# Schedules (layouts/incident-demo.json): a weekday 07:30 shows the commute page, a Saturday
# 07:30 and a weekday 09:30 the rotation; 22:30 and 05:30 the night theme, 21:30 the day one.
# Headless screenshots at fixed --at times, checked by pixels: the page's geometry (a gap of
# the city page that a commute tile covers) and the background. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh" schedule-test
echo "1..7"
quiet="$src/tests/data/incident-safety-quiet.json"
# shot NAME AT: the board at AT with no alert, 960x540.
shot() {
	"$bin" --layout layouts/incident-demo.json --feed "safety=$quiet" --no-cache --size 960x540 \
		--at "$2" --screenshot "$out/$1.png" >"$out/$1.log" 2>&1
}
pixel() { convert "$out/$1.png" -format "%[hex:p{$2,$3}]" info: 2>/dev/null; }
# The commute page's first tile spans four columns; the city page has a gap at x 244.
commute() { [ "$(pixel "$1" 244 300)" != "$(pixel "$1" 5 5)" ]; }
dark() { local p; p=$(pixel "$1" 5 5); [ $((16#${p:0:2} + 16#${p:2:2} + 16#${p:4:2})) -lt 150 ]; }

shot wed-0730 2026-11-25T07:30:00+09:00 && commute wed-0730
report $? "a Wednesday 07:30 shows the commute page"
shot sat-0730 2026-11-28T07:30:00+09:00 && ! commute sat-0730
report $? "a Saturday 07:30 shows the rotation (the commute entry is mon-fri)"
shot wed-0930 2026-11-25T09:30:00+09:00 && ! commute wed-0930
report $? "a Wednesday 09:30 shows the rotation (\"to\" is not included)"
shot wed-2230 2026-11-25T22:30:00+09:00 && dark wed-2230
report $? "22:30 shows the night theme"
shot thu-0530 2026-11-26T05:30:00+09:00 && dark thu-0530
report $? "05:30 the next morning still shows the night theme (over midnight)"
shot wed-2130 2026-11-25T21:30:00+09:00 && ! dark wed-2130
report $? "21:30 shows the layout's light theme"
# A schedule naming a page that does not exist is a layout error with its line.
sed 's|"page": "commute", "days"|"page": "comute", "days"|' layouts/incident-demo.json \
	>"$out/misspelt.json"
"$bin" --check "$out/misspelt.json" >"$out/check.log" 2>&1
rc=$?
[ $rc = 1 ] && grep -q 'misspelt.json:[0-9]*: /schedule/0/page: unknown page "comute" (did you mean "commute"?)' \
	"$out/check.log"
ok=$?
report $ok "an unknown page in a schedule is an error with its line and a did-you-mean"
[ $ok = 0 ] || sed 's/^/# /' "$out/check.log"
