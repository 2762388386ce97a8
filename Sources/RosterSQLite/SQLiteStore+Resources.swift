import GRDB
import RosterCore
import SCIM

extension SQLiteStore {
    /// Creates a user or group; a group's listed members are added in the same transaction. Everything that is not
    /// SQL (the indexed columns, the document, the event) is made before the write reaches the one writer, so that
    /// concurrent creates share that work between the cores instead of queueing behind it.
    public func create(_ kind: ResourceKind, directoryID: String, input: NormalizedResource) async throws -> StoredResource {
        let timestamp = now()
        let id = SQLiteStore.newID()
        let created = input.createdAttributes(kind)
        let columns = kind == .user ? IndexedColumns.user(created) : IndexedColumns.group(created)
        let document = ResourceDocument.serialize(created, kind: kind)
        let event = NewEvent.created(kind, directoryID: directoryID, id: id, document: document)
        return try await commits.write { db in
            let table = ResourceTable.of(kind)
            try SQLiteStore.checkUniqueness(db, table, directoryID: directoryID, columns: columns, excludingRow: nil)
            let rowID: Int64
            switch kind {
            case .user:
                try db.executeCached(
                    sql: """
                        INSERT INTO scim_user (id, directory_id, user_name, user_name_key, external_id, display_name_key, active,
                            person_email, created_at, modified_at, version, document)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
                        """,
                    arguments: [
                        id, directoryID, columns.userName, columns.userNameKey, columns.externalID, columns.displayNameKey, columns.active,
                        columns.personEmail, timestamp, timestamp, document,
                    ]
                )
                rowID = db.lastInsertedRowID
                try SQLiteStore.writeEmails(db, userRow: rowID, directoryID: directoryID, columns: columns)
            case .group:
                try db.executeCached(
                    sql: """
                        INSERT INTO scim_group (id, directory_id, display_name, display_name_key, external_id, created_at, modified_at,
                            version, document)
                        VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)
                        """,
                    arguments: [id, directoryID, columns.displayName, columns.displayNameKey, columns.externalID, timestamp, timestamp, document]
                )
                rowID = db.lastInsertedRowID
            }
            // The row is exactly what was just written; reading it back would only parse the document again.
            let row = ResourceRow.inserted(rowID: rowID, id: id, directoryID: directoryID, at: timestamp, attributes: created, document: document)
            var resource = row.stored(kind)
            try EventOutbox.append(db, event, at: timestamp)
            if kind == .group, let members = input.members, !members.isEmpty {
                let writer = MembershipWriter(db: db, group: row.groupRef(displayName: columns.displayName), at: timestamp)
                _ = try writer.apply([.add(members)])
            }
            // A new user belongs to no group yet; a new group's members are what was just added.
            resource.derived = kind == .user ? JSONObject() : try SQLiteStore.derived(db, kind, row: row)
            return resource
        }
    }

    /// The resource with `id`, or a 404.
    public func resource(_ kind: ResourceKind, directoryID: String, id: String, includeDerived: Bool) async throws -> StoredResource {
        try readResource(kind, directoryID: directoryID, id: id, includeDerived: includeDerived, forResponse: false)
    }

    /// The resource with `id` for a response (its document unparsed), or a 404; a user in one statement
    /// (``UserResponseRead``).
    public func resourceForResponse(_ kind: ResourceKind, directoryID: String, id: String, includeDerived: Bool) async throws -> StoredResource {
        guard kind == .user else {
            return try readResource(kind, directoryID: directoryID, id: id, includeDerived: includeDerived, forResponse: true)
        }
        let user = try pointReaders.readOneStatement { db in
            try UserResponseRead.user(db, directoryID: directoryID, .id(id), includeGroups: includeDerived)
        }
        guard let user else { throw SCIMError.notFound("User \"\(id)\" not found") }
        return user
    }

