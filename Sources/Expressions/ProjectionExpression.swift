import DynamoModel

/// A ProjectionExpression: the document paths a read returns.
package struct ProjectionExpression: Sendable {
    package let paths: [DocumentPath]

    package init(paths: [DocumentPath]) {
        self.paths = paths
    }

    /// Parses `path ("," path)*`, resolving placeholders, refusing overlapping or conflicting paths.
    package static func parse(_ source: String, attributes: inout ExpressionAttributes) throws(DynamoError) -> ProjectionExpression {
        var stream = TokenStream(source, kind: .projection)
        try stream.checkSize()
        if stream.atEnd { throw stream.error("The expression can not be empty;") }
        var paths: [DocumentPath] = []
        repeat {
            paths.append(try stream.parsePath(&attributes))
        } while stream.consume(.comma)
        guard stream.atEnd else { throw stream.syntaxError() }
        try checkDistinct(paths, stream: stream)
        return ProjectionExpression(paths: paths)
    }

    /// DynamoDB refuses two paths where one contains the other, or where they disagree on list vs map.
    static func checkDistinct(_ paths: [DocumentPath], stream: TokenStream) throws(DynamoError) {
        for (index, first) in paths.enumerated() {
            for second in paths[(index + 1)...] {
                if first.overlaps(second) {
                    throw stream.error("Two document paths overlap with each other; must remove or rewrite one of these "
                        + "paths; path one: \(first), path two: \(second)")
                }
                if first.conflicts(second) {
                    throw stream.error("Two document paths conflict with each other; must remove or rewrite one of these "
                        + "paths; path one: \(first), path two: \(second)")
                }
            }
        }
    }

    /// The projected item: each path's value placed at its path; list elements keep their order, compacted.
    package func apply(to item: Item) -> Item {
        Self.project(paths, from: item)
    }

    /// Projects `paths` out of `item` (also used for UPDATED_OLD / UPDATED_NEW return values).
    package static func project(_ paths: [DocumentPath], from item: Item) -> Item {
        var root: [String: Partial] = [:]
        for path in paths {
            guard let value = Evaluator.resolve(path, in: item), case .name(let name)? = path.elements.first else { continue }
            let rest = Array(path.elements.dropFirst())
            root[name] = Partial.insert(value, at: rest[...], into: root[name])
        }
        return root.mapValues { $0.value }
    }

    /// A partially built projection.
    indirect enum Partial {
        case leaf(AttributeValue)
        case map([String: Partial])
        case list([Int: Partial])

        static func insert(_ value: AttributeValue, at path: ArraySlice<PathElement>, into existing: Partial?) -> Partial {
            guard let first = path.first else { return .leaf(value) }
            switch first {
            case .name(let name):
                var children: [String: Partial] = [:]
                if case .map(let current)? = existing { children = current }
                children[name] = insert(value, at: path.dropFirst(), into: children[name])
                return .map(children)
            case .index(let index):
                var children: [Int: Partial] = [:]
                if case .list(let current)? = existing { children = current }
                children[index] = insert(value, at: path.dropFirst(), into: children[index])
                return .list(children)
            }
        }

        var value: AttributeValue {
            switch self {
            case .leaf(let value): return value
            case .map(let children): return .m(children.mapValues { $0.value })
            case .list(let children): return .l(children.keys.sorted().compactMap { children[$0]?.value })
            }
        }
    }
}

/// A ConditionExpression or FilterExpression, parsed once, evaluated per item.
package struct ConditionExpression: Sendable {
    package let condition: Condition

    package init(condition: Condition) {
        self.condition = condition
    }

    package static func parse(_ source: String, kind: ExpressionKind,
                              attributes: inout ExpressionAttributes) throws(DynamoError) -> ConditionExpression {
        var parser = ConditionParser(source, kind: kind, attributes: attributes)
        let condition = try parser.parse()
        attributes = parser.attributes
        return ConditionExpression(condition: condition)
    }

    /// Whether the condition holds for `item` (nil: no such item).
    package func evaluate(_ item: Item?) -> Bool {
        Evaluator.evaluate(condition, on: item)
    }
}
