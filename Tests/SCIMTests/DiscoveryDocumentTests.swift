import Testing

@testable import SCIM

/// The discovery documents of RFC 7644 §4, checked against what Okta's SPEC test, scim2-tester and Entra require.
@Suite("Discovery")
struct DiscoveryDocumentTests {
    /// The base URL every document is rendered under.
    let baseURL = "https://roster.example/scim/v2"

    // MARK: ServiceProviderConfig

    @Test func serviceProviderConfigHasEveryKeyOktasSpecTestRequires() throws {
        let document = ServiceProviderConfiguration().document(baseURL: baseURL)
        let schemas = try #require(document.at("schemas")?.arrayValue)
        #expect(schemas.contains(.string(SCIMSchemaURN.serviceProviderConfig)))
        // Step 1 of Okta's "SCIM 2.0 SPEC Test": each of these must be present and non-empty.
        let required = [
            "patch", "bulk", "filter", "changePassword", "sort", "etag", "authenticationSchemes",
            "authenticationSchemes[0].type", "authenticationSchemes[0].description", "etag.supported", "sort.supported",
            "changePassword.supported", "filter.maxResults", "filter.supported", "bulk.supported", "bulk.maxOperations",
            "bulk.maxPayloadSize", "patch.supported",
        ]
        for path in required {
            #expect(isNonEmpty(document.at(path)), "\(path) is missing or empty")
        }
        let maxOperations = try #require(document.at("bulk.maxOperations").flatMap(\.numberValue?.intValue))
        #expect(maxOperations > 0)
        let maxPayloadSize = try #require(document.at("bulk.maxPayloadSize").flatMap(\.numberValue?.intValue))
        #expect(maxPayloadSize > 0)
    }

    @Test func serviceProviderConfigAdvertisesRostersFeatures() throws {
        let document = ServiceProviderConfiguration().document(baseURL: baseURL)
        #expect(document.at("patch.supported") == .bool(true))
        #expect(document.at("bulk.supported") == .bool(false))
        #expect(document.at("bulk.maxOperations") == .integer(1))
        #expect(document.at("bulk.maxPayloadSize") == .integer(10_485_760))
        #expect(document.at("filter.supported") == .bool(true))
        #expect(document.at("filter.maxResults") == .integer(1000))
        #expect(document.at("changePassword.supported") == .bool(false))
        #expect(document.at("sort.supported") == .bool(true))
        #expect(document.at("etag.supported") == .bool(true))
        #expect(document.at("authenticationSchemes[0].type") == "oauthbearertoken")
        #expect(document.at("authenticationSchemes[0].name") == "OAuth Bearer Token")
        #expect(document.at("authenticationSchemes[0].specUri") == "https://www.rfc-editor.org/rfc/rfc6750")
        #expect(document.at("authenticationSchemes[0].primary") == .bool(true))
        #expect(document.at("authenticationSchemes[0].documentationUri") == nil)
        #expect(document.at("documentationUri") == nil)
        #expect(document.at("meta.resourceType") == "ServiceProviderConfig")
        #expect(document.at("meta.location") == .string(baseURL + "/ServiceProviderConfig"))
        #expect(document.at("id") == nil, "ServiceProviderConfig has no id (RFC 7643 §5)")
    }

    @Test func serviceProviderConfigReflectsItsStoredProperties() {
        var configuration = ServiceProviderConfiguration(documentationUri: "https://roster.example/docs/scim")
        configuration.bulkSupported = true
        configuration.bulkMaxOperations = 50
        configuration.filterMaxResults = 200
        configuration.etagSupported = false
        let document = configuration.document(baseURL: baseURL + "/")
        #expect(document.at("documentationUri") == "https://roster.example/docs/scim")
        #expect(document.at("bulk.supported") == .bool(true))
        #expect(document.at("bulk.maxOperations") == .integer(50))
        #expect(document.at("filter.maxResults") == .integer(200))
        #expect(document.at("etag.supported") == .bool(false))
        #expect(document.at("meta.location") == .string(baseURL + "/ServiceProviderConfig"), "a trailing slash is not doubled")
    }

    // MARK: ResourceTypes

    @Test func userResourceTypeListsTheEnterpriseExtension() throws {
        let user = try DiscoveryDocuments.resourceType(id: "User", baseURL: baseURL)
        #expect(user.at("schemas") == .array([.string(SCIMSchemaURN.resourceType)]))
        #expect(user.at("id") == "User")
        #expect(user.at("name") == "User")
        #expect(user.at("endpoint") == "/Users")
        #expect(user.at("schema") == .string(SCIMSchemaURN.user))
        let extensions = try #require(user.at("schemaExtensions")?.arrayValue)
        #expect(extensions == [["schema": .string(SCIMSchemaURN.enterpriseUser), "required": false]])
        #expect(user.at("meta.resourceType") == "ResourceType")
        #expect(user.at("meta.location") == .string(baseURL + "/ResourceTypes/User"))
    }

