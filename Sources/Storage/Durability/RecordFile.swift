import CZlib

/// The framing shared by WAL segments and snapshot files.
///
/// file   := magic: u8[8] · version: u32le · flags: u32le · keyCheck: u8[16] · record*
/// record := crc32: u32le · length: u32le · payload: u8[length]
/// crc32 (zlib) covers the length and the payload; with flags bit 0 set, each payload is AES-256-GCM sealed.
enum RecordFile {
    static let headerSize = 32
    static let version: UInt32 = 1
    static let maximumRecordBytes = 64 * 1024 * 1024

    static func header(magic: String, cipher: RecordCipher?) -> [UInt8] {
        var writer = BinaryWriter()
        writer.bytes.append(contentsOf: Array(magic.utf8).prefix(8))
        writer.u32(version)
        writer.u32(cipher == nil ? 0 : 1)
        writer.bytes.append(contentsOf: cipher?.keyCheck ?? [UInt8](repeating: 0, count: 16))
        return writer.bytes
    }

    static func frame(_ payload: [UInt8], cipher: RecordCipher?) -> [UInt8] {
        let body = cipher.flatMap { try? $0.seal(payload) } ?? payload
        var framed = BinaryWriter()
        framed.u32(0)
        framed.u32(UInt32(body.count))
        framed.bytes.append(contentsOf: body)
        let checksum = framed.bytes.withUnsafeBufferPointer { buffer in
            UInt32(crc32(0, buffer.baseAddress.map { $0 + 4 }, uInt(buffer.count - 4)))
        }
        withUnsafeBytes(of: checksum.littleEndian) { raw in
            for index in 0..<4 { framed.bytes[index] = raw[index] }
        }
        return framed.bytes
    }

    /// Why a file could not be read.
    enum ReadFailure: Error {
        /// Not one of our files, a newer version, or encrypted with another key (or not encrypted when a key is set).
        case header(String)
        /// A bad record followed by more data: real corruption at this byte offset.
        case corrupt(offset: Int)
    }

    /// The payloads of a file, and where the valid records end (a torn final record is cut off there).
    static func read(_ bytes: [UInt8], magic: String, cipher: RecordCipher?, path: String)
        throws(ReadFailure) -> (payloads: [[UInt8]], validLength: Int, tornTail: Bool)
    {
        guard bytes.count >= headerSize, Array(bytes[0..<8]) == Array(Array(magic.utf8).prefix(8)) else {
            throw .header("\(path) is not a SwiftDynamo \(magic) file")
        }
        var reader = BinaryReader(bytes, offset: 8)
        let version = (try? reader.u32()) ?? 0
        let flags = (try? reader.u32()) ?? 0
        guard version == Self.version else { throw .header("\(path) has format version \(version); this build reads \(Self.version)") }
        let encrypted = flags & 1 == 1
        if encrypted && cipher == nil {
            throw .header("\(path) is encrypted, but no encryption key is configured")
        }
        if !encrypted && cipher != nil {
            throw .header("\(path) is not encrypted, but an encryption key is configured")
        }
        if let cipher, Array(bytes[16..<32]) != cipher.keyCheck {
            throw .header("\(path) was encrypted with a different key")
        }
        var payloads: [[UInt8]] = []
        var offset = headerSize
        while offset < bytes.count {
            // Zeros where the next record would start: space a log segment preallocated and a crash left unused.
            // No record is all zeros: its length is never zero.
            if bytes[offset] == 0, bytes[offset...].allSatisfy({ $0 == 0 }) { return (payloads, offset, false) }
            let remaining = bytes.count - offset
            var record = BinaryReader(bytes, offset: offset)
            guard remaining >= 8, let checksum = try? record.u32(), let length = try? record.u32(),
                  Int(length) <= maximumRecordBytes, offset + 8 + Int(length) <= bytes.count else {
                // The last record was cut short by a crash mid-write.
                return (payloads, offset, true)
            }
            let end = offset + 8 + Int(length)
            let actual = bytes.withUnsafeBufferPointer { buffer in
                UInt32(crc32(0, buffer.baseAddress.map { $0 + offset + 4 }, uInt(4 + Int(length))))
            }
            var payload = Array(bytes[(offset + 8)..<end])
            var valid = actual == checksum
            if valid, let cipher {
                if let opened = try? cipher.open(payload) { payload = opened } else { valid = false }
            }
            if !valid {
                // A bad final record is a torn write; a bad record with data after it is corruption.
                let restIsZero = bytes[end...].allSatisfy { $0 == 0 }
                if end == bytes.count || restIsZero { return (payloads, offset, true) }
                throw .corrupt(offset: offset)
            }
            payloads.append(payload)
            offset = end
        }
        return (payloads, offset, false)
    }
}
