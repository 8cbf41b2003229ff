/// Random identifiers shaped like DynamoDB's.
enum Identifiers {
    /// A random RFC 4122 version-4 UUID in lowercase text, as DynamoDB's `TableId`.
    static func uuid() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `arn:aws:dynamodb:REGION:ACCOUNT:table/NAME`
    static func tableArn(region: String, accountId: String, tableName: String) -> String {
        "arn:aws:dynamodb:\(region):\(accountId):table/\(tableName)"
    }
}
