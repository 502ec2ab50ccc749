#!/usr/bin/env bash
# Peer comparison: `byteflow replace elvis Elvis FILE > /dev/null` against
# other tools on the same generated inputs, warm page cache.
#
# usage: Benchmarks/Peers/compare.sh [--size MiB] [--runs N] [--keep DIR] [--set classic|adversarial]
#
# Generates (seeded, so the same bytes everywhere) a sparse text input (one
# `elvis` per ~4 KiB) and a dense one (the classic 119-byte stream's 13 pieces
# in shuffled order), builds byteflow in release, checks that every tool's
# output has the same checksum, then times each tool N times writing to
# /dev/null and prints the median. Tools that are not installed are skipped
# with a note. Needs bash, python3 and a Swift toolchain; optional peers:
# sed, perl, python3, rg, go, cc. `--set adversarial` runs the search-kernel
# classes of generate.py instead (each with its own pattern; sed and perl
# are left out there).
set -euo pipefail

size_mib=256
runs=5
keep=""
set_name="classic"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --size) size_mib="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --keep) keep="$2"; shift 2 ;;
        --set) set_name="$2"; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/byteflow-peers.XXXXXX")"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

echo "# Peer comparison, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# machine: $(uname -srm), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# inputs: $size_mib MiB each; $runs timed runs per tool, median; output to /dev/null"

echo "building byteflow (swift build -c release) ..." >&2
(cd "$root" && swift build -c release --product byteflow >&2)
byteflow="$(cd "$root" && swift build -c release --show-bin-path)/byteflow"

case "$set_name" in
    classic) kinds=(sparse dense) ;;
    adversarial) kinds=(periodic alternating centered long-near-miss long-runs every-byte every-pair) ;;
    *) echo "unknown set: $set_name (classic or adversarial)" >&2; exit 2 ;;
esac

bytes=$((size_mib * 1024 * 1024))
for kind in "${kinds[@]}"; do
    if [[ -n "$keep" && -f "$keep/$kind-$size_mib.txt" ]]; then
        cp "$keep/$kind-$size_mib.txt" "$work/$kind.txt"
    else
        python3 "$here/generate.py" "$kind" "$bytes" "$work/$kind.txt"
        if [[ -n "$keep" ]]; then mkdir -p "$keep" && cp "$work/$kind.txt" "$keep/$kind-$size_mib.txt"; fi
    fi
done

# The tools: a name and a command line with FILE standing for the input.
names=()
commands=()
add() { names+=("$1"); commands+=("$2"); }
missing=()

add "byteflow" "'$byteflow' replace \"\$pattern\" \"\$repl\" FILE"
if command -v cc > /dev/null; then
    cc -O2 -o "$work/memmem_replace" "$here/memmem_replace.c"
    add "C memmem loop (1 MiB chunks)" "'$work/memmem_replace' \"\$pattern\" \"\$repl\" FILE"
else missing+=("cc"); fi
if command -v rg > /dev/null; then
    # rg exits 1 when nothing matched (the adversarial inputs): not a failure.
    add "ripgrep --passthru -F -r" "rg --no-config --passthru -F -r \"\$repl\" -e \"\$pattern\" FILE || [ \$? -eq 1 ]"
else missing+=("rg"); fi
if command -v go > /dev/null; then
    (cd "$work" && cp "$here/replace.go" . && GOCACHE="$work/gocache" GO111MODULE=off go build -o goreplace replace.go)
    add "Go bytes.Index (64 KiB chunks)" "'$work/goreplace' \"\$pattern\" \"\$repl\" FILE"
else missing+=("go"); fi
if command -v python3 > /dev/null; then
    add "Python bytes.replace" "python3 -c 'import sys; sys.stdout.buffer.write(open(sys.argv[1], \"rb\").read().replace(sys.argv[2].encode(), sys.argv[3].encode()))' FILE \"\$pattern\" \"\$repl\""
else missing+=("python3"); fi
if [[ "$set_name" != classic ]]; then :
elif command -v perl > /dev/null; then
    add "perl -pe s/elvis/Elvis/g" "perl -pe 's/elvis/Elvis/g' FILE"
else missing+=("perl"); fi
if [[ "$set_name" != classic ]]; then :
elif command -v sed > /dev/null; then
    add "sed s/elvis/Elvis/g" "sed 's/elvis/Elvis/g' FILE"
else missing+=("sed"); fi
add "cat (ceiling: no search)" "cat FILE"
if [[ ${#missing[@]} -gt 0 ]]; then echo "# not installed, skipped: ${missing[*]}"; fi

now() { date +%s%N; }

for kind in "${kinds[@]}"; do
    input="$work/$kind.txt"
    { read -r pattern; read -r repl; } < <(python3 "$here/generate.py" --pattern "$kind")
    # Correctness: every tool but cat must produce the same bytes.
    expected=""
    for i in "${!names[@]}"; do
        [[ "${names[$i]}" == cat* ]] && continue
        sum=$(eval "${commands[$i]//FILE/\"$input\"}" | md5sum | cut -d' ' -f1)
        if [[ -z "$expected" ]]; then expected="$sum"; fi
        if [[ "$sum" != "$expected" ]]; then
            echo "OUTPUT MISMATCH on $kind: ${names[$i]} gives $sum, byteflow gives $expected" >&2
            exit 1
        fi
    done
    cat "$input" > /dev/null  # warm the page cache
    echo
    echo "## $kind input ($size_mib MiB, pattern ${pattern:0:40}$([[ ${#pattern} -gt 40 ]] && echo "… (${#pattern} bytes)")), output checksum $expected (all tools agree)"
    echo
    printf '| %-32s | %10s | %8s | %16s |\n' "tool" "median s" "GB/s" "time / byteflow"
    printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..34})" "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..18})"
    base=""
    for i in "${!names[@]}"; do
        times=()
        for ((r = 0; r < runs; r++)); do
            start=$(now)
            eval "${commands[$i]//FILE/\"$input\"}" > /dev/null
            end=$(now)
            times+=($((end - start)))
        done
        median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
        [[ -z "$base" ]] && base=$median
        awk -v n="${names[$i]}" -v t="$median" -v b="$base" -v bytes="$bytes" \
            'BEGIN{printf "| %-32s | %10.3f | %8.2f | %15.2fx |\n", n, t/1e9, bytes/t, t/b}'
    done
done
