import Foundation

/// Parses the Prometheus text exposition format 0.0.4 and OpenMetrics 1.0 text into
/// ``MetricFamily`` values.
///
/// The parser works on UTF-8 bytes, never traps on any input (malformed lines are errors with a
/// line number), and groups samples into families by their `# TYPE`: `_bucket`/`_sum`/`_count`/
/// `_created` for histograms and summaries, `_total`/`_created` for counters, `_bucket`/`_gcount`/
/// `_gsum` for gauge histograms, `_info` for info. Samples without metadata form an `untyped`
/// family of their own name. Exemplars (` # {…} value [ts]`) and plain comments are skipped.
///
/// Strict parsing (the default) throws the first ``ExpositionError``; lenient parsing skips bad
/// lines and returns them as ``ExpositionParseResult/diagnostics``.
public enum ExpositionParser {
    /// Parses exposition text strictly.
    public static func parse(_ text: String, format: ExpositionFormat = .auto) throws(ExpositionError) -> [MetricFamily] {
        try parse(text, format: format, lenient: false).families
    }

    /// Parses exposition bytes (UTF-8) strictly, e.g. an HTTP body.
    public static func parse(bytes: some Collection<UInt8>, format: ExpositionFormat = .auto) throws(ExpositionError) -> [MetricFamily] {
        try parse(bytes: bytes, format: format, lenient: false).families
    }

    /// Parses exposition bytes (UTF-8) strictly.
    public static func parse(data: Data, format: ExpositionFormat = .auto) throws(ExpositionError) -> [MetricFamily] {
        try parse(bytes: data, format: format, lenient: false).families
    }

    /// Parses exposition text. With `lenient: true` it never throws: each bad line is skipped and
    /// reported in ``ExpositionParseResult/diagnostics``; with `lenient: false` the first bad line
    /// throws.
    public static func parse(_ text: String, format: ExpositionFormat = .auto, lenient: Bool) throws(ExpositionError) -> ExpositionParseResult {
        try parse(bytes: text.utf8, format: format, lenient: lenient)
    }

    /// Parses exposition bytes (UTF-8); see ``parse(_:format:lenient:)``.
    public static func parse(bytes: some Collection<UInt8>, format: ExpositionFormat = .auto, lenient: Bool) throws(ExpositionError) -> ExpositionParseResult {
        let outcome = bytes.withContiguousStorageIfAvailable { buffer in
            run(buffer, format: format, lenient: lenient)
        } ?? Array(bytes).withUnsafeBufferPointer { buffer in
            run(buffer, format: format, lenient: lenient)
        }
        return try outcome.get()
    }

    /// The format `.auto` reads these bytes as: OpenMetrics when the last non-blank line is
    /// `# EOF`, 0.0.4 text otherwise.
    public static func detectFormat(bytes: some Collection<UInt8>) -> ExpositionFormat {
        bytes.withContiguousStorageIfAvailable { endsWithEOF($0) ? .openMetrics : .text }
            ?? Array(bytes).withUnsafeBufferPointer { endsWithEOF($0) ? .openMetrics : .text }
    }

    private static func run(_ buffer: UnsafeBufferPointer<UInt8>, format: ExpositionFormat, lenient: Bool) -> Result<ExpositionParseResult, ExpositionError> {
        let resolved: ExpositionFormat = format == .auto ? (endsWithEOF(buffer) ? .openMetrics : .text) : format
        var scanner = ExpositionScanner(buffer: buffer, openMetrics: resolved == .openMetrics, lenient: lenient)
        do {
            try scanner.scan()
        } catch {
            return .failure(error)
        }
        return .success(ExpositionParseResult(families: scanner.finish(), diagnostics: scanner.diagnostics, format: resolved))
    }
}

/// A family being assembled.
struct FamilyBuilder {
    var name: String
    var nameBytes: [UInt8]
    var type: MetricType = .untyped
    var typeDeclared = false
    var help: String?
    var unit: String?
    var samples: [Sample] = []

    init(name: String) {
        self.name = name
        self.nameBytes = Array(name.utf8)
    }
}

/// The line-by-line state machine over one contiguous UTF-8 buffer. Every read is guarded by an
/// explicit bound; errors are thrown typed so the hot path stays free of existentials.
struct ExpositionScanner {
    let buffer: UnsafeBufferPointer<UInt8>
    let openMetrics: Bool
    let lenient: Bool

