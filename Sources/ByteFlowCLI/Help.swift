import ByteFlow

/// The tool's version, printed by `byteflow --version`.
let toolVersion = "0.1.0"

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
              replace FIND REPLACEMENT [FILE]  replace every FIND with REPLACEMENT
              replace -e FIND=REPLACEMENT... [FILE]
                                               replace several strings in one pass
              compare [FILE]                   time a specialized and a boxed pipeline
              help [COMMAND]                   show this help or a command's

            Options:
              -h, --help     show this help and exit
                  --version  show the version and exit

            Run 'byteflow COMMAND --help' for a command's options.

            Exit status: 0 on success, 1 if reading or writing failed,
            2 if the command line is wrong.

            """
    case .replace:
        return """
            Usage: byteflow replace [OPTION]... FIND REPLACEMENT [FILE]
              or:  byteflow replace [OPTION]... -e FIND=REPLACEMENT... [FILE]
              or:  byteflow replace [OPTION]... --pairs PAIRS [FILE]

            Copy FILE to standard output, replacing every occurrence of the bytes
            FIND with the bytes REPLACEMENT: leftmost, non-overlapping matches, as
            sed 's/FIND/REPLACEMENT/g' would with fixed strings. The input is
            streamed in chunks, never held whole in memory; any bytes pass through,
            including NUL and invalid UTF-8. FIND must not be empty; an empty
            REPLACEMENT deletes every FIND. With no FILE, or when FILE is -, read
            standard input.

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
                                    TAB; empty lines are skipped). They come
                                    after the pairs of -e.
              -I, --ignore-case     match ASCII letters in either case (other
                                    bytes exactly); replacements are written as
                                    given
              -o, --output=FILE     write to FILE instead of standard output (- is
                                    standard output). A regular FILE is replaced
                                    atomically, keeping its permissions, and only
                                    if the whole run succeeds; a device or FIFO
                                    is written directly. FILE must not be the input.
                  --chunk-size=N    read N bytes at a time (default \(compactByteCount(FileSource.defaultChunkSize))); N may end
                                    in K, M or G (powers of 1024)
                  --boxed           run the same stages through BoxedPipeline
                                    (same output; compare the speed)
              -h, --help            show this help and exit
                  --                treat every later argument as an operand

            Options may come before or after the operands.

            Examples:
              byteflow replace elvis Elvis lyrics.txt
              byteflow replace -o lyrics.txt 'Love me tender' 'Love me true' lyrics.in
              gunzip -c log.gz | byteflow replace $'\\t' ' ' | less
              byteflow replace -- -v --verbose run.sh
              byteflow replace -I -e colour=color -e grey=gray essay.txt
              byteflow replace -e 'a\\=b=a==b' -e 'x=y=z' notes.txt
              byteflow replace --pairs renames.tsv -o out.log app.log

            Exit status: 0 on success, 1 if reading or writing failed (one line on
            standard error names the file and the reason), 2 if the command line is
            wrong. Writing to a pipe whose reader has gone ends byteflow quietly
            through SIGPIPE, as it does cat and sed (status 141 in the shell).

            """
    case .compare:
        return """
            Usage: byteflow compare [OPTION]... [FILE]

            Replace "elvis" with "Elvis" through two pipelines built from the same
            stages: a specialized Pipeline, which the compiler fuses into one
            loop, and a BoxedPipeline, which holds each stage as an existential
            ('any') and calls it dynamically. Check that both give the same bytes,
            then time each and print how much boxing costs at several chunk sizes.

            With no FILE, use the classic 119-byte input; with FILE (- is standard
            input), read it into memory first. Build with 'swift build -c release'
            for meaningful numbers.

            Options:
                  --chunk-size=N    measure chunks of N bytes (besides the whole
                                    input) instead of the default set; N may end
                                    in K, M or G (powers of 1024)
              -h, --help            show this help and exit

            Exit status: 0 on success, 1 if the input cannot be read or the two
            pipelines disagree, 2 if the command line is wrong.

            """
    }
}
