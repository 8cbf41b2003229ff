import COpenSSL

/// AES-256-GCM over WAL records and snapshot blocks (encryption at rest): each sealed block is
/// nonce: u8[12] · ciphertext · tag: u8[16], authenticated, so a wrong key or a flipped bit is detected.
package struct RecordCipher: Sendable {
    let key: [UInt8]

    /// - Precondition: a 32-byte key.
    package init(key: [UInt8]) {
        precondition(key.count == 32, "AES-256 needs a 32-byte key")
        self.key = key
    }

    /// Parses a key given as 64 hex digits or base64 of 32 bytes.
    package static func parseKey(_ text: String) -> [UInt8]? {
        let trimmed = String(text.filter { !$0.isWhitespace })
        if trimmed.utf8.count == 64, trimmed.utf8.allSatisfy({ $0 < 128 && ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x66 || ($0 >= 0x30 && $0 <= 0x39) }) {
            var bytes: [UInt8] = []
            var high: UInt8?
            for byte in trimmed.utf8 {
                let digit = byte <= 0x39 ? byte - 0x30 : (byte | 0x20) - 0x61 + 10
                if let value = high { bytes.append(value << 4 | digit); high = nil } else { high = digit }
            }
            return bytes
        }
        return nil
    }

    /// A short value derived from the key, stored in file headers, so a wrong key is reported at startup.
    var keyCheck: [UInt8] {
        (try? seal(Array("swiftdynamo key check".utf8), nonce: [UInt8](repeating: 0, count: 12)).suffix(16)).map(Array.init) ?? []
    }

    func seal(_ plaintext: [UInt8]) throws(CipherError) -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: 12)
        guard RAND_bytes(&nonce, 12) == 1 else { throw CipherError() }
        return try seal(plaintext, nonce: nonce)
    }

    func seal(_ plaintext: [UInt8], nonce: [UInt8]) throws(CipherError) -> [UInt8] {
        guard let context = EVP_CIPHER_CTX_new() else { throw CipherError() }
        defer { EVP_CIPHER_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: plaintext.count + 16)
        var length: Int32 = 0
        var total: Int32 = 0
        var tag = [UInt8](repeating: 0, count: 16)
        guard EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, key, nonce) == 1,
              EVP_EncryptUpdate(context, &output, &length, plaintext, Int32(plaintext.count)) == 1 else { throw CipherError() }
        total = length
        let finished = output.withUnsafeMutableBufferPointer { buffer in
            EVP_EncryptFinal_ex(context, buffer.baseAddress.map { $0 + Int(total) }, &length)
        }
        guard finished == 1 else { throw CipherError() }
        total += length
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, 16, &tag) == 1 else { throw CipherError() }
        return nonce + output[0..<Int(total)] + tag
    }

    func open(_ sealed: [UInt8]) throws(CipherError) -> [UInt8] {
        guard sealed.count >= 28 else { throw CipherError() }
        let nonce = Array(sealed[0..<12])
        let ciphertext = Array(sealed[12..<(sealed.count - 16)])
        var tag = Array(sealed[(sealed.count - 16)...])
        guard let context = EVP_CIPHER_CTX_new() else { throw CipherError() }
        defer { EVP_CIPHER_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var length: Int32 = 0
        guard EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, key, nonce) == 1,
              EVP_DecryptUpdate(context, &output, &length, ciphertext, Int32(ciphertext.count)) == 1,
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, 16, &tag) == 1 else { throw CipherError() }
        let total = length
        let finished = output.withUnsafeMutableBufferPointer { buffer in
            EVP_DecryptFinal_ex(context, buffer.baseAddress.map { $0 + Int(total) }, &length)
        }
        guard finished == 1 else { throw CipherError() }
        return Array(output[0..<Int(total + length)])
    }
}

/// Encryption or authentication failed (wrong key, or the data was altered).
package struct CipherError: Error {}
