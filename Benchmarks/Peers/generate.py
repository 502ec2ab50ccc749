#!/usr/bin/env python3
"""Deterministic inputs for the peer comparison (seeded; same bytes on every machine).

usage: generate.py sparse|dense|absent SIZE_BYTES [OUTPUT]   (OUTPUT '-' or absent: stdout)

sparse  word-like text, one `elvis` per ~4 KiB (paragraphs drawn from a seeded pool)
dense   the classic 119-byte stream's 13 pieces in shuffled order, repeated
absent  the sparse text with no `elvis` at all
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


def main():
    kind, size = sys.argv[1], int(sys.argv[2])
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