    var families: [FamilyBuilder] = []
    var familyIndex: [String: Int] = [:]
    /// The family the previous line went to; consecutive samples almost always share it.
    var current = -1
    var diagnostics: [ExpositionError] = []
    var lineNumber = 0
    var eofLine: Int?

    /// Scratch space for unescaping label values and HELP text.
    var scratch: [UInt8] = []
    /// The previous sample's name (bytes range and string) so repeated names share one string.
    var lastNameStart = 0
    var lastNameCount = 0
    var lastName = ""
    /// How many labels the previous sample had, to size the next dictionary.
    var labelCountHint = 0

    init(buffer: UnsafeBufferPointer<UInt8>, openMetrics: Bool, lenient: Bool) {
        self.buffer = buffer
        self.openMetrics = openMetrics
        self.lenient = lenient
    }

    mutating func scan() throws(ExpositionError) {
        let count = buffer.count
        guard count > 0, let base = buffer.baseAddress else {
            try finishChecks()
            return
        }
        var position = 0
        while position < count {
            lineNumber += 1
            let lineEnd: Int
            if let hit = memchr(base + position, 0x0A, count - position) {
                lineEnd = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            } else {
                lineEnd = count
            }
            var end = lineEnd
            while end > position, isTrailingSpace(buffer[end - 1]) { end -= 1 }
            var start = position
            while start < end, isBlank(buffer[start]) { start += 1 }
            position = lineEnd + 1

            guard start < end else { continue }
            if eofLine != nil {
                let error = ExpositionError(.contentAfterEOF, line: lineNumber, "unexpected content after '# EOF' (line \(eofLine ?? 0))")
                if lenient {
                    diagnostics.append(error)
                    return
                }
                throw error
            }
            do {
                if buffer[start] == UInt8(ascii: "#") {
                    try parseComment(start, end)
                } else {
                    try parseSample(start, end)
                }
            } catch {
                if lenient { diagnostics.append(error) } else { throw error }
            }
        }
        try finishChecks()
    }

    private mutating func finishChecks() throws(ExpositionError) {
        guard openMetrics, eofLine == nil else { return }
        let error = ExpositionError(.missingEOF, line: max(lineNumber, 1), "missing '# EOF' at the end of OpenMetrics input (truncated?)")
        if lenient { diagnostics.append(error) } else { throw error }
    }

    func finish() -> [MetricFamily] {
        families.map { MetricFamily(name: $0.name, type: $0.type, help: $0.help, unit: $0.unit, samples: $0.samples) }
    }

    // MARK: Families

    /// The family for the metadata line name at `buffer[start..<end]`: the current family when
    /// it has that name (HELP then TYPE), else looked up or created.
    mutating func family(_ start: Int, _ end: Int) -> Int {
        if current >= 0, families[current].nameBytes.elementsEqual(slice(start, end)) { return current }
        return family(named: string(start, end))
    }

    /// The family for a metadata line's name, created (untyped, undeclared) when new.
    mutating func family(named name: String) -> Int {
        if let index = familyIndex[name] { return index }
        families.append(FamilyBuilder(name: name))
        familyIndex[name] = families.count - 1
        return families.count - 1
    }

