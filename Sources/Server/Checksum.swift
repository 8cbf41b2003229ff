import CZlib

/// zlib's CRC-32, as DynamoDB's `x-amz-crc32` header carries it (botocore verifies it and retries on mismatch).
enum Checksum {
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            UInt32(CZlib.crc32(0, buffer.baseAddress, uInt(buffer.count)))
        }
    }
}
