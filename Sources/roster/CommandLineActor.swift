import Foundation
import RosterCore

extension AuditActor {
    /// The command line as the audit trail records it (`cli`), with the operating-system user who runs this command:
    /// `USER`, else `LOGNAME`, else the name of the effective user id's account, else that id as a number.
    static func commandLineUser(environment: [String: String] = ProcessInfo.processInfo.environment) -> AuditActor {
        .commandLine(user: operatingSystemUser(environment: environment))
    }

    /// The name of the user running this process, never blank (see ``commandLineUser(environment:)``).
    static func operatingSystemUser(environment: [String: String]) -> String {
        for variable in ["USER", "LOGNAME"] {
            if let name = environment[variable]?.trimmed(), !name.isEmpty { return name.replacingNewlines() }
        }
        let uid = geteuid()
        return accountName(of: uid) ?? String(uid)
    }

    /// The account name of `uid` from the user database (`getpwuid_r`), or nil when it has none.
    private static func accountName(of uid: uid_t) -> String? {
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        return buffer.withUnsafeMutableBufferPointer { storage -> String? in
            guard let base = storage.baseAddress,
                getpwuid_r(uid, &entry, base, storage.count, &found) == 0,
                found != nil,
                let name = entry.pw_name
            else { return nil }
            // `entry`'s strings point into `buffer`, alive inside this closure.
            let text = String(cString: name)
            return text.isEmpty ? nil : text
        }
    }
}
