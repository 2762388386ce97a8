/// Compares one attribute value with a filter literal by the attribute's type and `caseExact` (RFC 7644 §3.4.2.2).
enum FilterComparison {
    /// Whether `candidate op literal` holds. `ne` is handled by the caller as "no value is equal".
    static func compare(_ candidate: JSONValue, _ comparison: ComparisonOperator, _ literal: FilterValue, definition: AttributeDefinition) -> Bool {
        if case .null = literal { return false }
        switch definition.type {
        case .boolean:
            guard let lhs = boolean(candidate), let rhs = boolean(literal.jsonValue) else { return false }
            return comparison == .eq && lhs == rhs
        case .integer, .decimal:
            guard let lhs = number(candidate), let rhs = number(literal.jsonValue) else { return false }
            return order(lhs, rhs, comparison)
        case .dateTime:
            if let lhsText = candidate.stringValue, let rhsText = literal.text,
                let lhs = SCIMDateTime.instant(lhsText), let rhs = SCIMDateTime.instant(rhsText)
            {
                if comparison.isSubstring { return compareText(lhsText, rhsText, comparison, caseExact: true) }
                return order(lhs, rhs, comparison)
            }
            return compareDynamic(candidate, comparison, literal, caseExact: definition.caseExact)
        case .complex:
            return false
        case .string, .reference, .binary:
            return compareDynamic(candidate, comparison, literal, caseExact: definition.caseExact)
        }
    }

    /// Compares by the candidate's own JSON type, for strings and for attributes no schema defines.
    private static func compareDynamic(_ candidate: JSONValue, _ comparison: ComparisonOperator, _ literal: FilterValue, caseExact: Bool) -> Bool {
        switch candidate {
        case .string(let string):
            guard let rhs = literal.text else { return false }
            return compareText(string, rhs, comparison, caseExact: caseExact)
        case .number:
            guard let lhs = number(candidate), let rhs = number(literal.jsonValue) else { return false }
            return order(lhs, rhs, comparison)
        case .bool(let bool):
            guard let rhs = boolean(literal.jsonValue) else { return false }
            return comparison == .eq && bool == rhs
        default:
            return false
        }
    }

    private static func compareText(_ lhs: String, _ rhs: String, _ comparison: ComparisonOperator, caseExact: Bool) -> Bool {
        let left = caseExact ? lhs : lhs.lowercased()
        let right = caseExact ? rhs : rhs.lowercased()
        switch comparison {
        case .eq, .ne: return left == right
        case .co: return right.isEmpty || left.contains(right)
        case .sw: return left.hasPrefix(right)
        case .ew: return left.hasSuffix(right)
        case .gt: return left > right
        case .ge: return left >= right
        case .lt: return left < right
        case .le: return left <= right
        }
    }

    private static func order<T: Comparable>(_ lhs: T, _ rhs: T, _ comparison: ComparisonOperator) -> Bool {
        switch comparison {
        case .eq, .ne: lhs == rhs
        case .gt: lhs > rhs
        case .ge: lhs >= rhs
        case .lt: lhs < rhs
        case .le: lhs <= rhs
        case .co, .sw, .ew: false
        }
    }

    /// A boolean from `true`/`false` or their strings in any case (Entra sends `"True"`).
    static func boolean(_ value: JSONValue) -> Bool? {
        switch value {
        case .bool(let bool): return bool
        case .string(let string):
            if string.caseInsensitiveEquals("true") { return true }
            if string.caseInsensitiveEquals("false") { return false }
            return nil
        default: return nil
        }
    }

    /// A number from a number or a numeric string.
    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let number): number.doubleValue
        case .string(let string): JSONNumber(text: string.trimmingSpaces)?.doubleValue
        default: nil
        }
    }
}
