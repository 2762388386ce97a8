import ArgumentParser
import Foundation
import RosterSAML
import RosterServer

/// Admin sign-in with the identity provider over SAML 2.0, for `serve`.
struct SAMLOptions: ParsableArguments {
    @Option(name: Setting.samlIdPMetadata.optionName, help: Setting.samlIdPMetadata.optionHelp)
    var metadata: String?

    @Option(name: Setting.samlIdPEntityID.optionName, help: Setting.samlIdPEntityID.optionHelp)
    var entityID: String?

    @Option(name: Setting.samlIdPSSOURL.optionName, help: Setting.samlIdPSSOURL.optionHelp)
    var singleSignOnURL: String?

    @Option(name: Setting.samlIdPCertificate.optionName, help: Setting.samlIdPCertificate.optionHelp)
    var certificate: String?

    @Option(name: Setting.samlSPEntityID.optionName, help: Setting.samlSPEntityID.optionHelp)
    var serviceProviderEntityID: String?

    @Option(name: Setting.samlAllowIdPInitiated.optionName, help: Setting.samlAllowIdPInitiated.optionHelp)
    var allowIdentityProviderInitiated: String?

    @Option(name: Setting.samlProviderName.optionName, help: Setting.samlProviderName.optionHelp)
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
                    "\(Setting.samlIdPEntityID.variable), \(Setting.samlIdPSSOURL.variable) and \(Setting.samlIdPCertificate.variable) "
                        + "must be set together (or \(Setting.samlIdPMetadata.variable) alone)"
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
                throw .configuration("\(orphan.0.name) is set, but no SAML IdP is: set \(Setting.samlIdPMetadata.variable)")
            }
            return nil
        }
        let allows = try Setting.samlAllowIdPInitiated.boolean(flag: allowIdentityProviderInitiated, environment: environment) ?? false
        return SAMLSettings(
            identityProvider: identityProvider,
            serviceProviderEntityID: Setting.samlSPEntityID.value(flag: serviceProviderEntityID, environment: environment)?.trimmed(),
            allowsIdentityProviderInitiated: allows,
            providerName: Setting.samlProviderName.value(flag: providerName, environment: environment)
        )
    }
}
