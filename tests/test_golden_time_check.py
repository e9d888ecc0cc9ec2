#!/usr/bin/env python3
"""Tests for tests/golden_time_check.py, the independent golden-time computation: it must
give the hand-computed figures of tests/data/dispatch-small.expected.json, null (not 0%) for
an empty set, and the hand-computed figures of the real 119 excerpt in ../shared/data (skipped
when that folder is absent). Prints TAP; Python 3 standard library only.
"""

import json
import math
import os
import subprocess
import sys
import tempfile
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECK = os.path.join(ROOT, "tests", "golden_time_check.py")
DATA = os.path.join(ROOT, "tests", "data")
EXCERPT = os.path.join(ROOT, "..", "shared", "data", "samples",
                       "seoul-119-ambulance-dispatch-excerpt.csv")
TESTS = []


class Skip(Exception):
    pass


def test(fn):
    TESTS.append(fn)
    return fn


def expect(cond, msg):
    if not cond:
        raise AssertionError(msg)


def run(path, *args):
    r = subprocess.run([sys.executable, CHECK, path] + list(args), capture_output=True,
                       timeout=60)
    expect(r.returncode == 0, "exit %d: %s" % (r.returncode, r.stderr.decode()))
    return json.loads(r.stdout)


def same(a, b, where=""):
    """Equal, floats to 1e-12; returns the first difference or None."""
    if isinstance(a, float) or isinstance(b, float):
        ok = (isinstance(a, (int, float)) and isinstance(b, (int, float))
              and math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12))
        return None if ok else "%s: %r != %r" % (where, a, b)
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return "%s: keys %r != %r" % (where, list(a), list(b))
        for k in a:
            d = same(a[k], b[k], where + "/" + k)
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return "%s: %d items != %d" % (where, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            d = same(x, y, "%s/%d" % (where, i))
            if d:
                return d
        return None
    return None if a == b and type(a) is type(b) else "%s: %r != %r" % (where, a, b)


@test
def small_fixture_gives_the_hand_computed_figures():
    with open(os.path.join(DATA, "dispatch-small.expected.json"), encoding="utf-8") as f:
        want = {k: v for k, v in json.load(f).items() if not k.startswith("_")}
    got = run(os.path.join(DATA, "dispatch-small.json"))
    diff = same(got, want)
    expect(diff is None, diff)


@test
def limit_is_inclusive_and_a_parameter():
    got = run(os.path.join(DATA, "dispatch-small.json"), "--limit", "301s")
    expect((got["city"]["within"], got["city"]["counted"]) == (10, 11), "%r" % got["city"])
    got = run(os.path.join(DATA, "dispatch-small.json"), "--limit", "299s")
    expect((got["city"]["within"], got["city"]["counted"]) == (8, 11), "%r" % got["city"])  # D02 (300 s) drops


@test
def empty_set_is_null_not_zero():
    got = run(os.path.join(DATA, "dispatch-empty.json"))
    expect(got["city"] == {"rate": None, "within": 0, "counted": 0}, "%r" % got["city"])
    expect(got["by_district"] == {} and got["open"] == [] and got["neighbour_help"]["count"] == 0,
           "%r" % got)
    expect(len(got["daily"]) == 30 and all(d["rate"] is None for d in got["daily"]),
           "daily %r" % got["daily"])


@test
def csv_export_form_reads_compact_times_across_midnight():
    rows = ["구급보고서번호,소방서명,출동일자,출동시각,현장도착일자,현장도착시각,발생장소구,관할소방서명",
            "A,종로소방서,20261124,235800,20261125,241,종로구,종로소방서",     # 283 s, 11-24
            "B,중부소방서,20261125,0,20261125,459,종로구,종로소방서",          # 00:00:00, 299 s
            "C,종로소방서,20261125,80000,20261125,80501,종로구,종로소방서",    # 301 s
            "D,종로소방서,20261125,85000,,,종로구,종로소방서",                  # open
            "E,종로소방서,20261125,246000,20261125,250000,종로구,종로소방서"]  # 24:60: no time
    with tempfile.NamedTemporaryFile(suffix=".csv") as f:
        f.write("\r\n".join(rows).encode("cp949"))
        f.flush()
        got = run(f.name, "--now", "2026-11-25T09:00:00+09:00")
    expect(got["today_dispatches"] == 3, "today %r" % got["today_dispatches"])
    expect(got["city"] == {"rate": 0.5, "within": 1, "counted": 2}, "%r" % got["city"])
    expect(got["neighbour_help"] == {"count": 1, "by_station": {"중부소방서": 1}}, "%r"
           % got["neighbour_help"])
    expect(got["daily"][-1] == {"date": "2026-11-24", "rate": 1.0, "within": 1, "counted": 1},
           "%r" % got["daily"][-1])
    expect([o["id"] for o in got["open"]] == ["D"] and got["open"][0]["age_s"] == 600,
           "%r" % got["open"])


@test
def real_excerpt_gives_the_hand_computed_figures():
    if not os.path.exists(EXCERPT):
        raise Skip("../shared/data is absent")
    got = run(EXCERPT)
    expect(got["dispatches"] == 20, "%r" % got["dispatches"])
    expect(got["by_station"]["구로소방서"] == 3 and got["by_station"]["은평소방서"] == 3
           and got["by_station"]["중랑소방서"] == 1 and len(got["by_station"]) == 13,
           "%r" % got["by_station"])
    d = got["report_to_dispatch_s"]
    # By hand from the file: 신고 23:54:00 on 20211225, 출동 331 (00:03:31) on 20211226 is
    # 571 s; 23:59:00 -> 239 (00:02:39) the next day is 219 s; the 20 sorted delays are
    want = [60, 105, 120, 142, 145, 147, 153, 156, 162, 166, 167, 180, 202, 204, 213, 219,
            240, 240, 321, 571]
    expect(d["sorted"] == want, "delays %r" % d["sorted"])
    expect(d["median"] == 166.5, "median %r" % d["median"])                 # (166 + 167) / 2
    expect(math.isclose(d["p90_linear"], 248.1), "p90 %r" % d["p90_linear"])  # 240 + .1 * 81
    expect(d["p90_nearest_rank"] == 240, "p90 %r" % d["p90_nearest_rank"])  # the 18th
    expect(d["within_180s"] == 12 and d["share_within_180s"] == 0.6, "%r" % d)


def main():
    print("1..%d" % len(TESTS), flush=True)
    failed = 0
    for i, fn in enumerate(TESTS, 1):
        name = fn.__name__.replace("_", " ")
        try:
            fn()
        except Skip as e:
            print("ok %d - %s # SKIP %s" % (i, name, e), flush=True)
            continue
        except Exception as e:  # noqa: BLE001 - every failure is reported
            failed += 1
            print("not ok %d - %s" % (i, name))
            detail = str(e) if isinstance(e, AssertionError) else traceback.format_exc()
            for line in (detail or repr(e)).splitlines():
                print("# " + line)
            sys.stdout.flush()
            continue
        print("ok %d - %s" % (i, name), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
