import Testing

@testable import SCIM

/// A representation spliced from a document in wire form has exactly the members of the rendered and projected one.
@Suite("Wire documents")
struct WireDocumentTests {
    let meta = ResourceMeta(
        created: "2026-11-29T06:00:00.000Z",
        lastModified: "2026-11-29T06:05:00.000Z",
        location: "https://roster.example/api/scim/v2.0/d1/Users/u\"1",
        version: "W/\"3\""
    )

    /// The same value with every object's members sorted by key: JSON gives member order no meaning.
    func unordered(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(object.members.sorted { $0.key < $1.key }.map { ($0.key, unordered($0.value)) }))
        case .array(let elements):
            return .array(elements.map(unordered))
        default:
            return value
        }
    }

    /// The representation the long way: rendered, then the default projection.
    func rendered(_ attributes: JSONObject, schema: ResourceSchema, id: String, derived: JSONObject) -> JSONValue {
        .object(
            AttributeProjection().apply(
                to: ResourceRenderer.render(schema: schema, id: id, attributes: attributes, derived: derived, meta: meta),
                schema: schema
            )
        )
    }

    /// The representation spliced from the wire form of `attributes`.
    func spliced(_ attributes: JSONObject, schema: ResourceSchema, id: String, derived: JSONObject) throws -> JSONValue {
        let document = WireDocument.serialize(attributes, schema: schema)
        #expect(WireDocument.isWireForm(document))
        var output: [UInt8] = []
        WireDocument.write(document: document, id: id, derived: derived, meta: meta, resourceType: schema.name, to: &output)
        return try JSONParser().parse(output)
    }

    func attributes(_ body: String, schema: ResourceSchema) throws -> JSONObject {
        try ResourceNormalizer.normalize(try JSONParser().parse(body), schema: schema).attributes
    }

    @Test func aUserWithAnExtensionAndGroupsSplicesToTheRenderedMembers() throws {
        let user = try attributes(
            #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen@example.com","password":"secret",
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales","manager":{"value":"m1"}},
             "name":{"givenName":"Barbara \"Babs\"","familyName":"Jensen"},"active":false,"externalId":"e1",
             "emails":[{"value":"bjensen@example.com","type":"work","primary":true}],"title":"Ünïcödé \u2028 line"}
            """#,
            schema: .user
        )
        let groups = JSONObject([("groups", [["value": "g1", "display": "Engineering", "type": "direct"]])])
        for derived in [groups, JSONObject()] {
            let expected = rendered(user, schema: .user, id: "u\"1", derived: derived)
            let actual = try spliced(user, schema: .user, id: "u\"1", derived: derived)
            #expect(unordered(actual) == unordered(expected))
        }
    }

    @Test func aGroupWithMembersAndAnEmptyGroupSpliceToTheRenderedMembers() throws {
        let group = try attributes(#"{"displayName":"Engineering","externalId":"x"}"#, schema: .group)
        for members: JSONValue in [[], [["value": "u1", "type": "User"], ["value": "u2", "type": "User"]]] {
            let derived = JSONObject([("members", members)])
            let expected = rendered(group, schema: .group, id: "g1", derived: derived)
            #expect(unordered(try spliced(group, schema: .group, id: "g1", derived: derived)) == unordered(expected))
        }
    }

    @Test func theWireFormCarriesSchemasFirstAndNeitherIdMetaNorDerivedAttributes() throws {
        var user = try attributes(
            #"{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"D"}}"#,
            schema: .user
        )
        let document = try JSONParser().parse(WireDocument.serialize(user, schema: .user))
        let object = try #require(document.objectValue)
        #expect(object.keys.first == "schemas")
        #expect(object["schemas"] == .array([.string(SCIMSchemaURN.user), .string(SCIMSchemaURN.enterpriseUser)]))
        #expect(object["id"] == nil && object["meta"] == nil)
        #expect(WireDocument.attributes(of: object) == user)
        // Members are rows, never part of a group's document.
        user = try attributes(#"{"displayName":"G","members":[{"value":"u1"}]}"#, schema: .group)
        #expect(try JSONParser().parse(WireDocument.serialize(user, schema: .group)).objectValue?["members"] == nil)
    }

    @Test func anEmptyExtensionIsLeftOutAsTheDefaultProjectionLeavesItOut() throws {
        let user = JSONObject([("userName", "a"), (SCIMSchemaURN.enterpriseUser, .object(JSONObject()))])
        let expected = rendered(user, schema: .user, id: "u1", derived: JSONObject())
        #expect(unordered(try spliced(user, schema: .user, id: "u1", derived: JSONObject())) == unordered(expected))
    }

    @Test func documentsInAnOlderFormAreNotTakenForWireForm() {
        #expect(!WireDocument.isWireForm(#"{"userName":"a","schemas":["x"]}"#))
        #expect(!WireDocument.isWireForm(#"{ "schemas":["x"]}"#))
        #expect(!WireDocument.isWireForm("{}"))
        #expect(!WireDocument.isWireForm(""))
        #expect(WireDocument.isWireForm(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"G"}"#))
    }

    @Test func aListResponseWrittenFromBytesEqualsTheBuiltOne() throws {
        let resources: [JSONValue] = [["id": "a"], ["id": "b", "x": [1, 2]]]
        var output: [UInt8] = []
        ListResponse.write(totalResults: 7, startIndex: 3, count: resources.count, to: &output) { position, output in
            resources[position].write(to: &output)
        }
        let built = ListResponse(totalResults: 7, startIndex: 3, resources: resources).document
        #expect(try JSONParser().parse(output) == built)
        var empty: [UInt8] = []
        ListResponse.write(totalResults: 0, startIndex: 1, count: 0, to: &empty) { _, _ in Issue.record("no resource to write") }
        #expect(try JSONParser().parse(empty) == ListResponse(totalResults: 0, startIndex: 1, resources: []).document)
    }
}
