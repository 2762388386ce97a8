import ArgumentParser
import Foundation
import RosterSAML
import RosterServer

/// Admin sign-in with the identity provider over SAML 2.0, for `serve`.
struct SAMLOptions: ParsableArguments {
    /// `--saml-idp-metadata`, else `SAML_IDP_METADATA`.
    @Option(
        name: .customLong("saml-idp-metadata"),
        help: ArgumentHelp(
            "The IdP's SAML metadata: an https URL (http only on loopback), such as Okta's metadata URL, or a file; turns on \"Sign in with …\" over SAML (env SAML_IDP_METADATA).",
            valueName: "url-or-file"
        )
    )
    var metadata: String?

    /// `--saml-idp-entity-id`, else `SAML_IDP_ENTITY_ID`.
    @Option(
        name: .customLong("saml-idp-entity-id"),
        help: ArgumentHelp("Without metadata: the IdP's entityID (env SAML_IDP_ENTITY_ID).", valueName: "id")
    )
    var entityID: String?

    /// `--saml-idp-sso-url`, else `SAML_IDP_SSO_URL`.
    @Option(
        name: .customLong("saml-idp-sso-url"),
        help: ArgumentHelp("Without metadata: the IdP's single sign-on URL, HTTP-Redirect binding (env SAML_IDP_SSO_URL).", valueName: "url")
    )
    var singleSignOnURL: String?

    /// `--saml-idp-certificate`, else `SAML_IDP_CERTIFICATE`.
    @Option(
        name: .customLong("saml-idp-certificate"),
        help: ArgumentHelp("Without metadata: a PEM file with the IdP's signing certificate(s) (env SAML_IDP_CERTIFICATE).", valueName: "file")
    )
    var certificate: String?

    /// `--saml-sp-entity-id`, else `SAML_SP_ENTITY_ID`.
    @Option(
        name: .customLong("saml-sp-entity-id"),
        help: ArgumentHelp("Roster's entityID at the IdP (env SAML_SP_ENTITY_ID; default BASE_URL/auth/saml/metadata).", valueName: "id")
    )
    var serviceProviderEntityID: String?

    /// `--saml-allow-idp-initiated`, else `SAML_ALLOW_IDP_INITIATED`.
    @Option(
        name: .customLong("saml-allow-idp-initiated"),
        help: ArgumentHelp("Accept sign-ins started at the IdP's dashboard (env SAML_ALLOW_IDP_INITIATED; default false).", valueName: "true|false")
    )
    var allowIdentityProviderInitiated: String?

    /// `--saml-provider-name`, else `SAML_PROVIDER_NAME`.
    @Option(
        name: .customLong("saml-provider-name"),
        help: ArgumentHelp("The name on the SAML sign-in button (env SAML_PROVIDER_NAME; default from the IdP's host).", valueName: "name")
    )
    var providerName: String?

    /// The SAML settings; nil when no IdP is configured. Reads the metadata (fetching a URL) once; anything unusable
    /// is a configuration error (exit code 2).
    func resolve(environment: [String: String]) async throws(CommandFailure) -> SAMLSettings? {
        let metadata = Setting.samlIdPMetadata.value(flag: metadata, environment: environment)?.trimmed()
        let entityID = Setting.samlIdPEntityID.value(flag: entityID, environment: environment)?.trimmed()
        let singleSignOnURL = Setting.samlIdPSSOURL.value(flag: singleSignOnURL, environment: environment)?.trimmed()
        let certificate = Setting.samlIdPCertificate.value(flag: certificate, environment: environment)?.trimmed()
        let identityProvider: SAMLIdentityProvider
        if let metadata {
            if metadata.lowercased().hasPrefix("http://") || metadata.lowercased().hasPrefix("https://"), !SAMLMetadataSource.isAllowed(metadata) {
                throw .configuration("\(Setting.samlIdPMetadata.name) must be an https URL (http only on loopback), not \"\(metadata)\"")
            }
            do throws(SAMLMetadataError) {
                identityProvider = try await SAMLMetadataSource.load(metadata)
            } catch {
                throw .configuration("\(Setting.samlIdPMetadata.name): \(error.description)")
            }
        } else if entityID != nil || singleSignOnURL != nil || certificate != nil {
            guard let entityID, let singleSignOnURL, let certificate else {
                throw .configuration(
                    "SAML_IDP_ENTITY_ID, SAML_IDP_SSO_URL and SAML_IDP_CERTIFICATE must be set together (or SAML_IDP_METADATA alone)"
                )
            }
            guard SAMLMetadataSource.isAllowed(singleSignOnURL) else {
                throw .configuration("\(Setting.samlIdPSSOURL.name) must be an https URL (http only on loopback), not \"\(singleSignOnURL)\"")
            }
            guard let pem = try? String(contentsOfFile: certificate, encoding: .utf8) else {
                throw .configuration("\(Setting.samlIdPCertificate.name): the file \(certificate) cannot be read")
            }
            do throws(SAMLMetadataError) {
                identityProvider = SAMLIdentityProvider(
                    entityID: entityID,
                    singleSignOnURL: singleSignOnURL,
                    certificates: try SAMLIdentityProvider.certificates(pem: pem)
                )
            } catch {
                throw .configuration("\(Setting.samlIdPCertificate.name): \(error.description)")
            }
        } else {
            let others = [
                (Setting.samlSPEntityID, serviceProviderEntityID), (Setting.samlAllowIdPInitiated, allowIdentityProviderInitiated),
                (Setting.samlProviderName, providerName),
            ]
            if let orphan = others.first(where: { $0.0.value(flag: $0.1, environment: environment) != nil }) {
                throw .configuration("\(orphan.0.name) is set, but no SAML IdP is: set SAML_IDP_METADATA")
            }
            return nil
        }
        var allows = false
        if let text = Setting.samlAllowIdPInitiated.value(flag: allowIdentityProviderInitiated, environment: environment) {
            switch text.trimmed().lowercased() {
            case "true", "1", "yes": allows = true
            case "false", "0", "no": allows = false
            default: throw .configuration("\(Setting.samlAllowIdPInitiated.name) must be true or false, not \"\(text)\"")
            }
        }
        return SAMLSettings(
            identityProvider: identityProvider,
            serviceProviderEntityID: Setting.samlSPEntityID.value(flag: serviceProviderEntityID, environment: environment)?.trimmed(),
            allowsIdentityProviderInitiated: allows,
            providerName: Setting.samlProviderName.value(flag: providerName, environment: environment)
        )
    }
}
