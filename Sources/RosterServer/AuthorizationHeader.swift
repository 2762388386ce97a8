/// Reads the `Authorization` header.
enum AuthorizationHeader {
    /// The token of an `Authorization` header using the Bearer scheme (scheme name in any case); nil otherwise.
    static func bearerToken(in header: String?) -> String? {
        guard let header else { return nil }
        let trimmed = header.drop { $0 == " " || $0 == "\t" }
        guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return nil }
        guard trimmed[..<space].lowercased() == "bearer" else { return nil }
        var token = trimmed[space...].drop { $0 == " " || $0 == "\t" }
        while let last = token.last, last == " " || last == "\t" { token.removeLast() }
        return token.isEmpty ? nil : String(token)
    }
}
