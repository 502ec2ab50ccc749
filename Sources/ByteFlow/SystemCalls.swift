#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// Thin wrappers over the system calls the file stages use, in the manner of
// swift-system: each returns the result or throws an `IOError` naming the
// call, and retries `EINTR` itself. None of them is inlinable: a system call
// costs far more than a function call, and keeping them out of client modules
// keeps the inlined code small.

/// Opens `path` with `flags` (and `mode` when creating), retrying on `EINTR`.
internal func _open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o666) throws(IOError) -> Int32 {
    while true {
        let fd = open(path, flags | O_CLOEXEC, mode)
        if fd >= 0 { return fd }
        let code = errno
        if code == EINTR { continue }
        throw IOError(operation: "open", path: path, code: code)
    }
}

/// Waits until `fd` is ready for `events` (`POLLIN` or `POLLOUT`): used when
/// a descriptor someone else made non-blocking answers `EAGAIN`.
internal func _waitUntilReady(_ fd: Int32, _ events: Int16) {
    var entry = pollfd(fd: fd, events: events, revents: 0)
    while poll(&entry, 1, -1) < 0 && errno == EINTR {}
}

/// Reads up to `count` bytes into `buffer`: the number read, 0 at end of file.
/// Retries `EINTR`, and waits on `EAGAIN`.
internal func _read(
    _ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, path: String?, transferred: Int
) throws(IOError) -> Int {
    while true {
        let n = read(fd, buffer, count)
        if n >= 0 { return n }
        let code = errno
        switch code {
        case EINTR: continue
        case EAGAIN, EWOULDBLOCK: _waitUntilReady(fd, Int16(POLLIN))
        default: throw IOError(operation: "read", path: path, code: code, bytesTransferred: transferred)
        }
    }
}

/// Writes all `count` bytes at `buffer`, looping over short writes, retrying
/// `EINTR` and waiting on `EAGAIN`. Adds what reached the file to
/// `transferred`, also when it throws. `package`: the tool uses it too.
package func _writeAll(
    _ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int, path: String?, transferred: inout Int
) throws(IOError) {
    try _writeAll(fd, buffer, 0, then: buffer, count, path: path, transferred: &transferred)
}

/// Writes `first[0..<firstCount]` and then `second[0..<secondCount]` with
/// `writev(2)`, looping over short writes like ``_writeAll(_:_:_:path:transferred:)``.
/// `firstCount` may be 0.
internal func _writeAll(
    _ fd: Int32, _ first: UnsafeRawPointer, _ firstCount: Int, then second: UnsafeRawPointer,
    _ secondCount: Int, path: String?, transferred: inout Int
) throws(IOError) {
    var done = 0
    let total = firstCount + secondCount
    while done < total {
        let n: Int
        if done < firstCount {
            var vectors = (
                iovec(iov_base: UnsafeMutableRawPointer(mutating: first + done), iov_len: firstCount - done),
                iovec(iov_base: UnsafeMutableRawPointer(mutating: second), iov_len: secondCount)
            )
            n = withUnsafePointer(to: &vectors) {
                $0.withMemoryRebound(to: iovec.self, capacity: 2) { writev(fd, $0, 2) }
            }
        } else {
            n = write(fd, second + (done - firstCount), total - done)
        }
        if n > 0 {
            done += n
            transferred += n
            continue
        }
        let code = n == 0 ? EIO : errno
        switch code {
        case EINTR: continue
        case EAGAIN, EWOULDBLOCK: _waitUntilReady(fd, Int16(POLLOUT))
        default: throw IOError(operation: "write", path: path, code: code, bytesTransferred: transferred)
        }
    }
}

/// Writes every byte the `count` vectors at `vectors` describe, with
/// `writev(2)`, looping over short writes (the vectors are updated in place
/// as they are written), retrying `EINTR` and waiting on `EAGAIN`. Adds what
/// reached the file to `transferred`, also when it throws.
internal func _writeAll(
    _ fd: Int32, _ vectors: UnsafeMutablePointer<iovec>, _ count: Int, path: String?, transferred: inout Int
) throws(IOError) {
    var first = 0
    while first < count {
        if vectors[first].iov_len == 0 {
            first += 1
            continue
        }
        let n = writev(fd, vectors + first, Int32(count - first))
        if n > 0 {
            transferred += n
            // Skip what was written: whole vectors, then part of one.
            var left = n
            while left > 0 && left >= vectors[first].iov_len {
                left -= vectors[first].iov_len
                first += 1
            }
            if left > 0 {
                vectors[first].iov_base += left
                vectors[first].iov_len -= left
            }
            continue
        }
        let code = n == 0 ? EIO : errno
        switch code {
        case EINTR: continue
        case EAGAIN, EWOULDBLOCK: _waitUntilReady(fd, Int16(POLLOUT))
        default: throw IOError(operation: "write", path: path, code: code, bytesTransferred: transferred)
        }
    }
}

/// Closes `fd`. `EINTR` is not retried: on Linux the descriptor is closed
/// already, and closing it again could close someone else's.
internal func _close(_ fd: Int32, path: String?) throws(IOError) {
    if close(fd) != 0 && errno != EINTR {
        throw IOError(operation: "close", path: path, code: errno)
    }
}
