#!/usr/bin/env python3
"""Newcomer traps in the docs' examples: copied where the page says, each example checks
clean with `citywall --check`, which warns of a bound path its local feed file lacks.

- docs/layouts.md's first complete example, saved in layouts/ as the page says, names a
  snapshot that is there and binds only paths it holds;
- docs/widgets/map.md's first example (the incidents map among them) binds only paths its
  files hold, so no map draws silently empty.

Run with CITYWALL_BIN naming the binary and CITYWALL_SOURCE_ROOT the source tree.
"""

import os
import re
import subprocess
import sys
import tempfile

ROOT = os.environ.get("CITYWALL_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), ".."))
BIN = os.environ["CITYWALL_BIN"]


def first_example(page):
    with open(os.path.join(ROOT, page), encoding="utf-8") as f:
        return re.search(r"```json\n(.*?)```", f.read(), re.S).group(1)


def check_at(example, where):
    """Writes the example at ROOT-relative `where` inside a temporary copy of the tree's
    layouts/ and assets/ (symlinked), runs --check and returns (status, output)."""
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("layouts", "assets"):
            os.symlink(os.path.join(os.path.abspath(ROOT), name), os.path.join(tmp, name))
        path = os.path.join(tmp, where)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(example)
        r = subprocess.run([BIN, "--check", path], capture_output=True, text=True)
        return r.returncode, r.stderr.replace(tmp, "TMP")


def layouts_first_example_is_self_contained():
    # The page says: save it as layouts/air.json. In the symlinked layouts/ the file would
    # land in the source tree, so it is written beside a symlink of layouts/data instead.
    example = first_example("docs/layouts.md")
    with tempfile.TemporaryDirectory() as tmp:
        os.symlink(os.path.join(os.path.abspath(ROOT), "layouts", "data"),
                   os.path.join(tmp, "data"))
        path = os.path.join(tmp, "air.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(example)
        r = subprocess.run([BIN, "--check", path], capture_output=True, text=True)
    text = open(os.path.join(ROOT, "docs/layouts.md"), encoding="utf-8").read()
    says_where = "layouts/air.json" in text.split("```json", 1)[0]
    return r.returncode == 0 and r.stderr.endswith("0 errors, 0 warnings\n") and says_where, \
        r.stderr


def map_example_binds_present_paths():
    rc, out = check_at(first_example("docs/widgets/map.md"), "docs/widgets/map-example.json")
    return rc == 0 and out.endswith("0 errors, 0 warnings\n"), out


def main():
    cases = [("layouts_md_first_example_self_contained", layouts_first_example_is_self_contained),
             ("map_md_incidents_example_binds_present_data", map_example_binds_present_paths)]
    print(f"1..{len(cases)}")
    failed = 0
    for i, (name, fn) in enumerate(cases, 1):
        ok, out = fn()
        for line in out.splitlines():
            print(f"# {line}")
        print(f"{'ok' if ok else 'not ok'} {i} - {name}")
        failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
