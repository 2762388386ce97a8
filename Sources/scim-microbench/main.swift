// Micro-benchmark of the SCIM protocol core on realistic Okta and Entra traffic. Run in release mode:
//   swift run -c release scim-microbench [seconds-per-case] [only-cases-containing]
// Each case runs repeatedly for the given time (default 1 s) three times; the best round is reported.
import SCIM

/// The Okta user of `docs/IDP-BEHAVIOURS.md` §1.5, with the enterprise extension Okta may add.
let oktaUserBody = #"""
    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
     "userName":"test.user@okta.local","name":{"givenName":"Test","familyName":"User"},
     "emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
     "displayName":"Test User","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","groups":[],"password":"1mz050nq",
     "active":true,"title":"Engineer",
     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Engineering","employeeNumber":"4711"}}
    """#

/// A result sink the optimizer cannot see through.
@inline(never)
func consume<T>(_ value: T) { withExtendedLifetime(value) {} }

/// Runs `body` for `seconds`, three rounds, and prints the best throughput.
func measure(_ name: String, seconds: Double, _ body: () throws -> Void) rethrows {
    if let only = CommandLine.arguments.dropFirst(2).first, !name.contains(only) { return }
    let clock = ContinuousClock()
    var best = 0.0
    for _ in 0..<3 {
        var iterations = 0
        let start = clock.now
        let budget = Duration.milliseconds(Int64(seconds * 1000))
        while clock.now - start < budget {
            for _ in 0..<100 { try body() }
            iterations += 100
        }
        let elapsed = clock.now - start
        let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        best = max(best, Double(iterations) / elapsedSeconds)
    }
    let nanoseconds = 1e9 / best
    let padded = name.padding(to: 58)
    print("\(padded) \(String(Int(best)).leftPadded(to: 10)) ops/s  \(String(Int(nanoseconds)).leftPadded(to: 7)) ns/op")
}

extension String {
    func padding(to width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

let seconds = CommandLine.arguments.dropFirst().first.flatMap(Double.init) ?? 1.0
do {
    let parser = JSONParser()
    let user = try ResourceNormalizer.normalize(try parser.parse(oktaUserBody), schema: .user).attributes
    let filters = [
        ("filter userName eq (Okta existence check)", #"userName eq "test.user@okta.local""#),
        ("filter emails[type eq \"work\"].value eq (Entra)", #"emails[type eq "work"].value eq "test.user@okta.local""#),
        ("filter RFC and/or with co on emails", #"userType eq "Employee" or (emails co "okta.local" and not (active eq false))"#),
    ]
    print("SCIM core micro-benchmark, \(seconds) s per case, best of 3 rounds")
    for (name, text) in filters {
        let filterParser = FilterParser()
        try measure(name + ": parse+evaluate", seconds: seconds) {
            let filter = try filterParser.parse(text)
            try filter.validate(for: .user)
            consume(filter.matches(user, schema: .user))
        }
    }
    let patches = [
        (
            "PATCH Okta deactivate (no-path replace active)",
            #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}"#
        ),
        (
            "PATCH Entra Replace work email + familyName",
            #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"updated@okta.local"},{"op":"Replace","path":"name.familyName","value":"Updated"}]}"#
        ),
        (
            "PATCH Entra flag mode no-path dotted + URN keys",
            #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"displayName":"Bjfe","name.givenName":"Kkom","name.familyName":"Unua","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}]}"#
        ),
    ]
    let engine = PatchEngine(schema: .user)
    for (name, body) in patches {
        let bytes = Array(body.utf8)
        try measure(name + ": parse+apply", seconds: seconds) {
            let request = try PatchRequest(parsing: try parser.parse(bytes))
            consume(try engine.apply(request, to: user, resourceID: "2819c223-7f76-453a-919d-413861904646"))
        }
    }
    let groupEngine = PatchEngine(schema: .group)
    let group = JSONObject([("displayName", .string("Engineering"))])
    let membership = Array(
        #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"89bb1940-b905-4575-9e7f-6f887cfb368e\"]"},{"op":"add","path":"members","value":[{"value":"23a35c27-23d3-4c03-b4c5-6443c09e7173","display":"test.user@okta.local"}]}]}"#
            .utf8
    )
    try measure("PATCH Okta group remove+add member: parse+apply", seconds: seconds) {
        let request = try PatchRequest(parsing: try parser.parse(membership))
        consume(try groupEngine.apply(request, to: group, resourceID: "abf4dd94-a4c0-4f67-89c9-76b03340cb9b"))
    }
    let bodyBytes = Array(oktaUserBody.utf8)
    try measure("POST body: parse+normalize+render Okta user", seconds: seconds) {
        let normalized = try ResourceNormalizer.normalize(try parser.parse(bodyBytes), schema: .user)
        let rendered = ResourceRenderer.render(schema: .user, id: "2819c223", attributes: normalized.attributes)
        consume(JSONValue.object(rendered).serializedBytes())
    }
} catch {
    print("benchmark failed: \(error)")
}
