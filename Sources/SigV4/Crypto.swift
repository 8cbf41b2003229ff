import COpenSSL

/// SHA-256 and HMAC-SHA256 from OpenSSL, and lowercase hex.
package enum Crypto {
    /// SHA-256, fetched once. OpenSSL 3's one-shot `SHA256()` and `HMAC()` look the algorithm up by name on every
    /// call, which cost more than hashing a whole DynamoDB request. Immutable after first use.
    nonisolated(unsafe) private static let algorithm: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)

    /// SHA-256 of `bytes`.
    package static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { sha256(raw: $0) }
    }

    /// SHA-256 of raw bytes.
    package static func sha256(raw bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let empty: UInt8 = 0
        digest.withUnsafeMutableBufferPointer { output in
            withUnsafePointer(to: empty) { placeholder in
                _ = EVP_Digest(bytes.baseAddress ?? UnsafeRawPointer(placeholder), bytes.count, output.baseAddress,
                               &length, algorithm ?? EVP_sha256(), nil)
            }
        }
        return digest
    }

    /// HMAC-SHA256 of `data` under `key` (RFC 2104: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ data))).
    package static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        let blockSize = 64
        var block = key.count > blockSize ? sha256(key) : key
        block.append(contentsOf: repeatElement(0, count: blockSize - block.count))
        var inner = [UInt8]()
        inner.reserveCapacity(blockSize + data.count)
        for byte in block { inner.append(byte ^ 0x36) }
        inner.append(contentsOf: data)
        var outer = [UInt8]()
        outer.reserveCapacity(blockSize + 32)
        for byte in block { outer.append(byte ^ 0x5C) }
        outer.append(contentsOf: sha256(inner))
        return sha256(outer)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lowercase hexadecimal text.
    package static func hex(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        appendHex(bytes, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends lowercase hexadecimal digits of `bytes`.
    package static func appendHex(_ bytes: [UInt8], to output: inout [UInt8]) {
        for byte in bytes {
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0x0F)])
        }
    }
}
