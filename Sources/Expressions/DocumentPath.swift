/// One step of a document path: an attribute (map key) name or a list index.
package enum PathElement: Hashable, Sendable {
    case name(String)
    case index(Int)
}

/// A document path such as `a.b[2].c`, placeholders already resolved.
package struct DocumentPath: Hashable, Sendable, CustomStringConvertible {
    package var elements: [PathElement]

    package init(_ elements: [PathElement]) {
        self.elements = elements
    }

    /// A top-level attribute.
    package init(name: String) {
        elements = [.name(name)]
    }

    /// The top-level attribute name the path starts with.
    package var rootName: String {
        if case .name(let name)? = elements.first { return name }
        return ""
    }

    /// DynamoDB's rendering in messages: `[a, b, [2]]`.
    package var description: String {
        "[" + elements.map { element in
            switch element {
            case .name(let name): return name
            case .index(let index): return "[\(index)]"
            }
        }.joined(separator: ", ") + "]"
    }

    /// Whether one path is a prefix of the other (equal paths included).
    func overlaps(_ other: DocumentPath) -> Bool {
        let shared = min(elements.count, other.elements.count)
        return Array(elements.prefix(shared)) == Array(other.elements.prefix(shared))
    }

    /// Whether the paths diverge where one indexes a list and the other names a map key.
    func conflicts(_ other: DocumentPath) -> Bool {
        for (left, right) in zip(elements, other.elements) where left != right {
            switch (left, right) {
            case (.name, .index), (.index, .name): return true
            default: return false
            }
        }
        return false
    }
}
