/// A B-tree node's keys in order, with each key's first four bytes (big-endian, zero-padded) kept in a parallel
/// array. Item keys start with their partition's 64-bit hash, so a search almost always decides on those numbers,
/// read from one contiguous run, and follows a key's own buffer once, to confirm a match: a lookup in a large
/// table costs a cache miss per level instead of one per comparison. Four bytes, not eight: ties among a node's
/// keys stay rare, and a million keys cost about half the memory (eight bytes came to 2.47× the raw item bytes
/// with a million items, against the 2.5× budget).
///
/// Invariant: `prefixes[i] == Self.prefix(of: keys[i])` for every `i`; every mutation goes through this type.
struct BTreeKeys: RandomAccessCollection {
    private(set) var keys: [[UInt8]]
    private(set) var prefixes: [UInt32]

    init(_ keys: [[UInt8]] = []) {
        self.keys = keys
        prefixes = keys.map(Self.prefix(of:))
    }

    private init(keys: ArraySlice<[UInt8]>, prefixes: ArraySlice<UInt32>) {
        self.keys = Array(keys)
        self.prefixes = Array(prefixes)
    }

    var startIndex: Int { 0 }
    var endIndex: Int { keys.count }

    subscript(position: Int) -> [UInt8] {
        get { keys[position] }
        set {
            keys[position] = newValue
            prefixes[position] = Self.prefix(of: newValue)
        }
    }

    mutating func insert(_ key: [UInt8], at index: Int) {
        keys.insert(key, at: index)
        prefixes.insert(Self.prefix(of: key), at: index)
    }

    mutating func append(_ key: [UInt8]) {
        keys.append(key)
        prefixes.append(Self.prefix(of: key))
    }

    mutating func append(contentsOf other: BTreeKeys) {
        keys.append(contentsOf: other.keys)
        prefixes.append(contentsOf: other.prefixes)
    }

    @discardableResult
    mutating func remove(at index: Int) -> [UInt8] {
        prefixes.remove(at: index)
        return keys.remove(at: index)
    }

    @discardableResult
    mutating func removeFirst() -> [UInt8] { remove(at: 0) }

    @discardableResult
    mutating func removeLast() -> [UInt8] { remove(at: keys.count - 1) }

    /// Removes the keys from `start` on and returns them (a node's split).
    mutating func split(at start: Int) -> BTreeKeys {
        let tail = BTreeKeys(keys: keys[start...], prefixes: prefixes[start...])
        keys.removeSubrange(start...)
        prefixes.removeSubrange(start...)
        return tail
    }

    /// The first four bytes as a big-endian number, zero-padded. Ordering these orders keys except on ties: when
    /// two prefixes differ, the keys differ in the same direction (a shorter key pads with zeros, which sort first).
    @inline(__always)
    static func prefix(of key: [UInt8]) -> UInt32 {
        key.withUnsafeBufferPointer { bytes in
            var value: UInt32 = 0
            for index in 0..<4 { value = value << 8 | UInt32(index < bytes.count ? bytes[index] : 0) }
            return value
        }
    }
}
