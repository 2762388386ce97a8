import Foundation
import GRDB
import PostgresNIO
import RosterCore
import RosterTestSupport
import Testing

@testable import RosterPostgres
@testable import RosterSQLite

/// The actors of the audit cases: an admin in a browser, the command line, and a read-API key.
enum AuditCaseActors {
    /// An admin signed in from an address.
    static let admin = AuditActor.admin(email: "ada@example.com", address: "203.0.113.7")
    /// `roster` run by root (named `cli`, as the tests' own setup is: filter on it only after a mark).
    static let commandLine = AuditActor.commandLine(user: "root")
    /// A read-API key.
    static let apiKey = AuditActor.apiKey(id: "key-1", name: "Provisioning bot", address: "198.51.100.2")
}

/// The audit trail (``AuditStore``, and the entries the other stores' changes write in their transactions) through
/// the protocols, on every store whose clock is `clock`.
extension StoreCase {
    /// The newest entry's id, 0 when there is none: a mark to read what follows (the case's own directory has an
    /// entry already).
    func auditMark() async throws -> Int64 {
        try await store.auditEntries(AuditQuery(limit: 1)).first?.id ?? 0
    }

    /// The entries recorded after `mark`, oldest first.
    func audited(after mark: Int64) async throws -> [RecordedAuditEntry] {
        try await store.auditEntries(AuditQuery(cursor: .after(mark), limit: 10_000))
    }

    /// An entry that names `name`, for cases about reading the trail rather than what writes it.
    func probeEntry(_ name: String, by actor: AuditActor = AuditCaseActors.admin) -> AuditEntry {
        AuditEntry(actor: actor, action: .signInFailed, target: AuditTarget(kind: "session", id: "", name: name), after: ["reason": "probe"])
    }

