import HTTPTypes
import Hummingbird

/// Gives every response an `X-Request-Id` header: the id Hummingbird puts in the request's log metadata
/// (`hb.request.id`), so a line in the logs and a client's report can be matched.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Passes the request on and sets the response's `X-Request-Id` to the request's log id.
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if let name = HTTPField.Name("X-Request-Id") {
            response.headers[name] = context.id
        }
        return response
    }
}
