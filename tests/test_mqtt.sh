#!/usr/bin/env bash
# An MQTT source through a real mosquitto on loopback, in a real window under Xvfb: the
# retained message is shown, a live update arrives, a bad payload and a seq going backwards keep
# the last good, a broker restart brings the retained snapshot again, a broker down keeps the
# last good (stale on time, the status names it) and the wall reconnects when it is back; a
# --screenshot takes the broker's retained snapshot. A broker that drops packets (a firewall, a dead
# route: here a listener whose accept queue is full) is named after connect_timeout, and neither
# a layout reload away from it nor SIGTERM waits for the kernel's two minutes of SYN retries.
# Prints TAP.
set -u
. "$(dirname "$0")/tap.sh" mqtt-test
if ! command -v mosquitto >/dev/null || ! command -v mosquitto_pub >/dev/null; then
	echo "1..0 # SKIP mosquitto or mosquitto_pub is not installed (tools/setup installs them)"
	exit 0
fi
echo "1..12"
cleanup() {
	[ -n "${app:-}" ] && kill "$app" 2>/dev/null
	[ -n "${broker:-}" ] && kill "$broker" 2>/dev/null
	[ -n "${hole:-}" ] && kill "$hole" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

mport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$out/mosquitto.conf" <<CONF
listener $mport 127.0.0.1
allow_anonymous true
persistence true
persistence_location $out/
user $(id -un)
CONF
start_broker() {
	mosquitto -c "$out/mosquitto.conf" >>"$out/broker.log" 2>&1 &
	broker=$!
	for _ in $(seq 1 100); do
		mosquitto_pub -h 127.0.0.1 -p "$mport" -t citywall/probe -m x 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
stop_broker() { kill -TERM "$broker"; wait "$broker" 2>/dev/null; broker=; }
# publish SEQ PM10 [TIME]: a retained snapshot (data time: now unless given)
publish() {
	mosquitto_pub -h 127.0.0.1 -p "$mport" -t citywall/city -r -q 1 \
		-m "{\"seq\": $1, \"generated_at\": \"${3:-$(date -Iseconds)}\", \"air\": {\"pm10\": $2}}"
}
field() {
	python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['sources'][0]; print(s[sys.argv[2]])" \
		"$out/status.json" "$1" 2>/dev/null
}
is() { [ "$(field "$1")" = "$2" ]; }
has() { [[ "$(field "$1")" == *"$2"* ]]; }
# all "CHECK" ...: every check (a command line as one word) holds in one reading
all() { for c in "$@"; do eval "$c" || return 1; done; }
feed="mqtt://127.0.0.1:$mport/citywall/city"

start_broker
publish 1 42
"$bin" --layout tests/layouts/mqtt.json --feed "$feed" --present surface --size 1280x720 \
	--cache-dir "$out/cache" --status-file "$out/status.json" >"$out/app.log" 2>&1 &
app=$!
wait_until 30 all "is on_screen_seq 1" "is state ok"
report $? "the retained snapshot is shown (state $(field state), on screen seq $(field on_screen_seq))"

publish 2 95
wait_until 15 all "is on_screen_seq 2" "is seq 2"
report $? "a live update arrives and is shown; the status shows the pushed seq $(field seq)"

# A kpi drawn from the broker's retained snapshot: pm10 95 is "bad" (its top strip is red).
"$bin" --layout tests/layouts/mqtt.json --feed "$feed" --size 1280x720 --no-cache \
	--screenshot "$out/kpi.png" >"$out/shot.log" 2>&1
strip=$(convert "$out/kpi.png" -format '%[fx:int(255*p{300,26}.r)] %[fx:int(255*p{300,26}.b)]' info: 2>/dev/null)
read -r red blue <<<"$strip"
[ -n "$red" ] && [ "$red" -gt $((blue + 60)) ]
report $? "a --screenshot draws the pushed value in its state colour (strip r,b = $strip)"

mosquitto_pub -h 127.0.0.1 -p "$mport" -t citywall/city -r -q 1 -m '{"seq": 7, "air": '
wait_until 15 all "has last_error 'bad payload'" "is on_screen_seq 2"
report $? "a bad payload keeps the last good (error: $(field last_error))"

publish 1 10 "$(date -Iseconds -d '-1 hour')"
wait_until 15 all "has last_error 'seq went backwards'" "is on_screen_seq 2"
report $? "a seq going backwards is refused (error: $(field last_error))"

publish 3 50
wait_until 15 all "is on_screen_seq 3" "is state ok"
fetches=$(field fetches)
stop_broker
start_broker
# Its data may have aged past max_age meanwhile: no error and a new delivery is what counts.
wait_until 45 all '[ "$(field fetches)" -gt $((fetches + 1)) ]' "is last_error ''" \
	"is on_screen_seq 3"
report $? "the broker restarted: the wall reconnects and gets the retained snapshot again (fetches $fetches -> $(field fetches))"

stop_broker
wait_until 15 all "has last_error 'broker down'" "is state failing" "is on_screen_seq 3"
report $? "broker down: the last good stays, the status names it (error: $(field last_error))"
wait_until 45 is stale True
report $? "broker down: the data turns stale after max_age (stale $(field stale))"

start_broker
wait_until 45 all "is last_error ''" "is on_screen_seq 3"
publish 4 60
wait_until 15 all "is on_screen_seq 4" "is state ok" "is stale False"
report $? "the broker is back: the wall reconnects and shows the next snapshot (seq $(field on_screen_seq), $(field state))"
kill -TERM $app
wait $app
app=

# A black hole: a listener with a full accept queue, so the kernel drops further SYNs.
hport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$hport" <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
s = socket.socket()
s.bind(("127.0.0.1", port))
s.listen(0)
held = []
for _ in range(3):
    c = socket.socket()
    c.setblocking(False)
    try:
        c.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    held.append(c)
time.sleep(600)
PY
hole=$!
sleep 0.5
sed "s|mqtt://127.0.0.1:1883/citywall/city|mqtt://127.0.0.1:$hport/citywall/city|" \
	tests/layouts/mqtt.json >"$out/hole.json"
"$bin" --layout "$out/hole.json" --present surface --size 1280x720 --no-cache \
	--status-file "$out/status.json" >"$out/hole.log" 2>&1 &
app=$!
wait_until 30 all "has last_error 'no answer from 127.0.0.1:$hport within'" "is state failing"
report $? "a broker that drops packets is named after connect_timeout (error: $(field last_error))"

# A save pointing the layout at the live broker replaces the blocked client at once.
publish 5 70
sed -i "s|127.0.0.1:$hport|127.0.0.1:$mport|" "$out/hole.json"
wait_until 20 all "is on_screen_seq 5" "is state ok"
report $? "a reload away from a black-holed broker takes effect (seq $(field on_screen_seq), $(field state))"

# Back to the black hole, then SIGTERM while the client is connecting.
sed -i "s|127.0.0.1:$mport|127.0.0.1:$hport|" "$out/hole.json"
wait_until 20 has last_error "no answer from 127.0.0.1:$hport"
kill -TERM $app
wait_until 20 eval '! kill -0 $app 2>/dev/null'
report $? "SIGTERM while connecting to a black hole exits promptly"
wait $app 2>/dev/null
app=
