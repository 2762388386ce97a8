import PostgresNIO
import RosterCore

/// The statements of the hot SCIM writes, prepared once per connection like ``PostgresPreparedStatements``: parsing
/// and planning them took PostgreSQL longer than running them (0.2 to 0.5 ms each on this project's benchmark
/// machine), so each has fixed text and takes its lists as arrays.
enum PostgresWriteStatements {
    /// Events at commit, inserted from arrays after the feed lock, optionally moving one row's version in the same
    /// statement (``PostgresTransaction/touchAtCommit(table:rowID:at:)``). The feed lock's key is a parameter: the
    /// one test that shows what the lock prevents passes a key of its own to each transaction.
    struct InsertEvents<Touch: EventInsertTouch>: PostgresPreparedStatement {
        static var sql: String { Touch.prefix + EventInsertSQL.insert }
        static var name: String { "roster_insert_events_" + Touch.name }
        typealias Row = Int64
        /// The events with their times.
        var events: [(NewEvent, Int64)]
        /// The advisory lock key.
        var lockKey: Int64
        /// The time and row of the touched row (ignored by ``NoTouch``).
        var touch: (at: Int64, rowID: Int64)

        func makeBindings() throws -> PostgresBindings {
            var binds = PostgresBindings(capacity: 11)
            EventInsertSQL.bind(events, lockKey: lockKey, into: &binds)
            binds.append(touch.at)
            binds.append(touch.rowID)
            return binds
        }

        func decodeRow(_ row: PostgresRow) throws -> Int64 { try row.decode(Int64.self) }
    }

    /// A user, its email index rows and its `user.created` event, in one statement committed on its own.
    struct CreateUser: PostgresPreparedStatement {
        static let name = "roster_create_user"
        static let sql = """
            WITH new_user AS (
                INSERT INTO scim_user (id, directory_id, user_name, user_name_key, external_id, display_name_key, active, person_email,
                    created_at, modified_at, version, document)
                VALUES ($11, $2[1], $12, $13, $14, $15, $16, $17, $18, $18, 1, $19)
                RETURNING row_id
            ),
            new_email AS (
                INSERT INTO scim_user_email (user_row, directory_id, value_key, type_key)
                SELECT new_user.row_id, $2[1], e.value, CASE WHEN e.typed THEN e.type END
                FROM new_user, unnest($20::text[], $21::text[], $22::boolean[]) AS e(value, type, typed)
            ),
            new_event AS (\(EventInsertSQL.insert))
            SELECT row_id FROM new_user
            """
        typealias Row = Int64
        /// The user's id.
        var id: String
        /// The directory.
        var directoryID: String
        /// The indexed columns of the user's attributes.
        var columns: IndexedColumns
        /// The time, in milliseconds.
        var at: Int64
        /// The user's document.
        var document: String
        /// The `user.created` event.
        var event: NewEvent
        /// The advisory lock key of the event feed.
        var lockKey: Int64

        func makeBindings() throws -> PostgresBindings {
            var binds = PostgresBindings(capacity: 22)
            EventInsertSQL.bind([(event, at)], lockKey: lockKey, into: &binds)
            binds.append(id)
            binds.append(columns.userName)
            binds.append(columns.userNameKey)
            binds.appendOptional(columns.externalID)
            binds.appendOptional(columns.displayNameKey)
            binds.append(columns.active)
            binds.appendOptional(columns.personEmail)
            binds.append(at)
            binds.append(document)
            // Arrays of optionals do not bind: an email's type travels as text with a flag saying whether there is one.
            binds.append(columns.emails.map(\.value))
            binds.append(columns.emails.map { $0.type ?? "" })
            binds.append(columns.emails.map { $0.type != nil })
            return binds
        }

        func decodeRow(_ row: PostgresRow) throws -> Int64 { try row.decode(Int64.self) }
    }

