#!/usr/bin/env bash
# Streams a large generated input through the release `byteflow` tool and
# checks the output against an independent reference.
#
#   Tests/Scripts/integrity.sh [GIB]
#
# GIB       size of the stream in GiB (default 4; at least 4 passes the 32-bit
#           boundary of byte counts)
#
#   generator | byteflow replace elvis Elvis [--chunk-size N] | sha256 + count
#
# is compared with Python's streaming `bytes.replace` over the same stream
# (see integrity_stream.py), which runs at the same time. The stream is
# deterministic (SEED, default 1) and has ~2,300 matches per 64 KiB,
# including matches across every 4 KiB and 64 KiB boundary.
#
# Environment:
#   SEED        the generator's seed (default 1)
#   CHUNK_SIZE  passed to the tool as --chunk-size (default: the tool's own)
#   BYTEFLOW    the tool to test (default: build it with `swift build -c release`)
set -euo pipefail

gib=${1:-4}
seed=${SEED:-1}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
stream=("$here/integrity_stream.py")

if [ -z "${BYTEFLOW:-}" ]; then
    echo "== building the release tool"
    (cd "$root" && swift build -c release --product byteflow)
    BYTEFLOW="$(cd "$root" && swift build -c release --show-bin-path)/byteflow"
fi
tool_options=()
[ -z "${CHUNK_SIZE:-}" ] || tool_options=(--chunk-size "$CHUNK_SIZE")

work=$(mktemp -d "${TMPDIR:-/tmp}/byteflow-integrity.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "== $gib GiB, seed $seed: reference (python) and tool ($BYTEFLOW ${tool_options[*]}) side by side"
start=$(date +%s)
python3 "${stream[@]}" reference "$gib" "$seed" > "$work/reference" &
reference_pid=$!

python3 "${stream[@]}" generate "$gib" "$seed" \
    | "$BYTEFLOW" replace elvis Elvis "${tool_options[@]}" \
    | python3 "${stream[@]}" digest > "$work/tool"
tool_seconds=$(($(date +%s) - start))

wait "$reference_pid"
total_seconds=$(($(date +%s) - start))

read -r expected_sum expected_count < "$work/reference"
read -r actual_sum actual_count < "$work/tool"
echo "   reference: sha256 $expected_sum, $expected_count bytes"
echo "   byteflow:  sha256 $actual_sum, $actual_count bytes (pipeline ${tool_seconds} s)"
echo "   total ${total_seconds} s"

status=0
if [ "$actual_count" != "$expected_count" ]; then
    echo "!! byte counts differ" >&2
    status=1
fi
if [ "$expected_count" -le 4294967295 ] && [ "$gib" -ge 4 ]; then
    echo "!! the stream did not pass 2^32 bytes" >&2
    status=1
fi
if [ "$actual_sum" != "$expected_sum" ]; then
    echo "!! checksums differ" >&2
    status=1
fi
[ "$status" -ne 0 ] || echo "== integrity: OK"
exit "$status"
