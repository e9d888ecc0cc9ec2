#!/usr/bin/env bash
# systemd integration. First the notify protocol itself, against a fake $NOTIFY_SOCKET (a
# datagram socket in Python): READY=1 after the first frame, WATCHDOG=1 at WATCHDOG_USEC/2,
# STATUS= with the sources, STOPPING=1 on SIGTERM. Then tools/citywall.service for real,
# under a `systemd --user` manager this test starts itself (in a private mount namespace
# where /run/systemd/system exists, since PID 1 here is not systemd): the unit is active only
# after READY, and a SIGSTOPped wall is killed by the watchdog and restarted. Prints TAP.
set -u

# --inner DIR: runs inside the namespace; prints "PASS|FAIL|INFO text" lines for the outer.
if [ "${1:-}" = --inner ]; then
	d=$2
	mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system || {
		echo "SKIP cannot fake a booted systemd in a mount namespace"
		exit 0
	}
	export XDG_RUNTIME_DIR=$d/run XDG_CONFIG_HOME=$d/config
	/lib/systemd/systemd --user >"$d/manager.log" 2>&1 &
	manager=$!
	for _ in $(seq 1 100); do [ -S "$XDG_RUNTIME_DIR/systemd/private" ] && break; sleep 0.1; done
	ctl() { systemctl --user "$@"; }
	show() { ctl show -p "$1" --value citywall.service; }
	ctl daemon-reload
	# Type=notify: start returns once READY=1 came (or fails).
	if ctl start citywall.service; then
		state=$(show ActiveState)
		[ "$state" = active ] && echo "PASS the unit starts and is active ($state; status: $(show StatusText))" ||
			echo "FAIL the unit starts and is active ($state)"
		# READY comes after a frame is shown; the status file, written just after, counts it.
		frames=
		for _ in $(seq 1 50); do
			frames=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["frames"]["count"])' \
				"$XDG_RUNTIME_DIR/citywall/status.json" 2>/dev/null) && break
			sleep 0.1
		done
		[ "${frames:-0}" -ge 1 ] 2>/dev/null && echo "PASS READY came with a frame on screen ($frames frames)" ||
			echo "FAIL READY came with a frame on screen (${frames:-no status file})"
		pid=$(show MainPID)
		kill -STOP "$pid"
		restarted=1
		for _ in $(seq 1 300); do
			if [ "$(show NRestarts)" -ge 1 ] && [ "$(show MainPID)" != "$pid" ] &&
				[ "$(show ActiveState)" = active ]; then
				restarted=0
				break
			fi
			sleep 0.1
		done
		[ $restarted = 0 ] && echo "PASS a hung wall (SIGSTOP) is killed by the watchdog and restarted (NRestarts $(show NRestarts), result $(show Result))" ||
			echo "FAIL a hung wall (SIGSTOP) is killed by the watchdog and restarted (NRestarts $(show NRestarts), $(show ActiveState))"
		kill -CONT "$pid" 2>/dev/null
		ctl stop citywall.service
	else
		echo "FAIL the unit starts and is active ($(show ActiveState))"
		echo "FAIL READY came with a frame on screen"
		echo "FAIL a hung wall (SIGSTOP) is killed by the watchdog and restarted"
		ctl status citywall.service --no-pager 2>&1 | sed 's/^/INFO /'
	fi
	kill "$manager"
	wait "$manager"
	exit 0
fi

. "$(dirname "$0")/tap.sh" systemd-test
echo "1..5"
cleanup() { [ -n "${app:-}" ] && kill -9 "$app" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT

# 1-2: the protocol, against a fake notify socket.
python3 - "$bin" "$out" <<'PY'
import json, os, select, signal, socket, subprocess, sys, time
bin, out = sys.argv[1], sys.argv[2]
path = os.path.join(out, "notify.sock")
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="1000000")
app = subprocess.Popen([bin, "--layout", "tests/layouts/states.json", "--no-cache",
                        "--present", "surface", "--size", "640x360",
                        "--status-file", os.path.join(out, "status.json")],
                       env=env, stderr=open(os.path.join(out, "app.log"), "w"))
