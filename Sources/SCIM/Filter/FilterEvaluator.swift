/// Where a filter's attribute paths resolve: the resource, or the elements of a multi-valued attribute inside a
/// value path.
private enum FilterScope {
    case resource(ResourceSchema)
    case element(AttributeDefinition)

    func resolve(_ path: AttributePath) -> ResolvedAttribute {
        switch self {
        case .resource(let schema):
            return schema.resolve(path)
        case .element(let outer):
            let definition = outer.subAttribute(named: path.attribute)
            return ResolvedAttribute(
                container: nil,
                name: definition?.name ?? path.attribute,
                definition: definition ?? ResourceSchema.schemaless(path.attribute, complex: false),
                subName: nil,
                subDefinition: nil,
                isKnown: definition != nil && path.schemaURN == nil && path.subAttribute == nil
            )
        }
    }
}

extension Filter {
    /// Checks the filter against a resource type's schemas: operators must suit the attribute's type (booleans
    /// only `eq`/`ne`, no ordering of binaries, substrings only on strings), complex attributes need a sub-attribute,
    /// and literals must fit the type. Throws `invalidFilter`.
    public func validate(for schema: ResourceSchema) throws(SCIMError) {
        try validate(in: .resource(schema))
    }

    /// Whether `document` (a resource in its stored form, with canonical attribute names) matches the filter.
    /// Call ``validate(for:)`` first; an invalid comparison simply does not match.
    public func matches(_ document: JSONObject, schema: ResourceSchema) -> Bool {
        matches(document, in: .resource(schema))
    }

    /// Checks a value filter whose paths name sub-attributes of `attribute` (the part between brackets).
    func validateElementFilter(of attribute: AttributeDefinition) throws(SCIMError) {
        try validate(in: .element(attribute))
    }

    /// Whether one element of a multi-valued attribute matches a value filter (the part between brackets).
    func matchesElement(_ element: JSONObject, of attribute: AttributeDefinition) -> Bool {
        matches(element, in: .element(attribute))
    }

    /// The value of `type` when the filter is exactly `type eq "value"`: the one filter for which PATCH creates a
    /// missing entry, as Entra needs for `emails[type eq "work"].value`.
    var typeEqualityValue: String? {
        guard case .comparison(let path, .eq, .string(let value)) = self, path.schemaURN == nil, path.subAttribute == nil,
            path.attribute.caseInsensitiveEquals("type")
        else { return nil }
        return value
    }

    /// The ids a `members` filter selects when it is only `value eq "id"` comparisons joined by `or`, so a store
    /// can delete those rows directly; nil for any other filter.
    var memberIDs: [String]? {
        switch self {
        case .comparison(let path, .eq, .string(let id))
        where path.schemaURN == nil && path.subAttribute == nil
            && path.attribute.caseInsensitiveEquals("value"):
            return [id]
        case .or(let left, let right):
            guard let lhs = left.memberIDs, let rhs = right.memberIDs else { return nil }
            return lhs + rhs
        default:
            return nil
        }
    }

    private func validate(in scope: FilterScope) throws(SCIMError) {
        switch self {
        case .and(let left, let right), .or(let left, let right):
            try left.validate(in: scope)
            try right.validate(in: scope)
        case .not(let inner):
            try inner.validate(in: scope)
        case .present(let path):
            if case .element = scope, path.schemaURN != nil || path.subAttribute != nil {
                throw .invalidFilter("'\(path)' cannot be used inside a value filter")
            }
        case .valuePath(let path, let inner):
            guard case .resource = scope else { throw .invalidFilter("value filters cannot be nested") }
            let resolved = scope.resolve(path)
            if resolved.isKnown, resolved.definition.type != .complex {
                throw .invalidFilter("'\(path)' has no sub-attributes to filter on")
            }
            try inner.validate(in: .element(resolved.definition))
        case .comparison(let path, let comparison, let value):
            if case .element = scope, path.schemaURN != nil || path.subAttribute != nil {
                throw .invalidFilter("'\(path)' cannot be used inside a value filter")
            }
            let resolved = scope.resolve(path)
            let definition = resolved.subDefinition ?? resolved.definition.comparisonTarget
            try Filter.validateComparison(path: path, definition: definition, comparison: comparison, value: value)
        }
    }

    private static func validateComparison(
        path: AttributePath,
        definition: AttributeDefinition,
        comparison: ComparisonOperator,
        value: FilterValue
    ) throws(SCIMError) {
        if case .null = value {
            guard comparison == .eq || comparison == .ne else { throw .invalidFilter("only eq and ne compare with null") }
            return
        }
        switch definition.type {
        case .complex:
            throw .invalidFilter("'\(path)' is complex: compare one of its sub-attributes")
        case .boolean:
            guard comparison == .eq || comparison == .ne else {
                throw .invalidFilter("'\(path)' is a boolean: only eq and ne apply, not \(comparison.rawValue)")
            }
            guard FilterComparison.boolean(value.jsonValue) != nil else {
                throw .invalidFilter("'\(path)' is a boolean: compare it with true or false")
            }
        case .binary:
            guard !comparison.isOrdering else { throw .invalidFilter("'\(path)' is binary and cannot be ordered") }
        case .integer, .decimal:
            guard !comparison.isSubstring else { throw .invalidFilter("'\(path)' is a number: \(comparison.rawValue) applies to strings") }
            guard FilterComparison.number(value.jsonValue) != nil else { throw .invalidFilter("'\(path)' is a number: compare it with a number") }
        case .string, .reference, .dateTime:
            break
        }
    }

    private func matches(_ document: JSONObject, in scope: FilterScope) -> Bool {
        switch self {
        case .and(let left, let right):
            return left.matches(document, in: scope) && right.matches(document, in: scope)
        case .or(let left, let right):
            return left.matches(document, in: scope) || right.matches(document, in: scope)
        case .not(let inner):
            return !inner.matches(document, in: scope)
        case .present(let path):
            return scope.resolve(path).values(in: document).contains { $0.isPresent }
        case .valuePath(let path, let inner):
            let resolved = scope.resolve(path)
            let elementDefinition = resolved.definition
            return resolved.values(in: document).contains { element in
                guard let object = element.objectValue else { return false }
                return inner.matches(object, in: .element(elementDefinition))
            }
        case .comparison(let path, let comparison, let value):
            let resolved = scope.resolve(path)
            var values = resolved.values(in: document)
            // Null, unassigned and empty are one state (RFC 7643 §2.5): `eq null` is "not pr", `ne null` is "pr".
            if case .null = value {
                let present = values.contains { $0.isPresent }
                switch comparison {
                case .eq: return !present
                case .ne: return present
                default: return false
                }
            }
            var definition = resolved.leafDefinition
            if resolved.subName == nil, definition.type == .complex, let valueDefinition = definition.subAttribute(named: "value") {
                values = values.compactMap { $0.objectValue?.value(forName: "value") }
                definition = valueDefinition
            }
            if comparison == .ne {
                return !values.contains { FilterComparison.compare($0, .eq, value, definition: definition) }
            }
            return values.contains { FilterComparison.compare($0, comparison, value, definition: definition) }
        }
    }
}
