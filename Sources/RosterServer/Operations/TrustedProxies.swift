import Foundation
import RosterCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The `TRUSTED_PROXIES` setting: the reverse proxies (load balancers, ingress) whose `X-Forwarded-For` header is
/// believed, as IPv4 and IPv6 addresses and CIDR ranges (`10.0.0.0/8, 192.168.1.7, ::1, fd00::/8`).
///
/// Addresses are compared as bytes, whatever their spelling: an IPv4-mapped IPv6 address (`::ffff:10.1.2.3`) is its
/// IPv4 address, and a zone (`fe80::1%eth0`) is ignored. An IPv6 range never covers an IPv4 address.
public struct TrustedProxies: Sendable, Hashable, CustomStringConvertible {
    /// A setting entry that is neither an address nor a CIDR range, thrown by ``init(parsing:)``.
    public struct InvalidEntry: Error, Sendable, Hashable, CustomStringConvertible {
        /// The entry as written in the setting.
        public let entry: String
        /// One line for a start-up refusal, naming the setting, the entry and what is wrong with it, such as
        /// `TRUSTED_PROXIES: "10.0.0/8" is not an IP address or CIDR range`.
        public let description: String

        /// Names `entry` and its problem, by default that it is no address at all.
        init(_ entry: Substring, problem: String = "is not an IP address or CIDR range") {
            self.entry = String(entry)
            description = "TRUSTED_PROXIES: \(String(reflecting: String(entry))) \(problem)"
        }
    }

    /// Trusts no one: every request's client is its peer, and `X-Forwarded-For` is ignored.
    public static let none = TrustedProxies(ranges: [])

    private let ranges: [AddressRange]

    private init(ranges: [AddressRange]) {
        self.ranges = ranges
    }

    /// Parses the setting: entries separated by commas and/or whitespace, each an address (`192.168.1.7`, `::1`) or a
    /// CIDR range (`10.0.0.0/8`, `fd00::/8`) with a prefix length in 0...32 for IPv4 and 0...128 for IPv6. Bits set
    /// past the prefix (`10.0.0.1/8`) are masked off; a zone (`%eth0`) is refused. Blank text trusts no one.
    public init(parsing text: String) throws(InvalidEntry) {
        var ranges: [AddressRange] = []
        for entry in text.split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
            ranges.append(try AddressRange(parsing: entry))
        }
        self.init(ranges: ranges)
    }

    /// Whether no proxy is trusted, so that `X-Forwarded-For` is always ignored.
    public var isEmpty: Bool { ranges.isEmpty }

    /// The ranges in normalized form (`10.0.0.0/8, ::1`), or `none`, for the start-up log.
    public var description: String {
        ranges.isEmpty ? "none" : ranges.map(\.description).joined(separator: ", ")
    }

    /// Whether `address`, as SwiftNIO prints a peer (`127.0.0.1`, `::1`, `::ffff:127.0.0.1`, `fe80::1%eth0`), is a
    /// trusted proxy. Text that is not an IP address (including one with a port) is never trusted.
    public func trusts(_ address: String) -> Bool {
        IPAddress(address).map(trusts) ?? false
    }

    /// The address of the client behind a request, in normalized form (IPv4 dotted, IPv6 lowercase and compressed,
    /// IPv4-mapped IPv6 as IPv4), so that one client is one key in a rate limiter.
    ///
    /// - `peer` (the socket's remote address) nil: nil.
    /// - `peer` not trusted: the peer, and `X-Forwarded-For` is ignored, so that a client cannot choose its address.
    ///   A peer that is not an IP address at all is returned as given: it came from the socket, not from a client.
    /// - `peer` trusted: the `X-Forwarded-For` entries (all header lines in order, each a comma-separated list) are
    ///   read from right to left, each hop having appended its own peer, and trusted proxies are skipped. The first
    ///   untrusted address is the client. An entry that is not an IP address (`unknown`, empty, garbage) stops the walk
    ///   and the last trusted address seen is the client: that proxy wrote the bad entry, so nothing left of it can be
    ///   relied on. When every entry is trusted, or there is no header, the leftmost trusted address seen (at worst the
    ///   peer) is the client.
    ///
    /// Entries may carry a port (`203.0.113.9:4711`, `[2001:db8::1]:443`), which is dropped.
    public func clientAddress(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer else { return nil }
        guard var client = IPAddress(peer) else { return peer }
        guard trusts(client) else { return client.text }
        for line in forwardedFor.reversed() {
            for entry in line.split(separator: ",", omittingEmptySubsequences: false).reversed() {
                guard let hop = IPAddress(forwardedEntry: entry.trimmed()) else { return client.text }
                client = hop
                guard trusts(hop) else { return hop.text }
            }
        }
        return client.text
    }

    private func trusts(_ address: IPAddress) -> Bool {
        ranges.contains { $0.contains(address) }
    }
}