messages = []
def receive(until, deadline):
    while not until() and time.monotonic() < deadline:
        if select.select([sock], [], [], 0.5)[0]:
            messages.append(sock.recv(4096).decode())
receive(lambda: messages.count("WATCHDOG=1") >= 3, time.monotonic() + 30)
app.send_signal(signal.SIGTERM)
receive(lambda: "STOPPING=1" in messages, time.monotonic() + 10)
rc = app.wait(timeout=30)
print("# received: %s" % ", ".join(m.splitlines()[0][:60] for m in messages[:8]))
ready = "READY=1" in messages
status = [m for m in messages if m.startswith("STATUS=")]
ok = (ready and messages.count("WATCHDOG=1") >= 3 and status and
      status[0].startswith("STATUS=layout ok; default ") and "STOPPING=1" in messages and rc == 0)
print("# protocol: %s" % ("as expected" if ok else "NOT as expected"))
sys.exit(0 if ok else 1)
PY
proto=$?
tail -1 "$out/app.log" | grep -q "SIGTERM: stopping"
[ $proto = 0 ] && [ $? = 0 ]
report $? "notify protocol: READY=1, WATCHDOG=1 every WATCHDOG_USEC/2, STATUS=, STOPPING=1"
grep -q "systemd watchdog: pinging every 0.5 s" "$out/app.log"
report $? "the watchdog interval is taken from WATCHDOG_USEC (half of it)"

# 3-5: the unit under a real user manager.
skip=
if [ "$(id -u)" != 0 ]; then
	skip="needs root to start a private systemd --user manager in a mount namespace"
elif [ ! -x /lib/systemd/systemd ] || ! command -v systemctl >/dev/null; then
	skip="systemd is not installed"
elif ! unshare --mount --propagation private true 2>/dev/null; then
	skip="unshare --mount is not allowed here"
fi
if [ -n "$skip" ]; then
	for _ in 1 2 3; do
		tap_count=$((tap_count + 1))
		echo "ok $tap_count # SKIP $skip"
	done
	exit 0
fi
d="$out/sd"
mkdir -p "$d/config/systemd/user" "$d/run"
chmod 700 "$d/run"
# The unit as shipped, with this build's binary, a test layout, no fullscreen, the surface
# backend, any free port, a shorter watchdog and no core dumps.
sed -e "s|^ExecStart=/usr/local/bin/citywall --layout %h/citywall/wall.json --fullscreen|ExecStart=$bin --layout $src/tests/layouts/states.json --no-cache --present surface --size 640x360|" \
	-e "s|--health 127.0.0.1:8790|--health 0|" \
	-e "s|^WatchdogSec=10|WatchdogSec=3\nLimitCORE=0\nEnvironment=DISPLAY=$DISPLAY XAUTHORITY=${XAUTHORITY:-}|" \
	-e "s|^RestartSec=2|RestartSec=1|" \
	tools/citywall.service >"$d/config/systemd/user/citywall.service"
grep -q "^ExecStart=$bin" "$d/config/systemd/user/citywall.service" || echo "# the unit's ExecStart changed; update this test"
timeout 120 unshare --mount --propagation private "$0" --inner "$d" >"$d/inner.out" 2>"$d/inner.err"
sed -n 's/^INFO /# /p' "$d/inner.out"
if grep -q '^SKIP' "$d/inner.out"; then
	reason=$(sed -n 's/^SKIP //p' "$d/inner.out")
	for _ in 1 2 3; do
		tap_count=$((tap_count + 1))
		echo "ok $tap_count # SKIP $reason"
	done
	exit 0
fi
for n in 1 2 3; do
	line=$(grep -E '^(PASS|FAIL)' "$d/inner.out" | sed -n "${n}p")
	[ "${line%% *}" = PASS ]
	report $? "${line#* }"
done
