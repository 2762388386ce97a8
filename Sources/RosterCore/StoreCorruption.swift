/// The database holds something Roster could not have written (a document that is not JSON, a migration this
/// version does not know).
public struct StoreCorruption: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var detail: String

    /// Makes one.
    public init(detail: String) {
        self.detail = detail
    }

    /// The detail.
    public var description: String { detail }
}
