import ArgumentParser

extension Roster {
    /// `roster settings-table`, hidden from `roster --help`: prints README.md's table of settings, made from
    /// ``Setting/all``. `scripts/settings-table.sh` puts its output in the README, or with `--check` fails when the
    /// README's table differs.
    struct SettingsTable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "settings-table",
            abstract: "Print README.md's table of settings, in Markdown.",
            shouldDisplay: false
        )

        func run() {
            Console.out(Setting.markdownTable)
        }
    }
}
