import PostgresNIO

extension PostgresBindings {
    /// Bind parameters for a query written with `$1, $2, …`.
    static func of(_ values: any PostgresThrowingDynamicTypeEncodable...) throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { try binds.append(value) }
        return binds
    }

    /// Appends `value` and returns its placeholder, `$n`: for a statement whose conditions are there or not (optional
    /// filters, a cursor), so that each condition names the parameter it was just given.
    mutating func placeholder(_ value: some PostgresDynamicTypeEncodable) -> String {
        append(value)
        return "$\(count)"
    }
}
