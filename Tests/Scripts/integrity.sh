#!/usr/bin/env bash
# Streams a large generated input through the release `byteflow` tool and
# checks the output against an independent reference.
#
#   Tests/Scripts/integrity.sh [GIB [TOOL-OPTION...]]
#
# GIB          size of the stream in GiB (default 4), plus 12,345 bytes; 4 or
#              more passes 2^32, the boundary of 32-bit byte counts
# TOOL-OPTION  passed to `byteflow replace`, e.g. `--chunk-size 4093` or
#              `--boxed`
#
#   generator | byteflow replace elvis Elvis [TOOL-OPTION...] | sha256 + count
#
# is compared with Python's streaming `bytes.replace` over the same stream
# (see integrity_stream.py), which runs at the same time. The stream is
# deterministic (SEED, default 1) and has ~2,300 matches per 64 KiB,
# including matches across every 4 KiB and 64 KiB boundary.
#
# Environment:
#   SEED        the generator's seed (default 1)
#   BYTEFLOW    the tool to test (default: build it with `swift build -c release`)
set -euo pipefail

gib=${1:-4}
shift || true
tool_options=("$@")
seed=${SEED:-1}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
stream=("$here/integrity_stream.py")

if [ -z "${BYTEFLOW:-}" ]; then
    echo "== building the release tool"
    (cd "$root" && swift build -c release --product byteflow)
    BYTEFLOW="$(cd "$root" && swift build -c release --show-bin-path)/byteflow"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/byteflow-integrity.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "== $gib GiB, seed $seed: reference (python) and tool ($BYTEFLOW ${tool_options[*]}) side by side"
start=$(date +%s)
python3 "${stream[@]}" reference "$gib" "$seed" > "$work/reference" &
reference_pid=$!

python3 "${stream[@]}" generate "$gib" "$seed" \
    | "$BYTEFLOW" replace elvis Elvis ${tool_options[@]+"${tool_options[@]}"} \
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
if [ "$gib" -ge 4 ] && [ "$expected_count" -le $((4 << 30)) ]; then
    echo "!! the stream is not longer than 4 GiB" >&2
    status=1
fi
if [ "$actual_sum" != "$expected_sum" ]; then
    echo "!! checksums differ" >&2
    status=1
fi
[ "$status" -ne 0 ] || echo "== integrity: OK"
exit "$status"