/// An IPv4 or IPv6 address as bytes.
private struct IPAddress: Sendable {
    /// 4 bytes for IPv4, 16 for IPv6. An IPv4-mapped IPv6 address is kept as its IPv4 address.
    let bytes: [UInt8]
    /// Whether the text was an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`), now kept as IPv4.
    let wasMapped: Bool

    /// The longest address text: `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`.
    private static let maximumLength = 45
    /// The first 12 bytes of an IPv4-mapped IPv6 address, `::ffff:0:0/96`.
    private static let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]

    /// Wraps bytes already in that form.
    init(bytes: [UInt8]) {
        self.bytes = bytes
        wasMapped = false
    }

    /// Parses an address with `inet_pton`; an IPv6 zone (`%eth0`, not empty) is dropped.
    init?(_ text: some StringProtocol) {
        var text = Substring(text)
        if text.contains(":"), let percent = text.firstIndex(of: "%") {
            guard text.index(after: percent) != text.endIndex else { return nil }
            text = text[..<percent]
        }
        // A NUL would end the C string early, letting `1.2.3.4\0junk` through.
        guard text.utf8.count <= Self.maximumLength, !text.utf8.contains(0) else { return nil }
        if let bytes = Self.bytes(of: String(text), family: AF_INET, count: 4) {
            self.bytes = bytes
            wasMapped = false
        } else if let bytes = Self.bytes(of: String(text), family: AF_INET6, count: 16) {
            wasMapped = bytes.starts(with: Self.mappedPrefix)
            self.bytes = wasMapped ? Array(bytes.suffix(4)) : bytes
        } else {
            return nil
        }
    }

    /// Parses an `X-Forwarded-For` entry, which may carry a port: `203.0.113.9:4711`, `[2001:db8::1]:443`.
    init?(forwardedEntry entry: String) {
        var host = Substring(entry)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let rest = host[host.index(after: close)...]
            guard rest.isEmpty || (rest.first == ":" && Self.isPort(rest.dropFirst())) else { return nil }
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.firstIndex(of: ":"), host.lastIndex(of: ":") == colon {
            guard Self.isPort(host[host.index(after: colon)...]) else { return nil }
            host = host[..<colon]
        }
        self.init(host)
    }

    /// The address's length in bits: 32 or 128.
    var bitCount: Int { bytes.count * 8 }

    /// The canonical text: dotted IPv4, or IPv6 as `inet_ntop` prints it (lowercase, longest zero run compressed).
    var text: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let printed = bytes.withUnsafeBytes { inet_ntop(AF_INET6, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        guard printed != nil else {
            // Not reached with a buffer of INET6_ADDRSTRLEN; the uncompressed groups are still a valid address.
            let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
            return groups.map { String($0, radix: 16) }.joined(separator: ":")
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The address with every bit past the first `prefix` cleared.
    func masked(to prefix: Int) -> [UInt8] {
        bytes.indices.map { index in bytes[index] & ~(UInt8.max >> min(max(prefix - index * 8, 0), 8)) }
    }

    private static func bytes(of text: String, family: Int32, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let parsed = bytes.withUnsafeMutableBytes { inet_pton(family, text, $0.baseAddress) }
        return parsed == 1 ? bytes : nil
    }

    private static func isPort(_ text: Substring) -> Bool {
        (1...5).contains(text.count) && text.allSatisfy { $0.isASCII && $0.isNumber }
    }
}

/// An address and the number of leading bits that must match it.
private struct AddressRange: Hashable, Sendable, CustomStringConvertible {
    /// The network's bytes, masked to `prefix` bits.
    let network: [UInt8]
    /// The number of leading bits compared: 0...32 for IPv4, 0...128 for IPv6.
    let prefix: Int

    /// Parses `ADDRESS` or `ADDRESS/PREFIX`. An IPv4-mapped IPv6 range (`::ffff:10.0.0.0/104`) becomes the IPv4 range,
    /// so its prefix must be at least 96.
    init(parsing entry: Substring) throws(TrustedProxies.InvalidEntry) {
        let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]), !parts[0].contains("%") else { throw TrustedProxies.InvalidEntry(entry) }
        let offset = address.wasMapped ? 96 : 0
        var prefix = address.bitCount + offset
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw TrustedProxies.InvalidEntry(entry, problem: "has a prefix length that is not a number")
            }
            guard let number = Int(digits), (offset...prefix).contains(number) else {
                throw TrustedProxies.InvalidEntry(entry, problem: "has a prefix length outside \(offset)...\(prefix)")
            }
            prefix = number
        }
        self.prefix = prefix - offset
        network = address.masked(to: self.prefix)
    }

    /// Whether `address` is in the range: same family, same leading bits.
    func contains(_ address: IPAddress) -> Bool {
        address.bytes.count == network.count && address.masked(to: prefix) == network
    }

    /// `NETWORK/PREFIX`, or just the address when the range is one address.
    var description: String {
        let address = IPAddress(bytes: network).text
        return prefix == network.count * 8 ? address : "\(address)/\(prefix)"
    }
}
