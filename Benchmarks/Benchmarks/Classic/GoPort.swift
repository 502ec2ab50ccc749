// A literal Swift port of the first algorithm of the Go memory-profiling
// walkthrough (`algOne`), and the two steps the walkthrough takes to remove
// its allocations. The shapes are kept on purpose, slow parts included: they
// are what the rows of the classic table measure.

/// Go's `io.Reader`: fills up to `buffer.count` bytes and says how many; 0 at
/// the end of the stream.
///
/// A class-bound protocol, because Go's reader is a pointer (`*bytes.Buffer`).
protocol Reader: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int
}

/// Go's `bytes.Buffer` used as a reader: `bytes.NewBuffer(data)`.
final class BytesReader: Reader {
    let data: [UInt8]
    var offset = 0

    init(_ data: [UInt8]) {
        self.data = data
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let n = min(buffer.count, data.count - offset)
        guard n > 0 else { return 0 }
        data.withUnsafeBytes { bytes in
            buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}

/// Go's `bytes.NewBuffer(data)` passed on as an `io.Reader`.
///
/// Not inlined, so that the reader's concrete type stays out of the
/// optimizer's sight, as that of a reader handed in from elsewhere would.
/// Created in place instead, `BytesReader` is visible to the existential
/// specializer, which rewrites `readFull(_: any Reader, ...)` into a generic
/// function, specializes it for `BytesReader` and puts the object on the
/// stack: Swift applies the walkthrough's fix by itself, and row (a) would
/// measure row (b).
@inline(never)
func makeReader(_ data: [UInt8]) -> any Reader {
    BytesReader(data)
}

/// Go's `bytes.Buffer` used as the output: append and reset.
struct OutputBuffer {
    var bytes: [UInt8] = []

    mutating func write(_ slice: ArraySlice<UInt8>) { bytes.append(contentsOf: slice) }
    mutating func write(_ slice: UnsafeRawBufferPointer) { bytes.append(contentsOf: slice) }
    mutating func writeByte(_ byte: UInt8) { bytes.append(byte) }
    mutating func reset() { bytes.removeAll(keepingCapacity: true) }
}

/// Go's `io.ReadFull(r, buf[range])` through an existential: reads until the
/// range is full or the stream ends; returns the bytes read.
///
/// Not inlined, like Go's `io.ReadFull`, so that the reader really is used
/// through its existential.
@inline(never)
func readFull(_ reader: any Reader, _ buffer: inout [UInt8], _ range: Range<Int>) -> Int {
    buffer.withUnsafeMutableBytes { bytes in
        var filled = 0
        while filled < range.count {
            let n = reader.read(
                into: UnsafeMutableRawBufferPointer(
                    rebasing: bytes[range.lowerBound + filled..<range.upperBound]))
            if n == 0 { break }
            filled += n
        }
        return filled
    }
}

/// Row (a): the walkthrough's `algOne`. A window of `find.count` bytes is
/// allocated per call and the input is read one byte at a time through
/// `any Reader`.
@inline(never)
func algOne(_ data: [UInt8], _ find: [UInt8], _ repl: [UInt8], _ output: inout OutputBuffer) {
    let input = makeReader(data)
    let size = find.count
    var buf = [UInt8](repeating: 0, count: size)
    let end = size - 1

    // Read in the first bytes we need to get started.
    var n = readFull(input, &buf, 0..<end)
    if n < end {
        output.write(buf[..<n])
        return
    }
    while true {
        // Read in one byte from the input stream.
        if readFull(input, &buf, end..<size) < 1 {
            // Flush the rest of the bytes we have.
            output.write(buf[..<end])
            return
        }
        // If we have a match, replace the bytes and read a fresh window.
        if buf == find {
            output.write(repl[...])
            n = readFull(input, &buf, 0..<end)
            if n < end {
                output.write(buf[..<n])
                return
            }
            continue
        }
        // Write the front byte since it has been compared, and slide.
        output.writeByte(buf[0])
        for i in 0..<end { buf[i] = buf[i + 1] }
    }
}

/// Go's `input.Read` on the concrete reader, as a full read: generic, so it
/// is specialized for `BytesReader`, and the reader need not escape.
func readFull<R: Reader>(_ reader: R, _ buffer: inout [UInt8], _ range: Range<Int>) -> Int {
    buffer.withUnsafeMutableBytes { bytes in
        readFull(reader, UnsafeMutableRawBufferPointer(rebasing: bytes[range]))
    }
}

/// The same into a fixed-size window.
func readFull<R: Reader>(_ reader: R, _ buffer: inout InlineArray<5, UInt8>, _ range: Range<Int>) -> Int {
    withUnsafeMutableBytes(of: &buffer) { bytes in
        readFull(reader, UnsafeMutableRawBufferPointer(rebasing: bytes[range]))
    }
}

func readFull<R: Reader>(_ reader: R, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
    var filled = 0
    while filled < buffer.count {
        let n = reader.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
        if n == 0 { break }
        filled += n
    }
    return filled
}

/// Row (b): `algOne` with the reader used through its concrete type. The
/// window is still a heap array allocated per call.
@inline(never)
func algOneConcreteReader(_ data: [UInt8], _ find: [UInt8], _ repl: [UInt8], _ output: inout OutputBuffer) {
    let input = BytesReader(data)
    let size = find.count
    var buf = [UInt8](repeating: 0, count: size)
    let end = size - 1

    var n = readFull(input, &buf, 0..<end)
    if n < end {
        output.write(buf[..<n])
        return
    }
    while true {
        if readFull(input, &buf, end..<size) < 1 {
            output.write(buf[..<end])
            return
        }
        if buf == find {
            output.write(repl[...])
            n = readFull(input, &buf, 0..<end)
            if n < end {
                output.write(buf[..<n])
                return
            }
            continue
        }
        output.writeByte(buf[0])
        for i in 0..<end { buf[i] = buf[i + 1] }
    }
}

/// Row (c): as (b), with the window a fixed five bytes on the stack (Go's
/// `make([]byte, 5)` with a constant size): no allocation at all.
@inline(never)
func algOneStackWindow(_ data: [UInt8], _ find: [UInt8], _ repl: [UInt8], _ output: inout OutputBuffer) {
    precondition(find.count == 5, "the stack window holds five bytes")
    let input = BytesReader(data)
    var buf = InlineArray<5, UInt8>(repeating: 0)
    let size = 5
    let end = size - 1

    var n = readFull(input, &buf, 0..<end)
    if n < end {
        withUnsafeBytes(of: buf) { output.write(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
        return
    }
    while true {
        if readFull(input, &buf, end..<size) < 1 {
            withUnsafeBytes(of: buf) { output.write(UnsafeRawBufferPointer(rebasing: $0[..<end])) }
            return
        }
        if buf[0] == find[0] && buf[1] == find[1] && buf[2] == find[2] && buf[3] == find[3]
            && buf[4] == find[4]
        {
            output.write(repl[...])
            n = readFull(input, &buf, 0..<end)
            if n < end {
                withUnsafeBytes(of: buf) { output.write(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
                return
            }
            continue
        }
        output.writeByte(buf[0])
        for i in 0..<end { buf[i] = buf[i + 1] }
    }
}