    private func readResource(_ kind: ResourceKind, directoryID: String, id: String, includeDerived: Bool, forResponse: Bool) throws -> StoredResource
    {
        try readNow { db in
            let row = try SQLiteStore.fetchRow(db, .of(kind), directoryID: directoryID, id: id, forResponse: forResponse)
            return row.stored(kind, derived: includeDerived ? try SQLiteStore.derived(db, kind, row: row) : JSONObject())
        }
    }

    /// Deletes a resource; a deleted user leaves every group (the membership rows cascade).
    public func delete(_ kind: ResourceKind, directoryID: String, id: String, precondition: VersionPrecondition?) async throws {
        let timestamp = now()
        try await commits.write { db in
            let table = ResourceTable.of(kind)
            let row = try SQLiteStore.fetchRow(db, table, directoryID: directoryID, id: id)
            try row.check(precondition)
            let teams = TeamSync(db: db, at: timestamp)
            switch kind {
            case .group:
                let name = IndexedColumns.group(row.attributes).displayName
                try teams.groupDeleting(row.groupRef(displayName: name))
            case .user:
                try teams.userDeleting(userRow: row.rowID)
                let userName = IndexedColumns.user(row.attributes).userName
                for group in try Row.fetchAll(
                    db,
                    sql:
                        "SELECT g.id, g.display_name FROM group_member m JOIN scim_group g ON g.row_id = m.group_row WHERE m.user_row = ? ORDER BY g.row_id",
                    arguments: [row.rowID]
                ) {
                    let group = GroupIdentity(id: group[0], directoryID: directoryID, displayName: group[1])
                    try EventOutbox.append(
                        db,
                        .groupMember(.removed, group: group, user: UserIdentity(id: row.id, userName: userName)),
                        at: timestamp
                    )
                }
            }
            try db.executeCached(sql: "DELETE FROM \(table.name) WHERE row_id = ?", arguments: [row.rowID])
            try EventOutbox.append(db, .deleted(kind, directoryID: directoryID, id: id, attributes: row.attributes), at: timestamp)
        }
    }

    /// Loads a row, decides its change (``ResourceChange``: the request applied with `apply`, the one step that calls
    /// into the protocol core), and writes it back, all in one transaction. Nothing is written and
    /// `meta.lastModified` stays when nothing really changed. PUT and PATCH come here (``ResourceModifying``).
    public func modify(
        _ kind: ResourceKind,
        directoryID: String,
        id: String,
        precondition: VersionPrecondition?,
        includeDerived: Bool,
        apply: @escaping @Sendable (ResourceRecord) throws -> PatchResult
    ) async throws -> StoredResource {
        let timestamp = now()
        return try await commits.write { db in
            let table = ResourceTable.of(kind)
            var row = try SQLiteStore.fetchRow(db, table, directoryID: directoryID, id: id)
            try row.check(precondition)
            let change = try ResourceChange(kind, row: row, apply: apply)
            var membersChanged = false
            if kind == .group, !change.result.membershipChanges.isEmpty {
                let name = change.stored?.columns.displayName ?? IndexedColumns.group(row.attributes).displayName
                let writer = MembershipWriter(db: db, group: row.groupRef(displayName: name), at: timestamp)
                membersChanged = try writer.apply(change.result.membershipChanges)
            }
            if let stored = change.stored {
                try SQLiteStore.checkUniqueness(db, table, directoryID: directoryID, columns: stored.columns, excludingRow: row.rowID)
                try SQLiteStore.writeAttributes(db, kind, row: row, stored: stored, at: timestamp)
                try SQLiteStore.record(stored.update, row: row, newName: stored.columns.displayName, db: db, at: timestamp)
            } else if membersChanged {
                try db.executeCached(
                    sql: "UPDATE \(table.name) SET modified_at = ?, version = version + 1 WHERE row_id = ?",
                    arguments: [timestamp, row.rowID]
                )
            }
            if change.stored != nil || membersChanged {
                // What the statements above stored: one version step and the new attributes.
                row.version += 1
                row.modifiedAt = timestamp
                if let stored = change.stored { row.store(change.result.attributes, document: stored.document) }
            }
            return row.stored(kind, derived: includeDerived ? try SQLiteStore.derived(db, kind, row: row) : JSONObject())
        }
    }

