/// Applies add, replace and remove to a resource's stored attributes by its schema. PATCH uses it strictly (unknown
/// paths and read-only targets are errors); POST and PUT bodies and no-path PATCH values use it leniently
/// (read-only attributes ignored; attributes a known schema does not define ignored and listed in
/// ``ignoredAttributes``; attributes of an extension Roster does not know kept as sent, so custom extensions
/// round-trip). Detached attributes (group `members`) are not touched; their changes are recorded in
/// ``membershipChanges``.
struct ResourceEditor {
    /// Whether a request may name unknown attributes and read-only ones.
    enum Strictness {
        /// An explicit PATCH path: unknown attributes are `invalidPath`, read-only ones `mutability`.
        case strict
        /// A key of a body or of a no-path value: read-only attributes and attributes a known schema does not define
        /// are ignored; attributes of unknown extensions are stored as sent.
        case lenient
    }

    let schema: ResourceSchema
    let resourceID: String?
    var document: JSONObject
    var membershipChanges: [MembershipChange] = []
    /// The attributes a lenient request named that the core schema or a known extension does not define, as sent;
    /// they were not stored (`/Schemas` would not describe them, and strict clients reject such resources).
    var ignoredAttributes: [String] = []

    init(schema: ResourceSchema, document: JSONObject, resourceID: String?) {
        self.schema = schema
        self.document = document
        self.resourceID = resourceID
    }

    // MARK: Operations

    /// Applies one PATCH operation.
    mutating func apply(_ operation: PatchOperation) throws(SCIMError) {
        if let path = operation.path {
            try apply(operation.kind, path: path, value: operation.value, strictness: .strict)
        } else if let object = operation.value?.objectValue {
            try applyValueObject(operation.kind, object)
        } else {
            throw .invalidValue("\(operation.kind.rawValue) without a 'path' needs an object 'value'")
        }
    }

    /// Applies an object whose keys name attributes (a no-path add or replace, or a POST/PUT body). Keys may be
    /// dotted (`name.givenName`) or URN-qualified, and an extension URN key holds that extension's attributes.
    mutating func applyValueObject(_ kind: PatchOperation.Kind, _ object: JSONObject) throws(SCIMError) {
        for (key, value) in object {
            if key.caseInsensitiveEquals("schemas") || key.caseInsensitiveEquals("meta") { continue }
            if key.caseInsensitiveEquals("id") {
                if let resourceID, value != .string(resourceID), !value.isNull {
                    throw .mutability("'id' is read-only and differs from the resource's id \"\(resourceID)\"")
                }
                continue
            }
            guard let path = AttributePath(parsing: key) else {
                throw .invalidPath("'\(key)' is not a valid attribute name")
            }
            if path.isExtensionReference, let members = value.objectValue {
                if schema.isCoreSchema(path.attribute) {
                    try applyValueObject(kind, members)
                    continue
                }
                if let extensionSchema = schema.extensionSchema(path.attribute) {
                    for (name, member) in members {
                        guard let memberPath = AttributePath(parsing: extensionSchema.id + ":" + name) else {
                            throw .invalidPath("'\(name)' is not a valid attribute name in \(extensionSchema.id)")
                        }
                        try apply(kind, path: PatchPath(attribute: memberPath), value: member, strictness: .lenient)
                    }
                    continue
                }
            }
            try apply(kind, path: PatchPath(attribute: path), value: value, strictness: .lenient)
        }
    }

