import ArgumentParser
import Foundation
import RosterServer

/// Admin sign-in with the identity provider over OpenID Connect, for `serve`.
struct OIDCOptions: ParsableArguments {
    @Option(name: Setting.oidcIssuer.optionName, help: Setting.oidcIssuer.optionHelp)
    var issuer: String?

    @Option(name: Setting.oidcClientID.optionName, help: Setting.oidcClientID.optionHelp)
    var clientID: String?

    @Option(name: Setting.oidcClientSecret.optionName, help: Setting.oidcClientSecret.optionHelp)
    var clientSecret: String?

    @Option(name: Setting.oidcProviderName.optionName, help: Setting.oidcProviderName.optionHelp)
    var providerName: String?

    /// The OIDC settings; nil when no issuer is set. Fails when the issuer is set without a client ID and secret,
    /// or is not an https URL (http only on loopback, for tests).
    func resolve(environment: [String: String]) throws(CommandFailure) -> OIDCSettings? {
        let issuer = Setting.oidcIssuer.value(flag: issuer, environment: environment)?.trimmed()
        let clientID = Setting.oidcClientID.value(flag: clientID, environment: environment)?.trimmed()
        let clientSecret = Setting.oidcClientSecret.value(flag: clientSecret, environment: environment)?.trimmed()
        guard let issuer else {
            if clientID != nil || clientSecret != nil {
                throw .configuration(
                    "\(Setting.oidcIssuer.name) must be set when \(Setting.oidcClientID.variable) or \(Setting.oidcClientSecret.variable) is"
                )
            }
            return nil
        }
        guard let components = URLComponents(string: issuer), let scheme = components.scheme?.lowercased(), let host = components.host,
            !host.isEmpty, components.query == nil, components.fragment == nil
        else {
            throw .configuration("\(Setting.oidcIssuer.name) must be the provider's issuer URL, such as https://example.okta.com, not \"\(issuer)\"")
        }
        let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased())
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw .configuration("\(Setting.oidcIssuer.name) must be an https URL (http only on loopback), not \"\(issuer)\"")
        }
        guard let clientID, !clientID.isEmpty else {
            throw .configuration("\(Setting.oidcClientID.name) must be set with \(Setting.oidcIssuer.variable)")
        }
        guard let clientSecret, !clientSecret.isEmpty else {
            throw .configuration("\(Setting.oidcClientSecret.name) must be set with \(Setting.oidcIssuer.variable)")
        }
        return OIDCSettings(
            issuer: issuer,
            clientID: clientID,
            clientSecret: clientSecret,
            providerName: Setting.oidcProviderName.value(flag: providerName, environment: environment)
        )
    }
}
