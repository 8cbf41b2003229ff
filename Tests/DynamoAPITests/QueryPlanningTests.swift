import DynamoModel
import Expressions
import Storage
import Testing
@testable import DynamoAPI

@Suite("Query ranges and scan segments")
struct QueryPlanningTests {
    @Test("Sort-key conditions map to byte ranges on encoded keys")
    func sortKeyRanges() throws {
        let one = AttributeValue.n(DynamoNumber(1))
        let encoded = KeyEncoding.encode(one)
        #expect(KeyRangePlanner.sortKeyRange(nil) == .all)
        #expect(KeyRangePlanner.sortKeyRange(.equal(one)) == .equal(encoded))
        #expect(KeyRangePlanner.sortKeyRange(.less(one)) == .less(encoded))
        #expect(KeyRangePlanner.sortKeyRange(.greaterOrEqual(one)) == .greaterOrEqual(encoded))
        #expect(KeyRangePlanner.sortKeyRange(.between(one, .n(DynamoNumber(2)))) == .between(encoded, KeyEncoding.encode(.n(DynamoNumber(2)))))
        #expect(KeyRangePlanner.sortKeyRange(.beginsWith(.s("ab"))) == .beginsWith(Array("ab".utf8)))
    }

    @Test("Segments split the hash space into adjacent, disjoint ranges that cover it", arguments: [1, 2, 3, 7, 16, 1_000_000])
    func segments(total: Int) {
        for segment in Set([0, 1, total / 2, total - 2, total - 1]).filter({ $0 >= 0 && $0 < total }).sorted() {
            let range = Table.hashRange(segment: segment, totalSegments: total)
            if segment == 0 { #expect(range.lower == 0) }
            if segment == total - 1 { #expect(range.upper == nil) } else if let upper = range.upper {
                #expect(upper > range.lower)
                #expect(Table.hashRange(segment: segment + 1, totalSegments: total).lower == upper)
            }
        }
    }
}
