# Sourced by the shell tests: TAP output and the environment every display test needs.
# Sets bin, src and out (a fresh folder named after the test); skips without an X display.
bin=${CITYWALL_BIN:?}
src=${CITYWALL_SOURCE_ROOT:?}
out=${CITYWALL_BUILD_ROOT:?}/$1
rm -rf "$out"
mkdir -p "$out"
cd "$src" || exit 1
if [ -z "${DISPLAY:-}" ]; then
	echo "1..0 # SKIP no X display (run through xvfb-run)"
	exit 0
fi
tap_count=0
# report STATUS NAME: one TAP line; STATUS 0 is a pass.
report() {
	tap_count=$((tap_count + 1))
	if [ "$1" = 0 ]; then echo "ok $tap_count - $2"; else echo "not ok $tap_count - $2"; fi
}
# window_origin NAME: sets wx, wy to the top-left corner of the window titled NAME.
window_origin() {
	for _ in $(seq 1 100); do
		xwininfo -name "$1" >/dev/null 2>&1 && break
		sleep 0.1
	done
	read -r wx wy <<<"$(xwininfo -name "$1" 2>/dev/null |
		awk '/Absolute upper-left X/{x=$NF} /Absolute upper-left Y/{y=$NF} END{print x+0" "y+0}')"
}
# screen_pixel X Y: the colour on screen at window coordinates X, Y (after window_origin).
screen_pixel() {
	import -window root "$out/screen.png" 2>/dev/null
	convert "$out/screen.png" -format "%[hex:p{$((wx + $1)),$((wy + $2))}]" info: 2>/dev/null
}
# wait_pixel X Y TEST: polls the screen (up to 10 s) until TEST COLOUR succeeds; sets px.
wait_pixel() {
	for _ in $(seq 1 50); do
		px=$(screen_pixel "$1" "$2")
		"$3" "$px" && return 0
		sleep 0.2
	done
	return 1
}
