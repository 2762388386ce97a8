import Foundation
import Logging

/// A swift-log handler that writes one JSON object a line to standard error (`LOG_FORMAT=json`):
/// `{"time","level","label","message", …metadata}`, for log shippers.
struct JSONLogHandler: LogHandler {
    let label: String
    /// The level below which nothing is written.
    var logLevel: Logger.Level
    /// Metadata on every line.
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes the event as one JSON object on one line; the event's metadata wins over the handler's on a clash.
    func log(event: LogEvent) {
        var object: [String: Any] = [
            "time": ISO8601DateFormatter().string(from: Date()),
            "level": event.level.rawValue,
            "label": label,
            "message": event.message.description,
            "source": event.source,
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = value.description
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        FileHandle.standardError.write(data + Data("\n".utf8))
    }
}

/// How `roster serve` logs: `LOG_FORMAT` (`text` or `json`) and `LOG_LEVEL` (`trace` … `critical`, default `info`).
enum LogSetup {
    /// The level when `LOG_LEVEL` is unset.
    static let defaultLevel = Logger.Level.info

    /// Bootstraps swift-log once for the process; an invalid value fails with exit code 2.
    static func bootstrap(environment: [String: String]) throws(CommandFailure) -> Logger.Level {
        let levelText = (Setting.logLevel.value(flag: nil, environment: environment) ?? defaultLevel.rawValue).trimmed().lowercased()
        guard let level = Logger.Level(rawValue: levelText) else {
            let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw .configuration("\(Setting.logLevel.name) must be one of \(levels), not \"\(levelText)\"")
        }
        switch (Setting.logFormat.value(flag: nil, environment: environment) ?? "text").trimmed().lowercased() {
        case "text":
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        case "json":
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, logLevel: level) }
        case let other:
            throw .configuration("\(Setting.logFormat.name) must be text or json, not \"\(other)\"")
        }
        return level
    }
}
