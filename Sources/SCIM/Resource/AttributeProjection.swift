/// The `attributes` and `excludedAttributes` parameters (RFC 7644 §3.4.2.5, §3.9), applied to rendered resources
/// with the `returned` rules: `always` attributes (and `schemas`) stay whatever is asked, `never` ones never show,
/// `request` ones show only when asked for.
public struct AttributeProjection: Sendable, Hashable {
    /// The attributes asked for; empty means the default set.
    public var attributes: [AttributePath]
    /// The attributes to leave out.
    public var excludedAttributes: [AttributePath]

    /// Makes a projection from parsed paths.
    public init(attributes: [AttributePath] = [], excludedAttributes: [AttributePath] = []) {
        self.attributes = attributes
        self.excludedAttributes = excludedAttributes
    }

    /// Parses the comma-separated query parameters; throws `invalidValue` for a name that is not an attribute path.
    public init(attributes: String?, excludedAttributes: String?) throws(SCIMError) {
        self.init(
            attributes: try AttributeProjection.parseList(attributes, parameter: "attributes"),
            excludedAttributes: try AttributeProjection.parseList(excludedAttributes, parameter: "excludedAttributes")
        )
    }

    /// Parses lists as a SearchRequest carries them.
    public init(attributes: [String], excludedAttributes: [String]) throws(SCIMError) {
        try self.init(attributes: attributes.joined(separator: ","), excludedAttributes: excludedAttributes.joined(separator: ","))
    }

    private static func parseList(_ text: String?, parameter: String) throws(SCIMError) -> [AttributePath] {
        guard let text else { return [] }
        var paths: [AttributePath] = []
        for item in text.split(separator: ",") {
            let name = String(item).trimmingSpaces
            if name.isEmpty { continue }
            guard let path = AttributePath(parsing: name) else { throw .invalidValue("'\(name)' in '\(parameter)' is not an attribute path") }
            paths.append(path)
        }
        return paths
    }

    /// Whether the projection asks for nothing special.
    public var isDefault: Bool { attributes.isEmpty && excludedAttributes.isEmpty }

    /// Whether the top-level attribute `name` (canonical) appears in the output, so a store can skip loading it
    /// (a Group's members when `excludedAttributes=members`).
    public func includes(_ name: String, schema: ResourceSchema) -> Bool {
        let definition = schema.coreAttribute(named: name)
        switch definition?.returned {
        case .always?: return true
        case .never?: return false
        default: break
        }
        let resolvedName = definition?.name ?? name
        let named: (AttributePath) -> Bool = { path in
            let resolved = schema.resolve(path)
            return resolved.container == nil && resolved.name.caseInsensitiveEquals(resolvedName)
        }
        if !attributes.isEmpty { return attributes.contains(where: named) }
        if excludedAttributes.contains(where: { named($0) && $0.subAttribute == nil }) { return false }
        return definition?.returned != .request
    }

    /// Applies the projection to a rendered resource.
    public func apply(to resource: JSONObject, schema: ResourceSchema) -> JSONObject {
        var output = JSONObject()
        for (key, value) in resource {
            if key == "schemas" {
                output[key] = value
                continue
            }
            if key.lowercased().hasPrefix("urn:"), value.objectValue != nil {
                if let projected = project(extension: key, value: value, schema: schema) { output[key] = projected }
                continue
            }
            if let projected = project(container: nil, key: key, value: value, schema: schema) { output[key] = projected }
        }
        return output
    }

    private func project(extension urn: String, value: JSONValue, schema: ResourceSchema) -> JSONValue? {
        let wholeAsked = attributes.contains { $0.isExtensionReference && AttributePath.canonicalURN($0.attribute).caseInsensitiveEquals(urn) }
        let wholeExcluded = excludedAttributes.contains {
            $0.isExtensionReference && AttributePath.canonicalURN($0.attribute).caseInsensitiveEquals(urn)
        }
        if wholeExcluded { return nil }
        guard let object = value.objectValue else { return nil }
        var output = JSONObject()
        for (key, member) in object {
            if wholeAsked {
                output[key] = member
            } else if let projected = project(container: urn, key: key, value: member, schema: schema) {
                output[key] = projected
            }
        }
        return output.isEmpty ? nil : .object(output)
    }

    /// The projected value of one attribute, or nil to leave it out.
    private func project(container: String?, key: String, value: JSONValue, schema: ResourceSchema) -> JSONValue? {
        let definition: AttributeDefinition? =
            container.flatMap { schema.extensionSchema($0)?.attribute(named: key) } ?? (container == nil ? schema.coreAttribute(named: key) : nil)
        switch definition?.returned {
        case .always?: return value
        case .never?: return nil
        default: break
        }
        let matches: (AttributePath) -> Bool = { path in
            let resolved = schema.resolve(path)
            let sameContainer = (resolved.container ?? "").caseInsensitiveEquals(container ?? "")
            return sameContainer && resolved.name.caseInsensitiveEquals(key)
        }
        if !attributes.isEmpty {
            let asked = attributes.filter(matches)
            if asked.isEmpty { return nil }
            if asked.contains(where: { $0.subAttribute == nil }) { return value }
            return AttributeProjection.keepingSubAttributes(value, Set(asked.compactMap { $0.subAttribute?.lowercased() }))
        }
        let excluded = excludedAttributes.filter(matches)
        if excluded.contains(where: { $0.subAttribute == nil }) { return nil }
        if definition?.returned == .request { return nil }
        let excludedSubs = Set(excluded.compactMap { $0.subAttribute?.lowercased() })
        if excludedSubs.isEmpty { return value }
        return AttributeProjection.droppingSubAttributes(value, excludedSubs)
    }

    private static func keepingSubAttributes(_ value: JSONValue, _ names: Set<String>) -> JSONValue? {
        filterSubAttributes(value) { names.contains($0.lowercased()) }
    }

    private static func droppingSubAttributes(_ value: JSONValue, _ names: Set<String>) -> JSONValue? {
        filterSubAttributes(value) { !names.contains($0.lowercased()) }
    }

    private static func filterSubAttributes(_ value: JSONValue, keep: (String) -> Bool) -> JSONValue? {
        func filterObject(_ object: JSONObject) -> JSONObject {
            var result = JSONObject()
            for (key, member) in object where keep(key) { result[key] = member }
            return result
        }
        switch value {
        case .object(let object):
            let result = filterObject(object)
            return result.isEmpty ? nil : .object(result)
        case .array(let elements):
            let result = elements.compactMap { element -> JSONValue? in
                guard let object = element.objectValue else { return element }
                let filtered = filterObject(object)
                return filtered.isEmpty ? nil : .object(filtered)
            }
            return result.isEmpty ? nil : .array(result)
        default:
            return value
        }
    }
}
