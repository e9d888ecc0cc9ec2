#!/usr/bin/env python3
"""Tests for the JSON Schema of layout files (layouts/citywall.schema.json).

The schema is generated from the option tables `citywall --check` validates against
(tools/gen-schema); these tests hold the two together with a real JSON Schema validator
(Debian's python3-jsonschema, installed by tools/setup):

- the committed schema is exactly what the generator prints (regenerate after a table change),
- it is a valid draft-07 schema,
- every bundled layout and every ```json example of the docs validates against it,
- layouts with one mistake each are rejected by both the schema and `citywall --check`, and
  layouts using each feature of the format are accepted by both.

Run as `python3 tests/test_schema.py` with CITYWALL_BUILD_ROOT naming the build folder (the one
holding tools/gen-schema and src/citywall; default: ./build). Prints TAP; the exit status is 0
only when every test passes.
"""

import copy
import difflib
import glob
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("CITYWALL_BUILD_ROOT") or os.path.join(ROOT, "build")
GEN_SCHEMA = os.path.join(BUILD, "tools", "gen-schema")
CITYWALL = os.environ.get("CITYWALL_BIN") or os.path.join(BUILD, "src", "citywall")
SCHEMA_FILE = os.path.join(ROOT, "layouts", "citywall.schema.json")
SCHEMA_NAME = os.path.basename(SCHEMA_FILE)
SYSTEM_PYTHON = "/usr/bin/python3"


def import_jsonschema():
    """The jsonschema module; re-runs this script with the system Python when only it has it.

    Debian's python3-jsonschema installs for /usr/bin/python3, while the python3 found first on
    PATH (a pyenv or venv one) may not see it.
    """
    try:
        import jsonschema  # noqa: PLC0415
        return jsonschema
    except ImportError:
        pass
    if (os.path.exists(SYSTEM_PYTHON) and not os.environ.get("CITYWALL_SCHEMA_REEXEC") and
            os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PYTHON)):
        env = dict(os.environ, CITYWALL_SCHEMA_REEXEC="1")
        sys.stdout.flush()
        os.execve(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__)] + sys.argv[1:], env)
    return None


jsonschema = import_jsonschema()
VALIDATOR = None  # set in main() from the committed schema


# ------------------------------------------------------------------------------------------
# Helpers

def schema_errors(instance):
    """Every error of `instance`, with the errors inside anyOf/oneOf branches, as
    (path list, message) pairs."""
    found = []

    def walk(errors):
        for e in errors:
            found.append((list(e.absolute_path), e.message))
            walk(e.context or [])

    walk(VALIDATOR.iter_errors(instance))
    return found


