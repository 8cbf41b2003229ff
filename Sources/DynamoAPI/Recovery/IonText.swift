import DynamoModel
import JSON

/// Amazon Ion text for ION-format exports, as DynamoDB writes it: one `$ion_1_0 {Item:{...}}` per line, numbers as
/// Ion decimals, binary as blobs, sets as lists annotated `$dynamodb_SS`, `$dynamodb_NS` or `$dynamodb_BS`.
enum IonText {
    static func line(_ line: ExportWriter.Line, incremental: Bool) -> [UInt8] {
        var out = Array("$ion_1_0 ".utf8)
        if incremental {
            var fields: [(String, [UInt8])] = []
            if let time = line.writeTime {
                fields.append(("Metadata", Array("{WriteTimestampMicros:\(Int64(time * 1_000_000))}".utf8)))
            }
            fields.append(("Keys", item(line.keys)))
            if let new = line.newImage { fields.append(("NewImage", item(new))) }
            if let old = line.oldImage { fields.append(("OldImage", item(old))) }
            out += structure(fields)
        } else {
            out += structure([("Item", item(line.newImage ?? [:]))])
        }
        return out
    }

    static func item(_ item: Item) -> [UInt8] {
        structure(item.keys.sorted().compactMap { name in item[name].map { (name, value($0)) } })
    }

    static func value(_ value: AttributeValue) -> [UInt8] {
        switch value {
        case .s(let text): return string(text)
        case .n(let number): return decimal(number)
        case .b(let bytes): return blob(bytes)
        case .bool(let flag): return Array((flag ? "true" : "false").utf8)
        case .null: return Array("null".utf8)
        case .l(let values): return list(values.map(Self.value))
        case .m(let map): return item(map)
        case .ss(let texts): return Array("$dynamodb_SS::".utf8) + list(texts.map(string))
        case .ns(let numbers): return Array("$dynamodb_NS::".utf8) + list(numbers.map(decimal))
        case .bs(let blobs): return Array("$dynamodb_BS::".utf8) + list(blobs.map(blob))
        }
    }

    /// `digits d exponent`: exact, whatever the magnitude.
    static func decimal(_ number: DynamoNumber) -> [UInt8] {
        if number.isZero { return Array("0d0".utf8) }
        var text = number.isNegative ? "-" : ""
        text += String(decoding: number.digits.map { $0 + 0x30 }, as: UTF8.self)
        text += "d\(number.exponent - number.digits.count)"
        return Array(text.utf8)
    }

    static func string(_ text: String) -> [UInt8] { JSONWriter.serialize(.string(text)) }

    static func blob(_ bytes: [UInt8]) -> [UInt8] { Array("{{\(Base64.encode(bytes))}}".utf8) }

    static func list(_ values: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += value
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    static func structure(_ fields: [(String, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += fieldName(field.0)
            out.append(UInt8(ascii: ":"))
            out += field.1
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// A bare symbol when it is an identifier (and no keyword); otherwise a string, which Ion also accepts.
    static func fieldName(_ name: String) -> [UInt8] {
        let bytes = Array(name.utf8)
        func isStart(_ byte: UInt8) -> Bool {
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
        }
        let identifier = !bytes.isEmpty && isStart(bytes[0]) && bytes.allSatisfy { isStart($0) || ($0 >= 0x30 && $0 <= 0x39) }
            && !["true", "false", "null", "nan"].contains(name) && !name.hasPrefix("$")
        return identifier ? bytes : string(name)
    }
}