    /// Applies one operation at a path.
    mutating func apply(_ kind: PatchOperation.Kind, path: PatchPath, value: JSONValue?, strictness: Strictness) throws(SCIMError) {
        let resolved = schema.resolve(path.attribute)
        let knownContainer = resolved.container.map { schema.extensionSchema($0) != nil } ?? true
        if !resolved.isKnown && knownContainer && !(resolved.container == nil && schema.isCoreSchema(resolved.name)) {
            guard strictness == .lenient else { throw .invalidPath("'\(path.attribute)' is not an attribute of a \(schema.name)") }
            // A whole extension Roster does not know (Okta's custom attributes) is kept as an object, so that it
            // round-trips with its URN in `schemas`; anything else no schema defines is ignored.
            if !(path.attribute.isExtensionReference && value?.objectValue != nil) {
                ignoredAttributes.append(path.attribute.description)
                return
            }
        }
        if resolved.container == nil, schema.detachedAttributes.contains(resolved.name) {
            try applyMembership(kind, path: path, resolved: resolved, value: value)
            return
        }
        let target = resolved.leafDefinition
        if resolved.definition.mutability == .writeOnly && resolved.definition.returned == .never { return }
        if resolved.definition.name == "id" && resolved.container == nil {
            // Okta echoes the resource's own id; only a real attempt to change it is an error
            // (docs/IDP-BEHAVIOURS.md §6.7).
            if kind != .remove, let resourceID, value == .string(resourceID) { return }
            throw .mutability("'id' is read-only")
        }
        if resolved.definition.mutability == .readOnly || target.mutability == .readOnly {
            guard strictness == .lenient else { throw .mutability("'\(path.attribute)' is read-only") }
            return
        }
        if let filter = path.filter {
            try applyFiltered(kind, resolved: resolved, filter: filter, subAttribute: path.subAttribute, value: value)
            return
        }
        switch kind {
        case .remove:
            try remove(resolved, value: value)
        case .add, .replace:
            guard let value else { throw .invalidValue("\(kind.rawValue) '\(path.attribute)' needs a 'value'") }
            try set(kind, resolved, value: value)
        }
    }

    // MARK: Unfiltered paths

    private mutating func remove(_ resolved: ResolvedAttribute, value: JSONValue?) throws(SCIMError) {
        let definition = resolved.definition
        if resolved.subName == nil, definition.required, resolved.container == nil {
            throw .mutability("'\(definition.name)' is required and cannot be removed")
        }
        if let subName = resolved.subName {
            if definition.multiValued {
                let elements = (resolved.attributeValue(in: document)?.arrayValue ?? []).map { element -> JSONValue in
                    guard var object = element.objectValue else { return element }
                    object.removeValue(forName: subName)
                    return .object(object)
                }
                write(resolved, .array(elements.filter { $0.objectValue?.isEmpty != true }))
            } else {
                var parent = resolved.attributeValue(in: document)?.objectValue ?? JSONObject()
                parent.removeValue(forName: subName)
                write(resolved, .object(parent))
            }
            return
        }
        // Entra and JumpCloud: remove with a value list removes only those values.
        if definition.multiValued, let value, !value.isNull {
            let listed = try ValueCoercion.coerce(value, for: definition, name: definition.name)?.arrayValue ?? []
            let elements = resolved.attributeValue(in: document)?.arrayValue ?? []
            write(resolved, .array(elements.filter { element in !listed.contains { ResourceEditor.sameValue(element, $0, definition) } }))
            return
        }
        write(resolved, nil)
    }

    private mutating func set(_ kind: PatchOperation.Kind, _ resolved: ResolvedAttribute, value: JSONValue) throws(SCIMError) {
        let definition = resolved.definition
        let label = resolved.container.map { $0 + ":" + resolved.name } ?? resolved.name
        if let subName = resolved.subName, let subDefinition = resolved.subDefinition {
            let coerced = try ValueCoercion.coerce(value, for: subDefinition, name: label + "." + subName)
            if definition.multiValued {
                var elements = resolved.attributeValue(in: document)?.arrayValue ?? []
                if elements.isEmpty {
                    if let coerced { elements = [.object(JSONObject([(subName, coerced)]))] }
                } else {
                    elements = elements.map { element in
                        guard var object = element.objectValue else { return element }
                        object[object.key(matching: subName) ?? subName] = coerced
                        return .object(object)
                    }
                }
                write(resolved, .array(elements))
            } else {
                var parent = resolved.attributeValue(in: document)?.objectValue ?? JSONObject()
                parent[parent.key(matching: subName) ?? subName] = coerced
                write(resolved, .object(parent))
            }
            return
        }
        let coerced = try ValueCoercion.coerce(value, for: definition, name: label)
        if definition.multiValued {
            guard kind == .add else {
                write(resolved, coerced)
                return
            }
            var elements = resolved.attributeValue(in: document)?.arrayValue ?? []
            var touched: [Int] = []
            for element in coerced?.arrayValue ?? [] {
                if let index = elements.firstIndex(where: { ResourceEditor.sameValue($0, element, definition) }) {
                    elements[index] = ResourceEditor.merged(elements[index], element)
                    touched.append(index)
                } else {
                    elements.append(element)
                    touched.append(elements.count - 1)
                }
            }
            write(resolved, .array(ValueCoercion.keepingOnePrimary(elements, preferLast: true, touched: touched)))
        } else if definition.type == .complex, coerced?.objectValue != nil || value.objectValue != nil {
            // A complex value merges: replacing `name` with only `familyName` keeps `givenName`, and a null
            // sub-attribute is unassigned (RFC 7643 §2.5) without touching the others.
            var current = resolved.attributeValue(in: document)?.objectValue ?? JSONObject()
            // A new identity (`manager` pointing at someone else) replaces the whole value, so no stale `$ref`
            // or `displayName` of the previous one survives.
            if let newIdentity = coerced?.objectValue?["value"], let oldIdentity = current["value"], newIdentity != oldIdentity {
                current = JSONObject()
            }
            for (key, member) in value.objectValue ?? JSONObject() where member.isNull { current.removeValue(forName: key) }
            for (key, member) in coerced?.objectValue ?? JSONObject() { current[current.key(matching: key) ?? key] = member }
            write(resolved, .object(current))
        } else {
            write(resolved, coerced)
        }
    }

