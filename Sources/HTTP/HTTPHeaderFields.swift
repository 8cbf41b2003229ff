/// A request's header fields as they arrived: the header block's bytes and where each name and value lies in them.
/// Parsing a request then costs two allocations rather than two strings per field; text is decoded only for the
/// fields someone asks for (most are only compared, or copied into a canonical request as bytes).
package struct HTTPHeaderFields: Sendable {
    /// Where one field's name and value (trimmed) lie in `bytes`.
    package typealias Field = (name: Range<Int>, value: Range<Int>)

    /// The bytes the ranges point into.
    package private(set) var bytes: [UInt8]
    /// The fields in arrival order.
    package private(set) var fields: [Field]

    package init(bytes: [UInt8], fields: [Field]) {
        self.bytes = bytes
        self.fields = fields
    }

    /// The fields as text, in arrival order.
    package var pairs: [(name: String, value: String)] {
        fields.map { (text(in: $0.name), text(in: $0.value)) }
    }

    /// The value of the first field with this name, compared ignoring ASCII case.
    package func value(named name: String) -> String? {
        index(named: name).map { text(in: fields[$0].value) }
    }

    /// The index of the first field with this name, compared ignoring ASCII case.
    package func index(named name: String) -> Int? {
        var name = name
        return name.withUTF8 { wanted in
            bytes.withUnsafeBufferPointer { buffer in
                fields.firstIndex { ASCII.equalIgnoringCase(UnsafeBufferPointer(rebasing: buffer[$0.name]), wanted) }
            }
        }
    }

    /// The text of a range of `bytes`.
    package func text(in range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// Calls `body` with each element of the comma-separated lists in every field with this name (`lowercaseName`,
    /// compared ignoring ASCII case), in arrival order: spaces and tabs around an element trimmed, empty elements
    /// skipped (RFC 9110 §5.6.1). Allocates nothing.
    package func forEachListElement(named lowercaseName: StaticString, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let wanted = UnsafeBufferPointer(start: lowercaseName.utf8Start, count: lowercaseName.utf8CodeUnitCount)
        bytes.withUnsafeBufferPointer { buffer in
            for field in fields
            where ASCII.equalIgnoringCase(UnsafeBufferPointer(rebasing: buffer[field.name]), wanted) {
                var start = field.value.lowerBound
                while start <= field.value.upperBound {
                    var end = start
                    while end < field.value.upperBound && buffer[end] != UInt8(ascii: ",") { end += 1 }
                    let element = ASCII.trimmingWhitespace(UnsafeBufferPointer(rebasing: buffer[start..<end]))
                    if !element.isEmpty { body(element) }
                    start = end + 1
                }
            }
        }
    }

    /// Whether some field has this name (`lowercaseName`, compared ignoring ASCII case).
    package func contains(named lowercaseName: StaticString) -> Bool {
        let wanted = UnsafeBufferPointer(start: lowercaseName.utf8Start, count: lowercaseName.utf8CodeUnitCount)
        return bytes.withUnsafeBufferPointer { buffer in
            fields.contains { ASCII.equalIgnoringCase(UnsafeBufferPointer(rebasing: buffer[$0.name]), wanted) }
        }
    }
}
