#!/usr/bin/env bash
# Builds the DocC catalog (Sources/ByteFlow/ByteFlow.docc) with the
# toolchain's own `docc`, no plugin, and fails on any DocC warning and on any
# public symbol of ByteFlow without a doc comment.
#
#   Scripts/build-docs.sh [OUTPUT]      # default .build/docs/ByteFlow.doccarchive
#
# Open the result with a static web server, or read it with
# `docc preview Sources/ByteFlow/ByteFlow.docc --additional-symbol-graph-dir .build/docs/symbol-graphs`.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-.build/docs/ByteFlow.doccarchive}"
graphs=.build/docs/symbol-graphs
docc="$(dirname "$(readlink -f "$(command -v swift)")")/docc"
log="$(mktemp)"
stamp="$(mktemp)"
trap 'rm -f "$log" "$stamp"' EXIT

# Symbol graphs of the public API, from the debug build (no rebuild if it is
# current).
rm -rf "$graphs"
mkdir -p "$graphs"
# The exit status is not used: on a clone where the tests were never built,
# extracting the test modules' graphs fails after ByteFlow's was written.
# What counts is a ByteFlow graph newer than this run.
swift package dump-symbol-graph --minimum-access-level public > "$log" 2>&1 || true
dir="$(sed -n 's/^Files written to //p' "$log" | tail -1)"
if [ -z "$dir" ] || [ -z "$(find "$dir/ByteFlow.symbols.json" -newer "$stamp" 2>/dev/null)" ]; then
    cat "$log"
    echo "no fresh symbol graph for ByteFlow"
    exit 1
fi
cp "$dir"/ByteFlow.symbols.json "$dir"/ByteFlow@*.symbols.json "$graphs"/ 2>/dev/null || cp "$dir"/ByteFlow.symbols.json "$graphs"/

"$docc" convert Sources/ByteFlow/ByteFlow.docc \
    --additional-symbol-graph-dir "$graphs" \
    --fallback-display-name ByteFlow --fallback-bundle-identifier org.byteflow.ByteFlow \
    --output-path "$out" --analyze > "$log" 2>&1 || { cat "$log"; exit 1; }
if grep -q "warning:\|error:" "$log"; then
    cat "$log"
    echo "DocC reported the problems above"
    exit 1
fi

# Every public symbol has a doc comment of its own. Inherited docs (a
# conformance's requirement documented on the protocol) count as documented:
# DocC shows the protocol's text there.
python3 - "$graphs/ByteFlow.symbols.json" <<'PY'
import json, sys
graph = json.load(open(sys.argv[1]))
missing = []
for symbol in graph["symbols"]:
    if symbol.get("accessLevel") != "public":
        continue
    if symbol.get("docComment", {}).get("lines"):
        continue
    path = ".".join(symbol["pathComponents"])
    # Synthesized members (Equatable's ==, RawRepresentable's init) and
    # default implementations carry the protocol's documentation.
    if symbol["identifier"]["precise"].startswith("s:") and "::SYNTHESIZED::" in symbol["identifier"]["precise"]:
        continue
    missing.append(f'{symbol["kind"]["displayName"]} {path}')
if missing:
    print("public symbols without a doc comment:")
    print("\n".join(sorted(missing)))
    sys.exit(1)
print(f'{sum(1 for s in graph["symbols"] if s.get("accessLevel") == "public")} public symbols, all documented')
PY
echo "documentation built: $out"
