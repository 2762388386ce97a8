/// Where Roster listens, and its public URL.
struct ServerAddress {
    /// The default listening address: loopback only.
    static let defaultHost = "127.0.0.1"
    static let defaultPort = 3000

    var host: String
    var port: Int
    /// The public URL SCIM Base URLs start with, without a trailing slash.
    var baseURL: String

    /// The URL of the listening socket, `http://HOST:PORT` (an IPv6 address in brackets).
    var listeningURL: String { Self.url(host: host, port: port) }

    /// `http://HOST:PORT`, with an IPv6 address in brackets.
    static func url(host: String, port: Int) -> String {
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "http://\(shownHost):\(port)"
    }
}
