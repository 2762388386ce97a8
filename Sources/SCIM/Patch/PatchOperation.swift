/// One operation of a PATCH request (RFC 7644 §3.5.2).
public struct PatchOperation: Sendable, Hashable {
    /// What the operation does.
    public enum Kind: String, Sendable, Hashable {
        /// Add values (append to multi-valued attributes, merge into complex ones).
        case add
        /// Remove values.
        case remove
        /// Replace values (merging sub-attributes of complex attributes).
        case replace
    }

    /// What the operation does.
    public var kind: Kind
    /// The target; nil means the value object names the attributes.
    public var path: PatchPath?
    /// The value, when one was sent.
    public var value: JSONValue?

    /// Makes an operation.
    public init(kind: Kind, path: PatchPath? = nil, value: JSONValue? = nil) {
        self.kind = kind
        self.path = path
        self.value = value
    }
}
