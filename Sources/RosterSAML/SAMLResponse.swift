import CXMLSec
import Foundation

/// A SAML Response whose Assertion signature (and Response signature, when there is one) verified against the
/// configured IdP certificates, with every field read from the signed bytes. It says nothing yet about whether the
/// sign-in is acceptable: ``SAMLAssertionRules`` decides that.
public struct SAMLResponse: Sendable, Hashable {
    /// One bearer `SubjectConfirmationData`.
    public struct Confirmation: Sendable, Hashable {
        /// `Method`.
        public var method: String?
        /// `Recipient`.
        public var recipient: String?
        /// `NotBefore`, in milliseconds since 1970.
        public var notBefore: Int64?
        /// `NotOnOrAfter`, in milliseconds since 1970.
        public var notOnOrAfter: Int64?
        /// `InResponseTo`.
        public var inResponseTo: String?
    }

    /// The Response's `Issuer` (signed bytes when the Response is signed, else the document).
    public var responseIssuer: String?
    /// The top-level `StatusCode` value.
    public var status: String?
    /// The Response's `Destination`.
    public var destination: String?
    /// The Response's `InResponseTo`.
    public var responseInResponseTo: String?
    /// Whether the Response itself was signed (Okta) or only the Assertion (Entra).
    public var responseSigned: Bool

    /// The Assertion's `ID`.
    public var assertionID: String
    /// The Assertion's `Issuer`.
    public var assertionIssuer: String?
    /// The `NameID` text, read in full.
    public var nameID: String?
    /// The `NameID` `Format`.
    public var nameIDFormat: String?
    /// The `SubjectConfirmation`s.
    public var confirmations: [Confirmation]
    /// `Conditions/@NotBefore`, in milliseconds since 1970.
    public var notBefore: Int64?
    /// `Conditions/@NotOnOrAfter`, in milliseconds since 1970.
    public var notOnOrAfter: Int64?
    /// Whether the Assertion has `Conditions`.
    public var hasConditions: Bool
    /// The `Audience` values of each `AudienceRestriction`.
    public var audienceRestrictions: [[String]]
    /// Whether there is an `AuthnStatement`.
    public var hasAuthnStatement: Bool
    /// Attribute values by attribute `Name`.
    public var attributes: [String: [String]]
}

extension SAMLResponse {
    /// The largest decoded response read.
    public static let maximumBytes = 262_144

    /// Reads and verifies a Response, as posted (`SAMLResponse`, base64).
    public init(base64 text: String, certificates: [[UInt8]]) throws(SAMLRejection) {
        // Line breaks some IdPs wrap base64 with are dropped; a space is a '+' whose form encoding was lost.
        let compact = String(text.filter { $0 != "\r" && $0 != "\n" && $0 != "\t" }.map { $0 == " " ? "+" : $0 })
        guard compact.utf8.count <= (SAMLResponse.maximumBytes / 3 + 1) * 4 else {
            throw SAMLRejection(.bodyTooLarge, "the response is larger than \(SAMLResponse.maximumBytes) bytes")
        }
        guard let data = Data(base64Encoded: compact) else { throw SAMLRejection(.malformed, "SAMLResponse is not base64") }
        try self.init(xml: Array(data), certificates: certificates)
    }

    /// Reads and verifies a Response document.
    ///
    /// Structure first: the root is a `samlp:Response`; exactly one `saml:Assertion` in the whole document, a child
    /// of the Response; no `EncryptedAssertion`; `ds:Signature` only directly under the Response or the Assertion,
    /// at most one each; no `ID` value twice. Then the Assertion's signature (required) and the Response's (when
    /// present) are verified, and the fields are read from the bytes each signature covers.
    public init(xml: [UInt8], certificates: [[UInt8]]) throws(SAMLRejection) {
        let tree = try XMLTree(parsing: xml)
        guard let response = tree.root, response.isElement(SAMLNamespace.protocol_, "Response") else {
            throw SAMLRejection(.notAResponse, "the root element is not a SAML 2.0 Response")
        }
        let assertion = try SAMLResponse.checkStructure(response)
        let responseID = response.attribute("ID") ?? ""
        let assertionID = assertion.attribute("ID") ?? ""
        guard !responseID.isEmpty, !assertionID.isEmpty else { throw SAMLRejection(.malformed, "the Response or Assertion has no ID") }
        for (node, id) in [(response, responseID), (assertion, assertionID)] {
            guard let attribute = node.attributeNode("ID"), xmlAddID(nil, tree.document, id, attribute) != nil else {
                throw SAMLRejection(.duplicateID, "the ID could not be registered")
            }
        }
        guard let assertionSignature = assertion.child(SAMLNamespace.signature, "Signature") else {
            throw SAMLRejection(.assertionUnsigned, "the Assertion is not signed")
        }
        let signedAssertion = try SAMLSignatureCheck.verify(signature: assertionSignature, of: assertionID, certificates: certificates)
        var signedResponse: [UInt8]?
        if let responseSignature = response.child(SAMLNamespace.signature, "Signature") {
            signedResponse = try SAMLSignatureCheck.verify(signature: responseSignature, of: responseID, certificates: certificates)
        }
        try self.init(signedAssertion: signedAssertion, signedResponse: signedResponse, unsignedResponse: response)
        guard self.assertionID == assertionID else { throw SAMLRejection(.signatureReference, "the signed Assertion is not the one in the Response") }
    }

