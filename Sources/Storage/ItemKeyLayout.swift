import DynamoModel

/// The byte layout of item keys inside a shard's B-tree.
///
/// composite := hash: u64be · partitionLength: u32be · partition: u8[partitionLength] · sort: u8*
///
/// `hash` is a stable 64-bit hash of the encoded partition key (FNV-1a, then MurmurHash3's fmix64 finaliser), the
/// same on every run and platform. Items of one partition are contiguous and ordered by their sort bytes; across
/// partitions the order is hash order, which is DynamoDB's Scan order. A table's shard is the hash's top bits, so
/// walking shards 0…n-1 in key order walks the whole hash space in order.
package enum ItemKeyLayout {
    /// The stable partition hash.
    package static func hash(_ partition: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in partition {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        hash ^= hash >> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash &*= 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 33
        return hash
    }

    /// The bytes every key of this partition starts with.
    package static func partitionPrefix(_ partition: [UInt8], hash: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(12 + partition.count)
        appendBigEndian(hash, to: &bytes)
        appendBigEndian(UInt32(truncatingIfNeeded: partition.count), to: &bytes)
        bytes.append(contentsOf: partition)
        return bytes
    }

    /// The composite key of an item.
    package static func composite(_ key: EncodedKey) -> [UInt8] {
        var bytes = partitionPrefix(key.partition, hash: hash(key.partition))
        bytes.append(contentsOf: key.sort)
        return bytes
    }

    /// The 8-byte key prefix that starts the hash range at `hash`.
    package static func hashPrefix(_ hash: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        appendBigEndian(hash, to: &bytes)
        return bytes
    }

    /// The hash a composite key starts with.
    package static func hash(ofComposite composite: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0
        for byte in composite.prefix(8) { hash = hash << 8 | UInt64(byte) }
        return hash
    }

    /// The smallest byte string greater than every string that starts with `prefix` (nil: no such string).
    package static func successor(ofPrefix prefix: [UInt8]) -> [UInt8]? {
        var bytes = prefix
        while let last = bytes.last {
            if last < 0xFF {
                bytes[bytes.count - 1] = last + 1
                return bytes
            }
            bytes.removeLast()
        }
        return nil
    }

    static func appendBigEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        let size = MemoryLayout<T>.size
        for shift in stride(from: (size - 1) * 8, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> T(shift)))
        }
    }
}
