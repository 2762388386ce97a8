import ArgumentParser
import RosterCore

/// Who may sign in to the settings pages, shared by `serve` and `login-link`.
struct AdminOptions: ParsableArguments {
    /// `--admins`, else `SAML_ADMINS`.
    @Option(
        name: .customLong("admins"),
        help: ArgumentHelp(
            "Comma-separated emails of the admins who may configure directory sync (env SAML_ADMINS).",
            valueName: "emails"
        )
    )
    var admins: String?

    /// The admin list from the flag or the environment.
    func allowList(environment: [String: String]) -> AdminAllowList {
        AdminAllowList(parsing: Setting.admins.value(flag: admins, environment: environment))
    }
}
