#!/usr/bin/env bash
# Type-checks every Swift example of the documentation, as a client would
# write it, with warnings as errors: the ```swift blocks of the `///` comments
# under Sources/ByteFlow and of the DocC articles (Sources/ByteFlow/ByteFlow.docc).
# An example may use names that the text around it defines (`framer`,
# `sink`, `chunks`…): "cannot find 'x' in scope" is allowed, every other
# diagnostic fails the check (a `try` the compiler calls needless, a missing
# one, a typo). A block that starts with `// Package.swift` is a manifest
# excerpt and is skipped. The README's examples are compiled by
# ReadmeExampleTests.
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/lib/client-typecheck.sh  # sets flags and work
python3 - "$work" <<'PY'
import glob, re, sys
work = sys.argv[1]
count = 0
def emit(path, line, code):
    global count
    if code.startswith("// Package.swift"):
        return
    with open(f"{work}/example{count:03d}.swift", "w") as out:
        out.write(f"// {path}:{line}\nimport ByteFlow\n{code}\n")
    count += 1
def collect(path, opener, closer, prefix):
    """Emits the lines between `opener` and `closer` lines (compared
    stripped), with `prefix` and one space after it removed."""
    lines = open(path).read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() == opener:
            start, code = i + 1, []
            i += 1
            while lines[i].strip() != closer:
                text = lines[i].strip()[len(prefix):] if prefix else lines[i]
                code.append(text[1:] if prefix and text.startswith(" ") else text)
                i += 1
            emit(path, start, "\n".join(code))
        i += 1
for path in sorted(glob.glob("Sources/ByteFlow/**/*.swift", recursive=True)):
    collect(path, "/// ```swift", "/// ```", "///")
for path in sorted(glob.glob("Sources/ByteFlow/ByteFlow.docc/*.md")):
    collect(path, "```swift", "```", "")
print(f"{count} examples")
PY
status=0
checked=0
for file in "$work"/example*.swift; do
    checked=$((checked + 1))
    out=$(swiftc -typecheck -warnings-as-errors "${flags[@]}" "$file" 2>&1 || true)
    bad=$(grep -E "^$work/.*(error|warning):" <<< "$out" \
        | grep -vE "cannot find (type )?'[A-Za-z_][A-Za-z0-9_]*' in scope" || true)
    if [ -n "$bad" ]; then
        echo "FAIL: the example at $(head -1 "$file" | cut -c4-):"
        sed "s|^$file|  example|" <<< "$bad"
        status=1
    fi
done
[ $status = 0 ] && echo "ok: $checked examples type-check (names defined by the surrounding text aside)"
exit $status
