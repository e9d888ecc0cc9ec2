#!/usr/bin/env bash
# tools/chrony-wall.conf parses with chrony's own parser (chronyd -p prints the configuration
# and exits, touching nothing), and the check can fail: a broken copy is refused. Prints TAP.
set -u
cd "${CITYWALL_SOURCE_ROOT:?}" || exit 1
chronyd=${CHRONYD:-$(command -v chronyd || echo /usr/sbin/chronyd)}
if [ ! -x "$chronyd" ]; then
	echo "1..0 # SKIP chronyd is not installed (apt-get install chrony, or CHRONYD=path)"
	exit 0
fi
echo "1..2"
out=${CITYWALL_BUILD_ROOT:?}/chrony-conf-test
mkdir -p "$out"
if "$chronyd" -p -f tools/chrony-wall.conf >"$out/parsed.txt" 2>&1; then
	echo "ok 1 - tools/chrony-wall.conf parses ($(grep -c . "$out/parsed.txt") directives)"
else
	echo "not ok 1 - tools/chrony-wall.conf does not parse: $(tail -1 "$out/parsed.txt")"
fi
{ cat tools/chrony-wall.conf; echo "makestep sometimes"; } >"$out/broken.conf"
if "$chronyd" -p -f "$out/broken.conf" >"$out/broken.txt" 2>&1; then
	echo "not ok 2 - a broken copy was accepted"
else
	echo "ok 2 - a broken copy is refused: $(tail -1 "$out/broken.txt")"
fi
