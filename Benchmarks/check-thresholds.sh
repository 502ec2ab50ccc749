#!/usr/bin/env bash
# The malloc guard: runs every benchmark whose name ends in "specialized"
# (the steady-state runs of specialized pipelines) for a few iterations and
# checks its mallocCountTotal against Thresholds/*.p90.json, which pin it at
# 0 with an absolute tolerance of 0. Exits non-zero on a regression.
#
#     Benchmarks/check-thresholds.sh            # from anywhere
#
# After an intended change, regenerate the files with
#     BYTEFLOW_BENCHMARK_QUICK=1 swift package --package-path Benchmarks \
#         --allow-writing-to-package-directory benchmark thresholds update \
#         --filter '.*specialized' --metric mallocCountTotal \
#         --path "$PWD/Benchmarks/Thresholds"
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# package-benchmark 1.38.1 writes `Target.Name_With_Underscores.p90.json`
# but looks for `Target.Name With Spaces.p90.json` when checking. Our names
# have no underscores of their own, so hand the check a copy under the names
# it looks for.
thresholds="$(mktemp -d)"
trap 'rm -rf "$thresholds"' EXIT
for file in "$here"/Thresholds/*.p90.json; do
    name="$(basename "$file")"
    cp "$file" "$thresholds/${name//_/ }"
done

BYTEFLOW_BENCHMARK_QUICK=1 swift package --package-path "$here" benchmark thresholds check \
    --filter '.*specialized' \
    --metric mallocCountTotal \
    --path "$thresholds" \
    --no-progress
