#!/usr/bin/env bash
# Checks from a client's point of view what the compiler knows about errors
# (issue 8, typed throws): a pipeline of stages that cannot fail runs
# without `try`; one stage, source or sink that can fail makes `try`
# necessary again; a sink whose `write` throws cannot be an
# `InfallibleSink`. Type-checks small client files against the debug build
# of the ByteFlow module, as Scripts/check-chain-limit.sh does.
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/lib/client-typecheck.sh  # sets flags and work

stages='import ByteFlow
struct Legacy: ByteTransform {
    mutating func process<Next: ByteSink>(_ chunk: RawSpan, into next: inout Next) throws { try next.write(chunk) }
}
struct LegacySink: ByteSink { mutating func write(_ bytes: RawSpan) throws {} }
let replace = try! ReplaceTransform("elvis", with: "Elvis")
'
status=0
expect_ok() {  # NAME CODE: must type-check with warnings as errors
    printf '%s\n%s\n' "$stages" "$2" > "$work/$1.swift"
    if out=$(swiftc -typecheck -warnings-as-errors "${flags[@]}" "$work/$1.swift" 2>&1); then
        echo "ok: $1 compiles"
    else
        echo "FAIL: $1 does not compile:"; echo "$out"; status=1
    fi
}
expect_error() {  # NAME MESSAGE CODE: must fail with MESSAGE (warnings count)
    printf '%s\n%s\n' "$stages" "$3" > "$work/$1.swift"
    if out=$(swiftc -typecheck -warnings-as-errors "${flags[@]}" "$work/$1.swift" 2>&1); then
        echo "FAIL: $1 compiles"; status=1
    elif ! grep -q "$2" <<< "$out"; then
        echo "FAIL: $1 fails without '$2':"; echo "$out"; status=1
    else
        echo "ok: $1 fails with: $2"
    fi
}

expect_ok infallible-run-without-try '
var p = BytesSource("elvis").transformed(by: replace).transformed(by: PassThroughTransform()).into(BufferSink())
let summary: PipelineSummary = p.run()
print(summary)'
expect_error try-on-infallible-run-warns "no calls to throwing functions occur within 'try'" '
var p = BytesSource("elvis").transformed(by: replace).into(DiscardSink())
try p.run()'
expect_error legacy-stage-needs-try "call can throw but is not marked with 'try'" '
var p = BytesSource("elvis").transformed(by: replace).transformed(by: Legacy()).into(BufferSink())
p.run()'
expect_error legacy-sink-needs-try "call can throw but is not marked with 'try'" '
var p = BytesSource("elvis").transformed(by: replace).into(LegacySink())
p.run()'
expect_error file-sink-needs-try "call can throw but is not marked with 'try'" '
var p = BytesSource("elvis").transformed(by: replace).into(try! FileSink(path: "/dev/null"))
p.run()'
expect_error file-source-needs-try "call can throw but is not marked with 'try'" '
var p = try! FileSource(path: "/dev/null").transformed(by: replace).into(BufferSink())
p.run()'
expect_error throwing-sink-is-not-infallible "does not conform to protocol 'InfallibleSink'" '
struct Throws: InfallibleSink { mutating func write(_ bytes: RawSpan) throws {} }'
exit $status
