#!/usr/bin/env python3
"""Generates Sources/ByteFlow/Chain+Appending.generated.swift from one template.

Why generated: appending a stage must keep a chain nested to the right
(`Chain<A, Chain<B, Chain<C, D>>>`), the only shape the generic specializer
keeps specializing (see Documentation/Design.md, "Deep chains"). Swift cannot
spell "append to the innermost chain" for any depth, so there is one overload
per depth; each is selected *exactly* by the chain's depth, counted in the
type system (`ByteTransform._ChainDepth`), so no shorter rung ever matches a
longer chain and appending past the limit is a compile-time error with a
message instead of a silently unspecialized left-nested chain.

Usage: Scripts/generate-chains.py [--check]
CI runs it and fails when the checked-in file differs (`git diff --exit-code`).
"""
import pathlib
import subprocess
import sys

MAX_DEPTH = 16
OUT = pathlib.Path(__file__).resolve().parent.parent / "Sources/ByteFlow/Chain+Appending.generated.swift"

TOO_DEEP = (
    f"ByteFlow fuses at most {MAX_DEPTH} stages in one chain. Group stages into a right-nested "
    "part and append that as one stage (`.transformed(by: a.followed(by: b.followed(by: c)))`), "
    "or merge adjacent stages of your own into one transform."
)


def nested(names):
    """Chain<A, Chain<B, C>> for [A, B, C]; the name itself for one."""
    if len(names) == 1:
        return names[0]
    return f"Chain<{names[0]}, {nested(names[1:])}>"


def generic_list(names):
    return ", ".join(f"{n}: ByteTransform" for n in names)


def chain_rungs():
    lines = ["extension Chain {"]
    for depth in range(2, MAX_DEPTH):
        # The stages of `second`; the last one must count as one stage, so
        # that exactly one rung matches a chain of each depth.
        rest = [f"S{i}" for i in range(1, depth)] if depth > 2 else ["Second"]
        result = nested(["First"] + rest + ["Next"])
        where = [f"{rest[-1]}._ChainDepth == _ChainDepthOne"]
        if depth > 2:
            where.insert(0, f"Second == {nested(rest)}")
        generics = generic_list((rest if depth > 2 else []) + ["Next"])
        # One rung delegates to the next shorter one (for `second`), which the
        # where clause selects exactly; nested constructor calls would make
        # the file grow with the cube of the depth once formatted.
        lines += [
            f"    /// Appends `next` to this chain of {depth} stages, keeping it nested to the right.",
            "    ///",
            "    /// - Parameter next: The stage that receives this chain's output.",
            f"    /// - Returns: A right-nested chain of {depth + 1} stages.",
            "    @inlinable",
            f"    public func followed<{generics}>(by next: Next) -> {result}",
            f"    where {', '.join(where)} {{",
            "        .init(first, second.followed(by: next))",
            "    }",
            "",
        ]
    lines += unavailable("    ", "followed", "Chain<Self, Next>", "Self")
    lines[-1:] = ["}", ""]
    return lines


def at_least(depth, inner="Deeper"):
    """The depth marker of any chain of `depth` or more stages."""
    return "_ChainDepthSucc<" * (depth - 1) + inner + ">" * (depth - 1)


def unavailable(indent, name, result, subject):
    # The only rung that matches a chain of MAX_DEPTH or more stages, so the
    # compiler reports its message (an unavailable overload loses to any
    # available one that also matches: the rungs above are exact for that).
    return [
        f"{indent}/// Unavailable: a chain of {MAX_DEPTH} stages is as deep as appending goes.",
        f"{indent}@available(*, unavailable, message: \"{TOO_DEEP}\")",
        f"{indent}public func {name}<Deeper: _ChainDepthMarker, Next: ByteTransform>(by next: Next) -> {result}",
        f"{indent}where {subject}._ChainDepth == {at_least(MAX_DEPTH)} {{",
        f"{indent}    fatalError(\"unavailable\")",
        f"{indent}}}",
        "",
    ]


def source_rungs():
    lines = ["extension TransformedSource {"]
    for depth in range(1, MAX_DEPTH):
        stages = [f"T{i}" for i in range(1, depth + 1)]
        result = nested((stages if depth > 1 else ["Transform"]) + ["Next"])
        where = [f"{stages[-1] if depth > 1 else 'Transform'}._ChainDepth == _ChainDepthOne"]
        if depth > 1:
            where.insert(0, f"Transform == {nested(stages)}")
        generics = generic_list((stages if depth > 1 else []) + ["Next"])

        lines += [
            f"    /// Appends a stage to these {depth} stage{'s' if depth > 1 else ''}, keeping the chain nested to the right.",
            "    ///",
            "    /// - Parameter next: A transform that receives the output of the stages so far.",
            f"    /// - Returns: The same source with a right-nested chain of {depth + 1} stages.",
            "    @inlinable",
            f"    public func transformed<{generics}>(by next: Next) -> TransformedSource<Source, {result}>",
            f"    where {', '.join(where)} {{",
            f"        .init(source: source, transform: transform.followed(by: next))",
            "    }",
            "",
        ]
    lines += unavailable("    ", "transformed", "TransformedSource<Source, Chain<Transform, Next>>", "Transform")
    lines[-1:] = ["}", ""]
    return lines


def builder_blocks():
    lines = ["extension StagesBuilder {"]
    for arity in range(1, MAX_DEPTH + 1):
        stages = [f"T{i}" for i in range(1, arity + 1)]
        params = ", ".join(f"_ t{i}: T{i}" for i in range(1, arity + 1))
        lines += [
            f"    /// Composes {arity} stage{'s' if arity > 1 else ''} into a right-nested chain.",
            "    @inlinable",
            f"    public static func buildBlock<{generic_list(stages)}>({params}) -> {nested(stages)} {{",
            ("        t1" if arity == 1 else "        Chain(t1, buildBlock("
             + ", ".join(f"t{i}" for i in range(2, arity + 1)) + "))"),
            "    }",
            "",
        ]
    lines += [
        f"    /// Unavailable: a block of more than {MAX_DEPTH} stages.",
        f"    @available(*, unavailable, message: \"{TOO_DEEP}\")",
        "    public static func buildBlock<each Stage: ByteTransform>(_ stages: repeat each Stage) -> PassThroughTransform {",
        "        fatalError(\"unavailable\")",
        "    }",
        "}",
        "",
    ]
    return lines


def render():
    header = [
        "// GENERATED by Scripts/generate-chains.py — do not edit; change the script and re-run it.",
        "// CI re-runs the generator and fails if this file differs.",
        "//",
        f"// Appending keeps chains nested to the right, up to {MAX_DEPTH} stages: see",
        "// Documentation/Design.md, \"Deep chains\", for why, and Chain.swift for `Chain` itself.",
        "",
        f"/// The most stages one chain built by appending (or one ``StagesBuilder`` block) may hold.",
        f"public let maximumChainDepth = {MAX_DEPTH}",
        "",
    ]
    return "\n".join(header + chain_rungs() + source_rungs() + builder_blocks())


def formatted(text):
    """The text as `swift format` with the repository's configuration leaves it,
    so that formatting the sources never makes the generated file stale."""
    config = OUT.parent.parent.parent / ".swift-format"
    return subprocess.run(
        ["swift", "format", "--configuration", str(config)],
        input=text, capture_output=True, text=True, check=True,
    ).stdout


def main():
    text = formatted(render())
    if "--check" in sys.argv:
        if OUT.read_text() != text:
            sys.exit(f"{OUT} is stale: run Scripts/generate-chains.py")
        return
    OUT.write_text(text)


if __name__ == "__main__":
    main()
