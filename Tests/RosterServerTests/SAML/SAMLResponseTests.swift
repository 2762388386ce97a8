import CXMLSec
import Foundation
import RosterSAML
import RosterTestSupport
import Testing

/// Reading and verifying SAML responses (RosterSAML over libxmlsec1), then the SP's rules, with responses signed for
/// the test by a key made for the run. scripts/saml.sh runs the same attacks against a live server and a real IdP.
@Suite("SAML responses")
struct SAMLResponseTests {
    typealias Parts = SAMLTestIdentityProvider.ResponseParts
    let idp: SAMLTestIdentityProvider

    init() throws {
        idp = try SAMLTestIdentityProvider.make()
    }

    var rules: SAMLAssertionRules {
        SAMLAssertionRules(
            identityProviderEntityID: SAMLTestIdentityProvider.entityID,
            serviceProviderEntityID: SAMLTestIdentityProvider.serviceProviderEntityID,
            assertionConsumerServiceURL: SAMLTestIdentityProvider.acs
        )
    }

    func read(_ xml: String, certificates: [[UInt8]]? = nil) throws(SAMLRejection) -> SAMLResponse {
        try SAMLResponse(xml: Array(xml.utf8), certificates: certificates ?? [idp.certificate])
    }

    func refusal(_ xml: String, certificates: [[UInt8]]? = nil) -> SAMLRejection.Reason? {
        do {
            _ = try read(xml, certificates: certificates)
            return nil
        } catch {
            return error.reason
        }
    }

    func accepted(_ xml: String, pending: String? = "_request1", rules: SAMLAssertionRules? = nil) throws -> SAMLAssertionRules.Accepted {
        try (rules ?? self.rules).check(try read(xml), now: Int64(Date().timeIntervalSince1970 * 1000), pendingRequestID: pending)
    }