    /// The family a sample named by `buffer[start..<end]` belongs to: the current family when
    /// the name is its name plus an allowed suffix; else a family of exactly that name; else a
    /// declared family whose name plus an allowed suffix is this name; else a new untyped one.
    mutating func familyForSample(_ start: Int, _ end: Int, name: String) -> Int {
        if current >= 0, accepts(families[current], start, end) { return current }
        if let index = familyIndex[name] {
            current = index
            return index
        }
        let count = end - start
        for suffix in SampleSuffix.strippable where suffix.byteCount < count {
            let baseEnd = end - suffix.byteCount
            guard SampleSuffix(bytes: UnsafeBufferPointer(rebasing: buffer[baseEnd..<end])) == suffix else { continue }
            let base = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<baseEnd]), as: UTF8.self)
            if let index = familyIndex[base], families[index].type.allows(suffix) {
                current = index
                return index
            }
        }
        current = family(named: name)
        return current
    }

    private func accepts(_ family: FamilyBuilder, _ start: Int, _ end: Int) -> Bool {
        let nameCount = family.nameBytes.count
        guard end - start >= nameCount, let base = buffer.baseAddress else { return false }
        let samePrefix = family.nameBytes.withUnsafeBufferPointer { name -> Bool in
            guard let nameBase = name.baseAddress else { return true }
            return memcmp(base + start, nameBase, nameCount) == 0
        }
        guard samePrefix else { return false }
        guard let suffix = SampleSuffix(bytes: UnsafeBufferPointer(rebasing: buffer[(start + nameCount)..<end])) else { return false }
        return family.type.allows(suffix)
    }

    /// A string for the sample name at `buffer[start..<end]`, shared with the previous sample's
    /// when the bytes are the same.
    mutating func sampleName(_ start: Int, _ end: Int) -> String {
        let count = end - start
        if count == lastNameCount, let base = buffer.baseAddress, memcmp(base + start, base + lastNameStart, count) == 0 {
            return lastName
        }
        lastName = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
        lastNameStart = start
        lastNameCount = count
        return lastName
    }

    // MARK: Bytes

    @inline(__always) func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    @inline(__always) func isTrailingSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    @inline(__always) func skipBlanks(_ i: inout Int, _ end: Int) {
        while i < end, isBlank(buffer[i]) { i += 1 }
    }

    /// `[a-zA-Z_:]` starts a metric name; label names exclude `:`.
    @inline(__always) func isNameStart(_ byte: UInt8, colon: Bool) -> Bool {
        let lower = byte | 0x20
        return (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
            || (colon && byte == UInt8(ascii: ":"))
    }

    /// `[a-zA-Z0-9_:]` (no `:` for label names), as two 64-bit masks over ASCII.
    @inline(__always) func isNameChar(_ byte: UInt8, colon: Bool) -> Bool {
        // Bits 0x30…0x39 (digits), plus 0x3A (':') for metric names.
        let low: UInt64 = colon ? 0x07FF_0000_0000_0000 : 0x03FF_0000_0000_0000
        // Bits 0x41…0x5A ('A'…'Z'), 0x5F ('_'), 0x61…0x7A ('a'…'z'), less 0x40.
        let high: UInt64 = 0x07FF_FFFE_87FF_FFFE
        if byte < 64 { return (low >> UInt64(byte)) & 1 != 0 }
        if byte < 128 { return (high >> UInt64(byte - 64)) & 1 != 0 }
        return false
    }

    /// The end of the name starting at `i` (`i` itself when there is none).
    func nameEnd(from i: Int, _ end: Int, colon: Bool) -> Int {
        guard i < end, isNameStart(buffer[i], colon: colon) else { return i }
        var j = i + 1
        while j < end, isNameChar(buffer[j], colon: colon) { j += 1 }
        return j
    }

    /// The end of the token (run of non-blank bytes) starting at `i`.
    func tokenEnd(from i: Int, _ end: Int) -> Int {
        var j = i
        while j < end, !isBlank(buffer[j]) { j += 1 }
        return j
    }

    func slice(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: buffer[start..<end])
    }

    /// Whether `buffer[start..<end]` spells `text`.
    func equals(_ start: Int, _ end: Int, _ text: StaticString) -> Bool {
        guard end - start == text.utf8CodeUnitCount, let base = buffer.baseAddress else { return false }
        return memcmp(base + start, text.utf8Start, end - start) == 0
    }

    /// The index of the first `byte` in `buffer[start..<end]`, if any.
    func find(_ byte: UInt8, _ start: Int, _ end: Int) -> Int? {
        guard start < end, let base = buffer.baseAddress, let hit = memchr(base + start, Int32(byte), end - start) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    func string(_ start: Int, _ end: Int) -> String {
        String(decoding: slice(start, end), as: UTF8.self)
    }

    func excerpt(_ start: Int, _ end: Int) -> String {
        ExpositionError.excerpt(slice(start, end))
    }

    func error(_ kind: ExpositionError.Kind, _ message: String) -> ExpositionError {
        ExpositionError(kind, line: lineNumber, message)
    }
}

/// Ends with a `# EOF` line, ignoring trailing blank lines and whitespace.
func endsWithEOF(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
    var end = buffer.count
    while end > 0, buffer[end - 1] == 0x20 || buffer[end - 1] == 0x09 || buffer[end - 1] == 0x0D || buffer[end - 1] == 0x0A { end -= 1 }
    guard end >= 5, buffer[(end - 5)..<end].elementsEqual("# EOF".utf8) else { return false }
    return end == 5 || buffer[end - 6] == 0x0A
}