    /// The one Assertion, after the structural checks.
    static func checkStructure(_ response: XMLNode) throws(SAMLRejection) -> XMLNode {
        var assertions: [XMLNode] = []
        var signatures: [XMLNode] = []
        var ids: [String: Int] = [:]
        if let id = response.attribute("ID") { ids[id, default: 0] += 1 }
        for element in response.descendants {
            if element.isElement(SAMLNamespace.assertion, "EncryptedAssertion") {
                throw SAMLRejection(.encryptedAssertion, "encrypted assertions are not supported")
            }
            if element.isElement(SAMLNamespace.assertion, "Assertion") { assertions.append(element) }
            if element.isElement(SAMLNamespace.signature, "Signature") { signatures.append(element) }
            if let id = element.attribute("ID") { ids[id, default: 0] += 1 }
        }
        guard assertions.count == 1, let assertion = assertions.first, assertion.parent?.node == response.node else {
            throw SAMLRejection(.assertionCount, "\(assertions.count) assertions; exactly one, directly in the Response, is accepted")
        }
        var signedParents: [xmlNodePtr] = []
        for signature in signatures {
            guard let parent = signature.parent?.node, parent == response.node || parent == assertion.node, !signedParents.contains(parent) else {
                throw SAMLRejection(.signaturePlacement, "a Signature outside the Response's and the Assertion's own")
            }
            signedParents.append(parent)
        }
        if ids.values.contains(where: { $0 > 1 }) { throw SAMLRejection(.duplicateID, "an ID is used twice") }
        return assertion
    }

    /// Reads the fields: the Assertion's from its signed bytes; the Response's from its signed bytes when it was
    /// signed, else from the document (the checks that protect a sign-in rest on the Assertion's own fields).
    init(signedAssertion: [UInt8], signedResponse: [UInt8]?, unsignedResponse: XMLNode) throws(SAMLRejection) {
        let assertionTree = try XMLTree(parsing: signedAssertion)
        guard let assertion = assertionTree.root, assertion.isElement(SAMLNamespace.assertion, "Assertion") else {
            throw SAMLRejection(.signatureReference, "the signed bytes are not an Assertion")
        }
        let responseTree = try signedResponse.map { bytes throws(SAMLRejection) in try XMLTree(parsing: bytes) }
        let response: XMLNode
        if let responseTree {
            guard let root = responseTree.root, root.isElement(SAMLNamespace.protocol_, "Response") else {
                throw SAMLRejection(.signatureReference, "the signed bytes are not a Response")
            }
            response = root
        } else {
            response = unsignedResponse
        }
        let saml = SAMLNamespace.assertion
        responseIssuer = response.child(saml, "Issuer")?.text
        status = response.child(SAMLNamespace.protocol_, "Status")?.child(SAMLNamespace.protocol_, "StatusCode")?.attribute("Value")
        destination = response.attribute("Destination")
        responseInResponseTo = response.attribute("InResponseTo")
        responseSigned = signedResponse != nil

        assertionID = assertion.attribute("ID") ?? ""
        assertionIssuer = assertion.child(saml, "Issuer")?.text
        let subject = assertion.child(saml, "Subject")
        let nameID = subject?.child(saml, "NameID")
        self.nameID = nameID?.text
        nameIDFormat = nameID?.attribute("Format")
        confirmations = (subject?.children(saml, "SubjectConfirmation") ?? []).map { confirmation in
            let data = confirmation.child(saml, "SubjectConfirmationData")
            return Confirmation(
                method: confirmation.attribute("Method"),
                recipient: data?.attribute("Recipient"),
                notBefore: data?.attribute("NotBefore").flatMap(SAMLTime.milliseconds),
                notOnOrAfter: data?.attribute("NotOnOrAfter").flatMap(SAMLTime.milliseconds),
                inResponseTo: data?.attribute("InResponseTo")
            )
        }
        let conditions = assertion.child(saml, "Conditions")
        hasConditions = conditions != nil
        notBefore = conditions?.attribute("NotBefore").flatMap(SAMLTime.milliseconds)
        notOnOrAfter = conditions?.attribute("NotOnOrAfter").flatMap(SAMLTime.milliseconds)
        audienceRestrictions = (conditions?.children(saml, "AudienceRestriction") ?? []).map { restriction in
            restriction.children(saml, "Audience").map(\.text)
        }
        hasAuthnStatement = assertion.child(saml, "AuthnStatement") != nil
        var attributes: [String: [String]] = [:]
        for statement in assertion.children(saml, "AttributeStatement") {
            for attribute in statement.children(saml, "Attribute") {
                guard let name = attribute.attribute("Name") else { continue }
                attributes[name, default: []] += attribute.children(saml, "AttributeValue").map(\.text)
            }
        }
        self.attributes = attributes
    }
}

/// `xs:dateTime` values as SAML writes them (`2026-12-06T03:00:00Z`, with or without fractions or an offset).
enum SAMLTime {
    /// Milliseconds since 1970, or nil when the text is not a date-time with a zone.
    static func milliseconds(_ text: String) -> Int64? {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let trimmed = text.trimmingXMLWhitespace()
        guard let date = plain.date(from: trimmed) ?? fractional.date(from: trimmed) else { return nil }
        return Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }
}
