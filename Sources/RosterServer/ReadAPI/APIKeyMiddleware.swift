import Hummingbird
import RosterCore

/// Requires `Authorization: Bearer <API key>` on the read API; a missing, unknown or revoked key gets 401 in the
/// API's error form. Keys are looked up by hash, and the hash lookup compares whole hashes in the index.
struct APIKeyMiddleware<Store: APIKeyStore>: RouterMiddleware {
    /// Where keys are kept.
    let store: Store

    /// Handles one request.
    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let key = AuthorizationHeader.bearerToken(in: request.headers[.authorization]),
            try await store.apiKeyID(tokenHash: BearerToken.hash(key), at: WallClock.millisecondsSince1970()) != nil
        else {
            return APIResponse.error(status: .unauthorized, "An API key is required: Authorization: Bearer rst_…")
        }
        return try await next(request, context)
    }
}
