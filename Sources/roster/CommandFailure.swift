import ArgumentParser

/// A failure a command reports as one line on standard error, with its exit code.
struct CommandFailure: Error, CustomStringConvertible {
    /// Exit code 2: the configuration (flags, environment, database URL or file) is unusable.
    static let configurationExitCode: Int32 = 2

    /// The line shown after `roster: `.
    var message: String
    var exitCode: Int32

    /// An unusable configuration: exit code 2.
    static func configuration(_ message: String) -> CommandFailure {
        CommandFailure(message: message, exitCode: configurationExitCode)
    }

    /// A request that cannot be carried out (an unknown directory, …): exit code 1.
    static func failed(_ message: String) -> CommandFailure {
        CommandFailure(message: message, exitCode: 1)
    }

    /// The line shown after `roster: `.
    var description: String { message }

    /// Runs `body`; a ``CommandFailure`` or any other error becomes one line on standard error and an ``ExitCode``
    /// (which the argument parser turns into the exit status without printing anything more).
    static func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as CommandFailure {
            Console.error("roster: \(failure.message)")
            throw ExitCode(failure.exitCode)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Console.error("roster: \(String(describing: error).replacingNewlines())")
            throw ExitCode.failure
        }
    }
}