    @Test func groupResourceTypeHasNoSchemaExtensionsKey() throws {
        let group = try DiscoveryDocuments.resourceType(id: "Group", baseURL: baseURL)
        #expect(group.at("endpoint") == "/Groups")
        #expect(group.at("schema") == .string(SCIMSchemaURN.group))
        let object = try #require(group.objectValue)
        #expect(!object.keys.contains("schemaExtensions"))
    }

    @Test func resourceTypesListHasNameEndpointAndSchemaForOkta() throws {
        let list = DiscoveryDocuments.allResourceTypes(baseURL: baseURL)
        #expect(list.compactMap { $0.at("id")?.stringValue } == ["User", "Group"])
        for document in list {
            for key in ["name", "endpoint", "schema"] {
                #expect(isNonEmpty(document.at(key)), "ResourceType \(key) is empty")
            }
        }
    }

    @Test func everyResourceTypeSchemaResolvesAtSchemas() throws {
        // scim2-tester fetches /Schemas/{schema} for each ResourceType's schema and extensions.
        for document in DiscoveryDocuments.allResourceTypes(baseURL: baseURL) {
            var urns = [try #require(document.at("schema")?.stringValue)]
            urns += (document.at("schemaExtensions")?.arrayValue ?? []).compactMap { $0.at("schema")?.stringValue }
            for urn in urns {
                let schema = try DiscoveryDocuments.schema(id: urn, baseURL: baseURL)
                #expect(schema.at("id") == .string(urn))
            }
        }
    }

    // MARK: Schemas

    @Test func schemasListsTheSixServedSchemas() {
        let ids = DiscoveryDocuments.allSchemas(baseURL: baseURL).compactMap { $0.at("id")?.stringValue }
        #expect(
            ids == [
                SCIMSchemaURN.user, SCIMSchemaURN.enterpriseUser, SCIMSchemaURN.group,
                SCIMSchemaURN.serviceProviderConfig, SCIMSchemaURN.resourceType, SCIMSchemaURN.schema,
            ]
        )
        for document in DiscoveryDocuments.allSchemas(baseURL: baseURL) {
            #expect(isNonEmpty(document.at("id")) && isNonEmpty(document.at("attributes")), "Okta step 5 needs id and attributes")
            #expect(document.at("schemas") == .array([.string(SCIMSchemaURN.schema)]))
            #expect(document.at("meta.resourceType") == "Schema")
            let id = document.at("id")?.stringValue ?? ""
            #expect(document.at("meta.location") == .string(baseURL + "/Schemas/" + id))
        }
    }

    @Test func userSchemaDocumentDescribesUserName() throws {
        let user = try DiscoveryDocuments.schema(id: SCIMSchemaURN.user, baseURL: baseURL)
        #expect(user.at("name") == "User")
        let userName = try #require(attribute("userName", in: user))
        #expect(userName.at("type") == "string")
        #expect(userName.at("uniqueness") == "server")
        #expect(userName.at("required") == .bool(true))
        #expect(userName.at("multiValued") == .bool(false))
        #expect(userName.at("caseExact") == .bool(false))
        #expect(userName.at("mutability") == "readWrite")
        #expect(userName.at("returned") == "default")
        #expect(userName.at("subAttributes") == nil)
        #expect(userName.at("canonicalValues") == nil)
        #expect(userName.at("referenceTypes") == nil)
    }

    @Test func userSchemaDocumentDescribesPassword() throws {
        let user = try DiscoveryDocuments.schema(id: SCIMSchemaURN.user, baseURL: baseURL)
        let password = try #require(attribute("password", in: user))
        #expect(password.at("returned") == "never")
        #expect(password.at("mutability") == "writeOnly")
    }

