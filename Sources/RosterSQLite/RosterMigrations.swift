import GRDB
import RosterCore
import SCIM

/// The SQLite schema, as an append-only list of migrations: never edit a registered migration, add a new one.
enum RosterMigrations {
    /// The migrator with every migration registered.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: directories, users, groups, memberships, events") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2: teams, group-to-team mappings, team memberships") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3: team membership indexes that lead with both lookup columns") { db in
            try db.execute(sql: v3)
        }
        migrator.registerMigration("v4: admin sign-in links and sessions") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("v5: webhook endpoints and deliveries, API keys") { db in
            try db.execute(sql: v5)
        }
        migrator.registerMigration("v6: the person each user is, so that teams are counted by person") { db in
            try db.execute(sql: "ALTER TABLE scim_user ADD COLUMN person_email TEXT")
            try backfillPersonEmails(db)
            try db.execute(sql: "CREATE INDEX scim_user_person ON scim_user(person_email, row_id)")
        }
        migrator.registerMigration("v7: state shared by replicas: flash values, pending sign-ins, request log, webhook leases") { db in
            try db.execute(sql: v7)
        }
        migrator.registerMigration("v8: SAML sign-ins under way and assertions used") { db in
            try db.execute(sql: v8)
        }
        migrator.registerMigration("v9: per-directory counts of users and groups, kept by triggers") { db in
            try db.execute(sql: v9)
        }
        migrator.registerMigration("v10: the audit trail of admin actions, append-only") { db in
            try db.execute(sql: v10)
        }
        return migrator
    }

    /// Sets `person_email` (``PersonIdentity``) of every user from their stored document, a thousand rows at a time.
    static func backfillPersonEmails(_ db: Database) throws {
        var after: Int64 = 0
        while true {
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT row_id, document FROM scim_user WHERE row_id > ? ORDER BY row_id LIMIT 1000",
                arguments: [after]
            )
            guard let last = rows.last else { return }
            for row in rows {
                let document: String = row[1]
                let attributes = (try? JSONParser().parse(document))?.objectValue ?? JSONObject()
                try db.execute(
                    sql: "UPDATE scim_user SET person_email = ? WHERE row_id = ?",
                    arguments: [PersonIdentity.email(of: attributes), row[0] as Int64]
                )
            }
            after = last[0]
        }
    }

    /// Users and groups are rows with indexed columns for what is looked up, plus the full resource document;
    /// group membership is a table of (group, user) rows.
    static let v1 = """
        CREATE TABLE directory (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            provider TEXT NOT NULL,
            token_hash BLOB NOT NULL,
            enabled INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE scim_user (
            row_id INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            directory_id TEXT NOT NULL REFERENCES directory(id) ON DELETE CASCADE,
            user_name TEXT NOT NULL,
            user_name_key TEXT NOT NULL,
            external_id TEXT,
            display_name_key TEXT,
            active INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            modified_at INTEGER NOT NULL,
            version INTEGER NOT NULL,
            document TEXT NOT NULL
        );
        CREATE UNIQUE INDEX scim_user_user_name ON scim_user(directory_id, user_name_key);
        CREATE INDEX scim_user_external_id ON scim_user(directory_id, external_id);
        CREATE INDEX scim_user_active ON scim_user(directory_id, active);
        CREATE INDEX scim_user_display_name ON scim_user(directory_id, display_name_key);
        CREATE INDEX scim_user_created ON scim_user(directory_id, created_at);
        CREATE INDEX scim_user_modified ON scim_user(directory_id, modified_at);
        CREATE TABLE scim_user_email (
            user_row INTEGER NOT NULL REFERENCES scim_user(row_id) ON DELETE CASCADE,
            directory_id TEXT NOT NULL,
            value_key TEXT NOT NULL,
            type_key TEXT
        );
        CREATE INDEX scim_user_email_value ON scim_user_email(directory_id, value_key);
        CREATE INDEX scim_user_email_user ON scim_user_email(user_row);
        CREATE TABLE scim_group (
            row_id INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            directory_id TEXT NOT NULL REFERENCES directory(id) ON DELETE CASCADE,
            display_name TEXT NOT NULL,
            display_name_key TEXT NOT NULL,
            external_id TEXT,
            created_at INTEGER NOT NULL,
            modified_at INTEGER NOT NULL,
            version INTEGER NOT NULL,
            document TEXT NOT NULL
        );
        CREATE UNIQUE INDEX scim_group_display_name ON scim_group(directory_id, display_name_key);
        CREATE INDEX scim_group_external_id ON scim_group(directory_id, external_id);
        CREATE INDEX scim_group_created ON scim_group(directory_id, created_at);
        CREATE INDEX scim_group_modified ON scim_group(directory_id, modified_at);
        CREATE TABLE group_member (
            group_row INTEGER NOT NULL REFERENCES scim_group(row_id) ON DELETE CASCADE,
            user_row INTEGER NOT NULL REFERENCES scim_user(row_id) ON DELETE CASCADE,
            PRIMARY KEY (group_row, user_row)
        ) WITHOUT ROWID;
        CREATE INDEX group_member_user ON group_member(user_row, group_row);
        CREATE TABLE event (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            directory_id TEXT NOT NULL,
            type TEXT NOT NULL,
            resource_id TEXT,
            data TEXT NOT NULL,
            previous_attributes TEXT,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX event_directory ON event(directory_id, sequence);
        CREATE TABLE directory_warning (
            row_id INTEGER PRIMARY KEY,
            directory_id TEXT NOT NULL REFERENCES directory(id) ON DELETE CASCADE,
            at INTEGER NOT NULL,
            message TEXT NOT NULL
        );
        CREATE INDEX directory_warning_directory ON directory_warning(directory_id, row_id);
        """

    /// Teams, mappings by exact group name, and team memberships with their source (a group, or NULL for a manual
    /// member). The membership event types take their final names.
    static let v2 = """
        CREATE TABLE team (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            slug TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE team_mapping (
            row_id INTEGER PRIMARY KEY,
            team_id TEXT NOT NULL REFERENCES team(id) ON DELETE CASCADE,
            directory_id TEXT REFERENCES directory(id) ON DELETE CASCADE,
            group_name TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX team_mapping_unique ON team_mapping(team_id, IFNULL(directory_id, ''), group_name);
        CREATE INDEX team_mapping_group_name ON team_mapping(group_name);
        CREATE TABLE team_membership (
            team_id TEXT NOT NULL REFERENCES team(id) ON DELETE CASCADE,
            user_row INTEGER NOT NULL REFERENCES scim_user(row_id) ON DELETE CASCADE,
            source_group_row INTEGER REFERENCES scim_group(row_id) ON DELETE CASCADE,
            created_at INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX team_membership_unique ON team_membership(team_id, user_row, IFNULL(source_group_row, 0));
        CREATE INDEX team_membership_user ON team_membership(user_row, team_id);
        CREATE INDEX team_membership_source ON team_membership(source_group_row, team_id);
        UPDATE event SET type = 'group.member_added' WHERE type = 'group.user_added';
        UPDATE event SET type = 'group.member_removed' WHERE type = 'group.user_removed';
        """

    /// With single-column leads, SQLite could answer "this user's rows from this group" through the source index,
    /// reading every row the group sources (O(group size) per member change). Leading with both columns makes the
    /// (user, group) lookup one index probe.
    static let v3 = """
        DROP INDEX team_membership_user;
        DROP INDEX team_membership_source;
        CREATE INDEX team_membership_user ON team_membership(user_row, source_group_row, team_id);
        CREATE INDEX team_membership_source ON team_membership(source_group_row, team_id, user_row);
        """

    /// One-time sign-in links and admin sessions, both stored as SHA-256 hashes of their tokens, and a record of who
    /// has ever signed in (so that `roster serve` stops printing a first-start link once someone has).
    static let v4 = """
        CREATE TABLE admin_login_link (
            token_hash BLOB PRIMARY KEY NOT NULL,
            email TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            used_at INTEGER
        );
        CREATE INDEX admin_login_link_expires ON admin_login_link(expires_at);
        CREATE TABLE admin_session (
            token_hash BLOB PRIMARY KEY NOT NULL,
            email TEXT NOT NULL,
            method TEXT NOT NULL,
            csrf_token TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        );
        CREATE INDEX admin_session_expires ON admin_session(expires_at);
        CREATE TABLE admin_sign_in (
            email TEXT PRIMARY KEY NOT NULL,
            method TEXT NOT NULL,
            first_at INTEGER NOT NULL,
            last_at INTEGER NOT NULL
        );
        """

    /// Webhook endpoints with their position in the outbox (`cursor`), one delivery row per (endpoint, event) with
    /// its attempts, and read-API keys stored as hashes. Signing secrets are stored as they are: a receiver needs the
    /// same secret to check the HMAC, so it cannot be a hash.
    static let v5 = """
        CREATE TABLE webhook_endpoint (
            id TEXT PRIMARY KEY NOT NULL,
            url TEXT NOT NULL,
            event_types TEXT NOT NULL,
            enabled INTEGER NOT NULL DEFAULT 1,
            secret TEXT NOT NULL,
            previous_secret TEXT,
            previous_secret_expires_at INTEGER,
            cursor INTEGER NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE webhook_delivery (
            endpoint_id TEXT NOT NULL REFERENCES webhook_endpoint(id) ON DELETE CASCADE,
            sequence INTEGER NOT NULL,
            event_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            first_attempt_at INTEGER,
            next_attempt_at INTEGER,
            last_status INTEGER,
            last_response TEXT,
            delivered_at INTEGER,
            PRIMARY KEY (endpoint_id, sequence)
        ) WITHOUT ROWID;
        CREATE INDEX webhook_delivery_pending ON webhook_delivery(endpoint_id, state, sequence);
        CREATE TABLE api_key (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            prefix TEXT NOT NULL,
            token_hash BLOB NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            last_used_at INTEGER,
            revoked_at INTEGER
        );
        """

    /// What one process used to keep in memory, so that several processes on one database share it (a SQLite file
    /// has one, but the schema is the same as PostgreSQL's).
    static let v7 = """
        CREATE TABLE admin_flash (
            session_hash BLOB NOT NULL,
            key TEXT NOT NULL,
            sealed BLOB NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (session_hash, key)
        );
        CREATE INDEX admin_flash_expires ON admin_flash(expires_at);
        CREATE TABLE oidc_pending_sign_in (
            cookie_hash BLOB PRIMARY KEY NOT NULL,
            state TEXT NOT NULL,
            nonce TEXT NOT NULL,
            verifier TEXT NOT NULL,
            started_at INTEGER NOT NULL
        );
        CREATE INDEX oidc_pending_sign_in_started ON oidc_pending_sign_in(started_at);
        CREATE TABLE scim_request_log (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            directory_id TEXT NOT NULL,
            method TEXT NOT NULL,
            path TEXT NOT NULL,
            status INTEGER NOT NULL,
            duration_ms REAL NOT NULL,
            detail TEXT
        );
        CREATE INDEX scim_request_log_directory ON scim_request_log(directory_id, id);
        CREATE TABLE webhook_lease (
            endpoint_id TEXT PRIMARY KEY NOT NULL REFERENCES webhook_endpoint(id) ON DELETE CASCADE,
            owner TEXT NOT NULL,
            expires_at INTEGER NOT NULL
        );
        """

    /// SAML sign-ins between start and ACS, and the assertions already used (against replay).
    static let v8 = """
        CREATE TABLE saml_pending_request (
            relay_state_hash BLOB PRIMARY KEY NOT NULL,
            request_id TEXT NOT NULL,
            started_at INTEGER NOT NULL
        );
        CREATE INDEX saml_pending_request_started ON saml_pending_request(started_at);
        CREATE TABLE saml_used_assertion (
            assertion_id TEXT PRIMARY KEY NOT NULL,
            remembered_until INTEGER NOT NULL
        );
        CREATE INDEX saml_used_assertion_until ON saml_used_assertion(remembered_until);
        """

    /// Per-directory counts (``ResourceCounter``), kept in the transaction of every insert, delete and change of
    /// `active` by triggers, so that no write path can forget them; a list's `totalResults` without a filter and the
    /// settings page's counts read them instead of counting rows. `slot` is always 0 here (PostgreSQL spreads one
    /// count over several rows so that concurrent writers do not queue on one).
    static let v9 = """
        CREATE TABLE resource_count (
            directory_id TEXT NOT NULL,
            counter TEXT NOT NULL,
            slot INTEGER NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (directory_id, counter, slot)
        ) WITHOUT ROWID;
        INSERT INTO resource_count (directory_id, counter, slot, count)
            SELECT directory_id, CASE WHEN active THEN 'active_users' ELSE 'inactive_users' END, 0, COUNT(*) FROM scim_user GROUP BY 1, 2;
        INSERT INTO resource_count (directory_id, counter, slot, count)
            SELECT directory_id, 'groups', 0, COUNT(*) FROM scim_group GROUP BY 1;
        CREATE TRIGGER scim_user_counted_insert AFTER INSERT ON scim_user BEGIN
            INSERT INTO resource_count (directory_id, counter, slot, count)
            VALUES (NEW.directory_id, CASE WHEN NEW.active THEN 'active_users' ELSE 'inactive_users' END, 0, 1)
            ON CONFLICT (directory_id, counter, slot) DO UPDATE SET count = count + 1;
        END;
        CREATE TRIGGER scim_user_counted_delete AFTER DELETE ON scim_user BEGIN
            UPDATE resource_count SET count = count - 1
            WHERE directory_id = OLD.directory_id AND counter = CASE WHEN OLD.active THEN 'active_users' ELSE 'inactive_users' END AND slot = 0;
        END;
        CREATE TRIGGER scim_user_counted_activity AFTER UPDATE OF active ON scim_user WHEN OLD.active IS NOT NEW.active BEGIN
            UPDATE resource_count SET count = count - 1
            WHERE directory_id = OLD.directory_id AND counter = CASE WHEN OLD.active THEN 'active_users' ELSE 'inactive_users' END AND slot = 0;
            INSERT INTO resource_count (directory_id, counter, slot, count)
            VALUES (NEW.directory_id, CASE WHEN NEW.active THEN 'active_users' ELSE 'inactive_users' END, 0, 1)
            ON CONFLICT (directory_id, counter, slot) DO UPDATE SET count = count + 1;
        END;
        CREATE TRIGGER scim_group_counted_insert AFTER INSERT ON scim_group BEGIN
            INSERT INTO resource_count (directory_id, counter, slot, count) VALUES (NEW.directory_id, 'groups', 0, 1)
            ON CONFLICT (directory_id, counter, slot) DO UPDATE SET count = count + 1;
        END;
        CREATE TRIGGER scim_group_counted_delete AFTER DELETE ON scim_group BEGIN
            UPDATE resource_count SET count = count - 1 WHERE directory_id = OLD.directory_id AND counter = 'groups' AND slot = 0;
        END;
        """

    /// The audit trail (``AuditEntry``): one row per admin action, written in the transaction of the change it
    /// records. `id` is AUTOINCREMENT so that an id deleted by the retention is never handed out again (readers keep
    /// it as a cursor). No foreign keys: an entry outlives the directory, team or key it names. `before` and
    /// `after` are JSON objects of strings with sorted keys, NULL when empty. Rows are never updated (the trigger
    /// refuses it); the retention deletes whole days of them.
    static let v10 = """
        CREATE TABLE audit_entry (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL,
            actor_kind TEXT NOT NULL,
            actor TEXT NOT NULL,
            actor_detail TEXT,
            address TEXT,
            action TEXT NOT NULL,
            target_kind TEXT NOT NULL,
            target_id TEXT NOT NULL,
            target_name TEXT NOT NULL,
            before TEXT,
            after TEXT
        );
        CREATE INDEX audit_entry_actor ON audit_entry(actor, id);
        CREATE INDEX audit_entry_action ON audit_entry(action, id);
        CREATE INDEX audit_entry_target_kind ON audit_entry(target_kind, id);
        CREATE INDEX audit_entry_target_id ON audit_entry(target_id, id);
        CREATE INDEX audit_entry_target_name ON audit_entry(target_name, id);
        CREATE INDEX audit_entry_at ON audit_entry(at);
        CREATE TRIGGER audit_entry_append_only BEFORE UPDATE ON audit_entry BEGIN
            SELECT RAISE(ABORT, 'audit entries are append-only');
        END;
        """
}
