import RosterSQLite
import RosterTestSupport
import Testing

@testable import RosterServer

/// The request log keeps a query as it came unless a parameter is named like a secret, whatever its spelling.
@Suite struct RequestLogRedactionTests {
    typealias Middleware = SCIMRequestMiddleware<SQLiteStore>

    @Test func aQueryWithoutSecretsIsKeptAsItCame() {
        let query = #"filter=userName%20eq%20"a@b.c"&startIndex=1&count=100"#
        #expect(Middleware.redactedPath("/api/scim/v2.0/d/Users", query: query) == "/api/scim/v2.0/d/Users?" + query)
        #expect(Middleware.redactedPath("/p", query: "count=5&attributes=userName") == "/p?count=5&attributes=userName")
        #expect(Middleware.redactedPath("/p", query: nil) == "/p")
        #expect(Middleware.redactedPath("/p", query: "") == "/p")
    }

    @Test func secretsAreRedactedWhateverTheirCaseOrEncoding() {
        #expect(Middleware.redactedPath("/p", query: "count=1&access_token=s3cret") == "/p?count=1&access_token=[redacted]")
        #expect(Middleware.redactedPath("/p", query: "API_Key=s3cret") == "/p?API_Key=[redacted]")
        #expect(Middleware.redactedPath("/p", query: "%74oken=s3cret&x=1") == "/p?%74oken=[redacted]&x=1")
        #expect(Middleware.redactedPath("/p", query: "Authorization=Bearer%20s3cret") == "/p?Authorization=[redacted]")
    }

    @Test func aSecretWordInAValueAloneIsNotRedacted() {
        // The slow path runs (the word appears), but only names decide.
        #expect(Middleware.redactedPath("/p", query: #"filter=externalId eq "monkey""#) == #"/p?filter=externalId eq "monkey""#)
    }
}
