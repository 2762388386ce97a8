import RosterServer
import RosterTestSupport
import Testing

@Suite("Query string decoding")
struct QueryStringTests {
    @Test("Okta's +-encoded filter decodes + as a space and %XX as bytes")
    func plusAndPercent() {
        let query = QueryString("filter=userName+eq+%22jane.doe%40example.com%22&startIndex=1&count=100")
        #expect(query.value(named: "filter") == #"userName eq "jane.doe@example.com""#)
        #expect(query.value(named: "startIndex") == "1")
        #expect(query.value(named: "count") == "100")
    }

    @Test("%20 for a space works the same")
    func percentSpace() {
        let query = QueryString("filter=userName%20eq%20%22test.user%40okta.local%22")
        #expect(query.value(named: "filter") == #"userName eq "test.user@okta.local""#)
    }

    @Test("A literal + is %2B")
    func encodedPlus() {
        #expect(QueryString("filter=userName+eq+%22a%2Bb%40x.com%22").value(named: "filter") == #"userName eq "a+b@x.com""#)
    }

    @Test("OneLogin's trailing & and empty pieces are ignored")
    func trailingAmpersand() {
        let query = QueryString("filter=userName+eq+%22onelogin-test-user01%22&")
        #expect(query.items.count == 1)
        #expect(query.value(named: "filter") == #"userName eq "onelogin-test-user01""#)
        #expect(QueryString("&&a=1&&").items.count == 1)
    }

    @Test("A flag without = has an empty value")
    func flag() {
        let query = QueryString("aadOptscim062020&filter=x")
        #expect(query.contains("aadOptscim062020"))
        #expect(query.value(named: "aadOptscim062020") == "")
        #expect(query.value(named: "filter") == "x")
    }

    @Test("Names are decoded and matched ignoring case; the first repeat wins")
    func names() {
        let query = QueryString("excluded%41ttributes=members&COUNT=5&count=7")
        #expect(query.value(named: "excludedAttributes") == "members")
        #expect(query.value(named: "count") == "5")
        #expect(query.dictionary["COUNT"] == "5")
        #expect(query.dictionary["count"] == "7")
    }

    @Test("Malformed escapes stay as written; UTF-8 escapes decode")
    func malformed() {
        #expect(QueryString("a=100%&b=%zz&c=%4").value(named: "a") == "100%")
        #expect(QueryString("b=%zz").value(named: "b") == "%zz")
        #expect(QueryString("c=%4").value(named: "c") == "%4")
        #expect(QueryString("n=J%C3%BCrgen").value(named: "n") == "Jürgen")
        #expect(QueryString("v=a=b").value(named: "v") == "a=b")
    }

    @Test("No query is empty")
    func empty() {
        #expect(QueryString(nil).items.isEmpty)
        #expect(QueryString("").items.isEmpty)
    }

    @Test("Path segments decode %XX but keep +")
    func pathSegment() {
        #expect(QueryString.decodePathSegment("urn%3Aietf%3Aparams") == "urn:ietf:params")
        #expect(QueryString.decodePathSegment("a+b") == "a+b")
    }
}
