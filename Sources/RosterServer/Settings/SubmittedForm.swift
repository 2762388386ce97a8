import Foundation
import Hummingbird
import RosterCore

/// The fields of a settings form (`application/x-www-form-urlencoded`), read after its CSRF token was checked.
struct SubmittedForm: Sendable {
    /// The decoded fields.
    let fields: QueryString

    /// The largest form body read: forms hold a few short fields.
    static let maxBytes = 65_536

    /// Reads the body of a form POST and checks its `csrf` field against `session`'s token; a missing or wrong token,
    /// or no session, is a 403 page.
    static func read(_ request: Request, session: AdminSession?) async throws -> SubmittedForm {
        var request = request
        let body = try await request.collectBody(upTo: maxBytes)
        let form = SubmittedForm(fields: QueryString(String(buffer: body)))
        guard let session, session.acceptsCSRFToken(form["csrf"]) else {
            throw SettingsPageError.csrfRejected
        }
        return form
    }

    /// A field's value, surrounding whitespace kept; nil when absent.
    subscript(name: String) -> String? { fields.dictionary[name] }

    /// A field's value without surrounding whitespace; empty when absent.
    func trimmed(_ name: String) -> String {
        (self[name] ?? "").trimmed()
    }
}