def check_with_citywall(layout, folder, name):
    """(exit status, output) of `citywall --check` on `layout` written to folder/name.json."""
    path = os.path.join(folder, name + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(layout, f, ensure_ascii=False, indent=1)
    proc = subprocess.run([CITYWALL, "--check", path], capture_output=True, timeout=30,
                          env=dict(os.environ, SDL_VIDEODRIVER="dummy"))
    return proc.returncode, (proc.stdout + proc.stderr).decode("utf-8", "replace")


def markdown_examples(path):
    """The ```json blocks of a Markdown file, as the C docs test reads them."""
    with open(path, encoding="utf-8") as f:
        doc = f.read()
    blocks = []
    start = doc.find("```json\n")
    while start >= 0:
        start += len("```json\n")
        end = doc.find("```", start)
        if end < 0:
            break
        blocks.append(doc[start:end])
        start = doc.find("```json\n", end + 3)
    return blocks


def bundled_layouts():
    """layouts/*.json and tests/layouts/*.json, less the schema and files that other layouts
    "include" (those hold templates and themes, not layouts)."""
    files = sorted(glob.glob(os.path.join(ROOT, "layouts", "*.json")) +
                   glob.glob(os.path.join(ROOT, "tests", "layouts", "*.json")))
    files = [f for f in files if os.path.basename(f) != SCHEMA_NAME]
    included = set()
    for f in files:
        try:
            with open(f, encoding="utf-8") as fh:
                doc = json.load(fh)
        except ValueError:
            continue
        for name in doc.get("include", []) if isinstance(doc, dict) else []:
            if isinstance(name, str):
                included.add(os.path.normpath(os.path.join(os.path.dirname(f), name)))
    return [f for f in files if os.path.normpath(f) not in included]


def rel(path):
    return os.path.relpath(path, ROOT)


# ------------------------------------------------------------------------------------------
# A valid layout touching most of the format, and the mistakes made to it one at a time

BASE = {
    "$schema": "../../layouts/citywall.schema.json",
    "version": 1,
    "title": "schema test",
    "timezone": "Asia/Seoul",
    "status_strip": "auto",
    "canvas": {"width": 1280, "height": 720},
    "grid": {"columns": 4, "rows": 3, "gap": 8, "margin": 16},
    "theme": {"background": "#101820", "accent": "#4af",
              "states": {"good": {"fill": "#12345680", "accent": "#abcdef"}}},
    "feed": {"url": "http://127.0.0.1:9/city.json", "interval": 5, "max_age": 60},
    "sources": {
        "air": {"url": "http://127.0.0.1:9/air.json", "interval": 10, "timeout": 5,
                "headers": {"X-Api-Key": "${SEOUL_API_KEY}"}},
    },
    "tiles": [
        {"id": "pm10", "widget": "kpi", "cell": [0, 0], "span": [2, 1], "title": "PM10",
         "value": "air:/city/pm10", "unit": "㎍/㎥", "decimals": 0, "better": "down",
         "thresholds": [{"from": 0, "state": "good"}, {"from": 81, "state": "bad"}]},
        {"id": "clock", "widget": "clock", "cell": [2, 0], "span": [2, 1], "seconds": False},
        {"id": "label", "widget": "text", "cell": [0, 1], "text": "서울", "role": "title",
         "align": "center", "size": 24},
    ],
}


def at(doc, path):
    for key in path:
        doc = doc[key]
    return doc


def setting(path, value):
    def change(doc):
        at(doc, path[:-1])[path[-1]] = value
    return change


def removing(path):
    def change(doc):
        del at(doc, path[:-1])[path[-1]]
    return change


def renaming_source(old, new):
    def change(doc):
        doc["sources"][new] = doc["sources"].pop(old)
        doc["tiles"][0]["value"] = new + ":/city/pm10"
    return change


def templated(params):
    """Adds a "pm10" template and a tile made from it with `params`."""
    def change(doc):
        doc["templates"] = {"pm10": {"widget": "kpi", "title": "${name} PM10",
                                     "value": "air:/districts/${code}/pm10", "unit": "㎍/㎥"}}
        doc["tiles"].append({"template": "pm10", "with": params, "cell": [1, 1]})
    return change


def paged(page):
    """Moves the tiles but the first onto a page, and adds `page` after it."""
    def change(doc):
        doc["pages"] = [{"id": "main", "title": "본", "duration": 15, "tiles": doc["tiles"][1:]},
                        page]
        doc["tiles"] = doc["tiles"][:1]
    return change


def grouped(child, grid=None):
    """Adds a group over the free bottom row, holding `child` (if any) on `grid`."""
    def change(doc):
        group = {"widget": "group", "id": "panel", "cell": [0, 2], "span": [4, 1],
                 "title": "묶음", "grid": grid or {"columns": 2, "rows": 1, "gap": 4},
                 "tiles": [child] if child else []}
        doc["tiles"].append(group)
    return change


# (name, change, where the schema complains (path), what citywall's message names)
INVALID = [
    ("unknown root key", setting(["colour"], 1), [], "/colour"),
    ("unknown tile key", setting(["tiles", 0, "valeu"], "x"), ["tiles", 0], "/tiles/0/valeu"),
    ("key of another widget", setting(["tiles", 1, "unit"], "%"), ["tiles", 1],
     "/tiles/1/unit"),
    ("unknown canvas key", setting(["canvas", "depth"], 3), ["canvas"], "/canvas/depth"),
    ("unknown source key", setting(["sources", "air", "retries"], 3), ["sources", "air"],
     "/sources/air/retries"),
    ("title not a string", setting(["title"], 5), ["title"], "/title"),
    ("canvas width as text", setting(["canvas", "width"], "1280"), ["canvas", "width"],
     "/canvas/width"),
    ("bool as text", setting(["tiles", 1, "seconds"], "no"), ["tiles", 1, "seconds"],
     "/tiles/1/seconds"),
    ("number out of range", setting(["grid", "gap"], 5000), ["grid", "gap"], "/grid/gap"),
    ("source interval below range", setting(["sources", "air", "interval"], 0),
     ["sources", "air", "interval"], "/sources/air/interval"),
    ("integer not whole", setting(["grid", "columns"], 2.5), ["grid", "columns"],
     "/grid/columns"),
    ("version 2", setting(["version"], 2), ["version"], "/version"),
    ("bad enum", setting(["tiles", 2, "role"], "huge"), ["tiles", 2, "role"], "/tiles/2/role"),
    ("bad root enum", setting(["status_strip"], "sometimes"), ["status_strip"],
     "/status_strip"),
    ("colour of 5 digits", setting(["theme", "background"], "#12345"),
     ["theme", "background"], "/theme/background"),
    ("colour by name", setting(["theme", "states", "good", "fill"], "red"),
     ["theme", "states", "good", "fill"], "/theme/states/good/fill"),
    ("unknown state colour key", setting(["theme", "states", "good", "border"], "#fff"),
     ["theme", "states", "good"], "/theme/states/good/border"),
    ("unknown theme state", setting(["theme", "states", "awful"], {"fill": "#fff"}),
     ["theme", "states"], "/theme/states/awful"),
    ("missing tiles", removing(["tiles"]), [], "tiles"),
    ("missing widget", removing(["tiles", 2, "widget"]), ["tiles", 2], "/tiles/2"),
    ("missing required widget option", removing(["tiles", 0, "value"]), ["tiles", 0],
     "/tiles/0"),
    ("source without url", removing(["sources", "air", "url"]), ["sources", "air"],
     "/sources/air"),
    ("unknown widget", setting(["tiles", 2, "widget"], "txet"), ["tiles", 2, "widget"],
     "/tiles/2/widget"),
    ("source name with a space", renaming_source("air", "air quality"), ["sources"],
     "/sources/air quality"),
    ("source named default", renaming_source("air", "default"), ["sources"],
     "/sources/default"),
    ("header value not text", setting(["sources", "air", "headers", "X-Api-Key"], 7),
     ["sources", "air", "headers", "X-Api-Key"], "/sources/air/headers/X-Api-Key"),
    ("feed as a number", setting(["feed"], 42), ["feed"], "/feed"),
    ("threshold from as text", setting(["tiles", 0, "thresholds", 0, "from"], "zero"),
     ["tiles", 0, "thresholds", 0, "from"], "/tiles/0/thresholds/0"),
    ("threshold state unknown", setting(["tiles", 0, "thresholds", 1, "state"], "terrible"),
     ["tiles", 0, "thresholds", 1, "state"], "/tiles/0/thresholds/1/state"),
    ("threshold state nodata", setting(["tiles", 0, "thresholds", 1, "state"], "nodata"),
     ["tiles", 0, "thresholds", 1, "state"], "/tiles/0/thresholds/1/state"),
    ("threshold step with an extra key", setting(["tiles", 0, "thresholds", 0, "to"], 30),
     ["tiles", 0, "thresholds", 0], "/tiles/0/thresholds/0"),
    ("thresholds empty", setting(["tiles", 0, "thresholds"], []),
     ["tiles", 0, "thresholds"], "/tiles/0/thresholds"),
    ("span of 3 numbers", setting(["tiles", 2, "span"], [1, 1, 1]), ["tiles", 2, "span"],
     "/tiles/2/span"),
    ("cell not whole", setting(["tiles", 2, "cell"], [0.5, 1]), ["tiles", 2, "cell", 0],
     "/tiles/2/cell"),
    ("cell below 0", setting(["tiles", 2, "cell"], [-1, 1]), ["tiles", 2, "cell", 0],
     "/tiles/2/cell"),
    ("binding with an empty segment", setting(["tiles", 0, "value"], "air:/city//pm10"),
     ["tiles", 0, "value"], "/tiles/0/value"),
    ("tiles not an array", setting(["tiles"], {"pm10": {}}), ["tiles"], "/tiles"),
    ("theme scale out of range", setting(["theme", "scale"], {"title": 9}),
     ["theme", "scale", "title"], "/theme/scale/title"),
    ("template parameter an object", templated({"name": {"ko": "강남구"}}),
     ["tiles", 3, "with", "name"], "/tiles/3"),
    ("page without tiles", paged({"id": "air", "duration": 10}), ["pages", 1], "/pages/1"),
    ("unknown key inside a group", grouped({"widget": "text", "cell": [0, 0], "txt": "x"}),
     ["tiles", 3, "tiles", 0], "/tiles/3/tiles/0/txt"),
    ("unknown group grid key", grouped(None, {"columns": 2, "rows": 1, "margin": 4}),
     ["tiles", 3, "grid"], "/tiles/3/grid/margin"),
]

# Features of the format, each accepted by both: the schema must never be stricter.
VALID = [
    ("feed as a file name", setting(["feed"], "../data/demo-snapshot.json")),
    ("colours of 3, 6 and 8 digits",
     setting(["theme"], {"text": "#fff", "muted": "#a0a8b0", "tile": "#1a2230cc"})),
    ("thresholds with every state", setting(["tiles", 0, "thresholds"], [
        {"from": -10, "state": "normal"}, {"from": 0, "state": "good"},
        {"from": 31, "state": "moderate"}, {"from": 81, "state": "bad"},
        {"from": 151, "state": "very_bad"}])),
    ("binding with a leading slash", setting(["tiles", 0, "value"], "/air/city/pm10")),
    ("theme by name", setting(["theme"], "light")),
    ("named themes with a base and scales", lambda d: d.update(
        themes={"station": {"base": "dark", "scale": {"title": 1.2, "value": 1.5}}},
        theme="station")),
    ("a tile from a template", templated({"name": "강남구", "code": 11680})),
    ("pages", paged({"id": "air", "duration": 10, "tiles": [
        {"widget": "text", "cell": [0, 1], "text": "대기"}]})),
    ("grid areas", lambda d: d.update(
        grid={"columns": 2, "rows": 1, "areas": ["left right"]},
        tiles=[{"widget": "clock", "area": "left"}, {"widget": "text", "area": "right"}])),
    ("a group with its own grid and areas", grouped(
        {"widget": "text", "area": "a", "text": "안"},
        {"columns": 2, "rows": 1, "padding": 4, "areas": ["a b"]})),
    ("no optional keys at all", lambda d: [d.pop(k) for k in
                                         ("$schema", "version", "title", "timezone",
                                          "status_strip", "canvas", "grid", "theme")]),
]


# ------------------------------------------------------------------------------------------
# The tests

def committed_schema_is_the_generators_output():
    proc = subprocess.run([GEN_SCHEMA], capture_output=True, timeout=30)
    assert proc.returncode == 0, "gen-schema failed: %s" % proc.stderr.decode()
    with open(SCHEMA_FILE, "rb") as f:
        committed = f.read()
    if committed != proc.stdout:
        diff = difflib.unified_diff(committed.decode().splitlines(),
                                    proc.stdout.decode().splitlines(),
                                    "layouts/citywall.schema.json", "gen-schema", lineterm="")
        lines = list(diff)
        raise AssertionError(
            "layouts/citywall.schema.json is not what the option tables give; regenerate it:\n"
            "    %s > layouts/citywall.schema.json\n%s%s"
            % (os.path.relpath(GEN_SCHEMA, ROOT), "\n".join(lines[:40]),
               "\n... (%d more diff lines)" % (len(lines) - 40) if len(lines) > 40 else ""))


def schema_is_valid_draft_07():
    with open(SCHEMA_FILE, encoding="utf-8") as f:
        schema = json.load(f)
    assert schema.get("$schema") == "http://json-schema.org/draft-07/schema#", schema.get(
        "$schema")
    jsonschema.Draft7Validator.check_schema(schema)


def bundled_layouts_validate():
    files = bundled_layouts()
    assert len(files) >= 3, "found only %r" % files
    problems = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            layout = json.load(fh)
        for path, message in schema_errors(layout)[:5]:
            problems.append("%s: /%s: %s" % (rel(f), "/".join(map(str, path)), message))
    assert not problems, "\n".join(problems)


def docs_examples_validate():
    pages = [os.path.join(ROOT, "docs", "layouts.md")]
    pages += sorted(glob.glob(os.path.join(ROOT, "docs", "widgets", "*.md")))
    problems = []
    count = 0
    for page in pages:
        for n, block in enumerate(markdown_examples(page), 1):
            count += 1
            try:
                layout = json.loads(block)
            except ValueError as e:
                problems.append("%s, example %d: not JSON: %s" % (rel(page), n, e))
                continue
            for path, message in schema_errors(layout)[:5]:
                problems.append("%s, example %d: /%s: %s"
                                % (rel(page), n, "/".join(map(str, path)), message))
    assert count >= 2, "found only %d examples" % count
    assert not problems, "\n".join(problems)


def base_layout_passes_both():
    errors = schema_errors(BASE)
    assert not errors, errors
    with tempfile.TemporaryDirectory(prefix="citywall-schema-") as folder:
        rc, out = check_with_citywall(BASE, folder, "base")
    assert rc == 0, "citywall --check exited %d:\n%s" % (rc, out)


def rejected_by_both(change, schema_at, citywall_names):
    def test():
        layout = copy.deepcopy(BASE)
        change(layout)
        errors = schema_errors(layout)
        assert errors, "the schema accepts it"
        paths = [p for p, _ in errors]
        assert schema_at in paths, "the schema complains elsewhere: %s" % errors
        with tempfile.TemporaryDirectory(prefix="citywall-schema-") as folder:
            rc, out = check_with_citywall(layout, folder, "case")
        assert rc == 1, "citywall --check exited %d (want 1):\n%s" % (rc, out)
        assert citywall_names in out, "citywall's messages do not name %r:\n%s" % (
            citywall_names, out)
    return test


def accepted_by_both(change):
    def test():
        layout = copy.deepcopy(BASE)
        change(layout)
        errors = schema_errors(layout)
        assert not errors, "the schema rejects it: %s" % errors
        with tempfile.TemporaryDirectory(prefix="citywall-schema-") as folder:
            rc, out = check_with_citywall(layout, folder, "case")
        assert rc == 0, "citywall --check exited %d:\n%s" % (rc, out)
    return test


TESTS = [
    ("the committed schema is the generator's output", committed_schema_is_the_generators_output),
    ("the schema is a valid draft-07 schema", schema_is_valid_draft_07),
    ("every bundled layout validates against the schema", bundled_layouts_validate),
    ("every docs example validates against the schema", docs_examples_validate),
    ("the test layout passes the schema and citywall --check", base_layout_passes_both),
]
TESTS += [("both reject: " + name, rejected_by_both(change, where, names))
          for name, change, where, names in INVALID]
TESTS += [("both accept: " + name, accepted_by_both(change)) for name, change in VALID]


def main():
    t0 = time.monotonic()
    print("1..%d" % len(TESTS), flush=True)
    if jsonschema is None:
        print("Bail out! python3-jsonschema is not installed (tools/setup installs it)")
        return 1
    for tool in (GEN_SCHEMA, CITYWALL):
        if not os.access(tool, os.X_OK):
            print("Bail out! %s is not built (set CITYWALL_BUILD_ROOT)" % tool)
            return 1
    global VALIDATOR
    try:
        with open(SCHEMA_FILE, encoding="utf-8") as f:
            VALIDATOR = jsonschema.Draft7Validator(json.load(f))
    except (OSError, ValueError) as e:
        print("Bail out! cannot read %s: %s" % (rel(SCHEMA_FILE), e))
        return 1
    failed = 0
    for i, (name, fn) in enumerate(TESTS, 1):
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
    print("# %d of %d passed in %.1f s" % (len(TESTS) - failed, len(TESTS),
                                         time.monotonic() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
