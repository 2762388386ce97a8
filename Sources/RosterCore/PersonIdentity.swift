import Foundation
import SCIM

/// Which users are one person. Two directories can push the same person (an IdP migration, or two IdPs feeding one
/// organization); Roster takes the user's email, ignoring case, as the person, so that a team lists people rather
/// than accounts.
public enum PersonIdentity {
    /// The email that names the person a user is, lowercased: the primary email, else the first email with a
    /// value, else `userName` when it is an email address (Okta's usual `userName`). Nil when the user has none:
    /// such a user is a person alone.
    public static func email(of attributes: JSONObject) -> String? {
        let emails = (attributes["emails"]?.arrayValue ?? []).compactMap(\.objectValue)
        let primary = emails.first { $0["primary"]?.boolValue == true }?["value"]?.stringValue
        let first = emails.lazy.compactMap { $0["value"]?.stringValue }.first { isEmailAddress($0) }
        if let chosen = [primary, first].compactMap({ $0 }).first(where: isEmailAddress) {
            return normalized(chosen)
        }
        if let userName = attributes["userName"]?.stringValue, isEmailAddress(userName) {
            return normalized(userName)
        }
        return nil
    }

    /// Groups `items` into people by the email `email` reads from each (``email(of:)``), in the order each person
    /// first appears; an item without an email is a person alone.
    public static func grouping<Item>(_ items: [Item], by email: (Item) -> String?) -> [(email: String?, items: [Item])] {
        var people: [(email: String?, items: [Item])] = []
        var indexByEmail: [String: Int] = [:]
        for item in items {
            let key = email(item)
            if let key, let index = indexByEmail[key] {
                people[index].items.append(item)
                continue
            }
            if let key { indexByEmail[key] = people.count }
            people.append((key, [item]))
        }
        return people
    }

    /// Whether `text` looks like an email address: something, one `@`, something.
    static func isEmailAddress(_ text: String) -> Bool {
        let trimmed = text.trimmed()
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
    }

    private static func normalized(_ email: String) -> String {
        email.trimmed().lowercased()
    }
}
