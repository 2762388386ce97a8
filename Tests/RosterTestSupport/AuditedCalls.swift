import RosterCore

/// The actor the tests' own setup changes are recorded as.
public let testActor = AuditActor.commandLine(user: "test")

// The tests set up directories, teams and endpoints through these: the store methods with the audit actor of the
// test setup. Production code has no such overloads and always names its actor.

extension RosterStore {
    /// ``createDirectory(name:provider:tokenHash:by:)`` as the test setup.
    public func createDirectory(name: String, provider: DirectoryProvider, tokenHash: [UInt8]) async throws -> Directory {
        try await createDirectory(name: name, provider: provider, tokenHash: tokenHash, by: testActor)
    }

    /// ``replaceTokenHash(directoryID:tokenHash:by:)`` as the test setup.
    public func replaceTokenHash(directoryID: String, tokenHash: [UInt8]) async throws -> Bool {
        try await replaceTokenHash(directoryID: directoryID, tokenHash: tokenHash, by: testActor)
    }

    /// ``deleteDirectory(id:by:)`` as the test setup.
    public func deleteDirectory(id: String) async throws -> Bool {
        try await deleteDirectory(id: id, by: testActor)
    }
}

extension TeamStore {
    /// ``createTeam(name:slug:by:)`` as the test setup.
    public func createTeam(name: String, slug: String?) async throws -> Team {
        try await createTeam(name: name, slug: slug, by: testActor)
    }

    /// ``renameTeam(_:to:by:)`` as the test setup.
    public func renameTeam(_ reference: String, to name: String) async throws -> Team {
        try await renameTeam(reference, to: name, by: testActor)
    }

    /// ``deleteTeam(_:by:)`` as the test setup.
    public func deleteTeam(_ reference: String) async throws {
        try await deleteTeam(reference, by: testActor)
    }

    /// ``map(team:groupName:directoryID:by:)`` as the test setup.
    @discardableResult
    public func map(team reference: String, groupName: String, directoryID: String?) async throws -> TeamMappingOutcome {
        try await map(team: reference, groupName: groupName, directoryID: directoryID, by: testActor)
    }

    /// ``unmap(team:groupName:directoryID:by:)`` as the test setup.
    public func unmap(team reference: String, groupName: String, directoryID: String?) async throws {
        try await unmap(team: reference, groupName: groupName, directoryID: directoryID, by: testActor)
    }

    /// ``addManualMember(team:directoryID:userID:by:)`` as the test setup.
    @discardableResult
    public func addManualMember(team reference: String, directoryID: String, userID: String) async throws -> Bool {
        try await addManualMember(team: reference, directoryID: directoryID, userID: userID, by: testActor)
    }
}

extension ReadAPIStore {
    /// ``removeManualMember(team:userID:by:)`` as the test setup.
    public func removeManualMember(team reference: String, userID: String) async throws -> Bool {
        try await removeManualMember(team: reference, userID: userID, by: testActor)
    }
}

extension WebhookStore {
    /// ``createWebhookEndpoint(url:eventTypes:secret:by:)`` as the test setup.
    public func createWebhookEndpoint(url: String, eventTypes: [String], secret: String) async throws -> WebhookEndpoint {
        try await createWebhookEndpoint(url: url, eventTypes: eventTypes, secret: secret, by: testActor)
    }

    /// ``updateWebhookEndpoint(id:url:eventTypes:enabled:by:)`` as the test setup.
    public func updateWebhookEndpoint(id: String, url: String, eventTypes: [String], enabled: Bool) async throws -> WebhookEndpoint? {
        try await updateWebhookEndpoint(id: id, url: url, eventTypes: eventTypes, enabled: enabled, by: testActor)
    }

    /// ``rotateWebhookSecret(id:newSecret:previousValidUntil:by:)`` as the test setup.
    public func rotateWebhookSecret(id: String, newSecret: String, previousValidUntil: Int64) async throws -> WebhookEndpoint? {
        try await rotateWebhookSecret(id: id, newSecret: newSecret, previousValidUntil: previousValidUntil, by: testActor)
    }

    /// ``deleteWebhookEndpoint(id:by:)`` as the test setup.
    public func deleteWebhookEndpoint(id: String) async throws -> Bool {
        try await deleteWebhookEndpoint(id: id, by: testActor)
    }

    /// ``redeliverWebhook(endpointID:sequence:at:by:)`` as the test setup.
    public func redeliverWebhook(endpointID: String, sequence: Int64, at: Int64) async throws -> Bool {
        try await redeliverWebhook(endpointID: endpointID, sequence: sequence, at: at, by: testActor)
    }
}

extension APIKeyStore {
    /// ``createAPIKey(name:prefix:tokenHash:by:)`` as the test setup.
    public func createAPIKey(name: String, prefix: String, tokenHash: [UInt8]) async throws -> APIKey {
        try await createAPIKey(name: name, prefix: prefix, tokenHash: tokenHash, by: testActor)
    }

    /// ``revokeAPIKey(id:by:)`` as the test setup.
    public func revokeAPIKey(id: String) async throws -> Bool {
        try await revokeAPIKey(id: id, by: testActor)
    }
}

extension AdminSessionStore {
    /// ``createLoginLink(tokenHash:email:createdAt:expiresAt:by:)`` as the test setup.
    public func createLoginLink(tokenHash: [UInt8], email: String, createdAt: Int64, expiresAt: Int64) async throws {
        try await createLoginLink(tokenHash: tokenHash, email: email, createdAt: createdAt, expiresAt: expiresAt, by: testActor)
    }

    /// ``createSession(_:address:)`` from no address, as the test setup.
    public func createSession(_ session: AdminSession) async throws {
        try await createSession(session, address: nil)
    }

    /// ``deleteSession(tokenHash:address:)`` from no address, as the test setup.
    public func deleteSession(tokenHash: [UInt8]) async throws {
        try await deleteSession(tokenHash: tokenHash, address: nil)
    }
}

extension AdminAccess {
    /// ``issueLoginLink(for:baseURL:by:)`` as the test setup.
    public func issueLoginLink(for email: String, baseURL: String) async throws(AdminAccessError) -> String {
        try await issueLoginLink(for: email, baseURL: baseURL, by: testActor)
    }

    /// ``signIn(withLinkToken:address:)`` from no address, as the test setup.
    public func signIn(withLinkToken token: String) async throws -> StartedSession? {
        try await signIn(withLinkToken: token, address: nil)
    }

    /// ``startSession(email:method:address:)`` from no address, as the test setup.
    public func startSession(email: String, method: SignInMethod) async throws -> StartedSession {
        try await startSession(email: email, method: method, address: nil)
    }

    /// ``signOut(token:address:)`` from no address, as the test setup.
    public func signOut(token: String) async throws {
        try await signOut(token: token, address: nil)
    }
}
