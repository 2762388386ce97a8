import AsyncHTTPClient
import NIOCore
import RosterCore

/// What answered a webhook POST.
public struct WebhookResponse: Sendable, Hashable {
    /// The HTTP status.
    public var status: Int
    /// The start of the body (at most 512 characters), for the deliveries log.
    public var excerpt: String

    /// Makes a response.
    public init(status: Int, excerpt: String) {
        self.status = status
        self.excerpt = excerpt
    }
}

/// Sends one webhook POST; throws when no answer came (connection refused, timeout, TLS failure).
public protocol WebhookTransport: Sendable {
    /// POSTs `body` to `url` with `headers`, waiting at most `timeout`.
    func post(url: String, headers: [(String, String)], body: [UInt8], timeout: Duration) async throws -> WebhookResponse
}

/// The transport over an AsyncHTTPClient client (HTTP/1.1 and HTTP/2, TLS with the system's trust roots). A
/// refused connection is retried by the client's pool until the request's deadline, so an attempt on an endpoint
/// that is down costs the request timeout.
public struct HTTPClientWebhookTransport: WebhookTransport {
    /// The client; the process-wide shared one unless given.
    let client: HTTPClient

    /// Makes the transport over `client`.
    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    /// POSTs with a deadline; reads at most 64 KiB of the answer.
    public func post(url: String, headers: [(String, String)], body: [UInt8], timeout: Duration) async throws -> WebhookResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let timeAmount = TimeAmount.nanoseconds(timeout.nanoseconds)
        let response = try await client.execute(request, timeout: timeAmount)
        let buffer = try await response.body.collect(upTo: 65_536)
        return WebhookResponse(status: Int(response.status.code), excerpt: String(String(buffer: buffer).prefix(512)))
    }
}