    @Test func userSchemaDocumentDescribesEmails() throws {
        let user = try DiscoveryDocuments.schema(id: SCIMSchemaURN.user, baseURL: baseURL)
        let emails = try #require(attribute("emails", in: user))
        #expect(emails.at("type") == "complex")
        #expect(emails.at("multiValued") == .bool(true))
        let subAttributes = try #require(emails.at("subAttributes")?.arrayValue)
        #expect(subAttributes.compactMap { $0.at("name")?.stringValue } == ["value", "display", "type", "primary"])
        #expect(emails.at("subAttributes[2].canonicalValues") == ["work", "home", "other"])
        #expect(emails.at("subAttributes[3].type") == "boolean")
        let profileUrl = try #require(attribute("profileUrl", in: user))
        #expect(profileUrl.at("type") == "reference")
        #expect(profileUrl.at("referenceTypes") == ["external"])
        let entitlements = try #require(attribute("entitlements", in: user))
        #expect(entitlements.at("subAttributes[2].name") == "type")
        #expect(entitlements.at("subAttributes[2].canonicalValues") == nil, "an empty canonicalValues is omitted")
    }

    @Test func userSchemaDocumentLeavesOutTheCommonAttributes() throws {
        let user = try DiscoveryDocuments.schema(id: SCIMSchemaURN.user, baseURL: baseURL)
        for name in ["id", "externalId", "meta"] {
            #expect(attribute(name, in: user) == nil, "\(name) is a common attribute, not a User schema attribute")
        }
    }

    @Test func schemaDocumentsMirrorTheirDefinitions() throws {
        // One source of truth: every attribute and sub-attribute of a definition appears, in order, with its
        // characteristics, and nothing else does.
        for definition in DiscoveryDocuments.servedSchemas {
            let document = DiscoveryDocuments.schema(definition, baseURL: baseURL)
            let attributes = try #require(document.at("attributes")?.arrayValue)
            #expect(attributes.count == definition.attributes.count)
            for (rendered, attribute) in zip(attributes, definition.attributes) {
                expectMirrors(rendered, attribute, in: definition.id)
            }
        }
    }

    @Test func everyAttributeHasEveryCharacteristic() throws {
        let keys = ["name", "type", "multiValued", "description", "required", "caseExact", "mutability", "returned", "uniqueness"]
        for document in DiscoveryDocuments.allSchemas(baseURL: baseURL) {
            let attributes = try #require(document.at("attributes")?.arrayValue)
            for attribute in flattened(attributes) {
                let object = try #require(attribute.objectValue)
                for key in keys {
                    #expect(object[key] != nil, "\(attribute.at("name")?.stringValue ?? "?") lacks \(key)")
                }
                let isComplex = object["type"] == "complex"
                #expect((object["subAttributes"] != nil) == isComplex, "subAttributes only and always for complex attributes")
            }
        }
    }

    @Test func discoveryMetaSchemasAreReadOnly() throws {
        for definition in [CoreSchemas.serviceProviderConfig, CoreSchemas.resourceType, CoreSchemas.schema] {
            let all = definition.attributes.flatMap { [$0] + $0.subAttributes + $0.subAttributes.flatMap(\.subAttributes) }
            #expect(!all.isEmpty)
            for attribute in all {
                #expect(attribute.mutability == .readOnly, "\(definition.id) \(attribute.name) is not readOnly")
            }
        }
    }

    // MARK: Conformance to the meta-schemas

    @Test func documentsConformToTheirMetaSchemas() throws {
        var cases: [(JSONValue, SchemaDefinition)] = [
            (ServiceProviderConfiguration().document(baseURL: baseURL), CoreSchemas.serviceProviderConfig),
            (ServiceProviderConfiguration(documentationUri: "https://x.example").document(baseURL: baseURL), CoreSchemas.serviceProviderConfig),
        ]
        cases += DiscoveryDocuments.allResourceTypes(baseURL: baseURL).map { ($0, CoreSchemas.resourceType) }
        cases += DiscoveryDocuments.allSchemas(baseURL: baseURL).map { ($0, CoreSchemas.schema) }
        for (document, schema) in cases {
            let object = try #require(document.objectValue)
            let problems = conformanceProblems(object, schema.attributes, ignoring: ["schemas", "meta"], depth: 1)
            #expect(problems.isEmpty, "\(document.at("id")?.stringValue ?? "ServiceProviderConfig"): \(problems)")
        }
    }

