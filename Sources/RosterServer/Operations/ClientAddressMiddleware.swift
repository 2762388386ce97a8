import HTTPTypes
import Hummingbird

/// A request context that knows the client's address: the connection's peer, or, behind a trusted proxy, the
/// address the proxy reported in `X-Forwarded-For` (``ClientAddressMiddleware``). Per-address limits key on it.
public protocol ClientAddressRequestContext: RequestContext {
    /// The client's address; "unknown" when the connection has none.
    var clientAddress: String { get }
}

/// Takes the client's address from `X-Forwarded-For` when the connection comes from a trusted proxy
/// (`TRUSTED_PROXIES`), and leaves the peer's address otherwise, so that a client cannot pick its own address by
/// sending the header. Behind a load balancer, this keeps the per-address limit on wrong tokens and sign-in links
/// per client instead of one limit for everyone.
struct ClientAddressMiddleware: RouterMiddleware {
    /// The proxies whose `X-Forwarded-For` is believed.
    let trusted: TrustedProxies

    /// Sets the context's client address, then passes the request on.
    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let forwardedFor = HTTPField.Name("X-Forwarded-For") else { return try await next(request, context) }
        var context = context
        if let client = trusted.clientAddress(peer: context.remoteAddress?.ipAddress, forwardedFor: request.headers[values: forwardedFor]) {
            context.forwardedClientAddress = client
        }
        return try await next(request, context)
    }
}
