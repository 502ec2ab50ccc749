import ByteFlow

/// The tool's version, printed by `byteflow --version`.
let toolVersion = "0.2.0"

/// A byte count the way the help text shows it: `1M`, `64K`, `119`.
func compactByteCount(_ count: Int) -> String {
    if count >= 1 << 30 && count % (1 << 30) == 0 { return "\(count >> 30)G" }
    if count >= 1 << 20 && count % (1 << 20) == 0 { return "\(count >> 20)M" }
    if count >= 1 << 10 && count % (1 << 10) == 0 { return "\(count >> 10)K" }
    return "\(count)"
}

/// The usage text for `topic`, ending with a newline.
func helpText(_ topic: HelpTopic) -> String {
    switch topic {
    case .general:
        return """
            Usage: byteflow COMMAND [OPTION]... [OPERAND]...

            Stream bytes through ByteFlow pipelines.

            Commands:
              replace FIND REPLACEMENT [FILE]...  replace every FIND with REPLACEMENT
              compare [FIND REPLACEMENT [FILE]]   time a specialized and a boxed pipeline
              help [COMMAND]                      show this help or a command's

            Options:
              -h, --help     show this help and exit
                  --version  show the version and exit

            Run 'byteflow COMMAND --help' for a command's options.

            Exit status: 0 on success, 1 if reading or writing failed,
            2 if the command line is wrong.

            """
    case .help:
        return """
            Usage: byteflow help [COMMAND]

            Show the overview of byteflow, or the help of COMMAND (replace, compare
            or help), on standard output. 'byteflow help COMMAND' is the same as
            'byteflow COMMAND --help'.

            Exit status: 0 on success, 2 for an unknown COMMAND.

            """
    case .replace:
        return """
            Usage: byteflow replace [OPTION]... FIND REPLACEMENT [FILE]...
              or:  byteflow replace [OPTION]... -e FIND=REPLACEMENT... [FILE]...
              or:  byteflow replace [OPTION]... --pairs PAIRS [FILE]...

            Copy each FILE to standard output, one after the other, replacing every
            occurrence of the bytes FIND with the bytes REPLACEMENT: leftmost,
            non-overlapping matches, as sed 's/FIND/REPLACEMENT/g' would with fixed
            strings. Each FILE is matched on its own (a match never spans two
            files). The input is streamed in chunks, never held whole in memory; any
            bytes pass through, including NUL and invalid UTF-8. FIND, REPLACEMENT
            and FILE names are taken as the exact bytes given. FIND must not be
            empty; an empty REPLACEMENT deletes every FIND. With no FILE, or when
            FILE is -, read standard input.

            With -e or --pairs, several strings are replaced in one pass: at the
            leftmost position where any FIND matches, the first-listed FIND that
            matches there wins (as the regular expression FIND1|FIND2|... would in
            Perl or Python; unlike sed -e ... -e ..., which applies them one after
            the other). Replaced text is not searched again.

            Options:
              -e, --expression=FIND=REPLACEMENT
                                    add a pair, split at the first '='; write \\=
                                    for a '=' in FIND and \\\\ for a backslash before
                                    '=' (or use --pairs). May be repeated.
                  --pairs=PAIRS     add the pairs in file PAIRS, one per line:
                                    FIND, a TAB, REPLACEMENT (split at the first
                                    TAB; empty lines are skipped), after those of -e
              -I, --ignore-case     match ASCII letters in either case (other bytes
                                    exactly); replacements are written as given.
                                    -c and --stats take a single pair without -I.
              -o, --output=FILE     write to FILE instead of standard output (- is
                                    standard output). A regular FILE is replaced
                                    atomically, keeping its permissions, only if you
                                    may write it and only if every input was read; a
                                    device or FIFO is written directly. FILE must not
                                    be an input.
              -i, --in-place        write each FILE back to itself, atomically: a
                                    temporary file in its directory renamed over it
                                    (mode and owner kept; a symbolic link is followed
                                    and stays a link; other hard links keep the old
                                    content). Like sed -i, needs a writable directory,
                                    not a writable file. Only regular files.
              -c, --count           write no output, only the number of matches (all
                                    FILEs together) as one line
              -x, --escapes         interpret \\\\ \\n \\r \\t \\0 and \\xHH in FIND and
                                    REPLACEMENT (without it, \\ is an ordinary byte)
                  --stats           after the run, print matches, bytes read and
                                    written per FILE, a total and the time to
                                    standard error
                  --progress        draw a progress line on standard error while
                                    working, if it is a terminal (bytes, rate and,
                                    for a regular FILE, percentage and time left)
                  --chunk-size=N    read N bytes at a time (default \(compactByteCount(FileSource.defaultChunkSize))); N may end
                                    in K, KiB or KB, M, MiB or MB, G, GiB or GB
                                    (KB = 1000, K = KiB = 1024, as in GNU coreutils)
                  --boxed           run the same stages through BoxedPipeline
                                    (same output; compare the speed)
              -h, --help            show this help and exit
                  --                treat every later argument as an operand

            Options may come before or after the operands; short ones combine (-ix).

            A FILE that cannot be read (or, with -i, written back) is reported on one
            line and the others are still processed; the exit status is then 1.

            Examples:
              byteflow replace elvis Elvis lyrics.txt
              byteflow replace -i 'Love me tender' 'Love me true' *.txt
              byteflow replace -c elvis '' big.log          # count: prints a number
              byteflow replace -x '\\r\\n' '\\n' dos.txt > unix.txt
              gunzip -c log.gz | byteflow replace -x '\\t' ' ' | less
              byteflow replace -- -v --verbose run.sh
              byteflow replace -I -e colour=color -e grey=gray essay.txt
              byteflow replace --pairs renames.tsv -o out.log app.log

            Exit status: 0 on success, 1 if reading or writing failed (one line on
            standard error names the file and the reason), 2 if the command line is
            wrong. Writing to a pipe whose reader has gone ends byteflow quietly
            through SIGPIPE, as it does cat and sed (status 141 in the shell).
            SIGINT, SIGTERM and SIGHUP remove any temporary file before byteflow ends.

            """
    case .compare:
        return """
            Usage: byteflow compare [OPTION]... [FIND REPLACEMENT [FILE]]

            Replace FIND with REPLACEMENT (default: "elvis" with "Elvis") through two
            pipelines built from the same stages: a specialized Pipeline, which the
            compiler fuses into one loop, and a BoxedPipeline, which holds each stage
            as an existential ('any') and calls it dynamically. Check that both give
            the same bytes, then time each and print how much boxing costs at several
            chunk sizes.

            With no FILE, use the classic 119-byte input; with FILE (- is standard
            input), read it into memory first. The timing is the Benchmarks
            package's Classic rows d and e (same pipelines, reused run after run,
            p50 of batches of 1,000 runs), so the figures agree with
            Documentation/Benchmarks.md. Build with 'swift build -c release' for
            meaningful numbers.

            Options:
              -x, --escapes         interpret escapes in FIND and REPLACEMENT, as
                                    'byteflow replace' does
                  --chunk-size=N    measure chunks of N bytes besides the whole
                                    input (always shown, even if N is larger than
                                    the input) instead of the default set; N may
                                    end in K, KiB, KB, M, MiB, MB, G, GiB or GB
                  --quick           time briefly: check that it works, not a
                                    measurement
              -h, --help            show this help and exit

            Exit status: 0 on success, 1 if the input cannot be read or the two
            pipelines disagree, 2 if the command line is wrong.

            """
    }
}
