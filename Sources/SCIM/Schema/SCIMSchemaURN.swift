/// The schema and message URNs of RFC 7643 and RFC 7644.
public enum SCIMSchemaURN {
    /// The core User schema.
    public static let user = "urn:ietf:params:scim:schemas:core:2.0:User"
    /// The core Group schema.
    public static let group = "urn:ietf:params:scim:schemas:core:2.0:Group"
    /// The Enterprise User extension.
    public static let enterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    /// The ServiceProviderConfig schema.
    public static let serviceProviderConfig = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
    /// The ResourceType schema.
    public static let resourceType = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
    /// The Schema schema.
    public static let schema = "urn:ietf:params:scim:schemas:core:2.0:Schema"
    /// The ListResponse message.
    public static let listResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
    /// The SearchRequest message.
    public static let searchRequest = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
    /// The PatchOp message.
    public static let patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    /// The Error message.
    public static let error = "urn:ietf:params:scim:api:messages:2.0:Error"
    /// The BulkRequest message.
    public static let bulkRequest = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"

    /// Legacy URNs that some IdPs still send (OneLogin's default template), mapped to the current ones.
    public static let legacyAliases: [String: String] = [
        "urn:scim:schemas:core:2.0": user,
        "urn:scim:schemas:core:2.0:user": user,
        "urn:scim:schemas:core:2.0:group": group,
        "urn:scim:schemas:extension:enterprise:2.0": enterpriseUser,
        "urn:scim:schemas:extension:enterprise:2.0:user": enterpriseUser,
    ]
}