    // MARK: Filtered paths

    private mutating func applyFiltered(
        _ kind: PatchOperation.Kind,
        resolved: ResolvedAttribute,
        filter: Filter,
        subAttribute: String?,
        value: JSONValue?
    ) throws(SCIMError) {
        let definition = resolved.definition
        let isSchemaless = definition.description == ResourceSchema.schemalessDescription
        guard definition.multiValued || isSchemaless, resolved.subName == nil else {
            throw .invalidPath("'\(resolved.name)' is not multi-valued, so it cannot take a value filter")
        }
        do {
            try filter.validateElementFilter(of: definition)
        } catch {
            throw .invalidPath("the filter on '\(resolved.name)' is invalid: \(error.detail)")
        }
        var subDefinition: AttributeDefinition?
        var subName: String?
        if let subAttribute {
            let found = definition.subAttribute(named: subAttribute)
            guard found != nil || isSchemaless else { throw .invalidPath("'\(resolved.name)' has no sub-attribute '\(subAttribute)'") }
            subDefinition = found ?? ResourceSchema.schemaless(subAttribute, complex: false)
            subName = found?.name ?? subAttribute
            if subDefinition?.mutability == .readOnly { throw .mutability("'\(resolved.name).\(subAttribute)' is read-only") }
        }
        var elements = resolved.attributeValue(in: document)?.arrayValue ?? []
        let matching = elements.indices.filter { index in
            guard let object = elements[index].objectValue else { return false }
            return filter.matchesElement(object, of: definition)
        }
        let label = resolved.name
        var touched = matching
        switch kind {
        case .remove:
            if let subName {
                for index in matching {
                    guard var object = elements[index].objectValue else { continue }
                    object.removeValue(forName: subName)
                    elements[index] = .object(object)
                }
                elements = elements.filter { $0.objectValue?.isEmpty != true }
            } else {
                let removed = Set(matching)
                elements = elements.indices.filter { !removed.contains($0) }.map { elements[$0] }
            }
        case .add, .replace:
            guard let value else { throw .invalidValue("\(kind.rawValue) '\(label)[…]' needs a 'value'") }
            if matching.isEmpty {
                // Entra: `emails[type eq "work"].value` with no work email creates it (docs/IDP-BEHAVIOURS.md §6.5).
                guard let type = filter.typeEqualityValue else {
                    throw .noTarget("no value of '\(label)' matches the filter")
                }
                var created = JSONObject([("type", .string(type))])
                if let subName, let subDefinition {
                    guard let coerced = try ValueCoercion.coerce(value, for: subDefinition, name: label + "." + subName) else { return }
                    created[subName] = coerced
                } else if let object = try ValueCoercion.coerceSingle(value, for: definition, name: label)?.objectValue {
                    for (key, member) in object where !key.caseInsensitiveEquals("type") { created[key] = member }
                }
                elements.append(.object(created))
                touched = [elements.count - 1]
            } else {
                for index in matching {
                    guard var object = elements[index].objectValue else { continue }
                    if let subName, let subDefinition {
                        object[object.key(matching: subName) ?? subName] = try ValueCoercion.coerce(
                            value,
                            for: subDefinition,
                            name: label + "." + subName
                        )
                    } else if let replacement = try ValueCoercion.coerceSingle(value, for: definition, name: label)?.objectValue {
                        if kind == .replace {
                            object = replacement
                        } else {
                            for (key, member) in replacement { object[object.key(matching: key) ?? key] = member }
                        }
                    }
                    elements[index] = .object(object)
                }
            }
            elements = ValueCoercion.keepingOnePrimary(elements, preferLast: true, touched: touched)
        }
        write(resolved, .array(elements))
    }

