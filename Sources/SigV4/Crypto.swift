import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        guard let context = threadContext() else { return digest }
        _ = EVP_DigestInit_ex(context, algorithm ?? EVP_sha256(), nil)
        if let base = bytes.baseAddress { _ = EVP_DigestUpdate(context, base, bytes.count) }
        digest.withUnsafeMutableBufferPointer { output in
            _ = EVP_DigestFinal_ex(context, output.baseAddress, &length)
        }
        return digest
    }

    /// Each thread's digest context, created on first use and freed with the thread. A context made per hash (as
    /// the one-shot `EVP_Digest` does) costs allocations and algorithm set-up three times per verified request;
    /// a reused one is re-initialised in place. Hashing never nests, so one per thread suffices.
    private static let contextKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { context in EVP_MD_CTX_free(context.map { OpaquePointer($0) }) }
        return key
    }()

    private static func threadContext() -> OpaquePointer? {
        if let existing = pthread_getspecific(contextKey) { return OpaquePointer(existing) }
        guard let created = EVP_MD_CTX_new() else { return nil }
        pthread_setspecific(contextKey, UnsafeRawPointer(created))
        return created
    }

    /// HMAC-SHA256 of `data` under `key` (RFC 2104: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ data))).
    package static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes { hmacSHA256(key: key, raw: $0) }
    }

    /// HMAC-SHA256 of raw bytes. The padded key blocks and the inner digest live on the stack and the thread's
    /// digest context serves both passes: this runs on every request.
    package static func hmacSHA256(key: [UInt8], raw data: UnsafeRawBufferPointer) -> [UInt8] {
        if key.count > blockSize { return hmacSHA256(key: sha256(key), raw: data) }
        var digest = [UInt8](repeating: 0, count: 32)
        guard let context = threadContext() else { return digest }
        let md = algorithm ?? EVP_sha256()
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: blockSize + 32) { scratch in
            guard let pad = scratch.baseAddress else { return }
            let inner = pad + blockSize
            var length: UInt32 = 0
            func padKey(_ mask: UInt8) {
                for index in 0..<blockSize { pad[index] = (index < key.count ? key[index] : 0) ^ mask }
            }
            padKey(0x36)
            _ = EVP_DigestInit_ex(context, md, nil)
            _ = EVP_DigestUpdate(context, pad, blockSize)
            if let base = data.baseAddress { _ = EVP_DigestUpdate(context, base, data.count) }
            _ = EVP_DigestFinal_ex(context, inner, &length)
            padKey(0x5C)
            _ = EVP_DigestInit_ex(context, md, nil)
            _ = EVP_DigestUpdate(context, pad, blockSize)
            _ = EVP_DigestUpdate(context, inner, 32)
            digest.withUnsafeMutableBufferPointer { output in
                _ = EVP_DigestFinal_ex(context, output.baseAddress, &length)
            }
        }
        return digest
    }

    private static let blockSize = 64

    /// Lowercase hexadecimal text.
    package static func hex(_ bytes: [UInt8]) -> String {
        String(decoding: hexBytes(bytes), as: UTF8.self)
    }

    /// Lowercase hexadecimal digits as bytes.
    package static func hexBytes(_ bytes: [UInt8]) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        appendHex(bytes, to: &text)
        return text
    }

    /// Appends lowercase hexadecimal digits of `bytes` (grown once, digits computed: this runs three times per
    /// verified request).
    package static func appendHex(_ bytes: [UInt8], to output: inout [UInt8]) {
        @inline(__always) func digit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: bytes.count * 2))
        output.withUnsafeMutableBufferPointer { text in
            bytes.withUnsafeBufferPointer { source in
                for index in 0..<source.count {
                    text[start + 2 * index] = digit(source[index] >> 4)
                    text[start + 2 * index + 1] = digit(source[index] & 0x0F)
                }
            }
        }
    }
}
