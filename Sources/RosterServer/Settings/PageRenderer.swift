import Hummingbird
import Mustache
import RosterCore

/// Renders the settings pages from the Mustache templates compiled into the binary (``EmbeddedAssets``). Mustache
/// escapes every `{{value}}` for HTML, so whatever an IdP sent is shown as text. Every page is sent with a strict
/// Content-Security-Policy (scripts and styles from Roster only) and is never cached.
struct PageRenderer: Sendable {
    /// The registered templates.
    let library: MustacheLibrary
    /// Templates that failed to parse, as `name: error` (empty in a correct build; a test checks).
    let problems: [String]

    /// Registers every embedded template.
    init(templates: [String: String] = EmbeddedAssets.templates) {
        var library = MustacheLibrary()
        var problems: [String] = []
        for (name, text) in templates.sorted(by: { $0.key < $1.key }) {
            do {
                try library.register(text, named: name)
            } catch {
                problems.append("\(name): \(error)")
            }
        }
        self.library = library
        self.problems = problems
    }

    /// The headers of every page.
    static var headers: HTTPFields {
        [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-store",
            .contentSecurityPolicy:
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            .xContentTypeOptions: "nosniff",
        ]
    }

    /// A page rendered from `template` with `model`.
    func page(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        let html =
            library.render(model, withTemplate: template)
            ?? "<!doctype html><title>Roster</title><p>The page template is missing from this build.</p>"
        return Response(status: status, headers: PageRenderer.headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// The 429 page for a client address that has failed to sign in too often: `what` happened; wait a minute.
    func tooManySignInAttempts(_ what: String) -> Response {
        PageRenderer.retrying(
            after: 60,
            message(
                status: .tooManyRequests,
                heading: "Too many attempts",
                message: what + " Wait a minute and try again.",
                back: (SettingsPaths.signIn, "Sign-in help")
            )
        )
    }

    /// The 503 page for a store that cannot be reached (a PostgreSQL outage), with `Retry-After`. The reason names
    /// the database server, so it goes to the log and `/readyz`, not to the page.
    func storeUnavailable(_ error: StoreUnavailable, chrome: PageChrome = PageChrome()) -> Response {
        let seconds = max(1, error.retryAfterSeconds)
        return PageRenderer.retrying(
            after: seconds,
            message(
                status: .serviceUnavailable,
                heading: "Database unavailable",
                message: "Roster cannot reach its database right now, so nothing was shown or changed. Try again in \(seconds) seconds.",
                hint: "If this lasts, whoever runs Roster can see why at /readyz and in the server log.",
                chrome: chrome
            )
        )
    }

    /// `response` with `Retry-After: seconds`.
    private static func retrying(after seconds: Int, _ response: Response) -> Response {
        var response = response
        response.headers[.retryAfter] = String(seconds)
        return response
    }

    /// A page with a heading and a message, such as an error.
    func message(
        status: HTTPResponse.Status,
        heading: String,
        message: String,
        hint: String? = nil,
        chrome: PageChrome = PageChrome(),
        back: (path: String, label: String) = (SettingsPaths.root, "Back to Directory sync")
    ) -> Response {
        page(
            "message",
            MessagePage(chrome: chrome, heading: heading, message: message, hint: hint, backPath: back.path, backLabel: back.label),
            status: status
        )
    }
}

/// The model of the `message` template.
struct MessagePage {
    /// The layout's part.
    var chrome: PageChrome
    /// The heading.
    var heading: String
    /// The text.
    var message: String
    /// A further hint.
    var hint: String?
    /// Where the link back goes.
    var backPath: String
    /// The link's text.
    var backLabel: String
}

/// What the layout shows around every page: who is signed in, the CSRF token for forms, and a flash message.
struct PageChrome {
    /// Whether an admin is signed in (shows the account bar).
    var signedIn = false
    /// The admin's email.
    var email = ""
    /// The CSRF token every form carries.
    var csrfToken = ""
    /// The message after an action.
    var flash: FlashMessage?
}
