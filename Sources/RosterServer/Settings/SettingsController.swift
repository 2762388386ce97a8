import Hummingbird
import RosterCore

/// The settings pages under `/settings/organization/dsync`: directories (configure, SCIM credentials, status,
/// token regeneration, deletion, request log), their users and groups, teams with their group-name mappings, webhooks,
/// API keys and the audit log.
/// Every route runs behind ``AdminSessionMiddleware``; every POST checks the form's CSRF token
/// (``SubmittedForm/read(_:context:)``) and answers with a redirect carrying a flash message (POST/redirect/GET).
struct SettingsController<Store: RosterStorage>: Sendable {
    /// Everything stored.
    let store: Store
    /// The public URL and limits.
    let configuration: ServerConfiguration
    /// The page renderer.
    let pages: PageRenderer
    /// Messages and revealed tokens for the next page.
    let flashes: FlashMessages
    /// Recent SCIM requests.
    let requestLog: RequestLog
    /// Sends "Send test event".
    let webhookTransport: any WebhookTransport
    /// How long failed deliveries are retried, for the page's wording.
    let webhookRetryWindow: Int64

    /// Rows per page of users and groups.
    static var pageSize: Int { 50 }

    /// Adds the routes to the settings group (`/settings/organization/dsync`).
    func addRoutes(to settings: RouterGroup<AppRequestContext>) {
        settings.get(use: overview)
        settings.get("new", use: newDirectory)
        settings.post("directories", use: createDirectory)
        settings.get("directories/{directoryID}", use: showDirectory)
        settings.post("directories/{directoryID}/token", use: regenerateToken)
        settings.post("directories/{directoryID}/delete", use: deleteDirectory)
        settings.get("directories/{directoryID}/users", use: users)
        settings.get("directories/{directoryID}/users/{userID}", use: user)
        settings.get("directories/{directoryID}/groups", use: groups)
        settings.get("directories/{directoryID}/requests", use: requestLogPage)
        settings.post("teams", use: createTeam)
        settings.get("teams/{slug}", use: team)
        settings.post("teams/{slug}/rename", use: renameTeam)
        settings.post("teams/{slug}/delete", use: deleteTeam)
        settings.post("teams/{slug}/groups", use: addGroupName)
        settings.post("teams/{slug}/groups/remove", use: removeGroupName)
        settings.get("webhooks", use: webhooks)
        settings.post("webhooks", use: createWebhook)
        settings.get("webhooks/{webhookID}", use: webhook)
        settings.post("webhooks/{webhookID}", use: updateWebhook)
        settings.post("webhooks/{webhookID}/rotate", use: rotateWebhookSecret)
        settings.post("webhooks/{webhookID}/test", use: testWebhook)
        settings.post("webhooks/{webhookID}/redeliver", use: redeliverWebhook)
        settings.post("webhooks/{webhookID}/delete", use: deleteWebhook)
        settings.get("api-keys", use: apiKeys)
        settings.post("api-keys", use: createAPIKey)
        settings.post("api-keys/{keyID}/revoke", use: revokeAPIKey)
        settings.get("audit", use: auditLog)
    }

    // MARK: Shared steps

    /// The signed-in session (the middleware guarantees one).
    func session(_ context: AppRequestContext) throws -> AdminSession {
        guard let session = context.adminSession else { throw SettingsPageError(status: 401, heading: "Signed out", message: "Sign in again.") }
        return session
    }

    /// Who the audit trail records for this request's changes: the signed-in admin, from the client's address.
    func actor(_ context: AppRequestContext) throws -> AuditActor {
        .admin(email: try session(context).email, address: context.clientAddress)
    }

    /// Whose flash values the request reads and leaves: the signed-in session's.
    func flashKey(_ context: AppRequestContext) throws -> FlashOwner {
        guard let owner = context.flashOwner else { throw SettingsPageError(status: 401, heading: "Signed out", message: "Sign in again.") }
        return owner
    }

    /// The layout's part for this request, taking the session's flash message.
    func chrome(_ context: AppRequestContext) async throws -> PageChrome {
        let session = try session(context)
        return PageChrome(
            signedIn: true,
            email: session.email,
            csrfToken: session.csrfToken,
            flash: try await flashes.takeMessage(for: try flashKey(context))
        )
    }

    /// A 303 to `path` that shows `message` there.
    func redirect(to path: String, _ message: FlashMessage?, context: AppRequestContext) async throws -> Response {
        if let message { try await flashes.leave(message, for: try flashKey(context)) }
        return .redirect(to: path, type: .normal)
    }

    /// The directory named by the `directoryID` path parameter; 404 page when there is none.
    func requireDirectory(_ context: AppRequestContext) async throws -> Directory {
        let id = try context.parameters.require("directoryID")
        guard let directory = try await store.directory(id: id) else { throw SettingsPageError.notFound("This directory") }
        return directory
    }

    /// The team named by the `slug` path parameter; 404 page when there is none.
    func requireTeam(_ context: AppRequestContext) async throws -> Team {
        let slug = try context.parameters.require("slug")
        do {
            guard let team = try await store.team(slug) else { throw SettingsPageError.notFound("This team") }
            return team
        } catch is TeamError {
            throw SettingsPageError.notFound("This team")
        }
    }

    /// The 1-based page number of a `page` query parameter.
    static func pageNumber(_ request: Request) -> Int {
        max(1, Int(QueryString(request.uri.query).value(named: "page") ?? "") ?? 1)
    }
}
