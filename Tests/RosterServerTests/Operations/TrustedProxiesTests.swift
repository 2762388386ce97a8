import RosterTestSupport
import Testing

@testable import RosterServer

/// The `TRUSTED_PROXIES` setting, and the client address it makes of a peer and its `X-Forwarded-For` header.
@Suite struct TrustedProxiesTests {
    /// Parses a setting the tests know to be good.
    private func proxies(_ text: String) throws -> TrustedProxies {
        try TrustedProxies(parsing: text)
    }

    /// The error thrown for `text`, or nil when it parses.
    private func refusal(_ text: String) -> TrustedProxies.InvalidEntry? {
        do {
            _ = try TrustedProxies(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Parsing

    @Test func aListOfAddressesAndRangesParsesToItsNormalForm() throws {
        let parsed = try proxies("10.0.0.0/8, 192.168.1.7, ::1, fd00::/8, 2001:DB8:0:0:0:0:0:1/128")
        #expect(parsed.description == "10.0.0.0/8, 192.168.1.7, ::1, fd00::/8, 2001:db8::1")
        #expect(!parsed.isEmpty)
    }

    @Test(arguments: ["10.0.0.0/8 ::1", "10.0.0.0/8,::1", " 10.0.0.0/8 ,\t::1\n", ",,10.0.0.0/8,, ,::1,", "10.0.0.0/8\n::1"])
    func commasAndWhitespaceSeparateEntries(_ text: String) throws {
        #expect(try proxies(text) == proxies("10.0.0.0/8, ::1"))
    }

    @Test(arguments: ["", "   ", ",", " , \n\t, "])
    func blankTextTrustsNoOne(_ text: String) throws {
        let parsed = try proxies(text)
        #expect(parsed.isEmpty)
        #expect(parsed == .none)
        #expect(!parsed.trusts("127.0.0.1"))
        #expect(TrustedProxies.none.isEmpty && TrustedProxies.none.description == "none")
    }

    @Test func hostBitsInARangeAreMaskedOff() throws {
        #expect(try proxies("10.0.0.1/8") == proxies("10.0.0.0/8"))
        #expect(try proxies("10.1.2.3/8").description == "10.0.0.0/8")
        #expect(try proxies("192.168.1.255/23").description == "192.168.0.0/23")
        #expect(try proxies("fd12:3456::1/8").description == "fd00::/8")
        #expect(try proxies("2001:db8:ffff::1/33").description == "2001:db8:8000::/33")
    }

    @Test func prefixLengthsRunFromZeroToTheAddressLength() throws {
        #expect(try proxies("0.0.0.0/0, 1.2.3.4/32, ::/0, ::1/128").description == "0.0.0.0/0, 1.2.3.4, ::/0, ::1")
        #expect(refusal("1.2.3.4/33")?.description == #"TRUSTED_PROXIES: "1.2.3.4/33" has a prefix length outside 0...32"#)
        #expect(refusal("::1/129")?.description == #"TRUSTED_PROXIES: "::1/129" has a prefix length outside 0...128"#)
        #expect(refusal("10.0.0.0/08") == nil, "a leading zero is still a number in range")
    }

    @Test(arguments: ["1.2.3.4/", "1.2.3.4/-1", "1.2.3.4/+8", "1.2.3.4/8/8", "1.2.3.4/x", "::1/0x10", "::1/٨"])
    func aPrefixThatIsNotANumberIsRefused(_ entry: String) {
        let error = refusal(entry)
        #expect(error?.entry == entry)
        #expect(error?.description == "TRUSTED_PROXIES: \(String(reflecting: entry)) has a prefix length that is not a number")
    }

    @Test(arguments: ["1.2.3.4/33", "1.2.3.4/128", "::1/1000", "1.2.3.4/99999999999999999999"])
    func aPrefixTooLongForTheAddressIsRefused(_ entry: String) {
        #expect(refusal(entry)?.description.contains("has a prefix length outside 0...") == true)
    }

    @Test(
        arguments: [
            "10.0.0/8", "10.0.0", "256.0.0.1", "1.2.3.4.5", "10.0.0.01", "localhost", "unknown", "::g", "1:2:3:4:5:6:7:8:9", ":::1",
            "/8", "1.2.3.4:80", "[::1]", "fe80::1%eth0", "10.0.0.1\u{0}", "١.٢.٣.٤",
        ]
    )
    func anEntryThatIsNotAnAddressIsRefusedByName(_ entry: String) {
        let error = refusal("192.168.0.0/16, \(entry), ::1")
        #expect(error?.entry == entry)
        #expect(error?.description == "TRUSTED_PROXIES: \(String(reflecting: entry)) is not an IP address or CIDR range")
    }

    @Test func theRefusalIsTheOneLineTheServerPrintsAtStartUp() {
        let error = refusal("10.0.0/8")
        #expect(error?.entry == "10.0.0/8")
        #expect(error?.description == #"TRUSTED_PROXIES: "10.0.0/8" is not an IP address or CIDR range"#)
        #expect(error.map { "\($0)" } == #"TRUSTED_PROXIES: "10.0.0/8" is not an IP address or CIDR range"#)
    }

    @Test func anIPv4MappedRangeIsTheIPv4Range() throws {
        #expect(try proxies("::ffff:10.0.0.0/104") == proxies("10.0.0.0/8"))
        #expect(try proxies("::ffff:10.0.0.7") == proxies("10.0.0.7"))
        #expect(refusal("::ffff:10.0.0.0/95")?.description == #"TRUSTED_PROXIES: "::ffff:10.0.0.0/95" has a prefix length outside 96...128"#)
    }

    // MARK: Trust

    @Test func anIPv4RangeTrustsExactlyItsAddresses() throws {
        let parsed = try proxies("10.0.0.0/8, 192.168.1.7, 172.16.0.0/12")
        #expect(parsed.trusts("10.0.0.0") && parsed.trusts("10.255.255.255") && parsed.trusts("192.168.1.7"))
        #expect(!parsed.trusts("9.255.255.255") && !parsed.trusts("11.0.0.0") && !parsed.trusts("192.168.1.6") && !parsed.trusts("192.168.1.8"))
        #expect(parsed.trusts("172.16.0.0") && parsed.trusts("172.31.255.255"))
        #expect(!parsed.trusts("172.15.255.255") && !parsed.trusts("172.32.0.0"))
    }

    @Test func anIPv6RangeTrustsExactlyItsAddresses() throws {
        let parsed = try proxies("::1, fd00::/8, 2001:db8::/127")
        #expect(parsed.trusts("::1") && parsed.trusts("0:0:0:0:0:0:0:1") && !parsed.trusts("::2") && !parsed.trusts("::"))
        #expect(parsed.trusts("fd00::") && parsed.trusts("FDFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF"))
        #expect(!parsed.trusts("fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") && !parsed.trusts("fe00::"))
        #expect(parsed.trusts("2001:db8::") && parsed.trusts("2001:db8::1") && !parsed.trusts("2001:db8::2"))
    }

    @Test func familiesDoNotMix() throws {
        let everyIPv6 = try proxies("::/0")
        let everyIPv4 = try proxies("0.0.0.0/0")
        #expect(!everyIPv6.trusts("10.0.0.1") && !everyIPv6.trusts("::ffff:10.0.0.1"), "an IPv6 range never covers IPv4")
        #expect(!everyIPv4.trusts("::1") && everyIPv4.trusts("255.255.255.255") && everyIPv4.trusts("0.0.0.0"))
        #expect(!(try proxies("::/96")).trusts("0.0.0.1"), "IPv4 is not the IPv4-compatible IPv6 range")
    }

    @Test func anIPv4MappedPeerIsItsIPv4Address() throws {
        let parsed = try proxies("127.0.0.0/8")
        #expect(parsed.trusts("::ffff:127.0.0.1") && parsed.trusts("::FFFF:7f00:1"))
        #expect(!parsed.trusts("::ffff:128.0.0.1"))
        #expect(try proxies("::ffff:127.0.0.1").trusts("127.0.0.1"))
    }

    @Test func aZoneIsIgnored() throws {
        let parsed = try proxies("fe80::/10")
        #expect(parsed.trusts("fe80::1%eth0") && parsed.trusts("fe80::1%1"))
        #expect(!parsed.trusts("fe80::1%"), "an empty zone is not dropped into a match")
        #expect(!parsed.trusts("fec0::1%eth0"))
    }

    @Test(arguments: ["", "unknown", "10.0.0.1:80", "[10.0.0.1]", " 10.0.0.1", "10.0.0.1/32", "10.0.0.1%eth0", "10.0.0.1\u{0}x"])
    func textThatIsNotAnAddressIsNeverTrusted(_ text: String) throws {
        let everyone = try proxies("0.0.0.0/0, ::/0")
        #expect(!everyone.trusts(text))
    }

    // MARK: Client address

    @Test func noPeerIsNoClient() throws {
        #expect(try proxies("10.0.0.0/8").clientAddress(peer: nil, forwardedFor: ["203.0.113.9"]) == nil)
    }

    @Test func anUntrustedPeerCannotSpoofItsAddress() throws {
        let parsed = try proxies("10.0.0.0/8")
        #expect(parsed.clientAddress(peer: "198.51.100.4", forwardedFor: ["10.0.0.1"]) == "198.51.100.4")
        #expect(parsed.clientAddress(peer: "198.51.100.4", forwardedFor: ["203.0.113.9", "1.1.1.1"]) == "198.51.100.4")
        #expect(TrustedProxies.none.clientAddress(peer: "10.0.0.1", forwardedFor: ["203.0.113.9"]) == "10.0.0.1")
        #expect(parsed.clientAddress(peer: "::ffff:198.51.100.4", forwardedFor: ["203.0.113.9"]) == "198.51.100.4")
    }

    @Test func aTrustedPeerNamesTheRightmostUntrustedAddress() throws {
        let parsed = try proxies("10.0.0.0/8")
        #expect(parsed.clientAddress(peer: "10.0.0.1", forwardedFor: ["203.0.113.9"]) == "203.0.113.9")
        #expect(
            parsed.clientAddress(peer: "10.0.0.1", forwardedFor: ["6.6.6.6, 203.0.113.9"]) == "203.0.113.9",
            "what the client wrote on the left is not believed"
        )
    }

    @Test func aChainOfTrustedProxiesIsSkipped() throws {
        let parsed = try proxies("10.0.0.0/8, 192.168.1.7, fd00::/8")
        let header = ["6.6.6.6, 203.0.113.9, 192.168.1.7, fd00::5, 10.1.1.1"]
        #expect(parsed.clientAddress(peer: "10.0.0.2", forwardedFor: header) == "203.0.113.9")
        #expect(parsed.clientAddress(peer: "fd00::1", forwardedFor: ["2001:DB8::0:1, fd00::2"]) == "2001:db8::1")
    }

    @Test func severalHeaderLinesAreOneList() throws {
        let parsed = try proxies("10.0.0.0/8")
        #expect(parsed.clientAddress(peer: "10.0.0.1", forwardedFor: ["6.6.6.6, 203.0.113.9", "10.0.0.3", "10.0.0.2"]) == "203.0.113.9")
        #expect(parsed.clientAddress(peer: "10.0.0.1", forwardedFor: ["6.6.6.6", "203.0.113.9, 10.0.0.3"]) == "203.0.113.9")
        #expect(parsed.clientAddress(peer: "10.0.0.1", forwardedFor: ["203.0.113.9", ""]) == "10.0.0.1", "an empty line is an empty entry")
    }

    @Test(arguments: ["unknown", "", " ", "garbage", "203.0.113.9:http", "[2001:db8::1", "2001:db8::1]:443", "1.2.3.4:123456", "_hidden"])
    func anEntryThatIsNotAnAddressStopsAtTheLastTrustedHop(_ bad: String) throws {
        let parsed = try proxies("10.0.0.0/8")
        #expect(parsed.clientAddress(peer: "10.0.0.1", forwardedFor: ["203.0.113.9, \(bad)"]) == "10.0.0.1")
        #expect(parsed.clientAddress(peer: "10.0.0.1", forwardedFor: ["203.0.113.9, \(bad), 10.0.0.2"]) == "10.0.0.2")
        #expect(parsed.clientAddress(peer: "10.0.0.1", forwardedFor: ["\(bad), 203.0.113.9"]) == "203.0.113.9", "left of the client is never read")
    }

    @Test func portsAreDropped() throws {
        let parsed = try proxies("10.0.0.0/8, fd00::/8")
        #expect(parsed.clientAddress(peer: "10.0.0.1", forwardedFor: ["203.0.113.9:4711"]) == "203.0.113.9")
        #expect(parsed.clientAddress(peer: "10.0.0.1", forwardedFor: ["[2001:DB8::1]:443"]) == "2001:db8::1")
        #expect(parsed.clientAddress(peer: "10.0.0.1", forwardedFor: ["[2001:db8::1]"]) == "2001:db8::1")
        #expect(parsed.clientAddress(peer: "10.0.0.1", forwardedFor: ["203.0.113.9, 10.0.0.5:80, [fd00::1]:8080"]) == "203.0.113.9")
    }

    @Test func whenEveryEntryIsTrustedTheLeftmostIsTheClient() throws {
        let parsed = try proxies("10.0.0.0/8")
        #expect(parsed.clientAddress(peer: "10.0.0.1", forwardedFor: ["10.0.0.9, 10.0.0.8", "10.0.0.7"]) == "10.0.0.9")
    }

    @Test func withoutAHeaderTheTrustedPeerIsTheClient() throws {
        let parsed = try proxies("127.0.0.0/8, ::1")
        #expect(parsed.clientAddress(peer: "127.0.0.1", forwardedFor: []) == "127.0.0.1")
        #expect(parsed.clientAddress(peer: "::ffff:127.0.0.1", forwardedFor: []) == "127.0.0.1")
        #expect(parsed.clientAddress(peer: "0:0::1", forwardedFor: []) == "::1")
    }

    @Test func oneClientIsOneKeyHoweverItIsSpelled() throws {
        let parsed = try proxies("10.0.0.0/8")
        let spellings = ["2001:DB8::1", "2001:db8:0:0:0:0:0:1", " 2001:db8::0001 ", "[2001:db8::1]:1", "2001:db8::1%eth0"]
        let keys = Set(spellings.map { parsed.clientAddress(peer: "10.0.0.1", forwardedFor: [$0]) })
        #expect(keys == ["2001:db8::1"])
        let mapped = ["::ffff:203.0.113.9", "::FFFF:cb00:7109", "203.0.113.9", "[::ffff:203.0.113.9]:80"]
        #expect(Set(mapped.map { parsed.clientAddress(peer: "10.0.0.1", forwardedFor: [$0]) }) == ["203.0.113.9"])
    }

    @Test func aPeerThatIsNotAnAddressIsReturnedAsGiven() throws {
        #expect(try proxies("0.0.0.0/0").clientAddress(peer: "/run/roster.sock", forwardedFor: ["203.0.113.9"]) == "/run/roster.sock")
    }
}
