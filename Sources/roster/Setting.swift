import ArgumentParser
import Foundation

/// One setting of `roster serve` (some of which other commands share): the flag and the environment variable it comes
/// from (the flag wins; a blank value counts as absent), its default, what it means, and how its text is parsed.
/// ``Setting/all`` is the one place each is written down: the options' names and help, `roster --help`, and README.md's
/// settings table (`roster settings-table`) are all made from it.
struct Setting: Sendable {
    /// How a value's text is parsed.
    enum Kind: Sendable {
        /// Text, checked (when at all) by the code that uses it, such as a URL or a list of addresses.
        case text
        /// A whole number in `range`, `defaultValue` when unset; `expected` ends the error "PORT (or --port) must be …".
        case integer(range: ClosedRange<Int>, expected: String, defaultValue: Int)
        /// `true`, `1` or `yes`; `false`, `0` or `no`; any case.
        case boolean
    }

    /// The environment variable, such as `PORT`.
    var variable: String
    /// The flag's long name, such as `port` for `--port`; nil for a setting that only the environment sets.
    var flagName: String?
    /// How `--help` names the flag's value, such as `port`; nil when there is no flag.
    var valueName: String?
    /// The default in Markdown, such as "`3000`" or "from the issuer"; nil when an unset setting is simply off.
    var defaultText: String?
    /// What the setting does, as one sentence without its final period: both `--help` and the README show it, so it
    /// may hold Markdown code spans (which `--help` shows as they are) but no other Markdown.
    var summary: String
    /// What the README's table adds after the summary, in Markdown; nil when the summary says it all.
    var details: String?
    /// How the value's text is parsed.
    var kind: Kind = .text

    /// The flag, such as `--port`; nil when only the environment sets the setting.
    var flag: String? { flagName.map { "--\($0)" } }

    /// How an error line names the setting: `PORT (or --port)`, or just the variable when there is no flag.
    var name: String {
        guard let flag else { return variable }
        return "\(variable) (or \(flag))"
    }

    /// The flag's value if given, else the environment variable's; nil when both are absent or blank.
    func value(flag flagValue: String?, environment: [String: String]) -> String? {
        for candidate in [flagValue, environment[variable]] {
            if let candidate, !candidate.allSatisfy(\.isWhitespace) { return candidate }
        }
        return nil
    }

    /// The whole number the flag or the environment gives, or the default when neither does; a value that is not a
    /// number in the setting's range fails with exit code 2, naming the setting. Only for an ``Kind/integer`` setting.
    func integer(flag flagValue: String?, environment: [String: String]) throws(CommandFailure) -> Int {
        guard case .integer(let range, let expected, let defaultValue) = kind else {
            preconditionFailure("\(variable) is not a number")
        }
        guard let text = value(flag: flagValue, environment: environment) else { return defaultValue }
        guard let number = Int(text.trimmed()), range.contains(number) else {
            throw .configuration("\(name) must be \(expected), not \"\(text.replacingNewlines())\"")
        }
        return number
    }

    /// The yes-or-no the flag or the environment gives, nil when neither does; any other word fails with exit code 2.
    /// Only for a ``Kind/boolean`` setting.
    func boolean(flag flagValue: String?, environment: [String: String]) throws(CommandFailure) -> Bool? {
        guard case .boolean = kind else { preconditionFailure("\(variable) is not a yes-or-no setting") }
        guard let text = value(flag: flagValue, environment: environment) else { return nil }
        switch text.trimmed().lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw .configuration("\(name) must be true or false, not \"\(text)\"")
        }
    }

    /// The default as `--help` shows it: the Markdown default without its backticks.
    var plainDefault: String? { defaultText.map { $0.filter { $0 != "`" } } }

    /// The `--help` line: the summary, then where the value comes from and its default.
    var helpText: String {
        var source = "env \(variable)"
        if let plainDefault { source += "; default \(plainDefault)" }
        return "\(summary) (\(source))."
    }

    /// The name of the `@Option` that reads the flag: `@Option(name: Setting.port.optionName, …)`.
    var optionName: NameSpecification {
        guard let flagName else { preconditionFailure("\(variable) has no flag") }
        return .customLong(flagName)
    }

    /// The help of the `@Option` that reads the flag.
    var optionHelp: ArgumentHelp { ArgumentHelp(helpText, valueName: valueName) }
}

extension Setting {
    /// README.md's settings table, one row per setting in ``all``'s order (no final newline). `roster settings-table`
    /// prints it; `scripts/settings-table.sh` puts it in the README or checks that it is there.
    static var markdownTable: String {
        var lines = ["| Variable | Flag | Default | Meaning |", "| --- | --- | --- | --- |"]
        for setting in all {
            let meaning = [setting.summary + ".", setting.details].compactMap { $0 }.joined(separator: " ")
            let cells = [
                "`\(setting.variable)`", setting.flag.map { "`\($0)`" } ?? "", setting.defaultText ?? "none", meaning,
            ]
            lines.append("|" + cells.map { $0.isEmpty ? " |" : " \($0.replacingOccurrences(of: "|", with: "\\|")) |" }.joined())
        }
        return lines.joined(separator: "\n")
    }

    /// The part of `roster --help` about settings: which variables the options read, and those only the environment
    /// sets, each with its meaning.
    static var helpDiscussion: String {
        let withFlags = all.filter { $0.flag != nil }.map(\.variable)
        let environmentOnly = all.filter { $0.flag == nil }.map { setting in
            let suffix = setting.plainDefault.map { " (default \($0))" } ?? ""
            return "\(setting.variable): \(setting.summary)\(suffix)."
        }
        return """
            Every option that has an environment variable reads it when the flag is not given: \
            \(withFlags.joined(separator: ", ")). roster serve also reads these, from the environment only: \
            \(environmentOnly.joined(separator: " "))
            """
    }
}
