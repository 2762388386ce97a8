extension CoreSchemas {
    /// The core User schema of RFC 7643 §4.1 and §8.7.1.
    public static let user = SchemaDefinition(
        id: SCIMSchemaURN.user,
        name: "User",
        description: "User Account",
        attributes: [
            AttributeDefinition(
                "userName",
                description: "Unique identifier for the User, used to authenticate; unique within the directory, ignoring case.",
                required: true,
                uniqueness: .server
            ),
            AttributeDefinition(
                "name",
                type: .complex,
                description: "The components of the user's real name.",
                subAttributes: [
                    text("formatted", "The full name, formatted for display."),
                    text("familyName", "The family name, or last name."),
                    text("givenName", "The given name, or first name."),
                    text("middleName", "The middle name(s)."),
                    text("honorificPrefix", "The honorific prefix(es), or title, such as 'Ms.'."),
                    text("honorificSuffix", "The honorific suffix(es), such as 'III'."),
                ]
            ),
            text("displayName", "The name of the User, suitable for display to end-users."),
            text("nickName", "The casual way to address the user."),
            AttributeDefinition(
                "profileUrl",
                type: .reference,
                description: "A URI pointing to the user's online profile.",
                referenceTypes: ["external"]
            ),
            text("title", "The user's title, such as 'Vice President'."),
            text("userType", "The relationship between the organization and the user, such as 'Employee'."),
            text("preferredLanguage", "The user's preferred written or spoken language, such as 'en-US'."),
            text("locale", "The user's default location for localisation, such as 'en-US'."),
            text("timezone", "The user's time zone in IANA format, such as 'America/Los_Angeles'."),
            AttributeDefinition("active", type: .boolean, description: "The user's administrative status."),
            AttributeDefinition(
                "password",
                description: "The user's cleartext password; accepted and never stored or returned.",
                mutability: .writeOnly,
                returned: .never
            ),
            AttributeDefinition(
                "emails",
                type: .complex,
                multiValued: true,
                description: "Email addresses for the user.",
                subAttributes: multiValuedParts(value: text("value", "The email address."), types: ["work", "home", "other"])
            ),
            AttributeDefinition(
                "phoneNumbers",
                type: .complex,
                multiValued: true,
                description: "Phone numbers for the user.",
                subAttributes: multiValuedParts(
                    value: text("value", "The phone number."),
                    types: ["work", "home", "mobile", "fax", "pager", "other"]
                )
            ),
            AttributeDefinition(
                "ims",
                type: .complex,
                multiValued: true,
                description: "Instant messaging addresses for the user.",
                subAttributes: multiValuedParts(
                    value: text("value", "The instant messaging address."),
                    types: ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"]
                )
            ),
            AttributeDefinition(
                "photos",
                type: .complex,
                multiValued: true,
                description: "URLs of images of the user.",
                subAttributes: multiValuedParts(
                    value: AttributeDefinition("value", type: .reference, description: "The URL of the image.", referenceTypes: ["external"]),
                    types: ["photo", "thumbnail"]
                )
            ),
            AttributeDefinition(
                "addresses",
                type: .complex,
                multiValued: true,
                description: "Physical mailing addresses for the user.",
                subAttributes: [
                    text("formatted", "The full mailing address, formatted for display."),
                    text("streetAddress", "The full street address."),
                    text("locality", "The city or locality."),
                    text("region", "The state or region."),
                    text("postalCode", "The zip code or postal code."),
                    text("country", "The country name in ISO 3166-1 alpha-2 code format."),
                    AttributeDefinition(
                        "type",
                        description: "A label indicating the address's function.",
                        canonicalValues: ["work", "home", "other"]
                    ),
                    AttributeDefinition("primary", type: .boolean, description: "Whether this is the primary address."),
                ]
            ),
            AttributeDefinition(
                "groups",
                type: .complex,
                multiValued: true,
                description: "The groups the user belongs to, derived from group membership.",
                mutability: .readOnly,
                subAttributes: [
                    AttributeDefinition("value", description: "The identifier of the group.", mutability: .readOnly),
                    AttributeDefinition(
                        "$ref",
                        type: .reference,
                        description: "The URI of the group.",
                        mutability: .readOnly,
                        referenceTypes: ["User", "Group"]
                    ),
                    AttributeDefinition("display", description: "The group's display name.", mutability: .readOnly),
                    AttributeDefinition(
                        "type",
                        description: "How the membership was derived.",
                        mutability: .readOnly,
                        canonicalValues: ["direct", "indirect"]
                    ),
                ]
            ),
            AttributeDefinition(
                "entitlements",
                type: .complex,
                multiValued: true,
                description: "Entitlements for the user.",
                subAttributes: multiValuedParts(value: text("value", "The value of an entitlement."), types: [])
            ),
            AttributeDefinition(
                "roles",
                type: .complex,
                multiValued: true,
                description: "Roles for the user.",
                subAttributes: multiValuedParts(value: text("value", "The value of a role."), types: [])
            ),
            AttributeDefinition(
                "x509Certificates",
                type: .complex,
                multiValued: true,
                description: "DER-encoded X.509 certificates for the user.",
                subAttributes: multiValuedParts(
                    value: AttributeDefinition("value", type: .binary, description: "The value of an X.509 certificate."),
                    types: []
                )
            ),
        ]
    )

    /// The Enterprise User extension of RFC 7643 §4.3.
    public static let enterpriseUser = SchemaDefinition(
        id: SCIMSchemaURN.enterpriseUser,
        name: "EnterpriseUser",
        description: "Enterprise User",
        attributes: [
            text("employeeNumber", "A string identifier, typically numeric or alphanumeric, assigned to a person by the organization."),
            text("costCenter", "The name of a cost center."),
            text("organization", "The name of an organization."),
            text("division", "The name of a division."),
            text("department", "The name of a department."),
            AttributeDefinition(
                "manager",
                type: .complex,
                description: "The user's manager; accepted as an object, a bare id string or a one-element array.",
                subAttributes: [
                    text("value", "The id of the manager's User resource."),
                    AttributeDefinition("$ref", type: .reference, description: "The URI of the manager's User resource.", referenceTypes: ["User"]),
                    text("displayName", "The manager's display name.", mutability: .readOnly),
                ]
            ),
        ]
    )
}
