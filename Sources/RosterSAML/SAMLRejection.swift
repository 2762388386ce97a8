/// Why a SAML response was refused: a stable code (logged as `reason`, checked by the tests) and a detail for the
/// log. The detail never holds assertion contents, NameIDs or signature values.
public struct SAMLRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable codes, one per check.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// The posted body is larger than the ACS accepts.
        case bodyTooLarge = "body-too-large"
        /// No `SAMLResponse` in the form.
        case missingResponse = "missing-response"
        /// Not base64, not XML, or XML that cannot be read.
        case malformed
        /// The document has a DOCTYPE (external entities, entity expansion).
        case doctype
        /// The root is not a `samlp:Response`.
        case notAResponse = "not-a-response"
        /// An `EncryptedAssertion`: not supported.
        case encryptedAssertion = "encrypted-assertion"
        /// Not exactly one `saml:Assertion`, as a direct child of the Response.
        case assertionCount = "assertion-count"
        /// A `ds:Signature` somewhere other than directly under the Response or the Assertion.
        case signaturePlacement = "signature-placement"
        /// An `ID` used twice.
        case duplicateID = "duplicate-id"
        /// The Assertion is not signed.
        case assertionUnsigned = "assertion-unsigned"
        /// An algorithm or transform outside the allow-list.
        case signatureAlgorithm = "signature-algorithm"
        /// Not exactly one Reference to the signed element itself.
        case signatureReference = "signature-reference"
        /// The signature does not verify against the configured IdP certificates.
        case signatureInvalid = "signature-invalid"
        /// Issuer is not the configured IdP.
        case issuer
        /// The status is not Success.
        case status
        /// `Destination` is not this ACS.
        case destination
        /// The bearer confirmation's `Recipient` is not this ACS.
        case recipient
        /// The assertion is past its validity (with skew).
        case expired
        /// The assertion is not valid yet (with skew).
        case notYetValid = "not-yet-valid"
        /// `InResponseTo` does not name this browser's pending request (missing, unknown, used).
        case inResponseTo = "in-response-to"
        /// An IdP-initiated response while those are off.
        case unsolicited
        /// The audience is not exactly this SP.
        case audience
        /// No `AuthnStatement`.
        case authnStatement = "authn-statement"
        /// The assertion was used before.
        case replay
        /// Neither an emailAddress NameID nor an `email` attribute.
        case noEmail = "no-email"
        /// The email is not in `SAML_ADMINS`.
        case notAnAdmin = "not-an-admin"
    }

    /// Which check refused it.
    public var reason: Reason
    /// What exactly, for the log.
    public var detail: String

    /// A refusal for `reason`.
    public init(_ reason: Reason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    /// `reason: detail`.
    public var description: String { "\(reason.rawValue): \(detail)" }
}
