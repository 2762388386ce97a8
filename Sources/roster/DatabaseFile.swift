import Foundation
import RosterCore
import RosterSQLite

/// The SQLite file a command works on, opened.
struct DatabaseFile: Sendable {
    /// The file's absolute path.
    var path: String
    var store: SQLiteStore

    /// Creates the directory of the file at `sqlitePath` when missing and opens (creating and migrating) the file.
    /// Any failure is an unusable configuration: one line, exit code 2.
    static func open(sqlitePath: String) throws(CommandFailure) -> DatabaseFile {
        let path = URL(fileURLWithPath: sqlitePath).standardizedFileURL.path
        let files = FileManager.default
        if let parent = DatabaseLocation(sqlitePath: path).parentDirectory {
            var isDirectory: ObjCBool = false
            if files.fileExists(atPath: parent, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    throw .configuration("cannot use the database file \(path): \(parent) is not a directory")
                }
            } else {
                do {
                    try files.createDirectory(atPath: parent, withIntermediateDirectories: true)
                } catch {
                    throw .configuration("cannot create the database directory \(parent): \(reason(error))")
                }
            }
            guard files.isWritableFile(atPath: parent) else {
                throw .configuration("cannot use the database file \(path): its directory \(parent) is not writable")
            }
        }
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw .configuration("cannot use the database file \(path): it is a directory")
        }
        do {
            return DatabaseFile(path: path, store: try SQLiteStore(path: path))
        } catch {
            throw .configuration("cannot open the SQLite database \(path): \(reason(error))")
        }
    }

    /// A file-system error's own words ("No such file or directory"), or the error's description.
    private static func reason(_ error: any Error) -> String {
        if let cocoa = error as? CocoaError {
            if let underlying = cocoa.underlying.map({ $0 as NSError }), underlying.domain == NSPOSIXErrorDomain {
                return String(cString: strerror(Int32(underlying.code)))
            }
            return cocoa.localizedDescription.replacingNewlines()
        }
        return String(describing: error).replacingNewlines()
    }
}
