import DynamoModel
import JSON
import Storage
import Synchronization

/// `ClientRequestToken` memory for TransactWriteItems: a repeat within 10 minutes answers like the first call
/// without applying anything again; the same token with different parameters is refused.
///
/// Thread safety: the map is behind a Mutex. Entries older than the window are dropped as new ones arrive.
package final class IdempotencyTokens: Sendable {
    struct Entry {
        var fingerprint: [UInt8]
        var response: JSONValue
        var time: Double
    }

    static let windowSeconds = 600.0
    private let entries = Mutex<[String: Entry]>([:])

    package init() {}

    static func key(_ token: String, _ namespace: Namespace) -> String {
        "\(namespace.accountId)\u{0}\(namespace.region)\u{0}\(token)"
    }

    /// The earlier response for this token, or nil when the token is new; throws when the parameters differ.
    func previous(token: String, namespace: Namespace, fingerprint: [UInt8], now: Double) throws(DynamoError) -> JSONValue? {
        let entry = entries.withLock { entries -> Entry? in
            entries = entries.filter { now - $0.value.time < Self.windowSeconds }
            return entries[Self.key(token, namespace)]
        }
        guard let entry else { return nil }
        guard entry.fingerprint == fingerprint else {
            throw DynamoError(.idempotentParameterMismatch, "DynamoDB rejected the request because you retried a request with a "
                + "different payload but with an idempotent token that was already used.")
        }
        return entry.response
    }

    func remember(token: String, namespace: Namespace, fingerprint: [UInt8], response: JSONValue, now: Double) {
        entries.withLock { $0[Self.key(token, namespace)] = Entry(fingerprint: fingerprint, response: response, time: now) }
    }
}
