import PostgresNIO
import RosterCore
import SCIM

extension PostgresStore {
    /// Creates a user or group; a group's listed members are added in the same transaction. A concurrent create
    /// with the same `userName` or `displayName` loses on the unique index: 409 `uniqueness`.
    public func create(_ kind: ResourceKind, directoryID: String, input: NormalizedResource) async throws -> StoredResource {
        let timestamp = now()
        let attributes = input.createdAttributes(kind)
        let new = NewResourceRow(
            id: PostgresStore.newID(),
            directoryID: directoryID,
            timestamp: timestamp,
            attributes: attributes,
            document: ResourceDocument.serialize(attributes, kind: kind)
        )
        switch kind {
        case .user: return try await createUser(new)
        case .group: return try await createGroup(new, members: input.members)
        }
    }

    /// Creates a group and adds its listed members, in one transaction.
    private func createGroup(_ new: NewResourceRow, members: [GroupMember]?) async throws -> StoredResource {
        let (id, directoryID, timestamp, document) = (new.id, new.directoryID, new.timestamp, new.document)
        return try await write { transaction in
            let columns = IndexedColumns.group(new.attributes)
            // Decided together with mappings of the name: see ``lockGroupName(_:_:)``.
            try await PostgresStore.lockGroupName(transaction, columns.displayName)
            let inserted = try await PostgresStore.uniquely(.of(.group), columns) {
                try await transaction.first(
                    """
                    INSERT INTO scim_group (id, directory_id, display_name, display_name_key, external_id, created_at, modified_at, version, document)
                    VALUES (\(id), \(directoryID), \(columns.displayName), \(columns.displayNameKey ?? ""), \(columns.externalID), \(timestamp),
                        \(timestamp), 1, \(document))
                    RETURNING row_id
                    """
                )
            }
            guard let rowID = try inserted?.decode(Int64.self) else { throw StoreCorruption(detail: "an insert returned no row id") }
            let row = new.inserted(rowID: rowID)
            transaction.append(.created(.group, directoryID: directoryID, id: id, document: document), at: timestamp)
            if let members, !members.isEmpty {
                let group = row.groupRef(displayName: columns.displayName)
                _ = try await PostgresMembershipWriter(transaction: transaction, group: group, at: timestamp).apply([.add(members)])
            }
            return row.stored(.group, derived: try await transaction.derived(.group, rowID: rowID))
        }
    }

    /// Creates a user in one statement, committed on its own: the user's row, its email index rows and its
    /// `user.created` event are data-modifying parts of one `WITH`, so the create costs one round trip and no
    /// `BEGIN`/`COMMIT` (PostgreSQL runs a lone statement as a transaction and commits it before answering). The
    /// event insert takes the feed lock as in ``PostgresTransaction/commit()``, and the statement is prepared
    /// (``PostgresWriteStatements/CreateUser``).
    private func createUser(_ new: NewResourceRow) async throws -> StoredResource {
        let columns = IndexedColumns.user(new.attributes)
        let statement = PostgresWriteStatements.CreateUser(
            id: new.id,
            directoryID: new.directoryID,
            columns: columns,
            at: new.timestamp,
            document: new.document,
            event: .created(.user, directoryID: new.directoryID, id: new.id, document: new.document),
            lockKey: PostgresStore.feedLockKey(ordered: ordersEvents)
        )
        let rowID = try await read(onConnectionLoop: true) { reader in
            try await PostgresStore.uniquely(.of(.user), columns) { try await reader.rows(statement).first }
        }
        guard let rowID else { throw StoreCorruption(detail: "an insert returned no row id") }
        return new.inserted(rowID: rowID).stored(.user)
    }

    /// The resource with `id`, or a 404.
    public func resource(_ kind: ResourceKind, directoryID: String, id: String, includeDerived: Bool) async throws -> StoredResource {
        try await readResource(kind, directoryID: directoryID, id: id, includeDerived: includeDerived, forResponse: false)
    }

    /// The resource with `id` for a response (its document unparsed), or a 404; a user with its groups in one
    /// statement (``PostgresUserResponseRead``).
    public func resourceForResponse(_ kind: ResourceKind, directoryID: String, id: String, includeDerived: Bool) async throws -> StoredResource {
        guard kind == .user, includeDerived else {
            return try await readResource(kind, directoryID: directoryID, id: id, includeDerived: includeDerived, forResponse: true)
        }
        let user = try await read { reader in
            try await reader.rows(PostgresUserResponseRead.ByID(key: id, directoryID: directoryID)).first
        }
        guard let user else { throw SCIMError.notFound("User \"\(id)\" not found") }
        return user
    }

    private func readResource(
        _ kind: ResourceKind,
        directoryID: String,
        id: String,
        includeDerived: Bool,
        forResponse: Bool
    ) async throws -> StoredResource {
        try await read { reader in
            let row = try await PostgresStore.fetchRow(
                reader,
                .of(kind),
                directoryID: directoryID,
                id: id,
                forUpdate: false,
                forResponse: forResponse
            )
            return row.stored(kind, derived: includeDerived ? try await reader.derived(kind, rowID: row.rowID) : JSONObject())
        }
    }

