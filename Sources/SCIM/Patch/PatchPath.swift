/// The target of a PATCH operation (RFC 7644 §3.5.2): an attribute path, optionally narrowed by a value filter
/// and followed by a sub-attribute, as in `emails[type eq "work"].value`.
public struct PatchPath: Sendable, Hashable {
    /// The attribute (possibly URN-qualified, possibly with a sub-attribute when there is no filter).
    public var attribute: AttributePath
    /// The value filter between brackets.
    public var filter: Filter?
    /// The sub-attribute after the brackets.
    public var subAttribute: String?

    /// Makes a path.
    public init(attribute: AttributePath, filter: Filter? = nil, subAttribute: String? = nil) {
        self.attribute = attribute
        self.filter = filter
        self.subAttribute = subAttribute
    }
}
