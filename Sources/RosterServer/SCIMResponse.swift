import Hummingbird
import SCIM

/// Builds the responses of the SCIM endpoints: JSON bodies as `application/scim+json`, errors as RFC 7644 §3.12
/// Error messages.
enum SCIMResponse {
    /// The media type of every SCIM response.
    static let mediaType = "application/scim+json"

    /// The `WWW-Authenticate` challenge sent with every 401.
    static let authenticationChallenge = "Bearer realm=\"Roster SCIM\""

    /// A response with a JSON document.
    static func json(_ document: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = mediaType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: document.serializedBytes())))
    }

    /// A response with a JSON document already serialized.
    static func json(bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = mediaType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A response with no body (204, 304).
    static func empty(status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = mediaType
        return Response(status: status, headers: headers, body: ResponseBody())
    }

    /// The Error message for `error`, with the challenge on a 401 and `Allow` on a 405 when given.
    static func error(_ error: SCIMError, allow: String? = nil) -> Response {
        var headers: HTTPFields = [:]
        if error.status == 401 { headers[.wwwAuthenticate] = authenticationChallenge }
        if let allow { headers[.allow] = allow }
        return json(error.document, status: HTTPResponse.Status(code: error.status), headers: headers)
    }
}
