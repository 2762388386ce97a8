import ArgumentParser
import Foundation
import RosterCore

extension Roster {
    /// `roster login-link EMAIL`: prints a one-time sign-in link to the settings pages.
    struct LoginLink: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "login-link",
            abstract: "Print a one-time sign-in link to the settings pages for an admin.",
            discussion: """
                The link works once, for 15 minutes, and only for an email listed in SAML_ADMINS. Run it where Roster's \
                database is (in Docker: docker exec CONTAINER roster login-link EMAIL) and open the link in a browser.
                """
        )

        /// Where the data is, and the public URL the link starts with.
        @OptionGroup var options: AddressedStoreOptions
        @OptionGroup var adminOptions: AdminOptions

        @Argument(help: "An email listed in SAML_ADMINS.")
        var email: String

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            try await options.runOnStore(checking: adminOptions.allowList(environment: environment)) { store, baseURL, admins in
                do {
                    let link = try await store.issueLoginLink(for: email, admins: admins, baseURL: baseURL)
                    Console.out("Sign-in link for \(email.trimmed()) (works once, for 15 minutes):\n\(link)")
                } catch let error as AdminAccessError {
                    if case .storage = error { throw CommandFailure.failed(error.description) }
                    throw CommandFailure.configuration(error.description)
                }
            }
        }
    }
}
