import NIOCore
import PostgresNIO
import RosterCore

/// PostgreSQL's `COPY` text format: one line per row, tab-separated, `\N` for NULL, backslash escapes in text,
/// `\\x…` hex for BYTEA, `t`/`f` for booleans.
enum CopyText {
    /// Appends one row.
    static func append(_ row: [ExportValue], columns: [ExportColumn], to buffer: inout ByteBuffer) {
        for (index, value) in row.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            switch value {
            case .null:
                buffer.writeString("\\N")
            case .integer(let number):
                if columns[index].kind == .boolean {
                    buffer.writeString(number != 0 ? "t" : "f")
                } else {
                    buffer.writeString(String(number))
                }
            case .text(let text):
                for byte in text.utf8 {
                    switch byte {
                    case UInt8(ascii: "\\"): buffer.writeString("\\\\")
                    case UInt8(ascii: "\t"): buffer.writeString("\\t")
                    case UInt8(ascii: "\n"): buffer.writeString("\\n")
                    case UInt8(ascii: "\r"): buffer.writeString("\\r")
                    default: buffer.writeInteger(byte)
                    }
                }
            case .blob(let bytes):
                buffer.writeString("\\\\x")
                for byte in bytes {
                    let hex = String(byte, radix: 16)
                    buffer.writeString(byte < 16 ? "0" + hex : hex)
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    /// A value read back from PostgreSQL, in the form the SQLite side produced it.
    static func value(of cell: PostgresCell, kind: ExportColumnKind) throws -> ExportValue {
        switch kind {
        case .integer:
            return try cell.decode(Int64?.self).map(ExportValue.integer) ?? .null
        case .boolean:
            return try cell.decode(Bool?.self).map { .integer($0 ? 1 : 0) } ?? .null
        case .text:
            return try cell.decode(String?.self).map(ExportValue.text) ?? .null
        case .blob:
            return try cell.decode(ByteBuffer?.self).map { .blob(Array($0.readableBytesView)) } ?? .null
        }
    }
}
