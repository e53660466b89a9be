import Foundation

/// Output written in pieces as it is produced (a fleet's reports, one by one): to stdout, or to
/// `PATH.partial`, renamed to `PATH` once complete — so a half-written file never has the
/// final name, the same promise as the atomic write of a single report.
final class PieceWriter {
    private let path: String?
    private let handle: FileHandle

    init(path: String?) throws {
        self.path = path
        guard let path else {
            handle = .standardOutput
            return
        }
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil), let h = FileHandle(forWritingAtPath: partial) else {
            throw CLIError.output("cannot write \(path): check the directory exists and is writable")
        }
        handle = h
    }

    func write(_ text: String) throws {
        do { try handle.write(contentsOf: Data(text.utf8)) } catch {
            throw CLIError.output("cannot write \(path ?? "stdout"): \(error.localizedDescription)")
        }
    }

    /// Gives the file its name (stdout: nothing to do).
    func finish() throws {
        guard let path else { return }
        try? handle.close()
        // rename(2) replaces an existing file in one step: readers see the old file or the new one.
        guard rename(path + ".partial", path) == 0 else {
            throw CLIError.output("cannot write \(path): check the directory exists and is writable")
        }
    }

    /// Removes a partial file after a failure.
    func abandon() {
        guard let path else { return }
        try? handle.close()
        try? FileManager.default.removeItem(atPath: path + ".partial")
    }
}