    /// Adds users by id to a group (`ON CONFLICT DO NOTHING`): every user of the directory found, whether the row is
    /// new, and the teams mapped to the group's name.
    struct AddMembers: PostgresPreparedStatement {
        static let name = "roster_add_members"
        static let sql = """
            WITH candidate AS (SELECT row_id, id, user_name FROM scim_user WHERE directory_id = $1 AND id = ANY($2)),
            joined AS (
                INSERT INTO group_member (group_row, user_row) SELECT $3, row_id FROM candidate
                ON CONFLICT DO NOTHING RETURNING user_row
            )
            SELECT c.row_id, c.id, c.user_name, j.user_row IS NOT NULL, \(PostgresTeamSync.mappedTeamsSQL(groupName: "$4", directoryID: "$1"))
            FROM candidate c LEFT JOIN joined j ON j.user_row = c.row_id
            """
        typealias Row = (Int64, String, String, Bool, [String])
        /// The group's directory.
        var directoryID: String
        /// The users' ids.
        var ids: [String]
        /// The group's row.
        var groupRow: Int64
        /// The group's name (after the change).
        var groupName: String

        func makeBindings() throws -> PostgresBindings {
            var binds = PostgresBindings(capacity: 4)
            binds.append(directoryID)
            binds.append(ids)
            binds.append(groupRow)
            binds.append(groupName)
            return binds
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Removes users by id from a group: each removed member with the teams the group gave them.
    struct RemoveMembers: PostgresPreparedStatement {
        static let name = "roster_remove_members"
        static let sql = """
            DELETE FROM group_member m USING scim_user u
            WHERE m.group_row = $1 AND m.user_row = u.row_id AND u.directory_id = $2 AND u.id = ANY($3)
            RETURNING u.row_id, u.id, u.user_name, \(sourcedTeamsSQL)
            """
        typealias Row = (Int64, String, String, [String])
        /// The group's row.
        var groupRow: Int64
        /// The group's directory.
        var directoryID: String
        /// The users' ids.
        var ids: [String]

        func makeBindings() throws -> PostgresBindings {
            var binds = PostgresBindings(capacity: 3)
            binds.append(groupRow)
            binds.append(directoryID)
            binds.append(ids)
            return binds
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Okta's one-member change: removes users by id and adds others in one statement. Each row says which it was
    /// (false: removed, with the teams the group gave them; true: found for the add, whether the row is new, and
    /// the teams mapped to the group's name). The caller makes sure no id is in both lists.
    struct SwapMembers: PostgresPreparedStatement {
        static let name = "roster_swap_members"
        static let sql = """
            WITH removed AS (
                DELETE FROM group_member m USING scim_user u
                WHERE m.group_row = $1 AND m.user_row = u.row_id AND u.directory_id = $2 AND u.id = ANY($3)
                RETURNING u.row_id, u.id, u.user_name, \(sourcedTeamsSQL) AS teams
            ),
            candidate AS (SELECT row_id, id, user_name FROM scim_user WHERE directory_id = $2 AND id = ANY($4)),
            joined AS (
                INSERT INTO group_member (group_row, user_row) SELECT $1, row_id FROM candidate
                ON CONFLICT DO NOTHING RETURNING user_row
            )
            SELECT false, r.row_id, r.id, r.user_name, true, r.teams FROM removed r
            UNION ALL
            SELECT true, c.row_id, c.id, c.user_name, j.user_row IS NOT NULL, \(PostgresTeamSync.mappedTeamsSQL(groupName: "$5", directoryID: "$2"))
            FROM candidate c LEFT JOIN joined j ON j.user_row = c.row_id
            """
        typealias Row = (Bool, Int64, String, String, Bool, [String])
        /// The group's row.
        var groupRow: Int64
        /// The group's directory.
        var directoryID: String
        /// The ids of the users to remove.
        var removedIDs: [String]
        /// The ids of the users to add.
        var addedIDs: [String]
        /// The group's name (after the change).
        var groupName: String

        func makeBindings() throws -> PostgresBindings {
            var binds = PostgresBindings(capacity: 5)
            binds.append(groupRow)
            binds.append(directoryID)
            binds.append(removedIDs)
            binds.append(addedIDs)
            binds.append(groupName)
            return binds
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// The teams in which a removed member's membership came from the group (`$1` is the group's row, `u` the
    /// user), by slug: read in the `RETURNING` of the delete, so leaving costs no statement of its own.
    static let sourcedTeamsSQL = """
        ARRAY(SELECT tm.team_id FROM team_membership tm JOIN team t ON t.id = tm.team_id
            WHERE tm.user_row = u.row_id AND tm.source_group_row = $1 ORDER BY t.slug COLLATE "C")
        """
}

/// Which row, if any, an ``PostgresWriteStatements/InsertEvents`` statement touches.
protocol EventInsertTouch: Sendable {
    /// The `WITH` that moves the row's `modified_at` ($11) and version (row $12), or one that only reads both.
    static var prefix: String { get }
    /// The end of the statement's name (PostgreSQL keeps 63 bytes of a name, so names are short and explicit).
    static var name: String { get }
}

/// No row is touched.
enum NoTouch: EventInsertTouch {
    static let name = "plain"
    static let prefix = "WITH untouched AS (SELECT $11::bigint, $12::bigint) "
}

/// A group's row is touched.
enum TouchGroup: EventInsertTouch {
    static let name = "touching_group"
    static let prefix = "WITH touched AS (UPDATE scim_group SET modified_at = $11, version = version + 1 WHERE row_id = $12) "
}

/// A user's row is touched.
enum TouchUser: EventInsertTouch {
    static let name = "touching_user"
    static let prefix = "WITH touched AS (UPDATE scim_user SET modified_at = $11, version = version + 1 WHERE row_id = $12) "
}

/// The event insert every write statement shares: parameters $1 to $10.
enum EventInsertSQL {
    /// Inserts the events of arrays $1 to $9, in order, after taking the advisory lock $10. The lock is an InitPlan
    /// of a one-time filter, so PostgreSQL takes it before the first row's sequence is drawn (EventFeedOrderTests
    /// checks that it holds). Optional values travel as text with a flag, since arrays of optionals do not bind.
    static let insert = """
        INSERT INTO event (id, directory_id, type, resource_id, data, previous_attributes, created_at)
        SELECT e.id, e.directory_id, e.type, CASE WHEN e.has_resource THEN e.resource_id END, e.data,
            CASE WHEN e.has_previous THEN e.previous_attributes END, e.created_at
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::text[], $8::boolean[], $9::bigint[])
            WITH ORDINALITY AS e(id, directory_id, type, resource_id, has_resource, data, previous_attributes, has_previous, created_at, position)
        WHERE (SELECT count(*) FROM (SELECT pg_advisory_xact_lock($10)) AS feed_lock) = 1
        ORDER BY e.position
        """

    /// Appends parameters $1 to $10.
    static func bind(_ events: [(NewEvent, Int64)], lockKey: Int64, into binds: inout PostgresBindings) {
        binds.append(events.map(\.0.id))
        binds.append(events.map(\.0.directoryID))
        binds.append(events.map(\.0.type.rawValue))
        binds.append(events.map { $0.0.resourceID ?? "" })
        binds.append(events.map { $0.0.resourceID != nil })
        binds.append(events.map(\.0.data))
        binds.append(events.map { $0.0.previousAttributes ?? "" })
        binds.append(events.map { $0.0.previousAttributes != nil })
        binds.append(events.map(\.1))
        binds.append(lockKey)
    }
}

extension PostgresBindings {
    /// Appends a value or `NULL`.
    mutating func appendOptional(_ value: String?) {
        if let value { append(value) } else { appendNull() }
    }
}
