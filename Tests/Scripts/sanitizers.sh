#!/usr/bin/env bash
# Runs the test suite under AddressSanitizer and ThreadSanitizer.
#
#   Tests/Scripts/sanitizers.sh [SWIFT-TEST-ARGUMENTS...]
#
# Each sanitizer builds into its own scratch path (.build-asan, .build-tsan;
# git-ignored), so the runs neither disturb nor rebuild the ordinary .build.
# Arguments are passed to `swift test`, for example `--filter Replace` for a
# quicker subset. SANITIZERS selects which run (default "address thread").
# Exits non-zero as soon as one run fails; prints each run's duration.
#
# Swift 6.3.1's ThreadSanitizer can crash (SEGV in __tsan::ExternalAccess)
# when a variable of an empty struct is passed `inout` to generic code built
# at -Onone: the compiler passes an undefined address for it, which TSan is
# told about, so the async edge tests run stages with stored properties; see
# tsan-empty-inout.swift here for a reproduction without ByteFlow.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

# A sanitizer report must fail the run, not only print.
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1}
# Leaks are checked, except the XCTest runner's own (see lsan.supp).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/Tests/Scripts/lsan.supp:print_suppressions=0}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1}

for sanitizer in ${SANITIZERS:-address thread}; do
    case "$sanitizer" in
    address) scratch=.build-asan ;;
    thread) scratch=.build-tsan ;;
    *)
        echo "unknown sanitizer '$sanitizer' (expected address or thread)" >&2
        exit 2
        ;;
    esac
    echo "== swift test --sanitize=$sanitizer --scratch-path $scratch $*"
    start=$(date +%s)
    swift test --sanitize="$sanitizer" --scratch-path "$scratch" "$@"
    echo "== $sanitizer: passed in $(($(date +%s) - start)) s"
done
