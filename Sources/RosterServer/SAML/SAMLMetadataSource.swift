import AsyncHTTPClient
import Foundation
import NIOCore
import RosterSAML

/// Where the IdP's metadata comes from (`SAML_IDP_METADATA`): an https URL (http only on loopback), as Okta shows on
/// the app's Sign On tab, or a file. Read once at start-up; anything unusable stops Roster with one line.
public enum SAMLMetadataSource {
    /// Reads the metadata named by `location`.
    public static func load(_ location: String, client: HTTPClient = .shared) async throws(SAMLMetadataError) -> SAMLIdentityProvider {
        let bytes: [UInt8]
        let lowercased = location.lowercased()
        if lowercased.hasPrefix("https://") || lowercased.hasPrefix("http://") {
            bytes = try await fetch(location, client: client)
        } else {
            guard let data = FileManager.default.contents(atPath: location) else {
                throw SAMLMetadataError("the metadata file \(location) cannot be read")
            }
            bytes = Array(data)
        }
        return try SAMLIdentityProvider(metadata: bytes)
    }

    /// Whether `url` may be fetched: https, or http to a loopback host.
    public static func isAllowed(_ url: String) -> Bool {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), let host = components.host, !host.isEmpty
        else { return false }
        return scheme == "https" || (scheme == "http" && ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased()))
    }

    private static func fetch(_ url: String, client: HTTPClient) async throws(SAMLMetadataError) -> [UInt8] {
        guard isAllowed(url) else { throw SAMLMetadataError("the metadata URL must be https (http only on loopback), not \(url)") }
        do {
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Accept", value: "application/samlmetadata+xml, application/xml, text/xml")
            let response = try await client.execute(request, timeout: .seconds(10))
            guard response.status.code == 200 else { throw SAMLMetadataError("the metadata URL answered HTTP \(response.status.code)") }
            return Array(buffer: try await response.body.collect(upTo: 1_048_576))
        } catch let error as SAMLMetadataError {
            throw error
        } catch {
            throw SAMLMetadataError("the metadata URL cannot be fetched: \(String(describing: error).prefix(200))")
        }
    }
}
