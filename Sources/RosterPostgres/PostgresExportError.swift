import NIOSSL
import PostgresNIO

/// Why an export failed, in one line for the admin.
public enum PostgresExportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL cannot be used.
    case invalidURL(String)
    /// Connecting, authenticating or TLS failed.
    case connection(String)
    /// The target already holds Roster's tables and `--replace` was not given.
    case targetHasData(String)
    /// The copy in PostgreSQL does not match the source.
    case verification(String)
    /// Anything else.
    case failed(String)

    /// The problem in words.
    public var description: String {
        switch self {
        case .invalidURL(let problem): "the PostgreSQL URL cannot be used: \(problem)"
        case .connection(let problem): problem
        case .targetHasData(let database): "the database \(database) already holds Roster's tables: add --replace to overwrite them"
        case .verification(let problem): "verification failed: \(problem)"
        case .failed(let problem): problem
        }
    }

    /// The one-line error for a failure talking to `target`.
    static func describing(_ error: any Error, target: PostgresTarget) -> PostgresExportError {
        if let error = error as? PostgresExportError { return error }
        let place = "\(target.host):\(target.port)"
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState] ?? ""
                if state == "28P01" || state == "28000" { return .connection("PostgreSQL at \(place) refused the login: \(message)") }
                if state == "3D000" { return .connection("PostgreSQL at \(place): \(message)") }
                return .failed("PostgreSQL at \(place) said: \(message)")
            }
            switch error.code {
            case .sslUnsupported:
                return .connection("PostgreSQL at \(place) does not offer TLS, which sslmode=\(target.sslMode.rawValue) requires")
            case .connectionError, .serverClosedConnection, .uncleanShutdown:
                if let underlying = error.underlying { return connectionFailure(underlying, place: place, target: target) }
                return .connection("cannot talk to PostgreSQL at \(place): the connection closed")
            default:
                if let underlying = error.underlying { return connectionFailure(underlying, place: place, target: target) }
                return .failed("PostgreSQL at \(place): \(error.code)")
            }
        }
        return connectionFailure(error, place: place, target: target)
    }

    private static func connectionFailure(_ error: any Error, place: String, target: PostgresTarget) -> PostgresExportError {
        if let error = error as? NIOSSLError {
            return .connection("TLS with PostgreSQL at \(place) failed (sslmode=\(target.sslMode.rawValue)): \(error)")
        }
        let text = String(describing: error)
        if text.contains("certificate") || text.contains("handshake") || text.contains("BoringSSL") {
            return .connection(
                "TLS with PostgreSQL at \(place) failed (sslmode=\(target.sslMode.rawValue)): \(text.split(separator: "\n").first ?? "")"
            )
        }
        return .connection("cannot reach PostgreSQL at \(place): \(text.split(separator: "\n").first ?? "")")
    }
}
