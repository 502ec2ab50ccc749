#!/usr/bin/env bash
# Multi-pattern peer comparison: `byteflow replace --pairs PAIRS FILE >
# /dev/null` with 2, 10 and 100 pairs (each word → its upper case) against
# Perl (`s/(w1|w2|…)/$h{$1}/g`), Python (`re.sub` of the escaped
# alternation with a dict) and `sed -e s/w1/W1/g -e …`, warm page cache.
#
# usage: Benchmarks/Peers/compare-multi.sh [--size MiB] [--runs N] [--peer-runs N]
#
# The input is generate.py's sparse text. Every tool's output is checked
# against byteflow's (md5); sed applies its expressions one after the other,
# which is not leftmost-first, so its row is marked when its output differs.
# Prints, per pattern count, the median wall time of each tool and its ratio
# to byteflow. Needs python3 and a Swift toolchain; perl and sed optional.
set -euo pipefail

size_mib=256
runs=3
peer_runs=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --size) size_mib="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --peer-runs) peer_runs="$2"; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/byteflow-multi-peers.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "# Multi-pattern peer comparison, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# machine: $(uname -srm), $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# input: $size_mib MiB of generate.py sparse text; byteflow $runs runs, peers $peer_runs, median; output to /dev/null"

(cd "$root" && swift build -c release --product byteflow >&2)
byteflow="$(cd "$root" && swift build -c release --show-bin-path)/byteflow"
input="$work/sparse.txt"
python3 "$here/generate.py" sparse $((size_mib * 1024 * 1024)) "$input"

# Rare words first, then common English words (most of generate.py's).
words="elvis memphis graceland guitar king song record tour people world the of and to in is was he
for it with as his on be at by had are but from or have an they which one you were her all she there
would their we him been has when who will more no if out so said what up its about into than them can
only other new some could time these two may then do first any my now such like our over man me even
most made after also did many before must through back years where much your way well down should
because each just those"

cat > "$work/peer.py" <<'PY'
import re, sys
pairs = [line.rstrip(b"\n").split(b"\t", 1) for line in open(sys.argv[1], "rb") if line.strip()]
table = {}
for find, replacement in pairs:
    table.setdefault(find, replacement)
pattern = re.compile(b"|".join(re.escape(find) for find, _ in pairs))
data = open(sys.argv[2], "rb").read()
sys.stdout.buffer.write(pattern.sub(lambda m: table[m.group()], data))
PY
cat > "$work/peer.pl" <<'PL'
my (%h, @k);
open(my $f, '<', shift @ARGV) or die;
while (<$f>) { chomp; next unless length; my ($a, $b) = split /\t/, $_, 2; push @k, $a; $h{$a} //= $b; }
my $re = join('|', map { quotemeta } @k);
$re = qr/($re)/;
while (<>) { s/$re/$h{$1}/g; print; }
PL

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
cat "$input" > /dev/null
for count in 2 10 100; do
    pairs="$work/pairs-$count.tsv"
    echo $words | tr ' ' '\n' | head -n "$count" | awk '{print $0 "\t" toupper($0)}' > "$pairs"
    sed_args=()
    while IFS=$'\t' read -r find replacement; do sed_args+=(-e "s/$find/$replacement/g"); done < "$pairs"
    names=("byteflow replace --pairs" "perl s/(…)/\$h{\$1}/g" "python3 re.sub + dict" "sed -e … (${count}×)")
    commands=("'$byteflow' replace --pairs '$pairs' '$input'" "perl '$work/peer.pl' '$pairs' '$input'"
        "python3 '$work/peer.py' '$pairs' '$input'" "sed ${sed_args[*]} '$input'")
    expected=$(eval "${commands[0]}" | md5sum | cut -d' ' -f1)
    echo
    echo "## $count patterns"
    echo
    printf '| %-28s | %10s | %8s | %14s | %s |\n' "tool" "median s" "MB/s" "time / byteflow" "output"
    printf '|%s|%s|%s|%s|%s|\n' "------------------------------" "------------" "----------" "----------------" "------"
    base=""
    for i in "${!names[@]}"; do
        tool="${commands[$i]%% *}"
        if [[ $i -gt 0 ]] && ! command -v "$tool" > /dev/null; then continue; fi
        sum=$(eval "${commands[$i]}" | md5sum | cut -d' ' -f1)
        agrees="agrees"; [[ "$sum" == "$expected" ]] || agrees="DIFFERS (not leftmost-first)"
        n=$runs; [[ $i -gt 0 ]] && n=$peer_runs
        times=()
        for ((r = 0; r < n; r++)); do
            start=$(now); eval "${commands[$i]}" > /dev/null; end=$(now)
            times+=($((end - start)))
        done
        t=$(printf '%s\n' "${times[@]}" | median)
        [[ -z "$base" ]] && base=$t
        awk -v n="${names[$i]}" -v t="$t" -v b="$base" -v bytes=$((size_mib * 1024 * 1024)) -v a="$agrees" \
            'BEGIN{printf "| %-28s | %10.3f | %8.0f | %13.1fx | %s |\n", n, t/1e9, bytes/t*1e3, t/b, a}'
    done
done
