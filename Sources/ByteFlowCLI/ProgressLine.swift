import ByteFlow

// The line `--progress` draws on a terminal: bytes done, rate and, when the
// size is known, percentage and time left. Pure, so tests check it in
// process.

/// The progress line for `progress` of the file called `name`, at most
/// `width` columns, starting with a carriage return and ending by clearing
/// the rest of the terminal line: for example
/// `\r'big.log'  45.2 MiB of 100.0 MiB  45%  230.1 MiB/s  0:03 left\u{1B}[K`.
///
/// - Parameters:
///   - progress: The report from ``ProgressTransform``.
///   - name: The file's name as quoted for messages.
///   - width: Terminal columns; the name is shortened to fit.
/// - Returns: The text to write to the terminal.
func progressLine(_ progress: ProgressReport, name: String, width: Int) -> String {
    let seconds = Double(progress.elapsedNanoseconds) / 1e9
    let rate = seconds > 0 ? Double(progress.bytesDone) / seconds : 0
    var fields: [String] = []
    if let total = progress.totalBytes {
        fields.append("\(byteCountLabel(progress.bytesDone)) of \(byteCountLabel(total))")
        fields.append("\(Int(((progress.fraction ?? 0) * 100).rounded(.down)))%")
    } else {
        fields.append(byteCountLabel(progress.bytesDone))
    }
    if seconds > 0 { fields.append(byteCountLabel(Int(rate)) + "/s") }
    if let total = progress.totalBytes, rate > 0, !progress.isFinished {
        fields.append(durationLabel(Double(max(total - progress.bytesDone, 0)) / rate) + " left")
    }
    let status = fields.joined(separator: "  ")
    var shownName = name
    let room = width - 1 - status.count - 2
    if shownName.count > room {
        shownName = room > 4 ? "…" + String(shownName.suffix(room - 1)) : ""
    }
    let text = shownName.isEmpty ? status : shownName + "  " + status
    return "\r" + text + "\u{1B}[K"
}

/// What clears the progress line before other output: a carriage return
/// and "erase to end of line".
let progressLineClear = "\r\u{1B}[K"

/// A duration for people: `0:07`, `12:34`, `1:02:03`.
func durationLabel(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "-" }
    let total = Int(seconds.rounded(.up))
    let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
    func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return hours > 0 ? "\(hours):\(twoDigits(minutes)):\(twoDigits(secs))" : "\(minutes):\(twoDigits(secs))"
}

/// `value` with `digits` decimals and thousands separators: `12,345.6`.
func decimal(_ value: Double, digits: Int) -> String {
    guard value.isFinite, value >= 0, value < 1e15 else { return value.isNaN ? "-" : "\(value)" }
    var scale = 1
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((value * Double(scale)).rounded())
    var whole = String(scaled / scale)
    var index = whole.count - 3
    while index > 0 {
        whole.insert(",", at: whole.index(whole.startIndex, offsetBy: index))
        index -= 3
    }
    guard digits > 0 else { return whole }
    let fraction = String(scaled % scale)
    return whole + "." + String(repeating: "0", count: digits - fraction.count) + fraction
}

/// A byte count for people: `119 B`, `64 KiB`, `16.0 MiB`.
func byteCountLabel(_ count: Int) -> String {
    if count < 1 << 10 { return "\(count) B" }
    if count % (1 << 10) == 0 && count < 1 << 20 { return "\(count >> 10) KiB" }
    if count < 1 << 20 { return decimal(Double(count) / 1024, digits: 1) + " KiB" }
    if count < 1 << 30 { return decimal(Double(count) / Double(1 << 20), digits: 1) + " MiB" }
    return decimal(Double(count) / Double(1 << 30), digits: 1) + " GiB"
}
