import RosterTestSupport

/// The two strings an identity provider (or whoever controls one) might send to break the settings pages: a script
/// element, and a value that closes an attribute and opens an element with an event handler. Each field of a test
/// carries one behind a label (`userName-<script>…`), so that a page can be checked for each field separately.
enum HostilePayload: String, CaseIterable, Sendable, CustomStringConvertible {
    /// A script element.
    case script = "<script>alert(1)</script>"
    /// Closes a quoted attribute (either quote) and the tag, then opens an element with an event handler.
    case attribute = #""'><img src=x onerror=alert(1)>"#

    /// `script` or `attribute`.
    var description: String { self == .script ? "script" : "attribute" }

    /// The payload behind a label: `userName-<script>alert(1)</script>`.
    func value(_ label: String) -> String { label + "-" + rawValue }

    /// The raw markup that must never reach a page: the payload's element, whatever surrounds it.
    var markup: String { self == .script ? "<script>alert(1)" : "<img src=x onerror=alert(1)>" }

    /// `text` escaped as the page templates escape it (Mustache: `&`, `<`, `>`, `"`, `'`).
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
