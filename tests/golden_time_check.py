#!/usr/bin/env python3
"""golden_time_check - the 119 golden-time figures of a dispatch records file, computed
independently of citywall (Python 3 standard library only; it never runs or reads citywall's
code), so that tests can hold the derive engine's figures against them.

Usage:
  tests/golden_time_check.py FILE [--now ISO8601] [--limit 5m] [--timezone Asia/Seoul]
                             [--open-count 10]

FILE is the tidy JSON form ({"generated_at", "rows": [{"id", "district", "responsible",
"arrived_by", "dispatched", "arrived"}]}, tools/feedsim's /dispatch.json) or the 119 export's
CSV form (UTF-8 or CP949; tools/feedsim's /dispatch.csv). A CSV without arrival columns — the
real excerpt in ../shared/data/samples — gives the figures that file supports instead (below).
Prints one JSON object.

"now" is --now, else the JSON document's generated_at; a CSV needs --now. Days are calendar
days in --timezone (the layout's zone, Asia/Seoul). Times without a zone are in that zone.

The figures, with records:
  counted      a record counts when its dispatch time is a time, its arrival is a time, and
               the arrival is not before the dispatch. A missing (null) or unreadable arrival
               ("NaN", "점검중", a number), an unreadable dispatch and an arrival before the
               dispatch are left out of every rate — never counted as late or as on time.
  within       counted and arrival - dispatch <= limit (exactly the limit is within).
  today        the records dispatched on now's calendar day: [00:00, 24:00) of that day.
  rate         within / counted of today's records; null when none counts (never 0).
  by_district  today's rate per district (records without a district text are in the city
               figure only); districts without a counted record are absent.
  neighbour_help  today's counted records whose arrived_by differs from responsible (both
               texts), and how many each arriving station made.
  daily        the rate of each of the 30 full days before today, oldest first ({"date",
               "rate", "within", "counted"}; rate null on a day without counted records).
  open         records without an arrival (null or absent, not an unreadable one) dispatched
               in the 24 hours up to now (now - 24h < dispatched <= now), oldest first, at
               most --open-count, with their age in seconds at now.

For the export's CSV, dispatch is 출동일자 + 출동시각 and arrival 현장도착일자 + 현장도착시각
(YYYYMMDD and HHMMSS without leading zeros: 331 is 00:03:31); id 구급보고서번호, arrived_by
소방서명, responsible 관할소방서명, district 발생장소구.

The excerpt's figures (a CSV without 현장도착시각): dispatch count, per-station counts
(소방서명), and the seconds from report (신고일자 + 신고시각) to dispatch (출동일자 +
출동시각) of records where both are times and the dispatch is not earlier: their median (the
mean of the middle two for an even count), p90 by linear interpolation between order
statistics (p90 = x[floor(h)] + (h - floor(h)) * (x[floor(h)+1] - x[floor(h)]), h = 0.9 (n-1),
0-based: numpy's and R's default) and by nearest rank (x[ceil(0.9 n) - 1]), and the share
dispatched within 3 minutes (<= 180 s) of the report.
"""

import argparse
import csv
import datetime as dt
import io
import json
import math
import re
import sys
import zoneinfo

DURATION_RE = re.compile(r"(\d+)(s|m|h|d)")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def duration(text):
    """Seconds of "5m", "90s", "1h"."""
    m = DURATION_RE.fullmatch(text)
    if not m:
        raise argparse.ArgumentTypeError("not a duration like 5m or 90s: %r" % text)
    return int(m.group(1)) * UNITS[m.group(2)]


def iso_time(value, tz):
    """An aware datetime of an ISO 8601 text, or None for anything else (null, NaN, numbers,
    other text)."""
    if not isinstance(value, str):
        return None
    try:
        t = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=tz)


