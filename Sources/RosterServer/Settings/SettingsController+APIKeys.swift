import Hummingbird
import RosterCore

extension SettingsController {
    /// GET …/api-keys.
    @Sendable func apiKeys(_ request: Request, context: AppRequestContext) async throws -> Response {
        let keys = try await store.apiKeys()
        let page = APIKeysPage(
            chrome: try await chrome(context),
            revealedKey: try await flashes.takeToken(key: "api-key", for: try flashKey(context)),
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
        return pages.page("api-keys", page)
    }

    /// POST …/api-keys: makes a key and shows it once.
    @Sendable func createAPIKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await SubmittedForm.read(request, context: context)
        let name = form.trimmed("name")
        guard !name.isEmpty else {
            return try await redirect(to: SettingsPaths.apiKeys, FlashMessage(.error, "Give the key a name."), context: context)
        }
        let (key, hash) = APIKey.generate()
        _ = try await store.createAPIKey(name: name, prefix: String(key.prefix(10)), tokenHash: hash, by: try actor(context))
        try await flashes.reveal(token: key, key: "api-key", for: try flashKey(context))
        return try await redirect(
            to: SettingsPaths.apiKeys,
            FlashMessage(.success, "Key “\(name)” created. Copy it now: it is shown only once."),
            context: context
        )
    }

    /// POST …/api-keys/{keyID}/revoke.
    @Sendable func revokeAPIKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await SubmittedForm.read(request, context: context)
        let revoked = try await store.revokeAPIKey(id: try context.parameters.require("keyID"), by: try actor(context))
        let message = revoked ? FlashMessage(.success, "The key was revoked: it no longer works.") : FlashMessage(.error, "No such live key.")
        return try await redirect(to: SettingsPaths.apiKeys, message, context: context)
    }
}
