import SCIM

extension NormalizedResource {
    /// The attributes a new resource of `kind` is stored with: the body's, and for a user `active` true unless the
    /// body says otherwise.
    public func createdAttributes(_ kind: ResourceKind) -> JSONObject {
        var attributes = self.attributes
        if kind == .user, attributes["active"] == nil { attributes["active"] = .bool(true) }
        return attributes
    }
}