    /// Deletes a resource; a deleted user leaves every group (the membership rows cascade).
    public func delete(_ kind: ResourceKind, directoryID: String, id: String, precondition: VersionPrecondition?) async throws {
        let timestamp = now()
        try await write { transaction in
            let table = ResourceTable.of(kind)
            let row = try await PostgresStore.fetchRow(transaction, table, directoryID: directoryID, id: id, forUpdate: true)
            try row.check(precondition)
            let teams = PostgresTeamSync(transaction: transaction, at: timestamp)
            switch kind {
            case .group:
                let name = IndexedColumns.group(row.attributes).displayName
                try await teams.groupDeleting(row.groupRef(displayName: name))
            case .user:
                try await teams.userDeleting(userRow: row.rowID)
                let user = UserIdentity(id: row.id, userName: IndexedColumns.user(row.attributes).userName)
                for group in try await transaction.rows(
                    """
                    SELECT g.id, g.display_name FROM group_member m JOIN scim_group g ON g.row_id = m.group_row
                    WHERE m.user_row = \(row.rowID) ORDER BY g.row_id
                    """
                ) {
                    let (groupID, name) = try group.decode((String, String).self)
                    transaction.append(
                        .groupMember(.removed, group: GroupIdentity(id: groupID, directoryID: directoryID, displayName: name), user: user),
                        at: timestamp
                    )
                }
            }
            try await transaction.execute(
                PostgresQuery(unsafeSQL: "DELETE FROM \(table.name) WHERE row_id = $1", binds: try PostgresBindings.of(row.rowID))
            )
            transaction.append(.deleted(kind, directoryID: directoryID, id: id, attributes: row.attributes), at: timestamp)
        }
    }

    /// Locks a row, decides its change (``ResourceChange``: the request applied with `apply`, the one step that
    /// calls into the protocol core), and writes it back, all in one transaction. Nothing is written and
    /// `meta.lastModified` stays when nothing really changed. The row lock (`FOR NO KEY UPDATE`) makes concurrent
    /// PATCHes of one resource apply one after the other: no update is lost. PUT and PATCH come here
    /// (``ResourceModifying``).
    public func modify(
        _ kind: ResourceKind,
        directoryID: String,
        id: String,
        precondition: VersionPrecondition?,
        includeDerived: Bool,
        apply: @escaping @Sendable (ResourceRecord) throws -> PatchResult
    ) async throws -> StoredResource {
        let timestamp = now()
        return try await write { transaction in
            let table = ResourceTable.of(kind)
            var row = try await PostgresStore.fetchRow(transaction, table, directoryID: directoryID, id: id, forUpdate: true)
            try row.check(precondition)
            let change = try ResourceChange(kind, row: row, apply: apply)
            var membersChanged = false
            let oldName = IndexedColumns.group(row.attributes).displayName
            if kind == .group, let stored = change.stored, stored.columns.displayName != oldName {
                try await PostgresStore.lockGroupName(transaction, stored.columns.displayName)
            }
            if kind == .group, !change.result.membershipChanges.isEmpty {
                let name = change.stored?.columns.displayName ?? oldName
                let writer = PostgresMembershipWriter(transaction: transaction, group: row.groupRef(displayName: name), at: timestamp)
                membersChanged = try await writer.apply(change.result.membershipChanges)
            }
            if let stored = change.stored {
                try await PostgresStore.writeAttributes(transaction, kind, row: row, stored: stored, at: timestamp)
                try await PostgresStore.record(stored.update, row: row, newName: stored.columns.displayName, transaction: transaction, at: timestamp)
            } else if membersChanged {
                transaction.touchAtCommit(table: table.name, rowID: row.rowID, at: timestamp)
            }
            if change.stored != nil || membersChanged {
                row.version += 1
                row.modifiedAt = timestamp
                if let stored = change.stored { row.store(change.result.attributes, document: stored.document) }
            }
            return row.stored(kind, derived: includeDerived ? try await transaction.derived(kind, rowID: row.rowID) : JSONObject())
        }
    }

    // MARK: Helpers

    /// Writes the events of an attribute change (``ResourceUpdate``) and lets teams follow it.
    private static func record(
        _ update: ResourceUpdate,
        row: PostgresResourceRow,
        newName: String,
        transaction: PostgresTransaction,
        at timestamp: Int64
    ) async throws {
        let teams = PostgresTeamSync(transaction: transaction, at: timestamp)
        if let event = update.activityEvent { transaction.append(event, at: timestamp) }
        if let active = update.activityChange { try await teams.userActivityChanged(userRow: row.rowID, active: active) }
        if let event = update.updateEvent { transaction.append(event, at: timestamp) }
        if let renamedFrom = update.renamedFrom {
            try await teams.groupRenamed(row.groupRef(displayName: newName), from: renamedFrom)
        }
    }

