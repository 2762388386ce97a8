import ArgumentParser
import Foundation
import RosterCore

/// Where the data is and Roster's public URL: the options of the commands that print URLs (the directory commands'
/// SCIM Base URLs, `login-link`'s link), in that order.
struct AddressedStoreOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions
    /// The public URL rule (BASE_URL, else http://HOST:PORT).
    @OptionGroup var address: ServerAddressOptions

    /// A command's whole run on the store with Roster's public URL: `check` is evaluated first, then the URL is
    /// resolved (an invalid setting fails with exit code 2), both before the database opens; then `body` runs on the
    /// store with the URL and what `check` gave. Failures are reported as ``GlobalOptions/runOnStore(checking:_:)``
    /// reports them.
    func runOnStore<Checked>(
        checking check: @autoclosure () throws -> Checked,
        _ body: (any RosterStorage, _ baseURL: String, Checked) async throws -> Void
    ) async throws {
        let environment = ProcessInfo.processInfo.environment
        try await global.runOnStore(checking: (checked: check(), address: address.resolve(environment: environment))) { store, prepared in
            try await body(store, prepared.address.baseURL, prepared.checked)
        }
    }

    /// ``runOnStore(checking:_:)`` for a command with nothing to check before the URL and the database.
    func runOnStore(_ body: (any RosterStorage, _ baseURL: String) async throws -> Void) async throws {
        try await runOnStore(checking: ()) { store, baseURL, _ in try await body(store, baseURL) }
    }
}