    // MARK: Detached members

    private mutating func applyMembership(
        _ kind: PatchOperation.Kind,
        path: PatchPath,
        resolved: ResolvedAttribute,
        value: JSONValue?
    ) throws(SCIMError) {
        guard resolved.subName == nil, path.subAttribute == nil else {
            throw .invalidPath("member sub-attributes cannot be changed; remove and add the member instead")
        }
        if let filter = path.filter {
            do {
                try filter.validateElementFilter(of: GroupMember.definition)
            } catch {
                throw .invalidPath("the filter on 'members' is invalid: \(error.detail)")
            }
            if let ids = filter.memberIDs {
                membershipChanges.append(.remove(ids))
            } else {
                membershipChanges.append(.removeMatching(filter))
            }
            switch kind {
            case .remove: return
            case .add, .replace:
                let added = try GroupMember.parseList(value)
                if !added.isEmpty { membershipChanges.append(.add(added)) }
            }
            return
        }
        switch kind {
        case .remove:
            if let value, !value.isNull {
                let ids = try GroupMember.parseList(value).map(\.value)
                if !ids.isEmpty { membershipChanges.append(.remove(ids)) }
            } else {
                membershipChanges.append(.removeAll)
            }
        case .add:
            let added = try GroupMember.parseList(value)
            if !added.isEmpty { membershipChanges.append(.add(added)) }
        case .replace:
            membershipChanges.append(.replace(try GroupMember.parseList(value)))
        }
    }

    // MARK: Helpers

    /// Stores `value` at the attribute's location; nil, an empty array or an empty object unassigns it, and an
    /// extension object left empty is removed.
    private mutating func write(_ resolved: ResolvedAttribute, _ value: JSONValue?) {
        var stored = value
        if let array = value?.arrayValue, array.isEmpty { stored = nil }
        if let object = value?.objectValue, object.isEmpty { stored = nil }
        guard let container = resolved.container else {
            let key = document.key(matching: resolved.name) ?? resolved.name
            document[key] = stored
            return
        }
        let containerKey = document.key(matching: container) ?? container
        var extensionObject = document[containerKey]?.objectValue ?? JSONObject()
        extensionObject[extensionObject.key(matching: resolved.name) ?? resolved.name] = stored
        document[containerKey] = extensionObject.isEmpty ? nil : .object(extensionObject)
    }

    /// Whether two elements of a multi-valued attribute stand for the same value: equal `value` sub-attributes
    /// (by the sub-attribute's `caseExact`) and no conflicting `type`, or equal as JSON when they have no `value`.
    static func sameValue(_ lhs: JSONValue, _ rhs: JSONValue, _ definition: AttributeDefinition) -> Bool {
        guard let left = lhs.objectValue, let right = rhs.objectValue, let leftValue = left["value"], let rightValue = right["value"] else {
            return lhs == rhs
        }
        let caseExact = definition.subAttribute(named: "value")?.caseExact ?? false
        let sameValue: Bool
        if !caseExact, let leftString = leftValue.stringValue, let rightString = rightValue.stringValue {
            sameValue = leftString.caseInsensitiveEquals(rightString)
        } else {
            sameValue = leftValue == rightValue
        }
        guard sameValue else { return false }
        guard let leftType = left["type"]?.stringValue, let rightType = right["type"]?.stringValue else { return true }
        return leftType.caseInsensitiveEquals(rightType)
    }

    /// `base` with the members of `update` laid over it.
    static func merged(_ base: JSONValue, _ update: JSONValue) -> JSONValue {
        guard var object = base.objectValue, let changes = update.objectValue else { return update }
        for (key, value) in changes { object[key] = value }
        return .object(object)
    }
}
