import Hummingbird

/// A middleware that passes every request on and answers what comes back thrown: ``answer(_:to:context:)`` turns an
/// error into a response in the middleware's own form, or throws it on to an outer middleware. The pass-on and the
/// catch are written once, here.
protocol ErrorAnsweringMiddleware: RouterMiddleware where Context == AppRequestContext {
    /// The response to `error`, which serving `request` threw; throws `error` on when this middleware does not answer
    /// it.
    func answer(_ error: any Error, to request: Request, context: AppRequestContext) throws -> Response
}

extension ErrorAnsweringMiddleware {
    /// Passes the request on; an error that comes back is answered by ``answer(_:to:context:)``.
    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try answer(error, to: request, context: context)
        }
    }
}
