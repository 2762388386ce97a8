import Foundation

/// The admin's IdP as Roster knows it: its entityID, where to send the browser (HTTP-Redirect binding), and the
/// certificates its signatures must verify with (Okta lists two while it rotates: each is tried).
public struct SAMLIdentityProvider: Sendable, Hashable {
    /// The IdP's entityID: the Issuer of its responses.
    public var entityID: String
    /// Its SingleSignOnService location for the HTTP-Redirect binding.
    public var singleSignOnURL: String
    /// Its signing certificates, DER.
    public var certificates: [[UInt8]]

    /// An IdP given field by field.
    public init(entityID: String, singleSignOnURL: String, certificates: [[UInt8]]) {
        self.entityID = entityID
        self.singleSignOnURL = singleSignOnURL
        self.certificates = certificates
    }

    /// The HTTP-Redirect binding.
    public static let redirectBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"

    /// Reads IdP metadata: the first `EntityDescriptor` with an `IDPSSODescriptor`, its HTTP-Redirect
    /// SingleSignOnService, and every `KeyDescriptor` certificate whose `use` is `signing` or absent.
    public init(metadata: [UInt8]) throws(SAMLMetadataError) {
        let tree: XMLTree
        do {
            tree = try XMLTree(parsing: metadata)
        } catch {
            throw SAMLMetadataError("it is not readable XML (\(error.detail))")
        }
        let md = SAMLNamespace.metadata
        guard let root = tree.root else { throw SAMLMetadataError("it is empty") }
        let candidates = root.isElement(md, "EntityDescriptor") ? [root] : root.descendants.filter { $0.isElement(md, "EntityDescriptor") }
        guard let entity = candidates.first(where: { $0.child(md, "IDPSSODescriptor") != nil }),
            let descriptor = entity.child(md, "IDPSSODescriptor")
        else { throw SAMLMetadataError("it has no EntityDescriptor with an IDPSSODescriptor") }
        guard let entityID = entity.attribute("entityID"), !entityID.isEmpty else { throw SAMLMetadataError("the EntityDescriptor has no entityID") }
        guard
            let location = descriptor.children(md, "SingleSignOnService").first(where: { $0.attribute("Binding") == Self.redirectBinding })?
                .attribute("Location"), !location.isEmpty
        else { throw SAMLMetadataError("it has no SingleSignOnService with the HTTP-Redirect binding") }
        var certificates: [[UInt8]] = []
        for key in descriptor.children(md, "KeyDescriptor") where key.attribute("use") == nil || key.attribute("use") == "signing" {
            for element in key.descendants where element.isElement(SAMLNamespace.signature, "X509Certificate") {
                guard let der = Data(base64Encoded: element.text.filter { !$0.isWhitespace }), !der.isEmpty else {
                    throw SAMLMetadataError("a signing certificate is not base64")
                }
                certificates.append(Array(der))
            }
        }
        guard !certificates.isEmpty else { throw SAMLMetadataError("it lists no signing certificate") }
        self.init(entityID: entityID, singleSignOnURL: location, certificates: certificates)
    }

    /// The DER certificates of a PEM file's `CERTIFICATE` blocks.
    public static func certificates(pem text: String) throws(SAMLMetadataError) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var body: String?
        for line in text.split(whereSeparator: \.isNewline).map({ String($0).trimmingXMLWhitespace() }) {
            if line == "-----BEGIN CERTIFICATE-----" {
                body = ""
            } else if line == "-----END CERTIFICATE-----", let current = body {
                guard let der = Data(base64Encoded: current) else { throw SAMLMetadataError("a certificate is not base64") }
                result.append(Array(der))
                body = nil
            } else if body != nil {
                body? += line
            }
        }
        guard !result.isEmpty else { throw SAMLMetadataError("no PEM certificate in it") }
        return result
    }
}

/// Why IdP metadata or a certificate file cannot be used (Roster then refuses to start).
public struct SAMLMetadataError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    /// An error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}
