import Hummingbird
import RosterCore

/// Requires `Authorization: Bearer <API key>` on the read API; a missing, unknown or revoked key gets 401 in the
/// API's error form. Keys are looked up by hash, and the hash lookup compares whole hashes in the index.
struct APIKeyMiddleware<Store: APIKeyStore>: RouterMiddleware {
    /// Where keys are kept.
    let store: Store

    /// Answers 401 without a live key; otherwise notes the key's id in the context for the audit trail and goes on.
    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let key = AuthorizationHeader.bearerToken(in: request.headers[.authorization]),
            let keyID = try await store.apiKeyID(tokenHash: BearerToken.hash(key), at: WallClock.millisecondsSince1970())
        else {
            return APIResponse.error(status: .unauthorized, "An API key is required: Authorization: Bearer rst_…")
        }
        var context = context
        context.apiKeyID = keyID
        return try await next(request, context)
    }
}
