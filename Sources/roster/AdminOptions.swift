import ArgumentParser
import RosterCore

/// Who may sign in to the settings pages, shared by `serve` and `login-link`.
struct AdminOptions: ParsableArguments {
    @Option(name: Setting.admins.optionName, help: Setting.admins.optionHelp)
    var admins: String?

    /// The admin list from the flag or the environment.
    func allowList(environment: [String: String]) -> AdminAllowList {
        AdminAllowList(parsing: Setting.admins.value(flag: admins, environment: environment))
    }
}
