import Foundation
import RosterPostgres

/// Shows export progress on standard error: on a terminal, one redrawn bar per table with rows, rows/s and ETA;
/// otherwise a plain line when a table starts, every few seconds while it runs, and when it ends.
final class ExportProgressPrinter: @unchecked Sendable {
    private let interactive: Bool
    private let lock = NSLock()
    private var lastLine = ContinuousClock.now

    /// Makes a printer for a terminal (`interactive`) or a log.
    init(interactive: Bool) {
        self.interactive = interactive
    }

    /// On a terminal, redraws the table's bar; otherwise prints a line when the table starts, at most every 2 s while
    /// it is copied, and when it is done.
    func show(_ progress: ExportProgress) {
        lock.withLock {
            let rate = progress.elapsedSeconds > 0 ? Double(progress.rowsCopied) / progress.elapsedSeconds : 0
            let counts = "\(progress.rowsCopied)/\(progress.totalRows) rows"
            let speed = rate > 0 ? String(format: "%.0f rows/s", rate) : "– rows/s"
            if interactive {
                let fraction = progress.totalRows > 0 ? Double(progress.rowsCopied) / Double(progress.totalRows) : 1
                let filled = Int((fraction * 24).rounded(.down))
                let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 24 - filled)
                let remaining = rate > 0 ? Double(progress.totalRows - progress.rowsCopied) / rate : 0
                let eta = progress.finished ? String(format: "done in %.1f s", progress.elapsedSeconds) : String(format: "ETA %.0f s", remaining)
                let name = progress.table.padding(toLength: 18, withPad: " ", startingAt: 0)
                FileHandle.standardError.write(Data("\r\(name) [\(bar)] \(counts)  \(speed)  \(eta)\u{1B}[K\(progress.finished ? "\n" : "")".utf8))
            } else {
                let now = ContinuousClock.now
                guard progress.finished || progress.rowsCopied == 0 || now - lastLine >= .seconds(2) else { return }
                lastLine = now
                let state =
                    progress.finished
                    ? String(format: "done in %.1f s", progress.elapsedSeconds) : (progress.rowsCopied == 0 ? "starting" : "copying")
                FileHandle.standardError.write(Data("export: \(progress.table): \(counts), \(speed), \(state)\n".utf8))
            }
        }
    }
}
