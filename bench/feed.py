#!/usr/bin/env python3
"""feed.py - the live feed of the browser comparison (bench/run), python3 stdlib only.

Serves on loopback, for citywall and for Chromium alike:

  GET  /feed.json          the board's snapshot: 60 kpi values with their previous values, 12
                           series of 200 points, 25 district values, ticker items
  GET  /board.html         bench/board.html, the same board as a web page
  GET  /districts.geojson  the district boundaries named by --geojson (the page draws them)
  POST /fps                the page's frame count: {"frames": N, "t": performance.now() ms}
  GET  /fps                the last report, with "received" (server time, s); {} before one

The document changes once a second of wall time: tick = floor(now - start); at each tick one
kpi value (tick mod 60) and one district (tick mod 25) take a new value, nothing else moves.
Values are a seeded random walk, so every run serves the same sequence. The document is built
once per tick and served as the same bytes to everyone who asks during that second.

  feed.py --port 0 [--geojson FILE]   prints "feed: listening on http://127.0.0.1:PORT"
  feed.py --dump FILE                 writes the first document to FILE and exits, without
                                      "generated_at": citywall-bench runs at a fixed clock, and
                                      a document without a time is as old as its fetch, so the
                                      board is measured fresh, as the live wall runs
  feed.py --dump-ticks N DIR          writes the documents of ticks 0..N-1 to DIR/0000.json,
                                      DIR/0001.json, ... and exits: the seconds citywall-bench
                                      --updates DIR replays. Their "generated_at" counts from
                                      citywall-bench's fixed clock (BENCH_CLOCK), one second a
                                      tick, as a live feed's do
"""

import argparse
import datetime as dt
import http.server
import json
import os
import random
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
KST = dt.timezone(dt.timedelta(hours=9))

# (title, unit, decimals, typical value). Titles are the board's; the layout (board.json) and
# the page (board.html) show the same ones: the page reads them from here, the layout has them
# written in (tests/test_bench.sh checks that the two agree).
CITY_KPIS = [
    ("화재 발생 (오늘)", "건", 0, 16), ("구조 출동 (오늘)", "건", 0, 393),
    ("구급 활동 (오늘)", "건", 0, 1306), ("119 신고 접수 (오늘)", "건", 0, 5278),
    ("구급 이송 인원 (오늘)", "명", 0, 884), ("화재 7분 내 도착률", "%", 1, 92.6),
    ("소방차 5분 내 도착률", "%", 1, 88.8), ("화재현장 평균 도착", "분", 2, 4.98),
    ("미세먼지 PM10", "㎍/㎥", 0, 44), ("초미세먼지 PM2.5", "㎍/㎥", 0, 20),
    ("통합대기환경지수 CAI", "", 0, 62), ("오존", "ppm", 3, 0.031),
    ("이산화질소", "ppm", 3, 0.024), ("서울 평균 통행속도", "km/h", 1, 24.2),
    ("도심 평균 통행속도", "km/h", 1, 17.4), ("도시고속도로 속도", "km/h", 1, 53.2),
    ("시내도로 원활 비율", "%", 1, 41.4), ("수돗물 탁도", "NTU", 2, 0.06),
    ("수돗물 pH", "", 1, 7.1), ("잔류염소", "mg/L", 2, 0.42),
    ("따릉이 대여 (오늘)", "건", 0, 11300), ("따릉이 대여소", "곳", 0, 2700),
    ("따릉이 회원", "만 명", 1, 62.0), ("청년 일자리카페", "곳", 0, 41),
    ("일자리카페 이용자", "명", 0, 35735), ("120 다산콜 상담 (오늘)", "건", 0, 33000),
    ("민주주의서울 제안", "건", 0, 2435), ("서울시 채무", "조원", 2, 3.48),
    ("주민 1인당 채무", "원", 0, 350000), ("살림규모", "조원", 2, 34.84),
    ("연계 CCTV", "대", 0, 800), ("서울둘레길", "km", 0, 157),
    ("둘레길 완주자", "명", 0, 6300), ("문화행사 (이번 주)", "건", 0, 312),
    ("기온", "℃", 1, -3.5),
]

