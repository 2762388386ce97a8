import Hummingbird
import RosterCore

extension SettingsController {
    /// GET …/audit?actor=&action=&target=&before=ID: the audit trail, newest first, filtered, 50 entries a page
    /// (keyset: "Older" continues before the last entry shown).
    @Sendable func auditLog(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryString(request.uri.query)
        func parameter(_ name: String) -> String? {
            query.value(named: name).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let actor = parameter("actor")
        let action = parameter("action").map(AuditAction.init(rawValue:))
        let target = parameter("target")
        let before = parameter("before").flatMap { Int64($0) }
        let entries = try await store.auditEntries(
            AuditQuery(
                actor: actor,
                action: action,
                target: target,
                cursor: before.map(AuditQuery.Cursor.before) ?? .newest,
                limit: Self.pageSize
            )
        )
        var filter = ""
        for (name, value) in [("actor", actor), ("action", action?.rawValue), ("target", target)] {
            if let value { filter += "&\(name)=" + SettingsPaths.queryValue(value) }
        }
        let page = AuditPage(
            chrome: try await chrome(context),
            path: SettingsPaths.audit,
            retentionDays: configuration.auditRetention.days,
            actor: actor ?? "",
            target: target ?? "",
            actions: AuditAction.all.map { AuditPage.ActionChoice(value: $0.rawValue, selected: $0 == action) },
            filtered: !filter.isEmpty,
            hasEntries: !entries.isEmpty,
            entries: entries.map { recorded in
                let entry = recorded.entry
                return AuditPage.Row(
                    id: recorded.id,
                    time: DisplayText.time(recorded.at),
                    actor: entry.actor.name,
                    actorDetail: entry.actor.detail,
                    address: entry.actor.address ?? "",
                    action: entry.action.rawValue,
                    targetKind: entry.target.kind,
                    targetName: entry.target.name,
                    changes: entry.changes
                )
            },
            newerPath: before == nil ? nil : SettingsPaths.audit + (filter.isEmpty ? "" : "?" + filter.dropFirst()),
            olderPath: entries.count == Self.pageSize ? entries.last.map { SettingsPaths.audit + "?before=\($0.id)" + filter } : nil
        )
        return pages.page("audit", page)
    }
}
