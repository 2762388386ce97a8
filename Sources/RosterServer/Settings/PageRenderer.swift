import Hummingbird
import Mustache

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
        var response = message(
            status: .tooManyRequests,
            heading: "Too many attempts",
            message: what + " Wait a minute and try again.",
            back: (SettingsPaths.signIn, "Sign-in help")
        )
        response.headers[.retryAfter] = "60"
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
