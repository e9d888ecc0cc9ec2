#!/usr/bin/env python3
"""A stand-in for citywall in tools/soak's self-test: takes the same options, rewrites the
status file every second and exits 0 on SIGTERM; leaks SOAK_STANDIN_LEAK_KB kilobytes (of
touched memory) every 100 ms, and once SOAK_STANDIN_STEP_KB at SOAK_STANDIN_STEP_AT seconds (an
allocator arena that grows once and stays). It lets the self-test show that the soak's bounds
can fail, and that a single step is not taken for a leak."""
import json
import os
import signal
import sys
import time

args = sys.argv[1:]
status = args[args.index("--status-file") + 1] if "--status-file" in args else None
leak_kb = int(os.environ.get("SOAK_STANDIN_LEAK_KB", "0"))
step_kb = int(os.environ.get("SOAK_STANDIN_STEP_KB", "0"))
step_at = float(os.environ.get("SOAK_STANDIN_STEP_AT", "0"))
started = time.monotonic()
stop = False


def on_term(signum, frame):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)
kept = []
count = 0
while not stop:
    if leak_kb:
        kept.append(b"\x01" * (leak_kb * 1024))
    if step_kb and time.monotonic() - started >= step_at:
        kept.append(b"\x01" * (step_kb * 1024))
        step_kb = 0
    count += 1
    if status and count % 10 == 0:
        with open(status + ".tmp", "w") as f:
            json.dump({"sources": [], "frames": {"count": count, "late_ms": {"p50": 1, "p99": 2,
                                                                            "max": 3}}}, f)
        os.rename(status + ".tmp", status)
    time.sleep(0.1)
sys.exit(0)
