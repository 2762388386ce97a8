import RosterCore
import RosterTestSupport
import SCIM
import Testing

/// SCIM filters and sorting on the indexed attributes, translated to each store's SQL, through the protocol on
/// every store: the same users match and come back in the same order.
extension StoreCase {
    /// Five users a second apart (created at `clock.now` + 1…5 s), then `alice` changed at + 6 s: alice, bob
    /// (deactivated, two emails), carol (no email, no externalId), dave and eve (`e\f@x`, no displayName).
    func makeFilterFixture(clock: TestClock) async throws -> (users: [StoredResource], times: [String]) {
        let bodies = [
            #"{"userName":"alice@example.com","displayName":"Alice A%ker","externalId":"ext_1","emails":[{"value":"Alice@Example.com","type":"work"}]}"#,
            #"{"userName":"bob_b@example.org","displayName":"Bob B\\ob","externalId":"EXT-2","active":false,"emails":[{"value":"bob@example.org","type":"work"},{"value":"b.home@mail.test","type":"home"}]}"#,
            #"{"userName":"carol%c@example.com","displayName":"Carol"}"#,
            #"{"userName":"dave@x","externalId":"ext-1","emails":[{"value":"dave@x"}]}"#,
            #"{"userName":"e\\f@x"}"#,
        ]
        let start = clock.now
        var users: [StoredResource] = []
        for body in bodies {
            clock.advance(by: 1_000)
            users.append(try await createUser(json: body))
        }
        clock.advance(by: 1_000)
        users[0] = try await patch(.user, users[0].id, #"[{"op":"replace","path":"title","value":"Boss"}]"#)
        let times = (0...6).map { SCIMDateTime.format(millisecondsSince1970: start + Int64($0) * 1_000) }
        return (users, times)
    }

    /// Every operator on the indexed user attributes: case-insensitive userName, displayName and emails, case-exact externalId and id, `%`, `_` and `\` as plain characters, `ew` values shorter and longer than the attribute, NULL never matching, times to the millisecond; list and count agree.
    func filtersOnIndexedAttributesMatchLiterally(clock: TestClock) async throws {
        let (users, t) = try await makeFilterFixture(clock: clock)
        #expect(users[0].modifiedAt == users[4].modifiedAt + 1_000)
        let (a, b, c, d, e) = ("alice@example.com", "bob_b@example.org", "carol%c@example.com", "dave@x", #"e\f@x"#)
        let cases: [(String, [String])] = [
            (#"userName eq "ALICE@example.com""#, [a]),
            (#"userName ne "alice@example.com""#, [b, c, d, e]),
            (#"userName co "_""#, [b]),
            (#"userName co "%""#, [c]),
            (#"userName co "\\""#, [e]),
            (#"userName co "L%C""#, [c]),
            (#"userName co """#, [a, b, c, d, e]),
            (#"userName sw "BOB""#, [b]),
            (#"userName sw "e\\""#, [e]),
            (#"userName sw "_""#, []),
            (#"userName sw """#, [a, b, c, d, e]),
            (#"userName ew ".COM""#, [a, c]),
            (#"userName ew "@x""#, [d, e]),
            (#"userName ew "ave@x""#, [d]),
            (#"userName ew "zdave@x""#, []),
            (#"userName ew "xdave@x""#, []),
            (#"userName ew "%""#, []),
            (#"userName ew """#, []),
            (#"userName gt "bob""#, [b, c, d, e]),
            (#"userName gt "BOB""#, [b, c, d, e]),
            (#"userName lt "carol""#, [a, b]),
            (#"userName ge "dave@x""#, [d, e]),
            (#"userName le "bob_b@example.org""#, [a, b]),
            (#"displayName co "%""#, [a]),
            (#"displayName co "\\""#, [b]),
            (#"displayName co "_""#, []),
            (#"displayName eq "carol""#, [c]),
            (#"displayName sw "ALICE a%""#, [a]),
            (#"displayName ew "B\\OB""#, [b]),
            (#"displayName pr"#, [a, b, c]),
            (#"not (displayName pr)"#, [d, e]),
            (#"externalId eq "ext-1""#, [d]),
            (#"externalId eq "EXT-1""#, []),
            (#"externalId eq "ext_1""#, [a]),
            (#"externalId ne "ext-1""#, [a, b, c, e]),
            (#"externalId co "_""#, [a]),
            (#"externalId co "T-""#, [b]),
            (#"externalId co "t-""#, [d]),
            (#"externalId sw "EXT""#, [b]),
            (#"externalId sw "ext""#, [a, d]),
            (#"externalId ew "-1""#, [d]),
            (#"externalId gt "a""#, [a, d]),
            (#"externalId lt "a""#, [b]),
            (#"externalId pr"#, [a, b, d]),
            (#"id eq "\#(users[1].id)""#, [b]),
            (#"id eq "\#(users[1].id.uppercased())""#, []),
            (#"emails co "EXAMPLE""#, [a, b]),
            (#"emails co "_""#, []),
            (#"emails co "%""#, []),
            (#"emails.value ew ".TEST""#, [b]),
            (#"emails.value eq "dave@X""#, [d]),
            (#"emails[value sw "b."]"#, [b]),
            (#"emails[type eq "home"]"#, [b]),
            (#"emails pr"#, [a, b, d]),
            // `eq null` is "not present": the emails sub-query keeps its directory value under the NOT.
            (#"emails eq null"#, [c, e]),
            (#"emails.value eq null"#, [c, e]),
            (#"emails ne null"#, [a, b, d]),
            (#"displayName eq null"#, [d, e]),
            (#"active eq false"#, [b]),
            (#"active eq true"#, [a, c, d, e]),
            (#"active ne false"#, [a, c, d, e]),
            (#"meta.created eq "\#(t[2])""#, [b]),
            (#"meta.created gt "\#(t[2])""#, [c, d, e]),
            (#"meta.created ge "\#(t[4])""#, [d, e]),
            (#"meta.created lt "\#(t[2])""#, [a]),
            (#"meta.created le "\#(t[1])""#, [a]),
            (#"meta.lastModified gt "\#(t[5])""#, [a]),
            (#"meta.lastModified eq "\#(t[3])""#, [c]),
            (#"meta.lastModified lt "\#(t[3])""#, [b]),
            (#"userName co "_" or displayName co "%""#, [a, b]),
            (#"not (userName co "%") and active eq true"#, [a, d, e]),
        ]
        for (filter, expected) in cases {
            let page = try await list(.user, ["filter": filter, "count": "100"])
            #expect(page.resources.compactMap { $0.attributes["userName"]?.stringValue } == expected, "\(filter)")
            #expect(page.totalResults == expected.count, "\(filter)")
            let counted = try await store.count(.user, directoryID: directory.id, query: try ListQuery(parameters: ["filter": filter]))
            #expect(counted == expected.count, "count \(filter)")
        }
    }

    /// Group displayName filters match literally and ignore case; groups sort by lowercased name bytewise.
    func groupFiltersMatchLiterally() async throws {
        let a = try await createUser("a@x.com")
        // Names go into the JSON body as written: the literal "Back\\\\slash" is the JSON text `Back\\slash`, the name `Back\slash`.
        for name in ["Eng", "50%_off", "Back\\\\slash", "Éclair"] {
            _ = try await createGroup(name, members: name == "Eng" ? [a] : [])
        }
        let cases: [(String, [String])] = [
            (#"displayName eq "ENG""#, ["Eng"]),
            (#"displayName co "%_""#, ["50%_off"]),
            (#"displayName co "_""#, ["50%_off"]),
            (#"displayName co "\\""#, ["Back\\slash"]),
            (#"displayName sw "é""#, ["Éclair"]),
            (#"displayName gt "e""#, ["Eng", "Éclair"]),
            (#"displayName lt "b""#, ["50%_off"]),
            (#"members[value eq "\#(a.id)"]"#, ["Eng"]),
            (#"members pr"#, ["Eng"]),
        ]
        for (filter, expected) in cases {
            let page = try await list(.group, ["filter": filter])
            #expect(page.resources.compactMap { $0.attributes["displayName"]?.stringValue } == expected, "\(filter)")
            #expect(page.totalResults == expected.count, "\(filter)")
        }
        let sorted = try await list(.group, ["sortBy": "displayName"])
        #expect(sorted.resources.compactMap { $0.attributes["displayName"]?.stringValue } == ["50%_off", "Back\\slash", "Eng", "Éclair"])
    }

    /// userName, displayName (SQL) and title (in memory) sort by the bytes of the lowercased value, both ways, missing displayNames first ascending and last descending, ties by creation.
    func sortingByUserNameIsBytewise() async throws {
        let userNames = ["Zed@x", "alice@x", "Bob@x", "_under@x", "9lives@x", "émile@x", "Ängel@x", "a_b@x", "a%b@x", "aB@x", "Émilie@x", "zz@x"]
        let displayNames: [String?] = ["Same", nil, "bob", "Émile", "same", nil, "Zulu", "ángel", "_", "Same", "Alpha", "zulu"]
        for (userName, displayName) in zip(userNames, displayNames) {
            let title = #","title":"\#(userName.uppercased())""#
            let display = displayName.map { #","displayName":"\#($0)""# } ?? ""
            try await createUser(json: #"{"userName":"\#(userName)"\#(display)\#(title)}"#)
        }
        func names(_ parameters: [String: String]) async throws -> [String] {
            try await list(.user, parameters.merging(["count": "100"]) { first, _ in first }).resources.compactMap {
                $0.attributes["userName"]?.stringValue
            }
        }
        // Bytewise by the lowercased key: digits < "_" < ASCII letters < "ä" < "é" (an en-US collation interleaves them).
        let ascending = userNames.sorted { Array($0.lowercased().utf8).lexicographicallyPrecedes(Array($1.lowercased().utf8)) }
        #expect(
            ascending == ["9lives@x", "_under@x", "a%b@x", "a_b@x", "aB@x", "alice@x", "Bob@x", "Zed@x", "zz@x", "Ängel@x", "émile@x", "Émilie@x"]
        )
        #expect(try await names(["sortBy": "userName"]) == ascending)
        #expect(try await names(["sortBy": "userName", "sortOrder": "ascending"]) == ascending)
        #expect(try await names(["sortBy": "userName", "sortOrder": "descending"]) == Array(ascending.reversed()))
        #expect(try await names(["sortBy": "userName", "startIndex": "4", "count": "3"]) == Array(ascending[3..<6]))
        #expect(try await names(["sortBy": "userName", "filter": #"userName co "@""#]) == ascending)
        #expect(try await names(["sortBy": "userName", "sortOrder": "descending", "filter": #"title pr"#]) == Array(ascending.reversed()))

        // displayName: missing first ascending and last descending, ties by creation.
        let byDisplay = zip(userNames, displayNames).enumerated().sorted { lhs, rhs in
            switch (lhs.element.1?.lowercased(), rhs.element.1?.lowercased()) {
            case (nil, nil): return lhs.offset < rhs.offset
            case (nil, _): return true
            case (_, nil): return false
            case (let left?, let right?):
                return left == right ? lhs.offset < rhs.offset : Array(left.utf8).lexicographicallyPrecedes(Array(right.utf8))
            }
        }.map(\.element.0)
        #expect(try await names(["sortBy": "displayName"]) == byDisplay)
        let descendingDisplay = zip(userNames, displayNames).enumerated().sorted { lhs, rhs in
            switch (lhs.element.1?.lowercased(), rhs.element.1?.lowercased()) {
            case (nil, nil): return lhs.offset < rhs.offset
            case (nil, _): return false
            case (_, nil): return true
            case (let left?, let right?):
                return left == right ? lhs.offset < rhs.offset : Array(right.utf8).lexicographicallyPrecedes(Array(left.utf8))
            }
        }.map(\.element.0)
        #expect(try await names(["sortBy": "displayName", "sortOrder": "descending"]) == descendingDisplay)

        // title is not indexed: sorted in memory, by the same bytes.
        let byTitle = userNames.sorted {
            Array($0.uppercased().lowercased().utf8).lexicographicallyPrecedes(Array($1.uppercased().lowercased().utf8))
        }
        #expect(try await names(["sortBy": "title"]) == byTitle)
        #expect(try await names(["sortBy": "title", "sortOrder": "descending"]) == Array(byTitle.reversed()))
    }
}

/// The store suite's filter and sort cases on each store.
@Suite("Store suite: filters and sorting")
struct FilterStoreTests {
    @Test(arguments: StoreKind.available) func filtersOnIndexedAttributesMatchLiterally(_ kind: StoreKind) async throws {
        let clock = TestClock()
        try await kind.withStore(now: { clock.now }) { try await StoreCase(store: $0).filtersOnIndexedAttributesMatchLiterally(clock: clock) }
    }

    @Test(arguments: StoreKind.available) func groupFiltersMatchLiterally(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).groupFiltersMatchLiterally() }
    }

    @Test(arguments: StoreKind.available) func sortingByUserNameIsBytewise(_ kind: StoreKind) async throws {
        try await kind.withStore { try await StoreCase(store: $0).sortingByUserNameIsBytewise() }
    }
}
