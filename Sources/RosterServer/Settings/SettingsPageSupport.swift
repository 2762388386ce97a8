import Hummingbird
import RosterCore

/// The steps every settings controller shares: the layout around a page for the signed-in admin, the redirect that
/// ends a form POST with a flash message (POST/redirect/GET), a secret shown once on the next page, and the directory
/// or team a path names (a 404 page when there is none). The session, its flash owner and the audit actor come with
/// the request, on ``AdminRequestContext``.
struct SettingsPageSupport: Sendable {
    /// Renders the Mustache templates.
    let pages: PageRenderer
    /// Where a flash message or a fresh secret waits for the session's next page.
    let flashes: FlashMessages

    /// Rows per page of the paginated lists (users, groups, audit entries).
    static var pageSize: Int { 50 }

    /// The layout's part for this request: the admin's email, the CSRF token the page's forms carry, and the flash
    /// message left for this page (taken, so it shows once).
    func chrome(_ context: AdminRequestContext) async throws -> PageChrome {
        PageChrome(
            signedIn: true,
            email: context.session.email,
            csrfToken: context.session.csrfToken,
            flash: try await flashes.takeMessage(for: context.flashOwner)
        )
    }

    /// A 303 to `path` that shows `message` there.
    func redirect(to path: String, _ message: FlashMessage, context: AdminRequestContext) async throws -> Response {
        try await flashes.leave(message, for: context.flashOwner)
        return .redirect(to: path, type: .normal)
    }

    /// A 303 to `path`, whose page shows `message` and, once, the freshly made `secret` (a SCIM token, API key or
    /// webhook signing secret) left under `key`.
    func redirect(
        to path: String,
        revealing secret: String,
        key: String,
        _ message: FlashMessage,
        context: AdminRequestContext
    ) async throws -> Response {
        try await flashes.reveal(token: secret, key: key, for: context.flashOwner)
        return try await redirect(to: path, message, context: context)
    }

    /// The secret left under `key` by ``redirect(to:revealing:key:_:context:)``, taken so that a reload no longer
    /// shows it.
    func revealedSecret(key: String, context: AdminRequestContext) async throws -> String? {
        try await flashes.takeToken(key: key, for: context.flashOwner)
    }

    /// The directory named by the `directoryID` path parameter; 404 page when there is none.
    func directory(_ context: AdminRequestContext, in store: some RosterStore) async throws -> Directory {
        let id = try context.parameters.require("directoryID")
        guard let directory = try await store.directory(id: id) else { throw SettingsPageError.notFound("This directory") }
        return directory
    }

    /// The team named by the `slug` path parameter (an id, slug or name, as ``TeamStore/team(_:)`` reads it); 404 page
    /// when there is none, or when a name is shared by several teams.
    func team(_ context: AdminRequestContext, in store: some TeamStore) async throws -> Team {
        let slug = try context.parameters.require("slug")
        do {
            guard let team = try await store.team(slug) else { throw SettingsPageError.notFound("This team") }
            return team
        } catch is TeamError {
            throw SettingsPageError.notFound("This team")
        }
    }
}
