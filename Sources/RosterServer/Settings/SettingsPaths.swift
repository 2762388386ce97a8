/// Where the settings pages and sign-in live.
enum SettingsPaths {
    /// The directory-sync settings page, as in the seed guide: `{BASE_URL}/settings/organization/dsync`.
    static let root = "/settings/organization/dsync"
    /// The sign-in page.
    static let signIn = "/auth/sign-in"
    /// Where a sign-in link points.
    static let loginLink = "/auth/login"
    /// Sign out (POST).
    static let signOut = "/auth/sign-out"

    /// A directory's page.
    static func directory(_ id: String) -> String { root + "/directories/" + segment(id) }
    /// A user's page.
    static func user(directoryID: String, userID: String) -> String { directory(directoryID) + "/users/" + segment(userID) }
    /// The webhooks page.
    static let webhooks = root + "/webhooks"
    /// The API keys page.
    static let apiKeys = root + "/api-keys"
    /// The audit log.
    static let audit = root + "/audit"
    /// A webhook endpoint's page.
    static func webhook(_ id: String) -> String { webhooks + "/" + segment(id) }
    /// A team's page.
    static func team(_ slug: String) -> String { root + "/teams/" + segment(slug) }

    /// A path segment with everything but unreserved characters percent-encoded.
    static func segment(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }

    /// A query component, encoded like a path segment.
    static func queryValue(_ text: String) -> String { segment(text) }
}

extension String {
    /// The string with leading zeros up to `length`.
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
