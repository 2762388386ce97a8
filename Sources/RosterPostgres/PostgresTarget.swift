import NIOSSL
import PostgresNIO
import RosterCore

/// A PostgreSQL connection URL, `postgresql://user:password@host:5432/database?sslmode=…`, as the seed guide writes
/// `SAML_DATABASE_URL`. `sslmode` is libpq's, plus `no-verify` (TLS without certificate checks, for self-signed
/// servers, as the seed asks).
public struct PostgresTarget: Sendable, Hashable, CustomStringConvertible {
    /// How TLS is used.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS when the server offers it, without certificate checks (libpq's default).
        case prefer
        /// TLS, without certificate checks.
        case require
        /// TLS with the certificate checked against the trust roots, but not the host name.
        case verifyCA = "verify-ca"
        /// TLS with the certificate and the host name checked.
        case verifyFull = "verify-full"
        /// TLS without certificate checks (what the seed's `sslmode=no-verify` asks).
        case noVerify = "no-verify"
    }

    /// The host.
    public var host: String
    /// The port.
    public var port: Int
    /// The user.
    public var username: String
    /// The password.
    public var password: String?
    /// The database.
    public var database: String
    /// The TLS mode.
    public var sslMode: SSLMode
    /// A PEM file of trust roots for `verify-ca` and `verify-full` (`sslrootcert`); the system's when nil.
    public var rootCertificatePath: String?

    /// Parses a URL; the error says what is wrong in one line.
    public init(url: String) throws(PostgresExportError) {
        let lower = url.lowercased()
        guard let scheme = ["postgresql://", "postgres://"].first(where: { lower.hasPrefix($0) }) else {
            throw .invalidURL("it must start with postgresql:// or postgres://")
        }
        var rest = Substring(url.dropFirst(scheme.count))
        var query = ""
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: mark)...])
            rest = rest[..<mark]
        }
        var path = ""
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[rest.index(after: slash)...])
            rest = rest[..<slash]
        }
        var credentials: Substring = ""
        if let at = rest.lastIndex(of: "@") {
            credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        let decode = { (text: Substring) throws(PostgresExportError) -> String in
            guard let decoded = PercentDecoding.decode(Array(text.utf8), mode: .strict) else { throw .invalidURL("it has a malformed %-escape") }
            return decoded
        }
        if let colon = credentials.firstIndex(of: ":") {
            username = try decode(credentials[..<colon])
            password = try decode(credentials[credentials.index(after: colon)...])
        } else {
            username = try decode(credentials)
            password = nil
        }
        guard !username.isEmpty else { throw .invalidURL("it names no user (postgresql://USER:PASSWORD@HOST/DATABASE)") }
        var hostPart = rest
        port = 5432
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw .invalidURL("its IPv6 host has no closing ]") }
            host = String(hostPart[hostPart.index(after: hostPart.startIndex)..<close])
            hostPart = hostPart[hostPart.index(after: close)...]
            if hostPart.hasPrefix(":") {
                guard let number = Int(hostPart.dropFirst()), (1...65_535).contains(number) else {
                    throw .invalidURL("its port is not a number from 1 to 65535")
                }
                port = number
            }
        } else if let colon = hostPart.lastIndex(of: ":") {
            host = String(hostPart[..<colon])
            guard let number = Int(hostPart[hostPart.index(after: colon)...]), (1...65_535).contains(number) else {
                throw .invalidURL("its port is not a number from 1 to 65535")
            }
            port = number
        } else {
            host = String(hostPart)
        }
        guard !host.isEmpty else { throw .invalidURL("it names no host") }
        database = try decode(Substring(path))
        guard !database.isEmpty else { throw .invalidURL("it names no database (…/DATABASE at the end)") }
        sslMode = .prefer
        rootCertificatePath = nil
        for item in query.split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1)
            let name = try decode(pair[0])
            let value = pair.count > 1 ? try decode(pair[1]) : ""
            switch name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw .invalidURL("sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(value)\"")
                }
                sslMode = mode
            case "sslrootcert":
                rootCertificatePath = value
            default:
                continue
            }
        }
    }

    /// The URL without its password, for messages.
    public var description: String {
        "postgresql://\(username)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }

    /// The postgres-nio configuration.
    func configuration() throws -> PostgresConnection.Configuration {
        PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: try tls())
    }

    /// The configuration of a connection pool (``PostgresStore``) with at most `maximumConnections`.
    func clientConfiguration(maximumConnections: Int) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: clientTLS()
        )
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(3)
        return configuration
    }

    /// The pool's TLS setting of the mode.
    private func clientTLS() -> PostgresClient.Configuration.TLS {
        guard let (configuration, required) = tlsUse() else { return .disable }
        return required ? .require(configuration) : .prefer(configuration)
    }

    /// The TLS setting of the mode.
    private func tls() throws -> PostgresConnection.Configuration.TLS {
        guard let (configuration, required) = tlsUse() else { return .disable }
        let context = try NIOSSLContext(configuration: configuration)
        return required ? .require(context) : .prefer(context)
    }

    /// What the mode asks of TLS, for the pool and for a single connection alike: nil for none, else the client
    /// configuration (certificates checked by `verify-ca` and `verify-full` only) and whether TLS is required or
    /// only preferred.
    private func tlsUse() -> (configuration: TLSConfiguration, required: Bool)? {
        var unverified = TLSConfiguration.makeClientConfiguration()
        unverified.certificateVerification = .none
        switch sslMode {
        case .disable:
            return nil
        case .prefer:
            return (unverified, false)
        case .require, .noVerify:
            return (unverified, true)
        case .verifyCA, .verifyFull:
            var verified = TLSConfiguration.makeClientConfiguration()
            verified.certificateVerification = sslMode == .verifyFull ? .fullVerification : .noHostnameVerification
            if let rootCertificatePath { verified.trustRoots = .file(rootCertificatePath) }
            return (verified, true)
        }
    }
}