# (KOSTAT census code, name): the keys of kostat2013_seoul_municipalities_geo*.json's `code`
# and of assets/seoul-cartogram.geojson's `kostat_code`.
DISTRICTS = [
    ("11010", "종로구"), ("11020", "중구"), ("11030", "용산구"), ("11040", "성동구"),
    ("11050", "광진구"), ("11060", "동대문구"), ("11070", "중랑구"), ("11080", "성북구"),
    ("11090", "강북구"), ("11100", "도봉구"), ("11110", "노원구"), ("11120", "은평구"),
    ("11130", "서대문구"), ("11140", "마포구"), ("11150", "양천구"), ("11160", "강서구"),
    ("11170", "구로구"), ("11180", "금천구"), ("11190", "영등포구"), ("11200", "동작구"),
    ("11210", "관악구"), ("11220", "서초구"), ("11230", "강남구"), ("11240", "송파구"),
    ("11250", "강동구"),
]

# 35 city-wide indicators and one per district: 60 tiles.
KPIS = CITY_KPIS + [(name + " 119 출동", "건", 0, 48) for _, name in DISTRICTS]

SERIES = [
    ("PM10 24시간", "㎍/㎥", 44), ("PM2.5 24시간", "㎍/㎥", 20), ("CAI 24시간", "", 62),
    ("도심 속도", "km/h", 17.4), ("전체 속도", "km/h", 24.2), ("고속도로 속도", "km/h", 53.2),
    ("119 신고 / 시간", "건", 220), ("구급 / 시간", "건", 54), ("따릉이 / 시간", "건", 470),
    ("120 상담 / 시간", "건", 1375), ("전력 수요", "GW", 9.1), ("기온", "℃", -3.5),
]
SERIES_POINTS = 200

# citywall-bench's fixed clock (tools/bench.c): 2026-11-25 00:00 UTC.
BENCH_CLOCK = 1795564800

TICKER = [
    "[서울시] 한파경보 발효 중, 아침 최저 -9℃ — 수도계량기 동파에 유의하세요",
    "따릉이 오늘 대여 11,300건 · 대여소 2,700곳 운영 중",
    "[재난안전] 구로구 공장 화재 초진 완료, 인근 도로 통제 해제",
    "120 다산콜센터 상담 폭주 — 연말정산 문의는 홈택스를 이용해 주세요",
    "서울둘레길 8코스 정비 완료 · 157km 전 구간 개통",
    "미세먼지 '보통' — 오후부터 서풍 타고 농도 상승 예상",
    "지하철 2호선 신도림역 혼잡, 열차 간격 조정 중",
    "민주주의서울 시민제안 올해 2,435건 접수",
]


def walk(rng, value, base):
    """One step of a mean-reverting walk around base (never crossing zero for a positive base)."""
    spread = abs(base) * 0.04 or 0.5
    step = rng.gauss(0, spread) + (base - value) * 0.2
    new = value + step
    return max(new, 0.0) if base > 0 else new


