#!/usr/bin/env python3
"""Tests for tools/feedsim, the simulated feed server (Python 3 standard library only).

Run as `python3 tests/test_feedsim.py` from anywhere. Prints TAP (1..N, ok / not ok lines,
"# " diagnostics); the exit status is 0 only when every test passes. Starts
`tools/feedsim --port 0 --seed 1 --tick 1 --quiet` (plus a fixed --start-time), and two more
short-lived instances for the determinism and day-rollover checks.
"""

import contextlib
import datetime as dt
import email.utils
import gzip
import http.client
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FEEDSIM = os.path.join(ROOT, "tools", "feedsim")
DEMO = os.path.join(ROOT, "layouts", "data", "demo-snapshot.json")
START = "2026-11-25T09:00:00+09:00"
START_DT = dt.datetime.fromisoformat(START)
FEEDS = ["city", "air", "traffic", "safety"]
FAULT_KINDS = ["none", "delay", "hang", "http500", "http404", "http503", "truncated",
               "invalid_json", "wrong_types", "bad_seq", "huge", "huge_chunked", "slow_drip",
               "reset", "empty", "old", "redirect_http", "redirect_file", "huge_header"]
HUGE = 50 * 1024 * 1024
LISTEN_RE = re.compile(r"^feedsim: listening on http://127\.0\.0\.1:(\d+)\n$")


# ------------------------------------------------------------------------------------------
# Server processes and HTTP helpers

