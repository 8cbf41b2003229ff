/// Choosing a response's content coding from the request's `Accept-Encoding` (RFC 9110 §12.5.3), the way DynamoDB
/// chooses.
///
/// Accept-Encoding := #( coding [ ";" params ] )      several fields join into one list
/// coding          := "gzip" | "deflate" | "*" | other   (case-insensitive; other codings, `identity` among them,
///                                                        are passed over)
/// weight          := the text after the first "q=" in params, up to the next ";" (1 when absent or not a number;
///                    above 1 counts as 1; 0 or less refuses the coding)
///
/// The choice: the acceptable coding (weight above 0) with the highest weight; `*` gives its weight to each of gzip
/// and deflate not listed by name; at equal weights a coding listed by name beats one `*` stands for, then the one
/// listed first wins, and of the two that `*` stands for, gzip. Where a coding is listed more than once its highest
/// weight counts.
///
/// These rules are what DynamoDB answers, as observed by ScyllaDB's response-compression tests against DynamoDB,
/// malformed values included ("gzip;q=1;q=0.2" is weight 1; "gzip;q=0.x" is weight 1, the value not being a
/// number; "gzip; q=0" is weight 0; "gzip;q =0" has no "q=" before "q=1"). One deliberate difference: DynamoDB reads
/// only the first `Accept-Encoding` field, where HTTP joins them all; we join them (a client that sends two fields
/// accepts what both list, so the compressed answer is one it asked for).
package enum AcceptEncoding {
    /// The coding to apply to a response for a request with these header fields; nil: send it as it is.
    package static func preferredCoding(_ fields: HTTPHeaderFields) -> ContentCoding? {
        var choice = Negotiation()
        fields.forEachListElement(named: "accept-encoding") { choice.add($0) }
        return choice.result
    }

    /// The same choice for `Accept-Encoding` values given as text (one per field, in order).
    package static func preferredCoding(values: [String]) -> ContentCoding? {
        var block: [UInt8] = []
        var ranges: [HTTPHeaderFields.Field] = []
        for value in values {
            let nameStart = block.count
            block.append(contentsOf: "accept-encoding".utf8)
            let nameEnd = block.count
            block.append(contentsOf: value.utf8)
            ranges.append((nameStart..<nameEnd, nameEnd..<block.count))
        }
        return preferredCoding(HTTPHeaderFields(bytes: block, fields: ranges))
    }

    /// What the list said so far about each coding.
    private struct Negotiation {
        /// The highest weight each coding was listed with by name, and where it was first listed with it.
        var named: [ContentCoding: (weight: Double, position: Int)] = [:]
        var wildcardWeight: Double?
        var position = 0

        mutating func add(_ element: UnsafeBufferPointer<UInt8>) {
            position += 1
            let semicolon = element.firstIndex(of: UInt8(ascii: ";")) ?? element.count
            let token = ASCII.trimmingWhitespace(UnsafeBufferPointer(rebasing: element[..<semicolon]))
            let weight = AcceptEncoding.weight(UnsafeBufferPointer(rebasing: element[semicolon...]))
            if ASCII.equalsLowercase(token, "*") {
                wildcardWeight = max(wildcardWeight ?? weight, weight)
                return
            }
            let coding: ContentCoding
            if ASCII.equalsLowercase(token, "gzip") {
                coding = .gzip
            } else if ASCII.equalsLowercase(token, "deflate") {
                coding = .deflate
            } else {
                return
            }
            if let existing = named[coding], existing.weight >= weight { return }
            named[coding] = (weight, position)
        }

        var result: ContentCoding? {
            var best: (coding: ContentCoding, weight: Double, byName: Bool, position: Int)?
            // allCases is in order of preference among codings `*` stands for: gzip first.
            for coding in ContentCoding.allCases {
                let candidate: (coding: ContentCoding, weight: Double, byName: Bool, position: Int)
                if let listed = named[coding] {
                    candidate = (coding, listed.weight, true, listed.position)
                } else if let wildcardWeight {
                    candidate = (coding, wildcardWeight, false, Int.max)
                } else {
                    continue
                }
                guard candidate.weight > 0 else { continue }
                guard let current = best else {
                    best = candidate
                    continue
                }
                if candidate.weight > current.weight
                    || (candidate.weight == current.weight && candidate.byName && !current.byName)
                    || (candidate.weight == current.weight && candidate.byName == current.byName
                        && candidate.position < current.position) {
                    best = candidate
                }
            }
            return best?.coding
        }
    }

    /// The weight in an element's parameters (from its first `;`): see the grammar above.
    static func weight(_ parameters: UnsafeBufferPointer<UInt8>) -> Double {
        var index = 0
        while index + 1 < parameters.count {
            if ASCII.lower(parameters[index]) == UInt8(ascii: "q") && parameters[index + 1] == UInt8(ascii: "=") {
                let start = index + 2
                var end = start
                while end < parameters.count && parameters[end] != UInt8(ascii: ";") { end += 1 }
                guard let value = decimal(UnsafeBufferPointer(rebasing: parameters[start..<end])) else { return 1 }
                return min(value, 1)
            }
            index += 1
        }
        return 1
    }

    /// A decimal number, with surrounding whitespace: `[+-] (digits [. [digits]] | . digits) [e [+-] digits]`;
    /// nil for anything else.
    static func decimal(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        let trimmed = ASCII.trimmingWhitespace(text)
        var index = 0
        func skipDigits() -> Int {
            let start = index
            while index < trimmed.count && trimmed[index] >= 0x30 && trimmed[index] <= 0x39 { index += 1 }
            return index - start
        }
        if index < trimmed.count && (trimmed[index] == UInt8(ascii: "+") || trimmed[index] == UInt8(ascii: "-")) {
            index += 1
        }
        var digits = skipDigits()
        if index < trimmed.count && trimmed[index] == UInt8(ascii: ".") {
            index += 1
            digits += skipDigits()
        }
        guard digits > 0 else { return nil }
        if index < trimmed.count && ASCII.lower(trimmed[index]) == UInt8(ascii: "e") {
            index += 1
            if index < trimmed.count && (trimmed[index] == UInt8(ascii: "+") || trimmed[index] == UInt8(ascii: "-")) {
                index += 1
            }
            guard skipDigits() > 0 else { return nil }
        }
        guard index == trimmed.count else { return nil }
        return Double(String(decoding: trimmed, as: UTF8.self))
    }
}
