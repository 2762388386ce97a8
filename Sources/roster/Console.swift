import Foundation

/// Writes whole lines to standard output and standard error, unbuffered, so that a line printed by a long-running
/// `roster serve` reaches a log file or a pipe at once.
enum Console {
    /// Writes `line` and a newline to standard output.
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Writes `line` and a newline to standard error.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