    // MARK: Helpers

    /// Writes the events of an attribute change (``ResourceUpdate``) and lets teams follow it.
    private static func record(_ update: ResourceUpdate, row: ResourceRow, newName: String, db: Database, at timestamp: Int64) throws {
        let teams = TeamSync(db: db, at: timestamp)
        if let event = update.activityEvent { try EventOutbox.append(db, event, at: timestamp) }
        if let active = update.activityChange { try teams.userActivityChanged(userRow: row.rowID, active: active) }
        if let event = update.updateEvent { try EventOutbox.append(db, event, at: timestamp) }
        if let renamedFrom = update.renamedFrom {
            try teams.groupRenamed(row.groupRef(displayName: newName), from: renamedFrom)
        }
    }

    /// The row of a resource in a directory, or a 404; for a response, its document is left unparsed when it can be.
    static func fetchRow(_ db: Database, _ table: ResourceTable, directoryID: String, id: String, forResponse: Bool = false) throws -> ResourceRow {
        let sql = "SELECT \(table.selectColumns) FROM \(table.name) \(table.alias) WHERE \(table.alias).id = ? AND \(table.alias).directory_id = ?"
        // The same few statements run on every request: keep them prepared.
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [id, directoryID]) else {
            throw SCIMError.notFound("\(table.kind == .user ? "User" : "Group") \"\(id)\" not found")
        }
        return try ResourceRow(row: row, forResponse: forResponse)
    }

    /// Throws 409 `uniqueness` when another resource of the directory has the same `userName` (users) or
    /// `displayName` (groups), ignoring case.
    static func checkUniqueness(_ db: Database, _ table: ResourceTable, directoryID: String, columns: IndexedColumns, excludingRow: Int64?) throws {
        let (column, key, label): (String, String, String)
        switch table.kind {
        case .user:
            (column, key, label) = ("user_name_key", columns.userNameKey, "userName \"\(columns.userName)\"")
        case .group:
            (column, key, label) = ("display_name_key", columns.displayNameKey ?? "", "displayName \"\(columns.displayName)\"")
        }
        let taken = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM \(table.name) WHERE directory_id = ? AND \(column) = ? AND row_id IS NOT ?"),
            arguments: [directoryID, key, excludingRow]
        )
        if taken == true { throw SCIMError.uniqueness("\(label) is already in use in this directory") }
    }

    /// Writes a change's document and indexed columns, moving `modified_at` and the version.
    static func writeAttributes(_ db: Database, _ kind: ResourceKind, row: ResourceRow, stored: ResourceChange.Stored, at timestamp: Int64) throws {
        let (document, columns) = (stored.document, stored.columns)
        switch kind {
        case .user:
            try db.executeCached(
                sql: """
                    UPDATE scim_user SET user_name = ?, user_name_key = ?, external_id = ?, display_name_key = ?, active = ?,
                        person_email = ?, modified_at = ?, version = version + 1, document = ?
                    WHERE row_id = ?
                    """,
                arguments: [
                    columns.userName, columns.userNameKey, columns.externalID, columns.displayNameKey, columns.active, columns.personEmail,
                    timestamp, document, row.rowID,
                ]
            )
            try db.executeCached(sql: "DELETE FROM scim_user_email WHERE user_row = ?", arguments: [row.rowID])
            try writeEmails(db, userRow: row.rowID, directoryID: row.directoryID, columns: columns)
        case .group:
            try db.executeCached(
                sql: """
                    UPDATE scim_group SET display_name = ?, display_name_key = ?, external_id = ?, modified_at = ?, version = version + 1,
                        document = ?
                    WHERE row_id = ?
                    """,
                arguments: [columns.displayName, columns.displayNameKey, columns.externalID, timestamp, document, row.rowID]
            )
        }
    }

    /// Inserts a user's email index rows.
    static func writeEmails(_ db: Database, userRow: Int64, directoryID: String, columns: IndexedColumns) throws {
        for email in columns.emails {
            try db.executeCached(
                sql: "INSERT INTO scim_user_email (user_row, directory_id, value_key, type_key) VALUES (?, ?, ?, ?)",
                arguments: [userRow, directoryID, email.value, email.type]
            )
        }
    }

    /// The derived attributes of many resources by row id, one statement for all (a list page): what
    /// ``derived(_:_:row:)`` gives for each.
    static func derived(_ db: Database, _ kind: ResourceKind, rows rowIDs: [Int64]) throws -> [Int64: JSONObject] {
        guard rowIDs.count > 1 else {
            // One row (a filter on userName): the single-row statement, without json_each's temporary table.
            return try rowIDs.first.map { [$0: try derived(db, kind, rowID: $0)] } ?? [:]
        }
        // The row ids travel as one JSON array, so that the statement's text, and its cache entry, is always the same.
        let ids = "[" + rowIDs.map(String.init).joined(separator: ",") + "]"
        switch kind {
        case .group:
            var members: [Int64: [JSONValue]] = Dictionary(uniqueKeysWithValues: rowIDs.map { ($0, []) })
            let statement = try db.cachedStatement(
                sql: """
                    SELECT m.group_row, u.id FROM group_member m JOIN scim_user u ON u.row_id = m.user_row
                    WHERE m.group_row IN (SELECT value FROM json_each(?)) ORDER BY m.group_row, m.user_row
                    """
            )
            for row in try Row.fetchAll(statement, arguments: [ids]) {
                members[row[0], default: []].append(.object(JSONObject([("value", .string(row[1])), ("type", "User")])))
            }
            return members.mapValues { JSONObject([("members", .array($0))]) }
        case .user:
            var groups: [Int64: [JSONValue]] = [:]
            let statement = try db.cachedStatement(
                sql: """
                    SELECT m.user_row, g.id, g.display_name FROM group_member m JOIN scim_group g ON g.row_id = m.group_row
                    WHERE m.user_row IN (SELECT value FROM json_each(?)) ORDER BY m.user_row, m.group_row
                    """
            )
            for row in try Row.fetchAll(statement, arguments: [ids]) {
                groups[row[0], default: []].append(
                    .object(JSONObject([("value", .string(row[1])), ("display", .string(row[2])), ("type", "direct")]))
                )
            }
            return groups.mapValues { JSONObject([("groups", .array($0))]) }
        }
    }

    /// The derived attributes: a group's `members` or a user's `groups`, read from the membership table.
    static func derived(_ db: Database, _ kind: ResourceKind, row: ResourceRow) throws -> JSONObject {
        try derived(db, kind, rowID: row.rowID)
    }

    /// The derived attributes of the resource in row `rowID`.
    static func derived(_ db: Database, _ kind: ResourceKind, rowID: Int64) throws -> JSONObject {
        switch kind {
        case .group:
            let members = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT u.id FROM group_member m JOIN scim_user u ON u.row_id = m.user_row
                        WHERE m.group_row = ? ORDER BY m.user_row
                        """
                ),
                arguments: [rowID]
            ).map { member -> JSONValue in
                JSONValue.object(JSONObject([("value", .string(member[0])), ("type", "User")]))
            }
            // An empty group shows `"members": []`, as Okta and Entra expect after a create.
            return JSONObject([("members", .array(members))])
        case .user:
            let groups = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT g.id, g.display_name FROM group_member m JOIN scim_group g ON g.row_id = m.group_row
                        WHERE m.user_row = ? ORDER BY m.group_row
                        """
                ),
                arguments: [rowID]
            ).map { group -> JSONValue in
                JSONValue.object(JSONObject([("value", .string(group[0])), ("display", .string(group[1])), ("type", "direct")]))
            }
            return groups.isEmpty ? JSONObject() : JSONObject([("groups", .array(groups))])
        }
    }
}