    /// A directory's creation, token rotation and deletion each write one entry at the store's time, with the actor
    /// that made them and the values they changed; a rotation or deletion of a missing directory writes none.
    func directoryChangesAreAuditedOnceEach(clock: TestClock) async throws {
        let (admin, cli) = (AuditCaseActors.admin, AuditCaseActors.commandLine)
        let mark = try await auditMark()
        let start = clock.now
        let entra = try await store.createDirectory(name: "Entra", provider: .azure, tokenHash: BearerToken.hash("entra-1"), by: cli)
        clock.advance(by: 1_000)
        #expect(try await store.replaceTokenHash(directoryID: entra.id, tokenHash: BearerToken.hash("entra-2"), by: admin))
        #expect(try await store.replaceTokenHash(directoryID: "no-such-directory", tokenHash: BearerToken.hash("x"), by: admin) == false)
        clock.advance(by: 1_000)
        #expect(try await store.deleteDirectory(id: entra.id, by: admin))
        #expect(try await store.deleteDirectory(id: entra.id, by: admin) == false)
        #expect(try await store.replaceTokenHash(directoryID: entra.id, tokenHash: BearerToken.hash("entra-3"), by: admin) == false)

        let target = AuditTarget(kind: "directory", id: entra.id, name: "Entra")
        let recorded = try await audited(after: mark)
        #expect(
            recorded.map(\.entry) == [
                AuditEntry(actor: cli, action: .directoryCreated, target: target, after: ["name": "Entra", "provider": "azure", "token": "issued"]),
                AuditEntry(actor: admin, action: .directoryTokenRotated, target: target, after: ["token": "rotated"]),
                AuditEntry(actor: admin, action: .directoryDeleted, target: target, before: ["name": "Entra", "provider": "azure"]),
            ]
        )
        #expect(recorded.map(\.at) == [start, start + 1_000, start + 2_000])
    }

    /// A team's creation, rename, mappings, manual members and deletion each write one entry with the team's name
    /// at the time and the values changed; a change that changes nothing or fails writes none.
    func teamChangesAreAuditedOnceEach() async throws {
        let (admin, cli, key) = (AuditCaseActors.admin, AuditCaseActors.commandLine, AuditCaseActors.apiKey)
        let alice = try await createUser("alice@x.com")
        let mark = try await auditMark()
        let team = try await store.createTeam(name: "Platform", slug: nil, by: admin)
        _ = try await store.renameTeam("platform", to: " Core ", by: admin)
        _ = try await store.renameTeam("platform", to: "Core", by: admin)
        await #expect(throws: TeamError.self) { try await store.renameTeam("nope", to: "X", by: admin) }
        _ = try await store.map(team: "platform", groupName: "Eng", directoryID: directory.id, by: admin)
        #expect(try await store.map(team: "platform", groupName: "Eng", directoryID: directory.id, by: admin).alreadyMapped)
        try await store.unmap(team: "platform", groupName: "Eng", directoryID: directory.id, by: admin)
        await #expect(throws: TeamError.self) { try await store.unmap(team: "platform", groupName: "Eng", directoryID: directory.id, by: admin) }
        _ = try await store.map(team: "platform", groupName: "Ops", directoryID: nil, by: cli)
        #expect(try await store.addManualMember(team: "platform", directoryID: directory.id, userID: alice.id, by: key))
        #expect(try await store.addManualMember(team: "platform", directoryID: directory.id, userID: alice.id, by: key) == false)
        #expect(try await store.removeManualMember(team: "platform", userID: alice.id, by: key))
        #expect(try await store.removeManualMember(team: "platform", userID: alice.id, by: key) == false)
        #expect(try await store.removeManualMember(team: "no-such-team", userID: alice.id, by: key) == false)
        try await store.deleteTeam("platform", by: cli)
        await #expect(throws: TeamError.self) { try await store.deleteTeam("platform", by: cli) }

        let created = AuditTarget(kind: "team", id: team.id, name: "Platform")
        let core = AuditTarget(kind: "team", id: team.id, name: "Core")
        let expected = [
            AuditEntry(actor: admin, action: .teamCreated, target: created, after: ["name": "Platform", "slug": "platform"]),
            AuditEntry(actor: admin, action: .teamRenamed, target: core, before: ["name": "Platform"], after: ["name": "Core"]),
            AuditEntry(actor: admin, action: .groupMapped, target: core, after: ["group_name": "Eng", "directory": directory.id]),
            AuditEntry(actor: admin, action: .groupUnmapped, target: core, before: ["group_name": "Eng", "directory": directory.id]),
            AuditEntry(actor: cli, action: .groupMapped, target: core, after: ["group_name": "Ops", "directory": "every directory"]),
            AuditEntry(
                actor: key,
                action: .memberAdded,
                target: core,
                after: ["user_id": alice.id, "user_name": "alice@x.com", "directory": directory.id]
            ),
            AuditEntry(actor: key, action: .memberRemoved, target: core, before: ["user_id": alice.id, "user_name": "alice@x.com"]),
            AuditEntry(actor: cli, action: .teamDeleted, target: core, before: ["name": "Core", "slug": "platform"]),
        ]
        #expect(try await audited(after: mark).map(\.entry) == expected)
    }

    /// A webhook endpoint's creation, change, secret rotation, redelivery and deletion each write one entry (the
    /// secret only as issued or rotated, a change only with the values that changed); an update that changes
    /// nothing, and any change of a missing endpoint or event, writes none.
    func webhookChangesAreAuditedOnceEach(clock: TestClock) async throws {
        let (admin, cli) = (AuditCaseActors.admin, AuditCaseActors.commandLine)
        let (first, second) = ("https://hooks.example/roster", "https://hooks.example/v2")
        let mark = try await auditMark()
        let endpoint = try await store.createWebhookEndpoint(url: first, eventTypes: ["user.created"], secret: "whsec_first", by: admin)
        _ = try await store.updateWebhookEndpoint(id: endpoint.id, url: second, eventTypes: ["user.created"], enabled: false, by: admin)
        _ = try await store.updateWebhookEndpoint(id: endpoint.id, url: second, eventTypes: ["user.created"], enabled: false, by: admin)
        #expect(try await store.updateWebhookEndpoint(id: "no-such-endpoint", url: second, eventTypes: [], enabled: true, by: admin) == nil)
        _ = try await store.rotateWebhookSecret(id: endpoint.id, newSecret: "whsec_second", previousValidUntil: clock.now + 60_000, by: admin)
        #expect(try await store.rotateWebhookSecret(id: "no-such-endpoint", newSecret: "whsec_x", previousValidUntil: 0, by: admin) == nil)
        try await createUser("bob@x.com")
        let sequence = try await lastSequence()
        #expect(try await store.redeliverWebhook(endpointID: endpoint.id, sequence: sequence, at: clock.now, by: cli))
        #expect(try await store.redeliverWebhook(endpointID: endpoint.id, sequence: sequence + 1_000, at: clock.now, by: cli) == false)
        #expect(try await store.deleteWebhookEndpoint(id: endpoint.id, by: cli))
        #expect(try await store.deleteWebhookEndpoint(id: endpoint.id, by: cli) == false)
        #expect(try await store.redeliverWebhook(endpointID: endpoint.id, sequence: sequence, at: clock.now, by: cli) == false)

        let created = AuditTarget(kind: "webhook", id: endpoint.id, name: first)
        let moved = AuditTarget(kind: "webhook", id: endpoint.id, name: second)
        let expected = [
            AuditEntry(
                actor: admin,
                action: .webhookCreated,
                target: created,
                after: ["url": first, "event_types": "user.created", "enabled": "yes", "secret": "issued"]
            ),
            AuditEntry(
                actor: admin,
                action: .webhookChanged,
                target: moved,
                before: ["url": first, "enabled": "yes"],
                after: ["url": second, "enabled": "no"]
            ),
            AuditEntry(actor: admin, action: .webhookSecretRotated, target: moved, after: ["secret": "rotated"]),
            AuditEntry(actor: cli, action: .webhookRedelivered, target: moved, after: ["event_sequence": String(sequence)]),
            AuditEntry(actor: cli, action: .webhookDeleted, target: moved, before: ["url": second, "event_types": "user.created", "enabled": "no"]),
        ]
        #expect(try await audited(after: mark).map(\.entry) == expected)
    }

    /// An API key's creation and revocation, a sign-in and a sign-out each write one entry; a second revocation, an
    /// unknown key, a sign-out of an ended session and a session dropped as expired write none; ``AuditStore/recordAudit(_:)``
    /// appends a refused sign-in as given.
    func keyAndSessionChangesAreAuditedOnceEach(clock: TestClock) async throws {
        let admin = AuditCaseActors.admin
        let mark = try await auditMark()
        let key = try await store.createAPIKey(name: "CI", prefix: "rst_aaaa", tokenHash: BearerToken.hash("k1"), by: admin)
        #expect(try await store.revokeAPIKey(id: key.id, by: admin))
        #expect(try await store.revokeAPIKey(id: key.id, by: admin) == false)
        #expect(try await store.revokeAPIKey(id: "no-such-key", by: admin) == false)
        let operations = AuditActor.commandLine(user: "ops")
        try await store.createLoginLink(
            tokenHash: BearerToken.hash("l1"),
            email: "ada@example.com",
            createdAt: clock.now,
            expiresAt: clock.now + 900_000,
            by: operations
        )
        let session = adminSession("Ada@Example.com", at: clock.now, token: "s1")
        try await store.createSession(session, address: "203.0.113.7")
        try await store.deleteSession(tokenHash: session.tokenHash, address: "203.0.113.8")
        try await store.deleteSession(tokenHash: session.tokenHash, address: "203.0.113.8")
        let lapsed = adminSession("grace@example.com", at: clock.now, token: "s2")
        try await store.createSession(lapsed, address: nil)
        #expect(try await store.session(tokenHash: lapsed.tokenHash, at: lapsed.expiresAt, idleTimeout: .max) == nil, "expired")
        try await store.recordAudit(.signInFailed(email: nil, method: .oidc, reason: "not_admin", address: "198.51.100.9"))

        let keyTarget = AuditTarget(kind: "api_key", id: key.id, name: "CI")
        let expected = [
            AuditEntry(actor: admin, action: .apiKeyCreated, target: keyTarget, after: ["name": "CI", "key": "issued"]),
            AuditEntry(actor: admin, action: .apiKeyRevoked, target: keyTarget, before: ["name": "CI"]),
            AuditEntry(
                actor: operations,
                action: .signInLinkIssued,
                target: AuditTarget(kind: "session", id: "", name: "ada@example.com"),
                after: ["link": "issued"]
            ),
            AuditEntry(
                actor: .admin(email: "Ada@Example.com", address: "203.0.113.7"),
                action: .signedIn,
                target: AuditTarget(kind: "session", id: "", name: "Ada@Example.com"),
                after: ["method": "login-link"]
            ),
            AuditEntry(
                actor: .admin(email: "Ada@Example.com", address: "203.0.113.8"),
                action: .signedOut,
                target: AuditTarget(kind: "session", id: "", name: "Ada@Example.com")
            ),
            AuditEntry(
                actor: .admin(email: "grace@example.com", address: nil),
                action: .signedIn,
                target: AuditTarget(kind: "session", id: "", name: "grace@example.com"),
                after: ["method": "login-link"]
            ),
            AuditEntry(
                actor: .admin(email: "unknown", address: "198.51.100.9"),
                action: .signInFailed,
                target: AuditTarget(kind: "session", id: "", name: "unknown"),
                after: ["method": "oidc", "reason": "not_admin"]
            ),
        ]
        let recorded = try await audited(after: mark)
        #expect(recorded.map(\.entry) == expected)
        #expect(recorded.allSatisfy { $0.at == clock.now })
    }

    /// Each filter matches exactly (the target by id or by name), filters combine, newest-first pages walk back with
    /// `.before`, and `.after` reads oldest first.
    func auditEntriesAreFilteredAndPagedByKeyset(clock: TestClock) async throws {
        let mark = try await auditMark()
        let ada = AuditActor.admin(email: "ada@example.com", address: nil)
        let bob = AuditActor.admin(email: "bob@example.com", address: nil)
        let entries = [
            AuditEntry(actor: ada, action: .teamCreated, target: AuditTarget(kind: "team", id: "t1", name: "Platform")),
            AuditEntry(actor: bob, action: .teamRenamed, target: AuditTarget(kind: "team", id: "t1", name: "Core")),
            AuditEntry(actor: bob, action: .directoryDeleted, target: AuditTarget(kind: "directory", id: "d1", name: "Platform")),
            AuditEntry(actor: ada, action: .apiKeyCreated, target: AuditTarget(kind: "api_key", id: "k1", name: "CI"), after: ["key": "issued"]),
            AuditEntry(actor: AuditCaseActors.apiKey, action: .memberAdded, target: AuditTarget(kind: "team", id: "t2", name: "Ops")),
        ]
        let start = clock.now
        for entry in entries {
            try await store.recordAudit(entry)
            clock.advance(by: 1_000)
        }
        let all = try await audited(after: mark)
        #expect(all.map(\.entry) == entries)
        #expect(all.map(\.at) == (0..<5).map { start + Int64($0) * 1_000 })
        let ids = all.map(\.id)
        #expect(ids == ids.sorted() && Set(ids).count == 5 && (ids.first ?? 0) > mark)

        func read(_ query: AuditQuery) async throws -> [Int64] { try await store.auditEntries(query).map(\.id) }
        #expect(try await read(AuditQuery(limit: 2)) == [ids[4], ids[3]], "newest first")
        #expect(try await read(AuditQuery(cursor: .before(ids[3]), limit: 2)) == [ids[2], ids[1]])
        #expect(try await read(AuditQuery(cursor: .after(ids[1]), limit: 2)) == [ids[2], ids[3]], "oldest first")
        #expect(try await read(AuditQuery(cursor: .after(ids[4]), limit: 2)).isEmpty)
        #expect(try await read(AuditQuery(limit: 0)).isEmpty)

        #expect(try await read(AuditQuery(actor: "ada@example.com")) == [ids[3], ids[0]])
        #expect(try await read(AuditQuery(actor: "ADA@example.com")).isEmpty, "exact")
        #expect(try await read(AuditQuery(actor: "Provisioning bot")) == [ids[4]])
        #expect(try await read(AuditQuery(action: .teamRenamed)) == [ids[1]])
        #expect(try await read(AuditQuery(targetKind: "team")) == [ids[4], ids[1], ids[0]])
        #expect(try await read(AuditQuery(target: "t1")) == [ids[1], ids[0]], "by id")
        #expect(try await read(AuditQuery(target: "Platform")) == [ids[2], ids[0]], "by name, of any kind")
        #expect(try await read(AuditQuery(target: "platform")).isEmpty, "exact")
        #expect(try await read(AuditQuery(targetKind: "team", target: "Platform")) == [ids[0]])
        #expect(try await read(AuditQuery(actor: "ada@example.com", action: .apiKeyCreated)) == [ids[3]])
        #expect(try await read(AuditQuery(actor: "bob@example.com", cursor: .after(mark))) == [ids[1], ids[2]])
        #expect(try await read(AuditQuery(actor: "bob@example.com", cursor: .before(ids[2]))) == [ids[1]])

        var walked: [Int64] = []
        var cursor = AuditQuery.Cursor.newest
        while true {
            let page = try await read(AuditQuery(cursor: cursor, limit: 2)).filter { $0 > mark }
            walked += page
            guard page.count == 2, let last = page.last else { break }
            cursor = .before(last)
        }
        #expect(walked == Array(ids.reversed()), "pages walk back without gaps or repeats")
    }

    /// The retention deletes exactly the entries recorded before the cutoff (one at the cutoff stays) and says how
    /// many; ids are never handed out again after a delete.
    func retentionDeletesOnlyEntriesBeforeTheCutoff(clock: TestClock) async throws {
        let cutoff = clock.now + 86_400_000
        clock.set(cutoff - 1)
        try await store.recordAudit(probeEntry("old"))
        clock.set(cutoff)
        try await store.recordAudit(probeEntry("edge"))
        clock.set(cutoff + 1)
        try await store.recordAudit(probeEntry("new"))
        let everything = try await audited(after: 0)
        let past = everything.filter { $0.at < cutoff }.count
        #expect(past >= 2, "the case's directory and the old probe")

        #expect(try await store.deleteAuditEntries(recordedBefore: cutoff) == past)
        let kept = try await audited(after: 0)
        #expect(kept.map(\.entry.target.name) == ["edge", "new"])
        #expect(kept.map(\.at) == [cutoff, cutoff + 1])
        #expect(try await store.deleteAuditEntries(recordedBefore: cutoff) == 0)

        let newest = try #require(kept.last?.id)
        #expect(try await store.deleteAuditEntries(recordedBefore: .max) == 2)
        try await store.recordAudit(probeEntry("later"))
        let later = try #require(try await audited(after: 0).first)
        #expect(later.entry.target.name == "later")
        #expect(later.id > newest, "an id is never reused")
    }

    /// A change that fails after its first write leaves neither the change nor an entry: a mapping whose back-fill
    /// is refused after the mapping row was inserted, and changes whose audit insert is refused.
    func aFailedChangeWritesNoEntry() async throws {
        let admin = AuditCaseActors.admin
        let a = try await createUser("a@x.com")
        _ = try await createGroup("Eng", members: [a.id])
        let team = try await store.createTeam(name: "Platform", slug: nil, by: admin)
        let mark = try await auditMark()
        let eventMark = try await lastSequence()

        try await refuseInserts(into: "team_membership")
        await #expect(throws: (any Error).self) { try await store.map(team: "platform", groupName: "Eng", directoryID: nil, by: admin) }
        #expect(try await store.mappings(team: nil).isEmpty, "the mapping row inserted before the failure is rolled back")
        #expect(try await store.teamMembers("platform").isEmpty)
        #expect(try await audited(after: mark).isEmpty)
        #expect(try await store.events(after: eventMark, limit: 10).isEmpty)
        try await allowInserts(into: "team_membership")

        try await refuseInserts(into: "audit_entry")
        await #expect(throws: (any Error).self) { try await store.map(team: "platform", groupName: "Eng", directoryID: nil, by: admin) }
        await #expect(throws: (any Error).self) { try await store.renameTeam("platform", to: "Core", by: admin) }
        await #expect(throws: (any Error).self) { try await store.createTeam(name: "Ops", slug: nil, by: admin) }
        #expect(try await store.mappings(team: nil).isEmpty)
        #expect(try await store.teamMembers("platform").isEmpty)
        #expect(try await store.teams() == [team], "the rename and the creation are rolled back with their entries")
        #expect(try await store.events(after: eventMark, limit: 10).isEmpty)
        try await allowInserts(into: "audit_entry")

        #expect(try await audited(after: mark).isEmpty)
        _ = try await store.map(team: "platform", groupName: "Eng", directoryID: nil, by: admin)
        #expect(try await store.teamMembers("platform").map(\.userID) == [a.id], "the same change succeeds once allowed")
        #expect(try await audited(after: mark).map(\.entry.action) == [.groupMapped])
    }

    /// No entry holds a secret: the SCIM tokens, the API key and the webhook signing secrets the case makes (nor
    /// the token hashes) appear nowhere in any entry, in any of its values.
    func noSecretAppearsInAnyEntry() async throws {
        let admin = AuditCaseActors.admin
        let unique = UUID().uuidString.lowercased()
        let (scimToken, rotatedToken, apiKeyToken) = ("scim-\(unique)", "scim-rotated-\(unique)", "rst_\(unique)")
        let (firstSecret, secondSecret) = ("whsec-\(unique)", "whsec-rotated-\(unique)")
        let linkToken = "link-\(unique)"
        let mark = try await auditMark()

        let secretive = try await store.createDirectory(
            name: "Secretive",
            provider: .generic,
            tokenHash: BearerToken.hash(scimToken),
            by: admin
        )
        #expect(try await store.replaceTokenHash(directoryID: secretive.id, tokenHash: BearerToken.hash(rotatedToken), by: admin))
        let key = try await store.createAPIKey(
            name: "CI",
            prefix: String(apiKeyToken.prefix(8)),
            tokenHash: BearerToken.hash(apiKeyToken),
            by: admin
        )
        #expect(try await store.revokeAPIKey(id: key.id, by: admin))
        try await store.createLoginLink(tokenHash: BearerToken.hash(linkToken), email: "ada@example.com", createdAt: 1, expiresAt: 2, by: admin)
        let endpoint = try await store.createWebhookEndpoint(url: "https://hooks.example/secret", eventTypes: [], secret: firstSecret, by: admin)
        _ = try await store.rotateWebhookSecret(id: endpoint.id, newSecret: secondSecret, previousValidUntil: 0, by: admin)
        _ = try await store.updateWebhookEndpoint(
            id: endpoint.id,
            url: "https://hooks.example/other",
            eventTypes: ["user.created"],
            enabled: false,
            by: admin
        )
        #expect(try await store.deleteWebhookEndpoint(id: endpoint.id, by: admin))
        #expect(try await store.deleteDirectory(id: secretive.id, by: admin))

        let entries = try await audited(after: mark)
        #expect(
            entries.map(\.entry.action) == [
                .directoryCreated, .directoryTokenRotated, .apiKeyCreated, .apiKeyRevoked, .signInLinkIssued, .webhookCreated,
                .webhookSecretRotated, .webhookChanged, .webhookDeleted, .directoryDeleted,
            ]
        )
        let hashes = [scimToken, rotatedToken, apiKeyToken, linkToken].map(BearerToken.hash)
        let secrets =
            [scimToken, rotatedToken, apiKeyToken, linkToken, firstSecret, secondSecret, unique]
            + hashes.map { $0.map { String(format: "%02x", $0) }.joined() }
            + hashes.map { Data($0).base64EncodedString() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for recorded in try await audited(after: 0) {
            let text = String(decoding: try encoder.encode(recorded), as: UTF8.self)
            for secret in secrets {
                #expect(!text.contains(secret), "entry \(recorded.id) holds a secret: \(text)")
            }
        }
    }

    // MARK: Forcing failures

    /// Makes every insert into `table` fail, with a trigger in the store's own dialect.
    func refuseInserts(into table: String) async throws {
        try await executeRaw(
            sqlite: ["CREATE TRIGGER refuse_\(table) BEFORE INSERT ON \(table) BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"],
            postgres: [
                """
                CREATE OR REPLACE FUNCTION roster_test_refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'refused by the test'; END $$
                """,
                "CREATE TRIGGER refuse_\(table) BEFORE INSERT ON \(table) FOR EACH ROW EXECUTE FUNCTION roster_test_refuse_insert()",
            ]
        )
    }

    /// Removes the trigger of ``refuseInserts(into:)``.
    func allowInserts(into table: String) async throws {
        try await executeRaw(sqlite: ["DROP TRIGGER refuse_\(table)"], postgres: ["DROP TRIGGER refuse_\(table) ON \(table)"])
    }

    /// Runs `sqlite` or `postgres`, whichever is the store's dialect, one statement at a time in one transaction.
    func executeRaw(sqlite: [String], postgres: [String]) async throws {
        switch store {
        case let store as SQLiteStore:
            try await store.writer.write { db in
                for statement in sqlite { try db.execute(sql: statement) }
            }
        case let store as PostgresStore:
            try await store.write { transaction in
                for statement in postgres { try await transaction.execute(PostgresQuery(unsafeSQL: statement)) }
            }
        default:
            Issue.record("no raw SQL for a \(type(of: store))")
        }
    }
}

