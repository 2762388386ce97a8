import Foundation
import RosterCore
import SCIM

/// One audit entry as `roster audit` prints it: one compact JSON object, or one line of text for people.
struct AuditLine {
    var recorded: RecordedAuditEntry

    /// The entry's JSON form (``RecordedAuditEntry/jsonValue``, the read API's) on one line.
    func json() -> String {
        recorded.jsonValue.serialized()
    }

    /// `ID  TIME  ACTOR  ACTION  TARGET  CHANGES`, such as
    /// `7  2026-11-29T06:15:22.123Z  cli (alice)  team.renamed  team "New" (ID)  name: "Old" → "New"`.
    func text() -> String {
        let entry = recorded.entry
        var actor = entry.actor.name
        if let detail = entry.actor.detail, !detail.isEmpty { actor += " (\(detail))" }
        if let address = entry.actor.address, !address.isEmpty { actor += " from \(address)" }
        var target = "\(entry.target.kind) \"\(entry.target.name)\""
        if !entry.target.id.isEmpty { target += " (\(entry.target.id))" }
        let fields = [String(recorded.id), SCIMDateTime.format(millisecondsSince1970: recorded.at), actor, entry.action.rawValue, target]
        let changes = entry.changes.joined(separator: ", ")
        return (changes.isEmpty ? fields : fields + [changes]).joined(separator: "  ").replacingNewlines()
    }
}
