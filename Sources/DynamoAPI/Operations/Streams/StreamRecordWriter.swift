import DynamoModel
import JSON
import Storage

/// Renders stream records as GetRecords returns them, or as Lambda's DynamoDB event carries them (triggers).
package enum StreamRecordWriter {
    /// Lambda's event record: the same record plus `eventSourceARN`, with `userIdentity` spelled in lower camel case.
    package static func lambdaRecord(_ record: StreamRecord, of stream: TableStream) -> JSONValue {
        guard case .object(var members) = self.record(record, of: stream, lambda: true) else { return .null }
        members.members.append(("eventSourceARN", .string(stream.arn)))
        return .object(members)
    }

    static func record(_ record: StreamRecord, of stream: TableStream, lambda: Bool = false) -> JSONValue {
        var body: [(key: String, value: JSONValue)] = [
            // DynamoDB rounds the creation time down to the second.
            ("ApproximateCreationDateTime", .number(String(Int64(record.timestamp.rounded(.down))))),
            ("Keys", record.keys.json),
        ]
        if let image = record.newImage { body.append(("NewImage", image.json)) }
        if let image = record.oldImage { body.append(("OldImage", image.json)) }
        let size = ItemSize.of(record.keys) + (record.newImage.map(ItemSize.of) ?? 0) + (record.oldImage.map(ItemSize.of) ?? 0)
        body.append(("SequenceNumber", .string(StreamSequenceNumber.string(record.sequence))))
        body.append(("SizeBytes", .number(String(size))))
        body.append(("StreamViewType", .string(stream.viewType.rawValue)))
        var members: [(key: String, value: JSONValue)] = [
            ("eventID", .string(eventId(stream: stream, sequence: record.sequence))),
            ("eventName", .string(record.eventName.rawValue)),
            ("eventVersion", .string("1.1")),
            ("eventSource", .string("aws:dynamodb")),
            ("awsRegion", .string(stream.namespace.region)),
            ("dynamodb", .object(JSONObject(body))),
        ]
        if record.origin == .timeToLive {
            members.append(("userIdentity", .object(JSONObject([
                (lambda ? "principalId" : "PrincipalId", .string("dynamodb.amazonaws.com")),
                (lambda ? "type" : "Type", .string("Service")),
            ]))))
        }
        return .object(JSONObject(members))
    }

    /// 32 hex digits, the same for a record every time it is read (also after a restart).
    static func eventId(stream: TableStream, sequence: UInt64) -> String {
        func fnv(_ text: String, seed: UInt64) -> UInt64 {
            var hash = seed
            for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
            // SplitMix64's finalizer spreads the last bytes' influence over every digit.
            hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
            hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
            return hash ^ (hash >> 31)
        }
        let text = "\(stream.arn)#\(sequence)"
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return hex(fnv(text, seed: 14_695_981_039_346_656_037)) + hex(fnv(text, seed: 0x9E37_79B9_7F4A_7C15))
    }
}
