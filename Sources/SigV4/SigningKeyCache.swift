import Locking

/// Derived SigV4 signing keys, cached per (secret, date, region, service): deriving one costs four HMACs, and a
/// client reuses the same key for a whole day.
///
/// Thread safety: the dictionary is behind a readers–writer lock (read on every request, written once a day). Invariant: at most `capacity` entries (cleared when full).
package final class SigningKeyCache: Sendable {
    private let entries = ReadWriteLock<[Scope: [UInt8]]>([:])
    private let capacity: Int

    package init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")
    package static func derive(secret: String, date: String, region: String, service: String) -> [UInt8] {
        let dateKey = Crypto.hmacSHA256(key: Array("AWS4\(secret)".utf8), data: Array(date.utf8))
        let regionKey = Crypto.hmacSHA256(key: dateKey, data: Array(region.utf8))
        let serviceKey = Crypto.hmacSHA256(key: regionKey, data: Array(service.utf8))
        return Crypto.hmacSHA256(key: serviceKey, data: Array("aws4_request".utf8))
    }

    /// The signing key, from the cache when present.
    package func key(secret: String, date: String, region: String, service: String) -> [UInt8] {
        let scope = Scope(secret: secret, date: date, region: region, service: service)
        if let cached = entries.withReadLock({ $0[scope] }) { return cached }
        let key = Self.derive(secret: secret, date: date, region: region, service: service)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[scope] = key
        }
        return key
    }

    /// What a signing key is derived from. A struct rather than one joined string: no string is built per request.
    private struct Scope: Hashable {
        var secret: String
        var date: String
        var region: String
        var service: String
    }

    /// Number of cached keys (for tests).
    package var count: Int { entries.withReadLock { $0.count } }
}
