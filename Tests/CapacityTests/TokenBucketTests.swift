import Testing
@testable import Capacity

@Suite("Token bucket")
struct TokenBucketTests {
    @Test("A new bucket starts with a full bank: rate × burst seconds")
    func newBucketIsFull() {
        let bucket = TokenBucket(ratePerSecond: 5, burstSeconds: 300, now: 1000)
        #expect(bucket.capacity == 1500)
        #expect(bucket.balance == 1500)
    }

    @Test("Unused capacity accrues at the rate and never beyond the bank")
    func accrualIsCappedAtTheBank() {
        var bucket = TokenBucket(ratePerSecond: 5, burstSeconds: 300, now: 0)
        bucket.charge(1500, now: 0)
        #expect(bucket.balance == 0)
        bucket.refill(now: 10)
        #expect(bucket.balance == 50)
        bucket.refill(now: 10_000)
        #expect(bucket.balance == 1500)
    }

    @Test("A request is refused when the bank holds less than its expected cost")
    func refusesBeyondTheBank() {
        var bucket = TokenBucket(ratePerSecond: 5, burstSeconds: 300, now: 0)
        bucket.charge(1400, now: 0)
        let hundred = bucket.canAdmit(cost: 100, now: 0)
        let hundredAndOne = bucket.canAdmit(cost: 101, now: 0)
        let afterRefill = bucket.canAdmit(cost: 101, now: 0.2)
        #expect(hundred)
        #expect(!hundredAndOne)
        #expect(afterRefill)
    }

    @Test("A request larger than the whole bank runs once the bank is full, leaving debt")
    func oversizedRequestRunsOnAFullBank() {
        var bucket = TokenBucket(ratePerSecond: 1, burstSeconds: 300, now: 0)
        let fullBank = bucket.canAdmit(cost: 400, now: 0)
        #expect(fullBank)
        bucket.charge(400, now: 0)
        #expect(bucket.balance == -100)
        let inDebt = bucket.canAdmit(cost: 1, now: 100)
        let repaid = bucket.canAdmit(cost: 1, now: 101.5)
        #expect(!inDebt)
        #expect(repaid)
    }

    @Test("Changing the rate keeps what was earned, within the new bank")
    func rateChangeKeepsEarnedCapacity() {
        var bucket = TokenBucket(ratePerSecond: 10, burstSeconds: 300, now: 0)
        bucket.setRate(2, now: 0)
        #expect(bucket.capacity == 600)
        #expect(bucket.balance == 600)
        bucket.charge(600, now: 0)
        bucket.setRate(100, now: 1)
        #expect(bucket.balance == 2)
        bucket.refill(now: 2)
        #expect(bucket.balance == 102)
    }
}