def compact_time(date, time, tz):
    """The export's two fields: YYYYMMDD and HHMMSS without leading zeros ("331")."""
    date, time = (date or "").strip(), (time or "").strip()
    if not re.fullmatch(r"\d{8}", date) or not re.fullmatch(r"\d{1,6}", time):
        return None
    hms = time.zfill(6)
    try:
        return dt.datetime(int(date[:4]), int(date[4:6]), int(date[6:]), int(hms[:2]),
                           int(hms[2:4]), int(hms[4:]), tzinfo=tz)
    except ValueError:
        return None


def text(value):
    return value if isinstance(value, str) and value != "" else None


# ---- reading ----------------------------------------------------------------------------------

def read_csv(data):
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = data.decode("cp949")
    return list(csv.DictReader(io.StringIO(content, newline="")))


def records_of_csv(rows, tz):
    out = []
    for r in rows:
        arrival_date, arrival_time = r.get("현장도착일자"), r.get("현장도착시각")
        out.append({
            "id": r.get("구급보고서번호"),
            "district": text(r.get("발생장소구")),
            "responsible": text(r.get("관할소방서명")),
            "arrived_by": text(r.get("소방서명")),
            "dispatched": compact_time(r.get("출동일자"), r.get("출동시각"), tz),
            "arrived": compact_time(arrival_date, arrival_time, tz),
            "no_arrival": not (arrival_date or "").strip() and not (arrival_time or "").strip(),
        })
    return out


def records_of_json(doc, tz):
    out = []
    for r in doc.get("rows") or []:
        if not isinstance(r, dict):
            continue
        out.append({
            "id": r.get("id"),
            "district": text(r.get("district")),
            "responsible": text(r.get("responsible")),
            "arrived_by": text(r.get("arrived_by")),
            "dispatched": iso_time(r.get("dispatched"), tz),
            "arrived": iso_time(r.get("arrived"), tz),
            "no_arrival": r.get("arrived") is None,
        })
    return out


# ---- the golden-time figures ---------------------------------------------------------------

def rate(within, counted):
    return {"rate": within / counted if counted else None, "within": within,
            "counted": counted}


def tally(recs, limit):
    """(within, counted) of records, by the rule in the module's comment."""
    within = counted = 0
    for r in recs:
        d, a = r["dispatched"], r["arrived"]
        if d is None or a is None or a < d:
            continue
        counted += 1
        if (a - d).total_seconds() <= limit:
            within += 1
    return within, counted


def day_of(t, tz):
    return t.astimezone(tz).date()


def golden(recs, now, limit, tz, open_count):
    today = day_of(now, tz)
    dated = [r for r in recs if r["dispatched"] is not None]
    todays = [r for r in dated if day_of(r["dispatched"], tz) == today]
    within, counted = tally(todays, limit)

    by_district = {}
    for r in todays:
        if r["district"] is not None:
            by_district.setdefault(r["district"], []).append(r)
    districts = {}
    for name in sorted(by_district):
        w, c = tally(by_district[name], limit)
        if c:
            districts[name] = rate(w, c)

    helped = {}
    for r in todays:
        d, a = r["dispatched"], r["arrived"]
        if a is None or a < d or r["arrived_by"] is None or r["responsible"] is None:
            continue
        if r["arrived_by"] != r["responsible"]:
            helped[r["arrived_by"]] = helped.get(r["arrived_by"], 0) + 1

    daily = []
    for back in range(30, 0, -1):
        day = today - dt.timedelta(days=back)
        w, c = tally([r for r in dated if day_of(r["dispatched"], tz) == day], limit)
        daily.append(dict(date=day.isoformat(), **rate(w, c)))

    since = now - dt.timedelta(hours=24)
    opened = sorted((r for r in dated if r["no_arrival"] and since < r["dispatched"] <= now),
                    key=lambda r: r["dispatched"])
    return {
        "now": now.isoformat(),
        "limit_s": limit,
        "records": len(recs),
        "today": today.isoformat(),
        "today_dispatches": len(todays),
        "city": rate(within, counted),
        "by_district": districts,
        "neighbour_help": {"count": sum(helped.values()),
                           "by_station": dict(sorted(helped.items(),
                                                     key=lambda kv: (-kv[1], kv[0])))},
        "daily": daily,
        "open": [{"id": r["id"], "district": r["district"], "arrived_by": r["arrived_by"],
                  "dispatched": r["dispatched"].astimezone(tz).isoformat(),
                  "age_s": int((now - r["dispatched"]).total_seconds())}
                 for r in opened[:open_count]],
        "open_count": len(opened),
    }


