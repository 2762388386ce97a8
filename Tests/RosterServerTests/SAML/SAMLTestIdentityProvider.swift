import CXMLSec
import Foundation
import RosterSAML
import RosterTestSupport
import Testing

/// A test IdP: an RSA key and self-signed certificate made with `openssl` for the run, and a signer (libxmlsec1)
/// for the responses the tests build. It signs what it is given, attacks included.
struct SAMLTestIdentityProvider {
    /// The private key, PEM.
    var keyPEM: String
    /// The certificate, PEM.
    var certificatePEM: String
    /// The certificate, DER.
    var certificate: [UInt8]

    static let entityID = "http://idp.example.test/metadata"
    static let serviceProviderEntityID = "http://roster.example.test/auth/saml/metadata"
    static let acs = "http://roster.example.test/auth/saml/acs"

    /// A new key pair.
    static func make() throws -> SAMLTestIdentityProvider {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("saml-idp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = folder.appendingPathComponent("key.pem").path
        let certificate = folder.appendingPathComponent("cert.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=test-idp",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let certificatePEM = try String(contentsOfFile: certificate, encoding: .utf8)
        return SAMLTestIdentityProvider(
            keyPEM: try String(contentsOfFile: key, encoding: .utf8),
            certificatePEM: certificatePEM,
            certificate: try SAMLIdentityProvider.certificates(pem: certificatePEM)[0]
        )
    }

    /// An ISO 8601 time `seconds` from now.
    static func time(_ seconds: Double) -> String {
        ISO8601DateFormatter().string(from: Date().addingTimeInterval(seconds))
    }

    /// The parts of a response the tests change.
    struct ResponseParts {
        var responseID = "_response1"
        var assertionID = "_assertion1"
        var issuer = SAMLTestIdentityProvider.entityID
        var destination: String? = SAMLTestIdentityProvider.acs
        var inResponseTo: String? = "_request1"
        var status = "urn:oasis:names:tc:SAML:2.0:status:Success"
        var nameID = "admin@example.com"
        var nameIDFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
        var recipient = SAMLTestIdentityProvider.acs
        var notBefore = SAMLTestIdentityProvider.time(-60)
        var notOnOrAfter = SAMLTestIdentityProvider.time(300)
        var audience = SAMLTestIdentityProvider.serviceProviderEntityID
        var authnStatement = true
        var signatureMethod = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
        var digestMethod = "http://www.w3.org/2001/04/xmlenc#sha256"
        var referenceURI: String?
        var extraAssertion = ""
    }

    /// A Signature template for the element whose ID is `id`.
    static func signatureTemplate(for id: String, parts: ResponseParts) -> String {
        """
        <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>\
        <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>\
        <ds:SignatureMethod Algorithm="\(parts.signatureMethod)"/>\
        <ds:Reference URI="\(parts.referenceURI ?? "#" + id)"><ds:Transforms>\
        <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>\
        <ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>\
        <ds:DigestMethod Algorithm="\(parts.digestMethod)"/><ds:DigestValue></ds:DigestValue></ds:Reference>\
        </ds:SignedInfo><ds:SignatureValue></ds:SignatureValue></ds:Signature>
        """
    }

    /// The Response XML with signature templates where asked (not yet signed).
    static func template(_ parts: ResponseParts, signResponse: Bool, signAssertion: Bool) -> String {
        let inResponseTo = parts.inResponseTo.map { #" InResponseTo="\#($0)""# } ?? ""
        let destination = parts.destination.map { #" Destination="\#($0)""# } ?? ""
        let now = time(0)
        let authn =
            parts.authnStatement
            ? #"<saml:AuthnStatement AuthnInstant="\#(now)"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"#
            : ""
        return """
            <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" \
            ID="\(parts.responseID)" Version="2.0" IssueInstant="\(now)"\(destination)\(inResponseTo)>\
            <saml:Issuer>\(parts.issuer)</saml:Issuer>\
            \(signResponse ? signatureTemplate(for: parts.responseID, parts: parts) : "")\
            <samlp:Status><samlp:StatusCode Value="\(parts.status)"/></samlp:Status>\
            <saml:Assertion ID="\(parts.assertionID)" Version="2.0" IssueInstant="\(now)">\
            <saml:Issuer>\(parts.issuer)</saml:Issuer>\
            \(signAssertion ? signatureTemplate(for: parts.assertionID, parts: parts) : "")\
            <saml:Subject><saml:NameID Format="\(parts.nameIDFormat)">\(parts.nameID)</saml:NameID>\
            <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">\
            <saml:SubjectConfirmationData NotOnOrAfter="\(parts.notOnOrAfter)" Recipient="\(parts.recipient)"\(inResponseTo)/>\
            </saml:SubjectConfirmation></saml:Subject>\
            <saml:Conditions NotBefore="\(parts.notBefore)" NotOnOrAfter="\(parts.notOnOrAfter)">\
            <saml:AudienceRestriction><saml:Audience>\(parts.audience)</saml:Audience></saml:AudienceRestriction></saml:Conditions>\
            \(authn)\
            </saml:Assertion>\(parts.extraAssertion)</samlp:Response>
            """
    }

    /// A signed response: the Assertion signed, and the Response too when `signResponse` (Okta's default).
    func response(_ parts: ResponseParts = ResponseParts(), signResponse: Bool = true, signAssertion: Bool = true) throws -> String {
        try sign(Self.template(parts, signResponse: signResponse, signAssertion: signAssertion), ids: [parts.assertionID, parts.responseID])
    }

    /// Signs every Signature template in `xml` (innermost first, so an enveloping Response signature covers the
    /// signed Assertion), registering `ids` as ID attributes.
    func sign(_ xml: String, ids: [String], keyPEM: String? = nil) throws -> String {
        let bytes = Array(xml.utf8)
        guard
            let document = bytes.withUnsafeBufferPointer({ buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlReadMemory($0, Int32(buffer.count), "t.xml", "UTF-8", 0)
                }
            })
        else { throw SAMLTestError("the template is not XML") }
        defer { xmlFreeDoc(document) }
        var signatures: [xmlNodePtr] = []
        func walk(_ node: xmlNodePtr?) {
            var current = node
            while let element = current {
                if element.pointee.type == XML_ELEMENT_NODE {
                    walk(element.pointee.children)
                    if String(cString: element.pointee.name) == "Signature" { signatures.append(element) }
                    if let attribute = xmlHasNsProp(element, "ID", nil), let value = xmlGetNoNsProp(element, "ID") {
                        if ids.contains(String(cString: value)) { xmlAddID(nil, document, value, attribute) }
                        cxmlsec_free(value)
                    }
                }
                current = element.pointee.next
            }
        }
        walk(xmlDocGetRootElement(document))
        func depth(_ node: xmlNodePtr) -> Int {
            var depth = 0
            var parent = node.pointee.parent
            while let current = parent {
                depth += 1
                parent = current.pointee.parent
            }
            return depth
        }
        signatures.sort { depth($0) > depth($1) }
        try XMLSecLibrary.ready()
        let key = Array((keyPEM ?? self.keyPEM).utf8)
        for signature in signatures {
            guard let context = xmlSecDSigCtxCreate(nil) else { throw SAMLTestError("no context") }
            defer { xmlSecDSigCtxDestroy(context) }
            context.pointee.signKey = key.withUnsafeBufferPointer {
                xmlSecOpenSSLAppKeyLoadMemory($0.baseAddress, UInt32($0.count), xmlSecKeyDataFormatPem, nil, nil, nil)
            }
            guard context.pointee.signKey != nil else { throw SAMLTestError("the key is not readable") }
            guard xmlSecDSigCtxSign(context, signature) >= 0 else { throw SAMLTestError("signing failed") }
        }
        var output: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpMemory(document, &output, &size)
        guard let output else { throw SAMLTestError("no output") }
        defer { cxmlsec_free(output) }
        return String(cString: output)
    }
}

/// A test setup failure.
struct SAMLTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
