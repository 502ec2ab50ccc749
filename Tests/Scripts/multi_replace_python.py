#!/usr/bin/env python3
"""Cross-checks `byteflow replace --pairs` (with and without -I) against
Python's `re.sub` on random cases.

usage: Tests/Scripts/multi_replace_python.py BYTEFLOW [CASES]

Python's reference is the escaped alternation, each pattern in its own group,
so that the winner is picked by its position in the list (`m.lastindex`),
also among duplicates and case variants; `re.IGNORECASE` on bytes folds ASCII
letters only, which is the tool's -I. Exits 1 at the first difference.
"""
import random
import re
import subprocess
import sys
import tempfile
import os

tool = sys.argv[1]
cases = int(sys.argv[2]) if len(sys.argv) > 2 else 300
rng = random.Random(10)
alphabets = [b"ab", b"abc", b"aAbB", b"aAbB=\xc3\xa9\x89", b"elvisELVIS "]
with tempfile.TemporaryDirectory() as directory:
    pairs_path = os.path.join(directory, "pairs")
    for case in range(cases):
        alphabet = rng.choice(alphabets)
        text = bytes(rng.choice(alphabet) for _ in range(rng.randrange(0, 2000)))
        pairs = []
        for _ in range(rng.randrange(1, 12)):
            pattern = bytes(rng.choice(alphabet) for _ in range(rng.randrange(1, 6)))
            replacement = bytes(rng.choice(b"xyXY=") for _ in range(rng.randrange(0, 4)))
            pairs.append((pattern, replacement))
        ignore = case % 2 == 1
        regex = re.compile(b"|".join(b"(" + re.escape(p) + b")" for p, _ in pairs), re.IGNORECASE if ignore else 0)
        expected = regex.sub(lambda m: pairs[m.lastindex - 1][1], text)
        with open(pairs_path, "wb") as f:
            f.write(b"".join(p + b"\t" + r + b"\n" for p, r in pairs))
        arguments = [tool, "replace", "--pairs", pairs_path, "--chunk-size", str(rng.choice([1, 3, 17, 4096]))]
        if ignore:
            arguments.append("-I")
        actual = subprocess.run(arguments, input=text, capture_output=True, check=True).stdout
        if actual != expected:
            print(f"case {case} differs: pairs {pairs}, ignore case {ignore}\n input {text!r}\n"
                  f" byteflow {actual!r}\n python   {expected!r}")
            sys.exit(1)
print(f"{cases} cases: byteflow replace --pairs agrees with Python re.sub (half of them with -I)")
