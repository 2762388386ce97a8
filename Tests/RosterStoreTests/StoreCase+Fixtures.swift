import RosterCore
import RosterTestSupport
import SCIM
import Testing

/// Builders the store-suite cases beyond the first share: users and groups from literal JSON in any directory, a
/// second directory, and the events written after a mark.
extension StoreCase {
    /// Creates a user from a JSON body (no `schemas` needed) in `directoryID`, or the case's directory.
    @discardableResult
    func createUser(json body: String, in directoryID: String? = nil) async throws -> StoredResource {
        try await store.create(
            .user,
            directoryID: directoryID ?? directory.id,
            input: try ResourceNormalizer.normalize(try json(body), schema: .user)
        )
    }

    /// Creates a group named `name` with `members` in `directoryID`, or the case's directory.
    @discardableResult
    func createGroup(_ name: String, members: [StoredResource], in directoryID: String? = nil) async throws -> StoredResource {
        let list = members.map { #"{"value":"\#($0.id)"}"# }.joined(separator: ",")
        let body = try json(#"{"displayName":"\#(name)","members":[\#(list)]}"#)
        return try await store.create(.group, directoryID: directoryID ?? directory.id, input: try ResourceNormalizer.normalize(body, schema: .group))
    }

    /// A second directory, Entra's.
    func makeEntraDirectory() async throws -> Directory {
        try await store.createDirectory(name: "Entra", provider: .azure, tokenHash: BearerToken.hash("entra"))
    }

    /// The sequence of the newest event, 0 when there is none.
    func lastSequence() async throws -> Int64 {
        try await store.events(after: 0, limit: 1_000_000).last?.sequence ?? 0
    }

    /// The events after `sequence` as `type resourceID` lines, and for team events `type team-slug user-id[ via
    /// group-id]`, oldest first.
    func eventLines(after sequence: Int64) async throws -> [String] {
        try await store.events(after: sequence, limit: 1_000_000).map(Self.line(of:))
    }

    /// One event as a line (see ``eventLines(after:)``).
    static func line(of event: OutboxEvent) -> String {
        guard event.type.hasPrefix("team.member_") else { return "\(event.type) \(event.resourceID ?? "nil")" }
        let team = event.data.objectValue?["team"]?.objectValue?["slug"]?.stringValue ?? "?"
        let user = event.data.objectValue?["user"]?.objectValue?["id"]?.stringValue ?? "?"
        let group = event.data.objectValue?["source"]?.objectValue?["group"]?.objectValue?["id"]?.stringValue
        return "\(event.type) \(team) \(user)" + (group.map { " via \($0)" } ?? "")
    }
}

/// Text that orders differently bytewise (SQLite, `COLLATE "C"`) and by an ICU `en-US` collation: the orders the
/// stores must agree on.
enum Bytewise {
    /// `strings` in the order of their UTF-8 bytes, as SQLite's BINARY collation compares.
    static func sorted(_ strings: [String]) -> [String] {
        strings.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}
