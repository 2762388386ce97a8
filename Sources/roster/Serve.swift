import ArgumentParser
import Foundation
import Logging
import RosterCore
import RosterServer

extension Roster {
    /// `roster serve`: reads the configuration, opens the database and runs the HTTP server until SIGTERM or SIGINT.
    struct Serve: AsyncParsableCommand {
        /// The command's help.
        static let configuration = CommandConfiguration(abstract: "Run the SCIM server.")

        /// The database.
        @OptionGroup var global: GlobalOptions
        /// Where to listen, and the public URL.
        @OptionGroup var address: ServerAddressOptions

        /// `--max-body-bytes`, else `MAX_BODY_BYTES`.
        @Option(
            name: .customLong("max-body-bytes"),
            help: ArgumentHelp(
                "The largest request body accepted, in bytes (env MAX_BODY_BYTES; default \(Serve.defaultMaxBodyBytes)).",
                valueName: "bytes"
            )
        )
        var maxBodyBytes: String?

        /// 10 MiB.
        static let defaultMaxBodyBytes = 10_485_760

        /// Runs the server.
        func run() async throws {
            try await CommandFailure.reporting {
                let environment = ProcessInfo.processInfo.environment
                let address = try address.resolve(environment: environment)
                var bodyLimit = Serve.defaultMaxBodyBytes
                if let text = Setting.maxBodyBytes.value(flag: maxBodyBytes, environment: environment) {
                    bodyLimit = try Setting.maxBodyBytes.integer(text, in: 1...Int.max, expected: "a positive number of bytes")
                }
                let database = try global.openDatabase(environment: environment)
                let configuration = ServerConfiguration(
                    host: address.host,
                    port: address.port,
                    baseURL: address.baseURL,
                    maxBodyBytes: bodyLimit
                )
                let app = buildApplication(configuration: configuration, store: database.store, logger: Logger(label: "roster"))
                Console.out("Starting Roster on \(address.listeningURL)")
                Console.out("SCIM Base URLs: \(SCIMPaths.base(baseURL: address.baseURL, directoryID: "{directoryId}"))")
                Console.out("Database: SQLite file \(database.path)")
                do {
                    try await app.runService()
                } catch {
                    throw CommandFailure.failed("cannot serve on \(address.listeningURL): \(String(describing: error).replacingNewlines())")
                }
            }
        }
    }
}
