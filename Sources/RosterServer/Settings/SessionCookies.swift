import Hummingbird

/// The admin session cookie: HttpOnly, SameSite=Lax, Secure when Roster's public URL is https.
struct SessionCookies: Sendable {
    /// The cookie's name.
    static let name = "roster_session"
    /// Whether the cookie is sent over https only.
    let secure: Bool

    /// The session token a request carries; nil without one.
    func token(in request: Request) -> String? {
        guard let value = request.cookies[SessionCookies.name]?.value, !value.isEmpty else { return nil }
        return value
    }

    /// The cookie that hands a browser its session token.
    func issue(_ token: String, maxAgeSeconds: Int) -> Cookie {
        Cookie(name: SessionCookies.name, value: token, maxAge: maxAgeSeconds, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// The cookie that makes a browser forget its session.
    func clear() -> Cookie {
        Cookie(name: SessionCookies.name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
