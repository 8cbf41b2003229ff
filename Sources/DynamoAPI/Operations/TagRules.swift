import DynamoModel
import JSON

/// DynamoDB's rules for tags, one place for every path that takes them: TagResource, UntagResource's keys and
/// CreateTable's `Tags`.
///
/// From the developer guide ("Tagging restrictions in DynamoDB") and DynamoDB's answers:
/// - a key has 1 to 128 characters, a value 0 to 256 ("Unicode characters"; counted as UTF-16 code units, as the
///   Java service counts a string's length — the two differ only for characters outside the Basic Multilingual
///   Plane);
/// - both are made of letters, numbers and white space of any script plus `+ - = . _ : / @` (the AWS tag pattern
///   `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`; emoji, `#`, `%`, `,`, quotes and other punctuation are refused);
/// - a key may not start with `aws:` in any case (reserved for AWS-assigned tags);
/// - a tag without a `Value` is refused (an empty value is fine), one key appears once per request, and a table has
///   at most 50 tags after the change.
/// Each refusal is a ValidationException with DynamoDB's wording and fails the whole request.
enum TagRules {
    static let maximumTagsPerResource = 50
    static let maximumKeyLength = 128
    static let maximumValueLength = 256

    /// One tag as the request spelled it: nil where a member was missing.
    struct Requested: Equatable {
        var key: String?
        var value: String?
    }

    static let tooManyTags = DynamoError.validation(
        "Number of Tags exceed the current limit for the provided ResourceArn")
    static let noTags = DynamoError.validation("Atleast one Tag needs to be provided as Input.")
    static let noTagKeys = DynamoError.validation("Atleast one Tag Key needs to be provided as Input.")

    /// A request's `Tags` list (nil when absent), keeping missing members as nil for the rules to word.
    static func read(_ value: JSONValue?) throws(DynamoError) -> [Requested]? {
        guard let list = try InputReader.array(value) else { return nil }
        var tags: [Requested] = []
        tags.reserveCapacity(list.count)
        for entry in list {
            let object = try InputReader.object(entry)
            tags.append(Requested(key: try InputReader.string(object?["Key"]),
                                  value: try InputReader.string(object?["Value"])))
        }
        return tags
    }

    /// The tags of a request, checked tag by tag in request order (key, then value), then for a repeated key.
    static func check(_ tags: [Requested]) throws(DynamoError) -> [(key: String, value: String)] {
        var checked: [(key: String, value: String)] = []
        checked.reserveCapacity(tags.count)
        var seen = Set<String>()
        for tag in tags {
            let key = try checkKey(tag.key)
            guard let value = tag.value, isValid(value, maximumLength: maximumValueLength) else {
                throw .validation("The Tag Value provided is invalid, Value: \(tag.value ?? "null")")
            }
            guard seen.insert(key).inserted else {
                throw .validation("Duplicate Tag Keys provided as input: Duplicate Tag Key found \(key)")
            }
            checked.append((key, value))
        }
        return checked
    }

    /// A tag key (TagResource, UntagResource, CreateTable): its length and characters, then the reserved prefix.
    static func checkKey(_ key: String?) throws(DynamoError) -> String {
        guard let key, !key.isEmpty, isValid(key, maximumLength: maximumKeyLength) else {
            throw .validation("The Tag Key provided is invalid, Key: \(key ?? "null")")
        }
        if hasReservedPrefix(key) { throw .validation("Tag Key cannot be prefixed with aws:, Key: \(key)") }
        return key
    }

    /// CreateTable's `Tags`: the same rules as TagResource, except that an empty list is allowed.
    static func forCreateTable(_ tags: [Requested]?) throws(DynamoError) -> [(key: String, value: String)] {
        let checked = try check(tags ?? [])
        if checked.count > maximumTagsPerResource { throw tooManyTags }
        return checked
    }

    /// `existing` with `added` applied (a known key takes its new value), within the per-table limit.
    static func merge(_ added: [(key: String, value: String)], into existing: [(key: String, value: String)])
        throws(DynamoError) -> [(key: String, value: String)] {
        var merged = existing
        for tag in added {
            if let index = merged.firstIndex(where: { $0.key == tag.key }) {
                merged[index].value = tag.value
            } else {
                merged.append(tag)
            }
        }
        if merged.count > maximumTagsPerResource { throw tooManyTags }
        return merged
    }

    /// Whether `text` is within `maximumLength` UTF-16 code units and made only of allowed characters.
    static func isValid(_ text: String, maximumLength: Int) -> Bool {
        text.utf16.count <= maximumLength && text.unicodeScalars.allSatisfy(isAllowed)
    }

    /// `\p{L}`, `\p{Z}`, `\p{N}` or one of `_ . : / = + - @`.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "_", ".", ":", "/", "=", "+", "-", "@": return true
        default: break
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .spaceSeparator, .lineSeparator, .paragraphSeparator,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// `aws:` in any mix of cases.
    static func hasReservedPrefix(_ key: String) -> Bool {
        let prefix = Array(key.utf8.prefix(4))
        guard prefix.count == 4, prefix[3] == UInt8(ascii: ":") else { return false }
        return prefix[0] | 0x20 == UInt8(ascii: "a") && prefix[1] | 0x20 == UInt8(ascii: "w")
            && prefix[2] | 0x20 == UInt8(ascii: "s")
    }
}
