import ArgumentParser
import Foundation
import RosterServer

/// Admin sign-in with the identity provider over OpenID Connect, for `serve`.
struct OIDCOptions: ParsableArguments {
    /// `--oidc-issuer`, else `OIDC_ISSUER`.
    @Option(
        name: .customLong("oidc-issuer"),
        help: ArgumentHelp(
            "The OpenID provider's issuer URL, such as https://example.okta.com; turns on \"Sign in with …\" (env OIDC_ISSUER).",
            valueName: "url"
        )
    )
    var issuer: String?

    /// `--oidc-client-id`, else `OIDC_CLIENT_ID`.
    @Option(name: .customLong("oidc-client-id"), help: ArgumentHelp("The app integration's client ID (env OIDC_CLIENT_ID).", valueName: "id"))
    var clientID: String?

    /// `--oidc-client-secret`, else `OIDC_CLIENT_SECRET` (prefer the environment: flags show in process lists).
    @Option(
        name: .customLong("oidc-client-secret"),
        help: ArgumentHelp("The app integration's client secret (env OIDC_CLIENT_SECRET; prefer the environment).", valueName: "secret")
    )
    var clientSecret: String?

    /// `--oidc-provider-name`, else `OIDC_PROVIDER_NAME`.
    @Option(
        name: .customLong("oidc-provider-name"),
        help: ArgumentHelp(
            "The name on the sign-in button, \"Sign in with NAME\" (env OIDC_PROVIDER_NAME; default from the issuer, such as Okta).",
            valueName: "name"
        )
    )
    var providerName: String?

    /// The OIDC settings; nil when no issuer is set. Fails when the issuer is set without a client ID and secret,
    /// or is not an https URL (http only on loopback, for tests).
    func resolve(environment: [String: String]) throws(CommandFailure) -> OIDCSettings? {
        let issuer = Setting.oidcIssuer.value(flag: issuer, environment: environment)?.trimmed()
        let clientID = Setting.oidcClientID.value(flag: clientID, environment: environment)?.trimmed()
        let clientSecret = Setting.oidcClientSecret.value(flag: clientSecret, environment: environment)?.trimmed()
        guard let issuer else {
            if clientID != nil || clientSecret != nil {
                throw .configuration("\(Setting.oidcIssuer.name) must be set when OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is")
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
        guard let clientID, !clientID.isEmpty else { throw .configuration("\(Setting.oidcClientID.name) must be set with OIDC_ISSUER") }
        guard let clientSecret, !clientSecret.isEmpty else {
            throw .configuration("\(Setting.oidcClientSecret.name) must be set with OIDC_ISSUER")
        }
        return OIDCSettings(
            issuer: issuer,
            clientID: clientID,
            clientSecret: clientSecret,
            providerName: Setting.oidcProviderName.value(flag: providerName, environment: environment)
        )
    }
}
