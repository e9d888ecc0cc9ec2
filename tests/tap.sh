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
# Xvfb resets itself whenever its last client disconnects and refuses connections meanwhile
# (xvfb-run does not pass -noreset), so a window opened just after another program closed
# failed at random, more often on a loaded machine. Hold one connection open for the life of
# this test (the holder reconnects if it lost the race, and leaves when this shell does; it is
# not a job of this shell, so the tests' `wait` does not wait for it), and wait until the
# server answers.
test_shell=$$
( (while kill -0 "$test_shell" 2>/dev/null; do
	xprop -root -spy >/dev/null 2>&1 &
	holder=$!
	while kill -0 "$test_shell" 2>/dev/null && kill -0 "$holder" 2>/dev/null; do sleep 0.5; done
	kill "$holder" 2>/dev/null
	sleep 0.1
done) & )
x_ready=1
for _ in $(seq 1 600); do
	xprop -root >/dev/null 2>&1 && { x_ready=0; break; }
	sleep 0.1
done
if [ $x_ready != 0 ]; then
	echo "Bail out! the X server on $DISPLAY did not answer within 60 s"
	exit 1
fi
tap_count=0
# report STATUS NAME: one TAP line; STATUS 0 is a pass.
report() {
	tap_count=$((tap_count + 1))
	if [ "$1" = 0 ]; then echo "ok $tap_count - $2"; else echo "not ok $tap_count - $2"; fi
}
# deadline SECONDS: prints the time (in s since the epoch) SECONDS from now; waits in these
# tests are bounded by time, not by a number of tries, so a slow machine gets the same time.
deadline() { echo $(($(date +%s) + $1)); }
# wait_until SECONDS COMMAND...: runs COMMAND every 0.2 s until it succeeds (0) or SECONDS pass (1).
wait_until() {
	local end_at
	end_at=$(deadline "$1")
	shift
	while [ "$(date +%s)" -le "$end_at" ]; do
		"$@" && return 0
		sleep 0.2
	done
	return 1
}
# window_origin NAME: sets wx, wy to the top-left corner of the window titled NAME (waits up
# to 60 s for it to be mapped: a loaded machine can take long to start the binary).
window_origin() {
	local end_at
	end_at=$(deadline 60)
	while [ "$(date +%s)" -le "$end_at" ]; do
		xwininfo -name "$1" 2>/dev/null | grep -q 'Map State: IsViewable' && break
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
# wait_pixel X Y TEST: polls the screen (up to 30 s) until TEST COLOUR succeeds; sets px.
wait_pixel() {
	local end_at
	end_at=$(deadline 30)
	while [ "$(date +%s)" -le "$end_at" ]; do
		px=$(screen_pixel "$1" "$2")
		"$3" "$px" && return 0
		sleep 0.2
	done
	return 1
}
# start_feedsim [ARGS]: tools/feedsim on a free loopback port, clock starting now (its output in
# $out/sim.out); sets sim (its pid) and port. control QUERY posts to its /control.
start_feedsim() {
	python3 tools/feedsim --port 0 --quiet --start-time "$(date -Iseconds)" "$@" >"$out/sim.out" &
	sim=$!
	port=
	for _ in $(seq 1 50); do
		port=$(sed -n 's|^feedsim: listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$out/sim.out")
		[ -n "$port" ] && break
		sleep 0.1
	done
}
control() { curl -s -X POST "http://127.0.0.1:$port/control?$1" >/dev/null; }
