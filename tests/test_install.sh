#!/usr/bin/env bash
# After `meson install` the binary finds its assets under datadir/citywall (no source tree),
# and --check counts an error its drawing logs (a missing cartogram) in its summary.
set -u
bin=${CITYWALL_BIN:?}
build=${CITYWALL_BUILD_ROOT:?}
src=${CITYWALL_SOURCE_ROOT:?}
out=$build/install-test
rm -rf "$out"
mkdir -p "$out"
echo "1..3"
n=0
report() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
meson install -C "$build" --destdir "$out/dest" --no-rebuild --quiet >"$out/install.log" 2>&1
prefix=$(find "$out/dest" -type f -name citywall -path '*/bin/*' | head -1)
prefix=${prefix%/bin/citywall}
share=$prefix/share/citywall
[ -f "$share/assets/seoul-cartogram.geojson" ] && [ -f "$share/layouts/wall.json" ] &&
	[ -f "$share/docs/legibility.md" ]
report $? "install_puts_assets_layouts_docs_in_datadir"

# The installed binary, outside the source tree, checks the installed layouts cleanly.
(cd "$out" && env -u CITYWALL_SOURCE_ROOT -u CITYWALL_ASSET_DIR "$prefix/bin/citywall" \
	--check "$share"/layouts/*.json >"$out/check.out" 2>&1)
rc=$?
cat "$out/check.out" | sed 's/^/# /'
[ $rc -eq 0 ] && ! grep -q "cannot find" "$out/check.out" &&
	grep -q "files: 0 errors" "$out/check.out"
report $? "installed_binary_finds_the_cartogram"

# A copy with no assets anywhere: the map's error is printed and counted.
mkdir -p "$out/lonely"
cp "$bin" "$out/lonely/citywall"
cat >"$out/map.json" <<'JSON'
{"tiles": [{"id": "m", "widget": "map", "cell": [0, 0], "span": [6, 6], "title": "구별"}]}
JSON
(cd "$out" && env -u CITYWALL_SOURCE_ROOT -u CITYWALL_ASSET_DIR "$out/lonely/citywall" \
	--check "$out/map.json" >"$out/lonely.out" 2>&1)
rc=$?
cat "$out/lonely.out" | sed 's/^/# /'
[ $rc -eq 1 ] && grep -q "cannot find the bundled map" "$out/lonely.out" &&
	grep -q "checked 1 file: 1 error," "$out/lonely.out"
report $? "check_counts_logged_errors_missing_cartogram"