    func ruleRefusal(_ xml: String, pending: String? = "_request1", rules: SAMLAssertionRules? = nil) throws -> SAMLRejection.Reason? {
        let response = try read(xml)
        do {
            _ = try (rules ?? self.rules).check(response, now: Int64(Date().timeIntervalSince1970 * 1000), pendingRequestID: pending)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func theVerificationContextHasTheLibrarysLayout() {
        #expect(MemoryLayout<xmlSecDSigCtx>.size == Int(cxmlsec_dsig_ctx_size()))
    }

    @Test func oktasAndEntrasSigningBothSignIn() throws {
        for signResponse in [true, false] {
            let response = try read(try idp.response(signResponse: signResponse))
            #expect(response.responseSigned == signResponse)
            #expect(response.nameID == "admin@example.com")
            #expect(response.audienceRestrictions == [[SAMLTestIdentityProvider.serviceProviderEntityID]])
            let accepted = try accepted(try idp.response(signResponse: signResponse))
            #expect(accepted.email == "admin@example.com")
            #expect(accepted.assertionID == "_assertion1")
        }
    }

    @Test func aTamperedOrUnsignedAssertionIsRefused() throws {
        let signed = try idp.response(signResponse: false)
        #expect(refusal(signed.replacingOccurrences(of: "admin@example.com", with: "attacker@example.com")) == .signatureInvalid)
        let stripped = signed.replacingOccurrences(of: #"<ds:Signature[\s\S]*</ds:Signature>"#, with: "", options: .regularExpression)
        #expect(refusal(stripped) == .assertionUnsigned)
        let responseOnly = try idp.response(signResponse: true, signAssertion: false)
        #expect(refusal(responseOnly) == .assertionUnsigned, "a Response-only signature does not cover what is read")
    }

    @Test func onlyTheConfiguredCertificateCounts() throws {
        let attacker = try SAMLTestIdentityProvider.make()
        // Signed with the attacker's key, the attacker's certificate in KeyInfo or not: the configured one decides.
        let forged = try attacker.response()
        #expect(refusal(forged) == .signatureInvalid)
        let withKeyInfo = try attacker.sign(
            SAMLTestIdentityProvider.template(Parts(), signResponse: false, signAssertion: true).replacingOccurrences(
                of: "<ds:SignatureValue></ds:SignatureValue>",
                with:
                    "<ds:SignatureValue></ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\(Data(attacker.certificate).base64EncodedString())</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"
            ),
            ids: ["_assertion1"]
        )
        #expect(refusal(withKeyInfo) == .signatureInvalid)
        #expect(
            try read(try idp.response(), certificates: [attacker.certificate, idp.certificate]).nameID == "admin@example.com",
            "each configured certificate is tried"
        )
    }

    @Test func wrappedAndExtraAssertionsAreRefused() throws {
        let signed = try idp.response(signResponse: false)
        // A second, unsigned assertion beside the signed one.
        var parts = Parts()
        parts.extraAssertion = #"<saml:Assertion ID="_evil" Version="2.0"><saml:Issuer>x</saml:Issuer></saml:Assertion>"#
        #expect(refusal(try idp.response(parts, signResponse: false)) == .assertionCount)
        // XSW: the signed assertion moved into an Extensions element, an evil one in its place.
        let assertion = try #require(signed.range(of: #"<saml:Assertion[\s\S]*</saml:Assertion>"#, options: .regularExpression))
        let original = String(signed[assertion])
        let evil = original.replacingOccurrences(of: "admin@example.com", with: "attacker@example.com")
            .replacingOccurrences(of: "_assertion1", with: "_evil")
        let wrapped = signed.replacingCharacters(in: assertion, with: evil)
            .replacingOccurrences(of: "<samlp:Status>", with: "<samlp:Extensions>\(original)</samlp:Extensions><samlp:Status>")
        #expect(refusal(wrapped) == .assertionCount)
        // The same ID twice.
        let duplicated = signed.replacingOccurrences(
            of: "<samlp:Status>",
            with: #"<samlp:Extensions><x ID="_assertion1"/></samlp:Extensions><samlp:Status>"#
        )
        #expect(refusal(duplicated) == .duplicateID)
        // A signature elsewhere.
        let misplaced = signed.replacingOccurrences(
            of: "<samlp:Status>",
            with: "<samlp:Extensions><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/></samlp:Extensions><samlp:Status>"
        )
        #expect(refusal(misplaced) == .signaturePlacement)
    }

    @Test func doctypeEncryptionAndForeignRootsAreRefused() throws {
        let signed = try idp.response()
        #expect(refusal(#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>"# + signed) == .doctype)
        #expect(refusal(#"<!doctype r [<!ENTITY a "aaaa">]><r>&a;</r>"#) == .doctype)
        #expect(refusal("<notSAML/>") == .notAResponse)
        #expect(refusal("not xml") == .malformed)
        let encrypted = signed.replacingOccurrences(of: "<samlp:Status>", with: "<saml:EncryptedAssertion/><samlp:Status>")
        #expect(refusal(encrypted) == .encryptedAssertion)
    }

    @Test func algorithmsAndReferencesOutsideTheAllowListAreRefused() throws {
        var sha1 = Parts()
        sha1.signatureMethod = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
        sha1.digestMethod = "http://www.w3.org/2000/09/xmldsig#sha1"
        #expect(refusal(try idp.response(sha1, signResponse: false)) == .signatureAlgorithm)
        var digest = Parts()
        digest.digestMethod = "http://www.w3.org/2000/09/xmldsig#sha1"
        #expect(refusal(try idp.response(digest, signResponse: false)) == .signatureAlgorithm)
        var whole = Parts()
        whole.referenceURI = ""
        #expect(refusal(try idp.response(whole, signResponse: false)) == .signatureReference)
        let signed = try idp.response(signResponse: false)
        let hmac = signed.replacingOccurrences(of: "xmldsig-more#rsa-sha256", with: "xmldsig#hmac-sha1")
        #expect(refusal(hmac) == .signatureAlgorithm)
        let withComments = signed.replacingOccurrences(
            of: #"CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#""#,
            with: #"CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#WithComments""#
        )
        #expect(refusal(withComments) == .signatureAlgorithm)
        let xslt = signed.replacingOccurrences(
            of: #"<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>"#,
            with: #"<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"/>"#
        )
        #expect(refusal(xslt) == .signatureAlgorithm)
    }

    @Test func aCommentInTheNameIDIsReadInFull() throws {
        var parts = Parts()
        parts.nameID = "admin@example.com<!---->.evil.test"
        let accepted = try accepted(try idp.response(parts))
        #expect(accepted.email == "admin@example.com.evil.test", "not the admin's address")
    }

    @Test func theRulesAfterTheSignature() throws {
        func refused(_ edit: (inout Parts) -> Void, pending: String? = "_request1", rules: SAMLAssertionRules? = nil) throws -> SAMLRejection.Reason?
        {
            var parts = Parts()
            edit(&parts)
            return try ruleRefusal(try idp.response(parts), pending: pending, rules: rules)
        }
        #expect(try refused { _ in } == nil)
        #expect(try refused { $0.issuer = "http://other-idp.test" } == .issuer)
        #expect(try refused { $0.status = "urn:oasis:names:tc:SAML:2.0:status:Requester" } == .status)
        #expect(try refused { $0.destination = "http://elsewhere.test/acs" } == .destination)
        #expect(try refused { $0.destination = nil } == nil, "Destination is optional")
        #expect(try refused { $0.recipient = "http://elsewhere.test/acs" } == .recipient)
        #expect(try refused { $0.audience = "http://other-sp.test" } == .audience)
        #expect(try refused { $0.audience = SAMLTestIdentityProvider.serviceProviderEntityID + ".evil" } == .audience, "exact, not a prefix")
        #expect(try refused { $0.notOnOrAfter = SAMLTestIdentityProvider.time(-200) } == .expired)
        #expect(try refused { $0.notOnOrAfter = SAMLTestIdentityProvider.time(-30) } == nil, "within the skew")
        #expect(try refused { $0.notBefore = SAMLTestIdentityProvider.time(200) } == .notYetValid)
        #expect(try refused { $0.authnStatement = false } == .authnStatement)
        #expect(try refused { $0.inResponseTo = "_another" } == .inResponseTo)
        #expect(try refused { $0.inResponseTo = nil } == .inResponseTo, "a pending request wants its ID")
        #expect(try refused({ _ in }, pending: nil) == .inResponseTo, "an answer to a request this browser no longer has")
        #expect(try refused({ $0.inResponseTo = nil }, pending: nil) == .unsolicited)
        var unsolicited = rules
        unsolicited.allowsUnsolicited = true
        #expect(try refused({ $0.inResponseTo = nil }, pending: nil, rules: unsolicited) == nil)
        #expect(
            try refused {
                $0.nameID = "00u1abc"
                $0.nameIDFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
            } == .noEmail
        )
    }
}
