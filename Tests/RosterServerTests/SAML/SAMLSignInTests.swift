import Foundation
import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSAML
import RosterSQLite
import RosterTestSupport
import Testing

@testable import RosterServer

/// SAML sign-in through the routes: metadata, start, and the ACS, with responses signed by a test IdP key.
/// scripts/saml.sh runs the same against a real IdP process (pysaml2) and a live server.
@Suite("SAML sign-in")
struct SAMLSignInTests {
    let idp: SAMLTestIdentityProvider
    let store: SQLiteStore

    init() throws {
        idp = try SAMLTestIdentityProvider.make()
        store = try SQLiteStore.inMemory()
    }

    static let ssoURL = "https://idp.example.test/sso/saml"

    func configuration(allowsUnsolicited: Bool = false) -> ServerConfiguration {
        var configuration = settingsConfiguration()
        configuration.baseURL = "http://roster.example.test"
        configuration.saml = SAMLSettings(
            identityProvider: SAMLIdentityProvider(
                entityID: SAMLTestIdentityProvider.entityID,
                singleSignOnURL: Self.ssoURL,
                certificates: [idp.certificate]
            ),
            allowsIdentityProviderInitiated: allowsUnsolicited,
            providerName: "Okta"
        )
        return configuration
    }

    func withApp(
        _ configuration: ServerConfiguration? = nil,
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let router = buildRouter(configuration: configuration ?? self.configuration(), store: store, logger: testLogger())
        let app = Application(router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)), logger: testLogger())
        try await app.test(.router) { client in try await body(client) }
    }

    /// A started sign-in: the AuthnRequest's ID and the RelayState, read from the redirect.
    struct Started {
        var requestID: String
        var relayState: String
    }

    func start(_ client: any TestClientProtocol) async throws -> Started {
        let response = try await client.execute(uri: "/auth/saml/start", method: .get)
        #expect(response.status == .found)
        let location = try #require(response.headers[.location])
        #expect(location.hasPrefix(Self.ssoURL + "?SAMLRequest="))
        let query = try #require(URLComponents(string: location)?.queryItems)
        let encoded = try #require(query.first { $0.name == "SAMLRequest" }?.value)
        let relayState = try #require(query.first { $0.name == "RelayState" }?.value)
        let xml = String(decoding: try Self.inflateStored(Array(try #require(Data(base64Encoded: encoded)))), as: UTF8.self)
        #expect(xml.contains(#"AssertionConsumerServiceURL="http://roster.example.test/auth/saml/acs""#))
        #expect(xml.contains("<saml:Issuer>http://roster.example.test/auth/saml/metadata</saml:Issuer>"))
        let id = try #require(xml.firstMatch(of: #/ ID="([^"]+)"/#)?.1)
        return Started(requestID: String(id), relayState: relayState)
    }

    /// Reads raw DEFLATE made of stored blocks (what Roster writes).
    static func inflateStored(_ bytes: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index + 5 <= bytes.count {
            let final = bytes[index] & 1
            guard bytes[index] & 0b110 == 0 else { throw SAMLTestError("not a stored block") }
            let length = Int(bytes[index + 1]) | Int(bytes[index + 2]) << 8
            output += bytes[(index + 5)..<(index + 5 + length)]
            index += 5 + length
            if final == 1 { return output }
        }
        throw SAMLTestError("no final block")
    }

    func post(_ client: any TestClientProtocol, response xml: String, relayState: String?) async throws -> TestResponse {
        var fields = ["SAMLResponse=" + SettingsBrowser.encode(Data(xml.utf8).base64EncodedString())]
        if let relayState { fields.append("RelayState=" + SettingsBrowser.encode(relayState)) }
        return try await client.execute(
            uri: "/auth/saml/acs",
            method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: fields.joined(separator: "&"))
        )
    }

    func parts(for started: Started?, email: String = "admin@example.com") -> SAMLTestIdentityProvider.ResponseParts {
        var parts = SAMLTestIdentityProvider.ResponseParts()
        parts.destination = "http://roster.example.test/auth/saml/acs"
        parts.recipient = "http://roster.example.test/auth/saml/acs"
        parts.audience = "http://roster.example.test/auth/saml/metadata"
        parts.inResponseTo = started?.requestID
        parts.nameID = email
        parts.assertionID = "_a" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        return parts
    }

    func expectRefused(_ response: TestResponse, _ status: HTTPResponse.Status, heading: String) {
        #expect(response.status == status)
        #expect(response.bodyText.contains("<h1>\(heading)</h1>"), "\(response.bodyText.prefix(300))")
        #expect(SettingsBrowser.sessionCookie(in: response) == nil, "no session")
    }

    @Test func theMetadataAndTheSignInPageDescribeRoster() async throws {
        try await withApp { client in
            let metadata = try await client.execute(uri: "/auth/saml/metadata", method: .get)
            #expect(metadata.status == .ok)
            #expect(metadata.headers[.contentType]?.hasPrefix("application/samlmetadata+xml") == true)
            let xml = metadata.bodyText
            #expect(xml.contains(#"entityID="http://roster.example.test/auth/saml/metadata""#))
            #expect(xml.contains(#"WantAssertionsSigned="true""#))
            #expect(xml.contains(#"Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="http://roster.example.test/auth/saml/acs""#))
            #expect(xml.contains("nameid-format:emailAddress"))
            let page = try await client.execute(uri: "/auth/sign-in", method: .get).bodyText
            #expect(page.contains(#"<a id="saml-sign-in" class="button" href="/auth/saml/start">Sign in with Okta</a>"#))
            #expect(page.contains(#"<code id="saml-acs-url" class="wrap">http://roster.example.test/auth/saml/acs</code>"#))
            #expect(page.contains(#"<code id="saml-entity-id" class="wrap">http://roster.example.test/auth/saml/metadata</code>"#))
            #expect(page.contains("roster login-link"), "the sign-in link stays")
        }
    }

    @Test func anAdminSignsInOnceWithEitherSigningShape() async throws {
        try await withApp { client in
            for signResponse in [true, false] {
                let started = try await start(client)
                let xml = try idp.response(parts(for: started), signResponse: signResponse)
                let response = try await post(client, response: xml, relayState: started.relayState)
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/settings/organization/dsync")
                let browser = SettingsBrowser(client: client, cookie: try #require(SettingsBrowser.sessionCookie(in: response)))
                #expect(try await browser.get("/settings/organization/dsync").bodyText.contains("admin@example.com"))
                expectRefused(try await post(client, response: xml, relayState: started.relayState), .badRequest, heading: "Sign-in expired")
            }
        }
    }

    @Test func someoneNotInSAMLAdminsIsRefused() async throws {
        try await withApp { client in
            let started = try await start(client)
            let response = try await post(
                client,
                response: try idp.response(parts(for: started, email: "intruder@example.com")),
                relayState: started.relayState
            )
            expectRefused(response, .forbidden, heading: "Not an admin")
            #expect(response.bodyText.contains("intruder@example.com, which is not listed in SAML_ADMINS"))
            expectRefused(try await post(client, response: "garbage", relayState: nil), .badRequest, heading: "Sign-in could not be verified")
            let entries = try await store.auditEntries(AuditQuery(cursor: .after(0), limit: 10)).map(\.entry)
            #expect(entries.map(\.action) == [.signInFailed, .signInFailed])
            #expect(entries.first?.actor.name == "intruder@example.com")
            #expect(entries.first?.after == ["method": "saml", "reason": SAMLRejection.Reason.notAnAdmin.rawValue])
            #expect(entries.last?.actor.name == "unknown" && entries.last?.after["method"] == "saml")
            #expect(entries.allSatisfy { $0.actor.address != nil })
        }
    }

    @Test func aResponseMustAnswerThisBrowsersRequest() async throws {
        try await withApp { client in
            let started = try await start(client)
            let other = try await start(client)
            // Signed for one request, posted with another's RelayState.
            expectRefused(
                try await post(client, response: try idp.response(parts(for: started)), relayState: other.relayState),
                .badRequest,
                heading: "Sign-in expired"
            )
            // No RelayState: the pending request is not found, and IdP-initiated is off.
            expectRefused(
                try await post(client, response: try idp.response(parts(for: started)), relayState: nil),
                .badRequest,
                heading: "Sign-in expired"
            )
            expectRefused(
                try await post(client, response: try idp.response(parts(for: nil)), relayState: nil),
                .badRequest,
                heading: "Start the sign-in from Roster"
            )
            expectRefused(try await post(client, response: "garbage", relayState: nil), .badRequest, heading: "Sign-in could not be verified")
            for size in [300_000, 2_097_152] {
                let large = try await post(client, response: String(repeating: "A", count: size), relayState: nil)
                expectRefused(large, .contentTooLarge, heading: "Sign-in could not be verified")
            }
        }
        try await withApp(configuration(allowsUnsolicited: true)) { client in
            let response = try await post(client, response: try idp.response(parts(for: nil)), relayState: "whatever the IdP sends")
            #expect(response.status == .seeOther, "IdP-initiated, when allowed")
        }
    }

    @Test func aSignInStartedOnOneReplicaFinishesOnAnother() async throws {
        try await withApp { first in
            try await withApp { second in
                let started = try await start(first)
                let response = try await post(second, response: try idp.response(parts(for: started)), relayState: started.relayState)
                #expect(response.status == .seeOther)
                #expect(SettingsBrowser.sessionCookie(in: response) != nil)
            }
        }
    }
}