    @Test func conformanceCheckCatchesAWrongDocument() throws {
        // The conformance check itself must be able to fail.
        let broken: JSONValue = ["schemas": [], "name": 3, "endpoint": "/X", "bogus": true]
        let problems = conformanceProblems(try #require(broken.objectValue), CoreSchemas.resourceType.attributes, ignoring: ["schemas"], depth: 1)
        #expect(problems.contains { $0.contains("name") })
        #expect(problems.contains { $0.contains("schema") && $0.contains("missing") })
        #expect(problems.contains { $0.contains("bogus") })
    }

    // MARK: Lookups and queries

    @Test func lookupsIgnoreCase() throws {
        #expect(try DiscoveryDocuments.resourceType(id: "user", baseURL: baseURL).at("name") == "User")
        #expect(try DiscoveryDocuments.resourceType(id: "GROUP", baseURL: baseURL).at("name") == "Group")
        let enterprise = try DiscoveryDocuments.schema(id: SCIMSchemaURN.enterpriseUser.uppercased(), baseURL: baseURL)
        #expect(enterprise.at("id") == .string(SCIMSchemaURN.enterpriseUser))
        #expect(try DiscoveryDocuments.schemaDefinition(id: SCIMSchemaURN.schema) == CoreSchemas.schema)
        #expect(try DiscoveryDocuments.resourceSchema(id: "User") == ResourceSchema.user)
    }

    @Test(arguments: ["Users", "Nope", "", "urn:ietf:params:scim:schemas:core:2.0:User"])
    func unknownResourceTypeIsNotFound(id: String) {
        let error = #expect(throws: SCIMError.self) { try DiscoveryDocuments.resourceType(id: id, baseURL: baseURL) }
        #expect(error?.status == 404)
        #expect(error?.document.at("status") == "404")
    }

    @Test(arguments: ["User", "urn:ietf:params:scim:schemas:core:2.0:Nope", "", "d1f0c2e4-5b7a-4c3e-9f00-000000000000"])
    func unknownSchemaIsNotFound(id: String) {
        let error = #expect(throws: SCIMError.self) { try DiscoveryDocuments.schema(id: id, baseURL: baseURL) }
        #expect(error?.status == 404)
        #expect(error?.scimType == nil)
    }

    @Test func aFilterOnADiscoveryEndpointIsForbidden() {
        #expect(throws: Never.self) { try DiscoveryDocuments.checkQuery(filter: nil) }
        let error = #expect(throws: SCIMError.self) { try DiscoveryDocuments.checkQuery(filter: #"name eq "User""#) }
        #expect(error?.status == 403)
        #expect(error.map { !$0.detail.isEmpty } == true)
    }

    // MARK: Every document

    @Test func noDocumentContainsNull() {
        for document in allDocuments() {
            #expect(nullPaths(document).isEmpty, "nulls at \(nullPaths(document))")
        }
        #expect(nullPaths(["a": [1, ["b": nil]]]) == ["$.a[1].b"], "the null walk finds nested nulls")
    }

    @Test func everyDocumentReparses() throws {
        for document in allDocuments() {
            let text = document.serialized()
            let reparsed = try JSONParser().parse(text)
            #expect(reparsed == document)
            #expect(reparsed.serialized() == text)
        }
    }

    // MARK: Helpers

    private func allDocuments() -> [JSONValue] {
        [
            ServiceProviderConfiguration().document(baseURL: baseURL),
            ServiceProviderConfiguration(documentationUri: "https://roster.example/docs").document(baseURL: baseURL),
        ] + DiscoveryDocuments.allResourceTypes(baseURL: baseURL) + DiscoveryDocuments.allSchemas(baseURL: baseURL)
    }

    /// The top-level attribute named `name` of a Schema document.
    private func attribute(_ name: String, in schema: JSONValue) -> JSONValue? {
        schema.at("attributes")?.arrayValue?.first { $0.at("name") == .string(name) }
    }

    /// Attribute documents and all their sub-attribute documents.
    private func flattened(_ attributes: [JSONValue]) -> [JSONValue] {
        attributes.flatMap { [$0] + flattened($0.at("subAttributes")?.arrayValue ?? []) }
    }

    /// Checks that a rendered attribute matches its definition, recursively.
    private func expectMirrors(_ rendered: JSONValue, _ attribute: AttributeDefinition, in schemaID: String) {
        let label = "\(schemaID) \(attribute.name)"
        #expect(rendered.at("name") == .string(attribute.name), "\(label)")
        #expect(rendered.at("type") == .string(attribute.type.rawValue), "\(label)")
        #expect(rendered.at("multiValued") == .bool(attribute.multiValued), "\(label)")
        #expect(rendered.at("description") == .string(attribute.description), "\(label)")
        #expect(rendered.at("required") == .bool(attribute.required), "\(label)")
        #expect(rendered.at("caseExact") == .bool(attribute.caseExact), "\(label)")
        #expect(rendered.at("mutability") == .string(attribute.mutability.rawValue), "\(label)")
        #expect(rendered.at("returned") == .string(attribute.returned.rawValue), "\(label)")
        #expect(rendered.at("uniqueness") == .string(attribute.uniqueness.rawValue), "\(label)")
        #expect(rendered.at("canonicalValues")?.arrayValue?.compactMap(\.stringValue) ?? [] == attribute.canonicalValues, "\(label)")
        #expect(rendered.at("referenceTypes")?.arrayValue?.compactMap(\.stringValue) ?? [] == attribute.referenceTypes, "\(label)")
        let subAttributes = rendered.at("subAttributes")?.arrayValue ?? []
        #expect(subAttributes.count == attribute.subAttributes.count, "\(label)")
        for (renderedSub, sub) in zip(subAttributes, attribute.subAttributes) {
            expectMirrors(renderedSub, sub, in: label)
        }
    }

    /// What is wrong with `object` as a value of `attributes`: missing required attributes, unknown keys, and values
    /// of the wrong JSON type or outside the canonical values. The Schema meta-schema, like RFC 7643 §8.7.2, defines
    /// attribute definitions only two levels deep, so a third level of `subAttributes` is not checked.
    private func conformanceProblems(
        _ object: JSONObject,
        _ attributes: [AttributeDefinition],
        ignoring ignored: Set<String>,
        depth: Int
    ) -> [String] {
        var problems: [String] = []
        for attribute in attributes where attribute.required && object[attribute.name] == nil {
            problems.append("required \(attribute.name) is missing")
        }
        for (key, value) in object where !ignored.contains(key) {
            guard let attribute = attributes.first(where: { $0.name == key }) else {
                // Below `attributes.subAttributes` the meta-schema stops describing nested `subAttributes`.
                if !(depth >= 3 && key == "subAttributes") { problems.append("\(key) is not defined by the schema") }
                continue
            }
            let values: [JSONValue]
            if attribute.multiValued {
                guard let array = value.arrayValue else {
                    problems.append("\(key) is not an array")
                    continue
                }
                values = array
            } else {
                values = [value]
            }
            for element in values {
                problems += typeProblems(element, attribute, depth: depth)
            }
        }
        return problems
    }

    /// What is wrong with one value of `attribute`.
    private func typeProblems(_ value: JSONValue, _ attribute: AttributeDefinition, depth: Int) -> [String] {
        let name = attribute.name
        switch attribute.type {
        case .string, .reference, .dateTime, .binary:
            guard let string = value.stringValue else { return ["\(name) is a \(value.typeName), not a string"] }
            if !attribute.canonicalValues.isEmpty && !attribute.canonicalValues.contains(string) {
                return ["\(name) value \(string) is not canonical"]
            }
            return []
        case .boolean:
            return value.boolValue == nil ? ["\(name) is a \(value.typeName), not a boolean"] : []
        case .integer:
            return value.numberValue?.intValue == nil ? ["\(name) is a \(value.typeName), not an integer"] : []
        case .decimal:
            return value.numberValue == nil ? ["\(name) is a \(value.typeName), not a number"] : []
        case .complex:
            guard let object = value.objectValue else { return ["\(name) is a \(value.typeName), not an object"] }
            return conformanceProblems(object, attribute.subAttributes, ignoring: [], depth: depth + 1).map { "\(name).\($0)" }
        }
    }

    /// Runscope's `not_empty`, conservatively: present, not null, not an empty string, array or object, and not 0.
    private func isNonEmpty(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?: false
        case .string(let string)?: !string.isEmpty
        case .array(let array)?: !array.isEmpty
        case .object(let object)?: !object.isEmpty
        case .number(let number)?: number.doubleValue != 0
        case .bool?: true
        }
    }

    /// The paths of every null in `value`.
    private func nullPaths(_ value: JSONValue, at path: String = "$") -> [String] {
        switch value {
        case .null: [path]
        case .array(let array): array.enumerated().flatMap { nullPaths($0.element, at: "\(path)[\($0.offset)]") }
        case .object(let object): object.flatMap { nullPaths($0.value, at: "\(path).\($0.key)") }
        case .bool, .number, .string: []
        }
    }
}

extension JSONValue {
    /// The number, when this is a number.
    fileprivate var numberValue: JSONNumber? {
        if case .number(let number) = self { return number }
        return nil
    }

    /// The value at a dotted path such as `authenticationSchemes[0].type`, or nil when any step is missing.
    fileprivate func at(_ path: String) -> JSONValue? {
        var current: JSONValue? = self
        for component in path.split(separator: ".") {
            var name = Substring(component)
            var index: Int?
            if let open = name.firstIndex(of: "["), name.hasSuffix("]") {
                index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)])
                name = name[..<open]
            }
            current = current?.objectValue?[String(name)]
            if let index {
                guard let array = current?.arrayValue, array.indices.contains(index) else { return nil }
                current = array[index]
            }
        }
        return current
    }
}
