#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for a bounded time.
#
#   Tests/Fuzz/run.sh [SECONDS] [TARGET...]
#
# SECONDS   time per target (default 60)
# TARGET    replace, arguments (default: both)
#
# Each run starts from a temporary copy of the committed seed corpus
# (Tests/Fuzz/Corpus/<target>/), so the repository does not grow; new inputs
# are thrown away with the copy. Crash artifacts go to a temporary directory
# that is kept and printed when something is found. The script prints the
# executions and exec/s of each target and exits non-zero on a finding.
#
# Binaries are built into .build-fuzz/ (git-ignored); reproduce an artifact
# with `.build-fuzz/fuzz-<target> <artifact-file>`.
#
# Environment: FUZZ_FLAGS adds libFuzzer flags (for example `-jobs=2` or
# `-seed=1`).
set -euo pipefail

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(replace arguments)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fuzz="$root/Tests/Fuzz"
build="$root/.build-fuzz"
mkdir -p "$build"

linker=()
if [ "$(uname -s)" = Linux ] && command -v ld.lld > /dev/null; then
    # gold prints a screenful of harmless warnings about ASan's symbols.
    linker=(-use-ld=lld)
fi

# The search imports the header-only C module CByteFlowSIMD (`pmovmskb`);
# SwiftPM makes its module map, a direct swiftc build needs one.
mkdir -p "$build/modules/CByteFlowSIMD"
printf 'module CByteFlowSIMD {\n    header "%s"\n    export *\n}\n' \
    "$root/Sources/CByteFlowSIMD/include/CByteFlowSIMD.h" > "$build/modules/CByteFlowSIMD/module.modulemap"

# Builds target $1 from the sources in the remaining arguments, all compiled
# into one module with optimizations, libFuzzer and AddressSanitizer.
build_target() {
    local name=$1
    shift
    echo "== building fuzz-$name"
    swiftc -O -sanitize=fuzzer,address -parse-as-library -swift-version 6 -package-name ByteFlow \
        -I "$build/modules/CByteFlowSIMD" -module-name "FuzzTarget" "${linker[@]}" "$@" \
        -o "$build/fuzz-$name"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/byteflow-fuzz.XXXXXX")
# Removed on any exit (a failed build included) unless a finding is kept.
keep_work=0
trap '[ "$keep_work" = 1 ] || rm -rf "$work"' EXIT
found=0
summary=()

for target in "${targets[@]}"; do
    case "$target" in
    replace)
        build_target replace "$root"/Sources/ByteFlow/*.swift "$fuzz/ReplaceFuzz.swift"
        options=(-max_len=1024)
        ;;
    arguments)
        if [ ! -f "$root/Sources/ByteFlowCLI/Arguments.swift" ]; then
            echo "== skipping arguments: Sources/ByteFlowCLI/Arguments.swift does not exist yet"
            summary+=("arguments: skipped (no Sources/ByteFlowCLI/Arguments.swift)")
            continue
        fi
        cli="$root/Sources/ByteFlowCLI"
        build_target arguments "$cli/Arguments.swift" "$cli/Quoting.swift" "$cli/Escapes.swift" \
            "$cli/ByteSizes.swift" "$fuzz/ArgumentsFuzz.swift"
        options=(-max_len=256 "-dict=$fuzz/arguments.dict")
        ;;
    *)
        echo "unknown target '$target' (expected replace or arguments)" >&2
        exit 2
        ;;
    esac

    corpus="$work/corpus-$target"
    artifacts="$work/artifacts-$target"
    mkdir -p "$corpus" "$artifacts"
    cp "$fuzz/Corpus/$target"/* "$corpus/"
    log="$work/$target.log"

    echo "== fuzzing $target for ${seconds}s (log: $log)"
    status=0
    # shellcheck disable=SC2086 # FUZZ_FLAGS is a list of flags
    "$build/fuzz-$target" "${options[@]}" -max_total_time="$seconds" -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" ${FUZZ_FLAGS:-} "$corpus" \
        > "$log" 2>&1 || status=$?

    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    line="$target: ${runs:-?} executions, ${rate:-?} exec/s, exit status $status"
    echo "   $line"
    summary+=("$line")

    if [ "$status" -ne 0 ] || [ -n "$(ls -A "$artifacts")" ]; then
        found=1
        echo "!! $target found a problem; the end of its log:"
        tail -n 40 "$log"
        echo "!! artifacts in $artifacts:"
        ls -l "$artifacts"
    fi
done

echo "== summary"
printf '   %s\n' "${summary[@]}"
if [ "$found" -ne 0 ]; then
    echo "!! findings kept in $work"
    keep_work=1
    exit 1
fi
