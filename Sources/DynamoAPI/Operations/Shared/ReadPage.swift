import DynamoModel
import Expressions
import JSON
import Storage

/// Collects one page of a Query or Scan by DynamoDB's rules: `Limit` counts items read (before the filter); a
/// page ends once the items read reach 1 MB; the filter and projection apply to what was read; `LastEvaluatedKey`
/// names the last item read whenever the page stopped early.
struct ReadPage {
    static let maximumBytes = 1024 * 1024

    let limit: Int
    let filter: Condition?
    let projector: Projector
    let countOnly: Bool
    /// The attributes `LastEvaluatedKey` carries (index keys, then table keys, for index reads).
    let pageKeyNames: [String]

    /// The JSON of each item the page returns, in order.
    private(set) var items: [JSONValue] = []
    private(set) var count = 0
    private(set) var scannedCount = 0
    private(set) var bytesRead = 0
    private(set) var lastKey: Item?
    private(set) var stoppedEarly = false

    init(limit: Int64?, filter: Condition?, projector: Projector, countOnly: Bool, pageKeyNames: [String]) {
        self.limit = limit.map { Int(clamping: $0) } ?? Int.max
        self.filter = filter
        self.projector = projector
        self.countOnly = countOnly
        self.pageKeyNames = pageKeyNames
    }

    /// Takes one item read from storage; returns false when the page is full.
    /// `meteredSize` is what reading it cost, when that is not the item's own size (an index entry whose item was
    /// fetched from the table).
    mutating func add(_ item: Item, meteredSize: Int? = nil) -> Bool {
        scannedCount += 1
        bytesRead += meteredSize ?? ItemSize.of(item)
        if filter.map({ Evaluator.evaluate($0, on: item) }) ?? true {
            count += 1
            if !countOnly { items.append(projector.apply(to: item).json) }
        }
        return continues(after: item)
    }

    /// Takes one item as stored; returns false when the page is full. With neither filter nor projection, its JSON
    /// comes straight from the packed form (the item is decoded only if it ends the page, for `LastEvaluatedKey`).
    mutating func add(_ stored: StoredItem) -> Bool {
        guard filter == nil, projector.paths == nil else { return add(stored.item) }
        scannedCount += 1
        bytesRead += stored.sizeInBytes
        count += 1
        if !countOnly { items.append(.encoded(stored.json)) }
        return continues(after: stored.item)
    }

    /// Whether the page takes more items after `item`; when not, records where it stopped.
    private mutating func continues(after item: @autoclosure () -> Item) -> Bool {
        guard scannedCount >= limit || bytesRead >= Self.maximumBytes else { return true }
        stoppedEarly = true
        let last = item()
        lastKey = Dictionary(uniqueKeysWithValues: pageKeyNames.compactMap { name in
            last[name].map { (name, $0) }
        })
        return false
    }

    /// The response document.
    func response(consumedCapacity: (key: String, value: JSONValue)?) -> JSONValue {
        var output: [(key: String, value: JSONValue)] = []
        if !countOnly { output.append(("Items", .array(items))) }
        output.append(("Count", .number(String(count))))
        output.append(("ScannedCount", .number(String(scannedCount))))
        if stoppedEarly, let lastKey { output.append(("LastEvaluatedKey", lastKey.json)) }
        if let consumedCapacity { output.append(consumedCapacity) }
        return .object(JSONObject(output))
    }
}

/// Maps a key condition onto the storage's byte ranges.
enum KeyRangePlanner {
    static func sortKeyRange(_ condition: SortKeyCondition?) -> SortKeyRange {
        guard let condition else { return .all }
        switch condition {
        case .equal(let value): return .equal(KeyEncoding.encode(value))
        case .less(let value): return .less(KeyEncoding.encode(value))
        case .lessOrEqual(let value): return .lessOrEqual(KeyEncoding.encode(value))
        case .greater(let value): return .greater(KeyEncoding.encode(value))
        case .greaterOrEqual(let value): return .greaterOrEqual(KeyEncoding.encode(value))
        case .between(let low, let high): return .between(KeyEncoding.encode(low), KeyEncoding.encode(high))
        case .beginsWith(let prefix): return .beginsWith(KeyEncoding.encode(prefix))
        }
    }
}
