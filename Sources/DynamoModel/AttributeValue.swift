/// One DynamoDB attribute value: all ten types.
/// Sets keep the order the client sent (DynamoDB sets are unordered; equality ignores order).
package indirect enum AttributeValue: Sendable, Hashable {
    case s(String)
    case n(DynamoNumber)
    case b([UInt8])
    case bool(Bool)
    case null
    case l([AttributeValue])
    case m([String: AttributeValue])
    case ss([String])
    case ns([DynamoNumber])
    case bs([[UInt8]])

    /// The type descriptor as DynamoDB spells it in JSON and in `attribute_type`: "S", "N", "B", "BOOL", ...
    package var typeDescriptor: String {
        switch self {
        case .s: return "S"
        case .n: return "N"
        case .b: return "B"
        case .bool: return "BOOL"
        case .null: return "NULL"
        case .l: return "L"
        case .m: return "M"
        case .ss: return "SS"
        case .ns: return "NS"
        case .bs: return "BS"
        }
    }
}

/// An item: attribute name → value.
package typealias Item = [String: AttributeValue]
