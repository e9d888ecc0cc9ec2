#!/usr/bin/env bash
# The health endpoint of a running wall (under Xvfb): GET /health answers the status document
# with the process's fields and frame statistics, anything else is 404, and clients that never
# send their request do not hold up the frames (the frame count keeps growing meanwhile).
# Non-loopback addresses are refused in tests/test_cli.c. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh" health-test
echo "1..6"
cleanup() { [ -n "${app:-}" ] && kill -9 "$app" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT

# A live clock (no --at): the clock tile draws a frame every second.
"$bin" --layout layouts/demo.json --no-cache --present surface --size 960x540 --health 0 \
	--status-file "$out/status.json" >"$out/app.log" 2>&1 &
app=$!
port=
for _ in $(seq 1 150); do
	port=$(sed -n 's/.*health endpoint on port \([0-9]*\): GET \/health$/\1/p' "$out/app.log")
	[ -n "$port" ] && [ -s "$out/status.json" ] && break
	sleep 0.1
done
curl -s --max-time 10 "http://127.0.0.1:$port/health" >"$out/health.json"
python3 - "$out/health.json" "$out/status.json" "$app" <<'PY'
import json, sys
health = json.load(open(sys.argv[1]))
status = json.load(open(sys.argv[2]))
assert health["pid"] == int(sys.argv[3]), health["pid"]
assert health["version"].count(".") == 2
assert health["uptime_s"] >= 0
assert health["layout"] == {"file": "layouts/demo.json", "state": "ok", "errors": [],
                            "page": "main", "theme": None}
assert health["emergency"] is None
assert health["sources"][0]["name"] == "default"
frames = health["frames"]
assert frames["count"] >= 1 and frames["window"] == 2048
for key in ("draw_ms", "present_ms", "late_ms"):
    assert set(frames[key]) == {"p50", "p99", "max"}, frames[key]
assert frames["draw_ms"]["p50"] <= frames["draw_ms"]["max"]
# The first frame is put whole; moves happen only on a crawl (demo.json has none running yet).
assert frames["put_bytes"] >= 4 * health["memory"]["width"] * health["memory"]["height"], frames
assert frames["moved_bytes"] >= 0, frames
assert set(health) == set(status), set(health) ^ set(status)
PY
report $? "GET /health answers the status document with version, pid, uptime, layout, frames"

code=$(curl -s -o "$out/404.json" -w '%{http_code}' --max-time 10 "http://127.0.0.1:$port/status")
[ "$code" = 404 ]
report $? "any other path is 404 (got $code)"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST "http://127.0.0.1:$port/health")
[ "$code" = 404 ]
report $? "a POST is 404 too (got $code)"

# Ten clients connect and never send a request: the server takes them one at a time, each for
# its 1 s timeout; meanwhile the render loop goes on drawing the clock's frames.
python3 - "$port" "$out/status.json" <<'PY'
import json, socket, sys, time
port, status = int(sys.argv[1]), sys.argv[2]
count = lambda: json.load(open(status))["frames"]["count"]
slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(10)]
start = count()
deadline = time.monotonic() + 15
while count() < start + 2 and time.monotonic() < deadline:
    time.sleep(0.1)
print("# frames while slow clients were connected: %d -> %d" % (start, count()))
sys.exit(0 if count() >= start + 2 else 1)
PY
report $? "clients that never send a request do not hold up frames"
curl -s --max-time 20 "http://127.0.0.1:$port/health" | grep -q '"frames"'
report $? "after them the endpoint answers again"
kill -TERM $app
wait $app
app=

# A status file that cannot be written is not silent: the health document and the operator
# strip say so (monitoring reading a file that stopped changing would see a healthy wall).
"$bin" --layout layouts/demo.json --no-cache --present surface --size 960x540 --health 0 \
	--status-file "$out/missing/status.json" >"$out/app2.log" 2>&1 &
app=$!
port=
for _ in $(seq 1 150); do
	port=$(sed -n 's/.*health endpoint on port \([0-9]*\): GET \/health$/\1/p' "$out/app2.log")
	[ -n "$port" ] && grep -q "status file not updated" "$out/app2.log" && break
	sleep 0.1
done
for _ in $(seq 1 50); do
	curl -s --max-time 10 "http://127.0.0.1:$port/health" >"$out/health2.json"
	grep -q '"status_file_error":.*No such file or directory' "$out/health2.json" && break
	sleep 0.2
done
grep -q '"status_file_error":	"status file not updated: cannot write '"$out"'/missing/status.json: No such file or directory"' "$out/health2.json"
report $? "status_file_unwritable_reported: the health document names the unwritable status file"
kill -TERM $app
wait $app
app=
