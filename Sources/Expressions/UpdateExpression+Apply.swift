import DynamoModel

/// Applying update actions to an item, with DynamoDB's semantics and messages.
extension UpdateExpression {
    static let invalidPath = DynamoError.validation("The document path provided in the update expression is invalid for update")
    static let missingAttribute = DynamoError.validation("The provided expression refers to an attribute that does not exist in the item")
    static let wrongType = DynamoError.validation("An operand in the update expression has an incorrect data type")

    /// Applies every action to `item` (for a new item, the key attributes alone). All SET values are computed from
    /// the item as it was before the update; list elements removed by index are removed from the highest index down.
    package func apply(to item: Item) throws(DynamoError) -> Item {
        var computed: [(DocumentPath, AttributeValue)] = []
        for action in actions {
            if case .set(let path, let value) = action { computed.append((path, try Self.evaluate(value, in: item))) }
        }
        var result = item
        for (path, value) in computed { try Self.set(value, at: path, in: &result) }
        let removals = actions.compactMap { action -> DocumentPath? in
            if case .remove(let path) = action { return path }
            return nil
        }
        for path in removals.sorted(by: Self.removalOrder) { try Self.remove(path, from: &result) }
        for action in actions {
            switch action {
            case .add(let path, let value):
                let current = Evaluator.resolve(path, in: result)
                try Self.set(try Self.added(value, to: current), at: path, in: &result)
            case .delete(let path, let value):
                guard let current = Evaluator.resolve(path, in: result) else { continue }
                if let remaining = try Self.deleted(value, from: current) {
                    try Self.set(remaining, at: path, in: &result)
                } else {
                    try Self.remove(path, from: &result)
                }
            default:
                break
            }
        }
        return result
    }

    /// Later list indexes first, so earlier removals do not shift them.
    static func removalOrder(_ a: DocumentPath, _ b: DocumentPath) -> Bool {
        if case .index(let x)? = a.elements.last, case .index(let y)? = b.elements.last,
           Array(a.elements.dropLast()) == Array(b.elements.dropLast()) {
            return x > y
        }
        return false
    }

    static func evaluate(_ value: SetValue, in item: Item) throws(DynamoError) -> AttributeValue {
        switch value {
        case .operand(.value(let constant)):
            return constant
        case .operand(.path(let path)):
            guard let found = Evaluator.resolve(path, in: item) else { throw missingAttribute }
            return found
        case .operand(.size(let path)):
            guard let found = Evaluator.resolve(path, in: item), let size = Evaluator.size(of: found) else { throw missingAttribute }
            return .n(DynamoNumber(size))
        case .ifNotExists(let path, let fallback):
            if let found = Evaluator.resolve(path, in: item) { return found }
            return try evaluate(fallback, in: item)
        case .listAppend(let first, let second):
            guard case .l(let head) = try evaluate(first, in: item), case .l(let tail) = try evaluate(second, in: item) else {
                throw wrongType
            }
            return .l(head + tail)
        case .plus(let left, let right), .minus(let left, let right):
            guard case .n(let a) = try evaluate(left, in: item), case .n(let b) = try evaluate(right, in: item) else {
                throw wrongType
            }
            if case .plus = value { return .n(try a.adding(b)) }
            return .n(try a.subtracting(b))
        }
    }

    static func added(_ value: AttributeValue, to current: AttributeValue?) throws(DynamoError) -> AttributeValue {
        guard let current else { return value }
        switch (current, value) {
        case (.n(let a), .n(let b)): return .n(try a.adding(b))
        case (.ss(let a), .ss(let b)): return .ss(a + b.filter { !a.contains($0) })
        case (.ns(let a), .ns(let b)): return .ns(a + b.filter { !a.contains($0) })
        case (.bs(let a), .bs(let b)): return .bs(a + b.filter { !a.contains($0) })
        default: throw wrongType
        }
    }

    /// The set left after DELETE, or nil when nothing is left (the attribute is then removed).
    static func deleted(_ value: AttributeValue, from current: AttributeValue) throws(DynamoError) -> AttributeValue? {
        switch (current, value) {
        case (.ss(let a), .ss(let b)):
            let left = a.filter { !b.contains($0) }
            return left.isEmpty ? nil : .ss(left)
        case (.ns(let a), .ns(let b)):
            let left = a.filter { !b.contains($0) }
            return left.isEmpty ? nil : .ns(left)
        case (.bs(let a), .bs(let b)):
            let left = a.filter { !b.contains($0) }
            return left.isEmpty ? nil : .bs(left)
        default:
            throw wrongType
        }
    }

    /// Stores `value` at `path`; parents must exist with the right container type. An index past a list's end appends.
    static func set(_ value: AttributeValue, at path: DocumentPath, in item: inout Item) throws(DynamoError) {
        guard case .name(let root)? = path.elements.first else { throw invalidPath }
        let rest = path.elements.dropFirst()
        if rest.isEmpty {
            item[root] = value
            return
        }
        guard let current = item[root] else { throw invalidPath }
        item[root] = try setting(value, at: rest, in: current)
    }

    static func setting(_ value: AttributeValue, at path: ArraySlice<PathElement>, in container: AttributeValue)
        throws(DynamoError) -> AttributeValue
    {
        guard let first = path.first else { return value }
        let rest = path.dropFirst()
        switch (first, container) {
        case (.name(let name), .m(var map)):
            if rest.isEmpty {
                map[name] = value
            } else {
                guard let child = map[name] else { throw invalidPath }
                map[name] = try setting(value, at: rest, in: child)
            }
            return .m(map)
        case (.index(let index), .l(var list)):
            if rest.isEmpty {
                if index < list.count { list[index] = value } else { list.append(value) }
            } else {
                guard index < list.count else { throw invalidPath }
                list[index] = try setting(value, at: rest, in: list[index])
            }
            return .l(list)
        default:
            throw invalidPath
        }
    }

    /// Removes the value at `path` (nothing to do when absent); a removed list element shifts the rest down.
    static func remove(_ path: DocumentPath, from item: inout Item) throws(DynamoError) {
        guard case .name(let root)? = path.elements.first else { throw invalidPath }
        let rest = path.elements.dropFirst()
        if rest.isEmpty {
            item[root] = nil
            return
        }
        guard let current = item[root] else { return }
        item[root] = try removing(at: rest, from: current)
    }

    static func removing(at path: ArraySlice<PathElement>, from container: AttributeValue) throws(DynamoError) -> AttributeValue {
        guard let first = path.first else { return container }
        let rest = path.dropFirst()
        switch (first, container) {
        case (.name(let name), .m(var map)):
            if rest.isEmpty {
                map[name] = nil
            } else if let child = map[name] {
                map[name] = try removing(at: rest, from: child)
            }
            return .m(map)
        case (.index(let index), .l(var list)):
            if rest.isEmpty {
                if index < list.count { list.remove(at: index) }
            } else if index < list.count {
                list[index] = try removing(at: rest, from: list[index])
            }
            return .l(list)
        default:
            throw invalidPath
        }
    }
}
