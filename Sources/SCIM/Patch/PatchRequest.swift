/// A parsed PatchOp message (RFC 7644 §3.5.2), read leniently: `op` in any case (Entra's `Add`, `Replace`,
/// `Remove`), unknown keys on operations (Microsoft's `"name":"addMember"`) ignored, member names case-insensitive.
public struct PatchRequest: Sendable, Hashable {
    /// The operations, applied in order, all or none.
    public var operations: [PatchOperation]

    /// Makes a request from operations.
    public init(operations: [PatchOperation]) {
        self.operations = operations
    }

    /// Parses a request body. A `schemas` list, when sent, must name the PatchOp URN.
    public init(parsing body: JSONValue, parser: FilterParser = FilterParser()) throws(SCIMError) {
        guard let object = body.objectValue else { throw .invalidSyntax("the PATCH body must be a JSON object") }
        if let schemas = object.value(forName: "schemas"), !schemas.isNull {
            let names = schemas.arrayValue?.compactMap(\.stringValue) ?? []
            guard names.contains(where: { $0.caseInsensitiveEquals(SCIMSchemaURN.patchOp) }) else {
                throw .invalidSyntax("'schemas' must contain \"\(SCIMSchemaURN.patchOp)\"")
            }
        }
        guard let operations = object.value(forName: "Operations")?.arrayValue else {
            throw .invalidSyntax("the PATCH body needs an 'Operations' array")
        }
        var parsed: [PatchOperation] = []
        for (index, operation) in operations.enumerated() {
            parsed.append(try PatchRequest.parseOperation(operation, index: index, parser: parser))
        }
        self.operations = parsed
    }

    private static func parseOperation(_ json: JSONValue, index: Int, parser: FilterParser) throws(SCIMError) -> PatchOperation {
        guard let object = json.objectValue else { throw .invalidSyntax("Operations[\(index)] must be an object") }
        guard let opName = object.value(forName: "op")?.stringValue, let kind = PatchOperation.Kind(rawValue: opName.trimmingSpaces.lowercased())
        else {
            throw .invalidSyntax("Operations[\(index)].op must be \"add\", \"remove\" or \"replace\"")
        }
        var path: PatchPath?
        switch object.value(forName: "path") {
        case .string(let text)? where !text.trimmingSpaces.isEmpty:
            path = try parser.parsePatchPath(text)
        case nil, .null?, .string?:
            path = nil
        case let other?:
            throw .invalidPath("Operations[\(index)].path must be a string, not a \(other.typeName)")
        }
        let value = object.value(forName: "value")
        switch kind {
        case .remove:
            guard path != nil else { throw .noTarget("Operations[\(index)]: remove needs a 'path'") }
        case .add, .replace:
            if path == nil {
                guard value?.objectValue != nil else {
                    throw .invalidValue("Operations[\(index)]: \(kind.rawValue) without a 'path' needs an object 'value'")
                }
            } else if value == nil {
                throw .invalidValue("Operations[\(index)]: \(kind.rawValue) needs a 'value'")
            }
        }
        return PatchOperation(kind: kind, path: path, value: value)
    }
}
