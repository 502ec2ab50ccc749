#!/usr/bin/env python3
"""Deterministic inputs for the peer comparison (seeded; same bytes on every machine).

usage: generate.py KIND SIZE_BYTES [OUTPUT]   (OUTPUT '-' or absent: stdout)
       generate.py --pattern KIND                (the KIND's pattern and replacement, one per line)

sparse  word-like text, one `elvis` per ~4 KiB (paragraphs drawn from a seeded pool)
dense   the classic 119-byte stream's 13 pieces in shuffled order, repeated
absent  the sparse text with no `elvis` at all
Classes built to defeat a two-rare-byte prefilter (the same as
Benchmarks/Benchmarks/Fixtures/SearchInputs.swift and the tests'
AdversarialClass), each with its own pattern (--pattern prints it):
periodic        (ab)^16 b in (ab)^16 c repeated
alternating     a^32 b in aab repeated
centered        a^16 b a^16 in aab repeated
long-near-miss  a 1,000-byte pattern; copies of it with the middle byte changed
long-runs       a^999 b in a^99 b repeated
every-byte      x -> yy in x repeated (a match every byte)
every-pair      ab -> c in ab repeated
The last byte is always a newline (line-based peers would add one).
Output is written in pieces, so a size of several GiB streams in constant memory.
"""
import random
import sys

PIECES = [b"abc", b"elvis", b"aElvis", b"abcelvis", b"eelvis", b"aelvis", b"aabeeeelvis",
          b"e l v i s", b"aa bb e l v i saa", b" elvi s", b"elvielvis", b"elvielvielviselvi1",
          b"elvielviselvis"]
WORDS = ("the of and to in is was he for it with as his on be at by had are but from or have an "
         "they which one you were her all she there would their we him been has when who will more "
         "no if out so said what up its about into than them can only other new some could time "
         "these two may then do first any my now such like our over man me even most made after "
         "also did many before must through back years where much your way well down should because "
         "each just those people how too little state good very make world still own see men work "
         "long get here between both life being under never day same another know while last might "
         "us great old year off come since against go came right used take three king memphis "
         "guitar song record tour graceland").split()


def sparse_pool(rng, with_match):
    pool = []
    for _ in range(1024):
        words = []
        size = 0
        while size < 4000:
            w = rng.choice(WORDS)
            words.append(w)
            size += len(w) + 1
        if with_match:
            words.insert(rng.randrange(len(words)), "elvis")
        text = " ".join(words)
        pool.append((text[:1].upper() + text[1:] + ".\n").encode())
    return pool


def dense_pool(rng):
    pool = []
    for _ in range(4096):
        group = PIECES[:]
        rng.shuffle(group)
        pool.append(b"".join(group))
    return pool


def long_pattern():
    # SplitMix64 seeded 1000 over "etaoinshrdlu ", as SearchInputs.swift.
    mask = (1 << 64) - 1
    state = 1000
    alphabet = b"etaoinshrdlu "
    out = bytearray()
    for _ in range(1000):
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        z ^= z >> 31
        out.append(alphabet[z % len(alphabet)])
    return bytes(out)


def adversarial(kind):
    """(pattern, replacement, repeating unit) of an adversarial class, or None."""
    if kind == "periodic":
        return b"ab" * 16 + b"b", b"<match>", b"ab" * 16 + b"c"
    if kind == "alternating":
        return b"a" * 32 + b"b", b"<match>", b"aab"
    if kind == "centered":
        return b"a" * 16 + b"b" + b"a" * 16, b"<match>", b"aab"
    if kind == "long-near-miss":
        pattern = long_pattern()
        return pattern, b"<match>", pattern[:500] + b"Z" + pattern[501:]
    if kind == "long-runs":
        return b"a" * 999 + b"b", b"<match>", b"a" * 99 + b"b"
    if kind == "every-byte":
        return b"x", b"yy", b"x"
    if kind == "every-pair":
        return b"ab", b"c", b"ab"
    return None


def main():
    if sys.argv[1] == "--pattern":
        kind = sys.argv[2]
        pattern, replacement, _ = adversarial(kind) or (b"elvis", b"Elvis", None)
        sys.stdout.write(pattern.decode() + "\n" + replacement.decode() + "\n")
        return
    kind, size = sys.argv[1], int(sys.argv[2])
    path = sys.argv[3] if len(sys.argv) > 3 else "-"
    classes = adversarial(kind)
    if classes:
        unit = classes[2]
        out = sys.stdout.buffer if path == "-" else open(path, "wb")
        block = unit * max(1, (1 << 20) // len(unit))
        left = size
        while left > 0:
            piece = block[:left]
            left -= len(piece)
            if left == 0:
                piece = piece[:-1] + b"\n"
            out.write(piece)
        out.flush()
        return
    path = sys.argv[3] if len(sys.argv) > 3 else "-"
    rng = random.Random(20240611)
    pool = dense_pool(rng) if kind == "dense" else sparse_pool(rng, kind == "sparse")
    out = sys.stdout.buffer if path == "-" else open(path, "wb")
    left = size
    while left > 0:
        block = b"".join(rng.choices(pool, k=256))[:left]
        left -= len(block)
        if left == 0 and block:
            # End with a newline, as line-based tools (rg, sed) add one.
            block = block[:-1] + b"\n"
        out.write(block)
    out.flush()


if __name__ == "__main__":
    main()