/// The store suite's audit cases on each store, with a settable clock; and what only SQLite's schema can show.
@Suite("Store suite: audit trail")
struct AuditTrailStoreTests {
    @Test(arguments: StoreKind.available) func directoryChangesAreAuditedOnceEach(_ kind: StoreKind) async throws {
        let clock = TestClock()
        try await kind.withStore(now: { clock.now }) { try await StoreCase(store: $0).directoryChangesAreAuditedOnceEach(clock: clock) }
    }

    @Test(arguments: StoreKind.available) func teamChangesAreAuditedOnceEach(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).teamChangesAreAuditedOnceEach() }
    }

    @Test(arguments: StoreKind.available) func webhookChangesAreAuditedOnceEach(_ kind: StoreKind) async throws {
        let clock = TestClock()
        try await kind.withStore(now: { clock.now }) { try await StoreCase(store: $0).webhookChangesAreAuditedOnceEach(clock: clock) }
    }

    @Test(arguments: StoreKind.available) func keyAndSessionChangesAreAuditedOnceEach(_ kind: StoreKind) async throws {
        let clock = TestClock()
        try await kind.withStore(now: { clock.now }) { try await StoreCase(store: $0).keyAndSessionChangesAreAuditedOnceEach(clock: clock) }
    }

    @Test(arguments: StoreKind.available) func auditEntriesAreFilteredAndPagedByKeyset(_ kind: StoreKind) async throws {
        let clock = TestClock()
        try await kind.withStore(now: { clock.now }) { try await StoreCase(store: $0).auditEntriesAreFilteredAndPagedByKeyset(clock: clock) }
    }

    @Test(arguments: StoreKind.available) func retentionDeletesOnlyEntriesBeforeTheCutoff(_ kind: StoreKind) async throws {
        let clock = TestClock()
        try await kind.withStore(now: { clock.now }) { try await StoreCase(store: $0).retentionDeletesOnlyEntriesBeforeTheCutoff(clock: clock) }
    }

    @Test(arguments: StoreKind.available) func aFailedChangeWritesNoEntry(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).aFailedChangeWritesNoEntry() }
    }

    @Test(arguments: StoreKind.available) func noSecretAppearsInAnyEntry(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).noSecretAppearsInAnyEntry() }
    }

    /// SQLite refuses to change a stored entry (the append-only trigger), leaves it as it was, and still lets the
    /// retention delete it; the table's ids are AUTOINCREMENT.
    @Test func sqliteRefusesToChangeAnAuditEntry() async throws {
        let store = try SQLiteStore.inMemory()
        _ = try await store.createTeam(name: "Platform", slug: nil, by: AuditCaseActors.admin)
        let stored = try await store.auditEntries(AuditQuery(limit: 10))
        #expect(stored.count == 1)
        let error = await #expect(throws: DatabaseError.self) {
            try await store.writer.write { db in try db.execute(sql: "UPDATE audit_entry SET actor = 'mallory@example.com'") }
        }
        #expect(error?.message?.contains("append-only") == true)
        let id = try #require(stored.first?.id)
        await #expect(throws: DatabaseError.self) {
            try await store.writer.write { db in try db.execute(sql: "UPDATE audit_entry SET after = NULL WHERE id = ?", arguments: [id]) }
        }
        #expect(try await store.auditEntries(AuditQuery(limit: 10)) == stored)
        let autoincrement = try await store.writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT sql LIKE '%AUTOINCREMENT%' FROM sqlite_master WHERE type = 'table' AND name = 'audit_entry'")
        }
        #expect(autoincrement == true)
        #expect(try await store.deleteAuditEntries(recordedBefore: .max) == 1)
        #expect(try await store.auditEntries(AuditQuery(limit: 10)).isEmpty)
    }
}
