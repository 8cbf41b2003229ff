/// A token bucket as DynamoDB meters provisioned throughput: refilled at the provisioned rate, banking unused
/// capacity up to `burstSeconds` of it (DynamoDB keeps up to 300 seconds). A new bucket starts full, as a new
/// DynamoDB table does.
///
/// A request is admitted when the bucket holds its expected cost (or, for a request larger than the whole bank,
/// when the bank is full); the actual cost is charged afterwards and may leave the bucket in debt, which later
/// refills repay — DynamoDB does the same with reads whose size it learns only while reading.
package struct TokenBucket: Sendable, Equatable {
    /// Units added per second.
    package private(set) var ratePerSecond: Double
    /// Seconds of unused capacity the bucket banks.
    package let burstSeconds: Double
    /// Units available now (negative: in debt).
    package private(set) var balance: Double
    /// When `balance` was last brought up to date (seconds).
    package private(set) var updatedAt: Double

    package init(ratePerSecond: Double, burstSeconds: Double, now: Double) {
        self.ratePerSecond = max(0, ratePerSecond)
        self.burstSeconds = max(0, burstSeconds)
        balance = self.ratePerSecond * self.burstSeconds
        updatedAt = now
    }

    /// The most the bucket can hold.
    package var capacity: Double { ratePerSecond * burstSeconds }

    /// Adds what the rate earned since the last update, up to the capacity.
    package mutating func refill(now: Double) {
        guard now > updatedAt else { return }
        balance = min(capacity, balance + (now - updatedAt) * ratePerSecond)
        updatedAt = now
    }

    /// Whether a request expected to cost `cost` may run now.
    package mutating func canAdmit(cost: Double, now: Double) -> Bool {
        refill(now: now)
        let needed = min(max(cost, 0), capacity)
        return balance > 0 && balance >= needed
    }

    /// Takes `units` from the bucket (it may go into debt).
    package mutating func charge(_ units: Double, now: Double) {
        refill(now: now)
        balance -= units
    }

    /// Changes the rate (capacity changed): what was earned so far at the old rate is kept, up to the new capacity.
    package mutating func setRate(_ rate: Double, now: Double) {
        refill(now: now)
        ratePerSecond = max(0, rate)
        balance = min(balance, capacity)
    }
}
