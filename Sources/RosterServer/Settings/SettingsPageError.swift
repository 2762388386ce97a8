import Hummingbird

/// A settings request that ends on a page explaining what went wrong, with an HTTP status.
struct SettingsPageError: Error, Sendable {
    /// The response status.
    var status: Int
    /// The page's heading.
    var heading: String
    /// What happened.
    var message: String

    /// 404: the thing does not exist (any more).
    static func notFound(_ what: String) -> SettingsPageError {
        SettingsPageError(status: 404, heading: "Not found", message: "\(what) does not exist, or no longer does.")
    }

    /// 401: the request carries no signed-in admin (``AdminSessionMiddleware`` sends such requests to sign-in first).
    static let signedOut = SettingsPageError(status: 401, heading: "Signed out", message: "Sign in again.")

    /// 403: the form's CSRF token is missing or wrong.
    static let csrfRejected = SettingsPageError(
        status: 403,
        heading: "Form expired",
        message: "This form was not accepted: it did not come from this session's settings page. Go back, reload the page and try again."
    )
}

extension SettingsPageError {
    /// Whether ``init(_:path:)`` has a page of its own for an error with `status`: 404 and 413. An error with any
    /// other status ends on the 500 page.
    static func answers(_ status: HTTPResponse.Status) -> Bool {
        status == .notFound || status == .contentTooLarge
    }

    /// The page for an error the router or the form reader throws: 404 (no settings page at `path`) or 413 (a form
    /// body over ``SubmittedForm/maxBytes``: Hummingbird's `NIOTooManyBytesError`); see ``answers(_:)``.
    init(_ status: HTTPResponse.Status, path: String) {
        if status == .contentTooLarge {
            self.init(status: 413, heading: "Form too large", message: "The form sent more data than a settings form holds.")
        } else {
            self.init(status: 404, heading: "Not found", message: "There is no settings page at \(path).")
        }
    }
}
