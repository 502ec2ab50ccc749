/* Peer for compare.sh: replace every FIND with REPLACEMENT, reading 1 MiB
 * chunks and searching them with glibc memmem (leftmost, non-overlapping).
 * usage: memmem_replace FIND REPLACEMENT FILE > OUTPUT */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s FIND REPLACEMENT FILE\n", argv[0]); return 2; }
    const char *find = argv[1], *repl = argv[2];
    size_t m = strlen(find), r = strlen(repl);
    FILE *in = fopen(argv[3], "rb");
    if (!in || m == 0) { perror(argv[3]); return 1; }
    size_t cap = (1 << 20) + m;
    char *buf = malloc(cap);
    static char out[1 << 16];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    size_t kept = 0; /* bytes carried over: the last m - 1 bytes of a chunk */
    for (;;) {
        size_t n = fread(buf + kept, 1, cap - kept, in);
        size_t len = kept + n;
        int eof = n == 0;
        char *p = buf, *end = buf + len;
        for (;;) {
            char *hit = memmem(p, end - p, find, m);
            if (!hit) break;
            fwrite(p, 1, hit - p, stdout);
            fwrite(repl, 1, r, stdout);
            p = hit + m;
        }
        /* keep a tail that may begin a match split across chunks */
        size_t rest = end - p;
        size_t keep = eof ? 0 : (rest < m - 1 ? rest : m - 1);
        fwrite(p, 1, rest - keep, stdout);
        memmove(buf, end - keep, keep);
        kept = keep;
        if (eof) break;
    }
    return fflush(stdout) != 0;
}
