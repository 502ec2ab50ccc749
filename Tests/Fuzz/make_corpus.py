#!/usr/bin/env python3
"""Writes the seed corpus under Tests/Fuzz/Corpus/ (committed; rerun after
changing the input layout of a fuzz entry point).

The layouts are documented at the top of ReplaceFuzz.swift and
ArgumentsFuzz.swift; `replace_case` and `arguments_case` encode them.
"""

import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))

# The classic 119-byte input: the inputs of the Go "elvis" stream walkthrough,
# concatenated.
CLASSIC = b"".join([
    b"abc", b"elvis", b"aElvis", b"abcelvis", b"eelvis", b"aelvis", b"aabeeeelvis",
    b"e l v i s", b"aa bb e l v i saa", b" elvi s", b"elvielvis", b"elvielvielviselvi1",
    b"elvielviselvis",
])
assert len(CLASSIC) == 119


def replace_case(stages, body, cuts=(), repeat_to=None, interleave=False):
    assert 1 <= len(stages) <= 3 and len(cuts) < 16
    header = (len(stages) - 1) | (4 if repeat_to else 0) | (8 if interleave else 0) | (len(cuts) << 4)
    out = bytearray([header])
    for pattern, replacement in stages:
        assert 1 <= len(pattern) <= 48 and len(replacement) < 40
        out += bytes([len(pattern) - 1, len(replacement)]) + pattern + replacement
    for cut in cuts:
        if cut < 128:
            out.append(cut)
        else:
            assert cut % 64 == 0 and 64 <= cut <= 128 * 64
            out.append(cut // 64 + 127)
    if repeat_to:
        if repeat_to <= 4096:
            out += (repeat_to - 1).to_bytes(2, "little")
        else:  # long mode: 4097 + 2 * v
            assert repeat_to % 2 == 1 and repeat_to <= 4097 + 2 * 0x7FFF
            out += (0x8000 | (repeat_to - 4097) // 2).to_bytes(2, "little")
    return bytes(out + body)


ELVIS = (b"elvis", b"Elvis")

REPLACE = {
    "classic-whole": replace_case([ELVIS], CLASSIC),
    "classic-bytewise": replace_case([ELVIS], CLASSIC, cuts=[1]),
    "classic-ragged": replace_case([ELVIS], CLASSIC, cuts=[3, 7, 0, 2, 5, 1, 16, 4]),
    "classic-boxed-interleaved": replace_case([ELVIS], CLASSIC, cuts=[2, 3], interleave=True),
    "classic-delete": replace_case([(b"elvis", b"")], CLASSIC, cuts=[4]),
    "classic-three-stages": replace_case(
        [ELVIS, (b"Elvis", b"elvis!"), (b"s!e", b"")], CLASSIC, cuts=[5, 6]),
    "overlap-aab": replace_case([(b"aab", b"X")], b"aaab aaaab aab", cuts=[1, 2]),
    "overlap-abab": replace_case([(b"abab", b"X")], b"ababab abababab", cuts=[3]),
    "overlap-aaa": replace_case([(b"aaa", b"b")], b"aaaaaaaa", cuts=[2, 1]),
    "overlap-abcabd": replace_case([(b"abcabd", b"-")], b"abcabcabdabcab", cuts=[4, 5]),
    "grow-a-aa": replace_case([(b"a", b"aa")], b"banana", cuts=[1]),
    "pattern-longer-than-stream": replace_case([(b"elvis presley", b"E")], b"elvis pres"),
    "binary": replace_case([(b"\x00\xff\x00", b"\xff")], b"\x00\xff\x00\xff\x00\xff\x00\x00", cuts=[3]),
    "simd-block-edges": replace_case(
        [ELVIS], b"." * 13 + b"elvis" + b"." * 10 + b"elvis" + b"." * 30 + b"elvis", cuts=[16, 17]),
    "chain-made-match": replace_case([(b"x", b"ab"), (b"bab", b"Z")], b"xaxxbx", cuts=[1]),
    "repeat-elvis": replace_case([ELVIS], b"elvis el", cuts=[4096 // 64 * 64, 63], repeat_to=4000),
    # The prefilter tests the pattern's two rarest bytes; these streams match
    # both at almost every offset while `memcmp` fails, which makes the
    # searcher give up and hand over to the linear-time scan.
    "repeat-adversarial-long": replace_case([(b"a" * 40, b"!")], b"a" * 39 + b"b", repeat_to=4096, cuts=[1024]),
    "repeat-adversarial-short": replace_case([(b"zy" * 10 + b"zz", b"")], b"zy", repeat_to=4096),
    "adversarial-then-match": replace_case(
        [(b"a" * 20, b"B")], (b"a" * 19 + b"b") * 25 + b"a" * 45, cuts=[8 * 64, 3]),
    "repeat-ab-period": replace_case([(b"ab" * 12 + b"c", b"C")], b"ab", repeat_to=3000, cuts=[100]),
    # Long streams: the search falls back to Two-Way, runs it for 8 KiB spans
    # and tries the prefilter again, inside chunks and across them; real
    # matches sit in the adversarial text.
    "long-periodic": replace_case(
        [(b"ab" * 16 + b"b", b"<m>")], (b"ab" * 16 + b"c") * 25 + b"ab" * 16 + b"b", repeat_to=40001,
        cuts=[128 * 64, 960, 7]),
    "long-centered": replace_case(
        [(b"a" * 16 + b"b" + b"a" * 16, b"")], b"aab" * 250 + b"a" * 16 + b"b" + b"a" * 16, repeat_to=30001),
    "long-alternating-chunks": replace_case(
        [(b"a" * 32 + b"b", b"X")], b"aab" * 280 + b"a" * 32 + b"b", repeat_to=50001, cuts=[64 * 64, 3, 0]),
    # Patterns over 16 bytes are verified in Two-Way order, and a failed
    # verification skips the candidates Two-Way's shift rules out: a
    # mismatch in the left part of an aperiodic pattern (a skip of the whole
    # pattern), in the left part of a periodic one (a skip of its period)
    # and in the right part; near misses with real matches among them.
    "long-runs-skip": replace_case(
        [(b"a" * 47 + b"b", b"<>")], (b"a" * 9 + b"b") * 40 + b"a" * 47 + b"b" + b"a" * 5 + b"b",
        repeat_to=20001, cuts=[64 * 64, 37]),
    "long-periodic-near-miss": replace_case(
        [(b"aab" * 15 + b"a", b"P")], (b"cab" + b"aab" * 14 + b"a") * 6 + b"aab" * 15 + b"a" + b"ab" * 7,
        repeat_to=12001, cuts=[128 * 64, 5]),
    "long-right-mismatch": replace_case(
        [(b"abcab" * 6 + b"d", b"")], (b"abcab" * 6 + b"c") * 9 + b"abcab" * 6 + b"d", repeat_to=9001,
        cuts=[1000 // 64 * 64, 64, 1]),
    # Dense steps: three or more candidates of a 3- to 8-byte pattern in a
    # 64-byte step are checked whole (every pattern byte across the step);
    # near-misses differ from the pattern in one byte, at each offset.
    "dense-exact-steps": replace_case([ELVIS], CLASSIC, repeat_to=3000, cuts=[64 * 5, 3, 17]),
    "dense-near-miss-8": replace_case(
        [(b"abcdefgh", b"H")],
        b"".join(b"abcdefgh"[:i] + b"z" + b"abcdefgh"[i + 1:] + b"abcdefgh" for i in range(8)),
        repeat_to=2048, cuts=[64, 63, 1]),
    # The replace kernel (ReplaceKernel.swift): chunks of one step and a
    # little more, a replacement as long as the pattern (stored over a copy),
    # longer (up to 32 bytes: two vector registers), and 33 (the general
    # path); matches in the starts the shifted last step re-reads.
    "kernel-same-length": replace_case([(b"lvis", b"LVIS")], CLASSIC, repeat_to=1500, cuts=[67, 68, 127, 5]),
    "kernel-longer": replace_case([(b"elvis", b"E" * 32)], CLASSIC, repeat_to=1200, cuts=[68, 64 * 2, 0, 69]),
    "kernel-too-long": replace_case([(b"elvis", b"F" * 33)], CLASSIC, repeat_to=1200, cuts=[68, 64 * 3]),
    "kernel-one-byte": replace_case([(b"e", b"")], CLASSIC, repeat_to=700, cuts=[64, 65, 66]),
    # Read as one MultiReplaceTransform too: order, prefixes, case, and an
    # inherited match that an earlier start overrides (`abca`: `bca` beats `c`).
    "multi-prefix-order": replace_case(
        [(b"Hello", b"Hi"), (b"Hell", b"Heaven"), (b"hELLO", b"!")], b"Hello, Hell, HELLO hell", cuts=[3, 1]),
    "multi-inherited-match": replace_case([(b"bca", b"1"), (b"abcab", b"2"), (b"c", b"")], b"abcab abca abc",
                                          cuts=[2, 5]),
    "multi-adversarial": replace_case([(b"a" * 30 + b"b", b"L"), (b"a", b"s")], b"a" * 61 + b"b",
                                      repeat_to=2000, cuts=[64 * 3, 7]),
}

# Tokens the argument decoder substitutes for one-byte pieces 0x80 + i; keep
# in the order of `tokens` in ArgumentsFuzz.swift.
TOKENS = [
    "replace", "compare", "-o", "--chunk-size", "--boxed", "--help", "-h", "--", "-", "0", "-1", "1",
    "65536", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "99999999999999999999", "1K", "64K", "1M", "0K", "K", "M", "8796093022208K", "9007199254740992M",
    "elvis", "Elvis", "", "input.txt", "--chunk-size=64K", "-o-", "--version",
]


def arguments_case(*arguments):
    pieces = []
    for argument in arguments:
        if isinstance(argument, int):
            pieces.append(bytes([0x80 + argument]))
        else:
            pieces.append(argument.encode())
    return b"\x00".join(pieces)


def token(text):
    return TOKENS.index(text)


ARGUMENTS = {
    "replace-stdin": arguments_case("replace", "elvis", "Elvis"),
    "replace-file-output": arguments_case("replace", "elvis", "Elvis", "in.txt", "-o", "out.txt"),
    "replace-chunk": arguments_case("replace", "elvis", "Elvis", "--chunk-size", "64K"),
    "replace-boxed": arguments_case("replace", "elvis", "Elvis", "--boxed", "--chunk-size", "1M"),
    "compare": arguments_case("compare", "elvis", "Elvis", "in.txt"),
    "help": arguments_case("--help"),
    "dash-dash": arguments_case("replace", "--", "-o", "--help"),
    "dash": arguments_case("replace", "elvis", "", "-", "-o", "-"),
    "tokens-huge-chunk": arguments_case(token("replace"), token("elvis"), token("Elvis"),
                                        token("--chunk-size"), token("9007199254740992M")),
    "tokens-zero-chunk": arguments_case(token("replace"), token("elvis"), token("Elvis"),
                                        token("--chunk-size"), token("0")),
    "tokens-negative-chunk": arguments_case(token("replace"), token("elvis"), token("Elvis"),
                                            token("--chunk-size"), token("-1")),
    "tokens-missing-values": arguments_case(token("replace"), token("-o")),
    "empty": b"",
}


def write(directory, cases):
    path = os.path.join(HERE, "Corpus", directory)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    for name, data in cases.items():
        with open(os.path.join(path, name), "wb") as f:
            f.write(data)


def write_dictionary():
    """arguments.dict: libFuzzer inserts these whole, NUL-separated."""
    lines = ["# libFuzzer dictionary for fuzz-arguments (written by make_corpus.py)."]
    for i, text in enumerate(TOKENS):
        if text:
            lines.append(f'token{i}="\\x00{text}"')
    lines.append('separator="\\x00"')
    with open(os.path.join(HERE, "arguments.dict"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    write("replace", REPLACE)
    write("arguments", ARGUMENTS)
    write_dictionary()
