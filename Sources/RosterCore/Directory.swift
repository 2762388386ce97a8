/// The identity provider a directory is connected to; it decides how the SCIM Base URL is shown.
public enum DirectoryProvider: String, Sendable, Hashable, CaseIterable, Codable {
    /// Okta SCIM v2.0.
    case okta
    /// Microsoft Entra ID (Azure) SCIM v2.0.
    case azure
    /// OneLogin SCIM v2.0.
    case onelogin
    /// JumpCloud v2.0.
    case jumpcloud
    /// Any other SCIM 2.0 client.
    case generic

    /// The name shown to admins, as on the settings page of the seed guide.
    public var displayName: String {
        switch self {
        case .okta: "Okta SCIM v2.0"
        case .azure: "Azure SCIM v2.0"
        case .onelogin: "OneLogin SCIM v2.0"
        case .jumpcloud: "JumpCloud v2.0"
        case .generic: "Generic SCIM v2.0"
        }
    }

    /// The identity provider's own name, for sentences such as "paste the token into Okta".
    public var identityProviderName: String {
        switch self {
        case .okta: "Okta"
        case .azure: "Entra ID"
        case .onelogin: "OneLogin"
        case .jumpcloud: "JumpCloud"
        case .generic: "your identity provider"
        }
    }
}

/// A directory: one IdP connection with its own SCIM endpoint and bearer token. Users and groups belong to exactly
/// one directory, and a directory's token reaches only that directory.
public struct Directory: Sendable, Hashable, Codable {
    /// The directory's id, part of its SCIM Base URL.
    public var id: String
    /// The name an admin gave it.
    public var name: String
    /// The IdP it is connected to.
    public var provider: DirectoryProvider
    /// Whether it answers SCIM requests.
    public var enabled: Bool
    /// When it was created, in milliseconds since 1970.
    public var createdAt: Int64

    /// Makes a directory.
    public init(id: String, name: String, provider: DirectoryProvider, enabled: Bool = true, createdAt: Int64) {
        self.id = id
        self.name = name
        self.provider = provider
        self.enabled = enabled
        self.createdAt = createdAt
    }

    /// The SCIM Base URL an admin pastes into the IdP, under `baseURL` (Roster's public URL). For Azure it carries
    /// `?aadOptscim062020` so that Entra sends RFC-compliant PATCH requests with real booleans.
    public func scimBaseURL(baseURL: String) -> String {
        let url = SCIMPaths.base(baseURL: baseURL, directoryID: id)
        return provider == .azure ? url + "?aadOptscim062020" : url
    }
}

/// Where the SCIM endpoints live.
public enum SCIMPaths {
    /// The path prefix of every directory's SCIM endpoints, the same shape as Cal.com's.
    public static let prefix = "/api/scim/v2.0"

    /// The SCIM Base URL of a directory, without any query.
    public static func base(baseURL: String, directoryID: String) -> String {
        var root = baseURL
        while root.hasSuffix("/") { root.removeLast() }
        return root + prefix + "/" + directoryID
    }
}
