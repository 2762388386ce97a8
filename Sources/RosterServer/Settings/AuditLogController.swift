import Hummingbird
import RosterCore

/// The audit log page: who changed what, newest first, filtered by actor, action and target.
struct AuditLogController<Store: AuditStore>: Sendable {
    /// The audit trail.
    let store: Store
    /// How long entries are kept, for the page's wording.
    let retention: AuditRetention
    /// Chrome for the page.
    let support: SettingsPageSupport

    /// Adds `/audit` to the settings group.
    func addRoutes(to settings: RouterGroup<AdminRequestContext>) {
        settings.get("audit", use: auditLog)
    }

    /// GET …/audit?actor=&action=&target=&before=ID: the audit trail, newest first, filtered, 50 entries a page
    /// (keyset: "Older" continues before the last entry shown).
    @Sendable func auditLog(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let query = QueryString(request.uri.query)
        func parameter(_ name: String) -> String? {
            query.value(named: name).map { $0.trimmed() }.flatMap { $0.isEmpty ? nil : $0 }
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
                limit: SettingsPageSupport.pageSize
            )
        )
        var filter = ""
        for (name, value) in [("actor", actor), ("action", action?.rawValue), ("target", target)] {
            if let value { filter += "&\(name)=" + SettingsPaths.queryValue(value) }
        }
        let page = AuditPage(
            chrome: try await support.chrome(context),
            path: SettingsPaths.audit,
            retentionDays: retention.days,
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
            olderPath: entries.count == SettingsPageSupport.pageSize ? entries.last.map { SettingsPaths.audit + "?before=\($0.id)" + filter } : nil
        )
        return support.pages.page("audit", page)
    }
}
