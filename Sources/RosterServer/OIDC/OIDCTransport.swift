import AsyncHTTPClient
import NIOCore

/// What answered a request to the provider.
public struct OIDCHTTPResponse: Sendable, Hashable {
    /// The HTTP status.
    public var status: Int
    /// The body.
    public var body: [UInt8]

    /// Makes a response.
    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// Talks to the OpenID provider: GETs its discovery document and keys, POSTs to its token endpoint. Throws when no
/// answer came.
public protocol OIDCTransport: Sendable {
    /// GETs `url`.
    func get(_ url: String) async throws -> OIDCHTTPResponse
    /// POSTs a form to `url` with extra `headers`.
    func postForm(_ url: String, form: [(String, String)], headers: [(String, String)]) async throws -> OIDCHTTPResponse
}

/// The transport over an AsyncHTTPClient client, with a deadline of 5 seconds per request and answers of at most
/// 1 MiB.
public struct HTTPClientOIDCTransport: OIDCTransport {
    /// The client; the process-wide shared one unless given.
    let client: HTTPClient

    /// Makes the transport over `client`.
    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    /// GETs with a deadline.
    public func get(_ url: String) async throws -> OIDCHTTPResponse {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        return try await execute(request)
    }

    /// POSTs `application/x-www-form-urlencoded` with a deadline.
    public func postForm(_ url: String, form: [(String, String)], headers: [(String, String)]) async throws -> OIDCHTTPResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let body = form.map { SettingsPaths.queryValue($0.0) + "=" + SettingsPaths.queryValue($0.1) }.joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: body))
        return try await execute(request)
    }

    private func execute(_ request: HTTPClientRequest) async throws -> OIDCHTTPResponse {
        let response = try await client.execute(request, timeout: .seconds(5))
        let buffer = try await response.body.collect(upTo: 1_048_576)
        return OIDCHTTPResponse(status: Int(response.status.code), body: Array(buffer: buffer))
    }
}