    /// The row of a resource in a directory, locked for the transaction when `forUpdate`, or a 404 (a prepared
    /// statement: every request by id runs it).
    static func fetchRow(
        _ querying: some PostgresQuerying,
        _ table: ResourceTable,
        directoryID: String,
        id: String,
        forUpdate: Bool,
        forResponse: Bool = false
    ) async throws -> PostgresResourceRow {
        let rows: [ResourceRecord]
        switch (table.kind, forUpdate) {
        case (.user, false):
            rows = try await querying.rows(PostgresPreparedStatements.User(id: id, directoryID: directoryID, forResponse: forResponse))
        case (.user, true): rows = try await querying.rows(PostgresPreparedStatements.LockedUser(id: id, directoryID: directoryID))
        case (.group, false):
            rows = try await querying.rows(PostgresPreparedStatements.Group(id: id, directoryID: directoryID, forResponse: forResponse))
        case (.group, true): rows = try await querying.rows(PostgresPreparedStatements.LockedGroup(id: id, directoryID: directoryID))
        }
        guard let row = rows.first else { throw SCIMError.notFound("\(table.kind == .user ? "User" : "Group") \"\(id)\" not found") }
        return row
    }

    /// Runs an insert or update of a resource's row; a unique violation (another resource of the directory has
    /// the same `userName` or `displayName`, ignoring case: the unique `…_key` indexes) becomes the 409
    /// `uniqueness` SQLite answers. The index decides, so no lookup runs first and no race slips past it.
    static func uniquely<T>(_ table: ResourceTable, _ columns: IndexedColumns, _ write: () async throws -> T) async throws -> T {
        do {
            return try await write()
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            switch table.kind {
            case .user:
                throw SCIMError.uniqueness("userName \"\(columns.userName)\" is already in use in this directory")
            case .group:
                throw SCIMError.uniqueness("displayName \"\(columns.displayName)\" is already in use in this directory")
            }
        }
    }

    /// Writes a change's document and indexed columns, moving `modified_at` and the version.
    static func writeAttributes(
        _ transaction: PostgresTransaction,
        _ kind: ResourceKind,
        row: PostgresResourceRow,
        stored: ResourceChange.Stored,
        at timestamp: Int64
    ) async throws {
        let (document, columns) = (stored.document, stored.columns)
        switch kind {
        case .user:
            try await uniquely(.of(.user), columns) {
                try await transaction.execute(
                    """
                    UPDATE scim_user SET user_name = \(columns.userName), user_name_key = \(columns.userNameKey), external_id = \(columns.externalID),
                        display_name_key = \(columns.displayNameKey), active = \(columns.active), person_email = \(columns.personEmail),
                        modified_at = \(timestamp), version = version + 1, document = \(document)
                    WHERE row_id = \(row.rowID)
                    """
                )
            }
            // Most changes (Okta's deactivation, a new title) leave the emails as they were: no statement then.
            if !columns.emails.elementsEqual(IndexedColumns.user(row.attributes).emails, by: { $0.value == $1.value && $0.type == $1.type }) {
                try await transaction.execute("DELETE FROM scim_user_email WHERE user_row = \(row.rowID)")
                try await writeEmails(transaction, userRow: row.rowID, directoryID: row.directoryID, columns: columns)
            }
        case .group:
            try await uniquely(.of(.group), columns) {
                try await transaction.execute(
                    """
                    UPDATE scim_group SET display_name = \(columns.displayName), display_name_key = \(columns.displayNameKey ?? ""),
                        external_id = \(columns.externalID), modified_at = \(timestamp), version = version + 1, document = \(document)
                    WHERE row_id = \(row.rowID)
                    """
                )
            }
        }
    }

    /// Inserts a user's email index rows, in one statement.
    static func writeEmails(_ transaction: PostgresTransaction, userRow: Int64, directoryID: String, columns: IndexedColumns) async throws {
        guard !columns.emails.isEmpty else { return }
        let values = columns.emails.map(\.value)
        // Arrays of optionals do not bind: a type travels as text with a flag saying whether there is one.
        let types = columns.emails.map { $0.type ?? "" }
        let typed = columns.emails.map { $0.type != nil }
        try await transaction.execute(
            """
            INSERT INTO scim_user_email (user_row, directory_id, value_key, type_key)
            SELECT \(userRow), \(directoryID), e.value, CASE WHEN e.typed THEN e.type END
            FROM unnest(\(values)::text[], \(types)::text[], \(typed)::boolean[]) AS e(value, type, typed)
            """
        )
    }
}

/// A resource about to be inserted: everything its row holds but the row id, which the insert assigns.
private struct NewResourceRow: Sendable {
    /// The public id.
    var id: String
    /// The directory it belongs to.
    var directoryID: String
    /// When it is created, in milliseconds since 1970.
    var timestamp: Int64
    /// The attributes it is created with.
    var attributes: JSONObject
    /// Their document (``ResourceDocument/serialize(_:kind:)``).
    var document: String

    /// The row as inserted with `rowID`: version 1, created and modified at ``timestamp``.
    func inserted(rowID: Int64) -> PostgresResourceRow {
        .inserted(rowID: rowID, id: id, directoryID: directoryID, at: timestamp, attributes: attributes, document: document)
    }
}
