import Foundation
import Hummingbird
import HummingbirdTesting
import RosterCore
import RosterSQLite
import RosterServer
import RosterTestSupport
import Testing

/// The admin tests sign in as.
let testAdmin = "admin@example.com"

/// The configuration of the settings tests: ``testConfiguration()`` with `SAML_ADMINS` set (spaces and case as
/// people write them).
func settingsConfiguration(admins: String = " Admin@Example.com , ops@example.com") -> ServerConfiguration {
    var configuration = testConfiguration()
    configuration.admins = AdminAllowList(parsing: admins)
    return configuration
}

/// A browser stand-in for the settings pages: it keeps the session cookie and reads each page's CSRF token.
struct SettingsBrowser: Sendable {
    /// The connection.
    var client: any TestClientProtocol
    /// The session cookie (`roster_session=…`), once signed in.
    var cookie: String?

    /// Signs in through a one-time link issued on `store` for `email`.
    static func signIn(
        _ client: any TestClientProtocol,
        store: SQLiteStore,
        configuration: ServerConfiguration = settingsConfiguration(),
        email: String = testAdmin
    ) async throws -> SettingsBrowser {
        let link = try await AdminAccess(store: store, admins: configuration.admins).issueLoginLink(for: email, baseURL: testBaseURL)
        let response = try await client.execute(uri: String(link.dropFirst(testBaseURL.count)), method: .get)
        #expect(response.status == .seeOther)
        #expect(response.headers[.location] == "/settings/organization/dsync")
        let cookie = try #require(SettingsBrowser.sessionCookie(in: response))
        return SettingsBrowser(client: client, cookie: cookie)
    }

    /// The `roster_session=…` pair a response sets.
    static func sessionCookie(in response: TestResponse) -> String? {
        response.headers[values: .setCookie].first { $0.hasPrefix("roster_session=") }.map { String($0.prefix { $0 != ";" }) }
    }

    /// GETs a page.
    func get(_ path: String) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(uri: path, method: .get, headers: headers)
    }

    /// POSTs a form (or sends it with another `method`); the CSRF token is read from the settings page unless `csrf`
    /// is given (nil sends none).
    func post(
        _ path: String,
        _ fields: [(String, String)],
        csrf: String?? = .none,
        method: HTTPRequest.Method = .post
    ) async throws -> TestResponse {
        var fields = fields
        let token: String? =
            switch csrf {
            case .none: try await csrfToken()
            case .some(let given): given
            }
        if let token { fields.append(("csrf", token)) }
        let body = fields.map { SettingsBrowser.encode($0.0) + "=" + SettingsBrowser.encode($0.1) }.joined(separator: "&")
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(uri: path, method: method, headers: headers, body: ByteBuffer(string: body))
    }

    /// POSTs a form and follows the redirect, returning the page it lands on.
    func submit(_ path: String, _ fields: [(String, String)]) async throws -> TestResponse {
        let response = try await post(path, fields)
        #expect(response.status == .seeOther, "\(response.bodyText)")
        let location = try #require(response.headers[.location])
        return try await get(String(location.prefix { $0 != "#" }))
    }

    /// The CSRF token of this session, read from the settings page.
    func csrfToken() async throws -> String {
        let page = try await get("/settings/organization/dsync").bodyText
        return try #require(page.firstCapture(of: #/name="csrf" value="([^"]+)"/#))
    }

    /// Configures a directory through the form; returns its id and the token the page revealed.
    func configureDirectory(name: String, provider: String = "okta") async throws -> TestDirectory {
        let response = try await post("/settings/organization/dsync/directories", [("name", name), ("provider", provider)])
        #expect(response.status == .seeOther)
        let location = try #require(response.headers[.location])
        let id = String(location.split(separator: "/").last ?? "")
        let page = try await get(location).bodyText
        let token = try #require(page.firstCapture(of: #/id="scim-bearer-token" readonly value="([^"]+)"/#))
        return TestDirectory(id: id, token: token)
    }

    /// Percent-encodes a form component.
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension String {
    /// The first capture group of the first match of `regex`.
    func firstCapture(of regex: Regex<(Substring, Substring)>) -> String? {
        (try? regex.firstMatch(in: self)).map { String($0.output.1) }
    }

    /// The text of the element with `id`, tags stripped and whitespace collapsed.
    func text(ofElementWithID id: String) -> String? {
        guard let start = range(of: "id=\"\(id)\"") else { return nil }
        guard let open = self[start.upperBound...].firstIndex(of: ">") else { return nil }
        let rest = self[index(after: open)...]
        guard let close = rest.range(of: "</") else { return nil }
        return String(rest[..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The flash message's text.
    var flashText: String? {
        guard let match = try? #/<div id="flash" class="flash flash-(\w+)" role="status">([^<]*)</div>/#.firstMatch(in: self) else { return nil }
        return String(match.output.1) + ": " + String(match.output.2)
    }
}
