import Hummingbird
import RosterCore

/// Read-API keys: the list, making a key (shown once), and revoking one. Every POST checks the form's CSRF token
/// first and ends in a redirect with a flash message.
struct APIKeysController<Store: APIKeyStore>: Sendable {
    /// The keys (their hashes and prefixes; a key itself is never stored).
    let store: Store
    /// Chrome, redirects and the revealed key.
    let support: SettingsPageSupport

    /// Adds `/api-keys` (GET and POST) and `/api-keys/{keyID}/revoke` to the settings group.
    func addRoutes(to settings: RouterGroup<AdminRequestContext>) {
        settings.get("api-keys", use: apiKeys)
        settings.post("api-keys", use: createAPIKey)
        settings.post("api-keys/{keyID}/revoke", use: revokeAPIKey)
    }

    /// GET …/api-keys: every key, newest first, with its prefix, last use and state; a key just made is shown once.
    @Sendable func apiKeys(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let keys = try await store.apiKeys()
        let page = APIKeysPage(
            chrome: try await support.chrome(context),
            revealedKey: try await support.revealedSecret(key: "api-key", context: context),
            hasKeys: !keys.isEmpty,
            keys: keys.map { key in
                APIKeysPage.Row(
                    name: key.name,
                    prefix: key.prefix,
                    created: DisplayText.time(key.createdAt),
                    lastUsed: key.lastUsedAt.map(DisplayText.time) ?? "never",
                    status: key.revokedAt == nil ? "live" : "revoked",
                    live: key.revokedAt == nil,
                    revokePath: SettingsPaths.root + "/api-keys/" + SettingsPaths.segment(key.id) + "/revoke"
                )
            }
        )
        return support.pages.page("api-keys", page)
    }

    /// POST …/api-keys: makes a key and shows it once.
    @Sendable func createAPIKey(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let form = try await SubmittedForm.read(request, session: context.session)
        let name = form.trimmed("name")
        guard !name.isEmpty else {
            return try await support.redirect(to: SettingsPaths.apiKeys, FlashMessage(.error, "Give the key a name."), context: context)
        }
        let (key, hash) = APIKey.generate()
        _ = try await store.createAPIKey(name: name, prefix: String(key.prefix(10)), tokenHash: hash, by: context.actor)
        return try await support.redirect(
            to: SettingsPaths.apiKeys,
            revealing: key,
            key: "api-key",
            FlashMessage(.success, "Key “\(name)” created. Copy it now: it is shown only once."),
            context: context
        )
    }

    /// POST …/api-keys/{keyID}/revoke: the key stops working at once.
    @Sendable func revokeAPIKey(_ request: Request, context: AdminRequestContext) async throws -> Response {
        _ = try await SubmittedForm.read(request, session: context.session)
        let revoked = try await store.revokeAPIKey(id: try context.parameters.require("keyID"), by: context.actor)
        let message = revoked ? FlashMessage(.success, "The key was revoked: it no longer works.") : FlashMessage(.error, "No such live key.")
        return try await support.redirect(to: SettingsPaths.apiKeys, message, context: context)
    }
}