class Board:
    """The evolving document: one kpi and one district move per tick."""

    def __init__(self, seed, start):
        self.rng = random.Random(seed)
        self.start = start
        self.tick = -1
        self.kpi_value = [float(k[3]) for k in KPIS]
        self.kpi_previous = [walk(self.rng, v, v) for v in self.kpi_value]
        self.district = [self.rng.uniform(25, 95) for _ in DISTRICTS]
        self.series = [self.make_series(base) for _, _, base in SERIES]
        self.body = b""
        self.lock = threading.Lock()
        self.advance(0)

    def make_series(self, base):
        out, v = [], float(base)
        for _ in range(SERIES_POINTS):
            v = walk(self.rng, v, base)
            out.append(round(v, 3))
        return out

    def step(self):
        self.tick += 1
        if self.tick == 0:
            return
        k = self.tick % len(KPIS)
        self.kpi_previous[k] = self.kpi_value[k]
        self.kpi_value[k] = walk(self.rng, self.kpi_value[k], KPIS[k][3])
        d = self.tick % len(DISTRICTS)
        self.district[d] = min(max(walk(self.rng, self.district[d], 60), 5), 180)

    def advance(self, tick):
        """Brings the document to `tick` (ticks only go forward) and returns its bytes."""
        with self.lock:
            if tick > self.tick:
                while self.tick < tick:
                    self.step()
                self.body = json.dumps(self.document(), ensure_ascii=False).encode()
            return self.body

    def document(self):
        now = dt.datetime.fromtimestamp(self.start + self.tick, KST)
        return {
            "seq": self.tick + 1,
            "generated_at": now.isoformat(timespec="seconds"),
            "kpi": [{"name": k[0], "unit": k[1], "decimals": k[2],
                     "value": round(self.kpi_value[i], k[2]),
                     "previous": round(self.kpi_previous[i], k[2])}
                    for i, k in enumerate(KPIS)],
            "series": [{"name": s[0], "unit": s[1], "points": self.series[i]}
                       for i, s in enumerate(SERIES)],
            "districts": [{"code": code, "name": name, "value": round(self.district[i])}
                          for i, (code, name) in enumerate(DISTRICTS)],
            "ticker": TICKER,
        }


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "citywall-bench-feed"

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def send(self, status, body, ctype):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - http.server's naming
        srv = self.server
        path = self.path.split("?", 1)[0]
        if path == "/feed.json":
            tick = int(time.time() - srv.board.start)
            self.send(200, srv.board.advance(tick), "application/json")
        elif path == "/board.html":
            with open(os.path.join(HERE, "board.html"), "rb") as f:
                self.send(200, f.read(), "text/html; charset=utf-8")
        elif path == "/districts.geojson":
            self.send(200, srv.geojson, "application/geo+json")
        elif path == "/fps":
            self.send(200, json.dumps(srv.fps).encode(), "application/json")
        else:
            self.send(404, b"not found\n", "text/plain")

    do_HEAD = do_GET

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 4096))
        if self.path != "/fps":
            self.send(404, b"not found\n", "text/plain")
            return
        try:
            report = json.loads(body)
            report = {"frames": int(report["frames"]), "t": float(report["t"]),
                      "received": time.time()}
        except (ValueError, KeyError, TypeError):
            self.send(400, b"want {\"frames\": N, \"t\": MS}\n", "text/plain")
            return
        self.server.fps = report
        self.send(204, b"", "text/plain")


def dump(doc, path):
    """Writes `doc` as the feed serves it."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)


def main():
    ap = argparse.ArgumentParser(description="live feed of the browser comparison")
    ap.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free one)")
    ap.add_argument("--geojson", default=os.path.join(HERE, "..", "assets",
                                                       "seoul-cartogram.geojson"),
                    help="district boundaries served to the page")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--dump", metavar="FILE", help="write the first document (no time) and exit")
    ap.add_argument("--dump-ticks", nargs=2, metavar=("N", "DIR"),
                    help="write the documents of N ticks (no time) into DIR and exit")
    args = ap.parse_args()
    board = Board(args.seed, float(int(time.time())))
    if args.dump:
        doc = board.document()
        del doc["generated_at"]  # a document without a time is as old as its fetch
        dump(doc, args.dump)
        return 0
    if args.dump_ticks:
        count, folder = int(args.dump_ticks[0]), args.dump_ticks[1]
        os.makedirs(folder, exist_ok=True)
        board = Board(args.seed, float(BENCH_CLOCK))
        for tick in range(count):
            board.advance(tick)
            dump(board.document(), os.path.join(folder, "%04d.json" % tick))
        return 0
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    srv.daemon_threads = True
    srv.board = board
    srv.fps = {}
    with open(args.geojson, "rb") as f:
        srv.geojson = f.read()
    print(f"feed: listening on http://127.0.0.1:{srv.server_address[1]}", flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
