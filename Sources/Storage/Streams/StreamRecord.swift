import DynamoModel

/// One stream record: a change as a table's stream shows it, with the images its view type includes.
package struct StreamRecord: Sendable {
    /// DynamoDB's eventName values.
    package enum EventName: String, Sendable {
        case insert = "INSERT"
        case modify = "MODIFY"
        case remove = "REMOVE"
    }

    /// The stream's own sequence number (increasing across the stream's shards).
    package var sequence: UInt64
    /// The change log's sequence number of the write (per table).
    package var tableSequence: UInt64
    /// Seconds since the epoch.
    package var timestamp: Double
    package var eventName: EventName
    package var origin: ChangeOrigin
    package var keys: Item
    package var newImage: Item?
    package var oldImage: Item?
}

/// Sequence numbers as DynamoDB Streams spells them: decimal strings of at least 21 digits that sort numerically.
package enum StreamSequenceNumber {
    /// A leading 1 and twenty zero-padded digits: fixed width, so string order equals numeric order.
    package static func string(_ sequence: UInt64) -> String {
        let digits = String(sequence)
        return "1" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// The number a sequence-number string stands for, or nil when this server never issued such a string.
    package static func parse(_ text: String) -> UInt64? {
        guard text.utf8.count == 21, text.hasPrefix("1"), text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            return nil
        }
        return UInt64(text.dropFirst())
    }
}

/// ISO 8601 stream labels ("2026-11-25T10:35:00.123") from epoch seconds, without Foundation.
package enum StreamLabel {
    package static func make(_ seconds: Double) -> String {
        ISOTimestamp.format(milliseconds: Int64((seconds * 1000).rounded(.down)))
    }
}