class Feedsim:
    def __init__(self, *args):
        self.proc = subprocess.Popen([sys.executable, FEEDSIM] + list(args),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     cwd=ROOT)
        ready, _, _ = select.select([self.proc.stdout], [], [], 10)
        if not ready:
            self.kill()
            raise RuntimeError("feedsim printed nothing within 10 s")
        self.first_line = self.proc.stdout.readline().decode("utf-8", "replace")
        m = LISTEN_RE.match(self.first_line)
        if not m:
            err = self.kill()
            raise RuntimeError("unexpected first line %r; stderr: %s" % (self.first_line, err))
        self.port = int(m.group(1))

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        _, err = self.proc.communicate(timeout=5)
        return err.decode("utf-8", "replace")

    def stop(self, sig=signal.SIGTERM, within=2.0):
        """Sends sig; returns the exit status, or None when it did not exit in time."""
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=within)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
        self.proc.communicate(timeout=5)
        return rc

    def request(self, method, path, headers=None, timeout=5, body=None):
        """(status, lower-cased headers dict, body bytes) of one request on a new connection."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            conn.close()

    def get(self, path, headers=None, timeout=5):
        return self.request("GET", path, headers, timeout)

    def doc(self, feed, headers=None):
        status, hdrs, body = self.get("/feeds/%s.json" % feed, headers)
        if status != 200:
            raise AssertionError("GET %s: status %d" % (feed, status))
        return json.loads(body)

    def control(self, **params):
        status, _, body = self.request("POST", "/control?" + urllib.parse.urlencode(params))
        if status != 200:
            raise AssertionError("POST /control %r: %d %s" % (params, status, body[:200]))
        return json.loads(body)

    def state(self):
        status, _, body = self.get("/control")
        assert status == 200, status
        return json.loads(body)

    @contextlib.contextmanager
    def fault(self, kind, feed=None, **extra):
        params = {"fault": kind}
        if feed:
            params["feed"] = feed
        params.update(extra)
        self.control(**params)
        try:
            yield
        finally:
            self.control(fault="none")


def expect(cond, msg):
    if not cond:
        raise AssertionError(msg)


def key_paths(obj, prefix=""):
    """Every key path of nested objects ("air/city/pm10"), interior and leaves."""
    out = set()
    if isinstance(obj, dict):
        for k, v in obj.items():
            p = prefix + "/" + k if prefix else k
            out.add(p)
            out |= key_paths(v, p)
    return out


def leaves(obj, prefix=""):
    """{path: value} of the non-object values."""
    out = {}
    for k, v in obj.items():
        p = prefix + "/" + k if prefix else k
        if isinstance(v, dict):
            out.update(leaves(v, p))
        else:
            out[p] = v
    return out


def lookup(obj, path):
    for part in path.split("/"):
        if not isinstance(obj, dict) or part not in obj:
            return KeyError
        obj = obj[part]
    return obj


def kind_of(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    return type(v).__name__


with open(DEMO, encoding="utf-8") as f:
    DEMO_DOC = json.load(f)

S = None            # the main server (seed 1, tick 1)
TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


# ------------------------------------------------------------------------------------------
# The tests, in order (they share the main server; each fault test clears its fault).

@test
def help_lists_every_fault_kind():
    r = subprocess.run([sys.executable, FEEDSIM, "--help"], capture_output=True, timeout=10)
    expect(r.returncode == 0, "--help exit status %d" % r.returncode)
    text = r.stdout.decode("utf-8")
    for k in FAULT_KINDS:
        expect(re.search(r"^\s+%s\s+\S" % k, text, re.M), "--help lacks a line for %s" % k)
    for flag in ("--port", "--host", "--seed", "--tick", "--start-time", "--quiet",
                 "--allow-remote", "--chaos", "--chaos-seed", "--chaos-period",
                 "--dispatch-records"):
        expect(flag in text, "--help lacks %s" % flag)


@test
def startup_line_and_healthz():
    expect(LISTEN_RE.match(S.first_line), "first line %r" % S.first_line)
    status, hdrs, body = S.get("/healthz")
    expect(status == 200 and body == b"ok", "healthz: %d %r" % (status, body))


@test
def index_lists_feeds_and_faults():
    status, hdrs, body = S.get("/")
    expect(status == 200, "status %d" % status)
    expect(hdrs["content-type"] == "application/json; charset=utf-8", hdrs["content-type"])
    idx = json.loads(body)
    expect(idx["feeds"] == FEEDS, "feeds %r" % idx["feeds"])
    expect(sorted(idx["faults"]) == sorted(FAULT_KINDS), "faults %r" % idx["faults"])


@test
def unknown_feed_is_404_json():
    status, hdrs, body = S.get("/feeds/weather.json")
    expect(status == 404, "status %d" % status)
    expect(json.loads(body)["error"], "no error in %r" % body)
    status, _, body = S.get("/nothing/here")
    expect(status == 404 and json.loads(body)["error"], "other path: %d" % status)


@test
def seoul_boards_documents_evolve_with_the_bundled_keys():
    """/seoul/NAME.json: the bundled layouts/data/seoul-NAME.json's keys, this tick's seq,
    live figures moving with the tick and fixed ones (targets, names) kept."""
    for name in ("board", "air", "citydata-hongik"):
        with open(os.path.join(ROOT, "layouts", "data", "seoul-%s.json" % name),
                  encoding="utf-8") as f:
            bundled = json.load(f)
        S.control(tick=3)
        status, _, body = S.get("/seoul/%s.json" % name)
        expect(status == 200, "%s: status %d" % (name, status))
        a = json.loads(body)
        expect(key_paths(a) == key_paths(bundled), "%s: keys differ from the bundled file" % name)
        expect(a["seq"] == 4, "%s: seq %r at tick 3" % (name, a["seq"]))
        S.control(tick=4)
        b = json.loads(S.get("/seoul/%s.json" % name)[2])
        moved = [k for k, v in leaves(a).items() if leaves(b).get(k) != v and k != "seq"]
        expect(len(moved) > 3, "%s: only %r changed between ticks" % (name, moved))
    board = json.loads(S.get("/seoul/board.json")[2])
    expect(board["indicators"]["I01"]["target"] == bundled_target("I01"), "a target moved")
    expect(type(board["status"]["fire"]["today"]) is int, "a count became a float")
    air = json.loads(S.get("/seoul/air.json")[2])
    expect(re.fullmatch(r"[0-9]{10}00", air["RealtimeCityAir"]["row"][0]["MSRMT_DT"]),
           "MSRMT_DT %r" % air["RealtimeCityAir"]["row"][0]["MSRMT_DT"])
    status, _, _ = S.get("/seoul/nothing.json")
    expect(status == 404, "unknown document: %d" % status)
    S.control(tick="auto")


@test
def seoul_road_links_evolve_in_topis_classes():
    """/seoul/board.json's ROAD_TRAFFIC_STTS: the bundled links (ids, names, XYLIST kept), their
    speeds moving with the tick and IDX always TOPIS's class for the speed."""
    with open(os.path.join(ROOT, "layouts", "data", "seoul-board.json"), encoding="utf-8") as f:
        bundled = json.load(f)["ROAD_TRAFFIC_STTS"]
    expressways = ("강변북로", "올림픽대로", "동부간선도로")
    speeds = []
    for tick in (3, 13):
        S.control(tick=tick)
        links = json.loads(S.get("/seoul/board.json")[2])["ROAD_TRAFFIC_STTS"]
        expect(len(links) == len(bundled) >= 40, "%d links" % len(links))
        for got, want in zip(links, bundled):
            for k in ("LINK_ID", "ROAD_NM", "DIST", "XYLIST"):
                expect(got[k] == want[k], "%s: %s changed" % (want["LINK_ID"], k))
            slow, free = (30, 50) if got["ROAD_NM"] in expressways else (15, 25)
            spd = got["SPD"]
            idx = "정체" if spd < slow else "서행" if spd < free else "원활"
            expect(type(spd) is float and got["IDX"] == idx,
                   "%s: SPD %r IDX %r" % (got["LINK_ID"], spd, got["IDX"]))
        speeds.append([x["SPD"] for x in links])
    moved = sum(a != b for a, b in zip(*speeds))
    expect(moved > len(bundled) // 2, "only %d link speeds moved in 10 ticks" % moved)
    S.control(tick="auto")


def bundled_target(key):
    with open(os.path.join(ROOT, "layouts", "data", "seoul-board.json"), encoding="utf-8") as f:
        return json.load(f)["indicators"][key]["target"]


@test
def city_has_exactly_the_demo_key_paths():
    S.control(tick=0)
    doc = S.doc("city")
    want, got = key_paths(DEMO_DOC), key_paths(doc)
    expect(want == got, "missing %s; extra %s" % (sorted(want - got), sorted(got - want)))
    expect(list(doc) == list(DEMO_DOC), "top-level key order %r" % list(doc))
    expect(list(doc["air"]["districts"]) == list(DEMO_DOC["air"]["districts"]),
           "district order differs")
    for code, d in DEMO_DOC["air"]["districts"].items():
        got = doc["air"]["districts"][code]
        expect((got["name"], got["name_en"]) == (d["name"], d["name_en"]),
               "names of %s: %r" % (code, got))


@test
def city_value_types_match_the_demo():
    doc = S.doc("city")
    want, got = leaves(DEMO_DOC), leaves(doc)
    bad = ["%s: %s vs demo %s" % (p, kind_of(got[p]), kind_of(v))
           for p, v in want.items() if kind_of(got[p]) != kind_of(v)]
    expect(not bad, "; ".join(bad[:10]))


@test
def air_traffic_safety_are_the_city_parts():
    S.control(tick=3)
    city = S.doc("city")
    air, traffic, safety = S.doc("air"), S.doc("traffic"), S.doc("safety")
    head = {"seq": city["seq"], "generated_at": city["generated_at"]}
    want_air = dict(head, districts=city["air"]["districts"], city=city["air"]["city"])
    expect(air == want_air and list(air) == ["seq", "generated_at", "districts", "city"],
           "air keys %r" % list(air))
    expect(traffic == dict(head, **city["traffic"]), "traffic keys %r" % list(traffic))
    expect(safety == dict(head, **city["safety"], alerts=[]), "safety keys %r" % list(safety))
    expect(len(air["districts"]) == 25, "%d districts" % len(air["districts"]))


@test
def seq_and_generated_at_follow_the_tick():
    for n in (0, 5, 42):
        S.control(tick=n)
        doc = S.doc("traffic")
        expect(doc["seq"] == n + 1, "tick %d: seq %r" % (n, doc["seq"]))
        want = (START_DT + dt.timedelta(seconds=n)).isoformat()
        expect(doc["generated_at"] == want, "tick %d: generated_at %r, want %r"
               % (n, doc["generated_at"], want))
        expect(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00", doc["generated_at"]),
               "not RFC 3339 +09:00: %r" % doc["generated_at"])


@test
def pinned_tick_and_advance_increment_seq():
    S.control(tick=10)
    a = S.doc("city")
    a2 = S.doc("city")
    expect(a == a2, "pinned document changed")
    r = S.control(advance=1)
    expect(r["tick"]["tick"] == 11 and r["tick"]["pinned"], "control reply %r" % r["tick"])
    b = S.doc("city")
    S.control(advance=1)
    c = S.doc("city")
    expect((a["seq"], b["seq"], c["seq"]) == (11, 12, 13),
           "seqs %r" % [a["seq"], b["seq"], c["seq"]])
    expect(a != b, "the document did not change with the tick")


@test
def clock_resumes_and_ticks_every_second():
    S.control(tick=20)
    t0 = time.monotonic()
    S.control(tick="auto")
    first = S.doc("safety")["seq"]
    most = 21 + int(time.monotonic() - t0)
    expect(21 <= first <= most, "resumed at seq %d, want 21..%d" % (first, most))
    time.sleep(1.15)
    later = S.doc("safety")["seq"]
    expect(later > first, "seq %d -> %d after 1.15 s with --tick 1" % (first, later))
    st = S.state()
    expect(not st["tick"]["pinned"], "still pinned")
    S.control(tick=0)


@test
def values_stay_in_plausible_ranges():
    problems = []
    for n in (0, 1, 2, 100, 1000, 3600):
        S.control(tick=n)
        d = S.doc("city")
        for code, x in d["air"]["districts"].items():
            if not 20 <= x["pm10"] <= 160:
                problems.append("tick %d %s pm10 %r" % (n, code, x["pm10"]))
            if not 0.3 * x["pm10"] - 0.51 <= x["pm25"] <= 0.4 * x["pm10"] + 0.51:
                problems.append("tick %d %s pm25 %r of pm10 %r" % (n, code, x["pm25"], x["pm10"]))
        c = d["air"]["city"]
        if not (20 <= c["pm10"] <= 160 and 0 < c["pm25"] < c["pm10"] and 0 <= c["cai"] <= 500):
            problems.append("tick %d city air %r" % (n, c))
        for part in ("speed", "speed_previous"):
            sp = d["traffic"][part]
            if not (15 <= sp["all"] <= 30 and 12 <= sp["cbd"] <= 25
                    and 35 <= sp["expressway"] <= 70):
                problems.append("tick %d %s %r" % (n, part, sp))
        g = d["safety"]["golden_time"]
        if not (82 <= g["rate"] <= 95 and 82 <= g["last_month"] <= 95):
            problems.append("tick %d golden_time %r" % (n, g))
        w = d["water"]
        if not (0 < w["turbidity"] <= 0.5 and 0.1 <= w["chlorine"] <= 1.0
                and 6.5 <= w["ph"] <= 8.5):
            problems.append("tick %d water %r" % (n, w))
        f = d["finance"]
        if not 3.0 <= f["debt_trillion_krw"] <= 4.5:
            problems.append("tick %d finance %r" % (n, f))
    expect(not problems, "; ".join(problems[:8]))


TODAY = ["safety/fire/today", "safety/rescue/today", "safety/ems/today",
         "safety/calls_119/today", "mobility/bike/rentals_today", "opinion/dasan_120/today",
         "opinion/democracy_proposals"]


@test
def today_counters_grow_during_the_day():
    series = []
    for n in range(0, 3601, 600):
        S.control(tick=n)
        series.append(leaves(S.doc("city")))
    for p in TODAY:
        vals = [s[p] for s in series]
        expect(all(a <= b for a, b in zip(vals, vals[1:])), "%s decreases: %r" % (p, vals))
    for p in ("safety/calls_119/today", "safety/ems/today", "mobility/bike/rentals_today",
              "opinion/dasan_120/today"):
        expect(series[-1][p] > series[0][p], "%s did not grow in an hour: %r"
               % (p, [s[p] for s in series]))
    S.control(tick=0)


@test
def determinism_rollover_and_sigint():
    """Same seed and tick: byte-identical; another seed: different; midnight rollover."""
    twin = Feedsim("--port", "0", "--seed", "1", "--tick", "1", "--quiet", "--start-time", START)
    other = Feedsim("--port", "0", "--seed", "2", "--tick", "600", "--quiet",
                    "--start-time", START)
    try:
        for n in (0, 7, 250):
            S.control(tick=n)
            twin.control(tick=n)
            for feed in FEEDS:
                a, b = S.get("/feeds/%s.json" % feed), twin.get("/feeds/%s.json" % feed)
                expect(a[2] == b[2], "tick %d %s: bodies differ" % (n, feed))
                expect(a[1]["etag"] == b[1]["etag"], "tick %d %s: ETags differ" % (n, feed))
        S.control(tick=0)
        other.control(tick=0)
        a, b = S.doc("city"), other.doc("city")
        expect(a["generated_at"] == b["generated_at"], "tick 0 times differ")
        expect(a["air"] != b["air"], "seed 2 gives the same air data as seed 1")
        # --tick 600 with start 09:00: tick 89 is 23:50, tick 90 is midnight.
        other.control(tick=89)
        before = other.doc("safety")
        other.control(tick=90)
        after = other.doc("safety")
        expect(after["generated_at"] == "2026-11-26T00:00:00+09:00", after["generated_at"])
        for k in ("fire", "rescue", "ems", "calls_119"):
            expect(after[k]["yesterday"] >= before[k]["today"],
                   "%s: yesterday %d < today before midnight %d"
                   % (k, after[k]["yesterday"], before[k]["today"]))
            expect(after[k]["today"] < before[k]["today"] and after[k]["today"] <= 5,
                   "%s: today after midnight %d" % (k, after[k]["today"]))
    finally:
        rc_twin = twin.stop(signal.SIGINT)
        rc_other = other.stop(signal.SIGTERM)
    expect(rc_twin == 0, "SIGINT: exit status %r (None: not within 2 s)" % rc_twin)
    expect(rc_other == 0, "SIGTERM: exit status %r" % rc_other)


@test
def etag_last_modified_and_headers():
    S.control(tick=4)
    status, h, body = S.get("/feeds/city.json")
    expect(status == 200, "status %d" % status)
    expect(h["content-type"] == "application/json; charset=utf-8", h["content-type"])
    expect(int(h["content-length"]) == len(body), "Content-Length %s vs %d"
           % (h["content-length"], len(body)))
    expect(h["cache-control"] == "no-cache", h.get("cache-control"))
    expect(re.fullmatch(r'"[0-9a-f]{16,}"', h["etag"]), "ETag %r" % h["etag"])
    lm = email.utils.parsedate_to_datetime(h["last-modified"])
    expect(lm == START_DT + dt.timedelta(seconds=4), "Last-Modified %r" % h["last-modified"])
    expect(h.get("vary", "").lower() == "accept-encoding", "Vary %r" % h.get("vary"))
    _, h2, body2 = S.get("/feeds/city.json")
    expect(h2["etag"] == h["etag"] and body2 == body, "same tick, different ETag/body")
    S.control(advance=1)
    _, h3, _ = S.get("/feeds/city.json")
    expect(h3["etag"] != h["etag"], "next tick, same ETag")
    expect(h3["last-modified"] != h["last-modified"], "next tick, same Last-Modified")


@test
def if_none_match_gives_304():
    S.control(tick=30)
    _, h, _ = S.get("/feeds/air.json")
    etag = h["etag"]
    status, h2, body = S.get("/feeds/air.json", {"If-None-Match": etag})
    expect(status == 304 and body == b"", "matching tag: %d, %d bytes" % (status, len(body)))
    expect(h2.get("etag") == etag, "304 ETag %r" % h2.get("etag"))
    for tag in ('"nope", ' + etag, "W/" + etag, "*"):
        status, _, _ = S.get("/feeds/air.json", {"If-None-Match": tag})
        expect(status == 304, "If-None-Match %r: %d" % (tag, status))
    status, _, body = S.get("/feeds/air.json", {"If-None-Match": '"0123456789abcdef"'})
    expect(status == 200 and body, "other tag: %d" % status)
    S.control(advance=1)
    status, _, _ = S.get("/feeds/air.json", {"If-None-Match": etag})
    expect(status == 200, "old tag after a tick: %d" % status)


@test
def if_modified_since():
    S.control(tick=40)
    _, h, _ = S.get("/feeds/traffic.json")
    lm = email.utils.parsedate_to_datetime(h["last-modified"])

    def ims(t):
        return S.get("/feeds/traffic.json",
                     {"If-Modified-Since": email.utils.format_datetime(t, usegmt=True)})[0]

    utc = lm.astimezone(dt.timezone.utc)
    expect(ims(utc) == 304, "equal date")
    expect(ims(utc + dt.timedelta(seconds=30)) == 304, "later date")
    expect(ims(utc - dt.timedelta(seconds=1)) == 200, "earlier date")
    status = S.get("/feeds/traffic.json", {"If-Modified-Since": "not a date"})[0]
    expect(status == 200, "garbage date: %d" % status)
    status = S.get("/feeds/traffic.json", {
        "If-Modified-Since": email.utils.format_datetime(utc, usegmt=True),
        "If-None-Match": '"different"'})[0]
    expect(status == 200, "If-None-Match must win over If-Modified-Since: %d" % status)


@test
def gzip_variant():
    S.control(tick=50)
    _, h, plain = S.get("/feeds/city.json")
    status, hz, packed = S.get("/feeds/city.json", {"Accept-Encoding": "gzip, deflate"})
    expect(status == 200 and hz.get("content-encoding") == "gzip",
           "Content-Encoding %r" % hz.get("content-encoding"))
    expect(hz.get("vary", "").lower() == "accept-encoding", "Vary %r" % hz.get("vary"))
    expect(int(hz["content-length"]) == len(packed), "Content-Length of the gzip body")
    expect(len(packed) < len(plain), "not smaller")
    expect(gzip.decompress(packed) == plain, "gzip body differs from the plain one")
    expect(hz["etag"] != h["etag"] and hz["etag"].endswith('-gz"'), "ETag %r" % hz["etag"])
    status, _, body = S.get("/feeds/city.json",
                            {"Accept-Encoding": "gzip", "If-None-Match": hz["etag"]})
    expect(status == 304 and not body, "gzip tag: %d" % status)
    _, hq, _ = S.get("/feeds/city.json", {"Accept-Encoding": "gzip;q=0"})
    expect("content-encoding" not in hq, "gzip;q=0 still compressed")


@test
def head_has_headers_only():
    S.control(tick=50)
    _, h, body = S.get("/feeds/safety.json")
    status, hh, hbody = S.request("HEAD", "/feeds/safety.json")
    expect(status == 200 and hbody == b"", "HEAD: %d, %d bytes" % (status, len(hbody)))
    expect(hh["etag"] == h["etag"] and hh["content-length"] == str(len(body)),
           "HEAD headers differ from GET")


@test
def fault_delay():
    with S.fault("delay", "safety", delay=1):
        t0 = time.monotonic()
        status, _, body = S.get("/feeds/safety.json")
        took = time.monotonic() - t0
        expect(status == 200 and json.loads(body)["seq"], "status %d" % status)
        expect(took >= 1.0, "answered after %.2f s" % took)
        t0 = time.monotonic()
        S.get("/feeds/air.json")
        expect(time.monotonic() - t0 < 0.5, "other feeds delayed too")


@test
def fault_hang_times_out_while_others_answer():
    with S.fault("hang", "city"):
        result = {}

        def hang():
            t0 = time.monotonic()
            try:
                S.get("/feeds/city.json", timeout=1)
                result["outcome"] = "answered"
            except (TimeoutError, socket.timeout):
                result["outcome"] = "timeout"
            except Exception as e:  # noqa: BLE001 - reported
                result["outcome"] = repr(e)
            result["took"] = time.monotonic() - t0

        t = threading.Thread(target=hang)
        t.start()
        time.sleep(0.2)
        status, _, body = S.get("/feeds/air.json", timeout=2)
        during = t.is_alive()
        t.join(5)
        expect(status == 200 and json.loads(body)["districts"], "air: %d" % status)
        expect(during, "the hanging request finished before the concurrent one")
        expect(result.get("outcome") == "timeout", "hang: %r" % result)
        expect(result["took"] >= 0.9, "timed out after %.2f s" % result["took"])


def _fault_status(kind, want):
    with S.fault(kind, "traffic"):
        status, h, body = S.get("/feeds/traffic.json")
        expect(status == want, "%s: status %d" % (kind, status))
        expect(json.loads(body)["error"], "%s: no JSON error body" % kind)
        _, _, ok = S.get("/feeds/safety.json")
        expect(json.loads(ok)["seq"], "other feed broken")
        return h


@test
def fault_http500():
    _fault_status("http500", 500)


@test
def fault_http404():
    _fault_status("http404", 404)


@test
def fault_http503_with_retry_after():
    h = _fault_status("http503", 503)
    expect(h.get("retry-after") == "5", "Retry-After %r" % h.get("retry-after"))


@test
def fault_truncated():
    with S.fault("truncated"):
        conn = http.client.HTTPConnection("127.0.0.1", S.port, timeout=5)
        try:
            conn.request("GET", "/feeds/city.json")
            resp = conn.getresponse()
            length = int(resp.getheader("Content-Length"))
            try:
                got = len(resp.read())
            except http.client.IncompleteRead as e:
                got = len(e.partial)
        finally:
            conn.close()
        expect(resp.status == 200, "status %d" % resp.status)
        expect(got < length, "read %d of Content-Length %d" % (got, length))
        expect(abs(got - length // 2) <= 1, "read %d, want about half of %d" % (got, length))


@test
def fault_invalid_json():
    with S.fault("invalid_json", "air"):
        status, h, body = S.get("/feeds/air.json")
        expect(status == 200 and body, "status %d, %d bytes" % (status, len(body)))
        try:
            json.loads(body)
        except ValueError:
            return
        raise AssertionError("the body parsed as JSON")


@test
def fault_wrong_types():
    S.control(tick=60)
    with S.fault("wrong_types", "city"):
        status, _, body = S.get("/feeds/city.json")
        expect(status == 200, "status %d" % status)
        doc = json.loads(body)
    expect(isinstance(doc["seq"], int) and doc["seq"] == 61, "seq %r" % doc["seq"])
    expect(isinstance(doc["generated_at"], str), "generated_at %r" % doc["generated_at"])
    numbers = [p for p, v in leaves(DEMO_DOC).items()
               if kind_of(v) in ("int", "float") and p != "seq"]
    strings = [p for p in numbers if isinstance(lookup(doc, p), str)]
    expect(len(strings) >= 20, "only %d strings where numbers were" % len(strings))
    expect("점검중" in body.decode("utf-8"), "no 점검중")
    wrong = [p for p in key_paths(DEMO_DOC) if isinstance(lookup(DEMO_DOC, p), dict)
             and (isinstance(lookup(doc, p), list) or lookup(doc, p) is None)]
    expect(wrong, "no object became an array or null")
    for feed in ("traffic", "safety", "air"):
        with S.fault("wrong_types", feed):
            d = json.loads(S.get("/feeds/%s.json" % feed)[2])
        expect(isinstance(d["seq"], int), "%s seq" % feed)
        expect(any(isinstance(v, str) for p, v in leaves(d).items()
                   if p not in ("generated_at",) and not p.endswith("name")
                   and not p.endswith("name_en")), "%s: no number became a string" % feed)


@test
def fault_bad_seq():
    S.control(tick=41)
    with S.fault("bad_seq", "traffic"):
        doc = json.loads(S.get("/feeds/traffic.json")[2])
    expect(doc["seq"] == "42", "seq %r" % doc["seq"])
    good = S.doc("traffic")
    expect(dict(doc, seq=42) == good, "the rest of the document differs")


@test
def fault_huge_with_content_length():
    with S.fault("huge", "air"):
        conn = http.client.HTTPConnection("127.0.0.1", S.port, timeout=5)
        try:
            conn.request("GET", "/feeds/air.json")
            resp = conn.getresponse()
            length = resp.getheader("Content-Length")
            head = resp.read(3 * 1024 * 1024)
        finally:
            conn.close()
    expect(resp.status == 200, "status %d" % resp.status)
    expect(length == str(HUGE), "Content-Length %r, want %d" % (length, HUGE))
    expect(len(head) == 3 * 1024 * 1024, "read %d bytes" % len(head))
    expect(head.startswith(b'{"seq":') and b'"padding":["xxxx' in head, "body %r" % head[:80])
    status, _, _ = S.get("/healthz")
    expect(status == 200, "server unwell after the client left")


@test
def fault_huge_chunked_has_no_length():
    with S.fault("huge_chunked", "safety"):
        conn = http.client.HTTPConnection("127.0.0.1", S.port, timeout=5)
        try:
            conn.request("GET", "/feeds/safety.json")
            resp = conn.getresponse()
            hdrs = {k.lower(): v for k, v in resp.getheaders()}
            head = resp.read(2 * 1024 * 1024)
        finally:
            conn.close()
    expect(resp.status == 200, "status %d" % resp.status)
    expect("content-length" not in hdrs, "Content-Length %r" % hdrs.get("content-length"))
    expect(hdrs.get("transfer-encoding") == "chunked", "Transfer-Encoding %r"
           % hdrs.get("transfer-encoding"))
    expect(len(head) == 2 * 1024 * 1024 and head.startswith(b'{"seq":'), "body %r" % head[:40])


@test
def fault_slow_drip():
    with S.fault("slow_drip", "traffic"):
        conn = http.client.HTTPConnection("127.0.0.1", S.port, timeout=5)
        try:
            t0 = time.monotonic()
            conn.request("GET", "/feeds/traffic.json")
            resp = conn.getresponse()
            first = resp.read(3)
            took = time.monotonic() - t0
        finally:
            conn.close()
    expect(resp.status == 200 and first == b'{\n ', "status %d, %r" % (resp.status, first))
    expect(took >= 0.4, "3 bytes in %.2f s" % took)


@test
def fault_reset():
    with S.fault("reset", "city"):
        conn = http.client.HTTPConnection("127.0.0.1", S.port, timeout=5)
        try:
            conn.request("GET", "/feeds/city.json")
            resp = conn.getresponse()
            raise AssertionError("got a response: %d" % resp.status)
        except ConnectionResetError:    # includes http.client.RemoteDisconnected
            pass
        finally:
            conn.close()


@test
def fault_empty():
    with S.fault("empty"):
        status, h, body = S.get("/feeds/air.json")
    expect(status == 200 and body == b"" and h.get("content-length") == "0",
           "status %d, %d bytes, Content-Length %r" % (status, len(body), h.get("content-length")))


@test
def fault_old():
    S.control(tick=70)
    good = S.doc("safety")
    with S.fault("old", "safety"):
        status, h, body = S.get("/feeds/safety.json")
    old = json.loads(body)
    expect(status == 200, "status %d" % status)
    want = (dt.datetime.fromisoformat(good["generated_at"]) - dt.timedelta(hours=1)).isoformat()
    expect(old["generated_at"] == want, "generated_at %r, want %r" % (old["generated_at"], want))
    expect(old["seq"] == good["seq"], "seq %r" % old["seq"])
    lm = email.utils.parsedate_to_datetime(h["last-modified"])
    expect(lm == dt.datetime.fromisoformat(want), "Last-Modified %r" % h["last-modified"])


@test
def feed_fault_overrides_global():
    S.control(fault="http500")
    try:
        r = S.control(fault="none", feed="air")
        expect(r["faults"]["effective"]["air"]["fault"] == "none", "table %r" % r["faults"])
        expect(S.get("/feeds/air.json")[0] == 200, "air not healthy under its override")
        expect(S.get("/feeds/city.json")[0] == 500, "city not under the global fault")
        S.control(fault="inherit", feed="air")
        expect(S.get("/feeds/air.json")[0] == 500, "air did not inherit the global fault")
    finally:
        S.control(fault="none")
    S.control(fault="http503", feed="traffic")
    try:
        expect(S.get("/feeds/traffic.json")[0] == 503, "traffic")
        expect(S.get("/feeds/safety.json")[0] == 200, "safety")
    finally:
        S.control(fault="none")


@test
def fault_none_recovers_everything():
    S.control(fault="reset")
    S.control(fault="hang", feed="city")
    S.control(fault="delay", feed="air", delay="5")
    r = S.control(fault="none")
    expect(r["faults"]["feeds"] == {} and r["faults"]["global"] == {"fault": "none"},
           "table %r" % r["faults"])
    expect(all(v == {"fault": "none"} for v in r["faults"]["effective"].values()),
           "effective %r" % r["faults"]["effective"])
    for feed in FEEDS:
        status, _, body = S.get("/feeds/%s.json" % feed, timeout=2)
        expect(status == 200 and json.loads(body)["seq"], "%s: %d" % (feed, status))


@test
def control_rejects_bad_requests():
    for q in ("fault=explode", "fault=http500&feed=weather", "delay=2", "tick=-1",
              "advance=0", "bogus=1", "fault=hang&feed=air&feed=city"):
        status, _, body = S.request("POST", "/control?" + q)
        expect(status == 400 and json.loads(body)["error"], "%s: %d" % (q, status))
    status, _, _ = S.get("/control?fault=hang")
    expect(status == 405, "GET /control?fault=: %d" % status)
    expect(S.state()["faults"]["global"] == {"fault": "none"}, "a rejected request applied")


@test
def alerts_are_raised_and_cleared_in_safety():
    S.control(tick=5)
    try:
        S.control(alert="fire")
        S.control(alert="flood")
        reply = S.control(alert="snow")
        alerts = S.doc("safety")["alerts"]
        expect([a["kind"] for a in alerts] == ["fire", "flood", "snow"],
               "kinds %r" % [a.get("kind") for a in alerts])
        expect(reply["alerts"] == alerts, "the reply lists %r" % reply["alerts"])
        levels = ("info", "caution", "warning", "danger")  # the alert widget's scale
        for a in alerts:
            expect(a["level"] in levels and levels.index(a["level"]) >= 2,
                   "%s: level %r is below warning" % (a["kind"], a["level"]))
            expect(37.41 < a["lat"] < 37.72 and 126.76 < a["lon"] < 127.19,
                   "%s: (%s, %s) is not in Seoul" % (a["kind"], a["lat"], a["lon"]))
            expect(re.search("[가-힣]", a["title"]) and a["district"].endswith("구"),
                   "%s: title %r, district %r" % (a["kind"], a["title"], a["district"]))
            expect(a["time"] == S.doc("safety")["generated_at"],
                   "%s: time %r is not the tick's" % (a["kind"], a["time"]))
        fire = alerts[0]
        expect(fire["level"] == "danger" and fire["district_code"] == "11530", "fire %r" % fire)
        # Raising one again replaces it: one fire, now the newest.
        S.control(tick=6)
        S.control(alert="fire")
        again = S.doc("safety")["alerts"]
        expect([a["kind"] for a in again] == ["flood", "snow", "fire"],
               "after a second fire: %r" % [a["kind"] for a in again])
        expect(again[-1]["time"] == S.doc("safety")["generated_at"], "the fire kept its time")
        expect(S.state()["alerts"] == again, "GET /control lists the alerts")
        # The other feeds are untouched; city keeps the demo's shape.
        expect("alerts" not in S.doc("air") and "alerts" not in S.doc("city")["safety"],
               "alerts leaked into another feed")
        S.control(alert="none")
        expect(S.doc("safety")["alerts"] == [], "alert=none left %r" % S.doc("safety")["alerts"])
    finally:
        S.control(alert="none")
        S.control(tick="auto")


@test
def alert_control_rejects_unknown_kinds():
    for q in ("alert=meteor", "alert=", "alert=fire&alert=snow"):
        status, _, body = S.request("POST", "/control?" + q)
        expect(status == 400 and json.loads(body)["error"], "%s: %d" % (q, status))
    expect(S.doc("safety")["alerts"] == [], "a rejected alert was raised")


@test
def an_alert_changes_the_etag():
    S.control(tick=7)
    try:
        _, h1, _ = S.get("/feeds/safety.json")
        S.control(alert="snow")
        status, h2, _ = S.get("/feeds/safety.json", {"If-None-Match": h1["etag"]})
        expect(status == 200 and h2["etag"] != h1["etag"],
               "a client polling with If-None-Match would miss the alert (%d)" % status)
    finally:
        S.control(alert="none")
        S.control(tick="auto")


@test
def request_counters():
    S.control(tick=80)
    before = S.state()
    _, h, _ = S.get("/feeds/traffic.json")
    S.get("/feeds/traffic.json", {"If-None-Match": h["etag"]})
    with S.fault("http500", "traffic"):
        S.get("/feeds/traffic.json")
    after = S.state()
    b, a = before["counters"]["traffic"], after["counters"]["traffic"]
    delta = {k: a[k] - b[k] for k in a}
    expect(delta == {"requests": 3, "200": 1, "304": 1, "other": 1}, "delta %r" % delta)
    expect(after["not_modified_total"] - before["not_modified_total"] == 1, "304 total")
    expect(after["counters"]["city"] == before["counters"]["city"], "city counted")
    expect(after["requests_total"] - before["requests_total"] == 3, "requests_total")


@test
def non_loopback_host_is_refused():
    for host in ("0.0.0.0", "192.0.2.1"):
        r = subprocess.run([sys.executable, FEEDSIM, "--port", "0", "--host", host, "--quiet"],
                           capture_output=True, timeout=10)
        expect(r.returncode == 2, "--host %s: exit status %d" % (host, r.returncode))
        expect(r.stdout == b"", "--host %s printed %r" % (host, r.stdout))
        expect(b"--allow-remote" in r.stderr, "--host %s: message %r" % (host, r.stderr))


CHAOS_STEP_RE = re.compile(r"^chaos: step (\d+) fault=(\w+) feed=(\w+) for [\d.]+ s$")


def chaos_steps(sim, count, within=30):
    """The first count (kind, feed) steps a --chaos server logs to stderr."""
    steps = []
    deadline = time.monotonic() + within
    while len(steps) < count:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([sim.proc.stderr], [], [], max(left, 0))
        if not ready:
            raise AssertionError("only %d chaos steps within %d s: %r" % (len(steps), within,
                                                                         steps))
        line = sim.proc.stderr.readline().decode("utf-8", "replace").rstrip("\n")
        if not line:
            raise AssertionError("feedsim stopped after %d chaos steps" % len(steps))
        m = CHAOS_STEP_RE.match(line)
        if m:
            expect(int(m.group(1)) == len(steps) + 1, "step numbers: %r" % line)
            steps.append((m.group(2), m.group(3)))
    return steps


@test
def chaos_meets_every_kind_in_a_seeded_order():
    status, _, body = S.get("/")
    kinds = sorted(k for k in json.loads(body)["faults"] if k != "none")
    args = ["--port", "0", "--quiet", "--chaos-period", "0.05", "--start-time", START,
            "--chaos"]
    sims = [Feedsim(*args, "--chaos-seed", seed) for seed in ("7", "7", "8")]
    try:
        runs = [chaos_steps(sim, 2 * len(kinds)) for sim in sims]
        info = sims[0].state()["chaos"]
    finally:
        for sim in sims:
            sim.kill()
    first = runs[0]
    for r in range(2):
        round_kinds = sorted(k for k, _ in first[r * len(kinds):(r + 1) * len(kinds)])
        expect(round_kinds == kinds, "round %d is not every kind once: %r" % (r + 1,
                                                                              round_kinds))
    expect(runs[0] == runs[1], "the same seed gave other steps:\n%r\n%r" % (runs[0], runs[1]))
    expect(runs[0] != runs[2], "seeds 7 and 8 gave the same steps")
    expect(first[:len(kinds)] != first[len(kinds):], "both rounds in the same order")
    targets = {feed for _, feed in first}
    expect("all" in targets and len(targets) >= 3, "targets: %r" % sorted(targets))
    expect(targets <= set(FEEDS) | {"all"}, "unknown targets: %r" % sorted(targets))
    expect(info["on"] and info["seed"] == "7" and info["step"] >= 1, "GET /control: %r" % info)


@test
def chaos_on_and_off_through_control():
    try:
        for bad in ("chaos=maybe", "chaos=on&fault=hang", "chaos=on&chaos=off", "chaos="):
            status, _, body = S.request("POST", "/control?" + bad)
            expect(status == 400, "%s: %d %r" % (bad, status, body[:200]))
        expect(not S.state()["chaos"]["on"], "chaos on before it was asked for")
        S.control(chaos="on")
        deadline = time.monotonic() + 15
        while True:    # the default period is 3 s: the first fault is applied at once
            st = S.state()
            effective = st["faults"]["effective"]
            if st["chaos"]["current"] and any(e["fault"] != "none" for e in effective.values()):
                break
            expect(time.monotonic() < deadline, "no chaos fault applied: %r" % st)
            time.sleep(0.05)
        expect(st["chaos"]["on"] and st["chaos"]["step"] == 1, "chaos: %r" % st["chaos"])
        S.control(chaos="off")
        st = S.state()
        expect(not st["chaos"]["on"] and st["chaos"]["current"] is None, "%r" % st["chaos"])
        faults = {f: e["fault"] for f, e in st["faults"]["effective"].items()}
        expect(set(faults.values()) == {"none"}, "chaos=off left faults: %r" % faults)
    finally:
        S.control(chaos="off")
        S.control(fault="none")


# ---- 119 dispatch records ------------------------------------------------------------------

CHECK = os.path.join(ROOT, "tests", "golden_time_check.py")
DISPATCH_KEYS = ["id", "district", "responsible", "arrived_by", "dispatched", "arrived"]
DISPATCH_CSV_COLUMNS = ["구급보고서번호", "소방서명", "환자증상구분명1", "신고일자", "신고시각",
                        "출동일자", "출동시각", "환자직업명", "사고발생장소",
                        "현장도착일자", "현장도착시각", "발생장소구", "관할소방서명"]
ISO_KST = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00")


def dispatch_body(sim, form, query=""):
    status, hdrs, body = sim.get("/dispatch.%s%s" % (form, query), timeout=30)
    expect(status == 200, "GET /dispatch.%s%s: %d" % (form, query, status))
    return hdrs, body


def golden_figures(body, suffix, now):
    import tempfile
    with tempfile.NamedTemporaryFile(suffix=suffix) as f:
        f.write(body)
        f.flush()
        r = subprocess.run([sys.executable, CHECK, f.name, "--now", now],
                           capture_output=True, timeout=60)
    expect(r.returncode == 0, "golden_time_check: %s" % r.stderr.decode()[-500:])
    return json.loads(r.stdout)


@test
def dispatch_json_has_the_tidy_shape():
    S.control(tick=0)
    hdrs, body = dispatch_body(S, "json")
    expect(hdrs["content-type"] == "application/json; charset=utf-8", hdrs["content-type"])
    doc = json.loads(body)
    expect(list(doc) == ["seq", "generated_at", "rows"], "keys %r" % list(doc))
    expect(doc["generated_at"] == START, "generated_at %r" % doc["generated_at"])
    rows = doc["rows"]
    names = {d["name"] for d in DEMO_DOC["air"]["districts"].values()}
    stations = set()
    for r in rows:
        expect(list(r) == DISPATCH_KEYS, "row keys %r" % list(r))
        expect(r["district"] in names, "district %r" % r["district"])
        expect(ISO_KST.fullmatch(r["dispatched"]), "dispatched %r" % r["dispatched"])
        expect(r["arrived"] is None or ISO_KST.fullmatch(r["arrived"]), "arrived %r" % r["arrived"])
        expect(r["dispatched"] <= START, "dispatched after the clock: %r" % r)
        expect(r["arrived"] is None or r["arrived"] <= START, "arrival after the clock: %r" % r)
        stations |= {r["responsible"], r["arrived_by"]}
    expect(len(stations) == 25 and all(s.endswith("소방서") for s in stations),
           "%d stations: %r" % (len(stations), sorted(stations)))
    expect(len({r["id"] for r in rows}) == len(rows), "ids are not unique")
    expect([r["dispatched"] for r in rows] == sorted(r["dispatched"] for r in rows),
           "rows not in dispatch order")
    first = dt.datetime.fromisoformat(rows[0]["dispatched"]).date()
    expect(first == START_DT.date() - dt.timedelta(days=30), "first day %s" % first)
    # today's records only up to 09:00, so fewer than 2,000 (= 31 full days)
    expect(1800 < len(rows) < 2000, "%d rows" % len(rows))


@test
def dispatch_csv_has_the_export_shape_in_utf8_and_cp949():
    S.control(tick=0)
    hdrs, body = dispatch_body(S, "csv")
    expect(hdrs["content-type"] == "text/csv; charset=utf-8", hdrs["content-type"])
    text = body.decode("utf-8")
    lines = text.split("\r\n")
    expect(lines[-1] == "" and lines[0] == ",".join(DISPATCH_CSV_COLUMNS), "header %r" % lines[0])
    hdrs2, body2 = dispatch_body(S, "csv", "?encoding=cp949")
    expect(hdrs2["content-type"] == "text/csv; charset=CP949", hdrs2["content-type"])
    expect(body2.decode("cp949") == text and body2 != body, "CP949 is not the same text")
    status, _, _ = S.get("/dispatch.csv?encoding=latin1")
    expect(status == 400, "encoding=latin1: %d" % status)
    doc = json.loads(dispatch_body(S, "json")[1])
    expect(len(lines) - 2 == len(doc["rows"]), "%d CSV rows, %d JSON" % (len(lines) - 2,
                                                                       len(doc["rows"])))
    compact = re.compile(r"0|[1-9]\d{0,5}")
    for line, row in zip(lines[1:-1], doc["rows"]):
        f = dict(zip(DISPATCH_CSV_COLUMNS, line.split(",")))
        expect(f["구급보고서번호"] == row["id"] and f["소방서명"] == row["arrived_by"]
               and f["관할소방서명"] == row["responsible"] and f["발생장소구"] == row["district"],
               "CSV %r vs JSON %r" % (line, row))
        for day, time_ in (("신고일자", "신고시각"), ("출동일자", "출동시각")):
            expect(re.fullmatch(r"\d{8}", f[day]) and compact.fullmatch(f[time_]), line)
        sent = dt.datetime.fromisoformat(row["dispatched"])
        expect(f["출동일자"] == sent.strftime("%Y%m%d")
               and int(f["출동시각"]) == sent.hour * 10000 + sent.minute * 100 + sent.second,
               "출동 %s %s vs %s" % (f["출동일자"], f["출동시각"], row["dispatched"]))
        expect((f["현장도착일자"] == f["현장도착시각"] == "") == (row["arrived"] is None), line)


@test
def dispatch_is_deterministic_per_seed_and_clock():
    S.control(tick=0)
    mine = dispatch_body(S, "json")[1], dispatch_body(S, "csv")[1]
    args = ["--port", "0", "--tick", "1", "--quiet", "--start-time", START]
    same, other = Feedsim("--seed", "1", *args), Feedsim("--seed", "2", *args)
    try:
        for sim in (same, other):
            sim.control(tick=0)
        theirs = dispatch_body(same, "json")[1], dispatch_body(same, "csv")[1]
        different = dispatch_body(other, "json")[1]
    finally:
        same.kill()
        other.kill()
    expect(mine == theirs, "seed 1 at the same time gave other documents")
    expect(different != mine[0], "seeds 1 and 2 gave the same records")


@test
def dispatch_records_n_fills_31_days_and_the_past_does_not_change():
    end = "2026-11-25T23:59:59+09:00"
    sim = Feedsim("--port", "0", "--tick", "1", "--quiet", "--start-time", end,
                  "--dispatch-records", "3100")
    try:
        sim.control(tick=0)
        rows = json.loads(dispatch_body(sim, "json")[1])["rows"]
        sim.control(tick=3600)
        later = json.loads(dispatch_body(sim, "json")[1])["rows"]
    finally:
        sim.kill()
    expect(len(rows) == 3100, "%d rows at the day's last second, want 3100" % len(rows))
    days = {}
    for r in rows:
        days[r["dispatched"][:10]] = days.get(r["dispatched"][:10], 0) + 1
    expect(len(days) == 31 and set(days.values()) == {100}, "per day %r" % days)
    # an hour later (a new day): the 30 days before it are the same records, and only
    # arrivals after the earlier clock were unknown then
    old = {r["id"]: r for r in rows}
    kept = [r for r in later if r["id"] in old]
    expect(len(kept) == len(rows) - 100, "%d of the earlier records kept" % len(kept))
    for r in kept:
        o = old[r["id"]]
        if o["arrived"] is None:
            expect(r["arrived"] is None or r["arrived"] > end, "%r then %r" % (o, r))
        else:
            expect(r == o, "%r became %r" % (o, r))


@test
def dispatch_records_have_every_case_the_panel_shows():
    S.control(tick=0)
    doc = json.loads(dispatch_body(S, "json")[1])
    rows = doc["rows"]
    sec = {}
    for r in rows:
        if r["arrived"] is not None:
            sec[r["id"]] = (dt.datetime.fromisoformat(r["arrived"])
                            - dt.datetime.fromisoformat(r["dispatched"])).total_seconds()
    neighbours = [r for r in rows if r["arrived_by"] != r["responsible"]]
    cases = {
        "neighbour help": len(neighbours),
        "late (> 5 min)": sum(1 for s in sec.values() if s > 300),
        "missing arrival": sum(1 for r in rows if r["arrived"] is None),
        "arrival before dispatch": sum(1 for s in sec.values() if s < 0),
        "yesterday": sum(1 for r in rows if r["dispatched"][:10] == "2026-11-24"),
        "today": sum(1 for r in rows if r["dispatched"][:10] == "2026-11-25"),
    }
    expect(all(n > 0 for n in cases.values()), "cases %r" % cases)
    expect(0.02 < len(neighbours) / len(rows) < 0.2, "neighbour share %d/%d" % (len(neighbours),
                                                                                len(rows)))
    slow = sum(1 for r in neighbours if sec.get(r["id"], 0) > 300)
    expect(slow > len(neighbours) / 2, "only %d of %d neighbour arrivals late" % (slow,
                                                                                  len(neighbours)))
    within = sum(1 for s in sec.values() if 0 <= s <= 300) / sum(1 for s in sec.values() if s >= 0)
    expect(0.75 < within < 0.97, "5-minute rate %.3f is not Seoul-like" % within)


@test
def dispatch_json_and_csv_give_the_same_golden_time_figures():
    S.control(tick=0)
    a = golden_figures(dispatch_body(S, "json")[1], ".json", START)
    b = golden_figures(dispatch_body(S, "csv", "?encoding=cp949")[1], ".csv", START)
    expect(a == b, "JSON %s\nCSV %s" % (json.dumps(a, ensure_ascii=False)[:600],
                                         json.dumps(b, ensure_ascii=False)[:600]))
    expect(a["city"]["counted"] > 0 and a["neighbour_help"]["count"] >= 0, "%r" % a["city"])
    expect(all(d["rate"] is not None for d in a["daily"]), "a day of the 30 without a rate")


@test
def sigterm_exits_0_within_2s_even_with_a_hanging_client():
    global S
    S.control(fault="hang")
    sock = socket.create_connection(("127.0.0.1", S.port), timeout=5)
    try:
        sock.sendall(b"GET /feeds/city.json HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.2)
        t0 = time.monotonic()
        rc = S.stop(signal.SIGTERM, within=2.0)
        took = time.monotonic() - t0
    finally:
        sock.close()
    S = None
    expect(rc == 0, "exit status %r (None: still running after 2 s)" % rc)
    expect(took < 2.0, "took %.2f s" % took)


# ------------------------------------------------------------------------------------------

def main():
    global S
    t0 = time.monotonic()
    print("1..%d" % len(TESTS), flush=True)
    try:
        S = Feedsim("--port", "0", "--seed", "1", "--tick", "1", "--quiet", "--start-time", START)
    except Exception as e:  # noqa: BLE001
        print("Bail out! cannot start tools/feedsim: %s" % e, flush=True)
        return 1
    failed = 0
    try:
        for i, fn in enumerate(TESTS, 1):
            name = fn.__name__.replace("_", " ")
            if S is None or S.proc.poll() is not None:
                print("not ok %d - %s\n# the server is gone" % (i, name), flush=True)
                failed += 1
                continue
            try:
                fn()
            except Exception as e:  # noqa: BLE001 - every failure is reported
                failed += 1
                print("not ok %d - %s" % (i, name))
                detail = str(e) if isinstance(e, AssertionError) else traceback.format_exc()
                for line in (detail or repr(e)).splitlines():
                    print("# " + line)
                sys.stdout.flush()
                continue
            print("ok %d - %s" % (i, name), flush=True)
    finally:
        if S is not None:
            S.kill()
    print("# %d of %d passed in %.1f s" % (len(TESTS) - failed, len(TESTS),
                                         time.monotonic() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
