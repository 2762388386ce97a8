import ArgumentParser
import Foundation

/// Where Roster listens and the public URL that SCIM Base URLs start with; shared by `serve` and the directory
/// commands that print SCIM Base URLs, so that both follow the same rule.
struct ServerAddressOptions: ParsableArguments {
    @Option(name: Setting.baseURL.optionName, help: Setting.baseURL.optionHelp)
    var baseURL: String?

    @Option(name: Setting.host.optionName, help: Setting.host.optionHelp)
    var host: String?

    @Option(name: Setting.port.optionName, help: Setting.port.optionHelp)
    var port: String?

    /// The resolved values; an invalid one fails with exit code 2.
    func resolve(environment: [String: String]) throws(CommandFailure) -> ServerAddress {
        let host = (Setting.host.value(flag: host, environment: environment) ?? ServerAddress.defaultHost).trimmed()
        guard !host.contains(where: { $0.isWhitespace || $0 == "/" }) else {
            throw .configuration("\(Setting.host.name) must be a host name or an IP address, not \"\(host.replacingNewlines())\"")
        }
        let resolvedPort = try Setting.port.integer(flag: port, environment: environment)
        var resolvedBaseURL = ServerAddress.url(host: host, port: resolvedPort)
        if let text = Setting.baseURL.value(flag: baseURL, environment: environment) {
            resolvedBaseURL = try Self.validatedBaseURL(text.trimmed())
        }
        return ServerAddress(host: host, port: resolvedPort, baseURL: resolvedBaseURL)
    }

    /// An http(s) URL with a host and no query, fragment or credentials, without trailing slashes.
    private static func validatedBaseURL(_ text: String) throws(CommandFailure) -> String {
        let problem: String? =
            if let components = URLComponents(string: text) {
                if !["http", "https"].contains(components.scheme?.lowercased() ?? "") {
                    "must start with http:// or https://"
                } else if (components.host ?? "").isEmpty {
                    "must name a host"
                } else if components.query != nil || components.fragment != nil {
                    "must have no query or fragment"
                } else if components.user != nil || components.password != nil {
                    "must carry no credentials"
                } else {
                    nil
                }
            } else {
                "is not a valid URL"
            }
        if let problem {
            throw .configuration(
                "\(Setting.baseURL.name) \(problem), such as https://roster.example.com (got \"\(text.replacingNewlines())\")"
            )
        }
        var url = text
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
