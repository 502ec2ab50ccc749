#!/usr/bin/env bash
# Checks from a client's point of view that appending past `maximumChainDepth`
# stages is a compile-time error whose message says what to do, for each way
# of building a chain (transformed(by:), followed(by:), the builder), and that
# the maximum depth itself compiles. Type-checks small client files against
# the debug build of the ByteFlow module.
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/lib/client-typecheck.sh  # sets flags and work
depth=$(sed -n 's/^public let maximumChainDepth = \([0-9]*\)$/\1/p' Sources/ByteFlow/Chain+Appending.generated.swift)

repeat() { local out=""; for _ in $(seq "$2"); do out+="$1"; done; printf '%s' "$out"; }
client() {  # client NAME STAGES: one file per way of building STAGES stages
    local stages=$1 more=$(( $1 - 1 ))
    cat > "$work/transformed$stages.swift" <<SWIFT
import ByteFlow
let p = PassThroughTransform()
let x = BytesSource("x").transformed(by: p)$(repeat '.transformed(by: p)' "$more")
SWIFT
    cat > "$work/followed$stages.swift" <<SWIFT
import ByteFlow
let p = PassThroughTransform()
let x = p$(repeat '.followed(by: p)' "$more")
SWIFT
    cat > "$work/builder$stages.swift" <<SWIFT
import ByteFlow
let p = PassThroughTransform()
let x = Pipeline(from: BytesSource("x"), into: DiscardSink()) {
$(repeat $'    p\n' "$stages")}
SWIFT
}
client "$depth"
client $(( depth + 1 ))
status=0
for way in transformed followed builder; do
    if ! out=$(swiftc -typecheck "${flags[@]}" "$work/$way$depth.swift" 2>&1); then
        echo "FAIL: $depth stages built with $way do not compile:"; echo "$out"; status=1
    fi
    if out=$(swiftc -typecheck "${flags[@]}" "$work/$way$(( depth + 1 )).swift" 2>&1); then
        echo "FAIL: $(( depth + 1 )) stages built with $way compile"; status=1
    elif ! grep -q "is unavailable: ByteFlow fuses at most $depth stages" <<< "$out"; then
        echo "FAIL: $(( depth + 1 )) stages built with $way fail without the message:"; echo "$out"; status=1
    else
        echo "ok: $way: $depth stages compile; $(( depth + 1 )) fail with: $(grep -m1 -o "error: .*" <<< "$out" | cut -c1-90)…"
    fi
done
exit $status
