/// Which sort keys of one partition a Query reads, on encoded sort-key bytes.
package enum SortKeyRange: Sendable, Equatable {
    case all
    case equal([UInt8])
    case less([UInt8])
    case lessOrEqual([UInt8])
    case greater([UInt8])
    case greaterOrEqual([UInt8])
    /// Inclusive at both ends.
    case between([UInt8], [UInt8])
    /// Sort keys starting with these bytes (S and B only: their encodings are the raw bytes).
    case beginsWith([UInt8])
}
