import Testing

@testable import SCIM

@Suite("Rendering and projection")
struct ProjectionTests {
    let meta = ResourceMeta(
        created: "2026-11-29T06:00:00.000Z",
        lastModified: "2026-11-29T06:05:00.000Z",
        location: "https://roster.example/api/scim/v2.0/d1/Users/u1",
        version: "W/\"3\""
    )

    func renderedUser() throws -> JSONObject {
        let body = try JSONParser().parse(
            #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen@example.com","password":"secret",
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales","employeeNumber":"701984"},
             "name":{"givenName":"Barbara","familyName":"Jensen"},"active":true,"externalId":"e1",
             "emails":[{"value":"bjensen@example.com","type":"work","primary":true},{"value":"babs@jensen.org","type":"home"}],
             "oktaCustom":"ignored"}
            """#
        )
        let attributes = try ResourceNormalizer.normalize(body, schema: .user).attributes
        let groups: JSONValue = [["value": "g1", "display": "Engineering"]]
        return ResourceRenderer.render(schema: .user, id: "u1", attributes: attributes, derived: JSONObject([("groups", groups)]), meta: meta)
    }

    @Test func rendersCanonicalOrderSchemasAndNoPassword() throws {
        let user = try renderedUser()
        #expect(
            user.keys == [
                "schemas", "id", "externalId", "userName", "name", "active", "emails", "groups", SCIMSchemaURN.enterpriseUser, "meta",
            ]
        )
        #expect(user["schemas"] == .array([.string(SCIMSchemaURN.user), .string(SCIMSchemaURN.enterpriseUser)]))
        #expect(user["password"] == nil)
        let metaObject = try #require(user["meta"]?.objectValue)
        #expect(metaObject["resourceType"] == "User")
        #expect(metaObject["location"] == .string(meta.location))
        #expect(metaObject["version"] == "W/\"3\"")
    }

    @Test func attributesKeepsOnlyAskedForPlusAlwaysReturned() throws {
        let projection = try AttributeProjection(attributes: "userName,emails.value", excludedAttributes: nil)
        let projected = projection.apply(to: try renderedUser(), schema: .user)
        #expect(projected.keys == ["schemas", "id", "userName", "emails"])
        #expect(projected["emails"] == [["value": "bjensen@example.com"], ["value": "babs@jensen.org"]])
    }

    @Test func attributesNamesAreCaseInsensitiveAndReachIntoExtensions() throws {
        let projection = try AttributeProjection(
            attributes: "NAME.givenname,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
            excludedAttributes: nil
        )
        let projected = projection.apply(to: try renderedUser(), schema: .user)
        #expect(projected["name"] == ["givenName": "Barbara"])
        #expect(projected[SCIMSchemaURN.enterpriseUser] == ["department": "Sales"])
        #expect(projected["userName"] == nil)
    }

    @Test func wholeExtensionCanBeAskedForOrExcluded() throws {
        let asked = try AttributeProjection(attributes: SCIMSchemaURN.enterpriseUser, excludedAttributes: nil)
        #expect(
            asked.apply(to: try renderedUser(), schema: .user)[SCIMSchemaURN.enterpriseUser] == ["department": "Sales", "employeeNumber": "701984"]
        )
        let excluded = try AttributeProjection(attributes: nil, excludedAttributes: SCIMSchemaURN.enterpriseUser)
        let projected = excluded.apply(to: try renderedUser(), schema: .user)
        #expect(projected[SCIMSchemaURN.enterpriseUser] == nil)
        #expect(projected["userName"] == "bjensen@example.com")
    }

    @Test func excludedAttributesNeverDropsIdOrSchemas() throws {
        let projection = try AttributeProjection(attributes: nil, excludedAttributes: "id,schemas,emails,name.familyName,meta")
        let projected = projection.apply(to: try renderedUser(), schema: .user)
        #expect(projected["id"] == "u1")
        #expect(projected["schemas"] != nil)
        #expect(projected["emails"] == nil)
        #expect(projected["meta"] == nil)
        #expect(projected["name"] == ["givenName": "Barbara"])
    }

    @Test func groupMembersCanBeExcludedBeforeTheyAreLoaded() throws {
        let excluded = try AttributeProjection(attributes: nil, excludedAttributes: "members")
        #expect(!excluded.includes("members", schema: .group))
        #expect(excluded.includes("displayName", schema: .group))
        #expect(excluded.includes("id", schema: .group))
        let onlyName = try AttributeProjection(attributes: "displayName", excludedAttributes: nil)
        #expect(!onlyName.includes("members", schema: .group))
        #expect(AttributeProjection().includes("members", schema: .group))
        #expect(!AttributeProjection().includes("password", schema: .user))
    }

    @Test func invalidAttributeNameIsInvalidValue() {
        #expect(throws: SCIMError.invalidValue("'na me' in 'attributes' is not an attribute path")) {
            try AttributeProjection(attributes: "na me", excludedAttributes: nil)
        }
    }

    @Test func groupMembersRenderWithReferences() {
        let member = GroupMember(value: "u1", display: "bjensen@example.com")
        let members: JSONValue = .array([member.document(baseURL: "https://r.example/scim")])
        let group = ResourceRenderer.render(
            schema: .group,
            id: "g1",
            attributes: JSONObject([("displayName", "Engineering")]),
            derived: JSONObject([("members", members)])
        )
        #expect(group.keys == ["schemas", "id", "displayName", "members"])
        #expect(group["members"] == [["value": "u1", "$ref": "https://r.example/scim/Users/u1", "display": "bjensen@example.com"]])
    }
}
