extension ServiceProviderConfiguration {
    /// One entry of `authenticationSchemes` (RFC 7643 §5).
    public struct AuthenticationScheme: Sendable, Hashable {
        /// The scheme keyword, such as `oauthbearertoken` or `httpbasic`.
        public var type: String
        /// The common name of the scheme.
        public var name: String
        /// A description of the scheme.
        public var description: String
        /// The URL of the scheme's specification; omitted when nil.
        public var specUri: String?
        /// The URL of the scheme's usage documentation; omitted when nil.
        public var documentationUri: String?
        /// Whether this is the preferred scheme.
        public var primary: Bool

        /// Makes a scheme.
        public init(
            type: String,
            name: String,
            description: String,
            specUri: String? = nil,
            documentationUri: String? = nil,
            primary: Bool = false
        ) {
            self.type = type
            self.name = name
            self.description = description
            self.specUri = specUri
            self.documentationUri = documentationUri
            self.primary = primary
        }

        /// The bearer token of RFC 6750, which is how IdPs authenticate to Roster with a directory's SCIM token.
        public static let bearerToken = AuthenticationScheme(
            type: "oauthbearertoken",
            name: "OAuth Bearer Token",
            description: "Authentication with the directory's SCIM bearer token",
            specUri: "https://www.rfc-editor.org/rfc/rfc6750",
            primary: true
        )

        /// The scheme as a JSON object, without nulls.
        public var document: JSONValue {
            var object = JSONObject()
            object["type"] = .string(type)
            object["name"] = .string(name)
            object["description"] = .string(description)
            if let specUri { object["specUri"] = .string(specUri) }
            if let documentationUri { object["documentationUri"] = .string(documentationUri) }
            object["primary"] = .bool(primary)
            return .object(object)
        }
    }
}
