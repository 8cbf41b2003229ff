import DynamoModel
import JSON
import Storage

/// Turns the lines of an import's source objects into items: DynamoDB JSON (`{"Item":{...}}` per line), Ion text
/// (`$ion_1_0 {Item:{...}}` per line, as ION exports write it) or CSV
/// (a header line, or `HeaderList`; key attributes typed by the table's attribute definitions, every other value a
/// string). A bad line is reported, never fatal.
struct ImportReader {
    var format: String
    var csv: CSVOptions?
    /// Types of the attributes the table defines (CSV key values take these).
    var attributeTypes: [String: ScalarAttributeType]

    /// The items of one object, or why each bad line was rejected (line numbers from 1).
    func items(in text: [UInt8], visit: (Result<Item, ImportLineError>) -> Void) {
        var lines = Self.lines(text)
        var headers = csv?.headers
        var lineNumber = 0
        if format == "CSV", headers == nil, !lines.isEmpty {
            headers = Self.csvFields(lines.removeFirst(), delimiter: csv?.delimiter ?? UInt8(ascii: ","))
            lineNumber = 1
        }
        for line in lines {
            lineNumber += 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            switch format {
            case "CSV": visit(csvItem(line, headers: headers ?? [], number: lineNumber))
            case "ION": visit(ionItem(line, number: lineNumber))
            default: visit(jsonItem(line, number: lineNumber))
            }
        }
    }

    func jsonItem(_ line: ArraySlice<UInt8>, number: Int) -> Result<Item, ImportLineError> {
        let json: JSONValue
        do throws(JSONError) {
            json = try JSONParser.parse(Array(line))
        } catch {
            return .failure(ImportLineError(line: number, reason: "Unexpected JSON: \(error)"))
        }
        guard case .object(let object) = json, object.members.count == 1, let value = object["Item"] else {
            return .failure(ImportLineError(line: number, reason: "Each line must be an object with a single member Item"))
        }
        do throws(DynamoError) {
            return .success(try Item.decode(json: value))
        } catch {
            return .failure(ImportLineError(line: number, reason: error.message ?? error.kind.rawValue))
        }
    }

    func ionItem(_ line: ArraySlice<UInt8>, number: Int) -> Result<Item, ImportLineError> {
        do throws(IonReader.Malformed) {
            return .success(try IonReader.item(line))
        } catch {
            return .failure(ImportLineError(line: number, reason: error.reason))
        }
    }

    func csvItem(_ line: ArraySlice<UInt8>, headers: [String], number: Int) -> Result<Item, ImportLineError> {
        let fields = Self.csvFields(line, delimiter: csv?.delimiter ?? UInt8(ascii: ","))
        guard fields.count <= headers.count else {
            return .failure(ImportLineError(line: number, reason: "The line has \(fields.count) fields but the header has \(headers.count)"))
        }
        var item: Item = [:]
        for (name, field) in zip(headers, fields) where !field.isEmpty {
            switch attributeTypes[name] {
            case .n?:
                do throws(DynamoError) { item[name] = .n(try DynamoNumber(parsing: field)) } catch {
                    return .failure(ImportLineError(line: number, reason: "\(name): \(error.message ?? "not a number")"))
                }
            case .b?:
                guard let bytes = Base64.decode(field) else {
                    return .failure(ImportLineError(line: number, reason: "\(name): not base64"))
                }
                item[name] = .b(bytes)
            default:
                item[name] = .s(field)
            }
        }
        return .success(item)
    }

    /// Lines without their terminators (`\n` or `\r\n`).
    static func lines(_ text: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        for index in text.indices where text[index] == UInt8(ascii: "\n") {
            var end = index
            if end > start, text[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            result.append(text[start..<end])
            start = index + 1
        }
        if start < text.count { result.append(text[start...]) }
        return result
    }

    /// RFC 4180 fields of one line (quoted fields may hold the delimiter and doubled quotes).
    static func csvFields(_ line: ArraySlice<UInt8>, delimiter: UInt8) -> [String] {
        var fields: [String] = []
        var current: [UInt8] = []
        var quoted = false
        var index = line.startIndex
        while index < line.endIndex {
            let byte = line[index]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < line.endIndex, line[index + 1] == UInt8(ascii: "\"") {
                        current.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") && current.isEmpty {
                quoted = true
            } else if byte == delimiter {
                fields.append(String(decoding: current, as: UTF8.self))
                current = []
            } else {
                current.append(byte)
            }
            index += 1
        }
        fields.append(String(decoding: current, as: UTF8.self))
        return fields
    }
}

/// Why one line of an import was rejected.
struct ImportLineError: Error {
    var line: Int
    var reason: String
}
