#!/usr/bin/env python3
"""The deterministic stream of Tests/Scripts/integrity.sh, its reference
replace, and a digest of standard input.

    integrity_stream.py generate  GIB SEED   write the stream to stdout
    integrity_stream.py reference GIB SEED   print "<sha256> <bytes>" of the
                                             stream with elvis -> Elvis
    integrity_stream.py digest               print "<sha256> <bytes>" of stdin

The stream is GIB GiB (plus a short last block) of 64 KiB blocks drawn (by a seeded PRNG) from a pool
of 61 blocks of text dense with `elvis` and near misses (`elvi`, `lvis`,
`eelvis`, `e l v i s`, ...). Two kinds of matches straddle the boundaries a
reader is likely to cut at:
  * inside each block, an `elvis` crosses every 4 KiB boundary, starting 1 to
    4 bytes before it;
  * each block ends with a piece of `elvis` (`e`, `el`, `elv`, `elvi`) or a
    miss, and begins with the rest (`lvis`, `vis`, `is`, `s`) or a miss, so
    random pairs make matches (and near misses) across every 64 KiB boundary.
The generator writes one block per write(2), so a pipe reader tends to see
those boundaries as chunk boundaries.

The reference does not share code with ByteFlow: it cuts the stream into
1 MiB blocks and uses `bytes.replace` on what is decided, carrying the rest.
"""

import hashlib
import os
import random
import sys

BLOCK = 64 * 1024
TAIL = 12345
POOL = 61
PATTERN = b"elvis"
REPLACEMENT = b"Elvis"
WORDS = [
    b"elvis", b"Elvis", b"elvi", b"lvis", b"eelvis", b"elvielvis", b"e l v i s", b"elv is", b"ELVIS",
    b"the", b"king", b"lives", b" ", b" ", b" ", b"\n", b"aabeeee", b"elvelvis", b"eeeee", b"l",
    b"presley", b"1935", b"\x00\xff", b"graceland", b"memphis", b"e", b"v", b"s",
]
HEADS = [b"lvis", b"vis", b"is", b"s", b"elvis", b"y"]
TAILS = [b"e", b"el", b"elv", b"elvi", b"ee", b"x"]


def make_pool(seed):
    rng = random.Random(seed)
    pool = []
    for _ in range(POOL):
        head, tail = rng.choice(HEADS), rng.choice(TAILS)
        block = bytearray(head)
        for boundary in range(4096, BLOCK, 4096):
            # Text up to an `elvis` that starts 1-4 bytes before the boundary.
            start = boundary - rng.randint(1, 4)
            while len(block) < start:
                block += rng.choice(WORDS)
            del block[start:]
            block += PATTERN
        while len(block) < BLOCK - len(tail):
            block += rng.choice(WORDS)
        del block[BLOCK - len(tail):]
        block += tail
        assert len(block) == BLOCK
        pool.append(bytes(block))
    return pool


def blocks(gib, seed):
    """The stream as 64 KiB blocks from the pool, then a short last block
    (12,345 bytes, ending in `elvi`, which must come out unchanged when the
    stream ends): GIB GiB + 12,345 bytes in all, past 2^32 for GIB >= 4 and
    not a multiple of any chunk size."""
    pool = make_pool(seed)
    order = random.Random(seed + 1)
    for _ in range(gib * (1 << 30) // BLOCK):
        yield pool[order.randrange(POOL)]
    yield pool[order.randrange(POOL)][:TAIL - 4] + b"elvi"


def generate(gib, seed):
    out = sys.stdout.buffer.raw if hasattr(sys.stdout.buffer, "raw") else sys.stdout.buffer
    fd = out.fileno()
    for block in blocks(gib, seed):
        view = memoryview(block)
        while view:
            view = view[os.write(fd, view):]


def streaming_replace(chunks, pattern, replacement):
    """Yields the replaced stream of `chunks`, for a pattern without a border
    (no proper prefix that is also a suffix, as `elvis`): then matches cannot
    overlap, the leftmost non-overlapping matches are simply all occurrences,
    and a match is decided as soon as its last byte is seen.

    Per buffer (carry + chunk) of length n: positions below n - m + 1 are
    decided (their m bytes are all here); a match that starts below that
    point may end past it, so the decided prefix extends to the end of the
    last occurrence if that is further. The rest (< m bytes, no match in it)
    is carried into the next buffer.
    """
    m = len(pattern)
    assert all(pattern[:k] != pattern[-k:] for k in range(1, m)), "pattern has a border"
    carry = b""
    for chunk in chunks:
        buffer = carry + chunk
        decided = max(0, len(buffer) - m + 1)
        last = buffer.rfind(pattern)
        if last >= 0:
            decided = max(decided, last + m)
        yield buffer[:decided].replace(pattern, replacement)
        carry = buffer[decided:]
    yield carry


def megabytes(gib, seed):
    """The stream regrouped into 1 MiB buffers, so that the reference's block
    boundaries differ from the generator's."""
    group = []
    for block in blocks(gib, seed):
        group.append(block)
        if len(group) == 16:
            yield b"".join(group)
            group = []
    if group:
        yield b"".join(group)


def digest(chunks):
    hasher = hashlib.sha256()
    count = 0
    for chunk in chunks:
        hasher.update(chunk)
        count += len(chunk)
    print(hasher.hexdigest(), count)


def stdin_chunks():
    source = sys.stdin.buffer
    while True:
        chunk = source.read(1 << 20)
        if not chunk:
            return
        yield chunk


def self_test():
    """The reference against `bytes.replace` on whole buffers, for every
    cut of short streams."""
    rng = random.Random(7)
    for _ in range(2000):
        text = b"".join(rng.choice([b"elvis", b"elvi", b"s", b"e", b"lvis", b"x"]) for _ in range(12))
        cuts = sorted(rng.sample(range(len(text) + 1), rng.randint(0, 6)))
        pieces = [text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)])]
        got = b"".join(streaming_replace(pieces, PATTERN, REPLACEMENT))
        assert got == text.replace(PATTERN, REPLACEMENT), (text, cuts)


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "generate":
        generate(int(sys.argv[2]), int(sys.argv[3]))
    elif command == "reference":
        self_test()
        gib, seed = int(sys.argv[2]), int(sys.argv[3])
        digest(streaming_replace(megabytes(gib, seed), PATTERN, REPLACEMENT))
    elif command == "digest":
        digest(stdin_chunks())
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
