import Foundation

/// An SP-initiated sign-in's request, sent with the HTTP-Redirect binding: the `AuthnRequest` XML, raw DEFLATE,
/// base64 and URL-encoded into the IdP's SSO URL with an opaque `RelayState`. Unsigned (the SP metadata says
/// `AuthnRequestsSigned="false"`).
public struct SAMLAuthnRequest: Sendable, Hashable {
    /// The request's ID: the `InResponseTo` the answer must carry.
    public var id: String
    /// The XML.
    public var xml: String

    /// A request from `serviceProviderEntityID` to `destination`, asking for an answer at `assertionConsumerServiceURL`.
    public init(id: String, serviceProviderEntityID: String, assertionConsumerServiceURL: String, destination: String, issueInstant: Date) {
        self.id = id
        let instant = ISO8601DateFormatter().string(from: issueInstant)
        xml =
            #"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion""#
            + #" ID="\#(SAMLXMLText.escape(id))" Version="2.0" IssueInstant="\#(instant)" Destination="\#(SAMLXMLText.escape(destination))""#
            + #" AssertionConsumerServiceURL="\#(SAMLXMLText.escape(assertionConsumerServiceURL))""#
            + #" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">"#
            + #"<saml:Issuer>\#(SAMLXMLText.escape(serviceProviderEntityID))</saml:Issuer>"#
            + #"<samlp:NameIDPolicy Format="\#(SAMLAssertionRules.emailAddressFormat)" AllowCreate="true"/>"#
            + "</samlp:AuthnRequest>"
    }

    /// A fresh request ID: `_` and 32 hex digits (an xs:ID must not start with a digit).
    public static func makeID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "_" + (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// The IdP's SSO URL with `SAMLRequest` and `RelayState` added.
    public func redirectURL(singleSignOnURL: String, relayState: String) -> String {
        let encoded = Data(SAMLDeflate.stored(Array(xml.utf8))).base64EncodedString()
        let separator = singleSignOnURL.contains("?") ? "&" : "?"
        return singleSignOnURL + separator + "SAMLRequest=" + SAMLXMLText.formEncode(encoded) + "&RelayState=" + SAMLXMLText.formEncode(relayState)
    }
}

/// Raw DEFLATE (RFC 1951) as the HTTP-Redirect binding wants it, written as stored blocks: a request is a few
/// hundred bytes, so compressing it buys nothing, and every inflater reads stored blocks.
enum SAMLDeflate {
    /// `bytes` as stored DEFLATE blocks of at most 65 535 bytes, the last one marked final.
    static func stored(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var start = 0
        repeat {
            let count = min(65_535, bytes.count - start)
            let final: UInt8 = start + count == bytes.count ? 1 : 0
            output.append(final)
            output += [UInt8(count & 0xff), UInt8(count >> 8), UInt8(~count & 0xff), UInt8((~count >> 8) & 0xff)]
            output += bytes[start..<start + count]
            start += count
        } while start < bytes.count
        return output
    }
}

/// Escaping for the XML and URLs Roster writes.
enum SAMLXMLText {
    /// `text` safe in XML text and double-quoted attributes.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }

    /// `text` percent-encoded for a query value (unreserved characters kept).
    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