# ---- the real excerpt: report to dispatch ------------------------------------------------------

def median(xs):
    n = len(xs)
    if not n:
        return None
    mid = n // 2
    return xs[mid] if n % 2 else (xs[mid - 1] + xs[mid]) / 2


def p90_linear(xs):
    if not xs:
        return None
    h = 0.9 * (len(xs) - 1)
    lo = math.floor(h)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])


def p90_nearest_rank(xs):
    return xs[math.ceil(0.9 * len(xs)) - 1] if xs else None


def excerpt(rows, tz):
    stations = {}
    delays = []
    dispatches = 0
    for r in rows:
        sent = compact_time(r.get("출동일자"), r.get("출동시각"), tz)
        if sent is None:
            continue
        dispatches += 1
        name = text(r.get("소방서명"))
        if name:
            stations[name] = stations.get(name, 0) + 1
        reported = compact_time(r.get("신고일자"), r.get("신고시각"), tz)
        if reported is not None and sent >= reported:
            delays.append(int((sent - reported).total_seconds()))
    delays.sort()
    return {
        "dispatches": dispatches,
        "by_station": dict(sorted(stations.items(), key=lambda kv: (-kv[1], kv[0]))),
        "report_to_dispatch_s": {
            "count": len(delays),
            "median": median(delays),
            "p90_linear": p90_linear(delays),
            "p90_nearest_rank": p90_nearest_rank(delays),
            "within_180s": sum(1 for d in delays if d <= 180),
            "share_within_180s": (sum(1 for d in delays if d <= 180) / len(delays)
                                  if delays else None),
            "sorted": delays,
        },
    }


# ---- main -------------------------------------------------------------------------------------

def compute(path, now=None, limit=300, timezone="Asia/Seoul", open_count=10):
    """The figures of the file at path, as a dict (see the module's comment)."""
    tz = zoneinfo.ZoneInfo(timezone)
    with open(path, "rb") as f:
        data = f.read()
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        doc = json.loads(data.decode("utf-8"))
        recs = records_of_json(doc, tz)
        if now is None:
            now = iso_time(doc.get("generated_at"), tz)
    else:
        rows = read_csv(data)
        if rows and "현장도착시각" not in rows[0]:
            return excerpt(rows, tz)
        recs = records_of_csv(rows, tz)
    if now is None:
        raise ValueError("%s: no generated_at: give --now" % path)
    return golden(recs, now, limit, tz, open_count)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="golden_time_check",
                                 description="Golden-time figures of a 119 dispatch records "
                                             "file (JSON tidy form or CSV export form).")
    ap.add_argument("file")
    ap.add_argument("--now", help="ISO 8601 time (default: the document's generated_at)")
    ap.add_argument("--limit", type=duration, default=300, help="arrival limit (default 5m)")
    ap.add_argument("--timezone", default="Asia/Seoul", help="zone of days (Asia/Seoul)")
    ap.add_argument("--open-count", type=int, default=10, help="open incidents listed (10)")
    args = ap.parse_args(argv)
    tz = zoneinfo.ZoneInfo(args.timezone)
    now = None
    if args.now:
        now = iso_time(args.now, tz)
        if now is None:
            ap.error("--now: not an ISO 8601 time: %r" % args.now)
    try:
        out = compute(args.file, now, args.limit, args.timezone, args.open_count)
    except (OSError, ValueError) as e:
        print("golden_time_check: %s" % e, file=sys.stderr)
        return 1
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
